// The i18n core: `t()` and the languages of the UI.
//
// Japanese (`ja.ts`, with the area files of `admin/`, `staff/`, `public/` spread in) is the reference
// and is always loaded. The other languages are dictionaries of the resident-facing keys only, one
// folder per language, loaded lazily (a dynamic `import()` per language, so that a resident's first
// page carries Japanese only):
//
//   locales/<code>/index.ts    spreads the language's area files into one `Partial<Messages>`
//   locales/<code>/common.ts   shared texts residents see (loading, dates, eras, signature box, maintenance)
//   locales/<code>/kiosk.ts    `kiosk.*` (not `kiosk.memo.*`, written for the staff in Japanese)
//   locales/<code>/guide.ts    `guide.*` (the public 手続きガイド)
//   locales/<code>/apply.ts    `apply.*` (the resident's phone app) — add it and one line in index.ts
//   (en also has station.ts: the certificate station, English only so far)
//
// Codes: ja, easy (やさしい日本語), en, zh (简体中文), ko, vi, pt (Brazilian), ne, fil, id; the page's
// `lang` attribute is `htmlLang(code)` (`easy` → `ja`, `zh` → `zh-Hans`, `pt` → `pt-BR`).
// `t()` stays synchronous: until a language is loaded, and for any key it lacks, the Japanese text is
// used. Screens load a language with `useUiLanguage` (useLanguage.ts) and mark a Japanese fallback
// with `tx()` / `<FallbackText>` (Fallback.tsx). The check (`resident.test.ts`, `npm run i18n:missing`)
// lists the resident-facing keys each language lacks.
import { ja, type MessageKey, type Messages } from './ja';

/** Languages of the UI. Staff screens are Japanese only; the others are for residents. */
export type Locale = 'ja' | 'easy' | 'en' | 'zh' | 'ko' | 'vi' | 'pt' | 'ne' | 'fil' | 'id';

export type MessageParams = Readonly<Record<string, string | number>>;

export const LOCALES: readonly Locale[] = ['ja', 'easy', 'en', 'zh', 'ko', 'vi', 'pt', 'ne', 'fil', 'id'];

const HTML_LANG: Readonly<Record<Locale, string>> = {
  ja: 'ja',
  easy: 'ja',
  en: 'en',
  zh: 'zh-Hans',
  ko: 'ko',
  vi: 'vi',
  pt: 'pt-BR',
  ne: 'ne',
  fil: 'fil',
  id: 'id',
};

/** The BCP 47 tag for a page or element in `locale` (screen readers choose their voice by it). */
export function htmlLang(locale: Locale): string {
  return HTML_LANG[locale];
}

type Loader = () => Promise<{ messages: Partial<Messages> }>;

const loaders: Readonly<Record<Exclude<Locale, 'ja'>, Loader>> = {
  easy: () => import('./locales/easy'),
  en: () => import('./locales/en'),
  zh: () => import('./locales/zh'),
  ko: () => import('./locales/ko'),
  vi: () => import('./locales/vi'),
  pt: () => import('./locales/pt'),
  ne: () => import('./locales/ne'),
  fil: () => import('./locales/fil'),
  id: () => import('./locales/id'),
};

const loaded: Partial<Record<Locale, Partial<Messages>>> = { ja };
const loading: Partial<Record<Locale, Promise<void>>> = {};

export function isLocale(value: string): value is Locale {
  return (LOCALES as readonly string[]).includes(value);
}

/** Whether `locale`'s dictionary is here (Japanese always is). */
export function isLoaded(locale: Locale): boolean {
  return loaded[locale] !== undefined;
}

/** Fetches `locale`'s dictionary once; later calls share the same promise. */
export function loadLocale(locale: Locale): Promise<void> {
  if (locale === 'ja' || loaded[locale]) return Promise.resolve();
  loading[locale] ??= loaders[locale]().then(
    (m) => {
      loaded[locale] = m.messages;
    },
    (e: unknown) => {
      delete loading[locale]; // a later try may succeed (e.g. the network came back)
      throw e;
    },
  );
  return loading[locale];
}

let currentLocale: Locale = 'ja';

export function setLocale(locale: Locale): void {
  currentLocale = locale;
}

export function getLocale(): Locale {
  return currentLocale;
}

/** Replaces `{name}` placeholders; a placeholder without a value stays as written. */
export function interpolate(template: string, params?: MessageParams): string {
  if (!params) return template;
  return template.replace(/\{([A-Za-z0-9_]+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  );
}

/** The UI text for `key` in the current language, with `{name}` placeholders filled in. */
export function t(key: MessageKey, params?: MessageParams): string {
  return tIn(currentLocale, key, params);
}

/** The text for `key` in `locale` whatever the current language (e.g. Japanese notes for the staff). */
export function tIn(locale: Locale, key: MessageKey, params?: MessageParams): string {
  const template = loaded[locale]?.[key] ?? ja[key];
  return interpolate(template, params);
}

/**
 * Whether `key` shows in Japanese for want of a translation in `locale`, to be marked as such. Never
 * for `ja`, nor for `easy` (its missing keys show the ordinary Japanese: still Japanese, not marked).
 */
export function isFallback(key: MessageKey, locale: Locale = currentLocale): boolean {
  return !isJapanese(locale) && loaded[locale]?.[key] === undefined;
}

/** `ja` and `easy` (やさしい日本語): Japanese text needs no mark. */
export function isJapanese(locale: Locale): boolean {
  return locale === 'ja' || locale === 'easy';
}
