import { useEffect } from 'react';
import { setLocale, type Locale } from '../i18n';

/**
 * A self-service screen in the resident's `language`: `t()` reads the current language, so it is
 * set before anything below renders (and again after every change, for screens re-rendering on their
 * own); the document's `lang` follows. Leaving the screen goes back to Japanese, the staff's language.
 * Also: no browser context menu (long presses on a touch screen open it).
 */
export function useResidentLanguage(language: Locale): void {
  setLocale(language);
  useEffect(() => {
    setLocale(language);
    document.documentElement.lang = language;
  }, [language]);
  useEffect(
    () => () => {
      setLocale('ja');
      document.documentElement.lang = 'ja';
    },
    [],
  );
  useEffect(() => {
    const prevent = (e: Event) => e.preventDefault();
    document.addEventListener('contextmenu', prevent);
    return () => document.removeEventListener('contextmenu', prevent);
  }, []);
}
