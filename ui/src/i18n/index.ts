// The i18n layer: every user-facing text goes through `t()`.
export { birthText } from './birthText';
export type { MessageKey, Messages } from './ja';
export {
  LOCALES,
  getLocale,
  interpolate,
  isLocale,
  setLocale,
  t,
  tIn,
  type Locale,
  type MessageParams,
} from './translate';
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
