import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EvaluateRequest, EvaluateResponse, ProcedureView } from '../api/types';
import { BackendError, TerminalError, type KioskSubmission, type TerminalStatus } from '../backend';
import { getLocale } from '../i18n';
import { FakeBackend, type FakeHandlers } from '../test/FakeBackend';
import {
  FakeTerminal,
  cardHolder,
  kioskInfo,
  onlineStatus,
  updateOffer,
  type FakeTerminalHandlers,
} from '../test/FakeTerminal';
import { renderWithBackend } from '../test/render';
import { KioskApp } from './KioskApp';
import { isValidId } from './model';

const towns = [
  { town: '本町', town_code: '0001001', postal_code: '3799001', full: '群馬県さくら野市本町' },
  { town: '桜台', town_code: '0002001', postal_code: '3799002', full: '群馬県さくら野市桜台' },
];

function procedure(code: string, name: string, onTheSpot: boolean, counter: string): ProcedureView {
  return {
    code, name, counter, department: counter, on_the_spot: onTheSpot, reasons: ['転入したため'], forms: [], bring: [],
    explanation: '', guidance: '', legal_basis: '', pamphlets: [], questions: [], permission: '', valid_from: '2020-01-01',
  };
}

/** 手続きナビ: asks 国保 then 保育所, one at a time; 児童手当 once a child is in the household. */
function navigation(req: EvaluateRequest): Promise<EvaluateResponse> {
  const answers = req.answers ?? {};
  const procedures = [procedure('JUKI-TENNYU', '転入届', true, '市民課')];
  if (answers.kokuho === true) procedures.push(procedure('KOKUHO', '国民健康保険の加入', true, '市民課'));
  if ((req.household_after ?? []).some((m) => m.birth >= '2008-01-01')) {
    procedures.push(procedure('JIDOU', '児童手当の認定請求', false, 'こども課'));
  }
  const next_questions = !('kokuho' in answers)
    ? [{ id: 'kokuho', text: '国民健康保険に加入しますか', kind: 'yes_no', options: [] }]
    : !('hoiku' in answers)
      ? [{ id: 'hoiku', text: '保育所の利用を希望しますか', kind: 'yes_no', options: [] }]
      : [];
  return Promise.resolve({ procedures, next_questions });
}

function setup(
  options: {
    handlers?: FakeHandlers;
    terminal?: FakeTerminalHandlers;
    idle?: number;
    languages?: string[];
    online?: boolean;
    status?: Partial<TerminalStatus>;
  } = {},
) {
  const terminal = new FakeTerminal(
    { readCard: (pin) => (pin === '1234' ? Promise.resolve(cardHolder) : Promise.reject(new TerminalError('wrong_pin', '', { tries_left: 2 }))), ...options.terminal },
    { ...kioskInfo, idle_reset_seconds: options.idle ?? 60, languages: options.languages ?? ['ja', 'en'] },
    { ...onlineStatus, online: options.online ?? true, ...options.status },
  );
  const backend = new FakeBackend(
    { evaluate: navigation, towns: () => Promise.resolve(towns), ...options.handlers },
    { terminal },
  );
  const info = { ...terminal.infoValue };
  renderWithBackend(<KioskApp info={info} />, backend);
  return { backend, terminal };
}

/**
 * With fake timers: lets pending promises (the fake terminal's answers) settle and React render and
 * run its effects, all inside act(), while the fake clock moves by exactly `ms` — firing the timers
 * due on the way. The tests that fake timers never let the clock move by itself
 * (no `shouldAdvanceTime`), so what they see does not depend on how busy the machine is.
 */
async function advance(ms = 0) {
  await act(async () => {
    await vi.advanceTimersByTimeAsync(ms);
  });
}

/**
 * The element with `testId` once it shows. With real timers, `findByTestId`. With fake timers
 * `findBy…`/`waitFor` cannot be used: Testing Library only recognises Jest's fake timers, and would
 * wait on a faked `setTimeout` that never fires. There everything pending settles first
 * (`advance()`, the clock standing still), and then the element must be on screen.
 */
async function shown(testId: string | RegExp): Promise<HTMLElement> {
  if (!vi.isFakeTimers()) return screen.findByTestId(testId);
  await advance();
  return screen.getByTestId(testId);
}

const click = (testId: string) => fireEvent.click(screen.getByTestId(testId));
const clickWhenShown = async (testId: string) => fireEvent.click(await shown(testId));

