import { t } from '../i18n';
import { MaintenanceNotices } from '../selfservice/MaintenanceNotices';

// a. Start: a welcome and one large button (the language switch is in the top bar), and the city's
// maintenance notices (planned stops) in the resident's language.

export function StartStep({ tenant, onStart }: { tenant: string; onStart: () => void }) {
  return (
    <section className="kiosk-screen kiosk-start" aria-labelledby="kiosk-start-title">
      <h1 id="kiosk-start-title" className="kiosk-heading kiosk-welcome">
        {t('kiosk.start.heading')}
      </h1>
      <p className="kiosk-lead">{t('kiosk.start.lead')}</p>
      <MaintenanceNotices tenant={tenant} />
      <button type="button" className="kiosk-button kiosk-button-primary kiosk-start-button" onClick={onStart} data-testid="kiosk-start">
        {t('kiosk.start.button')}
      </button>
    </section>
  );
}
