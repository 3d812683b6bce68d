// Times of notices (お知らせ): shown and entered in Japan time whatever the computer's zone. No I/O.
import { htmlLang, type Locale } from '../i18n/translate';

/** `2026-12-07T08:00:00Z` → `12/7 17:00` (ja) or `Dec 7, 17:00` (en), in Japan time. */
export function formatNoticeTime(iso: string, locale: Locale): string {
  const japanese = locale === 'ja' || locale === 'easy';
  return new Intl.DateTimeFormat(japanese ? 'ja-JP' : locale === 'en' ? 'en-US' : htmlLang(locale), {
    timeZone: 'Asia/Tokyo',
    month: japanese ? 'numeric' : 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));
}

/** An instant as a `datetime-local` input's value in Japan time (`2026-12-07T17:00`). */
export function toJstInput(iso: string): string {
  const jst = new Date(new Date(iso).getTime() + 9 * 3600_000);
  return jst.toISOString().slice(0, 16);
}

/** A `datetime-local` value read as Japan time, in RFC 3339 (`2026-12-07T17:00:00+09:00`); '' stays ''. */
export function fromJstInput(value: string): string {
  return value ? `${value}:00+09:00` : '';
}
