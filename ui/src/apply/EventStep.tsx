import { t, type MessageKey } from '../i18n';
import { APPLY_EVENTS, type ApplyEvent, type ApplyState } from './applyState';

/** 1. Which life event: 転入 … 証明書, with 国内/国外 for moves across the border. */
export function EventStep({ state, onChange, onNext }: { state: ApplyState; onChange: (s: Partial<ApplyState>) => void; onNext: () => void }) {
  function choose(event: ApplyEvent) {
    onChange(
      event === state.event
        ? {}
        : { event, detail: event === '転入' || event === '転出' ? '国内' : '', answers: {}, certificates: event === '証明書' ? state.certificates : [] },
    );
  }
  return (
    <section aria-labelledby="apply-event" data-testid="apply-event-step">
      <h2 id="apply-event">{t('apply.event.heading')}</h2>
      <div className="apply-choices" role="radiogroup" aria-labelledby="apply-event">
        {APPLY_EVENTS.map((e) => (
          <button
            key={e}
            type="button"
            role="radio"
            aria-checked={state.event === e}
            className={`button${state.event === e ? ' button-primary' : ''}`}
            onClick={() => choose(e)}
            data-testid={`apply-event-${e}`}
          >
            {t(`apply.event.${e}` as MessageKey)}
          </button>
        ))}
      </div>
      {(state.event === '転入' || state.event === '転出') && (
        <label className="apply-field">
          {t('apply.event.detail')}
          <select value={state.detail} onChange={(e) => onChange({ detail: e.target.value })} data-testid="apply-detail">
            <option value="国内">{t('apply.event.detail.国内')}</option>
            <option value="国外">{t('apply.event.detail.国外')}</option>
          </select>
        </label>
      )}
      <div className="apply-nav">
        <button type="button" className="button button-primary" disabled={!state.event} onClick={onNext} data-testid="apply-next">
          {t('apply.next')}
        </button>
      </div>
    </section>
  );
}
