import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { StationHoursView } from '../../api/types';
import { BackendError } from '../../backend';
import { FakeBackend } from '../../test/FakeBackend';
import { renderWithBackend } from '../../test/render';
import { StationHoursForm } from './StationHoursForm';

const off: StationHoursView = { enabled: false, days: [1, 2, 3, 4, 5], open: '08:30', close: '17:15' };

describe('発行端末の受付時間', () => {
  it('sets weekdays and hours', async () => {
    const saved: StationHoursView[] = [];
    const backend = new FakeBackend({
      stationHours: () => Promise.resolve(off),
      saveStationHours: (h) => {
        saved.push(h);
        return Promise.resolve(h);
      },
    });
    renderWithBackend(<StationHoursForm />, backend);
    fireEvent.click(await screen.findByTestId('station-hours-enabled'));
    fireEvent.click(screen.getByTestId('station-hours-day-6'));
    fireEvent.click(screen.getByTestId('station-hours-day-1'));
    fireEvent.change(screen.getByTestId('station-hours-close'), { target: { value: '19:00' } });
    fireEvent.click(screen.getByTestId('station-hours-save'));
    expect((await screen.findByTestId('station-hours-done')).textContent).toBe('受付時間を保存しました。');
    expect(saved).toEqual([{ enabled: true, days: [2, 3, 4, 5, 6], open: '08:30', close: '19:00' }]);
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
});
