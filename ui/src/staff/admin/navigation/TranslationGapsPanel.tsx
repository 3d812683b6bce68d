import { useEffect, useState } from 'react';
import type { TranslationGaps } from '../../../api/types';
import { errorMessage, useBackend } from '../../../backend';
import { t, type MessageKey } from '../../../i18n';

/**
 * Per language, the published catalogue's procedures and questions residents see in Japanese for want
 * of a translation (the city's own and edited ones): `procedure CODE: name, bring, reasons` lines from
 * the server, shown with the Japanese names of the fields.
 */
export function TranslationGapsPanel() {
  const backend = useBackend();
  const [gaps, setGaps] = useState<TranslationGaps | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    backend.navigationTranslationGaps().then(
      (g) => current && setGaps(g),
      (e: unknown) => current && setFailed(errorMessage(e)),
    );
    return () => {
      current = false;
    };
  }, [backend]);

  return (
    <section className="admin-panel" aria-labelledby="nav-translations-title" data-testid="nav-translations">
      <h2 id="nav-translations-title">{t('nav.translations.title')}</h2>
      <p className="hint">{t('nav.translations.intro')}</p>
      {failed && <p role="alert">{t('nav.translations.failed', { message: failed })}</p>}
      {!gaps && !failed && <p>{t('nav.translations.loading')}</p>}
      {gaps && gaps.languages.every((l) => l.missing.length === 0) && <p>{t('nav.translations.complete')}</p>}
      {gaps?.languages
        .filter((l) => l.missing.length > 0)
        .map((l) => (
          <details key={l.lang} data-testid={`nav-translations-${l.lang}`}>
            <summary>
              {t('nav.translations.count', { language: t(`kiosk.memo.lang.${l.lang}` as MessageKey), count: l.missing.length })}
            </summary>
            <ul>
              {l.missing.map((line) => (
                <li key={line}>{describe(line)}</li>
              ))}
            </ul>
          </details>
        ))}
    </section>
  );
}

/** `procedure CODE: name, bring, reasons` as `CODE（名前・持ち物・理由）`. */
function describe(line: string): string {
  const [head = '', fields = ''] = line.split(': ');
  const id = head.replace(/^(procedure|question) /, '');
  const names = fields
    .split(', ')
    .filter(Boolean)
    .map((f) => t(`nav.translations.field.${f}` as MessageKey));
  return `${id}（${names.join('・')}）`;
}
