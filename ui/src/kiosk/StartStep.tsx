import type { ReactNode } from 'react';
import { t } from '../i18n';
import { MaintenanceNotices } from '../selfservice/MaintenanceNotices';

// a. Start: a welcome and one large button (the language switch is in the top bar), and the city's
// maintenance notices (planned stops) in the resident's language. Below, for a resident who prepared
// a 事前申請 on their phone: hold its QR code to the scanner, or call it up by its 受付番号 (`scan`:
// what the reader says), show it to the terminal's camera (`camera`), or call it up by its 受付番号.

export function StartStep({
  tenant,
  onStart,
  onNumber,
  scan,
  camera,
}: {
  tenant: string;
  onStart: () => void;
  onNumber: () => void;
  scan?: ReactNode;
  camera?: ReactNode;
}) {
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
      <div className="kiosk-pre" data-testid="kiosk-pre">
        <p className="kiosk-instruction">{t('kiosk.pre.invite')}</p>
        {scan}
        <div className="kiosk-pre-actions">
          {camera}
          <button type="button" className="kiosk-button kiosk-button-secondary kiosk-pre-button" onClick={onNumber} data-testid="pre-by-number">
            {t('kiosk.pre.byNumber')}
          </button>
        </div>
      </div>
    </section>
  );
}
