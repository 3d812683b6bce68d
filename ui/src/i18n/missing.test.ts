// `npm run i18n:missing`: prints, per language, the resident-facing keys without a translation
// (never fails; the check that fails is resident.test.ts).
import { it } from 'vitest';
import { ja } from './ja';
import { gaps, report } from './residentKeys';
import { LOCALES } from './translate';

const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {};

it.runIf(env.I18N_MISSING === '1')('lists the missing translations', async () => {
  const all = [];
  for (const lang of LOCALES) {
    if (lang === 'ja') continue;
    all.push(...gaps(lang, (await import(`./locales/${lang}/index.ts`)).messages, ja));
  }
  console.log(report(all) || 'Every resident-facing key is translated.');
});
