import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { StationSetupInput, StationSetupsView } from '../../api/types';
import { BackendError } from '../../backend';
import { FakeBackend } from '../../test/FakeBackend';
import { renderWithBackend } from '../../test/render';
import { StationSetupsPage } from './StationSetupsPage';

const items = [
  { item: 'JUMINHYO', name: '住民票の写し' },
  { item: 'KISAI-JIKOU', name: '住民票記載事項証明書' },
  { item: 'INKAN-SHOMEI', name: '印鑑登録証明書' },
  { item: 'SHOTOKU-SHOMEI', name: '所得・課税証明書' },
];
const view: StationSetupsView = {
  items,
  stations: [
    { terminal: 'station-01', name: '1階 発行端末', configured: false, offers: ['JUMINHYO', 'INKAN-SHOMEI'], auto_print: false, tower: false, show_fees: true },
  ],
};
const hours = { enabled: false, days: [1, 2, 3, 4, 5], open: '08:30', close: '17:15', closed_days: [] };

describe('発行端末の設定', () => {
  it("shows each station's printers, signal tower and paper as last reported, or that none came", async () => {
    const reported: StationSetupsView = {
      items,
      stations: [
        {
          ...view.stations[0]!,
          devices: {
            reported_at: '2026-12-01T01:05:00Z',
            app_version: '0.9.0',
            receipt_printer: { kind: 'tcp', name: '192.0.2.10:9100' },
            document_printer: { kind: 'system', name: 'Backoffice-A4' },
            signal_tower: { kind: 'mock' },
            card_reader: null,
            card_state: 'ready',
            receipt_paper_out: true,
          },
        },
        { ...view.stations[0]!, terminal: 'station-02', name: '2階 発行端末', devices: null },
      ],
    };
    const backend = new FakeBackend({
      stationSetups: () => Promise.resolve(reported),
      stationHours: () => Promise.resolve(hours),
    });
    renderWithBackend(<StationSetupsPage permissions={['admin']} />, backend);
    const devices = (await screen.findByTestId('station-devices-station-01')).textContent ?? '';
    expect(devices).toContain('受付票プリンタネットワーク接続（192.0.2.10:9100） 用紙切れ');
    expect(devices).toContain('帳票プリンタBackoffice-A4');
    expect(devices).toContain('表示灯テスト用（模擬）');
    expect(devices).toContain('接続済み（カードあり）');
    expect(devices).toContain('最終報告');
    expect(devices).toContain('10時05分');
    expect(screen.getByTestId('station-devices-station-02').textContent).toContain('報告なし');
  });

  it('sets a station to offer one certificate, print automatically and light the tower', async () => {
    const saved: Array<[string, StationSetupInput]> = [];
    const backend = new FakeBackend({
      stationSetups: () => Promise.resolve(view),
      stationHours: () => Promise.resolve(hours),
      issuanceRules: () => Promise.resolve({ support_measure_at_station: 'refuse' }),
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

  it('lists every certificate a station can offer by its Japanese name, the new ones opted in, kept in the tiles’ order', async () => {
    const saved: StationSetupInput[] = [];
    const backend = new FakeBackend({
      stationSetups: () => Promise.resolve(view),
      stationHours: () => Promise.resolve(hours),
      issuanceRules: () => Promise.resolve({ support_measure_at_station: 'refuse' }),
      saveStationSetup: (terminal, setup) => {
        saved.push(setup);
        return Promise.resolve({ ...setup, terminal, name: '1階 発行端末', configured: true });
      },
    });
    renderWithBackend(<StationSetupsPage permissions={['admin']} />, backend);
    expect((await screen.findByText(/未設定です/)).textContent).toContain('住民票の写し・印鑑登録証明書を発行');
    const form = screen.getByTestId('station-setup-station-01');
    const boxes = [...form.querySelectorAll<HTMLInputElement>('[data-testid^="station-offer-"]')];
    expect(boxes.map((b) => [b.parentElement?.textContent, b.checked])).toEqual([
      ['住民票の写し', true],
      ['住民票記載事項証明書', false],
      ['印鑑登録証明書', true],
      ['所得・課税証明書', false],
    ]);
    fireEvent.click(screen.getByTestId('station-offer-station-01-SHOTOKU-SHOMEI'));
    fireEvent.click(screen.getByTestId('station-offer-station-01-KISAI-JIKOU'));
    fireEvent.click(screen.getByTestId('station-save-station-01'));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(saved[0]?.offers).toEqual(['JUMINHYO', 'KISAI-JIKOU', 'INKAN-SHOMEI', 'SHOTOKU-SHOMEI']);
  });

  it('gives a 支所 station its own hours with 土曜, and puts it back on the city\'s', async () => {
    const saved: Array<[string, StationSetupInput]> = [];
    const backend = new FakeBackend({
      stationSetups: () => Promise.resolve(view),
      stationHours: () => Promise.resolve(hours),
      issuanceRules: () => Promise.resolve({ support_measure_at_station: 'refuse' }),
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
      issuanceRules: () => Promise.resolve({ support_measure_at_station: 'refuse' }),
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
