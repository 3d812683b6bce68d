import type { StationStatus } from '../api/types';
import { t } from '../i18n';
import { MaintenanceNotices } from '../selfservice/MaintenanceNotices';

// 0. 開始 (when the receipt printer says its paper is out, the station says so before anything is
// chosen): the certificates offered here, one large tile each with its fee (unless the city's setup
// of the station hides it; the fee is always shown before the resident confirms). When the station cannot
// take requests (JPKI not ready, the server away) it says so and offers nothing.

export function StartStep({
  tenant,
  status,
  online,
  paperOut = false,
  onChoose,
}: {
  /** The city, for its maintenance notices (planned stops), shown in the resident's language. */
  tenant: string;
  /** `null` while asked; `'failed'` when the server did not answer. */
  status: StationStatus | null | 'failed';
  online: boolean;
  /** The receipt printer says its paper is out: no 受付票 could come out. */
  paperOut?: boolean;
  onChoose: (item: string) => void;
}) {
  const loaded = status !== null && status !== 'failed' ? status : null;
  const closed = status === 'failed' || !online || paperOut || (loaded !== null && !loaded.available);
  return (
    <section className="kiosk-screen" aria-labelledby="station-start-title" data-testid="station-start">
      <h1 id="station-start-title" className="kiosk-heading">
        {t('station.start.heading')}
      </h1>
      <MaintenanceNotices tenant={tenant} />
      {status === null && online && (
        <p className="kiosk-instruction" role="status">
          {t('station.start.checking')}
        </p>
      )}
      {closed && (
        <p className="kiosk-error" role="alert" data-testid="station-closed">
          {paperOut ? t('station.start.noPaper') : (loaded?.message ?? t('station.start.closed'))}
        </p>
      )}
      {!closed && loaded !== null && (
        <>
          <p className="kiosk-lead">{t('station.start.lead')}</p>
          <div className="station-tiles">
            {loaded.offers.map((o) => (
              <button
                key={o.item}
                type="button"
                className="kiosk-button kiosk-button-primary station-tile"
                onClick={() => onChoose(o.item)}
                data-testid={`station-item-${o.item}`}
              >
                <span className="station-tile-name">{o.name}</span>
                {loaded.show_fees && <span className="station-tile-fee">{t('station.start.fee', { yen: o.yen })}</span>}
              </button>
            ))}
          </div>
        </>
      )}
    </section>
  );
}
