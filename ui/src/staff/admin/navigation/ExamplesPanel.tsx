import type { CatalogQuestion, DraftProblem, ExampleOutcome, LocalExample } from '../../../api/types';
import { t } from '../../../i18n';
import { blankExample, codes, problemsOf } from './draft';
import { HouseholdFields } from './HouseholdFields';
import { FieldProblems } from './ProcedureForm';

interface Props {
  examples: LocalExample[];
  outcomes: readonly ExampleOutcome[];
  problems: readonly DraftProblem[];
  questions: readonly CatalogQuestion[];
  today: string;
  onChange: (e: LocalExample[]) => void;
}

/** The draft's examples, each with what it found the last time the draft was checked. */
export function ExamplesPanel({ examples, outcomes, problems, questions, today, onChange }: Props) {
  const set = (i: number, patch: Partial<LocalExample>) =>
    onChange(examples.map((x, k) => (k === i ? { ...x, ...patch } : x)));
  return (
    <fieldset className="admin-panel" data-testid="examples">
      <legend>{t('nav.examples.title')}</legend>
      {examples.map((ex, i) => {
        const outcome = outcomes[i];
        return (
          <div key={i} className="admin-rule" data-testid="example">
            <div className="field">
              <label htmlFor={`ex-${i}-name`}>{t('nav.examples.name')}</label>
              <input id={`ex-${i}-name`} value={ex.name} onChange={(e) => set(i, { name: e.target.value })} />
            </div>
            <HouseholdFields
              idPrefix={`ex-${i}`}
              questions={questions}
              value={{ event: ex.event, detail: ex.detail ?? '', date: ex.date, after: ex.after ?? [], answers: ex.answers ?? {} }}
              onChange={(h) => set(i, h)}
            />
            <FieldProblems problems={problemsOf(problems, { example: i })} />
            <div className="field">
              <label htmlFor={`ex-${i}-expect`}>{t('nav.examples.expect')}</label>
              <input
                id={`ex-${i}-expect`}
                className="mono"
                defaultValue={(ex.expect ?? []).join(', ')}
                onBlur={(e) => set(i, { expect: codes(e.target.value) })}
              />
            </div>
            <div className="field">
              <label htmlFor={`ex-${i}-expect-not`}>{t('nav.examples.expectNot')}</label>
              <input
                id={`ex-${i}-expect-not`}
                className="mono"
                defaultValue={(ex.expect_not ?? []).join(', ')}
                onBlur={(e) => set(i, { expect_not: codes(e.target.value) })}
              />
            </div>
            <Outcome outcome={outcome} />
            <button type="button" className="button" onClick={() => onChange(examples.filter((_, k) => k !== i))}>
              {t('nav.examples.remove')}
            </button>
          </div>
        );
      })}
      <button type="button" className="button" onClick={() => onChange([...examples, blankExample(today)])}>
        {t('nav.examples.add')}
      </button>
    </fieldset>
  );
}

function Outcome({ outcome }: { outcome: ExampleOutcome | undefined }) {
  if (!outcome) return <p className="hint">{t('nav.examples.notRun')}</p>;
  return (
    <div role="status" data-testid="example-outcome" data-passed={outcome.passed}>
      <strong className={outcome.passed ? 'success' : 'error-text'}>
        {outcome.passed ? `✓ ${t('nav.examples.passed')}` : `✗ ${t('nav.examples.failed')}`}
      </strong>
      {outcome.missing.length > 0 && <p className="error-text">{t('nav.examples.missing', { codes: outcome.missing.join('、') })}</p>}
      {outcome.unexpected.length > 0 && (
        <p className="error-text">{t('nav.examples.unexpected', { codes: outcome.unexpected.join('、') })}</p>
      )}
      <p className="hint">{t('nav.examples.found', { codes: outcome.found.join('、') || '—' })}</p>
    </div>
  );
}
