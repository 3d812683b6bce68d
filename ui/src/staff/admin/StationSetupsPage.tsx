import { useEffect, useState, type FormEvent } from 'react';
import type { HoursView, StationItem, StationSetupInput, StationSetupView, StationSetupsView } from '../../api/types';
import { errorMessage, useBackend } from '../../backend';
import { t } from '../../i18n';
import { DeviceSummary } from './DeviceSummary';
import { IssuanceRulesForm } from './IssuanceRulesForm';
import { StationHoursForm } from './StationHoursForm';

/** The route of the page. */
export const STATION_SETUPS_PATH = '/staff/stations';

/** Whether a user may set up the issuance stations (admins only). */
export function maySetUpStations(permissions: string[]): boolean {
  return permissions.includes('admin');
}

// 発行端末の設定 (admins): per enrolled terminal, the certificates its station offers, automatic or
// manual printing, the signal tower, the fee display and its opening hours (the city's, or its own: a
// station in a 支所 open on Saturdays), with the devices the terminal last reported (printers, 表示灯,
// paper); the city's opening hours and closed days, and its issuance rules. A terminal never set up
// works with the defaults (住民票の写し and 印鑑登録証明書 offered, printed by hand, fees shown, the
// city's hours); the other certificates (住民票記載事項証明書, 所得・課税証明書) are offered once checked.

const DAYS = [1, 2, 3, 4, 5, 6, 7] as const;

/** A station's own hours when the admin first chooses them. */
const OWN_HOURS: HoursView = { days: [1, 2, 3, 4, 5], open: '08:30', close: '17:15' };

export function StationSetupsPage({ permissions }: { permissions: string[] }) {
  const backend = useBackend();
  const allowed = maySetUpStations(permissions);
  const [view, setView] = useState<StationSetupsView | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    if (!allowed) return;
    backend
      .stationSetups()
      .then(setView)
      .catch((e: unknown) => setProblem(errorMessage(e)));
  }, [backend, allowed]);

  return (
    <main className="page" aria-labelledby="stations-title" data-testid="station-setups">
      <h1 id="stations-title">{t('stations.title')}</h1>
      {!allowed && <p role="alert">{t('stations.forbidden')}</p>}
      {allowed && <p className="page-lead">{t('stations.lead')}</p>}
      {problem && (
        <div className="error-banner" role="alert">
          {problem}
        </div>
      )}
      {view && view.stations.length === 0 && <p data-testid="stations-empty">{t('stations.empty')}</p>}
      {view?.stations.map((s) => (
        <StationForm key={s.terminal} station={s} items={view.items} />
      ))}
      {allowed && <StationHoursForm />}
      {allowed && <IssuanceRulesForm />}
    </main>
  );
}

