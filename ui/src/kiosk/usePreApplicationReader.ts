// Reading a resident's 事前申請 at the kiosk: the symbols of its QR code from the terminal's serial
// scanner (`terminal.onQrScanned`) or from a keyboard-wedge scanner (keystrokes ending with Enter
// while no input has focus, a line starting with `MDG1.`), or its 受付番号 with the applicant's birth
// date; the server answers with the entries, which become the kiosk's (memory only).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { KioskPreApplicationRequest } from '../api/types';
import { BackendError, useBackend, type TerminalApi } from '../backend';
import type { MessageKey } from '../i18n';
import { kioskDataFromPreApplication } from './fromPreApplication';
import type { KioskData } from './model';
import { SYMBOL_PREFIX, progressOf, refusalKey, withSymbol } from './preApplicationScan';

export type ReaderStatus =
  | { kind: 'idle' }
  | { kind: 'reading' }
  /** Some symbols of a code in several parts are read. */
  | { kind: 'progress'; have: number; need: number }
  | { kind: 'error'; key: MessageKey };

/** What one read came to: the entries loaded, or the status it left (a late answer: `stale`). */
export type ReadOutcome = { kind: 'loaded' } | { kind: 'stale' } | ReaderStatus;

/** Keystrokes further apart than this are typed, not a scanner's line. */
const WEDGE_GAP_MS = 1000;

function typingInAField(): boolean {
  const el = document.activeElement;
  return el instanceof HTMLElement && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.isContentEditable);
}

/** Calls `onLine` with every line a keyboard-wedge scanner types while no field has focus. */
function useWedgeScanner(enabled: boolean, onLine: (line: string) => void) {
  useEffect(() => {
    if (!enabled) return undefined;
    let text = '';
    let at = 0;
    const onKey = (e: KeyboardEvent) => {
      if (typingInAField()) return;
      const now = Date.now();
      if (now - at > WEDGE_GAP_MS) text = '';
      at = now;
      if (e.key === 'Enter') {
        const line = text.trim();
        text = '';
        // The scanner's Enter must not press the button that has focus.
        if (line.startsWith(SYMBOL_PREFIX)) {
          e.preventDefault();
          onLine(line);
        }
      } else if (e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey) {
        text += e.key;
      }
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, [enabled, onLine]);
}

/**
 * The kiosk's 事前申請 reader. `listening`: scans are taken (the start and event screens);
 * `onLoaded`: the entries read; symbols of an unfinished code are dropped after `forgetSeconds`.
 * `scan` reads one symbol from elsewhere (the camera) and says what it came to.
 */
export function usePreApplicationReader({
  terminal,
  listening,
  forgetSeconds,
  onLoaded,
}: {
  terminal: TerminalApi;
  listening: boolean;
  forgetSeconds: number;
  onLoaded: (data: KioskData) => void;
}) {
  const backend = useBackend();
  const [status, setStatus] = useState<ReaderStatus>({ kind: 'idle' });
  const parts = useRef<string[]>([]);
  /** The latest read: an earlier answer arriving late is ignored. */
  const latest = useRef(0);
  const loaded = useRef(onLoaded);
  loaded.current = onLoaded;

  const clear = useCallback(() => {
    parts.current = [];
    latest.current += 1;
    setStatus({ kind: 'idle' });
  }, []);

  const read = useCallback(
    async (request: KioskPreApplicationRequest): Promise<ReadOutcome> => {
      const seq = ++latest.current;
      setStatus({ kind: 'reading' });
      const settle = (status: ReaderStatus): ReaderStatus => (setStatus(status), status);
      try {
        const found = await backend.kioskPreApplication(request);
        const towns = found.body.entries.new_address ? await backend.towns().catch(() => []) : [];
        if (seq !== latest.current) return { kind: 'stale' };
        parts.current = [];
        const result = kioskDataFromPreApplication(found.body, towns, { number: found.number ?? null });
        if (result.kind === 'counter') return settle({ kind: 'error', key: 'kiosk.pre.counterOnly' });
        setStatus({ kind: 'idle' });
        loaded.current(result.data);
        return { kind: 'loaded' };
      } catch (error) {
        if (seq !== latest.current) return { kind: 'stale' };
        if (error instanceof BackendError && error.code === 'qr_incomplete') {
          return settle({ kind: 'progress', ...progressOf(parts.current) });
        }
        parts.current = [];
        return settle({ kind: 'error', key: refusalKey(error) });
      }
    },
    [backend],
  );

  const scan = useCallback(
    (line: string): Promise<ReadOutcome> => {
      if (!line.trim().startsWith(SYMBOL_PREFIX)) {
        parts.current = [];
        const status: ReaderStatus = { kind: 'error', key: 'kiosk.pre.notOurs' };
        setStatus(status);
        return Promise.resolve(status);
      }
      parts.current = withSymbol(parts.current, line);
      return read({ symbols: [...parts.current] });
    },
    [read],
  );
  const scanned = useCallback((line: string) => void scan(line), [scan]);

  useEffect(() => (listening ? terminal.onQrScanned(scanned) : undefined), [terminal, listening, scanned]);
  useWedgeScanner(listening, scanned);

  // A code left half read is forgotten, as the idle reset forgets entries.
  useEffect(() => {
    if (status.kind !== 'progress') return undefined;
    const timer = setTimeout(clear, forgetSeconds * 1000);
    return () => clearTimeout(timer);
  }, [status, forgetSeconds, clear]);

  const readNumber = useCallback((number: string, birth: string) => read({ number, birth }), [read]);

  return { status, clear, readNumber, scan };
}
