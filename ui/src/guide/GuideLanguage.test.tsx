import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { EvaluateRequest, GuideResponse } from '../api/types';
import { FakeBackend } from '../test/FakeBackend';
import { renderWithBackend } from '../test/render';
import { GuidePage } from './GuidePage';

const size = { id: 'bag', text: 'Túi cỡ nào?', kind: 'choice', options: ['大', '小'], option_labels: ['Lớn', 'Nhỏ'] };

const vietnamese = (req: EvaluateRequest): GuideResponse => ({
  city: 'さくら野市',
  procedures: [
    // Two translated reasons, to show how they are joined.
    { code: 'JUKI-TENNYU', name: 'Thông báo chuyển đến', department: 'Ban Thị dân', counter: 'Quầy cư trú', on_the_spot: true, reasons: ['Vì quý vị chuyển đến từ ngoài thành phố', 'Vì có người từ 18 tuổi trở lên chuyển đến'], bring: ['Giấy chứng nhận chuyển đi'], explanation: '', pamphlets: [] },
    { code: 'LOCAL-GOMI', name: '指定ごみ袋の配布', department: '環境課', counter: '環境課 窓口', on_the_spot: false, reasons: ['転入された世帯のため', '大きい袋を希望されたため'], bring: [], explanation: '', pamphlets: [], japanese: ['name', 'department', 'counter', 'explanation', 'reasons'] },
  ],
  next_questions: req.answers?.['bag'] === undefined ? [size] : [],
  answered: req.answers?.['bag'] === undefined ? [] : [size],
});

afterEach(() => {
  window.history.replaceState(null, '', '#/');
  document.documentElement.lang = 'ja';
});

describe('the 手続きガイド in another language', () => {
  it('speaks the language of its URL, marks what is Japanese and answers with the Japanese option', async () => {
    window.history.replaceState(null, '', '#/guide?tenant=sakurano&lang=vi&e=転入&m=30.世帯主.s');
    const backend = new FakeBackend({ guide: (_t, req) => Promise.resolve(vietnamese(req)) });
    renderWithBackend(<GuidePage />, backend);
    expect(await screen.findByText('Hướng dẫn thủ tục')).toBeTruthy();
    await waitFor(() => expect(document.documentElement.lang).toBe('vi'));
    const [, , lang] = backend.callsOf('guide').at(-1) as [string, EvaluateRequest, string];
    expect(lang).toBe('vi');
    // Translated: plain; left in Japanese: lang="ja" and the 日本語 tag.
    const procedures = await screen.findAllByTestId('guide-procedure');
    expect(procedures[0]?.textContent).toContain('Thông báo chuyển đến');
    expect(procedures[0]?.querySelector('strong [lang="ja"]')).toBeNull();
    const local = procedures[1]?.querySelector('strong [data-testid="i18n-fallback"]');
    expect(local?.getAttribute('lang')).toBe('ja');
    expect(local?.textContent).toBe('指定ごみ袋の配布日本語');
    // The rules' reasons: translated ones joined in the language, plain; the city's own, in Japanese
    // sentences and marked.
    expect(procedures[0]?.textContent).toContain('Lý do: Vì quý vị chuyển đến từ ngoài thành phố; Vì có người từ 18 tuổi trở lên chuyển đến');
    expect(procedures[0]?.querySelector('[data-testid="i18n-fallback"]')).toBeNull();
    const reasons = [...(procedures[1]?.querySelectorAll('[data-testid="i18n-fallback"]') ?? [])].map((e) => e.textContent);
    expect(reasons).toContain('転入された世帯のため。大きい袋を希望されたため日本語');
    // The option's label is Vietnamese; the answer sent is the Japanese option.
    const options = screen.getAllByTestId('guide-option');
    expect(options.map((o) => o.textContent)).toEqual(['Lớn', 'Nhỏ']);
    fireEvent.click(options[0] as HTMLElement);
    await waitFor(() => expect((backend.callsOf('guide').at(-1) as [string, EvaluateRequest])[1].answers).toEqual({ bag: '大' }));
    expect((await screen.findByTestId('guide-answers')).textContent).toContain('Túi cỡ nào?：Trả lời: Lớn');
  });

  it('offers the ten languages, each named in itself, and keeps the choice in the URL', async () => {
    window.history.replaceState(null, '', '#/guide?tenant=sakurano');
    const backend = new FakeBackend({ guide: (_t, req) => Promise.resolve(vietnamese(req)) });
    renderWithBackend(<GuidePage />, backend);
    const menu = screen.getByTestId('guide-lang') as HTMLSelectElement;
    expect([...menu.options].map((o) => o.value)).toEqual(['ja', 'easy', 'en', 'zh', 'ko', 'vi', 'pt', 'ne', 'fil', 'id']);
    expect([...menu.options].find((o) => o.value === 'zh')?.getAttribute('lang')).toBe('zh-Hans');
    fireEvent.change(menu, { target: { value: 'ko' } });
    expect(await screen.findByText('절차 안내')).toBeTruthy();
    expect(window.location.hash).toContain('lang=ko');
    await waitFor(() => expect(document.documentElement.lang).toBe('ko'));
    fireEvent.change(menu, { target: { value: 'ja' } });
    expect(await screen.findByText('手続きガイド')).toBeTruthy();
    expect(window.location.hash).not.toContain('lang=');
  });
});
