import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { CertificateListItem, CertificateStatistics } from '../../api/types';
import { errorMessage, useBackend } from '../../backend';
import { BarChart } from '../../components/BarChart';
import { formatWarekiDateTime, t } from '../../i18n';
import { printOnTerminal } from '../printing';

// 発行履歴・統計 (`#/staff/certificate-history`): every certificate issued in a period (at the counter
// and from the issuance stations), found by period or 発行番号, each reprinted for a stated reason (the
// same sheet again, audited); and the period's counts by day, hour, certificate and counter as charts,
// with the CSV for the city's own reports.

export const CERTIFICATE_HISTORY_PATH = '/staff/certificate-history';

/** Today in Japan, `YYYY-MM-DD`. */
function todayJst(now = new Date()): string {
  return new Date(now.getTime() + 9 * 3600_000).toISOString().slice(0, 10);
}

/** The first day of this month in Japan. */
function monthStart(today: string): string {
  return `${today.slice(0, 8)}01`;
}

export function CertificateHistoryPage() {
  const backend = useBackend();
  const today = todayJst();
  const [from, setFrom] = useState(monthStart(today));
  const [to, setTo] = useState(today);
  const [number, setNumber] = useState('');
  const [list, setList] = useState<CertificateListItem[] | null>(null);
  const [stats, setStats] = useState<CertificateStatistics | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [pdfUrl, setPdfUrl] = useState<string | null>(null);

  const load = useCallback(
    async (period: { from: string; to: string }, issueNo: string) => {
      setProblem(null);
      try {
        const query = issueNo.trim() ? { ...period, issue_no: issueNo.trim() } : period;
        const [items, counts] = await Promise.all([
          backend.certificateHistory(query),
          backend.certificateStatistics(period.from, period.to),
        ]);
        setList(items);
        setStats(counts);
      } catch (e) {
        setProblem(errorMessage(e));
      }
    },
    [backend],
  );

  useEffect(() => {
    void load({ from: monthStart(todayJst()), to: todayJst() }, '');
  }, [load]);

  useEffect(() => () => void (pdfUrl && URL.revokeObjectURL(pdfUrl)), [pdfUrl]);

  function submit(e: FormEvent) {
    e.preventDefault();
    void load({ from, to }, number);
  }

  async function downloadCsv() {
    try {
      const csv = await backend.certificateStatisticsCsv(from, to);
      // Decoding the answer as text drops the BOM that tells Excel it is UTF-8: put it back.
      const withBom = csv.startsWith('\ufeff') ? csv : `\ufeff${csv}`;
      const url = URL.createObjectURL(new Blob([withBom], { type: 'text/csv' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `certificate-statistics-${from}-${to}.csv`;
      a.click();
      URL.revokeObjectURL(url);
    } catch (e) {
      setProblem(errorMessage(e));
    }
  }

  async function reprint(item: CertificateListItem) {
    const reason = window.prompt(t('history.reprintReason', { no: item.issue_no }));
    if (!reason || !reason.trim()) return;
    setMessage(null);
    try {
      const printed = await backend.reprintCertificate(item.issue_no, reason.trim());
      const sent = await printOnTerminal(backend.terminal, printed.pdf);
      if (sent?.kind === 'failed') setProblem(sent.message);
      else {
        if (!sent) setPdfUrl(URL.createObjectURL(printed.pdf));
        setMessage(t('history.reprinted', { no: item.issue_no }));
      }
    } catch (e) {
      setProblem(errorMessage(e));
    }
  }

  return (
    <main className="page" aria-labelledby="history-title" data-testid="certificate-history">
      <h1 id="history-title">{t('history.title')}</h1>
      <form className="toolbar" onSubmit={submit} aria-label={t('history.search')}>
        <label className="field">
          <span>{t('history.from')}</span>
          <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} data-testid="history-from" />
        </label>
        <label className="field">
          <span>{t('history.to')}</span>
          <input type="date" value={to} onChange={(e) => setTo(e.target.value)} data-testid="history-to" />
        </label>
        <label className="field">
          <span>{t('history.issueNo')}</span>
          <input value={number} onChange={(e) => setNumber(e.target.value)} placeholder="R08-000123" data-testid="history-number" />
        </label>
        <button type="submit" className="button button-primary" data-testid="history-show">
          {t('history.show')}
        </button>
      </form>
      {problem && (
        <div className="error-banner" role="alert" data-testid="history-problem">
          {problem}
        </div>
      )}
      {message && (
        <p className="notice" role="status" data-testid="history-message">
          {message}
        </p>
      )}
      {pdfUrl && (
        <p>
          <a href={pdfUrl} target="_blank" rel="noreferrer" data-testid="history-pdf">
            {t('queue.openPdf')}
          </a>
        </p>
      )}
      {stats && <Statistics stats={stats} onCsv={() => void downloadCsv()} />}
      {list && <History list={list} onReprint={(i) => void reprint(i)} />}
    </main>
  );
}

function Statistics({ stats, onCsv }: { stats: CertificateStatistics; onCsv: () => void }) {
  const bars = (rows: CertificateStatistics['by_day']) => rows.map((r) => ({ label: r.label, value: r.count }));
  return (
    <section aria-labelledby="stats-title" data-testid="history-statistics">
      <h2 id="stats-title">{t('history.statistics')}</h2>
      <p data-testid="history-total">{t('history.total', { total: stats.total, revoked: stats.revoked })}</p>
      <button type="button" className="button button-secondary" onClick={onCsv} data-testid="history-csv">
        {t('history.csv')}
      </button>
      <div className="chart-grid">
        <BarChart title={t('history.byDay')} bars={bars(stats.by_day)} unit={t('history.unit')} testId="chart-day" />
        <BarChart title={t('history.byHour')} bars={bars(stats.by_hour)} unit={t('history.unit')} testId="chart-hour" />
        <BarChart title={t('history.byItem')} bars={bars(stats.by_item)} unit={t('history.unit')} testId="chart-item" />
        <BarChart title={t('history.byPlace')} bars={bars(stats.by_place)} unit={t('history.unit')} testId="chart-place" />
      </div>
    </section>
  );
}

function History({ list, onReprint }: { list: CertificateListItem[]; onReprint: (item: CertificateListItem) => void }) {
  if (list.length === 0) return <p data-testid="history-empty">{t('history.empty')}</p>;
  return (
    <table className="table" data-testid="history-table">
      <caption>{t('history.list', { n: list.length })}</caption>
      <thead>
        <tr>
          <th scope="col">{t('history.issueNo')}</th>
          <th scope="col">{t('history.at')}</th>
          <th scope="col">{t('history.certificate')}</th>
          <th scope="col">{t('history.name')}</th>
          <th scope="col">{t('history.place')}</th>
          <th scope="col">{t('history.by')}</th>
          <th scope="col">{t('history.state')}</th>
          <th scope="col">{t('history.actions')}</th>
        </tr>
      </thead>
      <tbody>
        {list.map((c) => (
          <tr key={c.issue_no} data-testid={`history-row-${c.issue_no}`}>
            <td>{c.issue_no}</td>
            <td>{formatWarekiDateTime(c.issued_at)}</td>
            <td>{c.title}</td>
            <td>{c.name}</td>
            <td>{c.place_name || c.place}</td>
            <td>{c.issued_by}</td>
            <td>{c.revoked_at ? t('history.revoked', { reason: c.revoke_reason ?? '' }) : t('history.valid')}</td>
            <td>
              {!c.revoked_at && (
                <button type="button" className="button button-secondary" onClick={() => onReprint(c)} data-testid={`history-reprint-${c.issue_no}`}>
                  {t('history.reprint')}
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
