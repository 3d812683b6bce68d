import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { CaseStatistics } from '../../api/types';
import { errorMessage, useBackend } from '../../backend';
import { t } from '../../i18n';
import { StatisticsCharts } from './StatisticsCharts';

// 統計 (`#/staff/admin/statistics`, admins): the period's cases by day, hour, weekday, channel, counter,
// staff, 届出 and procedure, the handling time, certificates and the comparison with earlier periods,
// as charts with their tables; the same figures as CSV (counts under 5 written `<5` by the server), and
// the 対応履歴 export of the period. Charts are Apache ECharts (`components/BarChart`): maintained,
// tree-shaken to the bar chart, drawn as SVG (sharp when printed, testable) with its own aria
// description; the table beside each chart is its accessible form.

export const STATISTICS_PATH = '/staff/admin/statistics';

/** Today in Japan, `YYYY-MM-DD`. */
export function todayJst(now = new Date()): string {
  return new Date(now.getTime() + 9 * 3600_000).toISOString().slice(0, 10);
}

/** The quick periods: this month so far, last month, this year so far. */
export function presets(today: string): Record<'thisMonth' | 'lastMonth' | 'thisYear', [string, string]> {
  const [y, m] = [Number(today.slice(0, 4)), Number(today.slice(5, 7))];
  const pad = (n: number) => String(n).padStart(2, '0');
  const lastY = m === 1 ? y - 1 : y;
  const lastM = m === 1 ? 12 : m - 1;
  const lastDay = new Date(Date.UTC(lastY, lastM, 0)).getUTCDate();
  return {
    thisMonth: [`${y}-${pad(m)}-01`, today],
    lastMonth: [`${lastY}-${pad(lastM)}-01`, `${lastY}-${pad(lastM)}-${pad(lastDay)}`],
    thisYear: [`${y}-01-01`, today],
  };
}

/** Saves `text` as a file (with the BOM Excel needs to read UTF-8). */
function save(text: string, name: string) {
  const withBom = text.startsWith('\ufeff') ? text : `\ufeff${text}`;
  const url = URL.createObjectURL(new Blob([withBom], { type: 'text/csv' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}

export function StatisticsPage() {
  const backend = useBackend();
  const [from, setFrom] = useState(() => presets(todayJst()).thisMonth[0]);
  const [to, setTo] = useState(() => todayJst());
  const [stats, setStats] = useState<CaseStatistics | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const load = useCallback(
    async (a: string, b: string) => {
      setProblem(null);
      setBusy(true);
      try {
        setStats(await backend.caseStatistics(a, b));
      } catch (e) {
        setProblem(errorMessage(e));
      } finally {
        setBusy(false);
      }
    },
    [backend],
  );

  useEffect(() => {
    const [a, b] = presets(todayJst()).thisMonth;
    void load(a, b);
  }, [load]);

  function submit(e: FormEvent) {
    e.preventDefault();
    void load(from, to);
  }

  function pick(key: keyof ReturnType<typeof presets>) {
    const [a, b] = presets(todayJst())[key];
    setFrom(a);
    setTo(b);
    void load(a, b);
  }

  async function download(kind: 'statistics' | 'case-history') {
    setProblem(null);
    setMessage(null);
    try {
      const text = kind === 'statistics' ? await backend.caseStatisticsCsv(from, to) : await backend.caseHistoryCsv(from, to);
      const name = `${kind}-${from}-${to}.csv`;
      save(text, name);
      setMessage(t('admin.statistics.downloaded', { name }));
    } catch (e) {
      setProblem(errorMessage(e));
    }
  }

  return (
    <main className="page" aria-labelledby="statistics-title" data-testid="admin-statistics">
      <h1 id="statistics-title">{t('admin.statistics.title')}</h1>
      <form className="toolbar" onSubmit={submit} aria-label={t('admin.statistics.title')}>
        <label className="field">
          <span>{t('admin.statistics.from')}</span>
          <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} data-testid="statistics-from" />
        </label>
        <label className="field">
          <span>{t('admin.statistics.to')}</span>
          <input type="date" value={to} onChange={(e) => setTo(e.target.value)} data-testid="statistics-to" />
        </label>
        <button type="submit" className="button button-primary" disabled={busy} data-testid="statistics-show">
          {t('admin.statistics.show')}
        </button>
        {(['thisMonth', 'lastMonth', 'thisYear'] as const).map((key) => (
          <button key={key} type="button" className="button button-secondary" onClick={() => pick(key)} data-testid={`statistics-${key}`}>
            {t(`admin.statistics.${key}`)}
          </button>
        ))}
      </form>
      <div className="toolbar">
        <button type="button" className="button button-secondary" onClick={() => void download('statistics')} data-testid="statistics-csv">
          {t('admin.statistics.csv')}
        </button>
        <button type="button" className="button button-secondary" onClick={() => void download('case-history')} data-testid="statistics-history-csv">
          {t('admin.statistics.historyCsv')}
        </button>
      </div>
      <p className="hint">{t('admin.statistics.csvNote')}</p>
      {problem && (
        <div className="error-banner" role="alert" data-testid="statistics-problem">
          {problem}
        </div>
      )}
      {message && (
        <p className="notice" role="status" data-testid="statistics-message">
          {message}
        </p>
      )}
      {busy && <p role="status">{t('admin.statistics.loading')}</p>}
      {stats && <StatisticsCharts stats={stats} />}
    </main>
  );
}
