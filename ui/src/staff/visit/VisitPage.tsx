import { useCallback, useEffect, useMemo, useState } from 'react';
import type { CaseView, HouseholdView, IncomingMoveView, ResidentView } from '../../api/types';
import { errorMessage, useBackend, type CardPerson } from '../../backend';
import { t } from '../../i18n';
import { newId } from '../../case/ids';
import { todayIso } from '../../case/today';
import { loadVisit, storeVisit } from './draftStore';
import {
  cardFace,
  caseHeading,
  draftFromCase,
  emptyDraft,
  mayDiscloseAddresses,
  notificationFromIncoming,
  type Draft,
} from './model';
import { CertificatesStep } from './CertificatesStep';
import { FinishStep } from './FinishStep';
import { IdentityStep } from './IdentityStep';
import { MaskedCaseBanner } from './MaskedCaseBanner';
import { NotificationStep } from './NotificationStep';
import { ProceduresStep } from './ProceduresStep';
import { SearchStep, type SearchMode } from './SearchStep';

export const STEPS = ['search', 'identity', 'notification', 'procedures', 'certificates', 'finish'] as const;
type Step = (typeof STEPS)[number];

/**
 * One counter visit (案件), keyboard first: 宛名検索 → 本人確認 → 届出 → 手続 → 証明書 → 保存・印刷.
 * Enter advances in every step; the draft is kept in the tab until the case is saved, so a lost
 * connection or a refused request never loses what was typed.
 *
 * A case naming a person under 支援措置 comes with its addresses masked (`address_masked`): a banner
 * says so, and `permissions` (the session's, at this counter) decide whether 「住所を表示」 is offered.
 */
export function VisitPage({ resumeId, permissions = [] }: { resumeId?: string; permissions?: readonly string[] }) {
  const backend = useBackend();
  const stored = useMemo(() => loadVisit(), []);
  const [draft, setDraftState] = useState<Draft>(() => stored?.draft ?? emptyDraft(newId('case')));
  const [step, setStepState] = useState<number>(stored?.step ?? 0);
  const [mode, setMode] = useState<SearchMode>('new');
  const [selected, setSelected] = useState<ResidentView | null>(null);
  const [household, setHousehold] = useState<HouseholdView | null>(null);
  /** The visitor was identified by reading their マイナンバーカード (desktop app): 本人確認 shows it. */
  const [cardChecked, setCardChecked] = useState(false);
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
        setDraftState(draftFromCase(c));
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
    setCardChecked(false);
    setMode('new');
    goTo(0);
  }

  /**
   * A resident chosen in the search: a new case with them as the visitor (本人), or — when adding a
   * household — the notification step opens for their household. Which 届出 (if any) is chosen there.
   * `card`: found with the マイナンバーカード just read, which is then the visitor's 本人確認書類.
   */
  async function chooseResident(r: ResidentView, card?: CardPerson) {
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
          card: cardFace(card),
        },
      },
    });
    setCardChecked(card !== undefined);
    setHistory([]);
    goTo(1);
  }

  /** 転出証明書情報 chosen: a 転入 of the whole family, nothing typed (`card`: as for `chooseResident`). */
  function chooseIncoming(m: IncomingMoveView, card?: CardPerson) {
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
          // Read from a card: its holder, as the 転出証明書情報 writes them.
          name: (card && m.members.find((member) => member.facts.birth === card.birth)?.name) || m.head_name,
          relation: '',
          proxy_letter: false,
          id_document: 'マイナンバーカード',
          card: cardFace(card),
        },
        notifications: [notification],
      },
    });
    setCardChecked(card !== undefined);
    setHistory([]);
    goTo(1);
  }

  const current: Step = STEPS[step] ?? 'search';
  const heading = caseHeading(draft.document);
  const mayDisclose = mayDiscloseAddresses(permissions);

  /** The disclosed case replaces the draft, unless another case was started meanwhile. */
  const onDisclosed = useCallback((disclosed: Draft) => {
    setDraftState((d) => (d.caseId === disclosed.caseId ? disclosed : d));
  }, []);

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
      <MaskedCaseBanner draft={draft} mayDisclose={mayDisclose} onDisclosed={onDisclosed} />
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
      {current === 'identity' && (
        <IdentityStep draft={draft} setDraft={setDraft} cardChecked={cardChecked} onNext={() => goTo(2)} />
      )}
      {current === 'notification' && (
        <NotificationStep
          draft={draft}
          setDraft={setDraft}
          selected={selected}
          household={household}
          mayDisclose={mayDisclose}
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
        <FinishStep
          draft={draft}
          setDraftState={setDraftState}
          history={history}
          setHistory={setHistory}
          permissions={permissions}
        />
      )}
    </section>
  );
}
