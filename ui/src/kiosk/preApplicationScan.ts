// The QR symbols of a 事前申請 as the kiosk collects them (serial or keyboard-wedge scanner), and
// what the server's answer means for the resident. Pure, no I/O.
import { BackendError } from '../backend';
import type { MessageKey } from '../i18n';

/** The prefix of every Madoguchi QR symbol (`MDG1.<part>.<parts>.<id>.<chunk>`, docs/qr-payload.md). */
export const SYMBOL_PREFIX = 'MDG1.';

interface SymbolHead {
  part: number;
  parts: number;
  id: string;
}

/** The part number, part count and code id of a symbol; `null` for other text. */
export function symbolHead(text: string): SymbolHead | null {
  const fields = text.trim().split('.');
  if (fields.length < 5 || `${fields[0]}.` !== SYMBOL_PREFIX) return null;
  const part = Number(fields[1]);
  const parts = Number(fields[2]);
  if (!Number.isInteger(part) || !Number.isInteger(parts) || part < 1 || part > parts) return null;
  return { part, parts, id: fields[3] ?? '' };
}

/**
 * The symbols scanned so far of ONE code: a symbol of another code starts anew, a symbol read twice
 * counts once.
 */
export function withSymbol(kept: readonly string[], scanned: string): string[] {
  const text = scanned.trim();
  const head = symbolHead(text);
  const first = kept[0] ? symbolHead(kept[0]) : null;
  if (!head || !first || first.id !== head.id || first.parts !== head.parts) return [text];
  const others = kept.filter((s) => symbolHead(s)?.part !== head.part);
  return [...others, text];
}

/** How many parts of the code are read, and how many it has. */
export function progressOf(kept: readonly string[]): { have: number; need: number } {
  const heads = kept.map(symbolHead).filter((h): h is SymbolHead => h !== null);
  const need = heads[0]?.parts ?? 1;
  return { have: new Set(heads.map((h) => h.part)).size, need };
}

/** The resident's message (in their language) for a refused read; `qr_incomplete` is not one. */
export function refusalKey(error: unknown): MessageKey {
  const code = error instanceof BackendError ? error.code : '';
  switch (code) {
    case 'qr_not_for_kiosk':
      return 'kiosk.pre.notForKiosk';
    case 'qr_bad_signature':
      return 'kiosk.pre.badSignature';
    case 'qr_not_ours':
    case 'invalid_symbols':
      return 'kiosk.pre.notOurs';
    case 'pre_application_other_city':
      return 'kiosk.pre.otherCity';
    case 'pre_application_expired':
      return 'kiosk.pre.expired';
    case 'not_found':
      return 'kiosk.pre.notFound';
    case 'invalid_number':
      return 'kiosk.pre.invalidNumber';
    default:
      return 'kiosk.pre.failed';
  }
}

/** A 受付番号 as shown: `1234-5678`. */
export function shownNumber(number: string): string {
  return /^\d{8}$/.test(number) ? `${number.slice(0, 4)}-${number.slice(4)}` : number;
}
