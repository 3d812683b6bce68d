import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { StationHoursView } from '../../api/types';
import { BackendError } from '../../backend';
import { FakeBackend } from '../../test/FakeBackend';
import { renderWithBackend } from '../../test/render';
import { closedDayLabel, StationHoursForm, withDays, yearEndDays } from './StationHoursForm';

const off: StationHoursView = { enabled: false, days: [1, 2, 3, 4, 5], open: '08:30', close: '17:15', closed_days: [] };

function saving(start: StationHoursView) {
  const saved: StationHoursView[] = [];
  const backend = new FakeBackend({
    stationHours: () => Promise.resolve(start),
    saveStationHours: (h) => {
      saved.push(h);
      return Promise.resolve(h);
    },
  });
  return { backend, saved };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('発行端末の受付時間', () => {
  it('sets weekdays and hours', async () => {
    const { backend, saved } = saving(off);
    renderWithBackend(<StationHoursForm />, backend);
    fireEvent.click(await screen.findByTestId('station-hours-enabled'));
    fireEvent.click(screen.getByTestId('station-hours-day-6'));
    fireEvent.click(screen.getByTestId('station-hours-day-1'));
    fireEvent.change(screen.getByTestId('station-hours-close'), { target: { value: '19:00' } });
    fireEvent.click(screen.getByTestId('station-hours-save'));
    expect((await screen.findByTestId('station-hours-done')).textContent).toBe('受付時間と休日を保存しました。');
    expect(saved).toEqual([{ enabled: true, days: [2, 3, 4, 5, 6], open: '08:30', close: '19:00', closed_days: [] }]);
  });

  it("shows the server's refusal", async () => {
    const backend = new FakeBackend({
      stationHours: () => Promise.resolve({ ...off, enabled: true }),
      saveStationHours: () =>
        Promise.reject(new BackendError('validation', { status: 400, message: '受付の開始は終了より前の時刻にしてください。' })),
    });
    renderWithBackend(<StationHoursForm />, backend);
    fireEvent.click(await screen.findByTestId('station-hours-save'));
    await waitFor(() => expect(screen.getByTestId('station-hours-problem').textContent).toContain('開始は終了より前'));
  });

  it('adds the 年末年始 in one click and a public holiday by date, shown in 和暦, and removes a day', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-20T01:00:00Z'));
    const { backend, saved } = saving({ ...off, closed_days: ['2026-05-06'] });
    renderWithBackend(<StationHoursForm />, backend);
    const list = await screen.findByTestId('station-closed-days');
    expect(within(list).getByText(/令和8年5月6日（水）/).textContent).toContain('過ぎた日');
    fireEvent.click(screen.getByTestId('station-closed-year-end'));
    // 成人の日 2027 (the second Monday of January), entered by the admin.
    fireEvent.change(screen.getByTestId('station-closed-date'), { target: { value: '2027-01-11' } });
    fireEvent.click(screen.getByTestId('station-closed-add'));
    const days = screen.getAllByTestId('station-closed-day').map((li) => li.textContent ?? '');
    expect(days).toHaveLength(8);
    expect(days[1]).toContain('令和8年12月29日（火）');
    expect(days[4]).toContain('令和9年1月1日（金）');
    expect(days[7]).toContain('令和9年1月11日（月）');
    fireEvent.click(screen.getByRole('button', { name: '令和9年1月11日（月）を休日から削除' }));
    fireEvent.click(screen.getByTestId('station-closed-remove-past'));
    fireEvent.click(screen.getByTestId('station-hours-save'));
    await screen.findByTestId('station-hours-done');
    expect(saved[0]?.closed_days).toEqual(['2026-12-29', '2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02', '2027-01-03']);
  });

  it('asks for a date before adding one', async () => {
    const { backend } = saving(off);
    renderWithBackend(<StationHoursForm />, backend);
    fireEvent.click(await screen.findByTestId('station-closed-add'));
    expect(screen.getByTestId('station-hours-problem').textContent).toBe('休日にする日を選んでください。');
    expect(screen.getByTestId('station-closed-none')).toBeTruthy();
  });
});

describe('closed days', () => {
  it('the 年末年始 preset is the one not over yet', () => {
    expect(yearEndDays('2026-11-20')).toEqual(['2026-12-29', '2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02', '2027-01-03']);
    expect(yearEndDays('2027-01-02')[0]).toBe('2026-12-29');
    expect(yearEndDays('2027-01-04')[0]).toBe('2027-12-29');
  });

  it('keeps each day once, in date order, and shows it in 和暦 with the weekday', () => {
    expect(withDays(['2027-01-01', '2026-12-31'], ['2026-12-31', '2026-12-30'])).toEqual(['2026-12-30', '2026-12-31', '2027-01-01']);
    expect(closedDayLabel('2026-12-27')).toBe('令和8年12月27日（日）');
  });
});
