import { useEffect, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { TerminalError, errorMessage, type CardPerson, type TerminalApi } from '../../backend';
import { PinPad } from '../../components/PinPad';
import { CARD_PIN_LENGTH as PIN_LENGTH, useCardReading } from '../../hooks/useCardReading';
import { t } from '../../i18n';

// Desktop app only: the visit's search by マイナンバーカード. The reader's state, then the resident
// types the 4-digit 券面事項入力補助 PIN on a pad (or the keyboard), then the card's 基本4情報 go
// to the search. The PIN lives in this dialog's state only, while it is open (`useCardReading`):
// never stored, logged or sent anywhere but `terminal.readCard`.

/** Opens the card reader from the search step. F2, F6 and F8–F10 are taken; F4 is free. */
export const CARD_READ_KEY = 'F4';

/** The 「マイナンバーカードで検索」 button, its function key, and the PIN dialog it opens. */
export function CardReadButton({ terminal, onRead }: { terminal: TerminalApi; onRead: (person: CardPerson) => void }) {
  const [open, setOpen] = useState(false);

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.key !== CARD_READ_KEY) return;
      e.preventDefault();
      setOpen(true);
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <>
      <button
        type="button"
        className="button button-secondary"
        onClick={() => setOpen(true)}
        aria-haspopup="dialog"
        data-testid="staff-card-read"
      >
        {t('visit.card.button')} <kbd>{CARD_READ_KEY}</kbd>
      </button>
      {open && (
        <CardPinDialog
          terminal={terminal}
          onClose={() => setOpen(false)}
          onRead={(person) => {
            setOpen(false);
            onRead(person);
          }}
        />
      )}
    </>
  );
}

/** The message for a failed `readCard` that leaves the PIN pad up. */
function readProblem(e: unknown): string {
  const code = e instanceof TerminalError ? e.code : 'internal';
  switch (code) {
    case 'wrong_pin': {
      const left = e instanceof TerminalError ? e.triesLeft : null;
      return left === null ? t('visit.card.wrongPinUnknown') : t('visit.card.wrongPin', { n: left });
    }
    case 'no_card':
      return t('visit.card.no_card');
    case 'no_reader':
      return t('visit.card.no_reader');
    case 'card_error':
      return t('visit.card.card_error');
    default:
      return errorMessage(e);
  }
}

function CardPinDialog({
  terminal,
  onRead,
  onClose,
}: {
  terminal: TerminalApi;
  onRead: (person: CardPerson) => void;
  onClose: () => void;
}) {
  const { card, statusProblem, pin, setPin, phase, blocked, problem, setProblem, read, cancelLastTry: notLastTry } =
    useCardReading(terminal, { onRead, problemOf: readProblem });
  const boxRef = useRef<HTMLDivElement>(null);

  // The focus goes into the dialog, and back where it was when the dialog closes.
  useEffect(() => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    boxRef.current?.focus();
    return () => {
      if (before?.isConnected) before.focus();
    };
  }, []);

  const padShown = !blocked && (phase === 'reading' || (phase === 'pin' && card?.state === 'ready'));

  function cancelLastTry() {
    notLastTry();
    boxRef.current?.focus();
  }

  function close() {
    setPin('');
    onClose();
  }

  // Keyboard: digits, Backspace, Enter (read), Esc (close; in the last-try question: no).
  function onKeyDown(e: ReactKeyboardEvent<HTMLDivElement>) {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      if (phase === 'lastTry') cancelLastTry();
      else if (phase !== 'reading') close();
      return;
    }
    if (!padShown || phase !== 'pin') return;
    if (/^[0-9]$/.test(e.key)) {
      e.preventDefault();
      setProblem(null);
      setPin((p) => (p.length < PIN_LENGTH ? p + e.key : p));
    } else if (e.key === 'Backspace') {
      e.preventDefault();
      setPin((p) => p.slice(0, -1));
    } else if (e.key === 'Enter') {
      // A focused button outside the keypad (閉じる) keeps its own Enter.
      const target = e.target as HTMLElement;
      if (target instanceof HTMLButtonElement && !target.closest('.keypad')) return;
      e.preventDefault();
      void read(pin, false);
    }
  }

  const stateText =
    card === null
      ? (statusProblem ?? t('visit.card.checking'))
      : card.message || t(`visit.card.state.${card.state}`);

  return (
    <div className="modal-overlay">
      <div
        ref={boxRef}
        className="modal card-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="card-dialog-title"
        tabIndex={-1}
        onKeyDown={onKeyDown}
        data-testid="staff-card-dialog"
      >
        <h2 id="card-dialog-title">{t('visit.card.title')}</h2>
        {blocked ? (
          <p className="error-banner" role="alert" data-testid="staff-card-blocked">
            {t('visit.card.blocked')}
          </p>
        ) : phase === 'lastTry' ? (
          <div data-testid="staff-card-last-try">
            <p className="queued-notice" role="alert">
              {t('visit.card.lastTry')}
            </p>
            <div className="form-actions">
              <button
                type="button"
                className="button button-primary"
                onClick={() => void read(pin, true)}
                data-testid="staff-card-last-try-yes"
              >
                {t('visit.card.lastTryYes')}
              </button>
              <button
                type="button"
                className="button button-secondary"
                onClick={cancelLastTry}
                autoFocus
                data-testid="staff-card-last-try-no"
              >
                {t('visit.card.lastTryNo')}
              </button>
            </div>
          </div>
        ) : (
          <>
            <p
              className="card-state"
              role="status"
              data-testid="staff-card-status"
              data-state={card?.state ?? 'unknown'}
            >
              {phase === 'reading' ? t('visit.card.reading') : stateText}
            </p>
            {problem && (
              <p className="error-banner" role="alert" data-testid="staff-card-problem">
                {problem}
              </p>
            )}
            {padShown && (
              <>
                <p className="hint">{t('visit.card.pinPrompt')}</p>
                <PinPad
                  value={pin}
                  onChange={(p) => {
                    setPin(p);
                    setProblem(null);
                  }}
                  onSubmit={(p) => void read(p, false)}
                  label={t('visit.card.pinLabel')}
                  maxLength={PIN_LENGTH}
                  disabled={phase === 'reading'}
                  testId="staff-pin"
                />
                <p className="hint">{t('visit.card.keys')}</p>
              </>
            )}
          </>
        )}
        <div className="form-actions">
          <button
            type="button"
            className="button button-secondary"
            onClick={close}
            disabled={phase === 'reading'}
            data-testid="staff-card-close"
          >
            {t('visit.card.close')} <kbd>Esc</kbd>
          </button>
        </div>
      </div>
    </div>
  );
}
