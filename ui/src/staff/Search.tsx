import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { HouseholdView, ResidentView, SearchResponse } from '../api/types';
import { errorMessage, isAbortError, useBackend } from '../backend';
import { t } from '../i18n';
import { ResidentDisclosure } from './ResidentDisclosure';

/** Debounce of search-as-you-type. */
export const SEARCH_DEBOUNCE_MS = 120;
/** Results asked for per search (the server allows 1–100). */
const SEARCH_LIMIT = 20;
/** DOM id of the search input (the F2 shortcut focuses it). */
export const SEARCH_INPUT_ID = 'resident-search-input';

type SearchState =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'done'; response: SearchResponse }
  | { status: 'error'; message: string };

type HouseholdState =
  | { status: 'loading' }
  | { status: 'done'; household: HouseholdView }
  | { status: 'error'; message: string };

export interface ResidentSearchProps {
  /** Called when a resident is chosen (Enter or click). */
  onSelect?: (resident: ResidentView) => void;
  /** Show the chosen resident's household below the results (default true). */
  showHousehold?: boolean;
  /** The session's permissions (`override_support_measure` offers the audited disclosure of an address). */
  permissions?: readonly string[];
}

/**
 * 宛名検索: one input searched as you type (name, kana, birth date or 宛名番号), results chosen
 * with ↑/↓ and Enter, the chosen resident's household shown below. Reusable by other screens
 * through `onSelect`.
 */
export function ResidentSearch({ onSelect, showHousehold = true, permissions = [] }: ResidentSearchProps) {
  const backend = useBackend();
  const ids = useId();
  const listId = `${ids}-results`;
  const [query, setQuery] = useState('');
  const [search, setSearch] = useState<SearchState>({ status: 'idle' });
  const [active, setActive] = useState(-1);
  const [selected, setSelected] = useState<ResidentView | null>(null);
  const listRef = useRef<HTMLUListElement>(null);

  // Search as you type. Each change cancels the pending timer and the request in flight; a
  // response arriving after that (a backend that ignores the signal) is dropped as stale.
  useEffect(() => {
    const q = query.trim();
    if (!q) {
      setSearch({ status: 'idle' });
      setActive(-1);
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      setSearch({ status: 'loading' });
      backend
        .searchResidents({ q, limit: SEARCH_LIMIT }, controller.signal)
        .then((response) => {
          if (controller.signal.aborted) return;
          setSearch({ status: 'done', response });
          setActive(response.results.length > 0 ? 0 : -1);
        })
        .catch((e: unknown) => {
          if (controller.signal.aborted || isAbortError(e)) return;
          setSearch({ status: 'error', message: errorMessage(e) });
        });
    }, SEARCH_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [backend, query]);

  const results = search.status === 'done' ? search.response.results : [];

  // Keep the active row visible while moving with the arrow keys.
  useEffect(() => {
    const row = listRef.current?.querySelector<HTMLElement>(`[data-index="${active}"]`);
    row?.scrollIntoView?.({ block: 'nearest' });
  }, [active]);

  function choose(resident: ResidentView) {
    setSelected(resident);
    onSelect?.(resident);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        setActive((i) => Math.min(i + 1, results.length - 1));
        break;
      case 'ArrowUp':
        event.preventDefault();
        setActive((i) => Math.max(i - 1, 0));
        break;
      case 'Enter': {
        event.preventDefault();
        const resident = results[active];
        if (resident) choose(resident);
        break;
      }
      case 'Escape':
        event.preventDefault();
        setQuery('');
        break;
    }
  }

  return (
    <section className="resident-search" aria-labelledby={`${ids}-title`}>
      <h1 id={`${ids}-title`}>{t('search.title')}</h1>
      <div className="field">
        <label htmlFor={SEARCH_INPUT_ID}>{t('search.label')}</label>
        <input
          id={SEARCH_INPUT_ID}
          className="input-large"
          type="search"
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={results.length > 0}
          aria-controls={listId}
          aria-activedescendant={active >= 0 && results[active] ? `${ids}-row-${active}` : undefined}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={onKeyDown}
          placeholder={t('search.placeholder')}
          autoComplete="off"
          spellCheck={false}
          autoFocus
          data-testid="resident-search-input"
        />
      </div>

      <p className="search-status" role="status" data-testid="resident-search-status">
        {search.status === 'loading' && t('search.searching')}
        {search.status === 'done' &&
          (search.response.count === 0 ? t('search.none') : t('search.count', { count: search.response.count }))}
      </p>
      {search.status === 'done' && search.response.more && <p className="notice">{t('search.more')}</p>}
      {search.status === 'error' && (
        <div className="error-banner" role="alert" data-testid="resident-search-error">
          {search.message}
        </div>
      )}

      <ul id={listId} ref={listRef} className="result-list" role="listbox" aria-label={t('search.results')}>
        {results.map((r, index) => (
          <li
            key={r.atena_no}
            id={`${ids}-row-${index}`}
            data-index={index}
            role="option"
            aria-selected={index === active}
            className="result-row"
            onMouseDown={(e) => e.preventDefault() /* keep the focus in the input */}
            onClick={() => {
              setActive(index);
              choose(r);
            }}
            data-testid="resident-result"
            data-atena-no={r.atena_no}
          >
            <ResidentSummary resident={r} />
          </li>
        ))}
      </ul>

      {showHousehold && selected && (
        <HouseholdPanel
          key={selected.atena_no}
          resident={selected}
          mayDisclose={permissions.includes('override_support_measure')}
        />
      )}
    </section>
  );
}

