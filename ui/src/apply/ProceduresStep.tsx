import { useEffect, useState } from 'react';
import type { Answer, GuideResponse } from '../api/types';
import { errorMessage } from '../backend/Backend';
import { GuideProcedures, GuideQuestions } from '../guide/GuideResult';
import { t } from '../i18n';
import type { ApplyBackend } from './api';
import { APPLY_CERTIFICATES, applyRequest, type ApplyState } from './applyState';
import { fetchKept, isUnreachable } from './offlineCache';

/**
 * 4. 手続きナビ's questions (the same components as the public guide) and the procedures the household
 * needs with what to bring and where to go; for 証明書, which certificates. Offline, the answer last
 * fetched for the same entries is shown, and said to be so.
 */
export function ProceduresStep({
  api,
  state,
  today,
  onChange,
  onNext,
  onBack,
}: {
  api: ApplyBackend;
  state: ApplyState;
  today: string;
  onChange: (s: Partial<ApplyState>) => void;
  onNext: () => void;
  onBack: () => void;
}) {
  const [answer, setAnswer] = useState<GuideResponse | null>(null);
  const [offline, setOffline] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const req = applyRequest(state, today);
  const key = req ? JSON.stringify(req) : '';

  useEffect(() => {
    if (!req) return;
    let current = true;
    setError(null);
    fetchKept(window.localStorage, state.tenant, `guide:${key}`, () => api.guide(state.tenant, req)).then(
      (r) => {
        if (!current) return;
        setAnswer(r.value);
        setOffline(r.offline);
      },
      (e: unknown) => {
        if (!current) return;
        setAnswer(null);
        setError(isUnreachable(e) ? t('apply.offline.procedures') : t('apply.procedures.error', { message: errorMessage(e) }));
      },
    );
    return () => {
      current = false;
    };
    // `key` is the request.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, key, state.tenant]);

  function onAnswer(id: string, value: Answer | null) {
    const answers = { ...state.answers };
    if (value === null) delete answers[id];
    else answers[id] = value;
    onChange({ answers });
  }

  function toggleCertificate(name: string, on: boolean) {
    onChange({ certificates: on ? [...state.certificates, name] : state.certificates.filter((c) => c !== name) });
  }

  return (
    <section aria-labelledby="apply-procedures" data-testid="apply-procedures-step">
      <h2 id="apply-procedures">{t('apply.procedures.heading')}</h2>
      {offline && <p className="apply-offline" role="status" data-testid="apply-offline-copy">{t('apply.offline.copy')}</p>}
      {error && <p className="error-banner" role="alert" data-testid="apply-procedures-error">{error}</p>}
      {req && answer && (
        <>
          <GuideQuestions questions={answer.next_questions} answeredQuestions={answer.answered} answers={state.answers} onAnswer={onAnswer} />
          <GuideProcedures procedures={answer.procedures} />
        </>
      )}
      <fieldset className="apply-certificates" data-testid="apply-certificates">
        <legend>{t('apply.certificates.heading')}</legend>
        {APPLY_CERTIFICATES.map((c) => (
          <label key={c} className="apply-check">
            <input type="checkbox" checked={state.certificates.includes(c)} onChange={(e) => toggleCertificate(c, e.target.checked)} />
            {t(`apply.certificate.${c}`)}
          </label>
        ))}
      </fieldset>
      <label className="apply-field">
        {t('apply.phone')}
        <input type="tel" value={state.phone} autoComplete="tel" onChange={(e) => onChange({ phone: e.target.value })} data-testid="apply-phone" />
      </label>
      <div className="apply-nav">
        <button type="button" className="button" onClick={onBack}>
          {t('apply.back')}
        </button>
        <button type="button" className="button button-primary" onClick={onNext} data-testid="apply-next">
          {t('apply.toQr')}
        </button>
      </div>
    </section>
  );
}
