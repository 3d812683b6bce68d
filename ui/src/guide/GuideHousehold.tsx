import { t } from '../i18n';
import { type GuideMember, RELATIONS } from './guideState';

// 2. 世帯の人: each person by age and 続柄, whether the event is about them, and 国保. No names.

export function GuideHousehold({ members, onChange }: { members: GuideMember[]; onChange: (m: GuideMember[]) => void }) {
  const set = (i: number, patch: Partial<GuideMember>) => onChange(members.map((m, j) => (j === i ? { ...m, ...patch } : m)));
  return (
    <section aria-labelledby="guide-household" data-testid="guide-household">
      <h2 id="guide-household">{t('guide.household')}</h2>
      <p>{t('guide.household.intro')}</p>
      {members.map((m, i) => (
        <fieldset key={i} className="guide-member" data-testid="guide-member">
          <legend>{t('guide.household.person', { n: i + 1 })}</legend>
          <label>
            {t('guide.household.age')}
            <input
              type="number"
              min={0}
              max={120}
              inputMode="numeric"
              value={m.age}
              onChange={(e) => set(i, { age: Math.min(120, Math.max(0, Math.trunc(Number(e.target.value)) || 0)) })}
              data-testid="guide-age"
            />
          </label>
          <label>
            {t('guide.household.relation')}
            <select value={m.relation} onChange={(e) => set(i, { relation: e.target.value })} data-testid="guide-relation">
              {RELATIONS.map((r) => (
                <option key={r} value={r}>
                  {t(`guide.relation.${r}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            <input type="checkbox" checked={m.subject} onChange={(e) => set(i, { subject: e.target.checked })} data-testid="guide-subject" />
            {t('guide.household.subject')}
          </label>
          <label>
            <input type="checkbox" checked={m.kokuho} onChange={(e) => set(i, { kokuho: e.target.checked })} data-testid="guide-kokuho" />
            {t('guide.household.kokuho')}
          </label>
          <button type="button" className="button" onClick={() => onChange(members.filter((_, j) => j !== i))} data-testid="guide-remove">
            {t('guide.household.remove')}
          </button>
        </fieldset>
      ))}
      {members.length < 20 && (
        <button
          type="button"
          className="button"
          onClick={() => onChange([...members, { age: 30, relation: members.length === 0 ? '世帯主' : '子', subject: true, kokuho: false }])}
          data-testid="guide-add"
        >
          {t('guide.household.add')}
        </button>
      )}
    </section>
  );
}
