import { useEffect, useState } from 'react';
import { errorMessage } from '../backend/Backend';
import { formatWareki, t } from '../i18n';
import type { ApplyBackend } from './api';
import { toEntries, type ApplyState } from './applyState';
import { isUnreachable } from './offlineCache';
import { SentPanel } from './SentPanel';

/**
 * 5. The signed QR code (one or more symbols) to show at the counter; nothing is stored on the
 * server. Made again whenever the entries changed; kept on the device, so that it shows offline.
 * Optionally, the entries are sent and a 受付番号 given instead (SentPanel).
 */
export function QrStep({
  api,
  state,
  language,
  onChange,
  onBack,
  onClear,
}: {
  api: ApplyBackend;
  state: ApplyState;
  language: string;
  onChange: (s: Partial<ApplyState>) => void;
  onBack: () => void;
  onClear: () => void;
}) {
  const entries = toEntries(state, language);
  const key = JSON.stringify(entries);
  const fresh = state.signed?.entries === key ? state.signed : null;
  const [error, setError] = useState<string | null>(null);
  const [shown, setShown] = useState(0);

  useEffect(() => {
    if (fresh) return;
    let current = true;
    setError(null);
    api.signPreApplication(state.tenant, entries).then(
      (r) => {
        if (!current) return;
        setShown(0);
        onChange({ signed: { entries: key, svgs: r.svgs, expires: r.expires } });
      },
      (e: unknown) => current && setError(isUnreachable(e) ? t('apply.offline.qr') : t('apply.qr.error', { message: errorMessage(e) })),
    );
    return () => {
      current = false;
    };
    // `key` is the entries.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, key, state.tenant]);

  const svgs = fresh?.svgs ?? [];
  const index = Math.min(shown, Math.max(0, svgs.length - 1));
  return (
    <section aria-labelledby="apply-qr" data-testid="apply-qr-step">
      <h2 id="apply-qr">{t('apply.qr.heading')}</h2>
      {error && <p className="error-banner" role="alert" data-testid="apply-qr-error">{error}</p>}
      {!fresh && !error && <p role="status">{t('apply.qr.making')}</p>}
      {fresh && svgs.length > 0 && (
        <>
          <p>{t('apply.qr.intro')}</p>
          {svgs.length > 1 && (
            <p role="status" data-testid="apply-qr-part">
              {t('apply.qr.part', { n: index + 1, of: svgs.length })}
            </p>
          )}
          <img
            className="apply-qr-image"
            src={`data:image/svg+xml;utf8,${encodeURIComponent(svgs[index] ?? '')}`}
            alt={t('apply.qr.alt', { n: index + 1, of: svgs.length })}
            data-testid="apply-qr-image"
            data-part={index + 1}
            data-parts={svgs.length}
          />
          {svgs.length > 1 && (
            <div className="apply-nav">
              <button type="button" className="button" disabled={index === 0} onClick={() => setShown(index - 1)} data-testid="apply-qr-prev">
                {t('apply.qr.prev')}
              </button>
              <button type="button" className="button" disabled={index >= svgs.length - 1} onClick={() => setShown(index + 1)} data-testid="apply-qr-next">
                {t('apply.qr.next')}
              </button>
            </div>
          )}
          <p data-testid="apply-qr-expires">{t('apply.qr.expires', { date: formatWareki(fresh.expires) })}</p>
        </>
      )}
      <SentPanel api={api} state={state} entries={entries} onChange={onChange} />
      <div className="apply-nav">
        <button type="button" className="button" onClick={onBack}>
          {t('apply.back')}
        </button>
        <button type="button" className="button" onClick={onClear} data-testid="apply-clear">
          {t('apply.clear')}
        </button>
      </div>
    </section>
  );
}
