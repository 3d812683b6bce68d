// The visible Japanese fallback: a text a resident reads in Japanese because their language lacks it
// is wrapped in `lang="ja"` (so that a screen reader switches to a Japanese voice) with a small
// 「日本語」 tag after it (so that the resident, and whoever reviews the translation, sees why).
import type { ReactNode } from 'react';
import type { MessageKey } from './ja';
import { getLocale, isFallback, isJapanese, t, type MessageParams } from './translate';

/** `text` as is, or marked as Japanese when `japanese` (a catalogue text without translation). */
export function FallbackText({ text, japanese }: { text: string; japanese: boolean }) {
  if (!japanese || isJapanese(getLocale())) return <>{text}</>;
  return (
    <span lang="ja" className="i18n-fallback" data-testid="i18n-fallback">
      {text}
      <span className="i18n-fallback-tag">{t('language.fallbackTag')}</span>
    </span>
  );
}

/** `t(key)` for the page's content, marked when the current language lacks it. Text only in attributes: use `t`. */
export function tx(key: MessageKey, params?: MessageParams): ReactNode {
  const text = t(key, params);
  return isFallback(key) ? <FallbackText text={text} japanese /> : text;
}
