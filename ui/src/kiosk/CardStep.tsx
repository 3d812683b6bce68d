import { useEffect, useState } from 'react';
import { TerminalError, type CardPerson, type CardStatus, type TerminalApi } from '../backend';
import { t } from '../i18n';
import { PinPad } from './Keypad';
import { Screen } from './Screen';
import { birthText, sexText } from './text';

// d. 本人確認 with the マイナンバーカード: the reader's state (asked every second while this screen is
// up, and pushed by the runtime), the 4-digit 券面事項入力補助 PIN on a pad, and the card holder's
// 基本4情報 — the resident types nothing else.

type Phase = 'pin' | 'reading' | 'lastTry' | 'blocked' | 'read';

export function CardStep({
  terminal,
  onRead,
  onBack,
}: {
  terminal: TerminalApi;
  onRead: (person: CardPerson) => void;
  onBack: () => void;
}) {
  const [card, setCard] = useState<CardStatus | null>(null);
  const [pin, setPin] = useState('');
  const [phase, setPhase] = useState<Phase>('pin');
  const [problem, setProblem] = useState<string | null>(null);
  const [person, setPerson] = useState<CardPerson | null>(null);

  // The reader's state while the resident is at the PIN pad.
  useEffect(() => {
    if (phase !== 'pin') return;
    let current = true;
    const poll = () =>
      terminal
        .cardStatus()
        .then((s) => current && setCard(s))
        .catch(() => current && setCard(null));
    void poll();
    const timer = setInterval(poll, 1000);
    const unsubscribe = terminal.onStatus((s) => current && setCard(s.card));
    return () => {
      current = false;
      clearInterval(timer);
      unsubscribe();
    };
  }, [terminal, phase]);

  const blocked = phase === 'blocked' || card?.blocked === true;

  async function read(entered: string, confirmLastTry: boolean) {
    setPhase('reading');
    setProblem(null);
    try {
      const read = await terminal.readCard(entered, confirmLastTry);
      setPin('');
      setPerson(read);
      setPhase('read');
    } catch (e) {
      const code = e instanceof TerminalError ? e.code : 'internal';
      if (code === 'last_try') {
        setPhase('lastTry'); // the PIN stays for the confirmed try
        return;
      }
      setPin('');
      if (code === 'blocked') {
        setPhase('blocked');
        return;
      }
      setPhase('pin');
      if (code === 'wrong_pin') {
        const left = e instanceof TerminalError ? e.triesLeft : null;
        setProblem(left === null ? t('kiosk.card.wrongPinUnknown') : t('kiosk.card.wrongPin', { n: left }));
      } else if (code === 'no_card') {
        setProblem(t('kiosk.card.no_card'));
      } else if (code === 'no_reader') {
        setProblem(t('kiosk.card.no_reader'));
      } else if (code === 'card_error') {
        setProblem(t('kiosk.card.card_error'));
      } else {
        setProblem(t('kiosk.card.failed'));
      }
    }
  }

  if (phase === 'read' && person) {
    return (
      <Screen
        title={t('kiosk.card.read')}
        lead={t('kiosk.card.takeCard')}
        onBack={onBack}
        onNext={() => onRead(person)}
        nextTestId="card-next"
        testId="kiosk-card-read"
      >
        <dl className="kiosk-person" data-testid="card-person">
          <dt>{t('kiosk.person.name')}</dt>
          <dd data-testid="card-person-name">{person.name}</dd>
          <dt>{t('kiosk.person.birth')}</dt>
          <dd>{birthText(person.birth)}</dd>
          <dt>{t('kiosk.person.sex')}</dt>
          <dd>{sexText(person.sex)}</dd>
          <dt>{t('kiosk.person.address')}</dt>
          <dd>{person.address}</dd>
        </dl>
      </Screen>
    );
  }

  if (blocked) {
    return (
      <Screen title={t('kiosk.identity.card')} onBack={onBack} testId="kiosk-card">
        <p className="kiosk-error" role="alert" data-testid="card-blocked">
          {t('kiosk.card.blocked')}
        </p>
      </Screen>
    );
  }

  if (phase === 'lastTry') {
    return (
      <Screen title={t('kiosk.identity.card')} testId="kiosk-card">
        <div className="kiosk-confirm-box" role="alertdialog" aria-labelledby="last-try-text" data-testid="last-try">
          <p id="last-try-text" className="kiosk-warning">
            {t('kiosk.card.lastTry')}
          </p>
          <div className="kiosk-answers">
            <button
              type="button"
              className="kiosk-button kiosk-button-primary"
              onClick={() => void read(pin, true)}
              data-testid="last-try-yes"
            >
              {t('kiosk.card.lastTryYes')}
            </button>
            <button
              type="button"
              className="kiosk-button kiosk-button-secondary"
              onClick={() => {
                setPin('');
                setPhase('pin');
              }}
              data-testid="last-try-no"
            >
              {t('kiosk.card.lastTryNo')}
            </button>
          </div>
        </div>
      </Screen>
    );
  }

  const ready = card?.state === 'ready';
  return (
    <Screen title={t('kiosk.identity.card')} onBack={onBack} testId="kiosk-card">
      <p className="kiosk-instruction" role="status" data-testid="card-instruction">
        {phase === 'reading'
          ? t('kiosk.card.reading')
          : card === null
            ? t('kiosk.card.checking')
            : t(`kiosk.card.${card.state}`)}
      </p>
      {problem && (
        <p className="kiosk-error" role="alert" data-testid="card-problem">
          {problem}
        </p>
      )}
      {(ready || phase === 'reading') && (
        <PinPad
          value={pin}
          onChange={(p) => {
            setPin(p);
            setProblem(null);
          }}
          onSubmit={(p) => void read(p, false)}
          label={t('kiosk.pin.label')}
          disabled={phase === 'reading'}
        />
      )}
    </Screen>
  );
}
