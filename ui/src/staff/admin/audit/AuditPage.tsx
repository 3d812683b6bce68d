import { useRef, useState, type KeyboardEvent } from 'react';
import { t } from '../../../i18n';
import { AuditChainStatus } from './AuditChainStatus';
import { AuditRecordsPanel } from './AuditRecordsPanel';
import { DisclosuresPanel } from './DisclosuresPanel';

// 監査ログ (`#/staff/admin/audit`, permission `view_audit`): the audit log searched and exported, the
// chain verified, and the 支援措置 disclosures listed. Every search, export and check is audited by
// the server.

export const AUDIT_PATH = '/staff/admin/audit';

/** Whether a user with these permissions may open the audit screen. */
export function mayViewAudit(permissions: readonly string[]): boolean {
  return permissions.includes('view_audit');
}

type Tab = 'records' | 'disclosures';
const TABS: readonly Tab[] = ['records', 'disclosures'];

export function AuditPage({ permissions }: { permissions: readonly string[] }) {
  const [tab, setTab] = useState<Tab>('records');
  const buttons = useRef<Record<Tab, HTMLButtonElement | null>>({ records: null, disclosures: null });

  if (!mayViewAudit(permissions)) {
    return (
      <main className="page" aria-labelledby="audit-title">
        <h1 id="audit-title">{t('audit.title')}</h1>
        <p role="alert" data-testid="audit-no-permission">
          {t('audit.noPermission')}
        </p>
      </main>
    );
  }

  // ←/→ move between the tabs (the WAI-ARIA tabs pattern).
  function onKey(e: KeyboardEvent<HTMLButtonElement>) {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
    e.preventDefault();
    const next = TABS[(TABS.indexOf(tab) + (e.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length] ?? tab;
    setTab(next);
    buttons.current[next]?.focus();
  }

  const label = (k: Tab) => (k === 'records' ? t('audit.tabRecords') : t('audit.tabDisclosures'));
  return (
    <main className="page" aria-labelledby="audit-title" data-testid="audit-page">
      <h1 id="audit-title">{t('audit.title')}</h1>
      <div role="tablist" aria-label={t('audit.tabs')} className="tabs">
        {TABS.map((k) => (
          <button
            key={k}
            type="button"
            role="tab"
            id={`audit-tab-${k}`}
            aria-selected={tab === k}
            aria-controls={`audit-panel-${k}`}
            tabIndex={tab === k ? 0 : -1}
            className={tab === k ? 'tab tab-active' : 'tab'}
            ref={(el) => {
              buttons.current[k] = el;
            }}
            onClick={() => setTab(k)}
            onKeyDown={onKey}
            data-testid={`audit-tab-${k}`}
          >
            {label(k)}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`audit-panel-${tab}`} aria-labelledby={`audit-tab-${tab}`}>
        {tab === 'records' ? (
          <>
            <AuditRecordsPanel />
            <AuditChainStatus />
          </>
        ) : (
          <DisclosuresPanel />
        )}
      </div>
    </main>
  );
}
