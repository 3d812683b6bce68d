import { useEffect, useState } from 'react';
import { htmlLang, isLoaded, loadLocale, setLocale, type Locale } from './translate';

/**
 * A resident's screen in `locale`: its dictionary is loaded (lazily, once), then `t()` speaks it and
 * the document's `lang` follows; until then the screen stays in the language it had. Leaving the
 * screen goes back to Japanese, the staff's language. Returns the language in effect.
 */
export function useUiLanguage(locale: Locale): Locale {
  const [shown, setShown] = useState<Locale>(isLoaded(locale) ? locale : 'ja');
  const effective = isLoaded(locale) ? locale : shown;
  setLocale(effective);
  useEffect(() => {
    let live = true;
    if (isLoaded(locale)) {
      setShown(locale);
    } else {
      loadLocale(locale).then(
        () => {
          if (!live) return;
          setShown(locale);
        },
        () => undefined, // not reachable: the screen stays in the language it had
      );
    }
    return () => {
      live = false;
    };
  }, [locale]);
  useEffect(() => {
    setLocale(effective);
    document.documentElement.lang = htmlLang(effective);
  }, [effective]);
  useEffect(
    () => () => {
      setLocale('ja');
      document.documentElement.lang = 'ja';
    },
    [],
  );
  return effective;
}
