import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { AuditSearchResult } from '../../../api/types';
import { errorMessage, useBackend } from '../../../backend';
import { formatWarekiDateTime, t } from '../../../i18n';
import { DISCLOSURE_ACTIONS } from './actions';
import { daysBefore, todayJst, validPeriod } from './period';

/**
 * 支援措置の開示: who showed a protected address, when, of which resident (宛名番号) or case, why and
 * at which counter, over a period — read from the audit log, for supervisors (`view_audit`).
 */
export function DisclosuresPanel() {
  const backend = useBackend();
  const [from, setFrom] = useState(() => daysBefore(todayJst(), 29));
  const [to, setTo] = useState(() => todayJst());
  const [page, setPage] = useState(1);
  const [result, setResult] = useState<AuditSearchResult | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const load = useCallback(
    async (period: { from: string; to: string }, p: number) => {
      setProblem(null);
      try {
        setResult(await backend.auditRecords({ ...period, action: DISCLOSURE_ACTIONS.join(','), page: p }));
        setPage(p);
      } catch (e) {
        setProblem(errorMessage(e));
      }
    },
    [backend],
  );

  useEffect(() => {
    void load({ from: daysBefore(todayJst(), 29), to: todayJst() }, 1);
  }, [load]);

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!validPeriod(from, to)) {
      setProblem(t('audit.periodInvalid'));
      return;
    }
    void load({ from, to }, 1);
  }

  const records = result?.records ?? [];
  return (
    <div data-testid="disclosures-panel">
      <p>{t('audit.disclosuresIntro')}</p>
      <form className="toolbar audit-search" onSubmit={submit} aria-label={t('audit.search')}>
        <label className="field">
          <span>{t('audit.from')}</span>
          <input type="date" required value={from} onChange={(e) => setFrom(e.target.value)} data-testid="disclosures-from" />
        </label>
        <label className="field">
          <span>{t('audit.to')}</span>
          <input type="date" required value={to} onChange={(e) => setTo(e.target.value)} data-testid="disclosures-to" />
        </label>
        <button type="submit" className="button button-primary" data-testid="disclosures-show">
          {t('audit.show')}
        </button>
      </form>
      {problem && (
        <div className="error-banner" role="alert" data-testid="disclosures-problem">
          {problem}
        </div>
      )}
      {result && records.length === 0 && page === 1 && (
        <p role="status" data-testid="disclosures-none">
          {t('audit.disclosuresNone')}
        </p>
      )}
      {records.length > 0 && (
        <table className="table" data-testid="disclosures-table">
          <caption>{t('audit.disclosuresTable')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('audit.colAt')}</th>
              <th scope="col">{t('audit.colUser')}</th>
              <th scope="col">{t('audit.colResident')}</th>
              <th scope="col">{t('audit.colReason')}</th>
              <th scope="col">{t('audit.colCounter')}</th>
              <th scope="col">{t('audit.colResult')}</th>
            </tr>
          </thead>
          <tbody>
            {records.map((r) => (
              <tr key={r.id} data-testid="disclosure-row">
                <th scope="row">{formatWarekiDateTime(r.at)}</th>
                <td>{r.user ?? ''}</td>
                <td data-testid="disclosure-subject">{r.subject ?? ''}</td>
                <td data-testid="disclosure-reason">{r.reason ?? ''}</td>
                <td>{r.counter ?? ''}</td>
                <td>{r.result}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {result && (page > 1 || result.has_more) && (
        <nav className="pager" aria-label={t('audit.pages')}>
          <button type="button" className="button button-secondary button-small" disabled={page <= 1} onClick={() => void load({ from, to }, page - 1)}>
            {t('audit.previous')}
          </button>
          <button type="button" className="button button-secondary button-small" disabled={!result.has_more} onClick={() => void load({ from, to }, page + 1)}>
            {t('audit.next')}
          </button>
        </nav>
      )}
    </div>
  );
}
