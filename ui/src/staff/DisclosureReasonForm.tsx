import { useId, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { errorMessage } from '../backend';
import { t } from '../i18n';
import { validDisclosureReason } from './visit/model';

/** The texts of one place the form is used (`visit.masked` for a case, `residentDisclosure` for a resident). */
type Texts = 'visit.masked' | 'residentDisclosure';

/**
 * 支援措置: the reason a staff member states to show a protected address (the case's banner and the
 * resident view share it). Ctrl+Enter sends (Enter alone is a new line), Esc cancels; a reason too short
 * or too long is refused here, a refusal of the server shown with it.
 */
export function DisclosureReasonForm({
  texts,
  testIdPrefix,
  onDisclose,
  onCancel,
}: {
  texts: Texts;
  /** `''` (the case) or `resident-` (the resident view): test ids stay as they were. */
  testIdPrefix: '' | 'resident-';
  /** Sends the reason (trimmed); rejects with the server's refusal. */
  onDisclose: (reason: string) => Promise<void>;
  onCancel: () => void;
}) {
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const reasonId = useId();
  const hintId = useId();
  const id = (s: string) => `${testIdPrefix}${s}`;

  async function disclose() {
    if (!validDisclosureReason(reason)) {
      setProblem(t(`${texts}.reasonInvalid`));
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      await onDisclose(reason.trim());
    } catch (e) {
      setProblem(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  function onReasonKey(e: ReactKeyboardEvent<HTMLTextAreaElement>) {
    if (e.nativeEvent.isComposing) return;
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void disclose();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      onCancel();
    }
  }

  return (
    <form
      className="disclosure-form"
      onSubmit={(e) => {
        e.preventDefault();
        void disclose();
      }}
      data-testid={id('disclosure-form')}
    >
      <div className="field">
        <label htmlFor={reasonId}>{t(`${texts}.reasonLabel`)}</label>
        <textarea
          id={reasonId}
          rows={2}
          maxLength={400}
          value={reason}
          autoFocus
          aria-describedby={hintId}
          aria-invalid={problem !== null}
          onChange={(e) => {
            setReason(e.target.value);
            setProblem(null);
          }}
          onKeyDown={onReasonKey}
          data-testid={id('disclosure-reason')}
        />
        <span id={hintId} className="hint">
          {t(`${texts}.reasonHint`)}
        </span>
      </div>
      {problem && (
        <div className="error-banner" role="alert" data-testid={id('disclosure-error')}>
          {problem}
        </div>
      )}
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={busy} data-testid={id('disclosure-submit')}>
          {busy ? t(`${texts}.submitting`) : t(`${texts}.submit`)}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel} disabled={busy}>
          {t(`${texts}.cancel`)}
        </button>
      </div>
    </form>
  );
}
