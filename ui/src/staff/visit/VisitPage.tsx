import {
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  type FormEvent,
  type KeyboardEvent as ReactKeyboardEvent,
  type ReactNode,
} from 'react';
import type {
  CaseView,
  CertificateLine,
  FeeTableView,
  HouseholdView,
  IncomingMoveView,
  Notification,
  QuestionView,
  QuoteResponse,
  ResidentView,
  TownView,
} from '../../api/types';
import { BackendError, errorMessage, isAbortError, useBackend } from '../../backend';
import { formatWareki, t } from '../../i18n';
import { AddressOrWarning } from '../Search';
import { loadVisit, storeVisit } from './draftStore';
import {
  ID_DOCUMENTS,
  NOTIFICATION_KINDS,
  VISITOR_KINDS,
  caseHeading,
  emptyDraft,
  evaluateRequest,
  filterTowns,
  mergeProcedures,
  newAddress,
  newId,
  normalizeBanchi,
  notificationFromHousehold,
  notificationFromIncoming,
  todayIso,
  withKind,
  withNewborn,
  type Draft,
} from './model';

/** Debounce of search-as-you-type: short, since each keystroke cancels the request before it. */
const SEARCH_DEBOUNCE_MS = 40;

export const STEPS = ['search', 'identity', 'notification', 'procedures', 'certificates', 'finish'] as const;
type Step = (typeof STEPS)[number];

/** Where the visit's search result goes: a new case, or one more household of the current case. */
type SearchMode = 'new' | 'add';

/**
 * One counter visit (案件), keyboard first: 宛名検索 → 本人確認 → 届出 → 手続 → 証明書 → 保存・印刷.
 * Enter advances in every step; the draft is kept in the tab until the case is saved, so a lost
 * connection or a refused request never loses what was typed.
 */
export function VisitPage({ resumeId }: { resumeId?: string }) {
  const backend = useBackend();
  const stored = useMemo(() => loadVisit(), []);
  const [draft, setDraftState] = useState<Draft>(() => stored?.draft ?? emptyDraft(newId('case')));
  const [step, setStepState] = useState<number>(stored?.step ?? 0);
  const [mode, setMode] = useState<SearchMode>('new');
  const [selected, setSelected] = useState<ResidentView | null>(null);
  const [household, setHousehold] = useState<HouseholdView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [history, setHistory] = useState<CaseView['history']>([]);

  const setDraft = useCallback((update: (d: Draft) => Draft) => {
    setDraftState((d) => update(d));
  }, []);
  useEffect(() => storeVisit({ draft, step }), [draft, step]);

  const goTo = useCallback((s: number) => {
    setError(null);
    setStepState(Math.max(0, Math.min(STEPS.length - 1, s)));
  }, []);

  // Resuming a saved case (from the case list, or at another counter).
  useEffect(() => {
    if (!resumeId) return;
    let current = true;
    backend
      .getCase(resumeId)
      .then((c) => {
        if (!current) return;
        setDraftState({ caseId: c.id, revision: c.revision, status: c.status, document: c.document });
        setHistory(c.history);
        setStepState(3);
      })
      .catch((e: unknown) => current && setError(errorMessage(e)));
    return () => {
      current = false;
    };
  }, [backend, resumeId]);

  function startNew() {
    setDraftState(emptyDraft(newId('case')));
    setHistory([]);
    setSelected(null);
    setHousehold(null);
    setMode('new');
    goTo(0);
  }

  /**
   * A resident chosen in the search: a new case with them as the visitor (本人), or — when adding a
   * household — the notification step opens for their household. Which 届出 (if any) is chosen there.
   */
  async function chooseResident(r: ResidentView) {
    setSelected(r);
    let h: HouseholdView;
    try {
      h = await backend.household(r.household_no);
    } catch (e) {
      setError(errorMessage(e));
      return;
    }
    setHousehold(h);
    if (mode === 'add') {
      setMode('new');
      goTo(2);
      return;
    }
    setDraftState({
      ...emptyDraft(newId('case')),
      document: {
        ...emptyDraft('').document,
        visitor: {
          kind: '本人',
          atena_no: r.atena_no,
          name: r.name,
          relation: '',
          proxy_letter: false,
          id_document: 'マイナンバーカード',
        },
      },
    });
    setHistory([]);
    goTo(1);
  }

  /** 転出証明書情報 chosen: a 転入 of the whole family, nothing typed. */
  function chooseIncoming(m: IncomingMoveView) {
    setSelected(null);
    setHousehold(null);
    const notification = notificationFromIncoming(m, todayIso());
    if (mode === 'add') {
      setDraft((d) => ({
        ...d,
        document: { ...d.document, notifications: [...(d.document.notifications ?? []), notification] },
      }));
      setMode('new');
      goTo(2);
      return;
    }
    setDraftState({
      ...emptyDraft(newId('case')),
      document: {
        ...emptyDraft('').document,
        visitor: {
          kind: '本人',
          name: m.head_name,
          relation: '',
          proxy_letter: false,
          id_document: 'マイナンバーカード',
        },
        notifications: [notification],
      },
    });
    setHistory([]);
    goTo(1);
  }

  const current: Step = STEPS[step] ?? 'search';
  const heading = caseHeading(draft.document);

  return (
    <section className="visit" aria-labelledby="visit-title">
      <header className="visit-header">
        <h1 id="visit-title">
          {t('visit.title')}
          {heading && <span className="visit-who"> — {heading}</span>}
        </h1>
        <div className="visit-meta">
          <span data-testid="case-id">
            {t('visit.caseId')} {draft.caseId}
          </span>
          <span>
            {draft.revision === null ? t('visit.unsaved') : t('visit.revision', { revision: draft.revision })}
          </span>
          <button type="button" className="button button-secondary" onClick={startNew} data-testid="new-case">
            {t('visit.newCase')}
          </button>
        </div>
      </header>
      <ol className="stepper" aria-label={t('visit.steps')}>
        {STEPS.map((s, i) => (
          <li key={s} aria-current={i === step ? 'step' : undefined} className={i === step ? 'current' : ''}>
            <button type="button" className="step-button" onClick={() => goTo(i)} data-testid={`step-${s}`}>
              <span className="step-no">{i + 1}</span> {t(`visit.step.${s}`)}
            </button>
          </li>
        ))}
      </ol>
      {error && (
        <div className="error-banner" role="alert" data-testid="visit-error">
          {error}
        </div>
      )}
      {current === 'search' && (
        <SearchStep mode={mode} onResident={chooseResident} onIncoming={chooseIncoming} selected={selected} />
      )}
      {current === 'identity' && <IdentityStep draft={draft} setDraft={setDraft} onNext={() => goTo(2)} />}
      {current === 'notification' && (
        <NotificationStep
          draft={draft}
          setDraft={setDraft}
          selected={selected}
          household={household}
          onNext={() => goTo(3)}
          onAddHousehold={() => {
            setMode('add');
            goTo(0);
          }}
        />
      )}
      {current === 'procedures' && <ProceduresStep draft={draft} setDraft={setDraft} onNext={() => goTo(4)} />}
      {current === 'certificates' && <CertificatesStep draft={draft} setDraft={setDraft} onNext={() => goTo(5)} />}
      {current === 'finish' && (
        <FinishStep draft={draft} setDraftState={setDraftState} history={history} setHistory={setHistory} />
      )}
    </section>
  );
}

