import { useEffect, useState } from 'react';
import type { TownView } from '../api/types';
import { errorMessage } from '../backend/Backend';
import { t } from '../i18n';
import type { ApplyBackend } from './api';
import { findTowns, formatPostcode, movesIn, type ApplyState } from './applyState';
import { DateField } from './DateField';
import { fetchKept } from './offlineCache';

const SHOWN = 30;

/**
 * 3. Where: the new address picked from the city's 町字 (by postcode or name; 番地 and 方書 typed),
 * the previous address for a 転入, the destination for a 転出, and the day of the move.
 */
export function AddressStep({
  api,
  state,
  today,
  onChange,
  onNext,
  onBack,
}: {
  api: ApplyBackend;
  state: ApplyState;
  today: string;
  onChange: (s: Partial<ApplyState>) => void;
  onNext: () => void;
  onBack: () => void;
}) {
  const [towns, setTowns] = useState<TownView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [search, setSearch] = useState(state.town?.postal_code ?? '');
  const inCity = movesIn(state.event);

  useEffect(() => {
    if (!inCity) return;
    let current = true;
    fetchKept(window.localStorage, state.tenant, 'towns', () => api.publicTowns(state.tenant)).then(
      (r) => current && setTowns(r.value),
      (e: unknown) => current && setError(errorMessage(e)),
    );
    return () => {
      current = false;
    };
  }, [api, inCity, state.tenant]);

  const found = towns ? findTowns(towns, search) : [];
  return (
    <section aria-labelledby="apply-address" data-testid="apply-address-step">
      <h2 id="apply-address">{t('apply.address.heading')}</h2>
      <DateField label={t('apply.address.moveDate')} value={state.eventDate} today={today} onChange={(eventDate) => onChange({ eventDate })} testId="apply-move-date" />
      {state.event === '転入' && (
        <label className="apply-field">
          {t('apply.address.old')}
          <input value={state.oldAddress} autoComplete="street-address" onChange={(e) => onChange({ oldAddress: e.target.value })} data-testid="apply-old-address" />
        </label>
      )}
      {state.event === '転出' && (
        <label className="apply-field">
          {t('apply.address.destination')}
          <input value={state.destination} onChange={(e) => onChange({ destination: e.target.value })} data-testid="apply-destination" />
        </label>
      )}
      {inCity && (
        <fieldset className="apply-town" data-testid="apply-town">
          <legend>{t('apply.address.new')}</legend>
          <label className="apply-field">
            {t('apply.address.search')}
            <input value={search} inputMode="search" onChange={(e) => setSearch(e.target.value)} data-testid="apply-town-search" />
          </label>
          {error && <p role="alert" className="error-banner">{t('apply.address.townsError', { message: error })}</p>}
          {towns && found.length === 0 && <p role="status">{t('apply.address.noTown')}</p>}
          <div role="radiogroup" aria-label={t('apply.address.new')} className="apply-town-list">
            {found.slice(0, SHOWN).map((town) => (
              <label key={`${town.town_code ?? ''}${town.town}`} className="apply-check" data-testid="apply-town-label">
                <input
                  type="radio"
                  name="apply-town"
                  checked={state.town?.town === town.town && state.town?.town_code === town.town_code}
                  onChange={() => onChange({ town })}
                  data-testid="apply-town-option"
                />
                {town.full}
                {town.postal_code && <span className="apply-postcode">〒{formatPostcode(town.postal_code)}</span>}
              </label>
            ))}
          </div>
          {found.length > SHOWN && <p role="status">{t('apply.address.more', { n: found.length - SHOWN })}</p>}
          <label className="apply-field">
            {t('apply.address.banchi')}
            <input value={state.banchi} inputMode="text" onChange={(e) => onChange({ banchi: e.target.value })} data-testid="apply-banchi" />
          </label>
          <label className="apply-field">
            {t('apply.address.katagaki')}
            <input value={state.katagaki} onChange={(e) => onChange({ katagaki: e.target.value })} data-testid="apply-katagaki" />
          </label>
        </fieldset>
      )}
      <div className="apply-nav">
        <button type="button" className="button" onClick={onBack}>
          {t('apply.back')}
        </button>
        <button type="button" className="button button-primary" onClick={onNext} data-testid="apply-next">
          {t('apply.next')}
        </button>
      </div>
    </section>
  );
}
