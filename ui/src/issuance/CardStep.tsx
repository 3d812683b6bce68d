import { TerminalError, type CardAuthentication, type TerminalApi } from '../backend';
import { PinPad } from '../components/PinPad';
import { useCardReading } from '../hooks/useCardReading';
import { t } from '../i18n';
import { LastTryDialog } from '../selfservice/LastTryDialog';
import { Screen } from '../selfservice/Screen';

// 1. カードと暗証番号: the My Number card on the reader and the 4-digit PIN of its 利用者証明用電子証明書
// (JPKI user authentication, verified by the server with the city's revocation list). The card's
// 基本4情報 are never read here. The PIN lives in the hook's state only.

function problem(e: unknown): string {
  const code = e instanceof TerminalError ? e.code : 'internal';
  if (code === 'wrong_pin') {
    const left = e instanceof TerminalError ? e.triesLeft : null;
    return left === null ? t('station.card.wrongPinUnknown') : t('station.card.wrongPin', { n: left });
  }
  if (code === 'no_card') return t('station.card.pulled');
  if (code === 'no_reader') return t('station.card.no_reader');
  if (code === 'card_error') return t('station.card.card_error');
  // The server's own refusal (a revoked or expired card, no current CRL) is worded for the resident.
  if (e instanceof TerminalError && e.message) return e.message;
  return t('station.card.failed');
}

export function CardStep({
  terminal,
  onAuthenticated,
  onBack,
}: {
  terminal: TerminalApi;
  onAuthenticated: (auth: CardAuthentication) => void;
  onBack: () => void;
}) {
  const reading = useCardReading<CardAuthentication>(terminal, {
    onRead: onAuthenticated,
    problemOf: problem,
    operate: (pin, confirmLastTry) => terminal.authenticateCard(pin, confirmLastTry),
    blockedWhen: (s) => s.auth_pin_retries === 0,
  });
  const { card, pin, setPin, phase, blocked } = reading;

  if (blocked) {
    return (
      <Screen title={t('station.card.heading')} onBack={onBack} testId="station-card">
        <p className="kiosk-error" role="alert" data-testid="card-blocked">
          {t('station.card.blocked')}
        </p>
      </Screen>
    );
  }
  if (phase === 'lastTry') {
    return (
      <Screen title={t('station.card.heading')} testId="station-card">
        <LastTryDialog
          text={t('station.card.lastTry')}
          yes={t('station.card.lastTryYes')}
          no={t('station.card.lastTryNo')}
          onYes={() => void reading.read(pin, true)}
          onNo={reading.cancelLastTry}
        />
      </Screen>
    );
  }
  const ready = card?.state === 'ready';
  return (
    <Screen title={t('station.card.heading')} onBack={onBack} testId="station-card">
      <p className="kiosk-instruction" role="status" data-testid="card-instruction">
        {phase === 'reading' || phase === 'read'
          ? t('station.card.reading')
          : card === null
            ? t('station.card.checking')
            : t(`station.card.${card.state}`)}
      </p>
      {reading.problem && (
        <p className="kiosk-error" role="alert" data-testid="card-problem">
          {reading.problem}
        </p>
      )}
      {(ready || phase === 'reading') && (
        <PinPad
          value={pin}
          onChange={(p) => {
            setPin(p);
            reading.setProblem(null);
          }}
          onSubmit={(p) => void reading.read(p, false)}
          label={t('station.card.pin')}
          disabled={phase === 'reading'}
        />
      )}
    </Screen>
  );
}
