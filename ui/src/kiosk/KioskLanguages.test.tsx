import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { EvaluateRequest, EvaluateResponse, ProcedureView } from '../api/types';
import { setLocale } from '../i18n';
import { FakeBackend } from '../test/FakeBackend';
import { FakeTerminal, kioskInfo, onlineStatus } from '../test/FakeTerminal';
import { renderWithBackend } from '../test/render';
import { KioskApp } from './KioskApp';

const ALL = ['ja', 'easy', 'en', 'zh', 'ko', 'vi', 'pt', 'ne', 'fil', 'id'];

function procedure(code: string, name: string, counter: string, japanese?: string[]): ProcedureView {
  return {
    code, name, counter, department: counter, on_the_spot: false, reasons: [], forms: [], bring: [], explanation: '',
    guidance: '', legal_basis: '', pamphlets: [], questions: [], permission: '', valid_from: '2020-01-01', japanese,
  };
}

/** 手続きナビ: Japanese without `lang`; Vietnamese with `vi`, but for the city's own procedure. */
function navigation(req: EvaluateRequest, lang?: string): Promise<EvaluateResponse> {
  const answered = 'bag' in (req.answers ?? {});
  const vi = lang === 'vi';
  const question = { id: 'bag', text: vi ? 'Túi cỡ nào?' : 'ごみ袋の大きさは', kind: 'choice', options: ['大', '小'], ...(vi ? { option_labels: ['Lớn', 'Nhỏ'] } : {}) };
  return Promise.resolve({
    next_questions: answered ? [] : [question],
    procedures: [
      procedure('JIDOU', vi ? 'Trợ cấp nhi đồng' : '児童手当の認定請求', vi ? 'Ban Trẻ em' : 'こども課'),
      procedure('LOCAL-GOMI', '指定ごみ袋の配布', '環境課', vi ? ['name', 'counter'] : undefined),
    ],
  });
}

const notice = { text_ja: '12月20日は受付を停止します。', text_en: 'Closed on December 20.', window_start: '2026-12-20T00:00:00Z', window_end: '2026-12-20T03:00:00Z', active: false };

function setup(languages: string[]) {
  const terminal = new FakeTerminal({}, { ...kioskInfo, languages }, onlineStatus);
  const backend = new FakeBackend(
    { evaluate: navigation, towns: () => Promise.resolve([]), maintenanceStatus: () => Promise.resolve([notice]) },
    { terminal },
  );
  renderWithBackend(<KioskApp info={{ ...terminal.infoValue }} />, backend);
  return backend;
}

afterEach(() => setLocale('ja'));

describe('the kiosk in ten languages', () => {
  it('offers every configured language, each named in itself', async () => {
    setup(ALL);
    await screen.findByTestId('kiosk-start');
    for (const l of ALL) expect(screen.getByTestId(`lang-${l}`)).toBeTruthy();
    expect(screen.getByTestId('lang-ne').textContent).toBe('नेपाली');
    expect(screen.getByTestId('lang-zh').getAttribute('lang')).toBe('zh-Hans');
    fireEvent.click(screen.getByTestId('lang-pt'));
    expect(screen.getByTestId('kiosk-start').textContent).toBe('Começar');
    expect(screen.getByTestId('kiosk').getAttribute('lang')).toBe('pt-BR');
  });

  it('asks 手続きナビ in the language, answers in Japanese, and marks what stays Japanese', async () => {
    const backend = setup(ALL);
    await screen.findByTestId('kiosk-start');
    fireEvent.click(screen.getByTestId('lang-vi'));
    fireEvent.click(screen.getByTestId('kiosk-start'));
    fireEvent.click(screen.getByTestId('event-転入'));
    expect(await screen.findByText('Túi cỡ nào?')).toBeTruthy();
    expect(screen.getByTestId('answer-option-0').textContent).toBe('Lớn');
    fireEvent.click(screen.getByTestId('answer-option-0'));
    await screen.findByTestId('kiosk-procedures');
    // The answer sent is the Japanese option, to both evaluations (Japanese for the case, Vietnamese to show).
    const calls = backend.callsOf('evaluate') as [EvaluateRequest, string?][];
    const last = calls.slice(-2);
    expect(last.map(([req]) => req.answers)).toEqual([{ bag: '大' }, { bag: '大' }]);
    expect(last.map(([, lang]) => lang ?? 'ja').sort()).toEqual(['ja', 'vi']);
    const items = screen.getAllByTestId('kiosk-procedure');
    expect(items[0]?.textContent).toContain('Trợ cấp nhi đồng');
    expect(items[0]?.textContent).toContain('Ban Trẻ em');
    const marked = items[1]?.querySelectorAll('[data-testid="i18n-fallback"]') ?? [];
    expect([...marked].map((m) => [m.getAttribute('lang'), m.textContent])).toEqual([
      ['ja', '指定ごみ袋の配布日本語'],
      ['ja', '環境課日本語'],
    ]);
  });

  it("shows the city's maintenance notice in English, and marked Japanese in the other languages", async () => {
    setup(ALL);
    await screen.findByTestId('maintenance-notice');
    fireEvent.click(screen.getByTestId('lang-en'));
    expect(screen.getByTestId('maintenance-notice').textContent).toContain('Closed on December 20.');
    fireEvent.click(screen.getByTestId('lang-vi'));
    const marked = screen.getByTestId('maintenance-notice').querySelector('[data-testid="i18n-fallback"]');
    expect(marked?.getAttribute('lang')).toBe('ja');
    expect(marked?.textContent).toBe('12月20日は受付を停止します。日本語');
    expect(screen.getByTestId('maintenance-notice').textContent).toContain('Thông báo tạm dừng hệ thống');
  });

  it('asks in Japanese only once when the resident reads Japanese', async () => {
    const backend = setup(['ja']);
    fireEvent.click(await screen.findByTestId('kiosk-start'));
    fireEvent.click(screen.getByTestId('event-転入'));
    expect(await screen.findByText('ごみ袋の大きさは')).toBeTruthy();
    await waitFor(() => expect(backend.callsOf('evaluate')).toHaveLength(1));
    expect(screen.queryByTestId('lang-ja')).toBeNull();
  });
});