/** One result row: name and kana, birth, sex, and the address or the 支援措置 warning. */
function ResidentSummary({ resident: r }: { resident: ResidentView }) {
  return (
    <div className="resident-summary">
      <div className="resident-name">
        <span className="name">{r.name}</span>
        {r.kana && <span className="kana">{r.kana}</span>}
        {r.status !== 'resident' && <span className="badge">{r.status_label}</span>}
      </div>
      <div className="resident-facts">
        <span>
          {t('resident.birth')} {r.birth_display}
          {r.age != null && ` (${t('resident.age', { age: r.age })})`}
        </span>
        <span>{r.sex_label}</span>
      </div>
      <AddressOrWarning resident={r} />
    </div>
  );
}

/** The address, or — when it is withheld (支援措置) — a warning in its place. */
export function AddressOrWarning({ resident: r }: { resident: ResidentView }) {
  if (r.address_masked || r.support_measure) {
    return (
      <div className="warning" role="note" data-testid="support-measure-warning">
        <span className="warning-icon" aria-hidden="true">
          ⚠
        </span>
        {r.support_measure_label
          ? t('resident.supportMeasure', { label: r.support_measure_label })
          : t('resident.addressMaskedHousehold')}
      </div>
    );
  }
  return (
    <div className="resident-address" data-testid="resident-address">
      {r.address?.full ?? t('resident.noAddress')}
    </div>
  );
}

/** The chosen resident's household (世帯) with its members. */
function HouseholdPanel({ resident, mayDisclose }: { resident: ResidentView; mayDisclose: boolean }) {
  const backend = useBackend();
  const [state, setState] = useState<HouseholdState>({ status: 'loading' });
  const householdNo = resident.household_no;

  useEffect(() => {
    let current = true;
    setState({ status: 'loading' });
    backend
      .household(householdNo)
      .then((household) => current && setState({ status: 'done', household }))
      .catch((e: unknown) => current && setState({ status: 'error', message: errorMessage(e) }));
    return () => {
      current = false;
    };
  }, [backend, householdNo]);

  return (
    <section className="panel" aria-label={t('household.title')} data-testid="household-panel">
      <h2>
        {t('household.title')}{' '}
        <span className="muted">
          {t('household.no')} {householdNo}
        </span>
      </h2>
      {state.status === 'loading' && <p role="status">{t('household.loading')}</p>}
      {state.status === 'error' && (
        <div className="error-banner" role="alert">
          {state.message}
        </div>
      )}
      {state.status === 'done' && (
        <>
          {state.household.address_masked ? (
            <div className="warning" role="note" data-testid="support-measure-warning">
              <span className="warning-icon" aria-hidden="true">
                ⚠
              </span>
              {t('resident.addressMaskedHousehold')}
            </div>
          ) : (
            <p className="resident-address">
              {t('resident.address')} {state.household.address ?? t('resident.noAddress')}
            </p>
          )}
          {state.household.address_masked && (
            <ResidentDisclosure atenaNo={resident.atena_no} mayDisclose={mayDisclose} />
          )}
          <table className="table">
            <caption>{t('household.members')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('resident.relation')}</th>
                <th scope="col">{t('resident.name')}</th>
                <th scope="col">{t('resident.kana')}</th>
                <th scope="col">{t('resident.birth')}</th>
                <th scope="col">{t('resident.sex')}</th>
                <th scope="col">{t('resident.status')}</th>
              </tr>
            </thead>
            <tbody>
              {state.household.members.map((m) => (
                <tr
                  key={m.atena_no}
                  className={m.atena_no === resident.atena_no ? 'row-selected' : undefined}
                  aria-current={m.atena_no === resident.atena_no ? 'true' : undefined}
                  data-testid="household-member"
                >
                  <td>{m.relation}</td>
                  <th scope="row">
                    {m.name}
                    {m.support_measure_label && <span className="badge badge-warning">{m.support_measure_label}</span>}
                  </th>
                  <td>{m.kana}</td>
                  <td>{m.birth_display}</td>
                  <td>{m.sex_label}</td>
                  <td>{m.status_label}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
