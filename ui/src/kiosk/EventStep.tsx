import type { ReactNode } from 'react';
import { t } from '../i18n';
import { LIFE_EVENTS, type LifeEvent } from './model';
import { Screen } from '../selfservice/Screen';

// b. ライフイベント: one large tile per 届出 the kiosk takes (`scan`: what the 事前申請 reader says, as
// a QR code may still be scanned here).

export function EventStep({
  chosen,
  onChoose,
  onBack,
  scan,
}: {
  chosen: LifeEvent | null;
  onChoose: (event: LifeEvent) => void;
  onBack: () => void;
  scan?: ReactNode;
}) {
  return (
    <Screen title={t('kiosk.event.heading')} onBack={onBack} testId="kiosk-event">
      {scan}
      <div className="kiosk-tiles">
        {LIFE_EVENTS.map((e) => (
          <button
            key={e}
            type="button"
            className="kiosk-tile"
            aria-pressed={chosen === e}
            onClick={() => onChoose(e)}
            data-testid={`event-${e}`}
          >
            <span className="kiosk-tile-title">{t(`kiosk.event.${e}`)}</span>
            <span className="kiosk-tile-sub">{t(`kiosk.event.${e}.sub`)}</span>
          </button>
        ))}
      </div>
    </Screen>
  );
}