/** Types on the kana keyboard; ダ is typed as タ then ゛, as a resident would. */
function typeKana(text: string, keyboard = 'kana') {
  for (const c of text.normalize('NFD')) {
    if (c === '　') click(`${keyboard}-space`);
    else if (c === '\u3099' || c === '゛') click(`${keyboard}-dakuten`);
    else if (c === '\u309a') click(`${keyboard}-handakuten`);
    else click(`${keyboard}-${c}`);
  }
}

/** The runtime's answer to an admin PIN: 2468 is right. */
const adminPin = (pin: string) => Promise.resolve({ unlocked: pin === '2468', wait_seconds: 0 });

/** Opens the admin panel with a 3-second press on the corner (fake timers). */
async function openAdminPanel() {
  fireEvent.pointerDown(screen.getByTestId('admin-corner'));
  await advance(3_000);
  return screen.getByTestId('admin-panel');
}

async function enterAdminPin(pin: string) {
  for (const d of pin) click(`admin-pin-key-${d}`);
  click('admin-pin-ok');
}

async function enterPin(pin: string) {
  await shown('pin-key-0');
  for (const d of pin) click(`pin-key-${d}`);
  click('pin-ok');
}

function sign() {
  const canvas = screen.getByTestId('signature-pad');
  fireEvent.pointerDown(canvas, { clientX: 20, clientY: 30, pressure: 0.4, buttons: 1, pointerId: 1 });
  fireEvent.pointerMove(canvas, { clientX: 60, clientY: 35, pressure: 0.6, buttons: 1, pointerId: 1 });
  fireEvent.pointerMove(canvas, { clientX: 120, clientY: 50, pressure: 0.5, buttons: 1, pointerId: 1 });
  fireEvent.pointerUp(canvas, { clientX: 120, clientY: 50, pressure: 0, buttons: 0, pointerId: 1 });
}

/** Start → event → through 手続きナビ answering いいえ to everything. */
async function toIdentity(event: string) {
  await clickWhenShown('kiosk-start');
  click(`event-${event}`);
  for (;;) {
    const next = await shown(/^(answer-no|questions-done)$/);
    if (next.dataset.testid === 'questions-done') break;
    fireEvent.click(next);
  }
  click('questions-done');
  await shown('id-card');
}

async function readCardWith(pin = '1234') {
  click('id-card');
  await enterPin(pin);
  await shown('card-person');
  click('card-next');
  await shown('household-next');
}

