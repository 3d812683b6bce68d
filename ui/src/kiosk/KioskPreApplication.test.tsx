import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type {
  EvaluateRequest,
  EvaluateResponse,
  KioskPreApplication,
  KioskPreApplicationRequest,
  PreApplicationEntries,
} from '../api/types';
import { BackendError, type KioskSubmission } from '../backend';
import { FakeBackend, type FakeHandlers } from '../test/FakeBackend';
import { FakeTerminal, cardHolder, kioskInfo, onlineStatus } from '../test/FakeTerminal';
import { renderWithBackend } from '../test/render';
import { KioskApp } from './KioskApp';

// 事前申請 at the kiosk (issue 21 point 3): the resident's QR code (serial or keyboard-wedge scanner,
// or the terminal's camera; in several parts) or 受付番号 + birth date fills the kiosk's steps;
// identity is still the card's.

// The camera's frames as its decoder reads them (the picture itself is the browser's: not in jsdom).
const cameraFrames: (string | null)[] = [];
vi.mock('../components/camera/qrDecoder', async (importOriginal) => {
  const real = await importOriginal<typeof import('../components/camera/qrDecoder')>();
  return {
    ...real,
    grabFrame: () => ({ data: new Uint8ClampedArray(4), width: 1, height: 1 }) as ImageData,
    loadDecoder: () => Promise.resolve(() => (cameraFrames.length > 1 ? cameraFrames.shift()! : (cameraFrames[0] ?? null))),
  };
});

const towns = [
  { town: '本町', town_code: '0001001', postal_code: '3799001', full: '群馬県さくら野市本町' },
  { town: '桜台', town_code: '0002001', postal_code: '3799002', full: '群馬県さくら野市桜台' },
];

/** What a resident entered on the phone: a 転入 with a wife and a child moving too, a grandmother staying. */
function entries(over: Partial<PreApplicationEntries> = {}): PreApplicationEntries {
  return {
    event: '転入',
    detail: '国内',
    language: 'ja',
    answers: { kokuho: true },
    members: [
      { name: '桜野 一郎', kana: 'サクラノ イチロウ', birth: '1990-05-01', sex: '男', relation: '本人', mover: true },
      { name: '桜野 花子', kana: 'サクラノ ハナコ', birth: '1992-07-07', sex: '女', relation: '妻', mover: true },
      { name: '桜野 次郎', kana: 'サクラノ ジロウ', birth: '2020-02-02', sex: '男', relation: '子', mover: true },
      { name: '桜野 ウメ', kana: 'サクラノ ウメ', birth: '1940-01-01', sex: '女', relation: '祖母', mover: false },
    ],
    old_address: '東京都千代田区霞が関1-1-1',
    new_address: { town: '本町', town_code: '0001001', banchi: '１－２－３', katagaki: 'さくらハイツ101' },
    ...over,
  };
}

function found(number: string | null, over: Partial<PreApplicationEntries> = {}): KioskPreApplication {
  return { number, body: { tenant: 'demo', issued: '2026-12-01', entries: entries(over) } };
}

/** 手続きナビ: one question (kokuho); 国保 when answered yes. */
function navigation(req: EvaluateRequest): Promise<EvaluateResponse> {
  const answers = req.answers ?? {};
  const procedure = (code: string, name: string) => ({
    code, name, counter: '市民課', department: '市民課', on_the_spot: true, reasons: [], forms: [], bring: [],
    explanation: '', guidance: '', legal_basis: '', pamphlets: [], questions: [], permission: '', valid_from: '2020-01-01',
  });
  const procedures = [procedure('JUKI-TENNYU', '転入届')];
  if (answers.kokuho === true) procedures.push(procedure('KOKUHO', '国民健康保険の加入'));
  const next_questions = 'kokuho' in answers ? [] : [{ id: 'kokuho', text: '国民健康保険に加入しますか', kind: 'yes_no', options: [] }];
  return Promise.resolve({ procedures, next_questions });
}

function setup(read: FakeHandlers['kioskPreApplication'], options: { languages?: string[] } = {}) {
  const terminal = new FakeTerminal(
    { readCard: () => Promise.resolve(cardHolder) },
    { ...kioskInfo, idle_reset_seconds: 60, languages: options.languages ?? ['ja', 'en'] },
    onlineStatus,
  );
  const backend = new FakeBackend(
    { evaluate: navigation, towns: () => Promise.resolve(towns), kioskPreApplication: read },
    { terminal },
  );
  renderWithBackend(<KioskApp info={{ ...terminal.infoValue }} />, backend);
  return { backend, terminal };
}

const click = (testId: string) => fireEvent.click(screen.getByTestId(testId));
const requests = (backend: FakeBackend) => backend.callsOf('kioskPreApplication').map(([r]) => r as KioskPreApplicationRequest);

