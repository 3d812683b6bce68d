import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { StationIdentity, StationStatus } from '../api/types';
import { BackendError, TerminalError, type StationSubmission } from '../backend';
import { FakeBackend, type FakeHandlers } from '../test/FakeBackend';
import { FakeTerminal, kioskInfo, onlineStatus, type FakeTerminalHandlers } from '../test/FakeTerminal';
import { renderWithBackend } from '../test/render';
import { IssuanceApp } from './IssuanceApp';

const open: StationStatus = {
  available: true,
  message: null,
  show_fees: true,
  offers: [
    { item: 'JUMINHYO', name: '住民票の写し', yen: 300 },
    { item: 'INKAN-SHOMEI', name: '印鑑登録証明書', yen: 300 },
  ],
};

const holder: StationIdentity = {
  name: '山田　太郎',
  household_size: 4,
  offers: [
    { item: 'JUMINHYO', name: '住民票の写し', yen: 300, available: true, reason: null },
    {
      item: 'INKAN-SHOMEI',
      name: '印鑑登録証明書',
      yen: 300,
      available: false,
      reason: '印鑑登録がないため、印鑑登録証明書は発行できません。',
      reason_code: 'seal_not_registered',
    },
  ],
};

const stationInfo = { ...kioskInfo, role: 'issuance' as const, terminal_id: 'station-01', counter: 'station' };

function setup(options: { handlers?: FakeHandlers; terminal?: FakeTerminalHandlers; online?: boolean } = {}) {
  const terminal = new FakeTerminal(
    {
      authenticateCard: (pin) =>
        pin === '5678'
          ? Promise.resolve({ verified: true, serial: '4d01', verification_id: 'v-0001' })
          : Promise.reject(new TerminalError('wrong_pin', '', { tries_left: 2 })),
      stationRequest: (s: StationSubmission) =>
        Promise.resolve({ request_id: s.request_id, reception_label: '0012', fee_total: 600, printed: true }),
      ...options.terminal,
    },
    stationInfo,
    { ...onlineStatus, online: options.online ?? true },
  );
  const backend = new FakeBackend(
    {
      stationStatus: () => Promise.resolve(open),
      identifyAtStation: () => Promise.resolve(holder),
      ...options.handlers,
    },
    { terminal },
  );
  renderWithBackend(<IssuanceApp info={stationInfo} />, backend);
  return { backend, terminal };
}

const click = (testId: string) => fireEvent.click(screen.getByTestId(testId));
const clickWhenShown = async (testId: string) => fireEvent.click(await screen.findByTestId(testId));

async function enterPin(pin: string) {
  await screen.findByTestId('pin-key-0');
  for (const d of pin) click(`pin-key-${d}`);
  click('pin-ok');
}

