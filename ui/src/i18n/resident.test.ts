// The check of the resident-facing translations: every non-Japanese language has every key of the
// required areas (kiosk, guide, the shared texts), with the same placeholders; the list of what is
// missing (including the areas not required yet, e.g. `apply.*`) is printed.
import { describe, expect, it } from 'vitest';
import { ja } from './ja';
import { gaps, report } from './residentKeys';
import { LOCALES, type Locale } from './translate';

async function dictionary(lang: Exclude<Locale, 'ja'>) {
  return (await import(`./locales/${lang}/index.ts`)).messages;
}

describe('resident-facing translations', () => {
  it('are complete in every language for the required areas, and the rest is listed', async () => {
    const all = [];
    for (const lang of LOCALES) {
      if (lang === 'ja') continue;
      all.push(...gaps(lang, await dictionary(lang), ja));
    }
    const listed = report(all);
    // Counts only here; `npm run i18n:missing` prints the keys.
    const counts = listed.split('\n').filter((l) => !l.startsWith('  '));
    if (counts.length > 0) console.info(`Resident-facing keys without a translation:\n${counts.join('\n')}`);
    expect(report(all.filter((g) => g.required))).toBe('');
  });

  it('names a missing key and a wrong placeholder', () => {
    const found = gaps('vi', { 'guide.result.bring': 'Mang theo: {thing}' }, ja);
    expect(found).toContainEqual({ lang: 'vi', area: 'guide', required: true, key: 'guide.result.bring', problem: 'placeholders' });
    expect(found).toContainEqual({ lang: 'vi', area: 'guide', required: true, key: 'guide.heading', problem: 'missing' });
    expect(found.some((g) => g.key.startsWith('kiosk.memo.'))).toBe(false);
  });
});
