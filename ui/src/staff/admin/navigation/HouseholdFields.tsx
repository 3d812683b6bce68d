import { useState } from 'react';
import type { CatalogQuestion, MemberInput } from '../../../api/types';
import { t } from '../../../i18n';
import { type Answers, EVENTS, blankMember, formatAnswers, parseAnswers } from './draft';

export interface Household {
  event: string;
  detail: string;
  date: string;
  after: MemberInput[];
  answers: Answers;
}

interface Props {
  idPrefix: string;
  value: Household;
  questions: readonly CatalogQuestion[];
  onChange: (h: Household) => void;
}

/** A household for an example or a trial: the event, its date, the members after it and the answers. */
export function HouseholdFields({ idPrefix, value, questions, onChange }: Props) {
  const [answers, setAnswers] = useState(formatAnswers(value.answers));
  const set = (patch: Partial<Household>) => onChange({ ...value, ...patch });
  const setMember = (i: number, patch: Partial<MemberInput>) =>
    set({ after: value.after.map((m, k) => (k === i ? { ...m, ...patch } : m)) });
  const id = (f: string) => `${idPrefix}-${f}`;
  return (
    <div>
      <div className="field-row">
        <div className="field">
          <label htmlFor={id('event')}>{t('nav.household.event')}</label>
          <select id={id('event')} value={value.event} onChange={(e) => set({ event: e.target.value })}>
            {EVENTS.map((e) => (
              <option key={e}>{e}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={id('detail')}>{t('nav.household.detail')}</label>
          <input id={id('detail')} value={value.detail} onChange={(e) => set({ detail: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor={id('date')}>{t('nav.household.date')}</label>
          <input id={id('date')} type="date" value={value.date} onChange={(e) => set({ date: e.target.value })} />
        </div>
      </div>
      <table className="table">
        <caption>{t('nav.household.members')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('nav.household.birth')}</th>
            <th scope="col">{t('nav.household.relation')}</th>
            <th scope="col">{t('nav.household.mover')}</th>
            <th scope="col">{t('nav.household.kokuho')}</th>
            <th scope="col">{t('nav.household.foreign')}</th>
            <th scope="col" />
          </tr>
        </thead>
        <tbody>
          {value.after.map((m, i) => (
            <tr key={i}>
              <td>
                <input
                  type="date"
                  aria-label={`${t('nav.household.birth')} ${i + 1}`}
                  value={m.birth}
                  onChange={(e) => setMember(i, { birth: e.target.value })}
                />
              </td>
              <td>
                <input
                  aria-label={`${t('nav.household.relation')} ${i + 1}`}
                  value={m.relation ?? ''}
                  onChange={(e) => setMember(i, { relation: e.target.value })}
                />
              </td>
              {(['mover', 'kokuho', 'foreign'] as const).map((f) => (
                <td key={f}>
                  <input
                    type="checkbox"
                    aria-label={`${t(`nav.household.${f}`)} ${i + 1}`}
                    checked={m[f] ?? false}
                    onChange={(e) => setMember(i, { [f]: e.target.checked })}
                  />
                </td>
              ))}
              <td>
                <button type="button" className="button" onClick={() => set({ after: value.after.filter((_, k) => k !== i) })}>
                  {t('nav.household.removeMember')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" className="button" onClick={() => set({ after: [...value.after, blankMember(false)] })}>
        {t('nav.household.addMember')}
      </button>
      <div className="field">
        <label htmlFor={id('answers')}>{t('nav.household.answers')}</label>
        <textarea
          id={id('answers')}
          className="mono"
          rows={2}
          value={answers}
          onChange={(e) => {
            setAnswers(e.target.value);
            set({ answers: parseAnswers(e.target.value, questions) });
          }}
        />
      </div>
    </div>
  );
}
