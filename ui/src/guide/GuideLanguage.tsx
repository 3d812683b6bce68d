import { htmlLang, LOCALES, t, type Locale } from '../i18n';

/**
 * The guide's language menu: the ten languages, each written in itself (and tagged with its `lang`,
 * so that a screen reader reads each name in its own language). The choice goes into the page's URL.
 */
export function GuideLanguage({ value, onChange }: { value: Locale; onChange: (lang: Locale) => void }) {
  return (
    <nav className="guide-language" aria-label={t('guide.language')}>
      <label>
        <span aria-hidden="true">🌐 </span>
        {t('guide.language')}
        <select value={value} onChange={(e) => onChange(e.target.value as Locale)} data-testid="guide-lang">
          {LOCALES.map((l) => (
            <option key={l} value={l} lang={htmlLang(l)}>
              {t(`language.${l}`)}
            </option>
          ))}
        </select>
      </label>
    </nav>
  );
}