function StationForm({ station, items }: { station: StationSetupView; items: StationItem[] }) {
  const backend = useBackend();
  const [setup, setSetup] = useState<StationSetupInput>({
    offers: station.offers,
    auto_print: station.auto_print,
    tower: station.tower,
    show_fees: station.show_fees,
    hours: station.hours ?? null,
  });
  /** The own hours last edited, kept while the station follows the city's. */
  const [ownHours, setOwnHours] = useState<HoursView>(station.hours ?? OWN_HOURS);
  const [configured, setConfigured] = useState(station.configured);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const id = station.terminal;

  const toggleOffer = (item: string) =>
    setSetup({
      ...setup,
      // Kept in the order of the station's tiles (the order the server lists the items in).
      offers: setup.offers.includes(item) ? setup.offers.filter((o) => o !== item) : items.map((i) => i.item).filter((i) => i === item || setup.offers.includes(i)),
    });

  const setHours = (hours: HoursView) => {
    setOwnHours(hours);
    setSetup({ ...setup, hours });
  };
  const toggleDay = (day: number) =>
    setHours({
      ...ownHours,
      days: ownHours.days.includes(day) ? ownHours.days.filter((d) => d !== day) : [...ownHours.days, day].sort(),
    });

  async function save(e: FormEvent) {
    e.preventDefault();
    setMessage(null);
    try {
      const saved = await backend.saveStationSetup(id, setup);
      setConfigured(saved.configured);
      setMessage({ kind: 'ok', text: t('stations.saved', { name: saved.name }) });
    } catch (err) {
      setMessage({ kind: 'error', text: errorMessage(err) });
    }
  }

  return (
    <form className="form station-setup" onSubmit={save} aria-labelledby={`station-${id}`} data-testid={`station-setup-${id}`}>
      <h2 id={`station-${id}`}>
        {station.name} <small className="muted">（{id}）</small>
      </h2>
      {!configured && <p className="muted">{t('stations.defaults')}</p>}
      <section aria-label={t('devices.title')}>
        <h3>{t('devices.title')}</h3>
        <DeviceSummary devices={station.devices} testId={`station-devices-${id}`} />
      </section>
      <fieldset>
        <legend>{t('stations.offers')}</legend>
        {items.map((i) => (
          <label key={i.item}>
            <input type="checkbox" checked={setup.offers.includes(i.item)} onChange={() => toggleOffer(i.item)} data-testid={`station-offer-${id}-${i.item}`} />
            {i.name}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>{t('stations.printing')}</legend>
        <label>
          <input type="radio" name={`print-${id}`} checked={!setup.auto_print} onChange={() => setSetup({ ...setup, auto_print: false })} data-testid={`station-manual-${id}`} />
          {t('stations.manual')}
        </label>
        <label>
          <input type="radio" name={`print-${id}`} checked={setup.auto_print} onChange={() => setSetup({ ...setup, auto_print: true })} data-testid={`station-auto-${id}`} />
          {t('stations.auto')}
        </label>
      </fieldset>
      <fieldset data-testid={`station-hours-${id}`}>
        <legend>{t('stations.hours')}</legend>
        <label>
          <input type="radio" name={`hours-${id}`} checked={!setup.hours} onChange={() => setSetup({ ...setup, hours: null })} data-testid={`station-city-hours-${id}`} />
          {t('stations.cityHours')}
        </label>
        <label>
          <input type="radio" name={`hours-${id}`} checked={!!setup.hours} onChange={() => setHours(ownHours)} data-testid={`station-own-hours-${id}`} />
          {t('stations.ownHours')}
        </label>
        {setup.hours && (
          <div className="station-own-hours">
            {DAYS.map((d) => (
              <label key={d}>
                <input type="checkbox" checked={ownHours.days.includes(d)} onChange={() => toggleDay(d)} data-testid={`station-own-day-${id}-${d}`} />
                {t(`stationHours.day.${d}`)}
              </label>
            ))}
            <label className="field">
              <span>{t('stationHours.open')}</span>
              <input type="time" value={ownHours.open} onChange={(e) => setHours({ ...ownHours, open: e.target.value })} data-testid={`station-own-open-${id}`} />
            </label>
            <label className="field">
              <span>{t('stationHours.close')}</span>
              <input type="time" value={ownHours.close} onChange={(e) => setHours({ ...ownHours, close: e.target.value })} data-testid={`station-own-close-${id}`} />
            </label>
          </div>
        )}
        <p className="muted">{t('stations.hoursHelp')}</p>
      </fieldset>
      <label>
        <input type="checkbox" checked={setup.tower} onChange={(e) => setSetup({ ...setup, tower: e.target.checked })} data-testid={`station-tower-${id}`} />
        {t('stations.tower')}
      </label>
      <label>
        <input type="checkbox" checked={setup.show_fees} onChange={(e) => setSetup({ ...setup, show_fees: e.target.checked })} data-testid={`station-fees-${id}`} />
        {t('stations.showFees')}
      </label>
      {message && (
        <div className={message.kind === 'ok' ? 'notice' : 'error-banner'} role={message.kind === 'ok' ? 'status' : 'alert'} data-testid={`station-message-${id}`}>
          {message.text}
        </div>
      )}
      <div className="button-row">
        <button type="submit" className="button button-primary" data-testid={`station-save-${id}`}>
          {t('stations.save')}
        </button>
      </div>
    </form>
  );
}
