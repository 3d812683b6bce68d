import { useEffect, useState, type FormEvent } from 'react';
import type { IssuanceRules } from '../../api/types';
import { errorMessage, useBackend } from '../../backend';
import { t } from '../../i18n';

// 支援措置 at the issuance stations (on 発行端末の設定): refuse such requests at the station (the
// resident is sent to the counter), or take them for staff to print by hand once an authorised member
// states the reason. The station's screen and receipt look the same either way.

type Choice = IssuanceRules['support_measure_at_station'];
const CHOICES: Choice[] = ['refuse', 'staff_check'];

export function IssuanceRulesForm() {
  const backend = useBackend();
  const [rules, setRules] = useState<IssuanceRules | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState(false);

  useEffect(() => {
    backend
      .issuanceRules()
      .then(setRules)
      .catch((e: unknown) => setProblem(errorMessage(e)));
  }, [backend]);

  if (!rules) return problem ? <div className="error-banner" role="alert">{problem}</div> : null;

  async function save(e: FormEvent) {
    e.preventDefault();
    if (!rules) return;
    setProblem(null);
    setDone(false);
    try {
      setRules(await backend.saveIssuanceRules(rules));
      setDone(true);
    } catch (err) {
      setProblem(errorMessage(err));
    }
  }

  return (
    <form className="form" onSubmit={save} aria-labelledby="issuance-rules-title" data-testid="issuance-rules">
      <h2 id="issuance-rules-title">{t('issuanceRules.title')}</h2>
      <fieldset>
        <legend>{t('issuanceRules.supportMeasure')}</legend>
        {CHOICES.map((c) => (
          <label key={c}>
            <input
              type="radio"
              name="support-measure-at-station"
              checked={rules.support_measure_at_station === c}
              onChange={() => setRules({ support_measure_at_station: c })}
              data-testid={`issuance-rules-${c}`}
            />
            {t(`issuanceRules.${c}`)}
          </label>
        ))}
        <p className="muted">{t('issuanceRules.help')}</p>
      </fieldset>
      {problem && (
        <div className="error-banner" role="alert" data-testid="issuance-rules-problem">
          {problem}
        </div>
      )}
      {done && (
        <p className="notice" role="status" data-testid="issuance-rules-done">
          {t('issuanceRules.saved')}
        </p>
      )}
      <button type="submit" className="button button-primary" data-testid="issuance-rules-save">
        {t('issuanceRules.save')}
      </button>
    </form>
  );
}
