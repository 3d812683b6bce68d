import { useState, type FormEvent } from 'react';
import type { AuditQuery } from '../../../api/types';
import { t } from '../../../i18n';
import { COMMON_ACTIONS, actionLabel } from './actions';
import { validPeriod } from './period';

/** The search of the audit log without its page: a period and the filters given. */
export type AuditFilters = Omit<AuditQuery, 'page'>;

/**
 * The audit log's search form: period (required), user, counter, terminal, action (the common ones by
 * label) and subject. Enter searches; the CSV button exports what the form says.
 */
export function AuditSearchForm({
  initial,
  busy,
  onSearch,
  onCsv,
}: {
  initial: AuditFilters;
  busy: boolean;
  onSearch: (filters: AuditFilters) => void;
  onCsv: (filters: AuditFilters) => void;
}) {
  const [f, setF] = useState<Required<{ [K in keyof AuditFilters]: string }>>({
    from: initial.from,
    to: initial.to,
    user: initial.user ?? '',
    counter: initial.counter ?? '',
    terminal: initial.terminal ?? '',
    action: initial.action ?? '',
    subject: initial.subject ?? '',
  });
  const [problem, setProblem] = useState<string | null>(null);

  function filters(): AuditFilters | null {
    if (!validPeriod(f.from, f.to)) {
      setProblem(t('audit.periodInvalid'));
      return null;
    }
    setProblem(null);
    const out: AuditFilters = { from: f.from, to: f.to };
    for (const k of ['user', 'counter', 'terminal', 'action', 'subject'] as const) {
      const v = f[k].trim();
      if (v) out[k] = v;
    }
    return out;
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    const q = filters();
    if (q) onSearch(q);
  }

  const field = (key: 'user' | 'counter' | 'terminal' | 'subject', label: string) => (
    <label className="field">
      <span>{label}</span>
      <input
        value={f[key]}
        maxLength={100}
        onChange={(e) => setF({ ...f, [key]: e.target.value })}
        data-testid={`audit-${key}`}
      />
    </label>
  );

  return (
    <form className="toolbar audit-search" onSubmit={submit} aria-label={t('audit.search')} data-testid="audit-search">
      <label className="field">
        <span>{t('audit.from')}</span>
        <input type="date" required value={f.from} onChange={(e) => setF({ ...f, from: e.target.value })} data-testid="audit-from" />
      </label>
      <label className="field">
        <span>{t('audit.to')}</span>
        <input type="date" required value={f.to} onChange={(e) => setF({ ...f, to: e.target.value })} data-testid="audit-to" />
      </label>
      {field('user', t('audit.user'))}
      {field('counter', t('audit.counter'))}
      {field('terminal', t('audit.terminal'))}
      <label className="field">
        <span>{t('audit.action')}</span>
        <select value={f.action} onChange={(e) => setF({ ...f, action: e.target.value })} data-testid="audit-action">
          <option value="">{t('audit.actionAny')}</option>
          {COMMON_ACTIONS.map((a) => (
            <option key={a} value={a}>
              {actionLabel(a)}（{a}）
            </option>
          ))}
        </select>
      </label>
      {field('subject', t('audit.subject'))}
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={busy} data-testid="audit-show">
          {t('audit.show')}
        </button>
        <button
          type="button"
          className="button button-secondary"
          disabled={busy}
          onClick={() => {
            const q = filters();
            if (q) onCsv(q);
          }}
          data-testid="audit-csv"
        >
          {t('audit.csv')}
        </button>
      </div>
      {problem && (
        <div className="error-banner" role="alert" data-testid="audit-form-problem">
          {problem}
        </div>
      )}
    </form>
  );
}
