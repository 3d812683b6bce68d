import type { CatalogQuestion, DraftProblem } from '../../../api/types';
import { t } from '../../../i18n';
import { lines, problemsOf } from './draft';
import { FieldProblems } from './ProcedureForm';

interface Props {
  questions: CatalogQuestion[];
  standard: readonly CatalogQuestion[];
  problems: readonly DraftProblem[];
  onChange: (q: CatalogQuestion[]) => void;
}

/** The city's own questions, which its rules ask with `answer("id")`. */
export function QuestionsForm({ questions, standard, problems, onChange }: Props) {
  const set = (i: number, patch: Partial<CatalogQuestion>) =>
    onChange(questions.map((q, k) => (k === i ? { ...q, ...patch } : q)));
  return (
    <fieldset className="admin-panel" data-testid="questions-form">
      <legend>{t('nav.questions.title')}</legend>
      <p className="hint">{t('nav.questions.help', { ids: standard.map((q) => q.id).join('、') })}</p>
      {questions.map((q, i) => {
        const mine = problemsOf(problems, { question: i });
        return (
          <div key={i} className="admin-rule">
            <div className="field-row">
              <div className="field">
                <label htmlFor={`q-${i}-id`}>{t('nav.questions.id')}</label>
                <input id={`q-${i}-id`} className="mono" value={q.id} onChange={(e) => set(i, { id: e.target.value })} />
                <FieldProblems problems={problemsOf(mine, {}, 'id')} />
              </div>
              <div className="field">
                <label htmlFor={`q-${i}-kind`}>{t('nav.questions.kind')}</label>
                <select
                  id={`q-${i}-kind`}
                  value={q.kind}
                  onChange={(e) => set(i, { kind: e.target.value as CatalogQuestion['kind'] })}
                >
                  <option value="yes_no">{t('nav.questions.kind.yes_no')}</option>
                  <option value="choice">{t('nav.questions.kind.choice')}</option>
                </select>
              </div>
            </div>
            <div className="field">
              <label htmlFor={`q-${i}-text`}>{t('nav.questions.text')}</label>
              <input id={`q-${i}-text`} value={q.text} onChange={(e) => set(i, { text: e.target.value })} />
              <FieldProblems problems={problemsOf(mine, {}, 'text')} />
            </div>
            {q.kind === 'choice' && (
              <div className="field">
                <label htmlFor={`q-${i}-options`}>{t('nav.questions.options')}</label>
                <textarea
                  id={`q-${i}-options`}
                  rows={3}
                  defaultValue={(q.options ?? []).join('\n')}
                  onBlur={(e) => set(i, { options: lines(e.target.value) })}
                />
              </div>
            )}
            <FieldProblems problems={problemsOf(mine, {}, 'options')} />
            <button type="button" className="button" onClick={() => onChange(questions.filter((_, k) => k !== i))}>
              {t('nav.questions.remove')}
            </button>
          </div>
        );
      })}
      <button
        type="button"
        className="button"
        onClick={() => onChange([...questions, { id: '', text: '', kind: 'yes_no', options: [] }])}
      >
        {t('nav.questions.add')}
      </button>
    </fieldset>
  );
}