describe('the issuance station', () => {
  it('takes a 住民票の写し for the whole household in six touches plus the PIN and shows the 受付番号', async () => {
    const { terminal, backend } = setup();
    let touches = 0;
    const touch = async (id: string) => {
      touches++;
      await clickWhenShown(id);
    };
    expect((await screen.findByTestId('station-item-JUMINHYO')).textContent).toContain('1通 300円');
    await touch('station-item-JUMINHYO');
    await enterPin('5678');
    expect((await screen.findByTestId('station-who')).textContent).toContain('山田　太郎 様');
    expect(screen.getByTestId('who-household').textContent).toBe('世帯全員（4人）');
    await touch('who-household');
    click('copies-more'); // a second copy: not counted, the resident asked for more
    expect(screen.getByTestId('copies-fee').textContent).toBe('手数料 600円');
    await touch('copies-next');
    expect(screen.getByTestId('station-summary').textContent).toContain('世帯全員');
    await touch('station-submit');
    expect((await screen.findByTestId('reception-no')).textContent).toBe('0012');
    expect(screen.getByTestId('ticket-printed')).toBeTruthy();
    await touch('station-finish');
    expect(touches).toBeLessThanOrEqual(8);
    expect(terminal.callsOf('authenticateCard')).toEqual([['5678', false]]);
    expect(backend.callsOf('identifyAtStation')).toEqual([['v-0001']]);
    const [sent] = terminal.callsOf('stationRequest')[0] as [StationSubmission];
    expect(sent.verification_id).toBe('v-0001');
    expect(sent.lines).toEqual([{ item: 'JUMINHYO', copies: 2, scope: '世帯全員', items: ['relation'] }]);
    // Back at the start: nothing about the resident on screen.
    await screen.findByTestId('station-item-JUMINHYO');
    expect(document.body.textContent).not.toContain('山田');
  });

  it('counts down a wrong PIN and says why a certificate cannot be issued, gently', async () => {
    const { terminal } = setup();
    await clickWhenShown('station-item-INKAN-SHOMEI');
    await enterPin('1111');
    expect((await screen.findByTestId('card-problem')).textContent).toContain('あと2回');
    await enterPin('5678');
    expect((await screen.findByTestId('station-refusal')).textContent).toBe(
      '印鑑登録がないため、印鑑登録証明書は発行できません。',
    );
    expect(terminal.callsOf('stationRequest')).toHaveLength(0);
  });

  it("offers what the city set up for the station, without the fee on the tiles when it says so", async () => {
    setup({ handlers: { stationStatus: () => Promise.resolve({ ...open, show_fees: false, offers: [open.offers[1]!] }) } });
    expect((await screen.findByTestId('station-item-INKAN-SHOMEI')).textContent).toBe('印鑑登録証明書');
    expect(screen.queryByTestId('station-item-JUMINHYO')).toBeNull();
  });

  it('takes nothing when JPKI is not ready or the server is away', async () => {
    setup({ handlers: { stationStatus: () => Promise.resolve({ ...open, available: false, message: 'ただいまご利用いただけません。' }) } });
    expect((await screen.findByTestId('station-closed')).textContent).toContain('ご利用いただけません');
    expect(screen.queryByTestId('station-item-JUMINHYO')).toBeNull();
  });

  it('says before anything is chosen that the receipt printer is out of paper, and opens again when it is refilled', async () => {
    const { terminal } = setup();
    act(() => terminal.emitStatus({ ...onlineStatus, receipt_paper_out: true }));
    expect((await screen.findByTestId('station-closed')).textContent).toContain('受付票の用紙がありません');
    expect(screen.queryByTestId('station-item-JUMINHYO')).toBeNull();
    act(() => terminal.emitStatus({ ...onlineStatus, receipt_paper_out: false }));
    expect(await screen.findByTestId('station-item-JUMINHYO')).toBeTruthy();
  });

  it('takes nothing offline', async () => {
    setup({ online: false });
    expect((await screen.findByTestId('offline-banner')).textContent).toContain('受け付けられません');
    await screen.findByTestId('station-closed');
    expect(screen.queryByTestId('station-item-JUMINHYO')).toBeNull();
  });

  it('keeps the request when the 受付票 could not be printed, and says to tell the number', async () => {
    setup({
      terminal: {
        stationRequest: (s) => Promise.resolve({ request_id: s.request_id, reception_label: '0007', fee_total: 300, printed: false }),
      },
    });
    await clickWhenShown('station-item-JUMINHYO');
    await enterPin('5678');
    await clickWhenShown('who-person');
    await clickWhenShown('copies-next');
    await clickWhenShown('station-submit');
    expect((await screen.findByTestId('ticket-not-printed')).textContent).toContain('窓口でお伝えください');
    expect(screen.getByTestId('reception-no').textContent).toBe('0007');
  });

  it("shows the server's refusal of the request and keeps the same request id for a retry", async () => {
    let calls = 0;
    const { terminal } = setup({
      terminal: {
        stationRequest: (s) => {
          calls++;
          return calls === 1
            ? Promise.reject(new TerminalError('network', 'サーバーに接続できません。'))
            : Promise.resolve({ request_id: s.request_id, reception_label: '0003', fee_total: 300, printed: true });
        },
      },
    });
    await clickWhenShown('station-item-JUMINHYO');
    await enterPin('5678');
    await clickWhenShown('who-person');
    await clickWhenShown('copies-next');
    await clickWhenShown('station-submit');
    expect((await screen.findByTestId('station-problem')).textContent).toContain('接続できません');
    click('station-submit');
    await screen.findByTestId('reception-no');
    const ids = terminal.callsOf('stationRequest').map(([s]) => (s as StationSubmission).request_id);
    expect(ids[0]).toBe(ids[1]);
  });

  it('refuses a card the city does not know', async () => {
    setup({
      handlers: {
        identifyAtStation: () =>
          Promise.reject(
            new BackendError('validation', { status: 422, code: 'card_unknown', message: 'このカードでは証明書を発行できません。' }),
          ),
      },
    });
    await clickWhenShown('station-item-JUMINHYO');
    await enterPin('5678');
    expect((await screen.findByTestId('station-refusal')).textContent).toContain('このカードでは');
  });

  describe('the certificates a city opts in on 発行端末の設定', () => {
    const more: StationStatus = {
      ...open,
      offers: [
        ...open.offers,
        { item: 'KISAI-JIKOU', name: '住民票記載事項証明書', yen: 300 },
        { item: 'SHOTOKU-SHOMEI', name: '所得・課税証明書', yen: 300 },
      ],
    };
    const withTax = (years: number[]): StationIdentity => ({
      ...holder,
      offers: [
        ...holder.offers,
        { item: 'KISAI-JIKOU', name: '住民票記載事項証明書', yen: 300, available: true, reason: null },
        { item: 'SHOTOKU-SHOMEI', name: '所得・課税証明書', yen: 300, available: true, reason: null, years },
      ],
    });
    const setupMore = (options: { terminal?: FakeTerminalHandlers; years?: number[] } = {}) =>
      setup({
        handlers: {
          stationStatus: () => Promise.resolve(more),
          identifyAtStation: () => Promise.resolve(withTax(options.years ?? [2026, 2025])),
        },
        terminal: options.terminal,
      });
    const sentLines = (terminal: FakeTerminal) => (terminal.callsOf('stationRequest')[0] as [StationSubmission])[0].lines;

    it('asks the 課税年度 of a 所得・課税証明書 among the years loaded for the holder, newest first', async () => {
      const { terminal } = setupMore();
      await clickWhenShown('station-item-SHOTOKU-SHOMEI');
      await enterPin('5678');
      const step = await screen.findByTestId('station-year');
      expect(step.textContent).toContain('山田　太郎 様');
      expect(step.textContent).toContain('前の年（1月〜12月）の所得');
      const tiles = [...step.querySelectorAll('[data-testid^="year-"]')].map((b) => b.textContent);
      expect(tiles).toEqual(['令和8年度（令和7年中の所得）', '令和7年度（令和6年中の所得）']);
      expect(screen.queryByTestId('who-household')).toBeNull(); // the holder's own only
      click('year-2025');
      await clickWhenShown('copies-next');
      expect((await screen.findByTestId('station-summary')).textContent).toContain('課税年度令和7年度（令和6年中の所得）');
      click('station-submit');
      await screen.findByTestId('reception-no');
      expect(sentLines(terminal)).toEqual([{ item: 'SHOTOKU-SHOMEI', copies: 1, scope: null, items: null, year: 2025 }]);
    });

    it('goes back from the copies to the years', async () => {
      setupMore({ years: [2025] });
      await clickWhenShown('station-item-SHOTOKU-SHOMEI');
      await enterPin('5678');
      await clickWhenShown('year-2025');
      await clickWhenShown('kiosk-back');
      expect(await screen.findByTestId('station-year')).toBeTruthy();
    });

    it('takes a 住民票記載事項証明書 for the household with the 記載事項 chosen, and never offers the 個人番号', async () => {
      const { terminal } = setupMore();
      await clickWhenShown('station-item-KISAI-JIKOU');
      await enterPin('5678');
      const who = await screen.findByTestId('station-who');
      expect(who.textContent).toContain('本籍・筆頭者');
      expect(who.textContent).not.toContain('個人番号');
      for (const id of ['who-honseki', 'who-juminhyo_code', 'who-previous_address']) {
        expect((screen.getByTestId(id) as HTMLInputElement).checked).toBe(false);
      }
      click('who-juminhyo_code');
      click('who-honseki');
      click('who-household');
      await clickWhenShown('copies-next');
      const summary = await screen.findByTestId('station-summary');
      expect(summary.textContent).toContain('住民票記載事項証明書');
      expect(summary.textContent).toContain('世帯全員');
      expect(screen.getByTestId('station-summary-items').textContent).toBe('続柄・本籍・筆頭者・住民票コード');
      click('station-submit');
      await screen.findByTestId('reception-no');
      expect(sentLines(terminal)).toEqual([
        { item: 'KISAI-JIKOU', copies: 1, scope: '世帯全員', items: ['relation', 'honseki', 'juminhyo_code'] },
      ]);
    });

    it('speaks English on the new screens and for a year the server refuses', async () => {
      const { terminal } = setupMore({
        terminal: {
          stationRequest: () =>
            Promise.reject(
              new TerminalError(
                'tax_not_loaded',
                'ご希望の年度の所得・課税証明書は、まだ発行できません。お手数ですが、窓口でお尋ねください。',
              ),
            ),
        },
      });
      await clickWhenShown('lang-en');
      await clickWhenShown('station-item-JUMINHYO');
      await enterPin('5678');
      expect((await screen.findByTestId('station-who')).textContent).toContain('Previous address');
      click('who-previous_address');
      click('who-relation');
      click('who-person');
      await clickWhenShown('copies-next');
      expect((await screen.findByTestId('station-summary-items')).textContent).toBe('Previous address');
      click('kiosk-back');
      await clickWhenShown('kiosk-back'); // back to the copies, then to the scope: the answers stay
      expect((screen.getByTestId('who-previous_address') as HTMLInputElement).checked).toBe(true);
      click('who-person');
      await clickWhenShown('copies-next');
      click('station-submit');
      expect((await screen.findByTestId('station-problem')).textContent).toBe(
        'The income and tax certificate for this year cannot be issued yet. Please ask at the counter.',
      );
      expect(sentLines(terminal)).toEqual([{ item: 'JUMINHYO', copies: 1, scope: '本人のみ', items: ['previous_address'] }]);
    });

    it('shows the year step in English', async () => {
      setupMore();
      await clickWhenShown('lang-en');
      await clickWhenShown('station-item-SHOTOKU-SHOMEI');
      await enterPin('5678');
      expect((await screen.findByTestId('year-2026')).textContent).toBe('Tax year 2026 (income in 2025)');
      expect(screen.getByTestId('station-year').textContent).toContain('Choose the tax year');
    });

    it('words a refusal at identification in English by its code', async () => {
      setup();
      await clickWhenShown('lang-en');
      await clickWhenShown('station-item-INKAN-SHOMEI');
      await enterPin('5678');
      expect((await screen.findByTestId('station-refusal')).textContent).toBe(
        'No seal is registered, so a seal registration certificate cannot be issued.',
      );
    });
  });

  it('speaks English', async () => {
    setup();
    await clickWhenShown('lang-en');
    await waitFor(() => expect(screen.getByTestId('station-start').textContent).toContain('Choose a certificate'));
    expect(screen.getByTestId('station-item-JUMINHYO').textContent).toContain('300 yen per copy');
  });
});
