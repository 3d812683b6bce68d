import { en } from './en';
import { ja, type MessageKey, type Messages } from './ja';

/** Languages of the UI. Staff screens are Japanese only; `en` is meant for the kiosk. */
export type Locale = 'ja' | 'en';

export type MessageParams = Readonly<Record<string, string | number>>;

// Japanese is complete; other languages may be partial and fall back to Japanese key by key.
const dictionaries: { readonly ja: Messages } & { readonly [L in Exclude<Locale, 'ja'>]: Partial<Messages> } = {
  ja,
  en,
};

export const LOCALES: readonly Locale[] = ['ja', 'en'];

export function isLocale(value: string): value is Locale {
  return (LOCALES as readonly string[]).includes(value);
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
  const template = dictionaries[locale][key] ?? dictionaries.ja[key];
  return interpolate(template, params);
}
