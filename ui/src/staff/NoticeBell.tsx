import { useCallback, useEffect, useRef, useState } from 'react';
import type { MyNoticeView } from '../api/types';
import { errorMessage, useBackend } from '../backend';
import { formatNoticeTime } from '../components/noticeTime';
import { t } from '../i18n';
import './notices.css';

/** How often the bell asks for notices again. */
const REFRESH_MS = 60_000;

/**
 * The notices bell of the staff top bar: the count of unread notices addressed to this user (all
 * staff, their group, their counter; maintenance notices too) and a panel listing them, each marked
 * read by the user (stored on the server, per user). The panel opens by itself after login when
 * something is unread.
 */
export function NoticeBell() {
  const backend = useBackend();
  const [notices, setNotices] = useState<MyNoticeView[]>([]);
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const openedOnce = useRef(false);

  const load = useCallback(
    () =>
      backend.myNotices().then(
        (list) => {
          setNotices(list);
          if (!openedOnce.current && list.some((n) => !n.read)) setOpen(true);
          openedOnce.current = true;
        },
        () => {
          // The bell stays as it was; the next refresh tries again.
        },
      ),
    [backend],
  );

  useEffect(() => {
    void load();
    const timer = window.setInterval(() => void load(), REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [load]);

  async function markRead(id: string) {
    setError(null);
    try {
      await backend.markNoticeRead(id);
      setNotices((list) => list.map((n) => (n.id === id ? { ...n, read: true } : n)));
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  const unread = notices.filter((n) => !n.read).length;
  return (
    <div className="notice-bell">
      <button
        type="button"
        className="button button-secondary"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        data-testid="notice-bell"
      >
        {t('notices.bell')}
        {unread > 0 && (
          <span className="notice-count" aria-label={t('notices.bell.count', { count: unread })} data-testid="notice-count">
            {unread}
          </span>
        )}
      </button>
      {open && (
        <section className="notice-panel" role="dialog" aria-label={t('notices.bell.panel')} data-testid="notice-panel">
          <h2>{t('notices.bell.panel')}</h2>
          {error && (
            <p className="error-banner" role="alert">
              {error}
            </p>
          )}
          {notices.length === 0 ? (
            <p>{t('notices.bell.none')}</p>
          ) : (
            <ul>
              {notices.map((n) => (
                <NoticeItem key={n.id} notice={n} onRead={() => void markRead(n.id)} />
              ))}
            </ul>
          )}
          <button type="button" className="button button-secondary" onClick={() => setOpen(false)}>
            {t('notices.bell.close')}
          </button>
        </section>
      )}
    </div>
  );
}

function NoticeItem({ notice, onRead }: { notice: MyNoticeView; onRead: () => void }) {
  return (
    <li className={notice.read ? 'notice-item' : 'notice-item notice-item-unread'} data-testid="notice-item">
      <p>
        {notice.kind === 'maintenance' && <span className="notice-tag">{t('notices.bell.maintenance')}</span>}
        {notice.text_ja}
      </p>
      {notice.window_start && notice.window_end && (
        <p>
          {t('maintenance.window', {
            from: formatNoticeTime(notice.window_start, 'ja'),
            to: formatNoticeTime(notice.window_end, 'ja'),
          })}
        </p>
      )}
      {notice.read ? (
        <span>{t('notices.bell.read')}</span>
      ) : (
        <button type="button" className="button button-primary" onClick={onRead} data-testid="notice-mark-read">
          {t('notices.bell.markRead')}
        </button>
      )}
    </li>
  );
}
