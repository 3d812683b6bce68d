import { useCallback, useEffect, useState } from 'react';
import { todayIso } from '../case/today';
import { t } from '../i18n';
import type { ApplyBackend } from './api';
import { AddressStep } from './AddressStep';
import { asksAddress, clearState, emptyState, loadState, saveState, type ApplyState } from './applyState';
import { EventStep } from './EventStep';
import { LanguageMenu } from './LanguageMenu';
import { clearKept } from './offlineCache';
import { PeopleStep } from './PeopleStep';
import { ProceduresStep } from './ProceduresStep';
import { QrStep } from './QrStep';
import { useOnline } from './useOnline';
import './apply.css';

type Step = 'start' | 'event' | 'people' | 'address' | 'procedures' | 'qr';
const STEPS: readonly Step[] = ['event', 'people', 'address', 'procedures', 'qr'];

/**
 * The resident's phone app (`/apply/?tenant=<id>`): 事前申請 at any hour, no account, no install,
 * working offline once opened. The entries stay on the phone until the resident shows the QR code
 * at the counter or chooses to send them.
 */
export function ApplyApp({ api, tenant, storage = window.localStorage }: { api: ApplyBackend; tenant: string; storage?: Storage }) {
  const today = todayIso();
  const [state, setState] = useState<ApplyState>(() => loadState(storage, tenant, today));
  const [step, setStep] = useState<Step>('start');
  const [language, setLanguage] = useState<string>('ja');
  const online = useOnline();

  useEffect(() => saveState(storage, state), [storage, state]);
  useEffect(() => {
    document.title = t('apply.title');
    document.querySelector('.apply-main')?.scrollIntoView?.();
  }, [step, language]);

  const change = useCallback((patch: Partial<ApplyState>) => setState((s) => ({ ...s, ...patch })), []);
  const steps = STEPS.filter((s) => s !== 'address' || asksAddress(state.event));
  const go = (delta: number) => setStep((current) => steps[steps.indexOf(current) + delta] ?? current);

  function clear() {
    if (!window.confirm(t('apply.clear.confirm'))) return;
    clearState(storage, tenant);
    clearKept(storage, tenant);
    setState(emptyState(tenant, today));
    setStep('start');
  }

  const props = { state, today, onChange: change, onNext: () => go(1), onBack: () => go(-1) };
  return (
    <div className="apply" data-testid="apply-app">
      <header className="apply-header">
        <h1>{t('apply.title')}</h1>
        <LanguageMenu language={language} onLanguage={setLanguage} />
      </header>
      {!online && (
        <p className="apply-offline" role="status" data-testid="apply-offline">
          {t('apply.offline.banner')}
        </p>
      )}
      {step !== 'start' && (
        <p className="apply-progress" data-testid="apply-progress">
          {t('apply.progress', { n: steps.indexOf(step) + 1, of: steps.length })}
        </p>
      )}
      <main className="apply-main">
        {step === 'start' && <Start resumable={state.event !== null} onStart={() => setStep('event')} onClear={clear} />}
        {step === 'event' && <EventStep state={state} onChange={change} onNext={() => go(1)} />}
        {step === 'people' && <PeopleStep {...props} />}
        {step === 'address' && <AddressStep api={api} {...props} />}
        {step === 'procedures' && <ProceduresStep api={api} {...props} />}
        {step === 'qr' && <QrStep api={api} state={state} language={language} onChange={change} onBack={() => go(-1)} onClear={clear} />}
      </main>
    </div>
  );
}

function Start({ resumable, onStart, onClear }: { resumable: boolean; onStart: () => void; onClear: () => void }) {
  return (
    <section aria-labelledby="apply-start" data-testid="apply-start">
      <h2 id="apply-start">{t('apply.start.heading')}</h2>
      <p>{t('apply.start.intro')}</p>
      <ul>
        <li>{t('apply.start.point1')}</li>
        <li>{t('apply.start.point2')}</li>
        <li>{t('apply.start.point3')}</li>
      </ul>
      <div className="apply-nav">
        <button type="button" className="button button-primary" onClick={onStart} data-testid="apply-start-button">
          {resumable ? t('apply.start.resume') : t('apply.start.begin')}
        </button>
        {resumable && (
          <button type="button" className="button" onClick={onClear} data-testid="apply-clear">
            {t('apply.clear')}
          </button>
        )}
      </div>
    </section>
  );
}
