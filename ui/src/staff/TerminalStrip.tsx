import { useEffect, useState } from 'react';
import { errorMessage, useBackend, type TerminalStatus } from '../backend';
import { formatWareki, t } from '../i18n';

/**
 * The desktop app's terminal state above every staff screen: online or offline (a loud banner:
 * saves are then kept on the terminal), saves waiting in the outbox, the card reader, and a newer
 * signed version of the app (its notes on hover or opened) or why the server's update was refused.
 * Nothing in a browser.
 */
export function TerminalStrip() {
  const terminal = useBackend().terminal;
  const [status, setStatus] = useState<TerminalStatus | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [syncing, setSyncing] = useState(false);

  useEffect(() => {
    if (!terminal) return;
    let current = true;
    const unsubscribe = terminal.onStatus((s) => current && setStatus(s));
    terminal
      .status()
      .then((s) => current && setStatus((seen) => seen ?? s))
      .catch((e: unknown) => current && setProblem(errorMessage(e)));
    return () => {
      current = false;
      unsubscribe();
    };
  }, [terminal]);

  if (!terminal || (!status && !problem)) return null;

  async function syncNow() {
    if (!terminal) return;
    setSyncing(true);
    try {
      setStatus(await terminal.syncNow());
      setProblem(null);
    } catch (e) {
      setProblem(errorMessage(e));
    } finally {
      setSyncing(false);
    }
  }

  const card = status?.card;
  return (
    <section className="terminal-strip" aria-label={t('terminal.label')} data-testid="terminal-strip">
      {status && !status.online && (
        <div className="offline-banner" role="alert" data-testid="offline-banner">
          {t('terminal.offline')}
        </div>
      )}
      <div className="terminal-facts">
        {status?.online && (
          <span className="terminal-online" data-testid="online-badge">
            {t('terminal.online')}
          </span>
        )}
        {status && (
          <span data-testid="outbox-pending" className={status.outbox_pending > 0 ? 'terminal-pending' : undefined}>
            {t('terminal.outbox', { count: status.outbox_pending })}
          </span>
        )}
        {status && status.outbox_attention > 0 && (
          <span className="badge badge-warning" data-testid="outbox-attention">
            {t('terminal.attention', { count: status.outbox_attention })}
          </span>
        )}
        {card && (
          <span data-testid="card-state">
            {t('terminal.card')}: {card.blocked ? t('terminal.card.blocked') : t(`terminal.card.${card.state}`)}
          </span>
        )}
        {status && status.outbox_pending > 0 && (
          <button
            type="button"
            className="button button-secondary button-small"
            onClick={() => void syncNow()}
            disabled={syncing}
            data-testid="sync-now"
          >
            {t('terminal.syncNow')}
          </button>
        )}
        {status?.update && (
          <details className="terminal-update" data-testid="update-offer">
            <summary title={status.update.notes || undefined} data-testid="update-offer-summary">
              {t('terminal.update', {
                version: status.update.version,
                published: formatWareki(status.update.published),
              })}
            </summary>
            {status.update.notes && (
              <p className="terminal-update-notes" data-testid="update-notes">
                {status.update.notes}
              </p>
            )}
            <p className="hint">
              {t('terminal.update.ask')} {t('terminal.update.url', { url: status.update.url })}
            </p>
          </details>
        )}
        {status?.update_refused && (
          <span className="badge badge-warning" data-testid="update-refused">
            {t('terminal.update.refused', { message: status.update_refused })}
          </span>
        )}
        {problem && <span className="terminal-problem">{problem}</span>}
      </div>
    </section>
  );
}
