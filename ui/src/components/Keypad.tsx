import { t } from '../i18n';
import './keys.css';
import './Keypad.css';

const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];

/**
 * A large numeric keypad: 1–9 on three rows, then [− or delete] 0 [OK or delete]. For PINs (delete,
 * OK) and 番地 (hyphen, delete). Test ids: `<testId>-key-<digit>`, `<testId>-key-dash`,
 * `<testId>-delete`, `<testId>-ok`.
 */
export function Keypad({
  onDigit,
  onDelete,
  onDash,
  onOk,
  okDisabled = false,
  okLabel,
  disabled = false,
  testId,
}: {
  onDigit: (digit: string) => void;
  onDelete: () => void;
  /** A '-' key (番地) in place of the OK key's neighbour. */
  onDash?: () => void;
  onOk?: () => void;
  okDisabled?: boolean;
  okLabel?: string;
  disabled?: boolean;
  testId: string;
}) {
  return (
    <div className="keypad" role="group">
      {DIGITS.map((d) => (
        <button
          key={d}
          type="button"
          className="kiosk-key keypad-key"
          onClick={() => onDigit(d)}
          disabled={disabled}
          data-testid={`${testId}-key-${d}`}
        >
          {d}
        </button>
      ))}
      {onDash ? (
        <button
          type="button"
          className="kiosk-key keypad-key"
          onClick={onDash}
          disabled={disabled}
          aria-label={t('kiosk.address.hyphen')}
          data-testid={`${testId}-key-dash`}
        >
          −
        </button>
      ) : (
        <button
          type="button"
          className="kiosk-key keypad-key kiosk-key-warn"
          onClick={onDelete}
          disabled={disabled}
          data-testid={`${testId}-delete`}
        >
          {t('kiosk.pin.delete')}
        </button>
      )}
      <button
        type="button"
        className="kiosk-key keypad-key"
        onClick={() => onDigit('0')}
        disabled={disabled}
        data-testid={`${testId}-key-0`}
      >
        0
      </button>
      {onOk ? (
        <button
          type="button"
          className="kiosk-key keypad-key kiosk-key-primary"
          onClick={onOk}
          disabled={disabled || okDisabled}
          data-testid={`${testId}-ok`}
        >
          {okLabel ?? t('kiosk.pin.ok')}
        </button>
      ) : (
        <button
          type="button"
          className="kiosk-key keypad-key kiosk-key-warn"
          onClick={onDelete}
          disabled={disabled}
          data-testid={`${testId}-delete`}
        >
          {t('kiosk.address.delete')}
        </button>
      )}
    </div>
  );
}
