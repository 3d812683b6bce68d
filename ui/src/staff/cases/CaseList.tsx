import { useEffect, useState, type FormEvent } from 'react';
import type { CaseSummary } from '../../api/types';
import { errorMessage, useBackend } from '../../backend';
import { t } from '../../i18n';
import { navigate } from '../../router';
import { useLoaded } from '../visit/useLoaded';

/** Past cases by date, staff member, procedure and status (出雲 K37-40); Enter opens one. */
export function CaseList() {
  const backend = useBackend();
  const today = new Date(Date.now() + 9 * 3600 * 1000).toISOString().slice(0, 10);
  const [from, setFrom] = useState(today);
  const [to, setTo] = useState(today);
  const [staff, setStaff] = useState('');
  const [procedure, setProcedure] = useState('');
  const [status, setStatus] = useState('');
  const [cases, setCases] = useState<CaseSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const catalog = useLoaded((b) => b.procedures()) ?? [];

  async function search(e?: FormEvent) {
    e?.preventDefault();
    setError(null);
    try {
      setCases(await backend.listCases({ from, to, staff, procedure, status }));
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  useEffect(() => {
    void search();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return (
    <section className="panel" aria-labelledby="cases-title" data-testid="case-list">
      <h1 id="cases-title">{t('cases.title')}</h1>
      <form className="form-grid" onSubmit={search}>
        <div className="field">
          <label htmlFor="cases-from">{t('cases.from')}</label>
          <input id="cases-from" type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="cases-to">{t('cases.to')}</label>
          <input id="cases-to" type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="cases-staff">{t('cases.staff')}</label>
          <input id="cases-staff" value={staff} onChange={(e) => setStaff(e.target.value)} data-testid="cases-staff" />
        </div>
        <div className="field">
          <label htmlFor="cases-procedure">{t('cases.procedure')}</label>
          <select id="cases-procedure" value={procedure} onChange={(e) => setProcedure(e.target.value)}>
            <option value="">{t('cases.anyProcedure')}</option>
            {catalog.map((p) => (
              <option key={p.code} value={p.code}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="cases-status">{t('cases.status')}</label>
          <select id="cases-status" value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">{t('cases.anyStatus')}</option>
            <option value="open">{t('visit.status.open')}</option>
            <option value="applied">{t('visit.status.applied')}</option>
            <option value="reviewed">{t('visit.status.reviewed')}</option>
            <option value="closed">{t('visit.status.closed')}</option>
          </select>
        </div>
        <button type="submit" className="button button-primary" data-testid="cases-search">
          {t('cases.search')} <kbd>Enter</kbd>
        </button>
      </form>
      {error && (
        <div className="error-banner" role="alert">
          {error}
        </div>
      )}
      {cases && (
        <>
          <p role="status">{cases.length === 0 ? t('cases.none') : t('cases.count', { count: cases.length })}</p>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('cases.openedAt')}</th>
                <th scope="col">{t('cases.titleCol')}</th>
                <th scope="col">{t('cases.status')}</th>
                <th scope="col">{t('cases.openedBy')}</th>
                <th scope="col">{t('cases.updatedBy')}</th>
                <th scope="col" />
              </tr>
            </thead>
            <tbody>
              {cases.map((c) => (
                <tr key={c.id} data-testid="case-row" data-case-id={c.id}>
                  <td>{new Date(c.opened_at).toLocaleString('ja-JP', { timeZone: 'Asia/Tokyo' })}</td>
                  <th scope="row">{c.title}</th>
                  <td>{c.status_label}</td>
                  <td>
                    {c.opened_by}（{c.opened_counter}）
                  </td>
                  <td>{c.updated_by}</td>
                  <td>
                    <button
                      type="button"
                      className="button button-secondary"
                      onClick={() => navigate(`/staff/case/${encodeURIComponent(c.id)}`)}
                      data-testid="case-open"
                    >
                      {t('cases.open')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
