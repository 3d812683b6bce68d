import { useCallback, useEffect, useMemo, useState } from 'react';
import { useBackend, type CardPerson, type KioskReceipt, type TerminalApi, type TerminalInfo } from '../backend';
import { isLocale, setLocale, t, type Locale } from '../i18n';
import { AddressStep } from './AddressStep';
import { AdminCorner } from './AdminCorner';
import { ConfirmStep } from './ConfirmStep';
import { DoneStep } from './DoneStep';
import { EventStep } from './EventStep';
import { HouseholdStep } from './HouseholdStep';
import { IdentityStep } from './IdentityStep';
import { IdleGuard } from './IdleGuard';
import { lockDown } from './lockdown';
import { OfflineBanner, useServerOnline } from './OfflineBanner';
import { CARD_DOCUMENT, applicantFromCard, emptyKioskData, type KioskData, type KioskPerson, type LifeEvent } from './model';
import { QuestionsStep } from './QuestionsStep';
import { SignatureStep } from './SignatureStep';
import { StartStep } from './StartStep';
import './kiosk.css';

type Step = 'start' | 'event' | 'questions' | 'identity' | 'household' | 'address' | 'signature' | 'confirm' | 'done';

/**
 * The resident kiosk (`#/kiosk`): touch only, large, in the resident's language. It runs only on a
 * kiosk terminal (the desktop app with role `kiosk`); anywhere else it says so. What the resident
 * enters lives in this component's state only — never in storage — and is erased when the
 * application is handed over, on 最初に戻る, and after `idle_reset_seconds` without a touch.
 */
export function KioskApp({ info }: { info: TerminalInfo | null }) {
  const terminal = useBackend().terminal;
  if (!terminal || !info || info.role !== 'kiosk') {
    return (
      <main className="page page-narrow" data-testid="kiosk-unavailable">
        <h1>{t('kiosk.unavailable.title')}</h1>
        <p>{t('kiosk.unavailable.detail')}</p>
      </main>
    );
  }
  return <Kiosk terminal={terminal} info={info} />;
}

