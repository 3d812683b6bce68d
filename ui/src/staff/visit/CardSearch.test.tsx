import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ResidentQuery } from '../../api/types';
import { TerminalError, type CardStatus } from '../../backend';
import { FakeBackend, type FakeHandlers } from '../../test/FakeBackend';
import { FakeTerminal, cardHolder, kioskInfo, onlineStatus, type FakeTerminalHandlers } from '../../test/FakeTerminal';
import { makeHousehold, makeResident } from '../../test/fixtures';
import { renderWithBackend } from '../../test/render';
import { VisitPage } from './VisitPage';

const staffInfo = { ...kioskInfo, role: 'staff' as const, counter: 'shimin' };

// The card holder (山田 太郎, 1980-01-01) in the 住民記録, and a namesake born another day.
const holder = makeResident({
  atena_no: '000000000000035',
  household_no: '100000000000035',
  name: '山田　太郎',
  birth_date: '1980-01-01',
  birth_display: '昭和55年1月1日',
});
const namesake = makeResident({ atena_no: '000000000000043', household_no: '100000000000043', name: '山田　太郎' });

function desktop(
  terminalHandlers: FakeTerminalHandlers,
  handlers: FakeHandlers = {},
  card: CardStatus = onlineStatus.card,
) {
  const terminal = new FakeTerminal(terminalHandlers, staffInfo, { ...onlineStatus, card });
  const backend = new FakeBackend(
    {
      searchResidents: () => Promise.resolve({ count: 1, more: false, results: [holder] }),
      household: () => Promise.resolve(makeHousehold([holder])),
      ...handlers,
    },
    { terminal },
  );
  renderWithBackend(<VisitPage />, backend);
  return { backend, terminal };
}

/** Opens the dialog with the button and types the PIN on the pad. */
async function enterPin(pin: string) {
  fireEvent.click(screen.getByTestId('staff-card-read'));
  await screen.findByTestId('staff-pin-pad');
  for (const digit of pin) fireEvent.click(screen.getByTestId(`staff-pin-key-${digit}`));
  expect(screen.getByTestId('staff-pin-dots').textContent).toBe('● ● ● ●'); // masked
  fireEvent.click(screen.getByTestId('staff-pin-ok'));
}

