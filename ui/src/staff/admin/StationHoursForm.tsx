import { useEffect, useState, type FormEvent } from 'react';
import type { StationHoursView } from '../../api/types';
import { errorMessage, useBackend } from '../../backend';
import { t } from '../../i18n';

// 発行端末の受付時間 (on the 証明書の設定 page): the weekdays and hours the issuance stations take
// requests; outside them a station shows when it opens next. Off: the stations take requests whenever
// they are on.

const DAYS = [1, 2, 3, 4, 5, 6, 7] as const;

export function StationHoursForm() {
  const backend = useBackend();
  const [hours, setHours] = useState<StationHoursView | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  useEffect(() => {
    backend
      .stationHours()
      .then(setHours)
      .catch((e: unknown) => setProblem(errorMessage(e)));
  }, [backend]);

  if (!hours) return problem ? <div className="error-banner" role="alert">{problem}</div> : null;

  const toggle = (day: number) =>
    setHours({ ...hours, days: hours.days.includes(day) ? hours.days.filter((d) => d !== day) : [...hours.days, day].sort() });

  async function save(e: FormEvent) {
    e.preventDefault();
    if (!hours) return;
    setProblem(null);
    setDone(null);
    try {
      const saved = await backend.saveStationHours(hours);
      setHours(saved);
      setDone(saved.enabled ? t('stationHours.saved') : t('stationHours.off'));
    } catch (err) {
      setProblem(errorMessage(err));
    }
  }

  return (
    <form className="form" onSubmit={save} aria-labelledby="station-hours-title" data-testid="station-hours">
      <h2 id="station-hours-title">{t('stationHours.title')}</h2>
      <p className="muted">{t('stationHours.help')}</p>
      <label>
        <input type="checkbox" checked={hours.enabled} onChange={(e) => setHours({ ...hours, enabled: e.target.checked })} data-testid="station-hours-enabled" />
        {t('stationHours.enabled')}
      </label>
      <fieldset disabled={!hours.enabled}>
        <legend>{t('stationHours.days')}</legend>
        {DAYS.map((d) => (
          <label key={d}>
            <input type="checkbox" checked={hours.days.includes(d)} onChange={() => toggle(d)} data-testid={`station-hours-day-${d}`} />
            {t(`stationHours.day.${d}`)}
          </label>
        ))}
        <label className="field">
          <span>{t('stationHours.open')}</span>
          <input type="time" value={hours.open} onChange={(e) => setHours({ ...hours, open: e.target.value })} data-testid="station-hours-open" />
        </label>
        <label className="field">
          <span>{t('stationHours.close')}</span>
          <input type="time" value={hours.close} onChange={(e) => setHours({ ...hours, close: e.target.value })} data-testid="station-hours-close" />
        </label>
      </fieldset>
      {problem && (
        <div className="error-banner" role="alert" data-testid="station-hours-problem">
          {problem}
        </div>
      )}
      {done && (
        <p className="notice" role="status" data-testid="station-hours-done">
          {done}
        </p>
      )}
      <button type="submit" className="button button-primary" data-testid="station-hours-save">
        {t('stationHours.save')}
      </button>
    </form>
  );
}
