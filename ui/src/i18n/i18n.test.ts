import { afterEach, describe, expect, it } from 'vitest';
import { getLocale, interpolate, loadLocale, setLocale, t, tIn } from './index';

describe('t', () => {
  afterEach(() => setLocale('ja'));

  it('returns the Japanese text of a key', () => {
    expect(t('login.submit')).toBe('ログイン');
  });

  it('fills {name} placeholders', () => {
    expect(t('search.count', { count: 3 })).toBe('3件');
    expect(t('resident.supportMeasure', { label: '仮支援措置' })).toBe('仮支援措置対象者 — 住所は表示しません');
  });

  it('falls back to Japanese for a key the current language lacks', async () => {
    await loadLocale('en');
    setLocale('en');
    expect(getLocale()).toBe('en');
    expect(t('login.submit')).toBe('ログイン');
  });
});

describe('interpolate', () => {
  it('replaces every occurrence and leaves unknown placeholders as written', () => {
    expect(interpolate('{a}と{a}、{b}', { a: 'X' })).toBe('XとX、{b}');
  });

  it('accepts numbers, including 0', () => {
    expect(interpolate('{n}件', { n: 0 })).toBe('0件');
  });

  it('returns the template when there are no params', () => {
    expect(interpolate('{n}件')).toBe('{n}件');
  });
});

describe('English table', () => {
  afterEach(() => setLocale('ja'));

  it('translates every kiosk text except the notes written for the staff', async () => {
    const { ja } = await import('./ja');
    const { messages: en } = await import('./locales/en');
    const missing = Object.keys(ja).filter(
      (k) => k.startsWith('kiosk.') && !k.startsWith('kiosk.memo.') && !(k in en),
    );
    expect(missing).toEqual([]);
    expect(Object.keys(en).filter((k) => k.startsWith('kiosk.memo.'))).toEqual([]);
  });

  it('tIn gives one language whatever the current one', async () => {
    await loadLocale('en');
    setLocale('en');
    expect(t('kiosk.start.button')).toBe('Start');
    expect(tIn('ja', 'kiosk.start.button')).toBe('はじめる');
  });
});
