import { useEffect, useState } from 'react';
import type { PublicMaintenanceView } from '../api/types';
import { useBackend } from '../backend';
import { htmlLang, t, useUiLanguage, type Locale } from '../i18n';
import { MaintenanceNotice } from '../selfservice/MaintenanceNotices';
import '../selfservice/selfservice.css';

/** The tenant of `#/status?tenant=<id>`; the demo city's without one. */
export function tenantOfHash(hash: string): string {
  const query = hash.split('?')[1] ?? '';
  return new URLSearchParams(query).get('tenant')?.trim() || 'demo';
}

/**
 * The public status page (`#/status?tenant=<id>`, no login): the city's maintenance notices — planned
 * stops and a stop under way — in Japanese or English. It reads only the public maintenance route.
 */
export function StatusPage() {
  const backend = useBackend();
  const tenant = tenantOfHash(window.location.hash);
  const [language, setLanguage] = useState<Locale>('ja');
  const [notices, setNotices] = useState<PublicMaintenanceView[] | null | 'failed'>(null);
  const shown = useUiLanguage(language);

  useEffect(() => {
    let current = true;
    backend.maintenanceStatus(tenant).then(
      (list) => current && setNotices(list),
      () => current && setNotices('failed'),
    );
    return () => {
      current = false;
    };
  }, [backend, tenant]);

  return (
    <main className="page page-narrow" lang={htmlLang(shown)} data-testid="status-page">
      <h1>{t('status.heading')}</h1>
      <p>
        <button type="button" className="button button-secondary" onClick={() => setLanguage('ja')} data-testid="status-ja">
          日本語
        </button>{' '}
        <button type="button" className="button button-secondary" onClick={() => setLanguage('en')} data-testid="status-en">
          English
        </button>
      </p>
      <p>{t('status.tenant', { tenant })}</p>
      {notices === 'failed' && (
        <p className="error-banner" role="alert">
          {t('status.failed')}
        </p>
      )}
      {Array.isArray(notices) && notices.length === 0 && <p data-testid="status-none">{t('status.none')}</p>}
      {Array.isArray(notices) && notices.map((n, i) => <MaintenanceNotice key={`${language}-${i}`} notice={n} />)}
    </main>
  );
}
