import { useCallback, useEffect, useState } from 'react';
import type { NoticeAudienceView, NoticeInput, NoticeView } from '../../api/types';
import { errorMessage, useBackend } from '../../backend';
import { formatNoticeTime } from '../../components/noticeTime';
import { t, type MessageKey } from '../../i18n';
import { NoticeForm, audienceLabel } from './NoticeForm';
import '../notices.css';

// お知らせ・保守のお知らせ (admin, `#/staff/admin/notices`): the tenant's notices with their state, a
// form to post or edit one, and 今すぐ終了 for one shown now (its end becomes now; a stop under way
// ends with it). A save on a notice someone else saved in between is refused by the server.

export const NOTICES_PATH = '/staff/admin/notices';

export function mayPostNotices(permissions: readonly string[]): boolean {
  return permissions.includes('admin');
}

/** The notice's state at `now`. */
export function noticeState(n: NoticeView, now = new Date()): MessageKey {
  const at = now.getTime();
  const time = (iso: string) => new Date(iso).getTime();
  if (at < time(n.starts_at)) return 'notices.state.scheduled';
  if (at >= time(n.ends_at)) return 'notices.state.ended';
  if (n.window_start && n.window_end && time(n.window_start) <= at && at < time(n.window_end)) return 'notices.state.stopping';
  return 'notices.state.shown';
}

const span = (from: string, to: string) => `${formatNoticeTime(from, 'ja')} 〜 ${formatNoticeTime(to, 'ja')}`;

export function NoticesPage({ permissions }: { permissions: string[] }) {
  const backend = useBackend();
  const allowed = mayPostNotices(permissions);
  const [notices, setNotices] = useState<NoticeView[] | null>(null);
  const [audiences, setAudiences] = useState<NoticeAudienceView[]>([]);
  const [editing, setEditing] = useState<NoticeView | 'new' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const reload = useCallback(() => {
    backend.notices().then(setNotices, (e: unknown) => setError(errorMessage(e)));
  }, [backend]);

  useEffect(() => {
    if (!allowed) return;
    reload();
    backend.noticeAudiences().then(setAudiences, (e: unknown) => setError(errorMessage(e)));
  }, [allowed, backend, reload]);

  if (!allowed) {
    return (
      <main className="page">
        <h1>{t('notices.heading')}</h1>
        <p role="alert">{t('notices.adminOnly')}</p>
      </main>
    );
  }

  async function save(input: NoticeInput) {
    const current = editing;
    const saved = current === 'new' || !current ? await backend.createNotice(input) : await backend.updateNotice(current.id, input);
    setEditing(null);
    setDone(t('notices.saved'));
    setNotices((list) => [saved, ...(list ?? []).filter((n) => n.id !== saved.id)]);
    reload();
  }

  async function endNow(n: NoticeView) {
    setError(null);
    setDone(null);
    // The stored times as they are (not rounded to the minute as the form shows them), the end now.
    const input: NoticeInput = {
      kind: n.kind,
      audience: n.audience,
      text_ja: n.text_ja,
      text_en: n.text_en ?? null,
      starts_at: n.starts_at,
      ends_at: new Date().toISOString(),
      window_start: n.window_start ?? null,
      window_end: n.window_end ?? null,
      revision: n.revision,
    };
    try {
      await backend.updateNotice(n.id, input);
      setDone(t('notices.ended'));
    } catch (e) {
      setError(errorMessage(e));
    }
    reload();
  }

  return (
    <main className="page">
      <h1>{t('notices.heading')}</h1>
      <p>{t('notices.intro')}</p>
      {error && (
        <div className="error-banner" role="alert" data-testid="notices-error">
          {error}
        </div>
      )}
      {done && (
        <p className="notice" role="status" data-testid="notices-done">
          {done}
        </p>
      )}
      {editing ? (
        <NoticeForm
          key={editing === 'new' ? 'new' : editing.id}
          notice={editing === 'new' ? null : editing}
          audiences={audiences}
          onSave={save}
          onCancel={() => setEditing(null)}
        />
      ) : (
        <button type="button" className="button button-primary" onClick={() => { setDone(null); setEditing('new'); }} data-testid="notice-new">
          {t('notices.new')}
        </button>
      )}
      {notices === null ? (
        !error && <p aria-busy="true">{t('notices.loading')}</p>
      ) : notices.length === 0 ? (
        <p data-testid="notices-none">{t('notices.empty')}</p>
      ) : (
        <NoticeTable notices={notices} audiences={audiences} onEdit={(n) => { setDone(null); setEditing(n); }} onEnd={endNow} />
      )}
    </main>
  );
}

function NoticeTable({
  notices,
  audiences,
  onEdit,
  onEnd,
}: {
  notices: NoticeView[];
  audiences: NoticeAudienceView[];
  onEdit: (n: NoticeView) => void;
  onEnd: (n: NoticeView) => void;
}) {
  return (
    <table className="table notices-table" data-testid="notices-table">
      <thead>
        <tr>
          <th>{t('notices.col.state')}</th>
          <th>{t('notices.col.kind')}</th>
          <th>{t('notices.col.audience')}</th>
          <th>{t('notices.col.text')}</th>
          <th>{t('notices.col.period')}</th>
          <th>{t('notices.col.window')}</th>
          <th>{t('notices.col.actions')}</th>
        </tr>
      </thead>
      <tbody>
        {notices.map((n) => {
          const state = noticeState(n);
          const shownNow = state === 'notices.state.shown' || state === 'notices.state.stopping';
          return (
            <tr key={n.id} data-testid="notice-row">
              <td>{t(state)}</td>
              <td>{t(n.kind === 'maintenance' ? 'notices.kind.maintenance' : 'notices.kind.notice')}</td>
              <td>{audienceLabel(n.audience, audiences)}</td>
              <td className="notice-text">{n.text_ja}</td>
              <td>{span(n.starts_at, n.ends_at)}</td>
              <td>{n.window_start && n.window_end ? span(n.window_start, n.window_end) : '—'}</td>
              <td>
                <button type="button" className="button button-secondary" onClick={() => onEdit(n)} data-testid="notice-edit">
                  {t('notices.edit')}
                </button>{' '}
                {shownNow && (
                  <button type="button" className="button button-secondary" onClick={() => onEnd(n)} data-testid="notice-end">
                    {t('notices.endNow')}
                  </button>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
