import { useCallback, useEffect, useMemo, useState } from 'react';
import type { StationIdentity, StationStatus } from '../api/types';
import { useBackend, type CardAuthentication, type StationTicket, type TerminalApi, type TerminalInfo, type TerminalStatus } from '../backend';
import { newId } from '../case/ids';
import { htmlLang, isLocale, loadLocale, t, type Locale } from '../i18n';
import { RestartConfirm, SelfServiceBar, knownLanguages } from '../selfservice/Bar';
import { IdleGuard } from '../selfservice/IdleGuard';
import { lockDown } from '../selfservice/lockdown';
import { useServerOnline, useStatusValue } from '../selfservice/OfflineBanner';
import { useResidentLanguage } from '../selfservice/screenLanguage';
import '../selfservice/selfservice.css';
import { CardStep } from './CardStep';
import { CopiesStep, WhoStep, YearStep } from './ChoiceSteps';
import { ConfirmStep, DoneStep, RefusedStep } from './FinishSteps';
import { firstChoice, linesOf, stepAfterCard, taxYears, type StationChoice } from './model';
import { refusalOf, refusalText } from './refusal';
import { StartStep } from './StartStep';
import './station.css';

type Step = 'start' | 'card' | 'who' | 'year' | 'copies' | 'confirm' | 'done' | 'refused';

/**
 * The certificate issuance station (`#/issuance`, 証明書発行端末): a resident chooses a certificate,
 * puts the My Number card on the reader and enters the 利用者証明用 PIN (JPKI user authentication, the
 * server checks the certificate and its revocation), chooses whom it covers and what it prints (a
 * 住民票の写し or 住民票記載事項証明書) or the 課税年度 (a 所得・課税証明書), how many copies, and
 * gets a 受付番号 on a printed 受付票; staff print and hand over the certificate. Runs only on a station
 * terminal (role `issuance`). What the resident chose lives in this component's state only and is
 * dropped at the end, on 最初に戻る and after `idle_reset_seconds` without a touch. With the server
 * away the station takes nothing.
 */
const pickPaperOut = (s: TerminalStatus) => s.receipt_paper_out;

export function IssuanceApp({ info }: { info: TerminalInfo | null }) {
  const terminal = useBackend().terminal;
  if (!terminal || !info || info.role !== 'issuance') {
    return (
      <main className="page page-narrow" data-testid="station-unavailable">
        <h1>{t('station.unavailable.title')}</h1>
        <p>{t('station.unavailable.detail')}</p>
      </main>
    );
  }
  return <Station terminal={terminal} info={info} />;
}

const STATION_LANGUAGES: readonly string[] = ['ja', 'en'];

