// The i18n layer: every user-facing text goes through `t()`.
export type { MessageKey, Messages } from './ja';
export { getLocale, interpolate, setLocale, t, type Locale, type MessageParams } from './translate';
export { formatWareki, toWareki, type Wareki } from './wareki';
