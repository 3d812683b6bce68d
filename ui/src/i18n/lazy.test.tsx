// Lazy loading of the languages: nothing but Japanese until asked, `t()` stays synchronous (Japanese
// until the dictionary is here), the fallback is visible.
import { render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';

async function fresh() {
  vi.resetModules();
  return import('./index');
}

describe('languages load lazily', () => {
  it('answers in Japanese until the language is loaded, then in it', async () => {
    const i18n = await fresh();
    expect(i18n.isLoaded('vi')).toBe(false);
    i18n.setLocale('vi');
    expect(i18n.t('guide.heading')).toBe('手続きガイド');
    await i18n.loadLocale('vi');
    expect(i18n.isLoaded('vi')).toBe(true);
    expect(i18n.t('guide.heading')).toBe('Hướng dẫn thủ tục');
    expect(i18n.isLoaded('ko')).toBe(false);
    i18n.setLocale('ja');
  });

  it('marks a Japanese fallback with lang="ja" and a tag, but not in Japanese or やさしい日本語', async () => {
    const i18n = await fresh();
    await i18n.loadLocale('en');
    i18n.setLocale('en');
    render(<p data-testid="p">{i18n.tx('guide.heading')} / <i18n.FallbackText text="転入届" japanese /></p>);
    const marked = screen.getAllByTestId('i18n-fallback');
    expect(marked).toHaveLength(1);
    expect(marked[0]?.getAttribute('lang')).toBe('ja');
    expect(marked[0]?.textContent).toBe('転入届日本語');
    expect(screen.getByTestId('p').textContent).toContain('Procedure guide');
    i18n.setLocale('easy');
    render(<i18n.FallbackText text="転入届" japanese />);
    expect(screen.getAllByTestId('i18n-fallback')).toHaveLength(1);
    i18n.setLocale('ja');
  });

  it('gives each language its lang attribute', async () => {
    const i18n = await fresh();
    expect(i18n.htmlLang('easy')).toBe('ja');
    expect(i18n.htmlLang('zh')).toBe('zh-Hans');
    expect(i18n.htmlLang('fil')).toBe('fil');
  });
});