function Station({ terminal, info }: { terminal: TerminalApi; info: TerminalInfo }) {
  const backend = useBackend();
  // The station's screens are translated into English only so far: other configured languages are
  // not offered here (the kiosk offers them all).
  const languages = useMemo<Locale[]>(
    () => knownLanguages(info.languages.filter((l) => STATION_LANGUAGES.includes(l)), isLocale),
    [info.languages],
  );
  const defaultLanguage = languages[0] ?? 'ja';
  // A terminal has no download budget: its languages are fetched at once, so that switching is instant.
  useEffect(() => languages.forEach((l) => void loadLocale(l).catch(() => undefined)), [languages]);
  const [language, setLanguage] = useState<Locale>(defaultLanguage);
  const [round, setRound] = useState(0);
  const [step, setStep] = useState<Step>('start');
  const [status, setStatus] = useState<StationStatus | null | 'failed'>(null);
  const [choice, setChoice] = useState<StationChoice>(() => firstChoice(''));
  const [identity, setIdentity] = useState<StationIdentity | null>(null);
  const [verification, setVerification] = useState<string | null>(null);
  const [ticket, setTicket] = useState<StationTicket | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [confirmRestart, setConfirmRestart] = useState(false);
  // One request id per resident: a retried 申し込む answers the same 受付番号.
  // (`round` renews it.)
  const requestId = useMemo(() => (round >= 0 ? newId('st') : ''), [round]);
  const online = useServerOnline(terminal);
  const paperOut = useStatusValue(terminal, pickPaperOut, false);
  useEffect(() => lockDown(window), []);
  const shownLanguage = useResidentLanguage(language);

  // The station's state and offers: at every new resident, and every minute on the start screen.
  useEffect(() => {
    if (step !== 'start') return;
    let current = true;
    const load = () =>
      backend
        .stationStatus()
        .then((s) => current && setStatus(s))
        .catch(() => current && setStatus('failed'));
    void load();
    const timer = setInterval(load, 60_000);
    return () => {
      current = false;
      clearInterval(timer);
    };
  }, [backend, step, round]);

  const reset = useCallback(() => {
    setStep('start');
    setChoice(firstChoice(''));
    setIdentity(null);
    setVerification(null);
    setTicket(null);
    setRefusal(null);
    setProblem(null);
    setSending(false);
    setConfirmRestart(false);
    setLanguage(defaultLanguage);
    setRound((r) => r + 1);
  }, [defaultLanguage]);

  const offer = status !== null && status !== 'failed' ? status.offers.find((o) => o.item === choice.item) : undefined;

  function refuse(message: string) {
    setIdentity(null); // nothing about the resident stays on the screen
    setRefusal(message);
    setStep('refused');
  }

  function authenticated(auth: CardAuthentication) {
    backend
      .identifyAtStation(auth.verification_id)
      .then((who) => {
        const mine = who.offers.find((o) => o.item === choice.item);
        if (!mine?.available) return refuse(mine?.reason ? refusalText(mine.reason_code, mine.reason) : t('station.start.closed'));
        setIdentity(who);
        setVerification(auth.verification_id);
        setStep(stepAfterCard(choice.item));
      })
      .catch((e: unknown) => refuse(refusalOf(e)));
  }

  function submit() {
    if (!verification || sending) return;
    setSending(true);
    setProblem(null);
    terminal
      .stationRequest({ request_id: requestId, verification_id: verification, lines: linesOf(choice) })
      .then((answer) => {
        setIdentity(null);
        setTicket(answer);
        setStep('done');
      })
      .catch((e: unknown) => setProblem(refusalOf(e)))
      .finally(() => setSending(false));
  }

  const started = step !== 'start' && step !== 'done' && step !== 'refused';
  return (
    <div className="kiosk station" lang={htmlLang(shownLanguage)} key={round} data-testid="station" onContextMenu={(e) => e.preventDefault()}>
      <SelfServiceBar
        terminal={terminal}
        title={t('station.title')}
        languages={languages}
        language={language}
        onLanguage={setLanguage}
        onRestart={started ? () => setConfirmRestart(true) : undefined}
      />
      {!online && (
        <div className="kiosk-offline" role="status" data-testid="offline-banner">
          {t('station.offline')}
        </div>
      )}
      <main className="kiosk-main">{renderStep()}</main>
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
            status={status}
            online={online}
            paperOut={paperOut}
            onChoose={(item) => {
              setChoice(firstChoice(item));
              setStep('card');
            }}
          />
        );
      case 'card':
        return <CardStep terminal={terminal} onAuthenticated={authenticated} onBack={reset} />;
      case 'who':
        return identity ? (
          <WhoStep
            identity={identity}
            choice={choice}
            onChoose={(c) => {
              setChoice(c);
              setStep('copies');
            }}
            onChange={setChoice}
            onBack={reset}
          />
        ) : null;
      case 'year':
        return identity ? (
          <YearStep
            identity={identity}
            years={taxYears(identity)}
            choice={choice}
            onChoose={(c) => {
              setChoice(c);
              setStep('copies');
            }}
            onBack={reset}
          />
        ) : null;
      case 'copies':
        return offer ? (
          <CopiesStep
            offer={offer}
            choice={choice}
            onChange={setChoice}
            onNext={() => setStep('confirm')}
            onBack={() => {
              const before = stepAfterCard(choice.item);
              if (before === 'copies') reset();
              else setStep(before);
            }}
          />
        ) : null;
      case 'confirm':
        return offer ? (
          <ConfirmStep
            offer={offer}
            choice={choice}
            sending={sending}
            problem={problem}
            onSubmit={submit}
            onBack={() => setStep('copies')}
          />
        ) : null;
      case 'done':
        return ticket ? <DoneStep ticket={ticket} onFinish={reset} /> : null;
      case 'refused':
        return <RefusedStep message={refusal ?? t('station.start.closed')} onFinish={reset} />;
    }
  }
}
