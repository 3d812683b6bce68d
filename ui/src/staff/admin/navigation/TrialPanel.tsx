import { useState } from 'react';
import type { CatalogQuestion, EvaluateResponse, LocalCatalog, TrialResponse } from '../../../api/types';
import { errorMessage, useBackend } from '../../../backend';
import { t } from '../../../i18n';
import { type Household, HouseholdFields } from './HouseholdFields';
import { blankMember } from './draft';

interface Props {
  draft: LocalCatalog;
  questions: readonly CatalogQuestion[];
  today: string;
}

/** A test household evaluated with the draft and with the current catalogue, side by side. */
export function TrialPanel({ draft, questions, today }: Props) {
  const backend = useBackend();
  const [household, setHousehold] = useState<Household>({
    event: '転入',
    detail: '国内',
    date: today,
    after: [blankMember()],
    answers: {},
  });
  const [result, setResult] = useState<TrialResponse | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  async function run() {
    setProblem(null);
    try {
      setResult(
        await backend.tryNavigationDraft({
          draft,
          household: {
            event: household.event,
            detail: household.detail,
            event_date: household.date,
            household_after: household.after,
            answers: household.answers,
          },
        }),
      );
    } catch (e) {
      setProblem(errorMessage(e));
    }
  }

  const codes = (r: EvaluateResponse) => r.procedures.map((p) => p.code);
  return (
    <section className="admin-panel" aria-labelledby="nav-trial-title" data-testid="nav-trial">
      <h2 id="nav-trial-title">{t('nav.trial.title')}</h2>
      <HouseholdFields idPrefix="trial" value={household} questions={questions} onChange={setHousehold} />
      <button type="button" className="button button-primary" onClick={run} data-testid="trial-run">
        {t('nav.trial.run')}
      </button>
      {problem && (
        <div className="error-banner" role="alert">
          {problem}
        </div>
      )}
      {result && (
        <div className="trial-columns">
          <Column testId="trial-draft" title={t('nav.trial.draft')} result={result.draft} other={codes(result.current)} mark={t('nav.trial.onlyDraft')} />
          <Column testId="trial-current" title={t('nav.trial.current')} result={result.current} other={codes(result.draft)} mark={t('nav.trial.onlyCurrent')} />
        </div>
      )}
    </section>
  );
}

function Column(props: { testId: string; title: string; result: EvaluateResponse; other: string[]; mark: string }) {
  return (
    <div data-testid={props.testId}>
      <h3>{props.title}</h3>
      {props.result.procedures.length === 0 ? (
        <p className="hint">{t('nav.trial.none')}</p>
      ) : (
        <ul>
          {props.result.procedures.map((p) => (
            <li key={p.code} data-code={p.code}>
              {p.name}（{p.counter}）
              {!props.other.includes(p.code) && <strong className="notice-strong"> {props.mark}</strong>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
