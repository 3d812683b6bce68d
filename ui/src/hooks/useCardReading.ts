import { useEffect, useRef, useState, type Dispatch, type SetStateAction } from 'react';
import { TerminalError, errorMessage, type CardPerson, type CardStatus, type TerminalApi } from '../backend';

// Reading the マイナンバーカード's 基本4情報 with its 4-digit 券面事項入力補助 PIN, as the kiosk's
// identity step and the staff's card search do it: the reader's state while the PIN is typed, the
// read, the question before the last try, and the blocked card. The PIN lives in this state only:
// never stored, logged or sent anywhere but `terminal.readCard`. Each screen words the problems.

/** The length of the 券面事項入力補助 PIN. */
export const CARD_PIN_LENGTH = 4;

/** `lastTry`: one try is left and the holder must confirm it; `read`: the card was read. */
export type CardReadingPhase = 'pin' | 'reading' | 'lastTry' | 'blocked' | 'read';

export interface CardReading {
  /** The reader's state while the PIN is being typed; `null` until known, or when it could not be asked. */
  card: CardStatus | null;
  /** Why the reader's state could not be asked (`errorMessage`), `null` once it answers. */
  statusProblem: string | null;
  pin: string;
  setPin: Dispatch<SetStateAction<string>>;
  phase: CardReadingPhase;
  /** The card is blocked (too many wrong PINs): the reader says so, or the last read did. */
  blocked: boolean;
  /** Why the last read failed, worded by the screen (`problemOf`); cleared by the next read. */
  problem: string | null;
  setProblem: Dispatch<SetStateAction<string | null>>;
  /** Reads the card with `pin` (ignored unless it has `CARD_PIN_LENGTH` digits). */
  read: (pin: string, confirmLastTry: boolean) => Promise<void>;
  /** The holder does not take the last try: the PIN is forgotten, back to the pad. */
  cancelLastTry: () => void;
}

/**
 * The card reading of one screen. `onRead` gets the card holder (unless the screen was closed while
 * reading); `problemOf` words a failed read that leaves the PIN pad up (wrong PIN, no card, …).
 */
export function useCardReading<T = CardPerson>(
  terminal: TerminalApi,
  {
    onRead,
    problemOf,
    operate,
    blockedWhen = (s) => s.blocked,
  }: {
    onRead: (result: T) => void;
    problemOf: (error: unknown) => string;
    /** What the PIN is for: by default the 基本4情報 (`readCard`); a station passes `authenticateCard`. */
    operate?: (pin: string, confirmLastTry: boolean) => Promise<T>;
    /** Whether the reader's state says this PIN is blocked (default: the 券面事項入力補助 PIN's). */
    blockedWhen?: (status: CardStatus) => boolean;
  },
): CardReading {
  const [card, setCard] = useState<CardStatus | null>(null);
  const [statusProblem, setStatusProblem] = useState<string | null>(null);
  const [pin, setPin] = useState('');
  const [phase, setPhase] = useState<CardReadingPhase>('pin');
  const [problem, setProblem] = useState<string | null>(null);
  const mounted = useRef(true);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  // The reader's state while the PIN is being typed: asked every second, and pushed by the runtime.
  useEffect(() => {
    if (phase !== 'pin') return;
    let current = true;
    const poll = () =>
      terminal
        .cardStatus()
        .then((s) => {
          if (!current) return;
          setCard(s);
          setStatusProblem(null);
        })
        .catch((e: unknown) => {
          if (!current) return;
          setCard(null);
          setStatusProblem(errorMessage(e));
        });
    void poll();
    const timer = setInterval(poll, 1000);
    const unsubscribe = terminal.onStatus((s) => current && setCard(s.card));
    return () => {
      current = false;
      clearInterval(timer);
      unsubscribe();
    };
  }, [terminal, phase]);

  async function read(entered: string, confirmLastTry: boolean) {
    if (entered.length !== CARD_PIN_LENGTH) return;
    setPhase('reading');
    setProblem(null);
    try {
      const person = operate
        ? await operate(entered, confirmLastTry)
        : ((await terminal.readCard(entered, confirmLastTry)) as T);
      if (!mounted.current) return;
      setPin('');
      setPhase('read');
      onRead(person);
    } catch (e) {
      if (!mounted.current) return;
      if (e instanceof TerminalError && e.code === 'last_try') {
        setPhase('lastTry'); // the PIN is kept for the confirmed try only
        return;
      }
      setPin('');
      if (e instanceof TerminalError && e.code === 'blocked') {
        setPhase('blocked');
        return;
      }
      setPhase('pin');
      setProblem(problemOf(e));
    }
  }

  function cancelLastTry() {
    setPin('');
    setPhase('pin');
  }

  return {
    card,
    statusProblem,
    pin,
    setPin,
    phase,
    blocked: phase === 'blocked' || (card !== null && blockedWhen(card)),
    problem,
    setProblem,
    read,
    cancelLastTry,
  };
}
