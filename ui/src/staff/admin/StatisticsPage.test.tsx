import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { CaseStatistics } from '../../api/types';
import { BackendError } from '../../backend/Backend';
import { FakeBackend } from '../../test/FakeBackend';
import { renderWithBackend } from '../../test/render';
import { ADMIN_SCREENS } from './screens';
import { StatisticsPage, presets } from './StatisticsPage';

const zero = (labels: string[]) => labels.map((label, i) => ({ key: String(i), label, count: 0 }));

const stats: CaseStatistics = {
  from: '2026-12-01',
  to: '2026-12-07',
  total: 12,
  by_day: [
    { key: '2026-12-01', label: '12月1日', count: 5 },
    { key: '2026-12-02', label: '12月2日', count: 7 },
  ],
  by_hour: zero(['9時', '10時']),
  by_weekday: zero(['月', '火']),
  by_channel: [
    { key: 'counter', label: '窓口', count: 10 },
    { key: 'kiosk', label: 'キオスク端末', count: 2 },
    { key: 'station', label: '証明書発行端末', count: 0 },
  ],
  by_counter: [{ key: 'shimin-1', label: '市民課1番', count: 12 }],
  by_staff: [{ key: 'sato', label: 'sato', count: 12 }],
  by_notification: [{ key: '転入', label: '転入', count: 4 }],
  by_procedure: [{ key: 'JUKI-TENNYU', label: '転入届', count: 4 }],
  procedures_found: 9,
  cases_with_procedures: 4,
  handling: { closed: 3, median_minutes: 25, buckets: zero(['15分未満', '15分以上30分未満']) },
  certificates_issued: 6,
  certificates_by_item: [{ key: 'JUMINHYO', label: '住民票の写し', count: 6 }],
  comparison: [
    { key: 'previous', label: '前の期間', from: '2026-11-01', to: '2026-11-30', total: 20 },
    { key: 'last_year', label: '前年同期', from: '2025-12-01', to: '2025-12-07', total: 10 },
  ],
};

describe('StatisticsPage', () => {
  it('draws every breakdown as a chart with its table, the summary and the comparison', async () => {
    const backend = new FakeBackend({ caseStatistics: () => Promise.resolve(stats) });
    renderWithBackend(<StatisticsPage />, backend);
    expect((await screen.findByTestId('statistics-total')).textContent).toBe('12');
    expect(screen.getByTestId('statistics-certificates').textContent).toBe('6');
    expect(screen.getByTestId('statistics-summary').textContent).toContain('25分');
    expect(screen.getByTestId('statistics-summary').textContent).toContain('1件あたり 2.3 件');
    const day = screen.getByTestId('statistics-chart-day');
    expect(day.querySelector('svg')).not.toBeNull();
    const cells = within(day).getAllByRole('row').map((r) => r.textContent);
    expect(cells).toEqual(['12月1日5件', '12月2日7件']);
    for (const id of ['hour', 'weekday', 'channel', 'counter', 'staff', 'notification', 'procedure', 'handling', 'item']) {
      expect(screen.getByTestId(`statistics-chart-${id}`).querySelector('table')).not.toBeNull();
    }
    expect(screen.getByTestId('statistics-comparison-previous').textContent).toBe('前の期間（令和8年11月1日〜令和8年11月30日）20-8');
    expect(screen.getByTestId('statistics-comparison-last_year').textContent).toContain('+2');
  });

  it('picks a period, downloads the statistics and the 対応履歴', async () => {
    const backend = new FakeBackend({
      caseStatistics: () => Promise.resolve(stats),
      caseStatisticsCsv: () => Promise.resolve('\ufeff区分,キー,項目,件数\r\n'),
      caseHistoryCsv: () => Promise.resolve('\ufeff日時,案件ID,窓口,窓口名,端末,職員,宛名番号,内容\r\n'),
    });
    globalThis.URL.createObjectURL ??= () => 'blob:x';
    globalThis.URL.revokeObjectURL ??= () => undefined;
    renderWithBackend(<StatisticsPage />, backend);
    await screen.findByTestId('statistics-total');
    fireEvent.change(screen.getByTestId('statistics-from'), { target: { value: '2026-11-01' } });
    fireEvent.change(screen.getByTestId('statistics-to'), { target: { value: '2026-11-30' } });
    fireEvent.click(screen.getByTestId('statistics-show'));
    await waitFor(() => expect(backend.callsOf('caseStatistics')).toHaveLength(2));
    expect(backend.callsOf('caseStatistics')[1]).toEqual(['2026-11-01', '2026-11-30']);
    fireEvent.click(screen.getByTestId('statistics-csv'));
    expect((await screen.findByTestId('statistics-message')).textContent).toContain('statistics-2026-11-01-2026-11-30.csv');
    fireEvent.click(screen.getByTestId('statistics-history-csv'));
    await waitFor(() => expect(backend.callsOf('caseHistoryCsv')).toEqual([['2026-11-01', '2026-11-30']]));
  });

  it("shows the server's refusal", async () => {
    const backend = new FakeBackend({
      caseStatistics: () => Promise.reject(new BackendError('validation', { status: 400, message: '期間は366日以内で指定してください。' })),
    });
    renderWithBackend(<StatisticsPage />, backend);
    expect((await screen.findByTestId('statistics-problem')).textContent).toBe('期間は366日以内で指定してください。');
  });

  it('knows this month, last month (across the new year) and this year', () => {
    expect(presets('2026-12-07')).toEqual({
      thisMonth: ['2026-12-01', '2026-12-07'],
      lastMonth: ['2026-11-01', '2026-11-30'],
      thisYear: ['2026-01-01', '2026-12-07'],
    });
    expect(presets('2027-01-15').lastMonth).toEqual(['2026-12-01', '2026-12-31']);
    expect(presets('2028-03-02').lastMonth).toEqual(['2028-02-01', '2028-02-29']);
  });

  it('is in the admin menu for admins only', () => {
    const entry = ADMIN_SCREENS.find((s) => s.path === '/staff/admin/statistics');
    expect(entry?.may(['admin'])).toBe(true);
    expect(entry?.may(['view_audit', 'search'])).toBe(false);
  });
});