function StepForm({
  title,
  onSubmit,
  children,
  hint,
  testId,
}: {
  title: string;
  onSubmit: () => void;
  children: ReactNode;
  hint?: ReactNode;
  testId: string;
}) {
  function submit(e: FormEvent) {
    e.preventDefault();
    onSubmit();
  }
  // Enter advances also when nothing has the focus (after answering with y/n, after a click).
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.key !== 'Enter' || e.defaultPrevented) return;
      const target = e.target as HTMLElement | null;
      const choice = target instanceof HTMLInputElement && (target.type === 'radio' || target.type === 'checkbox');
      if (target && target !== document.body && !choice) return;
      e.preventDefault();
      onSubmit();
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onSubmit]);
  return (
    <form className="panel step-panel" onSubmit={submit} data-testid={testId} noValidate>
      <h2>{title}</h2>
      {children}
      <div className="form-actions">
        <button type="submit" className="button button-primary" data-testid="next">
          {t('visit.next')} <kbd>Enter</kbd>
        </button>
        {hint && <span className="hint">{hint}</span>}
      </div>
    </form>
  );
}

// ---------------------------------------------------------------------------------------------
// 1. Search: residents of the city and 転出証明書情報 (転入予定), as you type.

type Hit = { kind: 'incoming'; move: IncomingMoveView } | { kind: 'resident'; resident: ResidentView };

