import { getLocale } from './translate';
import { formatWareki } from './wareki';

/** A date for residents: 和暦, and the Western date too when the kiosk is not in Japanese. */
export function birthText(iso: string): string {
  const wareki = formatWareki(iso);
  return getLocale() === 'ja' || wareki === iso ? wareki : `${wareki} (${iso})`;
}
