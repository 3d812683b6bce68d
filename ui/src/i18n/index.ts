// The i18n layer: every user-facing text goes through `t()`.
export { birthText } from './birthText';
export type { MessageKey, Messages } from './ja';
export {
  LOCALES,
  getLocale,
  htmlLang,
  interpolate,
  isFallback,
  isJapanese,
  isLoaded,
  isLocale,
  loadLocale,
  setLocale,
  t,
  tIn,
  type Locale,
  type MessageParams,
} from './translate';
export { FallbackText, tx } from './Fallback';
export { useUiLanguage } from './useLanguage';
export {
  ERA_KEYS,
  eraLastYear,
  formatNendo,
  formatWareki,
  formatWarekiYear,
  formatWarekiDateTime,
  fromWareki,
  toWareki,
  type EraKey,
  type Wareki,
} from './wareki';