function SearchStep({
  mode,
  onResident,
  onIncoming,
  selected,
}: {
  mode: SearchMode;
  onResident: (r: ResidentView) => void;
  onIncoming: (m: IncomingMoveView) => void;
  selected: ResidentView | null;
}) {
  const backend = useBackend();
  // What the input shows, and what is searched: text still being composed with the IME (やまd) is
  // not searched until it is committed.
  const [text, setText] = useState('');
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<Hit[]>([]);
  const [status, setStatus] = useState<'idle' | 'loading' | 'done' | 'error'>('idle');
  const [message, setMessage] = useState('');
  const [active, setActive] = useState(0);
  const [more, setMore] = useState(false);

  useEffect(() => {
    const q = query.trim();
    if (!q) {
      setHits([]);
      setStatus('idle');
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      setStatus('loading');
      const residents = backend.searchResidents({ q, limit: 20 }, controller.signal);
      const incoming = /\d/.test(q)
        ? Promise.resolve([] as IncomingMoveView[])
        : backend.incomingMoves(q, controller.signal).catch(() => [] as IncomingMoveView[]);
      Promise.all([residents, incoming])
        .then(([res, moves]) => {
          if (controller.signal.aborted) return;
          setHits([
            ...moves.map((move) => ({ kind: 'incoming' as const, move })),
            ...res.results.map((resident) => ({ kind: 'resident' as const, resident })),
          ]);
          setMore(res.more);
          setActive(0);
          setStatus('done');
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
  }, [backend, query]);

  // User Timing: from the keystroke to the results on screen (read by the end-to-end test).
  useEffect(() => {
    if (status !== 'done') return;
    try {
      performance.measure('madoguchi:search', 'madoguchi:search-input');
    } catch {
      // no keystroke mark (results restored without typing)
    }
  }, [hits, status]);

  function choose(h: Hit | undefined) {
    if (!h) return;
    if (h.kind === 'incoming') onIncoming(h.move);
    else onResident(h.resident);
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
      choose(hits[active]);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      setText('');
      setQuery('');
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
            setQuery(e.target.value);
          }}
          onCompositionEnd={(e) => {
            performance.mark('madoguchi:search-input');
            setQuery(e.currentTarget.value);
          }}
          onKeyDown={onKeyDown}
          placeholder={t('search.placeholder')}
          autoComplete="off"
          autoFocus
          data-testid="visit-search-input"
        />
      </div>
      <p className="search-status" role="status" data-testid="visit-search-status">
        {status === 'loading' && t('search.searching')}
        {status === 'done' && (hits.length === 0 ? t('search.none') : t('search.count', { count: hits.length }))}
      </p>
      {more && <p className="notice">{t('search.more')}</p>}
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

// ---------------------------------------------------------------------------------------------
// 2. 本人確認: who came, and how they were identified.

function IdentityStep({
  draft,
  setDraft,
  onNext,
}: {
  draft: Draft;
  setDraft: (u: (d: Draft) => Draft) => void;
  onNext: () => void;
}) {
  const v = draft.document.visitor;
  const [problem, setProblem] = useState<string | null>(null);
  const setVisitor = (patch: Partial<typeof v>) =>
    setDraft((d) => ({ ...d, document: { ...d.document, visitor: { ...d.document.visitor, ...patch } } }));

  function next() {
    if (!v.name?.trim()) return setProblem(t('visit.identity.nameRequired'));
    if (v.kind === '代理人' && !v.proxy_letter) return setProblem(t('visit.identity.proxyLetterRequired'));
    setProblem(null);
    onNext();
  }

  function onKindKey(e: ReactKeyboardEvent) {
    const n = Number(e.key);
    if (n >= 1 && n <= VISITOR_KINDS.length) {
      e.preventDefault();
      setVisitor({ kind: VISITOR_KINDS[n - 1] });
    }
  }

  return (
    <StepForm title={t('visit.identity.title')} onSubmit={next} testId="step-panel-identity">
      {problem && (
        <div className="error-banner" role="alert">
          {problem}
        </div>
      )}
      <fieldset className="choice-group" onKeyDown={onKindKey}>
        <legend>
          {t('visit.identity.visitorKind')} <span className="hint">{t('visit.identity.kindKeys')}</span>
        </legend>
        {VISITOR_KINDS.map((k, i) => (
          <label key={k} className="choice">
            <input
              type="radio"
              name="visitor-kind"
              checked={v.kind === k}
              onChange={() => setVisitor({ kind: k })}
              autoFocus={v.kind === k}
              data-testid={`visitor-kind-${k}`}
            />
            <kbd>{i + 1}</kbd> {t(`visit.visitor.${k}`)}
          </label>
        ))}
      </fieldset>
      <div className="form-grid">
        <div className="field">
          <label htmlFor="visitor-name">{t('visit.identity.visitorName')}</label>
          <input
            id="visitor-name"
            value={v.name ?? ''}
            onChange={(e) => setVisitor({ name: e.target.value })}
            data-testid="visitor-name"
          />
        </div>
        {v.kind !== '本人' && (
          <div className="field">
            <label htmlFor="visitor-relation">{t('visit.identity.relation')}</label>
            <input
              id="visitor-relation"
              value={v.relation ?? ''}
              onChange={(e) => setVisitor({ relation: e.target.value })}
              data-testid="visitor-relation"
            />
          </div>
        )}
        <div className="field">
          <label htmlFor="id-document">{t('visit.identity.document')}</label>
          <select
            id="id-document"
            value={v.id_document ?? ''}
            onChange={(e) => setVisitor({ id_document: e.target.value })}
            data-testid="id-document"
          >
            {ID_DOCUMENTS.map((doc) => (
              <option key={doc} value={doc}>
                {doc}
              </option>
            ))}
          </select>
        </div>
      </div>
      {v.kind === '代理人' && (
        <label className="choice">
          <input
            type="checkbox"
            checked={v.proxy_letter ?? false}
            onChange={(e) => setVisitor({ proxy_letter: e.target.checked })}
            data-testid="proxy-letter"
          />
          {t('visit.identity.proxyLetter')}
        </label>
      )}
    </StepForm>
  );
}

// ---------------------------------------------------------------------------------------------
// 3. 届出: kind, date, who, and the new address from the city's list.

function NotificationStep({
  draft,
  setDraft,
  selected,
  household,
  onNext,
  onAddHousehold,
}: {
  draft: Draft;
  setDraft: (u: (d: Draft) => Draft) => void;
  selected: ResidentView | null;
  household: HouseholdView | null;
  onNext: () => void;
  onAddHousehold: () => void;
}) {
  const backend = useBackend();
  const [towns, setTowns] = useState<TownView[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const notifications = draft.document.notifications ?? [];

  useEffect(() => {
    let current = true;
    backend
      .towns()
      .then((list) => current && setTowns(list))
      .catch((e: unknown) => current && setProblem(errorMessage(e)));
    return () => {
      current = false;
    };
  }, [backend]);

  // F6: another household in the same visit.
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.key === 'F6') {
        e.preventDefault();
        onAddHousehold();
      }
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onAddHousehold]);

  const update = (index: number, change: (n: Notification) => Notification) =>
    setDraft((d) => ({
      ...d,
      document: {
        ...d.document,
        notifications: (d.document.notifications ?? []).map((n, i) => (i === index ? change(n) : n)),
      },
    }));
  const remove = (index: number) =>
    setDraft((d) => ({
      ...d,
      document: { ...d.document, notifications: (d.document.notifications ?? []).filter((_, i) => i !== index) },
    }));

  function next() {
    for (const [i, n] of notifications.entries()) {
      if ((n.kind === '転入' || n.kind === '転居') && !n.new_address) {
        return setProblem(t('visit.notification.addressRequired', { n: i + 1 }));
      }
      if (!n.members.some((m) => m.facts.mover)) {
        return setProblem(t('visit.notification.moverRequired', { n: i + 1 }));
      }
    }
    setProblem(null);
    onNext();
  }

  return (
    <StepForm
      title={t('visit.notification.title')}
      onSubmit={next}
      testId="step-panel-notification"
      hint={
        <>
          <kbd>F6</kbd> {t('visit.notification.addHousehold')}
        </>
      }
    >
      {problem && (
        <div className="error-banner" role="alert">
          {problem}
        </div>
      )}
      {household && selected && !notifications.some((n) => n.household_no === household.household_no) && (
        <NewNotification
          household={household}
          onAdd={(kind) =>
            setDraft((d) => ({
              ...d,
              document: {
                ...d.document,
                notifications: [
                  ...(d.document.notifications ?? []),
                  notificationFromHousehold(kind, household, selected, todayIso()),
                ],
              },
            }))
          }
        />
      )}
      {notifications.length === 0 && <p className="notice">{t('visit.notification.none')}</p>}
      {notifications.map((n, i) => (
        <NotificationEditor
          key={i}
          index={i}
          notification={n}
          towns={towns}
          selectedAtena={selected?.atena_no ?? null}
          onChange={(change) => update(i, change)}
          onRemove={notifications.length > 1 ? () => remove(i) : undefined}
          first={i === notifications.length - 1}
        />
      ))}
      <button type="button" className="button button-secondary" onClick={onAddHousehold} data-testid="add-household">
        {t('visit.notification.addHousehold')} <kbd>F6</kbd>
      </button>
    </StepForm>
  );
}

/** The 届出 for the chosen resident's household: a digit key or a click picks its kind. */
function NewNotification({ household, onAdd }: { household: HouseholdView; onAdd: (kind: string) => void }) {
  // The digit keys work wherever the focus is not in a field; Enter with no 届出 goes on (証明書のみ).
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      const target = e.target as HTMLElement | null;
      if (target && target !== document.body && target.closest('.new-notification') === null) return;
      const found = NOTIFICATION_KINDS.find((k) => k.key === e.key);
      if (found) {
        e.preventDefault();
        onAdd(found.kind);
      }
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onAdd]);
  return (
    <div
      className="choice-group new-notification"
      role="group"
      aria-label={t('visit.notification.addFor', { count: household.members.length })}
    >
      <span className="label">{t('visit.notification.addFor', { count: household.members.length })}</span>
      {household.address_masked && (
        <span className="warning" data-testid="support-measure-warning">
          {t('resident.addressMaskedHousehold')}
        </span>
      )}
      {NOTIFICATION_KINDS.map((k) => (
        <button
          key={k.kind}
          type="button"
          className="button button-secondary"
          onClick={() => onAdd(k.kind)}
          data-testid={`add-${k.kind}`}
        >
          <kbd>{k.key}</kbd> {k.kind}
        </button>
      ))}
    </div>
  );
}

