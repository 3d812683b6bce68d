import { useId, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { errorMessage, useBackend } from '../../backend';
import { t } from '../../i18n';
import { draftFromDisclosure, validDisclosureReason, type Draft } from './model';

/**
 * 支援措置: the case names a protected person, so the server sent every address masked. The banner
 * says so wherever the case is open; a staff member allowed to (`override_support_measure` at this
 * counter) may show the addresses for a reason they state, which the server audits.
 */
export function MaskedCaseBanner({
  draft,
  mayDisclose,
  onDisclosed,
}: {
  draft: Draft;
  mayDisclose: boolean;
  onDisclosed: (draft: Draft) => void;
}) {
  const backend = useBackend();
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const reasonId = useId();
  const hintId = useId();

  if (draft.addressDisclosed && !draft.addressMasked) {
    return (
      <div className="notice disclosed-notice" role="status" data-testid="case-address-disclosed">
        {t('visit.masked.disclosed')}
      </div>
    );
  }
  if (!draft.addressMasked) return null;

  function cancel() {
    setAsking(false);
    setReason('');
    setProblem(null);
  }

  async function disclose() {
    if (!validDisclosureReason(reason)) {
      setProblem(t('visit.masked.reasonInvalid'));
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      const disclosed = await backend.discloseCase(draft.caseId, reason.trim());
      setAsking(false);
      setReason('');
      onDisclosed(draftFromDisclosure(disclosed));
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

  return (
    <div className="masked-case" data-testid="case-address-masked">
      <div className="warning">
        <span className="warning-icon" aria-hidden="true">
          ⚠
        </span>
        <span data-testid="case-address-masked-text">{t('visit.masked.banner')}</span>
        {mayDisclose && !asking && (
          <button
            type="button"
            className="button button-secondary button-small"
            onClick={() => setAsking(true)}
            data-testid="disclose-address"
          >
            {t('visit.masked.disclose')}
          </button>
        )}
      </div>
      {mayDisclose && asking && (
        <form
          className="disclosure-form"
          onSubmit={(e) => {
            e.preventDefault();
            void disclose();
          }}
          data-testid="disclosure-form"
        >
          <div className="field">
            <label htmlFor={reasonId}>{t('visit.masked.reasonLabel')}</label>
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
              data-testid="disclosure-reason"
            />
            <span id={hintId} className="hint">
              {t('visit.masked.reasonHint')}
            </span>
          </div>
          {problem && (
            <div className="error-banner" role="alert" data-testid="disclosure-error">
              {problem}
            </div>
          )}
          <div className="form-actions">
            <button type="submit" className="button button-primary" disabled={busy} data-testid="disclosure-submit">
              {busy ? t('visit.masked.submitting') : t('visit.masked.submit')}
            </button>
            <button type="button" className="button button-secondary" onClick={cancel} disabled={busy}>
              {t('visit.masked.cancel')}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