beforeEach(() => {
  // jsdom has no canvas: the pad records strokes without drawing.
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null);
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('kiosk', () => {
  it('takes a 転入 by card: questions, PIN, a family member on the kana keyboard, 町字 + 番地, signature', async () => {
    const { backend, terminal } = setup();
    await clickWhenShown('kiosk-start');
    click('event-転入');

    // 手続きナビ: one question at a time, asked again after each answer.
    expect((await screen.findByTestId('kiosk-question')).textContent).toContain('国民健康保険に加入しますか');
    click('answer-yes');
    expect((await screen.findByText('保育所の利用を希望しますか')).textContent).toBeTruthy();
    click('answer-no');
    await screen.findByTestId('questions-done');
    const found = screen.getAllByTestId('kiosk-procedure').map((li) => li.textContent);
    expect(found).toEqual(['転入届この窓口', '国民健康保険の加入この窓口']);
    expect(backend.callsOf('evaluate').at(-1)![0]).toMatchObject({ event: '転入', answers: { kokuho: true, hoiku: false } });
    click('questions-done');

    // The card: the reader is asked, the PIN typed on the pad, the holder read.
    click('id-card');
    await waitFor(() => expect(terminal.callsOf('cardStatus').length).toBeGreaterThan(0));
    // The instruction is there from the start (checking the reader): wait for the reader's answer.
    await waitFor(() => expect(screen.getByTestId('card-instruction').textContent).toContain('4けたの暗証番号'));
    await enterPin('1234');
    const person = await screen.findByTestId('card-person');
    expect(person.textContent).toContain('山田 太郎');
    expect(person.textContent).toContain('昭和55年1月1日');
    expect(person.textContent).toContain('男');
    expect(person.textContent).toContain('東京都世田谷区太子堂二丁目5番8号');
    expect(terminal.callsOf('readCard')).toEqual([['1234', false]]);
    click('card-next');

    // A family member: katakana name, birth date on the pickers, sex and 続柄.
    await clickWhenShown('add-member');
    typeKana('ヤマダ　ハナコ');
    expect(screen.getByTestId('kana-display').textContent).toBe('ヤマダ　ハナコ');
    click('person-next');
    click('birth-era-heisei');
    click('birth-year');
    click('birth-year-22');
    click('birth-month');
    click('birth-month-3');
    click('birth-day');
    click('birth-day-15');
    expect(screen.getByTestId('birth-result').textContent).toBe('平成22年3月15日');
    expect((screen.getByTestId('person-done') as HTMLButtonElement).disabled).toBe(true);
    click('sex-女');
    click('relation-子');
    click('person-done');
    const rows = await screen.findAllByTestId('person-row');
    expect(rows.map((r) => within(r).getByTestId('person-name').textContent)).toEqual(['山田 太郎', 'ヤマダ　ハナコ']);
    click('household-next');

    // The new address: a 町字 button and the 番地 keypad.
    await clickWhenShown('town-0001001');
    for (const k of ['1', 'dash', '2', 'dash', '3']) click(`banchi-key-${k}`);
    expect(screen.getByTestId('address-preview').textContent).toContain('群馬県さくら野市本町一丁目2番3号');
    click('address-next');

    // Signature.
    expect((await screen.findByTestId('signature-next') as HTMLButtonElement).disabled).toBe(true);
    sign();
    click('signature-next');

    // Confirm, then submit.
    await screen.findByTestId('kiosk-confirm');
    expect(screen.getByTestId('confirm-address').textContent).toBe('群馬県さくら野市本町一丁目2番3号');
    expect(screen.getAllByTestId('confirm-person').map((p) => p.textContent)).toEqual([
      expect.stringContaining('昭和55年1月1日'),
      expect.stringContaining('平成22年3月15日'),
    ]);
    // 手続きナビ again with everyone: the child brings 児童手当 (another counter).
    await waitFor(() => expect(screen.getAllByTestId('kiosk-procedure')).toHaveLength(3));
    expect(screen.getByText('ほかの窓口（こども課）')).toBeTruthy();
    click('submit');

    expect((await screen.findByTestId('receipt-no')).textContent).toBe('K-0001');
    expect(screen.getByTestId('printed-guide').textContent).toBe('申請内容票と手続き案内書をお取りください。');
    expect(screen.queryByTestId('stored-offline')).toBeNull();

    const [[submission]] = terminal.callsOf('kioskSubmit') as [[KioskSubmission]];
    expect(isValidId(submission.case_id)).toBe(true);
    expect(isValidId(submission.write_id)).toBe(true);
    expect(submission.language).toBe('ja');
    const doc = submission.document;
    expect(doc.visitor).toMatchObject({ kind: '本人', name: '山田 太郎', proxy_letter: false, id_document: 'マイナンバーカード' });
    const [n] = doc.notifications!;
    expect(n!.kind).toBe('転入');
    expect(n!.old_address).toBe('東京都世田谷区太子堂二丁目5番8号');
    expect(n!.new_address).toMatchObject({
      town: '本町',
      town_code: '0001001',
      banchi: '一丁目2番3号',
      full: '群馬県さくら野市本町一丁目2番3号',
    });
    expect(n!.members).toEqual([
      { atena_no: null, name: '山田 太郎', kana: '', facts: { birth: '1980-01-01', sex: '男', relation: '世帯主', mover: true } },
      {
        atena_no: null,
        name: 'ヤマダ　ハナコ',
        kana: 'ヤマダ　ハナコ',
        facts: { birth: '2010-03-15', sex: '女', relation: '子', mover: true },
      },
    ]);
    expect(doc.answers).toEqual({ kokuho: true, hoiku: false });
    expect(doc.procedures!.map((p) => [p.code, p.state, p.on_the_spot])).toEqual([
      ['JUKI-TENNYU', 'pending', true],
      ['KOKUHO', 'pending', true],
      ['JIDOU', 'pending', false],
    ]);
    expect(doc.signature!.strokes).toHaveLength(1);
    expect(doc.signature!.strokes[0]!.length).toBeGreaterThanOrEqual(2);
    expect(doc.signature!.width).toBe(1200);
    expect(doc.certificates).toEqual([]);

    // Done: nothing personal left on screen; a touch goes back to the start.
    expect(document.body.textContent).not.toContain('山田');
    click('kiosk-done');
    await screen.findByTestId('kiosk-start');
    expect(sessionStorage.length).toBe(0);
    expect(localStorage.length).toBe(0);
  });

  it('shows the tries left after a wrong PIN, and asks before the last try', async () => {
    let reads = 0;
    const { terminal } = setup({
      terminal: {
        readCard: (_pin, confirmLastTry) => {
          reads += 1;
          if (reads === 1) return Promise.reject(new TerminalError('wrong_pin', '暗証番号が違います', { tries_left: 2 }));
          if (!confirmLastTry) return Promise.reject(new TerminalError('last_try', '最後の1回です', { tries_left: 1 }));
          return Promise.resolve(cardHolder);
        },
      },
    });
    await toIdentity('転居');
    click('id-card');
    await enterPin('0000');
    expect((await screen.findByTestId('card-problem')).textContent).toBe(
      '暗証番号が違います。あと2回まちがえるとロックされます。',
    );
    expect(screen.getByTestId('pin-dots').textContent).toBe('○ ○ ○ ○');
    await enterPin('1111');
    expect((await screen.findByTestId('last-try')).textContent).toContain('カードがロックされます');
    click('last-try-yes');
    expect((await screen.findByTestId('card-person')).textContent).toContain('山田 太郎');
    expect(terminal.callsOf('readCard')).toEqual([
      ['0000', false],
      ['1111', false],
      ['1111', true],
    ]);
  });

  it('sends a resident whose PIN is blocked to the counter', async () => {
    setup({ terminal: { readCard: () => Promise.reject(new TerminalError('blocked', 'ロック')) } });
    await toIdentity('転居');
    click('id-card');
    await enterPin('1234');
    expect((await screen.findByTestId('card-blocked')).textContent).toBe('暗証番号がロックされています。窓口へお越しください。');
    expect(screen.queryByTestId('pin-key-0')).toBeNull();
  });

  it('asks to place the card while there is none, and follows the reader', async () => {
    const { terminal } = setup();
    terminal.statusValue = { ...terminal.statusValue, card: { ...terminal.statusValue.card, state: 'no_card' } };
    await toIdentity('転居');
    click('id-card');
    await waitFor(() =>
      expect(screen.getByTestId('card-instruction').textContent).toContain('カードリーダーの上に置いてください'),
    );
    expect(screen.queryByTestId('pin-key-0')).toBeNull();
    act(() => terminal.emitStatus({ ...terminal.statusValue, card: { ...terminal.statusValue.card, state: 'ready' } }));
    await screen.findByTestId('pin-key-0');
  });

  it('takes a 出生 with a document: typed applicant, the newborn, flagged for the counter', async () => {
    const { terminal } = setup();
    await toIdentity('出生');
    click('id-document');
    click('document-license');
    typeKana('ヤマダ　タロウ');
    click('person-next');
    click('birth-era-showa');
    click('birth-year');
    click('birth-year-60');
    click('sex-男');
    expect(screen.queryByTestId('relation-子')).toBeNull(); // the applicant is the 世帯主
    click('person-done');
    // The child must be added before going on.
    expect((await screen.findByTestId('household-next') as HTMLButtonElement).disabled).toBe(true);
    click('add-member');
    typeKana('ヤマダ　ソラ');
    click('person-next');
    click('sex-女');
    click('person-done');
    await clickWhenShown('household-next');
    // No address step for a birth.
    sign();
    click('signature-next');
    await clickWhenShown('submit');
    await screen.findByTestId('receipt-no');
    const [[submission]] = terminal.callsOf('kioskSubmit') as [[KioskSubmission]];
    const doc = submission.document;
    expect(doc.visitor).toMatchObject({ name: 'ヤマダ　タロウ', id_document: '運転免許証', proxy_letter: false });
    expect(doc.memo).toContain('本人確認書類（運転免許証）は未確認です。窓口で確認してください。');
    const [n] = doc.notifications!;
    expect(n!.kind).toBe('出生');
    expect(n!.members.map((m) => [m.name, m.facts.relation, m.facts.mover])).toEqual([
      ['ヤマダ　タロウ', '世帯主', false],
      ['ヤマダ　ソラ', '子（出生）', true],
    ]);
    expect(n!.members[0]!.facts.birth.startsWith('1985-')).toBe(true);
    expect(n!.event_date).toBe(n!.members[1]!.facts.birth);
    expect(n!.new_address).toBeNull();
  });

  it('goes on without 手続きナビ when it cannot be reached, and says the receipt was kept offline', async () => {
    const { terminal } = setup({
      handlers: { evaluate: () => Promise.reject(new BackendError('network')) },
      terminal: {
        kioskSubmit: (s) => Promise.resolve({ case_id: s.case_id, receipt_no: 'K-0002', uploaded: false, printed: ['receipt'] }),
      },
    });
    await clickWhenShown('kiosk-start');
    click('event-転出');
    expect((await screen.findByTestId('navigation-unavailable')).textContent).toBe(
      '必要な手続きのご案内は、窓口でお伝えします。このまま申請を続けてください。',
    );
    click('questions-done');
    await readCardWith();
    click('household-next');
    typeKana('サイタマシ', 'destination');
    click('address-next');
    sign();
    click('signature-next');
    expect((await screen.findByTestId('confirm-address')).textContent).toBe('サイタマシ');
    click('submit');
    expect((await screen.findByTestId('receipt-no')).textContent).toBe('K-0002');
    expect(screen.getByTestId('printed-receipt').textContent).toBe('受付票をお取りください。');
    expect(screen.getByTestId('stored-offline').textContent).toBe(
      '申請内容はこの端末に保存しました。接続が戻ると自動で送信します。',
    );
    expect(screen.queryByTestId('printed-guide')).toBeNull();
    const [[submission]] = terminal.callsOf('kioskSubmit') as [[KioskSubmission]];
    expect(submission.document.notifications![0]!.new_address?.full).toBe('サイタマシ');
    expect(submission.document.memo).toContain('手続きナビを利用できませんでした');
  });

  it('keeps the ids when a failed submission is tried again', async () => {
    let tries = 0;
    const { terminal } = setup({
      terminal: {
        kioskSubmit: (s) => {
          tries += 1;
          return tries === 1
            ? Promise.reject(new TerminalError('internal', '失敗'))
            : Promise.resolve({ case_id: s.case_id, receipt_no: 'K-0003', uploaded: true, printed: ['guide'] });
        },
      },
    });
    await toIdentity('転居');
    await readCardWith();
    click('household-next');
    await clickWhenShown('town-0002001');
    click('banchi-key-5');
    click('address-next');
    sign();
    click('signature-next');
    await clickWhenShown('submit');
    expect((await screen.findByTestId('submit-failed')).textContent).toContain('もう一度「申請する」を押すか');
    click('submit');
    await screen.findByTestId('receipt-no');
    const [[first], [second]] = terminal.callsOf('kioskSubmit') as [[KioskSubmission], [KioskSubmission]];
    expect(second.case_id).toBe(first.case_id);
    expect(second.write_id).toBe(first.write_id);
    expect(second.document.notifications![0]!.new_address?.full).toBe('群馬県さくら野市桜台5番地');
  });

  it('shows every screen in English after switching, and Japanese again after a reset', async () => {
    setup();
    await screen.findByTestId('kiosk-start');
    click('lang-en');
    expect(screen.getByTestId('kiosk-start').textContent).toBe('Start');
    expect(screen.getByText('Welcome')).toBeTruthy();
    click('kiosk-start');
    expect(screen.getByText('What would you like to do?')).toBeTruthy();
    expect(screen.getByTestId('event-転入').textContent).toContain('I moved here');
    click('event-転入');
    // The note shows while 手続きナビ is still asked; its first question comes after.
    expect(await screen.findByText(/Questions and procedures without a translation are shown in Japanese/)).toBeTruthy();
    await clickWhenShown('answer-no');
    await screen.findByText('保育所の利用を希望しますか');
    click('answer-no');
    await clickWhenShown('questions-done');
    expect(screen.getByTestId('id-card').textContent).toContain('My Number Card');
    click('id-document');
    click('document-passport');
    expect(screen.getByText('Enter your name in katakana')).toBeTruthy();
    typeKana('スミス');
    click('person-next');
    expect(screen.getByText('Choose the date of birth and sex')).toBeTruthy();
    expect(screen.getByTestId('birth-result').textContent).toBe('Showa 60, 4/1 (1985-04-01)');
    expect(screen.getByTestId('sex-女').textContent).toBe('Female');
    // Back to Japanese on the same screen: what was entered stays.
    click('lang-ja');
    expect(screen.getByText('生年月日と性別を選んでください')).toBeTruthy();
    expect(screen.getByTestId('birth-result').textContent).toBe('昭和60年4月1日');
    click('lang-en');
    click('kiosk-restart');
    click('restart-yes');
    await screen.findByTestId('kiosk-start');
    expect(screen.getByTestId('kiosk-start').textContent).toBe('はじめる');
    expect(getLocale()).toBe('ja');
  });

  it('after the idle time counts down, erases everything and starts again; 続ける keeps it', async () => {
    vi.useFakeTimers();
    setup({ idle: 60 });
    await toIdentity('転入');
    click('id-document');
    click('document-license');
    typeKana('ヤマダ');

    await advance(59_000);
    expect(screen.queryByTestId('idle-overlay')).toBeNull();
    await advance(1_000);
    expect(screen.getByTestId('idle-overlay').textContent).toContain('操作がないため、最初の画面に戻ります');
    expect(screen.getByTestId('idle-countdown').textContent).toBe('あと10秒');
    await advance(3_000);
    expect(screen.getByTestId('idle-countdown').textContent).toBe('あと7秒');
    click('idle-continue');
    expect(screen.queryByTestId('idle-overlay')).toBeNull();
    expect(screen.getByTestId('kana-display').textContent).toBe('ヤマダ');

    // A touch restarts the wait.
    await advance(50_000);
    click('kana-ハ');
    await advance(50_000);
    expect(screen.queryByTestId('idle-overlay')).toBeNull();
    await advance(10_000);
    expect(screen.getByTestId('idle-overlay')).toBeTruthy();
    await advance(10_000);
    expect(screen.getByTestId('kiosk-start')).toBeTruthy();
    expect(screen.queryByTestId('idle-overlay')).toBeNull();
    expect(document.body.textContent).not.toContain('ヤマダ');

    // Starting again: nothing from before.
    await toIdentity('転入');
    click('id-document');
    click('document-license');
    expect(screen.getByTestId('kana-display').textContent).toBe('（ここに表示されます）');
    expect(document.body.textContent).not.toContain('ヤマダ');
    expect(sessionStorage.length).toBe(0);
    expect(localStorage.length).toBe(0);
  });

  it('returns to the start 30 seconds after the receipt', async () => {
    vi.useFakeTimers();
    setup({ idle: 600 });
    await toIdentity('転居');
    await readCardWith();
    click('household-next');
    await clickWhenShown('town-0001001');
    click('banchi-key-7');
    click('address-next');
    sign();
    click('signature-next');
    await clickWhenShown('submit');
    await shown('receipt-no');
    await advance(29_000);
    expect(screen.getByTestId('receipt-no')).toBeTruthy();
    await advance(1_000);
    expect(screen.getByTestId('kiosk-start')).toBeTruthy();
  });

  it('opens the admin PIN pad after a 3-second press on the corner, and quits after unlocking', async () => {
    vi.useFakeTimers();
    const { terminal } = setup({
      terminal: { unlockAdmin: adminPin },
    });
    await shown('kiosk-start');
    const corner = screen.getByTestId('admin-corner');
    fireEvent.pointerDown(corner);
    await advance(2_000);
    fireEvent.pointerUp(corner);
    await advance(2_000);
    expect(screen.queryByTestId('admin-panel')).toBeNull();

    fireEvent.pointerDown(corner);
    await advance(2_999);
    expect(screen.queryByTestId('admin-panel')).toBeNull();
    await advance(1);
    expect(screen.getByTestId('admin-panel')).toBeTruthy();
    for (const d of '1111') click(`admin-pin-key-${d}`);
    click('admin-pin-ok');
    expect((await shown('admin-error')).textContent).toBe('暗証番号が違います。');
    for (const d of '2468') click(`admin-pin-key-${d}`);
    click('admin-pin-ok');
    await shown('admin-unlocked');
    // Staff find the kiosk's id and enrollment code here, for the administrator who enrolls it.
    const enrollment = await shown('admin-enrollment');
    expect(enrollment.textContent).toContain('kiosk-01');
    expect(enrollment.textContent).toContain('ABCD EFGH');
    click('admin-exit');
    await advance();
    expect(terminal.callsOf('adminExit')).toHaveLength(1);
    expect(terminal.callsOf('unlockAdmin')).toEqual([['1111'], ['2468']]);
  });

  it('locks again with 戻る: the kiosk cannot be left without the PIN once more', async () => {
    vi.useFakeTimers();
    const { terminal } = setup({ terminal: { unlockAdmin: adminPin } });
    await shown('kiosk-start');
    // 戻る before any PIN: nothing to lock.
    await openAdminPanel();
    click('admin-back');
    expect(screen.queryByTestId('admin-panel')).toBeNull();
    await advance();
    expect(terminal.callsOf('lockAdmin')).toEqual([]);

    await openAdminPanel();
    await enterAdminPin('2468');
    await shown('admin-unlocked');
    click('admin-back');
    expect(screen.queryByTestId('admin-panel')).toBeNull();
    await advance();
    expect(terminal.callsOf('lockAdmin')).toHaveLength(1);
    // Opened again: the PIN pad, not the exit.
    await openAdminPanel();
    expect(screen.getByTestId('admin-pin-pad')).toBeTruthy();
    expect(screen.queryByTestId('admin-exit')).toBeNull();
    expect(terminal.callsOf('adminExit')).toEqual([]);
  });

  it('closes the admin panel and locks after 60 seconds without a touch in it, and after 2 minutes in any case', async () => {
    vi.useFakeTimers();
    const { terminal } = setup({ terminal: { unlockAdmin: adminPin } });
    await shown('kiosk-start');
    const panel = await openAdminPanel();
    await enterAdminPin('2468');
    await shown('admin-unlocked');
    await advance(50_000);
    expect(screen.getByTestId('admin-unlocked')).toBeTruthy();
    fireEvent.pointerDown(panel); // a touch inside the panel: another 60 seconds
    await advance(59_999);
    expect(screen.getByTestId('admin-unlocked')).toBeTruthy();
    expect(terminal.callsOf('lockAdmin')).toEqual([]);
    await advance(1);
    expect(screen.queryByTestId('admin-panel')).toBeNull();
    await advance();
    expect(terminal.callsOf('lockAdmin')).toHaveLength(1);

    // Kept busy: the runtime's unlock still ends after 2 minutes, and so does the panel.
    const again = await openAdminPanel();
    await enterAdminPin('2468');
    await shown('admin-unlocked');
    for (let s = 0; s < 110; s += 10) {
      await advance(10_000);
      fireEvent.pointerDown(again);
    }
    await advance(9_999);
    expect(screen.getByTestId('admin-unlocked')).toBeTruthy();
    await advance(1);
    expect(screen.queryByTestId('admin-panel')).toBeNull();
    await advance();
    expect(terminal.callsOf('lockAdmin')).toHaveLength(2);
  });

  it('asks for the PIN again when the runtime’s unlock ended before 終了', async () => {
    vi.useFakeTimers();
    setup({
      terminal: {
        unlockAdmin: adminPin,
        adminExit: () => Promise.reject(new TerminalError('not_allowed', '管理者の暗証番号を入力してください。')),
      },
    });
    await shown('kiosk-start');
    await openAdminPanel();
    await enterAdminPin('2468');
    await shown('admin-unlocked');
    click('admin-exit');
    expect((await shown('admin-error')).textContent).toBe('管理者の暗証番号を入力してください。');
    expect(screen.getByTestId('admin-pin-pad')).toBeTruthy();
    expect(screen.queryByTestId('admin-exit')).toBeNull();
  });

  it('says how long to wait after too many wrong admin PINs, and takes PINs again afterwards', async () => {
    vi.useFakeTimers();
    const answers = [0, 0, 30];
    const { terminal } = setup({
      terminal: {
        unlockAdmin: (pin) =>
          Promise.resolve(
            pin === '2468' ? { unlocked: true, wait_seconds: 0 } : { unlocked: false, wait_seconds: answers.shift() ?? 900 },
          ),
      },
    });
    await shown('kiosk-start');
    await openAdminPanel();
    for (const _ of [1, 2]) {
      await enterAdminPin('1111');
      expect((await shown('admin-error')).textContent).toBe('暗証番号が違います。');
    }
    await enterAdminPin('1111');
    const waitShown = (seconds: number) =>
      `暗証番号を続けて間違えたため、しばらく入力できません（あと ${seconds} 秒）。`;
    expect((await shown('admin-wait')).textContent).toBe(waitShown(30));
    expect(screen.queryByTestId('admin-error')).toBeNull();
    expect((screen.getByTestId('admin-pin-key-1') as HTMLButtonElement).disabled).toBe(true);
    await advance(10_000);
    expect(screen.getByTestId('admin-wait').textContent).toBe(waitShown(20));
    await advance(19_000);
    expect(screen.getByTestId('admin-wait').textContent).toBe(waitShown(1));
    expect((screen.getByTestId('admin-pin-key-1') as HTMLButtonElement).disabled).toBe(true);
    await advance(1_000);
    expect(screen.queryByTestId('admin-wait')).toBeNull();
    expect((screen.getByTestId('admin-pin-key-1') as HTMLButtonElement).disabled).toBe(false);

    // A longer wait, in English minutes.
    click('admin-back');
    click('lang-en');
    await openAdminPanel();
    await enterAdminPin('1111');
    expect((await shown('admin-wait')).textContent).toBe(
      'The PIN was wrong too many times in a row. Please wait before trying again (15 min left).',
    );
    expect(terminal.callsOf('unlockAdmin')).toHaveLength(4);
  });

  it('tells only the unlocked administrator about a new version, never the residents', async () => {
    vi.useFakeTimers();
    const refused = 'サーバーの更新情報がこの端末より古いバージョンのため、更新を拒否しました。';
    const { terminal } = setup({
      status: { update: updateOffer, update_refused: refused },
      terminal: { unlockAdmin: adminPin },
    });
    const noUpdateOnScreen = () => {
      const text = document.body.textContent ?? '';
      expect(text).not.toContain('0.2.0');
      expect(text).not.toContain('新しいバージョン');
      expect(text).not.toContain('new version');
      expect(text).not.toContain(updateOffer.notes.slice(0, 10));
      expect(text).not.toContain(refused);
      expect(screen.queryByTestId('admin-update')).toBeNull();
    };
    await shown('kiosk-start');
    noUpdateOnScreen();
    // Pushed while a resident is at the kiosk: still nothing for them, in either language.
    act(() => terminal.emitStatus({ ...onlineStatus, update: updateOffer, update_refused: refused }));
    click('kiosk-start');
    await shown('event-転入');
    noUpdateOnScreen();
    click('lang-en');
    noUpdateOnScreen();
    click('lang-ja');

    // The PIN pad alone shows nothing either; after the PIN the administrator sees it.
    const corner = screen.getByTestId('admin-corner');
    fireEvent.pointerDown(corner);
    await advance(3_000);
    expect(screen.getByTestId('admin-panel')).toBeTruthy();
    noUpdateOnScreen();
    for (const d of '2468') click(`admin-pin-key-${d}`);
    click('admin-pin-ok');
    const offer = await shown('admin-update');
    expect(offer.textContent).toContain('新しいバージョン 0.2.0 があります（令和8年11月23日公開）');
    expect(screen.getByTestId('admin-update-notes').textContent).toBe(updateOffer.notes);
    expect(screen.getByTestId('admin-update-refused').textContent).toBe(refused);
  });

  it('says calmly on every screen, in the resident’s language, that the server cannot be reached', async () => {
    const { terminal } = setup({ online: false });
    await screen.findByTestId('kiosk-start');
    const banner = await screen.findByTestId('offline-banner');
    expect(banner.textContent).toBe('ただいまサーバーに接続できません。申請は受け付けて、この端末に保存します。');
    expect(banner.getAttribute('role')).toBe('status');
    click('kiosk-start');
    await screen.findByTestId('event-転入');
    expect(screen.getByTestId('offline-banner')).toBeTruthy();
    click('lang-en');
    expect(screen.getByTestId('offline-banner').textContent).toBe(
      'We cannot reach the server right now. Your application will still be accepted and kept on this terminal.',
    );
    // Back online (pushed by the runtime): gone, and the resident stays where they were.
    act(() => terminal.emitStatus({ ...onlineStatus, online: true }));
    expect(screen.queryByTestId('offline-banner')).toBeNull();
    expect(screen.getByTestId('event-転入')).toBeTruthy();
    // Offline again, then 最初に戻る: the banner stays with the terminal, not with the screen.
    act(() => terminal.emitStatus({ ...onlineStatus, online: false }));
    expect(screen.getByTestId('offline-banner').textContent).toContain('We cannot reach the server');
    click('kiosk-restart');
    click('restart-yes');
    await screen.findByTestId('kiosk-start');
    expect(screen.getByTestId('offline-banner').textContent).toBe(
      'ただいまサーバーに接続できません。申請は受け付けて、この端末に保存します。',
    );
  });

  it('shows no offline banner while online, and one as soon as the connection is lost', async () => {
    const { terminal } = setup();
    await screen.findByTestId('kiosk-start');
    await waitFor(() => expect(terminal.callsOf('status')).toHaveLength(1));
    expect(screen.queryByTestId('offline-banner')).toBeNull();
    act(() => terminal.emitStatus({ ...onlineStatus, online: false, outbox_pending: 1 }));
    expect(screen.getByTestId('offline-banner')).toBeTruthy();
    act(() => terminal.emitStatus({ ...onlineStatus, online: true }));
    expect(screen.queryByTestId('offline-banner')).toBeNull();
  });

  it('offers no context menu', async () => {
    setup();
    const start = await screen.findByTestId('kiosk-start');
    const event = new MouseEvent('contextmenu', { bubbles: true, cancelable: true });
    start.dispatchEvent(event);
    expect(event.defaultPrevented).toBe(true);
  });

  it('refuses to run without a kiosk terminal', () => {
    renderWithBackend(<KioskApp info={kioskInfo} />, new FakeBackend());
    expect(screen.getByTestId('kiosk-unavailable').textContent).toContain('この画面はキオスク端末でのみ利用できます');
    expect(screen.queryByTestId('kiosk-start')).toBeNull();
  });
});
