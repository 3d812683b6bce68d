import { useEffect, useState } from 'react';
import type { Answer, GuideResponse } from '../api/types';
import { errorMessage, useBackend } from '../backend';
import { t, tx, useUiLanguage, type MessageKey } from '../i18n';
import { GuideLanguage } from './GuideLanguage';
import { todayJst } from '../staff/admin/audit/period';
import { GuideHousehold } from './GuideHousehold';
import { GuideProcedures, GuideQuestions } from './GuideResult';
import { fromHash, GUIDE_EVENTS, type GuideState, guideRequest, toQuery } from './guideState';
import './guide.css';

/**
 * The public 手続きガイド (`#/guide?tenant=<id>`, no login; the city links it from its website): a life
 * event, the household by age and 続柄, 手続きナビ's questions, and the procedures with what to bring
 * and where to go. Every change is kept in the URL, so the page can be shared or bookmarked with its
 * answers; nothing is stored on the server.
 */
export function GuidePage() {
  const backend = useBackend();
  const [state, setState] = useState<GuideState>(() => fromHash(window.location.hash));
  const [answer, setAnswer] = useState<GuideResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const query = toQuery(state);
  const url = `${window.location.origin}${window.location.pathname}#/guide?${query}`;
  // The page speaks `state.lang` once its dictionary is loaded (the previous language until then).
  const shown = useUiLanguage(state.lang);

  useEffect(() => {
    window.history.replaceState(null, '', `#/guide?${query}`);
    setCopied(false);
    const req = guideRequest(state, todayJst());
    if (!req) {
      setAnswer(null);
      return;
    }
    let current = true;
    backend.guide(state.tenant, req, state.lang).then(
      (r) => {
        if (!current) return;
        setAnswer(r);
        setError(null);
      },
      (e: unknown) => current && setError(errorMessage(e)),
    );
    return () => {
      current = false;
    };
    // `query` is the whole state.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [backend, query]);

  const update = (patch: Partial<GuideState>) => setState((s) => ({ ...s, ...patch }));
  function onAnswer(id: string, value: Answer | null) {
    setState((s) => {
      const answers = { ...s.answers };
      if (value === null) delete answers[id];
      else answers[id] = value;
      return { ...s, answers };
    });
  }

  return (
    <main className="page page-narrow guide" data-testid="guide-page" data-lang={shown}>
      <GuideLanguage value={state.lang} onChange={(lang) => update({ lang })} />
      <h1>
        {tx('guide.heading')}
        {answer?.city && (
          <span className="guide-city" lang="ja">
            {' '}
            {answer.city}
          </span>
        )}
      </h1>
      <p>{tx('guide.intro')}</p>
      <section aria-labelledby="guide-event">
        <h2 id="guide-event">{tx('guide.event')}</h2>
        <div className="guide-choices" role="radiogroup" aria-labelledby="guide-event">
          {GUIDE_EVENTS.map((e) => (
            <button
              key={e}
              type="button"
              role="radio"
              aria-checked={state.event === e}
              className={`button${state.event === e ? ' button-primary' : ''}`}
              onClick={() => update({ event: e, detail: e === '転入' || e === '転出' ? '国内' : '', answers: {} })}
              data-testid={`guide-event-${e}`}
            >
              {tx(`guide.event.${e}` as MessageKey)}
            </button>
          ))}
        </div>
        {(state.event === '転入' || state.event === '転出') && (
          <label>
            {t('guide.detail')}
            <select value={state.detail} onChange={(e) => update({ detail: e.target.value })} data-testid="guide-detail">
              <option value="国内">{t('guide.detail.国内')}</option>
              <option value="国外">{t('guide.detail.国外')}</option>
            </select>
          </label>
        )}
      </section>
      <GuideHousehold members={state.members} onChange={(members) => update({ members })} />
      {error && (
        <div className="error-banner" role="alert" data-testid="guide-error">
          {t('guide.error', { message: error })}
        </div>
      )}
      {!state.event && <p data-testid="guide-choose">{tx('guide.result.chooseEvent')}</p>}
      {state.event && answer && (
        <>
          <GuideQuestions questions={answer.next_questions} answeredQuestions={answer.answered} answers={state.answers} onAnswer={onAnswer} />
          <GuideProcedures procedures={answer.procedures} />
        </>
      )}
      <section aria-labelledby="guide-share" className="guide-share">
        <h2 id="guide-share">{tx('guide.share')}</h2>
        <p>{tx('guide.share.note')}</p>
        <input readOnly value={url} aria-labelledby="guide-share" data-testid="guide-url" onFocus={(e) => e.target.select()} />
        <button
          type="button"
          className="button"
          onClick={() => void navigator.clipboard?.writeText(url).then(() => setCopied(true))}
          data-testid="guide-copy"
        >
          {copied ? t('guide.share.copied') : t('guide.share.copy')}
        </button>
      </section>
    </main>
  );
}
