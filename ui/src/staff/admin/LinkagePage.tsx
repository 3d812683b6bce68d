import { useEffect, useState } from 'react';
import type { FeedStatus, LinkageFileView, LinkageStatus, OutboundView } from '../../api/types';
import { errorMessage, useBackend } from '../../backend';
import { formatWarekiDateTime, t } from '../../i18n';

/** Whether a user with these permissions may see the linkage status. */
export function mayViewLinkage(permissions: string[]): boolean {
  return permissions.includes('admin') || permissions.includes('import_data');
}

function FileLine({ file }: { file: LinkageFileView }) {
  return (
    <>
      <span data-testid="linkage-file-name">{file.name}</span>（{t('linkage.sequence', { n: file.sequence })}、
      {formatWarekiDateTime(file.finished_at)}、
      {t('linkage.counts', {
        rows: file.rows,
        inserted: file.inserted,
        updated: file.updated,
        removed: file.removed,
      })}
      ）
    </>
  );
}

function Feed({ feed }: { feed: FeedStatus }) {
  return (
    <article className="panel" data-testid={`linkage-feed-${feed.feed}`}>
      <h2>
        {feed.label}（{feed.feed}）
      </h2>
      {feed.error && (
        <div className="error-banner" role="alert">
          {feed.error}
        </div>
      )}
      <dl className="summary">
        <dt>{t('linkage.lastApplied')}</dt>
        <dd>{feed.last_applied ? <FileLine file={feed.last_applied} /> : t('linkage.none')}</dd>
        <dt>{t('linkage.lastRejected')}</dt>
        <dd data-testid="linkage-last-rejected">
          {feed.last_rejected ? (
            <>
              <FileLine file={feed.last_rejected} />
              <br />
              {feed.last_rejected.message}
            </>
          ) : (
            t('linkage.none')
          )}
        </dd>
        <dt>{t('linkage.waiting')}</dt>
        <dd>
          {feed.waiting.length === 0 ? (
            t('linkage.none')
          ) : (
            <ul data-testid="linkage-waiting">
              {feed.waiting.map((w) => (
                <li key={w.name}>
                  {w.name}: {w.reason}
                </li>
              ))}
            </ul>
          )}
        </dd>
      </dl>
    </article>
  );
}

function Outbound({ batches }: { batches: OutboundView[] }) {
  if (batches.length === 0) return <p>{t('linkage.noOutbound')}</p>;
  return (
    <table className="table" data-testid="linkage-outbound">
      <thead>
        <tr>
          <th>{t('linkage.kind')}</th>
          <th>{t('linkage.file')}</th>
          <th>{t('linkage.records')}</th>
          <th>{t('linkage.createdAt')}</th>
          <th>{t('linkage.deliveredAt')}</th>
        </tr>
      </thead>
      <tbody>
        {batches.map((b) => (
          <tr key={`${b.kind}-${b.batch_no}`}>
            <td>{b.label}</td>
            <td>{b.file_name || t('linkage.noRows')}</td>
            <td>{t('linkage.recordsCases', { records: b.records, cases: b.cases })}</td>
            <td>{formatWarekiDateTime(b.created_at)}</td>
            <td>{b.delivered_at ? formatWarekiDateTime(b.delivered_at) : t('linkage.notDelivered')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** 連携状況: every core-system feed and the outbound files, for admins (出雲 P48). */
export function LinkagePage() {
  const backend = useBackend();
  const [status, setStatus] = useState<LinkageStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  async function load() {
    setError(null);
    try {
      setStatus(await backend.linkageStatus());
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  async function exportNow() {
    setError(null);
    setNotice(null);
    try {
      const r = await backend.exportLinkage();
      setNotice(t('linkage.exported', { count: r.batches.length }));
      await load();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  useEffect(() => {
    void load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return (
    <section aria-labelledby="linkage-title" data-testid="linkage-page">
      <h1 id="linkage-title">{t('linkage.title')}</h1>
      {error && (
        <div className="error-banner" role="alert">
          {error}
        </div>
      )}
      {notice && (
        <div className="notice" role="status">
          {notice}
        </div>
      )}
      {status && (
        <>
          <p data-testid="linkage-summary">
            {status.enabled
              ? t('linkage.enabled', {
                  seconds: status.interval_seconds ?? 0,
                  last: status.last_poll_at ? formatWarekiDateTime(status.last_poll_at) : t('linkage.never'),
                })
              : t('linkage.disabled')}
          </p>
          <div className="phrases">
            <button type="button" className="button button-secondary" onClick={() => void load()}>
              {t('linkage.reload')}
            </button>
            <button
              type="button"
              className="button button-primary"
              onClick={() => void exportNow()}
              disabled={!status.enabled}
              data-testid="linkage-export"
            >
              {t('linkage.exportNow')}
            </button>
          </div>
          {status.feeds.map((f) => (
            <Feed key={f.feed} feed={f} />
          ))}
          <h2>{t('linkage.outbound')}</h2>
          {status.outbound_error && (
            <div className="error-banner" role="alert">
              {status.outbound_error}
            </div>
          )}
          <Outbound batches={status.outbound} />
        </>
      )}
    </section>
  );
}
