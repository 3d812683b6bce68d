import { htmlLang, LOCALES, t, type Locale } from '../i18n';

/** The resident's language: the ten languages, each written in itself and tagged with its `lang`. */
export function LanguageMenu({ language, onLanguage }: { language: Locale; onLanguage: (l: Locale) => void }) {
  return (
    <label className="apply-language">
      <span>
        <span aria-hidden="true">🌐 </span>
        {t('apply.language')}
      </span>
      <select value={language} onChange={(e) => onLanguage(e.target.value as Locale)} data-testid="apply-language">
        {LOCALES.map((l) => (
          <option key={l} value={l} lang={htmlLang(l)}>
            {t(`language.${l}`)}
          </option>
        ))}
      </select>
    </label>
  );
}
