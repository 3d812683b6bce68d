import { useState } from 'react';
import { TerminalError, type CardPerson, type TerminalApi } from '../backend';
import { PinPad } from '../components/PinPad';
import { useCardReading } from '../hooks/useCardReading';
import { birthText, t } from '../i18n';
import { LastTryDialog } from '../selfservice/LastTryDialog';
import { Screen } from '../selfservice/Screen';
import { sexText } from './text';

// d. 本人確認 with the マイナンバーカード: the reader's state (asked every second while this screen is
// up, and pushed by the runtime), the 4-digit 券面事項入力補助 PIN on a pad, and the card holder's
// 基本4情報 — the resident types nothing else.

/** The message for a failed read that leaves the PIN pad up. */
function readProblem(e: unknown): string {
  const code = e instanceof TerminalError ? e.code : 'internal';
  if (code === 'wrong_pin') {
    const left = e instanceof TerminalError ? e.triesLeft : null;
    return left === null ? t('kiosk.card.wrongPinUnknown') : t('kiosk.card.wrongPin', { n: left });
  }
  if (code === 'no_card') return t('kiosk.card.no_card');
  if (code === 'no_reader') return t('kiosk.card.no_reader');
  if (code === 'card_error') return t('kiosk.card.card_error');
  return t('kiosk.card.failed');
}

export function CardStep({
  terminal,
  onRead,
  onBack,
}: {
  terminal: TerminalApi;
  onRead: (person: CardPerson) => void;
  onBack: () => void;
}) {
  const [person, setPerson] = useState<CardPerson | null>(null);
  const { card, pin, setPin, phase, blocked, problem, setProblem, read, cancelLastTry } = useCardReading(terminal, {
    onRead: setPerson,
    problemOf: readProblem,
  });

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
        <LastTryDialog
          text={t('kiosk.card.lastTry')}
          yes={t('kiosk.card.lastTryYes')}
          no={t('kiosk.card.lastTryNo')}
          onYes={() => void read(pin, true)}
          onNo={cancelLastTry}
        />
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