function NotificationEditor({
  index,
  notification: n,
  towns,
  selectedAtena,
  onChange,
  onRemove,
  first,
}: {
  index: number;
  notification: Notification;
  towns: TownView[];
  selectedAtena: string | null;
  onChange: (change: (n: Notification) => Notification) => void;
  onRemove?: () => void;
  first: boolean;
}) {
  const needsAddress = n.kind === '転入' || n.kind === '転居';
  const [child, setChild] = useState({ name: '', kana: '', birth: todayIso(), sex: '女' });

  function onKindKey(e: ReactKeyboardEvent) {
    const found = NOTIFICATION_KINDS.find((k) => k.key === e.key);
    if (found) {
      e.preventDefault();
      onChange((x) => withKind(x, found.kind, selectedAtena));
    }
  }

  return (
    <fieldset className="notification" data-testid="notification">
      <legend>
        {t('visit.notification.nth', { n: index + 1 })} {n.kind}
        {n.notice_no && <span className="badge">{t('visit.notification.fromNotice')}</span>}
      </legend>
      <div className="choice-group" role="radiogroup" aria-label={t('visit.notification.kind')} onKeyDown={onKindKey}>
        {NOTIFICATION_KINDS.map((k) => (
          <label key={k.kind} className="choice">
            <input
              type="radio"
              name={`kind-${index}`}
              checked={n.kind === k.kind}
              onChange={() => onChange((x) => withKind(x, k.kind, selectedAtena))}
              data-testid={`kind-${k.kind}`}
            />
            <kbd>{k.key}</kbd> {k.kind}
          </label>
        ))}
      </div>
      <div className="form-grid">
        <div className="field">
          <label htmlFor={`event-date-${index}`}>{t('visit.notification.eventDate')}</label>
          <input
            id={`event-date-${index}`}
            type="date"
            value={n.event_date}
            onChange={(e) => onChange((x) => ({ ...x, event_date: e.target.value }))}
          />
          <span className="hint">{formatWareki(n.event_date)}</span>
        </div>
        {(n.kind === '転入' || n.kind === '転出') && (
          <div className="field">
            <label htmlFor={`detail-${index}`}>{t('visit.notification.detail')}</label>
            <select
              id={`detail-${index}`}
              value={n.detail ?? '国内'}
              onChange={(e) => onChange((x) => ({ ...x, detail: e.target.value }))}
            >
              <option value="国内">{t('visit.notification.domestic')}</option>
              <option value="国外">{t('visit.notification.abroad')}</option>
            </select>
          </div>
        )}
        {n.old_address && (
          <div className="field">
            <span className="label">{t('visit.notification.oldAddress')}</span>
            <span>{n.old_address}</span>
          </div>
        )}
      </div>
      {needsAddress && (
        <AddressPicker
          index={index}
          towns={towns}
          value={n.new_address ?? null}
          autoFocus={first}
          onChange={(addr) => onChange((x) => ({ ...x, new_address: addr }))}
        />
      )}
      <table className="table" data-testid="members">
        <caption>{t('visit.notification.members')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('visit.notification.mover')}</th>
            <th scope="col">{t('resident.relation')}</th>
            <th scope="col">{t('resident.name')}</th>
            <th scope="col">{t('resident.kana')}</th>
            <th scope="col">{t('resident.birth')}</th>
          </tr>
        </thead>
        <tbody>
          {n.members.map((m, mi) => (
            <tr key={`${m.atena_no ?? m.name}-${mi}`} data-testid="member-row">
              <td>
                <input
                  type="checkbox"
                  aria-label={t('visit.notification.moverOf', { name: m.name })}
                  checked={m.facts.mover ?? false}
                  onChange={(e) =>
                    onChange((x) => ({
                      ...x,
                      members: x.members.map((y, yi) =>
                        yi === mi ? { ...y, facts: { ...y.facts, mover: e.target.checked } } : y,
                      ),
                    }))
                  }
                />
              </td>
              <td>{m.facts.relation}</td>
              <th scope="row">{m.name}</th>
              <td>{m.kana}</td>
              <td>{formatWareki(m.facts.birth)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {n.kind === '出生' && (
        <div className="form-grid newborn">
          <div className="field">
            <label htmlFor={`child-name-${index}`}>{t('visit.notification.childName')}</label>
            <input id={`child-name-${index}`} value={child.name} onChange={(e) => setChild({ ...child, name: e.target.value })} />
          </div>
          <div className="field">
            <label htmlFor={`child-kana-${index}`}>{t('resident.kana')}</label>
            <input id={`child-kana-${index}`} value={child.kana} onChange={(e) => setChild({ ...child, kana: e.target.value })} />
          </div>
          <div className="field">
            <label htmlFor={`child-birth-${index}`}>{t('resident.birth')}</label>
            <input
              id={`child-birth-${index}`}
              type="date"
              value={child.birth}
              onChange={(e) => setChild({ ...child, birth: e.target.value })}
            />
          </div>
          <div className="field">
            <label htmlFor={`child-sex-${index}`}>{t('resident.sex')}</label>
            <select id={`child-sex-${index}`} value={child.sex} onChange={(e) => setChild({ ...child, sex: e.target.value })}>
              <option value="女">女</option>
              <option value="男">男</option>
            </select>
          </div>
          <button
            type="button"
            className="button button-secondary"
            disabled={!child.name.trim()}
            onClick={() => onChange((x) => withNewborn(x, child))}
          >
            {t('visit.notification.addChild')}
          </button>
        </div>
      )}
      {onRemove && (
        <button type="button" className="button button-secondary" onClick={onRemove}>
          {t('visit.notification.remove')}
        </button>
      )}
    </fieldset>
  );
}

/** 町字 from the city's list (type to filter, ↑↓ Enter), then 番地 and 方書. */
function AddressPicker({
  index,
  towns,
  value,
  autoFocus,
  onChange,
}: {
  index: number;
  towns: TownView[];
  value: Notification['new_address'];
  autoFocus: boolean;
  onChange: (addr: Notification['new_address']) => void;
}) {
  const [text, setText] = useState(value?.town ?? '');
  const [active, setActive] = useState(0);
  const [town, setTown] = useState<TownView | null>(null);
  const [banchi, setBanchi] = useState(value?.banchi ?? '');
  const [katagaki, setKatagaki] = useState(value?.katagaki ?? '');
  const [open, setOpen] = useState(false);
  const banchiRef = useRef<HTMLInputElement>(null);
  const options = useMemo(() => filterTowns(towns, text).slice(0, 12), [towns, text]);

  // The town of a stored address, once the list is loaded.
  useEffect(() => {
    if (!town && value) setTown(towns.find((t) => t.town === value.town) ?? null);
  }, [towns, value, town]);

  useEffect(() => {
    if (town) onChange(newAddress(town, banchi, katagaki));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [town, banchi, katagaki]);

  function pick(t: TownView | undefined) {
    if (!t) return;
    setTown(t);
    setText(t.town);
    setOpen(false);
    banchiRef.current?.focus();
  }

  function onKeyDown(e: ReactKeyboardEvent<HTMLInputElement>) {
    if (e.nativeEvent.isComposing) return;
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setOpen(true);
      setActive((i) => Math.min(i + 1, options.length - 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((i) => Math.max(i - 1, 0));
    } else if (e.key === 'Enter' && (open || !town)) {
      e.preventDefault();
      pick(options[active]);
    }
  }

  return (
    <div className="address-picker" data-testid="address-picker">
      <div className="form-grid">
        <div className="field town-field">
          <label htmlFor={`town-${index}`}>{t('visit.address.town')}</label>
          <input
            id={`town-${index}`}
            role="combobox"
            aria-expanded={open && options.length > 0}
            aria-controls={`town-list-${index}`}
            value={text}
            autoFocus={autoFocus && !value}
            onChange={(e) => {
              setText(e.target.value);
              setOpen(true);
              setActive(0);
              setTown(null);
            }}
            onKeyDown={onKeyDown}
            placeholder={t('visit.address.townPlaceholder')}
            autoComplete="off"
            data-testid="town-input"
          />
          {open && options.length > 0 && (
            <ul id={`town-list-${index}`} className="town-list" role="listbox">
              {options.map((o, i) => (
                <li
                  key={o.town}
                  role="option"
                  aria-selected={i === active}
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={() => pick(o)}
                  data-testid="town-option"
                >
                  {o.town} <span className="muted">〒{o.postal_code}</span>
                </li>
              ))}
            </ul>
          )}
        </div>
        <div className="field">
          <label htmlFor={`banchi-${index}`}>{t('visit.address.banchi')}</label>
          <input
            id={`banchi-${index}`}
            ref={banchiRef}
            value={banchi}
            onChange={(e) => setBanchi(e.target.value)}
            placeholder="1-2-3"
            autoComplete="off"
            data-testid="banchi-input"
          />
          {banchi && <span className="hint">{normalizeBanchi(banchi)}</span>}
        </div>
        <div className="field">
          <label htmlFor={`katagaki-${index}`}>{t('visit.address.katagaki')}</label>
          <input
            id={`katagaki-${index}`}
            value={katagaki}
            onChange={(e) => setKatagaki(e.target.value)}
            autoComplete="off"
          />
        </div>
      </div>
      <p className="new-address" data-testid="new-address">
        {t('visit.address.result')} {value?.full ?? t('visit.address.notChosen')}
      </p>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// 4. 手続: what 手続きナビ finds for every notification, with its questions.

function ProceduresStep({
  draft,
  setDraft,
  onNext,
}: {
  draft: Draft;
  setDraft: (u: (d: Draft) => Draft) => void;
  onNext: () => void;
}) {
  const backend = useBackend();
  const [questions, setQuestions] = useState<QuestionView[]>([]);
  const [status, setStatus] = useState<'loading' | 'done' | 'error'>('loading');
  const [message, setMessage] = useState('');
  const answers = draft.document.answers ?? {};
  const notifications = draft.document.notifications ?? [];
  const key = JSON.stringify([notifications, answers]);

  useEffect(() => {
    if (notifications.length === 0) {
      setStatus('done');
      setQuestions([]);
      return;
    }
    let current = true;
    setStatus('loading');
    Promise.all(notifications.map((n) => backend.evaluate(evaluateRequest(n, answers))))
      .then((results) => {
        if (!current) return;
        const found = results.flatMap((r) => r.procedures);
        const asked = new Map<string, QuestionView>();
        for (const r of results) for (const q of r.next_questions) asked.set(q.id, q);
        setQuestions([...asked.values()]);
        setDraft((d) => ({
          ...d,
          document: { ...d.document, procedures: mergeProcedures(d.document.procedures ?? [], found) },
        }));
        setStatus('done');
      })
      .catch((e: unknown) => {
        if (!current) return;
        setStatus('error');
        setMessage(errorMessage(e));
      });
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [backend, key]);

  const answer = useCallback(
    (id: string, value: boolean | string) =>
      setDraft((d) => ({ ...d, document: { ...d.document, answers: { ...(d.document.answers ?? {}), [id]: value } } })),
    [setDraft],
  );
  const first = questions[0];

  // y / n answer the first open question; F8 answers every open question "いいえ".
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      const target = e.target as HTMLElement | null;
      if (target && ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName)) return;
      if (e.key === 'F8') {
        e.preventDefault();
        setDraft((d) => {
          const more = { ...(d.document.answers ?? {}) };
          for (const q of questions) more[q.id] = q.kind === 'yes_no' ? false : (q.options[q.options.length - 1] ?? '');
          return { ...d, document: { ...d.document, answers: more } };
        });
        return;
      }
      if (!first) return;
      if (first.kind === 'yes_no' && (e.key === 'y' || e.key === 'n')) {
        e.preventDefault();
        answer(first.id, e.key === 'y');
      } else if (first.kind !== 'yes_no') {
        const n = Number(e.key);
        const option = first.options[n - 1];
        if (n >= 1 && option) {
          e.preventDefault();
          answer(first.id, option);
        }
      }
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [first, questions, answer, setDraft]);

  const procedures = draft.document.procedures ?? [];
  const setState = (code: string, state: string) =>
    setDraft((d) => ({
      ...d,
      document: {
        ...d.document,
        procedures: (d.document.procedures ?? []).map((p) => (p.code === code ? { ...p, state } : p)),
      },
    }));
  const here = procedures.filter((p) => p.on_the_spot);
  const elsewhere = procedures.filter((p) => !p.on_the_spot);

  return (
    <StepForm
      title={t('visit.procedures.title')}
      onSubmit={onNext}
      testId="step-panel-procedures"
      hint={
        <>
          <kbd>y</kbd>/<kbd>n</kbd> {t('visit.procedures.answerKeys')} <kbd>F8</kbd> {t('visit.procedures.allNo')}
        </>
      }
    >
      {status === 'loading' && <p role="status">{t('visit.procedures.loading')}</p>}
      {status === 'error' && (
        <div className="error-banner" role="alert">
          {message}
        </div>
      )}
      {questions.length > 0 && (
        <div className="questions" data-testid="questions">
          <h3>{t('visit.procedures.questions', { count: questions.length })}</h3>
          <ol>
            {questions.map((q, i) => (
              <li key={q.id} className={i === 0 ? 'question current' : 'question'} data-testid="question">
                <span className="question-text">{q.text}</span>
                {q.kind === 'yes_no' ? (
                  <span className="question-answers">
                    <button type="button" className="button button-secondary" onClick={() => answer(q.id, true)}>
                      {i === 0 && <kbd>y</kbd>} {t('visit.procedures.yes')}
                    </button>
                    <button type="button" className="button button-secondary" onClick={() => answer(q.id, false)}>
                      {i === 0 && <kbd>n</kbd>} {t('visit.procedures.no')}
                    </button>
                  </span>
                ) : (
                  <span className="question-answers">
                    {q.options.map((o, oi) => (
                      <button key={o} type="button" className="button button-secondary" onClick={() => answer(q.id, o)}>
                        {i === 0 && <kbd>{oi + 1}</kbd>} {o}
                      </button>
                    ))}
                  </span>
                )}
              </li>
            ))}
          </ol>
        </div>
      )}
      <ProcedureTable title={t('visit.procedures.here')} list={here} setState={setState} />
      <ProcedureTable title={t('visit.procedures.elsewhere')} list={elsewhere} setState={setState} />
    </StepForm>
  );
}

function ProcedureTable({
  title,
  list,
  setState,
}: {
  title: string;
  list: Draft['document']['procedures'];
  setState: (code: string, state: string) => void;
}) {
  if (!list || list.length === 0) return null;
  return (
    <table className="table procedures" data-testid="procedure-table">
      <caption>
        {title}（{list.length}）
      </caption>
      <thead>
        <tr>
          <th scope="col">{t('visit.procedures.name')}</th>
          <th scope="col">{t('visit.procedures.reason')}</th>
          <th scope="col">{t('visit.procedures.counter')}</th>
          <th scope="col">{t('visit.procedures.state')}</th>
        </tr>
      </thead>
      <tbody>
        {list.map((p) => (
          <tr key={p.code} data-testid="procedure-row" data-code={p.code}>
            <th scope="row">{p.name}</th>
            <td>{(p.reasons ?? []).join('、')}</td>
            <td>{p.counter}</td>
            <td>
              <select
                aria-label={t('visit.procedures.stateOf', { name: p.name })}
                value={p.state}
                onChange={(e) => setState(p.code, e.target.value)}
                data-testid="procedure-state"
              >
                <option value="pending">{t('visit.state.pending')}</option>
                <option value="printed">{t('visit.state.printed')}</option>
                <option value="accepted">{t('visit.state.accepted')}</option>
              </select>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

// ---------------------------------------------------------------------------------------------
// 5. 証明書: certificates requested, with the fee total from the city's fee table.

function CertificatesStep({
  draft,
  setDraft,
  onNext,
}: {
  draft: Draft;
  setDraft: (u: (d: Draft) => Draft) => void;
  onNext: () => void;
}) {
  const backend = useBackend();
  const [table, setTable] = useState<FeeTableView | null>(null);
  const [item, setItem] = useState('JUMINHYO');
  const [copies, setCopies] = useState('1');
  const [quote, setQuote] = useState<QuoteResponse | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const lines = draft.document.certificates ?? [];

  useEffect(() => {
    let current = true;
    backend
      .feeTable()
      .then((tb) => current && setTable(tb))
      .catch((e: unknown) => current && setProblem(errorMessage(e)));
    return () => {
      current = false;
    };
  }, [backend]);

  const linesKey = JSON.stringify(lines);
  useEffect(() => {
    if (lines.length === 0) {
      setQuote(null);
      return;
    }
    let current = true;
    backend
      .quote({ items: lines.map((l) => ({ item: l.item, copies: l.copies, exemption: l.exemption ?? null })) })
      .then((q) => {
        if (!current) return;
        setQuote(q);
        setProblem(null);
      })
      .catch((e: unknown) => current && setProblem(errorMessage(e)));
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [backend, linesKey]);

  function setLines(next: CertificateLine[]) {
    setDraft((d) => ({ ...d, document: { ...d.document, certificates: next } }));
  }

  function add() {
    const n = Number(copies);
    if (!Number.isInteger(n) || n < 1 || n > 50) {
      setProblem(t('visit.certificates.copiesInvalid'));
      return;
    }
    const name = table?.items.find((i) => i.code === item)?.name ?? item;
    setLines([...lines, { item, copies: n, name, yen: 0 }]);
    setCopies('1');
  }

  return (
    <StepForm
      title={t('visit.certificates.title')}
      onSubmit={onNext}
      testId="step-panel-certificates"
      hint={<>{t('visit.certificates.hint')}</>}
    >
      {problem && (
        <div className="error-banner" role="alert">
          {problem}
        </div>
      )}
      <div className="form-grid">
        <div className="field">
          <label htmlFor="cert-item">{t('visit.certificates.item')}</label>
          <select id="cert-item" value={item} onChange={(e) => setItem(e.target.value)} data-testid="cert-item">
            {(table?.items ?? []).map((i) => (
              <option key={i.code} value={i.code}>
                {i.name}（{t('visit.certificates.unit', { yen: i.yen })}）
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="cert-copies">{t('visit.certificates.copies')}</label>
          <input
            id="cert-copies"
            inputMode="numeric"
            value={copies}
            onChange={(e) => setCopies(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                add();
              }
            }}
            data-testid="cert-copies"
          />
        </div>
        <button type="button" className="button button-secondary" onClick={add} data-testid="cert-add">
          {t('visit.certificates.add')}
        </button>
      </div>
      {lines.length > 0 && (
        <table className="table" data-testid="cert-lines">
          <thead>
            <tr>
              <th scope="col">{t('visit.certificates.item')}</th>
              <th scope="col">{t('visit.certificates.copies')}</th>
              <th scope="col">{t('visit.certificates.fee')}</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {lines.map((l, i) => (
              <tr key={`${l.item}-${i}`}>
                <th scope="row">{quote?.lines[i]?.name ?? l.name}</th>
                <td>{l.copies}</td>
                <td>{quote?.lines[i] ? t('visit.certificates.yen', { yen: quote.lines[i]!.yen }) : '…'}</td>
                <td>
                  <button
                    type="button"
                    className="button button-secondary"
                    onClick={() => setLines(lines.filter((_, j) => j !== i))}
                  >
                    {t('visit.certificates.remove')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="fee-total" data-testid="fee-total">
        {t('visit.certificates.total')} {t('visit.certificates.yen', { yen: quote?.total_yen ?? 0 })}
      </p>
    </StepForm>
  );
}

// ---------------------------------------------------------------------------------------------
// 6. 保存・印刷: status, memo with boilerplate phrases, save, print preview of every form.

function FinishStep({
  draft,
  setDraftState,
  history,
  setHistory,
}: {
  draft: Draft;
  setDraftState: (d: Draft) => void;
  history: CaseView['history'];
  setHistory: (h: CaseView['history']) => void;
}) {
  const backend = useBackend();
  const [phrases, setPhrases] = useState<string[]>([]);
  const [busy, setBusy] = useState<'save' | 'print' | null>(null);
  const [message, setMessage] = useState<{ kind: 'error' | 'ok'; text: string } | null>(null);
  const [pdfUrl, setPdfUrl] = useState<string | null>(null);
  const [pages, setPages] = useState(0);
  const [needsReason, setNeedsReason] = useState(false);
  const [reason, setReason] = useState('');
  const frameRef = useRef<HTMLIFrameElement>(null);
  const attempt = useRef<{ content: string; writeId: string } | null>(null);
  const memo = draft.document.memo ?? '';

  useEffect(() => {
    let current = true;
    backend
      .caseVocabulary()
      .then((v) => current && setPhrases(v.memo_phrases))
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [backend]);
  useEffect(() => () => {
    if (pdfUrl) URL.revokeObjectURL(pdfUrl);
  }, [pdfUrl]);

  const setDoc = (patch: Partial<Draft['document']>) =>
    setDraftState({ ...draft, document: { ...draft.document, ...patch } });

  async function save(): Promise<Draft | null> {
    setBusy('save');
    setMessage(null);
    // A save retried after a lost answer carries the same write id, so that the server applies it
    // once (it may have been applied before the connection dropped); a changed case is a new write.
    const content = JSON.stringify([draft.caseId, draft.revision, draft.status, draft.document]);
    const writeId = attempt.current?.content === content ? attempt.current.writeId : newId('w');
    attempt.current = { content, writeId };
    try {
      const saved = await backend.saveCase(draft.caseId, {
        write_id: writeId,
        revision: draft.revision,
        status: draft.status,
        document: draft.document,
      });
      attempt.current = null;
      const next = { caseId: saved.id, revision: saved.revision, status: saved.status, document: saved.document };
      setDraftState(next);
      setHistory(saved.history);
      setMessage({ kind: 'ok', text: t('visit.finish.saved', { revision: saved.revision }) });
      return next;
    } catch (e) {
      setMessage({ kind: 'error', text: errorMessage(e) });
      return null;
    } finally {
      setBusy(null);
    }
  }

  async function saveAndPrint() {
    const saved = await save();
    if (!saved) return;
    setBusy('print');
    try {
      const printed = await backend.printCase(saved.caseId, {
        write_id: newId('p'),
        override_reason: reason.trim() || null,
      });
      setPages(printed.pages);
      setPdfUrl(URL.createObjectURL(printed.pdf));
      setNeedsReason(false);
      const reloaded = await backend.getCase(saved.caseId);
      setDraftState({
        caseId: reloaded.id,
        revision: reloaded.revision,
        status: reloaded.status,
        document: reloaded.document,
      });
      setHistory(reloaded.history);
      setMessage({ kind: 'ok', text: t('visit.finish.printed', { pages: printed.pages }) });
    } catch (e) {
      if (e instanceof BackendError && e.code === 'support_measure_protected') setNeedsReason(true);
      setMessage({ kind: 'error', text: errorMessage(e) });
    } finally {
      setBusy(null);
    }
  }

  async function reload() {
    try {
      const c = await backend.getCase(draft.caseId);
      setDraftState({ caseId: c.id, revision: c.revision, status: c.status, document: c.document });
      setHistory(c.history);
      setMessage({ kind: 'ok', text: t('visit.finish.reloaded') });
    } catch (e) {
      setMessage({ kind: 'error', text: errorMessage(e) });
    }
  }

  // F9: save and print everything; F10: save only.
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (busy) return;
      if (e.key === 'F9') {
        e.preventDefault();
        void saveAndPrint();
      } else if (e.key === 'F10') {
        e.preventDefault();
        void save();
      }
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const statuses = [
    ['open', t('visit.status.open')],
    ['applied', t('visit.status.applied')],
    ['reviewed', t('visit.status.reviewed')],
    ['closed', t('visit.status.closed')],
  ] as const;

  return (
    <form
      className="panel step-panel"
      data-testid="step-panel-finish"
      onSubmit={(e) => {
        e.preventDefault();
        void saveAndPrint();
      }}
    >
      <h2>{t('visit.finish.title')}</h2>
      {message && (
        <div
          className={message.kind === 'error' ? 'error-banner' : 'notice'}
          role={message.kind === 'error' ? 'alert' : 'status'}
          data-testid={message.kind === 'error' ? 'finish-error' : 'finish-message'}
        >
          {message.text}
          {message.kind === 'error' && message.text === t('error.conflict') && (
            <button type="button" className="button button-secondary" onClick={reload}>
              {t('visit.finish.reload')}
            </button>
          )}
        </div>
      )}
      <dl className="summary">
        <dt>{t('visit.finish.notifications')}</dt>
        <dd>{(draft.document.notifications ?? []).map((n) => n.kind).join('、') || t('visit.finish.none')}</dd>
        <dt>{t('visit.finish.procedures')}</dt>
        <dd>{(draft.document.procedures ?? []).length}</dd>
        <dt>{t('visit.certificates.total')}</dt>
        <dd>{t('visit.certificates.yen', { yen: draft.document.fee_total ?? 0 })}</dd>
      </dl>
      <div className="form-grid">
        <div className="field">
          <label htmlFor="case-status">{t('visit.finish.status')}</label>
          <select
            id="case-status"
            value={draft.status}
            onChange={(e) => setDraftState({ ...draft, status: e.target.value })}
            data-testid="case-status"
          >
            {statuses.map(([code, label]) => (
              <option key={code} value={code}>
                {label}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="field">
        <label htmlFor="case-memo">{t('visit.finish.memo')}</label>
        <textarea
          id="case-memo"
          rows={3}
          value={memo}
          onChange={(e) => setDoc({ memo: e.target.value })}
          data-testid="case-memo"
        />
        <div className="phrases" aria-label={t('visit.finish.phrases')}>
          {phrases.map((p) => (
            <button
              key={p}
              type="button"
              className="button button-secondary button-small"
              onClick={() => setDoc({ memo: memo ? `${memo}\n${p}` : p })}
            >
              {p}
            </button>
          ))}
        </div>
      </div>
      {needsReason && (
        <div className="field">
          <label htmlFor="override-reason">{t('visit.finish.overrideReason')}</label>
          <input
            id="override-reason"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            data-testid="override-reason"
          />
        </div>
      )}
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={busy !== null} data-testid="save-print">
          {busy === 'print' ? t('visit.finish.printing') : t('visit.finish.saveAndPrint')} <kbd>F9</kbd>
        </button>
        <button
          type="button"
          className="button button-secondary"
          disabled={busy !== null}
          onClick={() => void save()}
          data-testid="save-only"
        >
          {t('visit.finish.saveOnly')} <kbd>F10</kbd>
        </button>
        {pdfUrl && (
          <button
            type="button"
            className="button button-secondary"
            onClick={() => frameRef.current?.contentWindow?.print()}
            data-testid="print-dialog"
          >
            {t('visit.finish.printDialog')}
          </button>
        )}
      </div>
      {pdfUrl && (
        <section className="print-preview" aria-label={t('visit.finish.preview')}>
          <h3>
            {t('visit.finish.preview')}（{t('visit.finish.pages', { pages })}）
          </h3>
          <iframe ref={frameRef} src={pdfUrl} title={t('visit.finish.preview')} data-testid="pdf-preview" />
        </section>
      )}
      {history.length > 0 && (
        <section aria-label={t('visit.finish.history')}>
          <h3>{t('visit.finish.history')}</h3>
          <ol className="history" data-testid="history">
            {history.map((h, i) => (
              <li key={i} data-testid="history-entry">
                <span className="muted">
                  {new Date(h.at).toLocaleString('ja-JP', { timeZone: 'Asia/Tokyo' })} {h.user}（{h.counter}）
                </span>
                <ul>
                  {h.lines.map((l, j) => (
                    <li key={j}>{l}</li>
                  ))}
                </ul>
              </li>
            ))}
          </ol>
        </section>
      )}
    </form>
  );
}

