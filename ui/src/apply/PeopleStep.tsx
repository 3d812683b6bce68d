import { t, type MessageKey } from '../i18n';
import { APPLY_RELATIONS, emptyPerson, peopleProblem, type ApplyPerson, type ApplyState } from './applyState';
import { DateField } from './DateField';

const MAX_PEOPLE = 10;

/** 2. Who: the applicant first, then everyone the event concerns or who lives with them. */
export function PeopleStep({
  state,
  today,
  onChange,
  onNext,
  onBack,
}: {
  state: ApplyState;
  today: string;
  onChange: (s: Partial<ApplyState>) => void;
  onNext: () => void;
  onBack: () => void;
}) {
  const problem = peopleProblem(state);
  const setPerson = (i: number, patch: Partial<ApplyPerson>) =>
    onChange({ people: state.people.map((p, j) => (j === i ? { ...p, ...patch } : p)) });
  return (
    <section aria-labelledby="apply-people" data-testid="apply-people-step">
      <h2 id="apply-people">{t('apply.people.heading')}</h2>
      <p>{t('apply.people.intro')}</p>
      {state.people.map((p, i) => (
        <fieldset key={i} className="apply-person" data-testid="apply-person">
          <legend>{i === 0 ? t('apply.people.applicant') : t('apply.people.person', { n: i + 1 })}</legend>
          <label className="apply-field">
            {t('apply.people.name')}
            <input value={p.name} autoComplete={i === 0 ? 'name' : 'off'} onChange={(e) => setPerson(i, { name: e.target.value })} data-testid="apply-name" />
          </label>
          <label className="apply-field">
            {t('apply.people.kana')}
            <input value={p.kana} onChange={(e) => setPerson(i, { kana: e.target.value })} data-testid="apply-kana" />
          </label>
          <label className="apply-field">
            {t('apply.people.romaji')}
            <input value={p.romaji} lang="en" onChange={(e) => setPerson(i, { romaji: e.target.value })} data-testid="apply-romaji" />
          </label>
          <DateField label={t('apply.people.birth')} value={p.birth} today={today} onChange={(birth) => setPerson(i, { birth })} testId={`apply-birth-${i}`} />
          <label className="apply-field">
            {t('apply.people.sex')}
            <select value={p.sex} onChange={(e) => setPerson(i, { sex: e.target.value })} data-testid="apply-sex">
              <option value="">{t('apply.people.sex.none')}</option>
              <option value="男">{t('apply.people.sex.男')}</option>
              <option value="女">{t('apply.people.sex.女')}</option>
            </select>
          </label>
          {i > 0 && (
            <label className="apply-field">
              {t('apply.people.relation')}
              <select value={p.relation} onChange={(e) => setPerson(i, { relation: e.target.value })} data-testid="apply-relation">
                <option value="">{t('apply.people.relation.choose')}</option>
                {APPLY_RELATIONS.filter((r) => r !== '本人').map((r) => (
                  <option key={r} value={r}>
                    {t(`apply.relation.${r}` as MessageKey)}
                  </option>
                ))}
              </select>
            </label>
          )}
          {state.event !== '証明書' && (
            <label className="apply-check">
              <input type="checkbox" checked={p.mover} onChange={(e) => setPerson(i, { mover: e.target.checked })} data-testid="apply-mover" />
              {t(`apply.people.subject.${state.event ?? '転入'}` as MessageKey)}
            </label>
          )}
          {i > 0 && (
            <button type="button" className="button-link" onClick={() => onChange({ people: state.people.filter((_, j) => j !== i) })} data-testid="apply-remove">
              {t('apply.people.remove')}
            </button>
          )}
        </fieldset>
      ))}
      {state.people.length < MAX_PEOPLE && (
        <button type="button" className="button" onClick={() => onChange({ people: [...state.people, emptyPerson(false)] })} data-testid="apply-add">
          {t('apply.people.add')}
        </button>
      )}
      {problem && <p className="apply-hint" role="status" data-testid="apply-people-problem">{t(`apply.people.problem.${problem}`)}</p>}
      <div className="apply-nav">
        <button type="button" className="button" onClick={onBack}>
          {t('apply.back')}
        </button>
        <button type="button" className="button button-primary" disabled={problem !== null} onClick={onNext} data-testid="apply-next">
          {t('apply.next')}
        </button>
      </div>
    </section>
  );
}
