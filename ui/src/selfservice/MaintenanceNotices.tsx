import { useEffect, useState } from 'react';
import type { PublicMaintenanceView } from '../api/types';
import { useBackend } from '../backend';
import { formatNoticeTime } from '../components/noticeTime';
import { FallbackText, getLocale, t } from '../i18n';

/** How often the maintenance notices are asked again while a screen shows them. */
const REFRESH_MS = 5 * 60_000;

/**
 * The city's maintenance notices (planned stops) for `tenant`, in the current language: the admin's
 * English text when there is one and English is chosen, else the Japanese. Nothing while there is
 * none or the server does not answer (the screen goes on).
 */
export function MaintenanceNotices({ tenant }: { tenant: string }) {
  const backend = useBackend();
  const [notices, setNotices] = useState<PublicMaintenanceView[]>([]);
  useEffect(() => {
    let current = true;
    const load = () =>
      backend
        .maintenanceStatus(tenant)
        .then((list) => current && setNotices(list))
        .catch(() => {
          // Not told: nothing shown.
        });
    void load();
    const timer = window.setInterval(load, REFRESH_MS);
    return () => {
      current = false;
      window.clearInterval(timer);
    };
  }, [backend, tenant]);
  if (notices.length === 0) return null;
  return (
    <div className="maintenance-notices" data-testid="maintenance-notices">
      {notices.map((n, i) => (
        <MaintenanceNotice key={i} notice={n} />
      ))}
    </div>
  );
}

export function MaintenanceNotice({ notice }: { notice: PublicMaintenanceView }) {
  const locale = getLocale();
  const english = locale === 'en' && notice.text_en;
  const text = english ? notice.text_en : notice.text_ja;
  return (
    <section className="maintenance-notice" role="status" data-testid="maintenance-notice">
      <h2>{t('maintenance.heading')}</h2>
      {notice.active && <p className="maintenance-active">{t('maintenance.active')}</p>}
      <p className="maintenance-text">
        {/* The city writes notices in Japanese and English only: in other languages, marked Japanese. */}
        <FallbackText text={text ?? ''} japanese={!english} />
      </p>
      {notice.window_start && notice.window_end && (
        <p className="maintenance-window">
          {t('maintenance.window', {
            from: formatNoticeTime(notice.window_start, locale),
            to: formatNoticeTime(notice.window_end, locale),
          })}
        </p>
      )}
    </section>
  );
}