describe('search by マイナンバーカード (desktop app)', () => {
  it('reads the card, searches its name and birth date, and takes the only match with the card as 本人確認書類', async () => {
    const { backend, terminal } = desktop({ readCard: () => Promise.resolve(cardHolder) });
    expect(screen.getByTestId('staff-card-read').textContent).toContain('マイナンバーカードで検索');
    expect(screen.getByTestId('staff-card-read').querySelector('kbd')?.textContent).toBe('F4');
    fireEvent.click(screen.getByTestId('staff-card-read'));
    expect((await screen.findByTestId('staff-card-status')).textContent).toBe('カードを読み取れます');
    await enterPin('1234');

    await screen.findByTestId('step-panel-identity');
    expect(terminal.callsOf('readCard')).toEqual([['1234', false]]);
    expect(backend.callsOf('searchResidents')[0]![0]).toEqual({
      q: '山田 太郎',
      birth: '1980-01-01',
      limit: 20,
    } satisfies ResidentQuery);
    expect(backend.callsOf('household')).toEqual([['100000000000035']]);
    expect((screen.getByTestId('visitor-name') as HTMLInputElement).value).toBe('山田　太郎');
    expect((screen.getByTestId('id-document') as HTMLSelectElement).value).toBe('マイナンバーカード');
    expect(screen.getByTestId('id-document-card').textContent).toContain('マイナンバーカードで確認済み');
    expect(screen.queryByTestId('staff-card-dialog')).toBeNull();
    // The PIN is nowhere but in the command: not in the stored draft.
    expect(JSON.stringify({ ...sessionStorage })).not.toContain('1234');
  });

  it('opens with F4, takes the PIN from the keyboard, and lists several matches for the staff to pick', async () => {
    const { backend, terminal } = desktop(
      { readCard: () => Promise.resolve(cardHolder) },
      {
        searchResidents: () => Promise.resolve({ count: 2, more: false, results: [holder, namesake] }),
        household: (no) => Promise.resolve(makeHousehold([no === holder.household_no ? holder : namesake])),
      },
    );
    act(() => void fireEvent.keyDown(window, { key: 'F4' }));
    const dialog = await screen.findByTestId('staff-card-dialog');
    await screen.findByTestId('staff-pin-pad');
    expect(document.activeElement).toBe(dialog);
    for (const key of ['1', '2', '9', 'Backspace', '3', '4']) fireEvent.keyDown(dialog, { key });
    fireEvent.keyDown(dialog, { key: 'Enter' });

    await waitFor(() => expect(screen.getAllByTestId('resident-result')).toHaveLength(2));
    expect(terminal.callsOf('readCard')).toEqual([['1234', false]]);
    expect(screen.getByTestId('staff-card-person').textContent).toContain('山田 太郎（昭和55年1月1日）');
    expect(screen.getByTestId('step-panel-search')).toBeTruthy(); // nothing chosen yet
    fireEvent.click(screen.getAllByTestId('resident-result')[0]!);
    await screen.findByTestId('step-panel-identity');
    expect(backend.callsOf('household')).toEqual([['100000000000035']]);
    expect(screen.getByTestId('id-document-card')).toBeTruthy();
  });

  it('offers the birth date alone when no one has the card name, and lets the staff compare the name', async () => {
    const { backend } = desktop(
      { readCard: () => Promise.resolve(cardHolder) },
      {
        searchResidents: (q) =>
          Promise.resolve(q.q ? { count: 0, more: false, results: [] } : { count: 1, more: false, results: [holder] }),
      },
    );
    await enterPin('1234');
    fireEvent.click(await screen.findByTestId('staff-card-birth-only'));
    const row = await screen.findByTestId('resident-result');
    await act(() => new Promise((resolve) => setTimeout(resolve, 20)));
    expect(backend.callsOf('household')).toHaveLength(0); // not chosen by itself
    fireEvent.click(row);
    await screen.findByTestId('step-panel-identity');
    expect(backend.callsOf('searchResidents')[1]![0]).toEqual({ birth: '1980-01-01', limit: 20 });
    expect(screen.getByTestId('id-document-card')).toBeTruthy();
  });

  it('says how many tries are left after a wrong PIN, and clears it', async () => {
    const { backend } = desktop({
      readCard: () =>
        Promise.reject(new TerminalError('wrong_pin', '暗証番号が一致しません', { tries_left: 2 })),
    });
    await enterPin('1111');
    expect((await screen.findByTestId('staff-card-problem')).textContent).toBe(
      '暗証番号が違います。あと2回間違えるとロックされます。',
    );
    expect(screen.getByTestId('staff-pin-dots').textContent).toBe('○ ○ ○ ○');
    expect(backend.callsOf('searchResidents')).toHaveLength(0);
  });

  it('asks before the last try, and reads with confirmLastTry once confirmed', async () => {
    const { terminal } = desktop({
      readCard: (_pin, confirmLastTry) =>
        confirmLastTry
          ? Promise.resolve(cardHolder)
          : Promise.reject(new TerminalError('last_try', '残り1回です', { tries_left: 1 })),
    });
    await enterPin('5678');
    const question = await screen.findByTestId('staff-card-last-try');
    expect(question.textContent).toContain('あと1回');
    expect(document.activeElement).toBe(screen.getByTestId('staff-card-last-try-no')); // Enter does not risk it
    fireEvent.click(screen.getByTestId('staff-card-last-try-yes'));
    await screen.findByTestId('step-panel-identity');
    expect(terminal.callsOf('readCard')).toEqual([
      ['5678', false],
      ['5678', true],
    ]);
  });

  it('goes back to the PIN pad, empty, when the last try is declined', async () => {
    const { terminal } = desktop({
      readCard: () => Promise.reject(new TerminalError('last_try', '残り1回です', { tries_left: 1 })),
    });
    await enterPin('5678');
    fireEvent.click(await screen.findByTestId('staff-card-last-try-no'));
    expect((await screen.findByTestId('staff-pin-dots')).textContent).toBe('○ ○ ○ ○');
    expect(terminal.callsOf('readCard')).toHaveLength(1);
  });

  it('shows a blocked PIN, a card taken away and a missing reader in Japanese', async () => {
    const errors = [
      new TerminalError('no_card', 'カードがありません'),
      new TerminalError('no_reader', 'リーダーがありません'),
      new TerminalError('blocked', 'ロックされています'),
    ];
    desktop({ readCard: () => Promise.reject(errors.shift()) });
    await enterPin('1234');
    expect((await screen.findByTestId('staff-card-problem')).textContent).toContain(
      'マイナンバーカードをカードリーダーに置いてください',
    );
    for (const digit of '1234') fireEvent.click(screen.getByTestId(`staff-pin-key-${digit}`));
    fireEvent.click(screen.getByTestId('staff-pin-ok'));
    await waitFor(() =>
      expect(screen.getByTestId('staff-card-problem').textContent).toContain('カードリーダーが見つかりません'),
    );
    for (const digit of '1234') fireEvent.click(screen.getByTestId(`staff-pin-key-${digit}`));
    fireEvent.click(screen.getByTestId('staff-pin-ok'));
    expect((await screen.findByTestId('staff-card-blocked')).textContent).toContain('ロックされている');
    expect(screen.queryByTestId('staff-pin-pad')).toBeNull();
  });

  it("shows the reader's message and no PIN pad while no card is on the reader; Esc closes", async () => {
    const { terminal } = desktop({}, {}, {
      ...onlineStatus.card,
      state: 'no_card',
      message: 'マイナンバーカードを置いてください',
    });
    fireEvent.click(screen.getByTestId('staff-card-read'));
    const status = await screen.findByTestId('staff-card-status');
    await waitFor(() => expect(status.textContent).toBe('マイナンバーカードを置いてください'));
    expect(status.getAttribute('data-state')).toBe('no_card');
    expect(screen.queryByTestId('staff-pin-pad')).toBeNull();
    // The card is put on the reader: the runtime pushes the new state and the pad appears.
    act(() => terminal.emitStatus(onlineStatus));
    await screen.findByTestId('staff-pin-pad');
    fireEvent.keyDown(screen.getByTestId('staff-card-dialog'), { key: 'Escape' });
    expect(screen.queryByTestId('staff-card-dialog')).toBeNull();
    expect(terminal.callsOf('readCard')).toHaveLength(0);
  });

  it('has no card button in a browser', () => {
    const backend = new FakeBackend({});
    renderWithBackend(<VisitPage />, backend);
    expect(screen.getByTestId('visit-search-input')).toBeTruthy();
    expect(screen.queryByTestId('staff-card-read')).toBeNull();
    fireEvent.keyDown(window, { key: 'F4' });
    expect(screen.queryByTestId('staff-card-dialog')).toBeNull();
  });
});
