import { useEffect, useState, type FormEvent } from 'react';
import type { StationHoursView } from '../../api/types';
import { errorMessage, useBackend } from '../../backend';
import { todayIso } from '../../case/today';
import { formatWareki, t } from '../../i18n';

// 発行端末の受付時間 (on the 発行端末の設定 page): the weekdays and hours the issuance stations take
// requests, unless a station has its own; and the city's closed days (休日), when no station takes
// requests. Outside them a station shows when it opens next. Off: the stations take requests whenever
// they are on (except on closed days).

const DAYS = [1, 2, 3, 4, 5, 6, 7] as const;

/** The 年末年始 (12/29–1/3) not over yet on `today` (ISO): this year's, or during it, the current one. */
export function yearEndDays(today: string): string[] {
  const year = Number(today.slice(0, 4));
  const start = today.slice(5) <= '01-03' ? year - 1 : year;
  return [
    `${start}-12-29`,
    `${start}-12-30`,
    `${start}-12-31`,
    `${start + 1}-01-01`,
    `${start + 1}-01-02`,
    `${start + 1}-01-03`,
  ];
}

/** `list` with `days` added, in date order, each once. */
export function withDays(list: readonly string[], days: readonly string[]): string[] {
  return [...new Set([...list, ...days])].sort();
}

/** A closed day as shown: 和暦 with the weekday (`令和8年12月29日（火）`). */
export function closedDayLabel(iso: string): string {
  // getUTCDay counts from Sunday (0); DAYS from Monday.
  const day = DAYS[(new Date(`${iso}T00:00:00Z`).getUTCDay() + 6) % 7]!;
  return `${formatWareki(iso)}（${t(`stationHours.day.${day}`)}）`;
}

export function StationHoursForm() {
  const backend = useBackend();
  const [hours, setHours] = useState<StationHoursView | null>(null);
  const [newDay, setNewDay] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  useEffect(() => {
    backend
      .stationHours()
      .then(setHours)
      .catch((e: unknown) => setProblem(errorMessage(e)));
  }, [backend]);

  if (!hours) return problem ? <div className="error-banner" role="alert">{problem}</div> : null;

  const today = todayIso();
  const toggle = (day: number) =>
    setHours({ ...hours, days: hours.days.includes(day) ? hours.days.filter((d) => d !== day) : [...hours.days, day].sort() });
  const addDays = (days: readonly string[]) => {
    setDone(null);
    setHours({ ...hours, closed_days: withDays(hours.closed_days, days) });
  };
  const removeDays = (keep: (day: string) => boolean) => {
    setDone(null);
    setHours({ ...hours, closed_days: hours.closed_days.filter(keep) });
  };
  const past = hours.closed_days.filter((d) => d < today);

  function addTyped() {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(newDay)) {
      setProblem(t('stationHours.closedInvalid'));
      return;
    }
    setProblem(null);
    addDays([newDay]);
    setNewDay('');
  }

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
      <fieldset data-testid="station-closed-days">
        <legend>{t('stationHours.closed')}</legend>
        <p className="muted">{t('stationHours.closedHelp')}</p>
        {hours.closed_days.length === 0 ? (
          <p data-testid="station-closed-none">{t('stationHours.closedNone')}</p>
        ) : (
          <ul className="closed-days">
            {hours.closed_days.map((d) => (
              <li key={d} data-testid="station-closed-day">
                <span className={d < today ? 'muted' : undefined}>
                  {closedDayLabel(d)}
                  {d < today && t('stationHours.closedPast')}
                </span>{' '}
                <button
                  type="button"
                  className="button button-secondary button-small"
                  onClick={() => removeDays((x) => x !== d)}
                  aria-label={t('stationHours.closedRemoveOf', { day: closedDayLabel(d) })}
                  data-testid={`station-closed-remove-${d}`}
                >
                  {t('stationHours.closedRemove')}
                </button>
              </li>
            ))}
          </ul>
        )}
        <div className="button-row">
          <label className="field">
            <span>{t('stationHours.closedDate')}</span>
            <input
              type="date"
              value={newDay}
              onChange={(e) => setNewDay(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  e.preventDefault();
                  addTyped();
                }
              }}
              data-testid="station-closed-date"
            />
          </label>
          <button type="button" className="button button-secondary" onClick={addTyped} data-testid="station-closed-add">
            {t('stationHours.closedAdd')}
          </button>
          <button
            type="button"
            className="button button-secondary"
            onClick={() => addDays(yearEndDays(today))}
            data-testid="station-closed-year-end"
          >
            {t('stationHours.closedYearEnd')}
          </button>
          {past.length > 0 && (
            <button
              type="button"
              className="button button-secondary"
              onClick={() => removeDays((x) => x >= today)}
              data-testid="station-closed-remove-past"
            >
              {t('stationHours.closedRemovePast', { count: past.length })}
            </button>
          )}
        </div>
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
