import { useEffect, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import type { IncomingMoveView, ResidentView } from '../../api/types';
import { errorMessage, isAbortError, useBackend, type CardPerson, type ResidentQuery } from '../../backend';
import { formatWareki, t } from '../../i18n';
import { navigate } from '../../router';
import { CameraScanButton, type ScanFeedback } from '../../components/camera/CameraScan';
import { isMadoguchiQr, useQrScanner } from '../qrScan';
import { AddressOrWarning } from '../Search';
import { CardReadButton } from './CardSearch';

/** Debounce of search-as-you-type: short, since each keystroke cancels the request before it. */
const SEARCH_DEBOUNCE_MS = 40;

/** Where the visit's search result goes: a new case, or one more household of the current case. */
export type SearchMode = 'new' | 'add';

// 1. Search: residents of the city and 転出証明書情報 (転入予定), as you type — or, in the desktop
// app, by the name and birth date read from the visitor's マイナンバーカード.

type Hit = { kind: 'incoming'; move: IncomingMoveView } | { kind: 'resident'; resident: ResidentView };

/** What is searched: the text typed, or a card's name and birth date (`birth` alone: retried without the name). */
interface Criteria {
  q: string;
  birth?: string;
  /** The card the criteria come from: whoever is chosen among the results was identified with it. */
  card?: CardPerson;
}

const SEARCH_LIMIT = 20;

function residentQuery({ q, birth }: { q: string; birth?: string }): ResidentQuery {
  if (!birth) return { q, limit: SEARCH_LIMIT };
  return q ? { q, birth, limit: SEARCH_LIMIT } : { birth, limit: SEARCH_LIMIT };
}

export function SearchStep({
  mode,
  onResident,
  onIncoming,
  selected,
}: {
  mode: SearchMode;
  /** `card`: the resident was found with the マイナンバーカード just read (their identity document). */
  onResident: (r: ResidentView, card?: CardPerson) => void;
  onIncoming: (m: IncomingMoveView, card?: CardPerson) => void;
  selected: ResidentView | null;
}) {
  const backend = useBackend();
  // What the input shows, and what is searched: text still being composed with the IME (やまd) is
  // not searched until it is committed.
  const [text, setText] = useState('');
  const [criteria, setCriteria] = useState<Criteria>({ q: '' });
  /** The only result of a card's search, chosen as soon as it is on screen. */
  const [autoPick, setAutoPick] = useState<Hit | null>(null);
  const [hits, setHits] = useState<Hit[]>([]);
  const [status, setStatus] = useState<'idle' | 'loading' | 'done' | 'error'>('idle');
  const [message, setMessage] = useState('');
  const [active, setActive] = useState(0);
  const [more, setMore] = useState(false);

  useEffect(() => {
    const q = criteria.q.trim();
    const { birth, card } = criteria;
    // A scanner typing a Madoguchi QR code: not a name to search (Enter resolves it).
    if (!birth && (!q || q.startsWith('MDG'))) {
      setHits([]);
      setStatus('idle');
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      setStatus('loading');
      const residents = backend.searchResidents(residentQuery({ q, birth }), controller.signal);
      const incoming =
        !q || /\d/.test(q)
          ? Promise.resolve([] as IncomingMoveView[])
          : backend.incomingMoves(q, controller.signal).catch(() => [] as IncomingMoveView[]);
      Promise.all([residents, incoming])
        .then(([res, moves]) => {
          if (controller.signal.aborted) return;
          const found: Hit[] = [
            // A card's search: only families in which someone has the card's birth date.
            ...moves
              .filter((m) => !birth || m.members.some((member) => member.facts.birth === birth))
              .map((move) => ({ kind: 'incoming' as const, move })),
            ...res.results.map((resident) => ({ kind: 'resident' as const, resident })),
          ];
          setHits(found);
          setMore(res.more);
          setActive(0);
          setStatus('done');
          // One person with the card's name and birth date is its holder; with the birth date alone,
          // the staff compare the name themselves.
          if (card && q && found.length === 1) setAutoPick(found[0]!);
        })
        .catch((e: unknown) => {
          if (controller.signal.aborted || isAbortError(e)) return;
          setStatus('error');
          setMessage(errorMessage(e));
        });
    }, SEARCH_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [backend, criteria]);

  // User Timing: from the keystroke to the results on screen (read by the end-to-end test).
  const typed = !criteria.card;
  useEffect(() => {
    if (status !== 'done' || !typed) return; // a card's search was not typed
    try {
      performance.measure('madoguchi:search', 'madoguchi:search-input');
    } catch {
      // no keystroke mark (results restored without typing)
    }
  }, [hits, status, typed]);

  // A keyboard-wedge scanner types the QR code's text and Enter into the search field: a Madoguchi
  // code (手続き案内書, 受付票) opens its case; a code split over several symbols asks for the rest.
  // (The desktop app's serial scanner takes the same path: `SerialQrScans`.)
  const scanner = useQrScanner();
  async function scanned(symbol: string) {
    setText('');
    setCriteria({ q: '' });
    const result = await scanner.scan(symbol);
    if (result.kind === 'failed') {
      setStatus('error');
      setMessage(result.message);
    }
  }

  /** A symbol the camera read: resolved as a scanner's; the dialog stays open for the rest of a code. */
  async function cameraRead(symbol: string): Promise<ScanFeedback> {
    const result = await scanner.scan(symbol);
    return result.kind === 'resolved'
      ? { done: true }
      : { done: false, message: result.message, progress: result.incomplete };
  }

  function choose(h: Hit | undefined) {
    if (!h) return;
    // A household prepared the evening before (転入予約): its prepared case opens instead of a new one.
    if (h.kind === 'incoming' && h.move.prepared_case_id) {
      navigate(`/staff/case/${encodeURIComponent(h.move.prepared_case_id)}`);
    } else if (h.kind === 'incoming') onIncoming(h.move, criteria.card);
    else onResident(h.resident, criteria.card);
  }

  // Exactly one person has the card's name and birth date: chosen as a click would.
  useEffect(() => {
    if (!autoPick) return;
    setAutoPick(null);
    choose(autoPick);
  }, [autoPick]); // `choose` of this render: the card's criteria are still the ones searched

  /** The card was read: search its holder by name and birth date. */
  function searchByCard(card: CardPerson) {
    setText(card.name);
    setCriteria({ q: card.name, birth: card.birth, card });
  }

  /** No one with the card's name (its characters may differ from the 住民記録's): the birth date alone. */
  function searchByBirthOnly(card: CardPerson) {
    setText(formatWareki(card.birth));
    setCriteria({ q: '', birth: card.birth, card });
  }

  function onKeyDown(e: ReactKeyboardEvent<HTMLInputElement>) {
    if (e.nativeEvent.isComposing) return; // Enter commits the IME conversion, nothing else
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActive((i) => Math.min(i + 1, hits.length - 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((i) => Math.max(i - 1, 0));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      if (isMadoguchiQr(text.trim())) {
        void scanned(text.trim());
        return;
      }
      choose(hits[active]);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      setText('');
      setCriteria({ q: '' });
    }
  }

  return (
    <section className="panel step-panel" data-testid="step-panel-search">
      <h2>{mode === 'add' ? t('visit.search.addTitle') : t('visit.search.title')}</h2>
      <div className="field">
        <label htmlFor="visit-search">{t('search.label')}</label>
        <input
          id="visit-search"
          className="input-large"
          type="search"
          role="combobox"
          aria-expanded={hits.length > 0}
          aria-controls="visit-search-results"
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            if ((e.nativeEvent as InputEvent).isComposing) return;
            performance.mark('madoguchi:search-input');
            setCriteria({ q: e.target.value });
          }}
          onCompositionEnd={(e) => {
            performance.mark('madoguchi:search-input');
            setCriteria({ q: e.currentTarget.value });
          }}
          onKeyDown={onKeyDown}
          placeholder={t('search.placeholder')}
          autoComplete="off"
          autoFocus
          data-testid="visit-search-input"
        />
      </div>
      <div className="card-search">
        <CameraScanButton onSymbol={cameraRead} />
        {backend.terminal && <CardReadButton terminal={backend.terminal} onRead={searchByCard} />}
        {criteria.card && (
          <p className="card-search-person" data-testid="staff-card-person">
            {t('visit.card.searched', { name: criteria.card.name, birth: formatWareki(criteria.card.birth) })}
          </p>
        )}
      </div>
      <p className="search-status" role="status" data-testid="visit-search-status">
        {status === 'loading' && t('search.searching')}
        {status === 'done' && (hits.length === 0 ? t('search.none') : t('search.count', { count: hits.length }))}
      </p>
      {more && <p className="notice">{t('search.more')}</p>}
      {criteria.card && criteria.q && status === 'done' && hits.length === 0 && (
        <p className="notice" data-testid="staff-card-no-match">
          {t('visit.card.noMatch')}{' '}
          <button
            type="button"
            className="button button-secondary button-small"
            onClick={() => criteria.card && searchByBirthOnly(criteria.card)}
            data-testid="staff-card-birth-only"
          >
            {t('visit.card.birthOnly')}
          </button>
        </p>
      )}
      {status === 'error' && (
        <div className="error-banner" role="alert">
          {message}
        </div>
      )}
      <ul id="visit-search-results" className="result-list" role="listbox" aria-label={t('search.results')}>
        {hits.map((h, i) => (
          <li
            key={h.kind === 'incoming' ? `n-${h.move.notice_no}` : h.resident.atena_no}
            role="option"
            aria-selected={i === active}
            className="result-row"
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => choose(h)}
            data-testid={h.kind === 'incoming' ? 'incoming-result' : 'resident-result'}
          >
            {h.kind === 'incoming' ? (
              <div className="resident-summary">
                <div className="resident-name">
                  <span className="badge">{t('visit.search.incoming')}</span>
                  {h.move.prepared_case_id && (
                    <span className="badge badge-warning" data-testid="incoming-prepared">
                      {t('visit.incoming.openPrepared')}
                    </span>
                  )}
                  <span className="name">{h.move.head_name}</span>
                  <span className="kana">{t('visit.search.members', { count: h.move.members.length })}</span>
                </div>
                <div className="resident-facts">
                  <span>
                    {t('visit.search.from')} {h.move.old_address}
                  </span>
                  <span>
                    {t('visit.search.plannedOn')} {formatWareki(h.move.planned_on)}
                  </span>
                </div>
              </div>
            ) : (
              <div className="resident-summary">
                <div className="resident-name">
                  <span className="name">{h.resident.name}</span>
                  {h.resident.kana && <span className="kana">{h.resident.kana}</span>}
                  {h.resident.status !== 'resident' && <span className="badge">{h.resident.status_label}</span>}
                </div>
                <div className="resident-facts">
                  <span>
                    {t('resident.birth')} {h.resident.birth_display}
                  </span>
                  <span>{h.resident.sex_label}</span>
                </div>
                <AddressOrWarning resident={h.resident} />
              </div>
            )}
          </li>
        ))}
      </ul>
      {selected && (
        <p className="muted">
          {t('visit.search.lastSelected')} {selected.name}
        </p>
      )}
      <p className="hint">
        <kbd>↑</kbd>
        <kbd>↓</kbd> {t('shortcut.move')} <kbd>Enter</kbd> {t('shortcut.select')} <kbd>Esc</kbd> {t('shortcut.clear')}
      </p>
    </section>
  );
}