/** A keyboard-wedge scanner: the symbol's characters as keystrokes, then Enter. */
function wedge(line: string) {
  for (const key of line) fireEvent.keyDown(window, { key });
  fireEvent.keyDown(window, { key: 'Enter' });
}

async function scan(terminal: FakeTerminal, line: string) {
  await act(async () => terminal.emitQrScanned(line));
}

async function throughCardToHousehold() {
  click('questions-done');
  await screen.findByTestId('id-card');
  click('id-card');
  for (const d of '1234') fireEvent.click(await screen.findByTestId(`pin-key-${d}`));
  click('pin-ok');
  fireEvent.click(await screen.findByTestId('card-next'));
  await screen.findByTestId('household-next');
}

const names = () => screen.getAllByTestId('person-name').map((n) => n.textContent);

beforeEach(() => {
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null);
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('a 事前申請 at the kiosk', () => {
  it('invites the resident on the start screen', async () => {
    setup(() => Promise.reject(new Error('not called')));
    expect((await screen.findByTestId('kiosk-pre')).textContent).toContain(
      'スマートフォンで事前申請をした方は、QRコードを読み取り機にかざしてください',
    );
    expect(screen.getByTestId('pre-by-number').textContent).toBe('受付番号で呼び出す');
  });

  it('scanned on the serial scanner fills the event, answers, family and address; the card still identifies', async () => {
    const { backend, terminal } = setup(() => Promise.resolve(found(null)));
    await screen.findByTestId('kiosk-start');
    await scan(terminal, 'MDG1.1.1.abcdef.AAAA');
    expect(requests(backend)).toEqual([{ symbols: ['MDG1.1.1.abcdef.AAAA'] }]);

    // Straight to 手続きナビ with the phone's answers: no question left, the procedures found.
    await screen.findByTestId('questions-done');
    expect(screen.getByTestId('pre-loaded').textContent).toBe('事前申請の内容を読み込みました');
    expect(screen.getAllByTestId('kiosk-procedure').map((p) => p.textContent)).toEqual([
      expect.stringContaining('転入届'),
      expect.stringContaining('国民健康保険の加入'),
    ]);
    expect(backend.callsOf('evaluate').at(-1)![0]).toMatchObject({ event: '転入', answers: { kokuho: true } });

    // The applicant is the card's holder, not the phone's entry; the family moving with them follows.
    await throughCardToHousehold();
    expect(names()).toEqual(['山田 太郎', '桜野 花子', '桜野 次郎']);
    const rows = screen.getAllByTestId('person-row');
    expect(rows[1]!.textContent).toContain('妻');
    expect(rows[2]!.textContent).toContain('子');
    click('household-next');

    // The 町字 by its code and the 番地 as the keypad types it, both still changeable.
    await screen.findByTestId('town-0001001');
    expect(screen.getByTestId('town-0001001').getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByTestId('banchi-typed').textContent).toBe('1-2-3');
    expect(screen.getByTestId('address-preview').textContent).toContain('群馬県さくら野市本町一丁目2番3号');
    click('banchi-delete');
    expect(screen.getByTestId('banchi-typed').textContent).toBe('1-2-');
  });

  it('takes a keyboard-wedge scanner’s line on the event screen; other lines are ignored', async () => {
    const { backend } = setup(() => Promise.resolve(found(null, { event: '転居', new_address: { town: '桜台', banchi: '4-5' } })));
    click('kiosk-start');
    await screen.findByTestId('event-転居');
    // Enter without a symbol typed before it does nothing (and a button keeps its own Enter).
    wedge('hello');
    expect(requests(backend)).toEqual([]);
    wedge('MDG1.1.1.abc123.QUJD');
    expect(requests(backend)).toEqual([{ symbols: ['MDG1.1.1.abc123.QUJD'] }]);
    await screen.findByTestId('questions-done');
    expect(screen.getByTestId('pre-loaded')).toBeTruthy();
  });

  it('counts the parts of a code in several symbols in the resident’s language, keeping them', async () => {
    const read = (req: KioskPreApplicationRequest) =>
      'symbols' in req && req.symbols.length === 3
        ? Promise.resolve(found(null))
        : Promise.reject(new BackendError('validation', { status: 422, code: 'qr_incomplete', message: 'QRコードは3枚…' }));
    const { backend, terminal } = setup(read);
    await screen.findByTestId('kiosk-start');
    await scan(terminal, 'MDG1.2.3.abcdef.BBBB');
    expect((await screen.findByTestId('pre-progress')).textContent).toBe(
      'QRコード3枚のうち1枚を読み取りました。残りの2枚も読み取り機にかざしてください。',
    );
    // The same symbol twice counts once; in English the count reads so.
    await scan(terminal, 'MDG1.2.3.abcdef.BBBB');
    click('lang-en');
    await waitFor(() =>
      expect(screen.getByTestId('pre-progress').textContent).toBe(
        '1 of 3 QR codes read. Please hold the remaining 2 up to the scanner too.',
      ),
    );
    await scan(terminal, 'MDG1.1.3.abcdef.AAAA');
    await waitFor(() => expect(screen.getByTestId('pre-progress').textContent).toContain('2 of 3'));
    await scan(terminal, 'MDG1.3.3.abcdef.CCCC');
    await screen.findByTestId('questions-done');
    expect(requests(backend).at(-1)).toEqual({
      symbols: ['MDG1.2.3.abcdef.BBBB', 'MDG1.1.3.abcdef.AAAA', 'MDG1.3.3.abcdef.CCCC'],
    });
    expect(screen.getByTestId('pre-loaded').textContent).toBe('Your advance application has been loaded');
  });

  it('is called up by 受付番号 on the keypad and the birth date in 和暦', async () => {
    const { backend } = setup(() => Promise.resolve(found('12345671')));
    click('pre-by-number');
    for (const d of '123456719') click(`pre-number-key-${d}`); // a ninth digit is not taken
    expect(screen.getByTestId('pre-number-typed').textContent).toBe('1234-5671');
    click('pre-number-ok');
    click('birth-era-heisei');
    click('birth-year');
    click('birth-year-2');
    click('birth-month');
    click('birth-month-5');
    click('birth-day');
    click('birth-day-1');
    expect(screen.getByTestId('birth-result').textContent).toBe('平成2年5月1日');
    click('pre-number-read');
    await screen.findByTestId('questions-done');
    expect(requests(backend)).toEqual([{ number: '12345671', birth: '1990-05-01' }]);
    expect(screen.getByTestId('pre-loaded').textContent).toBe('事前申請の内容を読み込みました（受付番号 1234-5671）');
  });

  it('says why a code or a number is refused, in the resident’s language', async () => {
    let answer: () => Promise<KioskPreApplication> = () =>
      Promise.reject(new BackendError('validation', { status: 422, code: 'qr_not_for_kiosk', message: '…' }));
    const { terminal } = setup(() => answer());
    await screen.findByTestId('kiosk-start');
    await scan(terminal, 'MDG1.1.1.abcdef.CASE');
    expect((await screen.findByTestId('pre-error')).textContent).toBe(
      'このQRコードはキオスクでは読み取れません。窓口へお越しください。',
    );
    // Not a Madoguchi code at all: refused without asking the server.
    await scan(terminal, 'https://example.com');
    expect(screen.getByTestId('pre-error').textContent).toContain('スマートフォンの事前申請のQRコード');
    // An event the kiosk does not take (死亡) or a move from abroad: to the counter.
    answer = () => Promise.resolve(found(null, { event: '死亡' }));
    click('lang-en');
    await scan(terminal, 'MDG1.1.1.abcdef.DEAD');
    await waitFor(() =>
      expect(screen.getByTestId('pre-error').textContent).toBe(
        'The procedure of this advance application cannot be done at the kiosk. Please go to the counter.',
      ),
    );
    answer = () => Promise.resolve(found(null, { detail: '国外' }));
    await scan(terminal, 'MDG1.1.1.abcdef.ABRD');
    await waitFor(() => expect(screen.getByTestId('pre-error').textContent).toContain('cannot be done at the kiosk'));
    answer = () => Promise.reject(new BackendError('validation', { status: 422, code: 'pre_application_expired' }));
    await scan(terminal, 'MDG1.1.1.abcdef.OLD0');
    await waitFor(() => expect(screen.getByTestId('pre-error').textContent).toContain('more than 30 days old'));
    // A wrong number or birth date, on the number screen.
    answer = () => Promise.reject(new BackendError('not_found', { status: 404, code: 'not_found' }));
    click('lang-ja');
    click('pre-by-number');
    expect(screen.queryByTestId('pre-error')).toBeNull();
    for (const d of '12345671') click(`pre-number-key-${d}`);
    click('pre-number-next');
    click('pre-number-read');
    expect((await screen.findByTestId('pre-error')).textContent).toBe(
      '受付番号か生年月日が違うか、事前申請が削除されています。もう一度確かめてください。',
    );
    expect(screen.getByTestId('kiosk-pre-birth')).toBeTruthy();
  });

  it('is erased with everything else on 最初に戻る, and written into the memo of the application', async () => {
    const { terminal } = setup(() => Promise.resolve(found('12345671')));
    await screen.findByTestId('kiosk-start');
    await scan(terminal, 'MDG1.1.1.abcdef.AAAA');
    await screen.findByTestId('questions-done');
    click('kiosk-restart');
    click('restart-yes');
    await screen.findByTestId('kiosk-start');
    click('kiosk-start');
    await screen.findByTestId('event-転入');
    expect(screen.getByTestId('event-転入').getAttribute('aria-pressed')).toBe('false');
    expect(screen.queryByTestId('pre-loaded')).toBeNull();

    // Read again and submitted: the staff read where the entries came from.
    await scan(terminal, 'MDG1.1.1.abcdef.AAAA');
    await throughCardToHousehold();
    click('household-next');
    fireEvent.click(await screen.findByTestId('address-next'));
    const canvas = await screen.findByTestId('signature-pad');
    fireEvent.pointerDown(canvas, { clientX: 20, clientY: 30, pressure: 0.4, buttons: 1, pointerId: 1 });
    fireEvent.pointerMove(canvas, { clientX: 120, clientY: 50, pressure: 0.5, buttons: 1, pointerId: 1 });
    fireEvent.pointerUp(canvas, { clientX: 120, clientY: 50, pressure: 0, buttons: 0, pointerId: 1 });
    click('signature-next');
    fireEvent.click(await screen.findByTestId('submit'));
    await screen.findByTestId('receipt-no');
    const [[submission]] = terminal.callsOf('kioskSubmit') as [[KioskSubmission]];
    expect(submission.document.memo).toContain('事前申請（受付番号 1234-5671）の内容をキオスクで読み込み');
    expect(submission.document.visitor?.name).toBe('山田 太郎');
    const people = submission.document.notifications![0]!.members!.map((m) => m.name);
    expect(people).toEqual(['山田 太郎', '桜野 花子', '桜野 次郎']);
    expect(within(screen.getByTestId('kiosk')).queryByTestId('pre-loaded')).toBeNull();
  });

  it('leaves a refusal behind when the resident starts without it', async () => {
    const { terminal } = setup(() => Promise.reject(new BackendError('validation', { status: 422, code: 'qr_bad_signature' })));
    await screen.findByTestId('kiosk-start');
    await scan(terminal, 'MDG1.1.1.abcdef.AAAA');
    expect((await screen.findByTestId('pre-error')).textContent).toBe('QRコードの内容を確認できませんでした。窓口へお越しください。');
    click('kiosk-start');
    await screen.findByTestId('event-転入');
    expect(screen.queryByTestId('pre-error')).toBeNull();
  });

  it('reads the code in several parts from the terminal’s camera, saying what is missing', async () => {
    HTMLMediaElement.prototype.play = () => Promise.resolve();
    const stop = vi.fn();
    Object.defineProperty(navigator, 'mediaDevices', {
      value: { getUserMedia: () => Promise.resolve({ getTracks: () => [{ stop }] }) },
      configurable: true,
    });
    cameraFrames.push(null, 'MDG1.1.2.abcdef.AAAA', 'MDG1.1.2.abcdef.AAAA', 'MDG1.2.2.abcdef.BBBB');
    const { backend } = setup((req) =>
      ('symbols' in req ? req.symbols.length : 0) < 2
        ? Promise.reject(new BackendError('validation', { status: 422, code: 'qr_incomplete', message: 'QRコードは2枚…' }))
        : Promise.resolve(found(null)),
    );
    fireEvent.click(await screen.findByTestId('camera-scan'));
    expect(within(screen.getByTestId('camera-dialog')).getByRole('heading').textContent).toBe('カメラでQRコードを読み取る');
    await waitFor(() => expect(screen.getByTestId('camera-feedback').textContent).toContain('2'), { timeout: 3000 });
    await screen.findByTestId('questions-done', {}, { timeout: 3000 });
    expect(screen.queryByTestId('camera-dialog')).toBeNull();
    expect(stop).toHaveBeenCalled();
    expect(requests(backend)).toEqual([
      { symbols: ['MDG1.1.2.abcdef.AAAA'] },
      { symbols: ['MDG1.1.2.abcdef.AAAA', 'MDG1.2.2.abcdef.BBBB'] },
    ]);
    expect(screen.getByTestId('pre-loaded').textContent).toBe('事前申請の内容を読み込みました');
    Object.defineProperty(navigator, 'mediaDevices', { value: undefined, configurable: true });
  });

  it('takes no scan once the resident is past the event screen', async () => {
    const { backend, terminal } = setup(() => Promise.resolve(found(null)));
    click('kiosk-start');
    click('event-転居');
    await screen.findByTestId('kiosk-questions');
    await scan(terminal, 'MDG1.1.1.abcdef.AAAA');
    wedge('MDG1.1.1.abcdef.AAAA');
    expect(requests(backend)).toEqual([]);
    expect(terminal.qrListenerCount).toBe(0);
  });
});