function Kiosk({ terminal, info }: { terminal: TerminalApi; info: TerminalInfo }) {
  const languages = useMemo<Locale[]>(() => {
    const known = info.languages.filter(isLocale);
    return known.length > 0 ? known : ['ja'];
  }, [info.languages]);
  const defaultLanguage = languages[0] ?? 'ja';

  const [language, setLanguage] = useState<Locale>(defaultLanguage);
  const [step, setStep] = useState<Step>('start');
  const [data, setDataState] = useState<KioskData>(emptyKioskData);
  const [receipt, setReceipt] = useState<KioskReceipt | null>(null);
  const [round, setRound] = useState(0);
  const [confirmRestart, setConfirmRestart] = useState(false);
  // Kept outside the screens (`key={round}` below): a reset does not lose what the runtime said.
  const online = useServerOnline(terminal);
  // The browser's own functions (reload, print, devtools, back …) do nothing while the kiosk runs.
  useEffect(() => lockDown(window), []);

  // `t()` reads the current language: set it before anything below renders.
  // (Steps re-rendering on their own read it too, so it is also set after every change.)
  setLocale(language);
  useEffect(() => {
    setLocale(language);
    document.documentElement.lang = language;
  }, [language]);
  useEffect(
    () => () => {
      setLocale('ja'); // the staff screens are Japanese
      document.documentElement.lang = 'ja';
    },
    [],
  );

  // A kiosk offers no browser context menu (long presses on a touch screen open it).
  useEffect(() => {
    const prevent = (e: Event) => e.preventDefault();
    document.addEventListener('contextmenu', prevent);
    return () => document.removeEventListener('contextmenu', prevent);
  }, []);

  const setData = useCallback((update: (d: KioskData) => KioskData) => setDataState((d) => update(d)), []);

  /** Everything the resident entered is dropped, and every screen starts anew. */
  const reset = useCallback(() => {
    setDataState(emptyKioskData());
    setReceipt(null);
    setConfirmRestart(false);
    setStep('start');
    setLanguage(defaultLanguage);
    setRound((r) => r + 1);
  }, [defaultLanguage]);

  const afterHousehold: Step = data.event === '出生' ? 'signature' : 'address';

  function chooseEvent(event: LifeEvent) {
    setData((d) =>
      d.event === event ? d : { ...d, event, answers: {}, procedures: [], navigationUnavailable: false, town: null, banchi: '', destination: '' },
    );
    setStep('questions');
  }

  function identifiedByCard(person: CardPerson) {
    setData((d) => ({
      ...d,
      idMethod: 'card',
      idDocument: CARD_DOCUMENT,
      applicant: applicantFromCard(person),
      currentAddress: person.address,
    }));
    setStep('household');
  }

  function identifiedByDocument(document: string, applicant: KioskPerson) {
    setData((d) => ({ ...d, idMethod: 'document', idDocument: document, applicant, currentAddress: '' }));
    setStep('household');
  }

  function submitted(r: KioskReceipt) {
    setDataState(emptyKioskData()); // handed over: nothing personal stays on the screen
    setReceipt(r);
    setStep('done');
  }

  return (
    <div className="kiosk" lang={language} key={round} data-testid="kiosk" onContextMenu={(e) => e.preventDefault()}>
      <header className="kiosk-bar">
        <AdminCorner terminal={terminal} />
        <span className="kiosk-title">{t('kiosk.title')}</span>
        <div className="kiosk-bar-actions">
          {languages.length > 1 && (
            <div className="kiosk-languages" role="group" aria-label={t('kiosk.language')}>
              {languages.map((l) => (
                <button
                  key={l}
                  type="button"
                  className="kiosk-lang"
                  lang={l}
                  aria-pressed={language === l}
                  onClick={() => setLanguage(l)}
                  data-testid={`lang-${l}`}
                >
                  {t(`kiosk.lang.${l}`)}
                </button>
              ))}
            </div>
          )}
          {step !== 'start' && step !== 'done' && (
            <button
              type="button"
              className="kiosk-lang kiosk-restart"
              onClick={() => setConfirmRestart(true)}
              data-testid="kiosk-restart"
            >
              {t('kiosk.restart')}
            </button>
          )}
        </div>
      </header>
      {!online && <OfflineBanner />}
      <main className="kiosk-main">{renderStep()}</main>
      {confirmRestart && (
        <div className="kiosk-overlay" role="alertdialog" aria-labelledby="restart-title" data-testid="restart-confirm">
          <div className="kiosk-dialog">
            <h2 id="restart-title" className="kiosk-heading">
              {t('kiosk.restart.confirm')}
            </h2>
            <div className="kiosk-answers">
              <button type="button" className="kiosk-button kiosk-button-warn" onClick={reset} data-testid="restart-yes">
                {t('kiosk.restart.yes')}
              </button>
              <button
                type="button"
                className="kiosk-button kiosk-button-secondary"
                onClick={() => setConfirmRestart(false)}
                data-testid="restart-no"
              >
                {t('kiosk.restart.no')}
              </button>
            </div>
          </div>
        </div>
      )}
      {step !== 'start' && <IdleGuard seconds={info.idle_reset_seconds} onReset={reset} />}
    </div>
  );

  function renderStep() {
    switch (step) {
      case 'start':
        return <StartStep onStart={() => setStep('event')} />;
      case 'event':
        return <EventStep chosen={data.event} onChoose={chooseEvent} onBack={reset} />;
      case 'questions':
        return (
          <QuestionsStep data={data} setData={setData} onNext={() => setStep('identity')} onBack={() => setStep('event')} />
        );
      case 'identity':
        return (
          <IdentityStep
            terminal={terminal}
            onCard={identifiedByCard}
            onDocument={identifiedByDocument}
            onBack={() => setStep('questions')}
          />
        );
      case 'household':
        return (
          <HouseholdStep
            data={data}
            setData={setData}
            onNext={() => setStep(afterHousehold)}
            onBack={() => setStep('identity')}
          />
        );
      case 'address':
        return (
          <AddressStep data={data} setData={setData} onNext={() => setStep('signature')} onBack={() => setStep('household')} />
        );
      case 'signature':
        return (
          <SignatureStep
            data={data}
            setData={setData}
            onNext={() => setStep('confirm')}
            onBack={() => setStep(afterHousehold === 'address' ? 'address' : 'household')}
          />
        );
      case 'confirm':
        return (
          <ConfirmStep
            data={data}
            setData={setData}
            terminal={terminal}
            language={language}
            onSubmitted={submitted}
            onBack={() => setStep('signature')}
          />
        );
      case 'done':
        return receipt ? <DoneStep receipt={receipt} onFinish={reset} /> : null;
    }
  }
}
