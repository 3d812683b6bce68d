import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { StationSetupInput, StationSetupsView } from '../../api/types';
import { BackendError } from '../../backend';
import { FakeBackend } from '../../test/FakeBackend';
import { renderWithBackend } from '../../test/render';
import { StationSetupsPage } from './StationSetupsPage';

const items = [
  { item: 'JUMINHYO', name: '住民票の写し' },
  { item: 'INKAN-SHOMEI', name: '印鑑登録証明書' },
];
const view: StationSetupsView = {
  items,
  stations: [
    { terminal: 'station-01', name: '1階 発行端末', configured: false, offers: ['JUMINHYO', 'INKAN-SHOMEI'], auto_print: false, tower: false, show_fees: true },
  ],
};
const hours = { enabled: false, days: [1, 2, 3, 4, 5], open: '08:30', close: '17:15', closed_days: [] };

describe('発行端末の設定', () => {
  it('sets a station to offer one certificate, print automatically and light the tower', async () => {
    const saved: Array<[string, StationSetupInput]> = [];
    const backend = new FakeBackend({
      stationSetups: () => Promise.resolve(view),
      stationHours: () => Promise.resolve(hours),
      saveStationSetup: (terminal, setup) => {
        saved.push([terminal, setup]);
        return Promise.resolve({ ...setup, terminal, name: '1階 発行端末', configured: true });
      },
    });
    renderWithBackend(<StationSetupsPage permissions={['admin']} />, backend);
    expect(await screen.findByText(/未設定です/)).toBeTruthy();
    fireEvent.click(screen.getByTestId('station-offer-station-01-JUMINHYO'));
    fireEvent.click(screen.getByTestId('station-auto-station-01'));
    fireEvent.click(screen.getByTestId('station-tower-station-01'));
    fireEvent.click(screen.getByTestId('station-fees-station-01'));
    fireEvent.click(screen.getByTestId('station-save-station-01'));
    expect((await screen.findByTestId('station-message-station-01')).textContent).toBe('1階 発行端末 の設定を保存しました。');
    expect(saved).toEqual([['station-01', { offers: ['INKAN-SHOMEI'], auto_print: true, tower: true, show_fees: false, hours: null }]]);
    expect(screen.queryByText(/未設定です/)).toBeNull();
    // Offered again, it goes back to its place among the tiles.
    fireEvent.click(screen.getByTestId('station-offer-station-01-JUMINHYO'));
    fireEvent.click(screen.getByTestId('station-save-station-01'));
    await waitFor(() => expect(saved).toHaveLength(2));
    expect(saved[1]?.[1].offers).toEqual(['JUMINHYO', 'INKAN-SHOMEI']);
    expect(await screen.findByTestId('station-hours')).toBeTruthy();
  });

  it('gives a 支所 station its own hours with 土曜, and puts it back on the city\'s', async () => {
    const saved: Array<[string, StationSetupInput]> = [];
    const backend = new FakeBackend({
      stationSetups: () => Promise.resolve(view),
      stationHours: () => Promise.resolve(hours),
      saveStationSetup: (terminal, setup) => {
        saved.push([terminal, setup]);
        return Promise.resolve({ ...setup, terminal, name: '1階 発行端末', configured: true });
      },
    });
    renderWithBackend(<StationSetupsPage permissions={['admin']} />, backend);
    const city = (await screen.findByTestId('station-city-hours-station-01')) as HTMLInputElement;
    expect(city.checked).toBe(true);
    expect(screen.queryByTestId('station-own-open-station-01')).toBeNull();
    fireEvent.click(screen.getByTestId('station-own-hours-station-01'));
    fireEvent.click(screen.getByTestId('station-own-day-station-01-6'));
    fireEvent.change(screen.getByTestId('station-own-open-station-01'), { target: { value: '09:00' } });
    fireEvent.click(screen.getByTestId('station-save-station-01'));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(saved[0]?.[1].hours).toEqual({ days: [1, 2, 3, 4, 5, 6], open: '09:00', close: '17:15' });
    fireEvent.click(screen.getByTestId('station-city-hours-station-01'));
    fireEvent.click(screen.getByTestId('station-save-station-01'));
    await waitFor(() => expect(saved).toHaveLength(2));
    expect(saved[1]?.[1].hours).toBeNull();
    // The own hours are kept while the city's apply, for choosing them again.
    fireEvent.click(screen.getByTestId('station-own-hours-station-01'));
    expect((screen.getByTestId('station-own-open-station-01') as HTMLInputElement).value).toBe('09:00');
  });

  it("shows the server's refusal and is closed to non-admins", async () => {
    const backend = new FakeBackend({
      stationSetups: () => Promise.resolve(view),
      stationHours: () => Promise.resolve(hours),
      saveStationSetup: () => Promise.reject(new BackendError('validation', { status: 400, message: '発行する証明書を1つ以上選んでください。' })),
    });
    renderWithBackend(<StationSetupsPage permissions={['admin']} />, backend);
    fireEvent.click(await screen.findByTestId('station-save-station-01'));
    expect((await screen.findByTestId('station-message-station-01')).textContent).toContain('1つ以上');

    const other = new FakeBackend({});
    renderWithBackend(<StationSetupsPage permissions={['issue_certificates']} />, other);
    expect(screen.getByText('この画面は管理者のみ利用できます。')).toBeTruthy();
    expect(other.callsOf('stationSetups')).toHaveLength(0);
  });
});
