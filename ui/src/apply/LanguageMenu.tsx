import { LOCALES, isLocale, setLocale, t, type MessageKey } from '../i18n';

/** The resident's language (the page's `lang` follows it). */
export function LanguageMenu({ language, onLanguage }: { language: string; onLanguage: (l: string) => void }) {
  function choose(value: string) {
    if (!isLocale(value)) return;
    setLocale(value);
    document.documentElement.lang = value;
    onLanguage(value);
  }
  return (
    <label className="apply-language">
      <span>{t('apply.language')}</span>
      <select value={language} onChange={(e) => choose(e.target.value)} data-testid="apply-language">
        {LOCALES.map((l) => (
          <option key={l} value={l} lang={l}>
            {t(`kiosk.lang.${l}` as MessageKey)}
          </option>
        ))}
      </select>
    </label>
  );
}
