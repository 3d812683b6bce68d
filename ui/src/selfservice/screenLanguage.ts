import { useEffect } from 'react';
import { useUiLanguage, type Locale } from '../i18n';

/**
 * A self-service screen in the resident's `language` (loaded lazily; see `useUiLanguage`): `t()` reads
 * the current language and the document's `lang` follows. Leaving the screen goes back to Japanese,
 * the staff's language. Also: no browser context menu (long presses on a touch screen open it).
 * Returns the language in effect (the previous one until the new one is loaded).
 */
export function useResidentLanguage(language: Locale): Locale {
  const effective = useUiLanguage(language);
  useEffect(() => {
    const prevent = (e: Event) => e.preventDefault();
    document.addEventListener('contextmenu', prevent);
    return () => document.removeEventListener('contextmenu', prevent);
  }, []);
  return effective;
}
