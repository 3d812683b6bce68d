import { useEffect, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import type {
  FeedStatus,
  LinkageFileView,
  LinkageHold,
  LinkageStatus,
  LinkageWaiting,
  OutboundView,
} from '../../api/types';
import { errorMessage, useBackend } from '../../backend';
import { formatWarekiDateTime, t } from '../../i18n';

/** Whether a user with these permissions may see the linkage status. */
export function mayViewLinkage(permissions: string[]): boolean {
  return permissions.includes('admin') || permissions.includes('import_data');
}

/** Whether a user may confirm a held full file (the server allows admins only). */
export function mayApproveLinkage(permissions: string[]): boolean {
  return permissions.includes('admin');
}

const count = new Intl.NumberFormat('ja-JP');

/** A held file an admin is asked about. */
interface Asking {
  feed: FeedStatus;
  file: string;
  hold: LinkageHold;
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

function WaitingLine({
  waiting,
  mayApprove,
  onApprove,
}: {
  waiting: LinkageWaiting;
  mayApprove: boolean;
  onApprove: (hold: LinkageHold) => void;
}) {
  const hold = waiting.hold;
  return (
    <li data-testid={hold ? 'linkage-held' : undefined}>
      {waiting.name}: {waiting.reason}
      {hold &&
        (mayApprove ? (
          <>
            {' '}
            <button
              type="button"
              className="button button-secondary button-small"
              onClick={() => onApprove(hold)}
              data-testid="linkage-approve"
            >
              {t('linkage.approve')}
            </button>
          </>
        ) : (
          <> {t('linkage.approveAdminOnly')}</>
        ))}
    </li>
  );
}

function ApproveDialog({
  asking,
  busy,
  onYes,
  onNo,
}: {
  asking: Asking;
  busy: boolean;
  onYes: () => void;
  onNo: () => void;
}) {
  function onKeyDown(e: ReactKeyboardEvent<HTMLDivElement>) {
    if (e.key === 'Escape' && !busy) {
      e.preventDefault();
      onNo();
    }
  }
  return (
    <div className="modal-overlay">
      <div
        className="modal"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="linkage-approve-title"
        aria-describedby="linkage-approve-question"
        onKeyDown={onKeyDown}
        data-testid="linkage-approve-dialog"
      >
        <h2 id="linkage-approve-title">{t('linkage.approveTitle')}</h2>
        <p>
          {t('linkage.approveDetail', {
            feed: asking.feed.label,
            feedId: asking.feed.feed,
            file: asking.file,
            current: count.format(asking.hold.current),
            removed: count.format(asking.hold.removed),
          })}
        </p>
        <p id="linkage-approve-question" className="warning">
          {t('linkage.approveQuestion', { removed: count.format(asking.hold.removed) })}
        </p>
        <div className="form-actions">
          <button
            type="button"
            className="button button-primary"
            onClick={onYes}
            disabled={busy}
            data-testid="linkage-approve-yes"
          >
            {busy ? t('linkage.approving') : t('linkage.approveYes')}
          </button>
          <button
            type="button"
            className="button button-secondary"
            onClick={onNo}
            disabled={busy}
            autoFocus
            data-testid="linkage-approve-no"
          >
            {t('linkage.approveNo')}
          </button>
        </div>
      </div>
    </div>
  );
}

function Feed({
  feed,
  mayApprove,
  onApprove,
}: {
  feed: FeedStatus;
  mayApprove: boolean;
  onApprove: (asking: Asking) => void;
}) {
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
                <WaitingLine
                  key={w.name}
                  waiting={w}
                  mayApprove={mayApprove}
                  onApprove={(hold) => onApprove({ feed, file: w.name, hold })}
                />
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

/**
 * 連携状況: every core-system feed and the outbound files, for admins (出雲 P48). A full file held
 * because it would remove too much (Security II point 17) shows its reason, and an admin may
 * approve it after a confirmation dialog; the job applies it at its next poll.
 */
export function LinkagePage({ permissions }: { permissions: string[] }) {
  const backend = useBackend();
  const [status, setStatus] = useState<LinkageStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [asking, setAsking] = useState<Asking | null>(null);
  const [approving, setApproving] = useState(false);
  const mayApprove = mayApproveLinkage(permissions);

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

  async function approve() {
    if (!asking) return;
    setApproving(true);
    setError(null);
    setNotice(null);
    let problem: string | null = null;
    try {
      await backend.confirmLinkage({ feed: asking.feed.feed, file: asking.file, sha256: asking.hold.sha256 });
      setNotice(t('linkage.approved', { file: asking.file }));
    } catch (err) {
      problem = errorMessage(err);
    } finally {
      setApproving(false);
      setAsking(null);
    }
    // The status again either way: the file is now approved, or it changed since it was shown.
    await load();
    if (problem) setError(problem);
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
            <Feed key={f.feed} feed={f} mayApprove={mayApprove} onApprove={setAsking} />
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
      {asking && (
        <ApproveDialog
          asking={asking}
          busy={approving}
          onYes={() => void approve()}
          onNo={() => setAsking(null)}
        />
      )}
    </section>
  );
}
