import { t } from '../i18n';
import { Keypad } from './Keypad';
import './PinPad.css';

/** A PIN pad: the digits are shown as ● only; OK once `minLength` digits are in. */
export function PinPad({
  value,
  onChange,
  onSubmit,
  label,
  maxLength = 4,
  minLength = maxLength,
  disabled = false,
  testId = 'pin',
}: {
  value: string;
  onChange: (pin: string) => void;
  onSubmit: (pin: string) => void;
  label: string;
  maxLength?: number;
  minLength?: number;
  disabled?: boolean;
  testId?: string;
}) {
  const slots = Math.max(maxLength === minLength ? maxLength : value.length, 1);
  return (
    <div className="pin-pad" data-testid={`${testId}-pad`}>
      <div className="pin-display" aria-label={`${label} ${t('kiosk.pin.entered', { count: value.length })}`} role="img">
        <span className="pin-label" aria-hidden="true">
          {label}
        </span>
        <span className="pin-dots" aria-hidden="true" data-testid={`${testId}-dots`}>
          {Array.from({ length: slots }, (_, i) => (i < value.length ? '●' : '○')).join(' ')}
        </span>
      </div>
      <Keypad
        testId={testId}
        disabled={disabled}
        onDigit={(d) => value.length < maxLength && onChange(value + d)}
        onDelete={() => onChange(value.slice(0, -1))}
        onOk={() => onSubmit(value)}
        okDisabled={value.length < minLength}
      />
    </div>
  );
}
