import { useCallback, useEffect, useMemo, useState } from 'react';
import { useBackend, type CardPerson, type KioskReceipt, type TerminalApi, type TerminalInfo } from '../backend';
import { htmlLang, isLocale, loadLocale, t, type Locale } from '../i18n';
import { AddressStep } from './AddressStep';
import { RestartConfirm, SelfServiceBar, knownLanguages } from '../selfservice/Bar';
import { useResidentLanguage } from '../selfservice/screenLanguage';
import { ConfirmStep } from './ConfirmStep';
import { DoneStep } from './DoneStep';
import { EventStep } from './EventStep';
import { HouseholdStep } from './HouseholdStep';
import { IdentityStep } from './IdentityStep';
import { IdleGuard } from '../selfservice/IdleGuard';
import { lockDown } from '../selfservice/lockdown';
import { OfflineBanner, useServerOnline } from '../selfservice/OfflineBanner';
import { PreApplicationBanner, ReaderMessage } from './PreApplicationMessages';
import { PreApplicationNumber } from './PreApplicationNumber';
import { CARD_DOCUMENT, applicantFromCard, emptyKioskData, type KioskData, type KioskPerson, type LifeEvent } from './model';
import { QuestionsStep } from './QuestionsStep';
import { SignatureStep } from './SignatureStep';
import { StartStep } from './StartStep';
import { cameraFeedback } from './cameraFeedback';
import { CameraScanButton } from '../components/camera/CameraScan';
import { usePreApplicationReader } from './usePreApplicationReader';
import '../selfservice/selfservice.css';

type Step = 'start' | 'number' | 'event' | 'questions' | 'identity' | 'household' | 'address' | 'signature' | 'confirm' | 'done';

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
  const languages = useMemo<Locale[]>(() => knownLanguages(info.languages, isLocale), [info.languages]);
  const defaultLanguage = languages[0] ?? 'ja';
  // A terminal has no download budget: its languages are fetched at once, so that switching is instant.
  useEffect(() => languages.forEach((l) => void loadLocale(l).catch(() => undefined)), [languages]);

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

  const shownLanguage = useResidentLanguage(language);

  const setData = useCallback((update: (d: KioskData) => KioskData) => setDataState((d) => update(d)), []);

  // A 事前申請 read on the start or event screen (or by number) fills the entries; the resident goes on
  // from the questions with everything pre-filled, and may correct it.
  const reader = usePreApplicationReader({
    terminal,
    listening: step === 'start' || step === 'event',
    forgetSeconds: info.idle_reset_seconds,
    onLoaded: (loaded) => {
      setDataState(loaded);
      setStep('questions');
    },
  });
  const clearReader = reader.clear;

  /** Everything the resident entered is dropped, and every screen starts anew. */
  const reset = useCallback(() => {
    clearReader();
    setDataState(emptyKioskData());
    setReceipt(null);
    setConfirmRestart(false);
    setStep('start');
    setLanguage(defaultLanguage);
    setRound((r) => r + 1);
  }, [defaultLanguage, clearReader]);

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
    <div className="kiosk" lang={htmlLang(shownLanguage)} key={round} data-testid="kiosk" onContextMenu={(e) => e.preventDefault()}>
      <SelfServiceBar
        terminal={terminal}
        title={t('kiosk.title')}
        languages={languages}
        language={language}
        onLanguage={setLanguage}
        onRestart={step !== 'start' && step !== 'done' ? () => setConfirmRestart(true) : undefined}
      />
      {!online && <OfflineBanner />}
      <main className="kiosk-main">
        <div className="kiosk-main-column">
          {data.preApplication && step !== 'start' && step !== 'done' && <PreApplicationBanner source={data.preApplication} />}
          {renderStep()}
        </div>
      </main>
      {confirmRestart && <RestartConfirm onYes={reset} onNo={() => setConfirmRestart(false)} />}
      {step !== 'start' && <IdleGuard seconds={info.idle_reset_seconds} onReset={reset} />}
    </div>
  );

  function renderStep() {
    switch (step) {
      case 'start':
        return (
          <StartStep
            tenant={info.tenant}
            onStart={() => {
              if (reader.status.kind === 'error') reader.clear();
              setStep('event');
            }}
            onNumber={() => {
              reader.clear();
              setStep('number');
            }}
            scan={<ReaderMessage status={reader.status} />}
            camera={<CameraScanButton large onSymbol={(symbol) => reader.scan(symbol).then(cameraFeedback)} />}
          />
        );
      case 'number':
        return <PreApplicationNumber status={reader.status} onRead={reader.readNumber} onBack={reset} />;
      case 'event':
        return (
          <EventStep chosen={data.event} onChoose={chooseEvent} onBack={reset} scan={<ReaderMessage status={reader.status} />} />
        );
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
