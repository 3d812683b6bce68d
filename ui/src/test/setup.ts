import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';
import { LOCALES, loadLocale } from '../i18n';

// The languages are loaded lazily in the app; tests have them all at hand so that switching is
// immediate (the lazy loading itself is tested in i18n/lazy.test.ts).
await Promise.all(LOCALES.map(loadLocale));

// Vitest runs without globals, so Testing Library cannot register its own cleanup.
afterEach(() => {
  cleanup();
  localStorage.clear();
  sessionStorage.clear();
});
