import type { DraftProblem, LocalProcedure, LocalRule, PermissionView } from '../../../api/types';
import { t } from '../../../i18n';
import { lines, problemsOf } from './draft';

interface Props {
  index: number;
  procedure: LocalProcedure;
  problems: readonly DraftProblem[];
  forms: readonly string[];
  permissions: readonly PermissionView[];
  onChange: (p: LocalProcedure) => void;
}

/** One of the city's procedures as a form: texts, counter, forms, pamphlets, permission, period and rules. */
export function ProcedureForm({ index, procedure: p, problems, forms, permissions, onChange }: Props) {
  const mine = problemsOf(problems, { procedure: index });
  const set = (patch: Partial<LocalProcedure>) => onChange({ ...p, ...patch });
  const id = (f: string) => `proc-${index}-${f}`;
  const text = (field: 'code' | 'name' | 'department' | 'counter' | 'legal_basis', label: string) => (
    <div className="field">
      <label htmlFor={id(field)}>{label}</label>
      <input id={id(field)} value={p[field]} onChange={(e) => set({ [field]: e.target.value })} />
      <FieldProblems problems={problemsOf(mine, {}, field)} />
    </div>
  );
  const area = (field: 'explanation' | 'guidance', label: string) => (
    <div className="field">
      <label htmlFor={id(field)}>{label}</label>
      <textarea id={id(field)} rows={2} value={p[field]} onChange={(e) => set({ [field]: e.target.value })} />
    </div>
  );
  const list = (field: 'bring' | 'pamphlets', label: string) => (
    <div className="field">
      <label htmlFor={id(field)}>{label}</label>
      <textarea
        id={id(field)}
        rows={2}
        defaultValue={(p[field] ?? []).join('\n')}
        onBlur={(e) => set({ [field]: lines(e.target.value) })}
      />
    </div>
  );
  return (
    <fieldset className="admin-panel" data-testid="procedure-form">
      <legend>{t('nav.proc.title', { name: p.name || p.code })}</legend>
      {text('code', t('nav.proc.code'))}
      {text('name', t('nav.proc.name'))}
      {text('department', t('nav.proc.department'))}
      {text('counter', t('nav.proc.counter'))}
      <label className="check-inline">
        <input type="checkbox" checked={p.on_the_spot} onChange={(e) => set({ on_the_spot: e.target.checked })} />
        {t('nav.proc.onTheSpot')}
      </label>
      {area('explanation', t('nav.proc.explanation'))}
      {area('guidance', t('nav.proc.guidance'))}
      {text('legal_basis', t('nav.proc.legalBasis'))}
      {list('bring', t('nav.proc.bring'))}
      {list('pamphlets', t('nav.proc.pamphlets'))}
      <fieldset>
        <legend>{t('nav.proc.forms')}</legend>
        {forms.map((f) => (
          <label key={f} className="check-inline">
            <input
              type="checkbox"
              checked={(p.forms ?? []).includes(f)}
              onChange={(e) =>
                set({ forms: e.target.checked ? [...(p.forms ?? []), f] : (p.forms ?? []).filter((x) => x !== f) })
              }
            />
            {f}
          </label>
        ))}
        <FieldProblems problems={problemsOf(mine, {}, 'forms')} />
      </fieldset>
      <div className="field">
        <label htmlFor={id('permission')}>{t('nav.proc.permission')}</label>
        <select id={id('permission')} value={p.permission} onChange={(e) => set({ permission: e.target.value })}>
          {permissions.map((x) => (
            <option key={x.code} value={x.code}>
              {x.label}
            </option>
          ))}
        </select>
        <FieldProblems problems={problemsOf(mine, {}, 'permission')} />
      </div>
      <div className="field-row">
        <div className="field">
          <label htmlFor={id('from')}>{t('nav.proc.validFrom')}</label>
          <input id={id('from')} type="date" value={p.valid_from} onChange={(e) => set({ valid_from: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor={id('until')}>{t('nav.proc.validUntil')}</label>
          <input
            id={id('until')}
            type="date"
            value={p.valid_until ?? ''}
            onChange={(e) => set({ valid_until: e.target.value || null })}
          />
          <FieldProblems problems={problemsOf(mine, {}, 'valid_until')} />
        </div>
      </div>
      <RulesFields index={index} rules={p.rules} problems={mine} onChange={(rules) => set({ rules })} />
    </fieldset>
  );
}

function RulesFields({
  index,
  rules,
  problems,
  onChange,
}: {
  index: number;
  rules: LocalRule[];
  problems: readonly DraftProblem[];
  onChange: (r: LocalRule[]) => void;
}) {
  const setRule = (r: number, patch: Partial<LocalRule>) =>
    onChange(rules.map((x, i) => (i === r ? { ...x, ...patch } : x)));
  return (
    <fieldset>
      <legend>{t('nav.rules.title')}</legend>
      <p className="hint">{t('nav.rules.help')}</p>
      <FieldProblems problems={problemsOf(problems, {}, 'rules')} />
      {rules.map((rule, r) => {
        const n = r + 1;
        const whenProblems = problemsOf(problems, {}, 'when', r);
        return (
          <div key={r} className="admin-rule" data-testid="rule">
            <div className="field">
              <label htmlFor={`rule-${index}-${r}-when`}>{t('nav.rules.when', { n })}</label>
              <input
                id={`rule-${index}-${r}-when`}
                className="mono"
                spellCheck={false}
                aria-invalid={whenProblems.length > 0}
                value={rule.when}
                onChange={(e) => setRule(r, { when: e.target.value })}
              />
              {whenProblems.map((p, k) => (
                <RuleError key={k} text={rule.when} problem={p} />
              ))}
            </div>
            <div className="field">
              <label htmlFor={`rule-${index}-${r}-reason`}>{t('nav.rules.reason', { n })}</label>
              <input id={`rule-${index}-${r}-reason`} value={rule.reason} onChange={(e) => setRule(r, { reason: e.target.value })} />
              <FieldProblems problems={problemsOf(problems, {}, 'reason', r)} />
            </div>
            <button type="button" className="button" onClick={() => onChange(rules.filter((_, i) => i !== r))}>
              {t('nav.rules.remove', { n })}
            </button>
          </div>
        );
      })}
      <button type="button" className="button" onClick={() => onChange([...rules, { when: '', reason: '' }])}>
        {t('nav.rules.add')}
      </button>
    </fieldset>
  );
}

/** A rule's error: where (the character marked in the condition) and why. */
function RuleError({ text, problem }: { text: string; problem: DraftProblem }) {
  const chars = [...text];
  const at = Math.min(problem.offset ?? chars.length, chars.length);
  return (
    <div className="error-text" role="alert" data-testid="rule-error">
      <code className="rule-source">
        {chars.slice(0, at).join('')}
        <mark>{chars[at] ?? '␣'}</mark>
        {chars.slice(at + 1).join('')}
      </code>
      <span>{t('nav.rules.errorAt', { column: at + 1, message: problem.message })}</span>
    </div>
  );
}

export function FieldProblems({ problems }: { problems: readonly DraftProblem[] }) {
  if (problems.length === 0) return null;
  return (
    <>
      {problems.map((p, i) => (
        <p key={i} className="error-text" role="alert">
          {p.message}
        </p>
      ))}
    </>
  );
}
