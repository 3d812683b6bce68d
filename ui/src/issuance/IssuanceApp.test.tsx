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

  it('speaks English', async () => {
    setup();
    await clickWhenShown('lang-en');
    await waitFor(() => expect(screen.getByTestId('station-start').textContent).toContain('Choose a certificate'));
    expect(screen.getByTestId('station-item-JUMINHYO').textContent).toContain('300 yen per copy');
  });
});
