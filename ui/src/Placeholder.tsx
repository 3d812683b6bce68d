import { t } from './i18n';

/** Screens not built yet (`#/issuance` in a browser, `#/admin`) and unknown routes. */
export function Placeholder({ notFound = false }: { notFound?: boolean }) {
  return (
    <section data-testid="placeholder">
      <h1>{notFound ? t('app.notFound') : t('app.preparing')}</h1>
      {!notFound && <p>{t('app.preparingDetail')}</p>}
      <p>
        <a href="#/">{t('app.backToTop')}</a>
      </p>
    </section>
  );
}
