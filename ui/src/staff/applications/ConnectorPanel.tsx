import { useEffect, useState } from 'react';
import type { PortalConnectorView } from '../../api/types';
import { errorMessage, useBackend } from '../../backend';
import { t } from '../../i18n';
import { jst } from './model';

/**
 * For administrators: the マイナポータル connector's last rounds (the last failure stays visible until
 * a round succeeds) and a round now.
 */
export function ConnectorPanel({ onFetched }: { onFetched: () => Promise<void> }) {
  const backend = useBackend();
  const [state, setState] = useState<PortalConnectorView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    backend.portalConnector().then(setState, (err: unknown) => setError(errorMessage(err)));
  }, [backend]);

  async function run() {
    setBusy(true);
    setError(null);
    try {
      setState(await backend.runPortalConnector());
      await onFetched();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  if (error) {
    return (
      <div className="error-banner" role="alert">
        {error}
      </div>
    );
  }
  if (!state) return null;
  return (
    <section className="panel" aria-labelledby="connector-title" data-testid="portal-connector">
      <h2 id="connector-title">{t('applications.connector')}</h2>
      {!state.configured ? (
        <p>{t('applications.connectorOff')}</p>
      ) : (
        <>
          <dl className="definition-grid">
            <dt>{t('applications.connectorUrl')}</dt>
            <dd>{state.base_url}</dd>
            <dt>{t('applications.connectorProxy')}</dt>
            <dd>{state.proxy ? t('applications.yes') : t('applications.no')}</dd>
            <dt>{t('applications.connectorLastRun')}</dt>
            <dd>{jst(state.last_run_at)}</dd>
            <dt>{t('applications.connectorLastSuccess')}</dt>
            <dd>{jst(state.last_success_at)}</dd>
          </dl>
          {state.last_error ? (
            <p role="alert" className="notice" data-testid="connector-error">
              {t('applications.connectorError', { failures: state.failures, error: state.last_error })}
            </p>
          ) : (
            <p role="status" data-testid="connector-ok">
              {t('applications.connectorOk', { fetched: state.fetched, reported: state.reported })}
            </p>
          )}
          <button
            type="button"
            className="button button-secondary"
            onClick={run}
            disabled={busy}
            data-testid="connector-run"
          >
            {t('applications.connectorRun')}
          </button>
        </>
      )}
    </section>
  );
}
