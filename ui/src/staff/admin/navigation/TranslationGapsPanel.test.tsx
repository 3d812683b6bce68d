import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FakeBackend } from '../../../test/FakeBackend';
import { renderWithBackend } from '../../../test/render';
import { TranslationGapsPanel } from './TranslationGapsPanel';

describe('the list of texts without a translation', () => {
  it('names, per language, the procedures and questions shown in Japanese and which of their fields', async () => {
    const missing = ['procedure LOCAL-GOMI: name, department, counter, explanation, reasons', 'question local_bag: text, options'];
    const backend = new FakeBackend({
      navigationTranslationGaps: () =>
        Promise.resolve({ languages: [{ lang: 'vi', missing }, { lang: 'en', missing: [] }] }),
    });
    renderWithBackend(<TranslationGapsPanel />, backend);
    const vi = await screen.findByTestId('nav-translations-vi');
    expect(vi.querySelector('summary')?.textContent).toBe('ベトナム語：2件');
    expect([...vi.querySelectorAll('li')].map((li) => li.textContent)).toEqual([
      'LOCAL-GOMI（名前・担当課・窓口・説明・理由）',
      'local_bag（質問文・選択肢）',
    ]);
    expect(screen.queryByTestId('nav-translations-en')).toBeNull();
  });

  it('says when everything is translated, and when the list cannot be read', async () => {
    renderWithBackend(<TranslationGapsPanel />, new FakeBackend({ navigationTranslationGaps: () => Promise.resolve({ languages: [{ lang: 'vi', missing: [] }] }) }));
    expect(await screen.findByText('すべて訳があります。')).toBeTruthy();
  });
});
