import { useState } from 'react';
import type { AuditVerification } from '../../../api/types';
import { errorMessage, useBackend } from '../../../backend';
import { formatWarekiDateTime, t } from '../../../i18n';

/** The audit chain's verification (on request: it reads every record) and the latest external anchor. */
export function AuditChainStatus() {
  const backend = useBackend();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<AuditVerification | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  async function verify() {
    setBusy(true);
    setProblem(null);
    try {
      setResult(await backend.auditVerification());
    } catch (e) {
      setProblem(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  const when = (s?: string | null) => (s ? formatWarekiDateTime(s) : '');
  return (
    <section className="panel" aria-labelledby="audit-chain-title" data-testid="audit-chain">
      <h2 id="audit-chain-title">{t('audit.chainTitle')}</h2>
      <p>{t('audit.chainIntro')}</p>
      <button type="button" className="button button-secondary" onClick={() => void verify()} disabled={busy} data-testid="audit-verify">
        {busy ? t('audit.verifying') : t('audit.verify')}
      </button>
      {problem && (
        <div className="error-banner" role="alert">
          {problem}
        </div>
      )}
      {result && (
        <div role="status" data-testid="audit-chain-result">
          {result.intact ? (
            <p className="notice" data-testid="audit-chain-intact">
              {t('audit.chainIntact', { at: when(result.checked_at) })}
            </p>
          ) : (
            <div className="error-banner" data-testid="audit-chain-broken">
              {t('audit.chainBroken', { problem: result.problem ?? '', at: when(result.checked_at) })}
            </div>
          )}
          <h3>{t('audit.anchorTitle')}</h3>
          <AnchorLine anchor={result.anchor} when={when} />
        </div>
      )}
    </section>
  );
}

function AnchorLine({ anchor, when }: { anchor: AuditVerification['anchor']; when: (s?: string | null) => string }) {
  if (!anchor.configured) return <p data-testid="audit-anchor">{t('audit.anchorOff')}</p>;
  return (
    <div data-testid="audit-anchor">
      {anchor.last_id == null ? (
        <p>{t('audit.anchorNone')}</p>
      ) : (
        <p>
          {t('audit.anchorLatest', { id: anchor.last_id, headAt: when(anchor.head_at), writtenAt: when(anchor.written_at) })}
          {anchor.matches && ` ${t('audit.anchorMatches')}`}
        </p>
      )}
      {anchor.problem && <p className="error-banner">{t('audit.anchorProblem', { problem: anchor.problem })}</p>}
    </div>
  );
}
