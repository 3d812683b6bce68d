import { t } from './i18n';

/** An address that is no screen of the app. */
export function Placeholder() {
  return (
    <section data-testid="placeholder">
      <h1>{t('app.notFound')}</h1>
      <p>
        <a href="#/">{t('app.backToTop')}</a>
      </p>
    </section>
  );
}
