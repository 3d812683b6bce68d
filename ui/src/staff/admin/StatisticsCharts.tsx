import type { CaseStatistics } from '../../api/types';
import { BarChart } from '../../components/BarChart';
import { formatWareki, t, type MessageKey } from '../../i18n';

// The figures of the 統計 screen: a summary, the comparison with earlier periods, and one chart per
// breakdown with its table beside it (the table is the chart's accessible form and what people copy).

type Counts = CaseStatistics['by_day'];

const number = new Intl.NumberFormat('ja-JP');

function Chart({ title, rows, id }: { title: MessageKey; rows: Counts; id: string }) {
  const bars = rows.map((r) => ({ label: r.label, value: r.count }));
  return (
    <BarChart
      title={t(title)}
      bars={bars}
      unit={t('admin.statistics.unit')}
      testId={`statistics-chart-${id}`}
      table="visible"
    />
  );
}

function Summary({ stats }: { stats: CaseStatistics }) {
  const perCase = stats.cases_with_procedures
    ? (stats.procedures_found / stats.cases_with_procedures).toFixed(1)
    : '0';
  const median = stats.handling.median_minutes;
  return (
    <dl className="summary-list" data-testid="statistics-summary">
      <dt>{t('admin.statistics.total')}</dt>
      <dd data-testid="statistics-total">{number.format(stats.total)}</dd>
      <dt>{t('admin.statistics.closed')}</dt>
      <dd>{number.format(stats.handling.closed)}</dd>
      <dt>{t('admin.statistics.median')}</dt>
      <dd>{median == null ? t('admin.statistics.none') : t('admin.statistics.minutes', { n: median })}</dd>
      <dt>{t('admin.statistics.certificates')}</dt>
      <dd data-testid="statistics-certificates">{number.format(stats.certificates_issued)}</dd>
      <dt>{t('admin.statistics.proceduresFound')}</dt>
      <dd>
        {number.format(stats.procedures_found)}（
        {t('admin.statistics.proceduresPerCase', { n: perCase, cases: stats.cases_with_procedures })}）
      </dd>
    </dl>
  );
}

function period(from: string, to: string): string {
  return t('admin.statistics.period', { from: formatWareki(from), to: formatWareki(to) });
}

function Comparison({ stats }: { stats: CaseStatistics }) {
  return (
    <table className="table" data-testid="statistics-comparison">
      <caption>{t('admin.statistics.comparison')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('admin.statistics.comparisonPeriod')}</th>
          <th scope="col">{t('admin.statistics.comparisonTotal')}</th>
          <th scope="col">{t('admin.statistics.comparisonChange')}</th>
        </tr>
      </thead>
      <tbody>
        <tr>
          <th scope="row">
            {t('admin.statistics.thisPeriod')}（{period(stats.from, stats.to)}）
          </th>
          <td>{number.format(stats.total)}</td>
          <td />
        </tr>
        {stats.comparison.map((p) => {
          const change = stats.total - p.total;
          return (
            <tr key={p.key} data-testid={`statistics-comparison-${p.key}`}>
              <th scope="row">
                {p.label}（{period(p.from, p.to)}）
              </th>
              <td>{number.format(p.total)}</td>
              <td>{`${change > 0 ? '+' : ''}${number.format(change)}`}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** Every figure of the period. */
export function StatisticsCharts({ stats }: { stats: CaseStatistics }) {
  return (
    <section aria-labelledby="statistics-figures" data-testid="statistics-figures">
      <h2 id="statistics-figures">
        {t('admin.statistics.summary')}（{period(stats.from, stats.to)}）
      </h2>
      <Summary stats={stats} />
      {stats.total === 0 && <p data-testid="statistics-empty">{t('admin.statistics.empty')}</p>}
      <Comparison stats={stats} />
      <div className="chart-grid">
        <Chart title="admin.statistics.byDay" rows={stats.by_day} id="day" />
        <Chart title="admin.statistics.byHour" rows={stats.by_hour} id="hour" />
        <Chart title="admin.statistics.byWeekday" rows={stats.by_weekday} id="weekday" />
        <Chart title="admin.statistics.byChannel" rows={stats.by_channel} id="channel" />
        <Chart title="admin.statistics.byCounter" rows={stats.by_counter} id="counter" />
        <Chart title="admin.statistics.byStaff" rows={stats.by_staff} id="staff" />
        <Chart title="admin.statistics.byNotification" rows={stats.by_notification} id="notification" />
        <Chart title="admin.statistics.byProcedure" rows={stats.by_procedure} id="procedure" />
        <Chart title="admin.statistics.handling" rows={stats.handling.buckets} id="handling" />
        <Chart title="admin.statistics.byItem" rows={stats.certificates_by_item} id="item" />
      </div>
    </section>
  );
}
