import { useId, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import type { DisclosureView } from '../api/types';
import { errorMessage, useBackend } from '../backend';
import { t } from '../i18n';
import { validDisclosureReason } from './visit/model';

/**
 * 支援措置 in the resident view (宛名検索 → the chosen resident's household): the address is withheld;
 * a staff member allowed to (`override_support_measure` at this counter) may show the resident's address
 * for a reason they state, which the server audits (`resident.address_disclosure`). The pattern of the
 * case's `MaskedCaseBanner`.
 */
export function ResidentDisclosure({ atenaNo, mayDisclose }: { atenaNo: string; mayDisclose: boolean }) {
  const backend = useBackend();
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [shown, setShown] = useState<DisclosureView | null>(null);
  const reasonId = useId();
  const hintId = useId();

  if (shown) {
    return (
      <div className="notice disclosed-notice" role="status" data-testid="resident-address-disclosed">
        <p data-testid="resident-disclosed-address">
          {t('residentDisclosure.address', { address: shown.address.full })}
        </p>
        <p>{t('residentDisclosure.audited')}</p>
      </div>
    );
  }
  if (!mayDisclose) return null;

  function cancel() {
    setAsking(false);
    setReason('');
    setProblem(null);
  }

  async function disclose() {
    if (!validDisclosureReason(reason)) {
      setProblem(t('residentDisclosure.reasonInvalid'));
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      setShown(await backend.discloseResidentAddress(atenaNo, reason.trim()));
    } catch (e) {
      setProblem(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  function onReasonKey(e: ReactKeyboardEvent<HTMLTextAreaElement>) {
    if (e.nativeEvent.isComposing) return;
    // Ctrl+Enter sends (Enter alone is a new line); Esc closes the form.
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void disclose();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      cancel();
    }
  }

  if (!asking) {
    return (
      <button
        type="button"
        className="button button-secondary button-small"
        onClick={() => setAsking(true)}
        data-testid="resident-disclose-address"
      >
        {t('residentDisclosure.disclose')}
      </button>
    );
  }
  return (
    <form
      className="disclosure-form"
      onSubmit={(e) => {
        e.preventDefault();
        void disclose();
      }}
      data-testid="resident-disclosure-form"
    >
      <div className="field">
        <label htmlFor={reasonId}>{t('residentDisclosure.reasonLabel')}</label>
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
          data-testid="resident-disclosure-reason"
        />
        <span id={hintId} className="hint">
          {t('residentDisclosure.reasonHint')}
        </span>
      </div>
      {problem && (
        <div className="error-banner" role="alert" data-testid="resident-disclosure-error">
          {problem}
        </div>
      )}
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={busy} data-testid="resident-disclosure-submit">
          {busy ? t('residentDisclosure.submitting') : t('residentDisclosure.submit')}
        </button>
        <button type="button" className="button button-secondary" onClick={cancel} disabled={busy}>
          {t('residentDisclosure.cancel')}
        </button>
      </div>
    </form>
  );
}
