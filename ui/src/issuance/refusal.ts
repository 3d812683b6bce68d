// A refusal as the resident reads it. The server words its refusals for residents in Japanese and
// gives each a code; in another language the station shows its own translation of the codes it knows.
import { BackendError, TerminalError, errorMessage } from '../backend';
import { getLocale, t } from '../i18n';

const WORDED = ['card_unknown', 'certificate_refused', 'seal_not_registered', 'seal_abolished', 'seal_under_15', 'tax_not_loaded'] as const;
type Worded = (typeof WORDED)[number];

function worded(code: string | null | undefined): code is Worded {
  return (WORDED as readonly (string | null | undefined)[]).includes(code);
}

/** The server's `message` with its `code`, in the resident's language. */
export function refusalText(code: string | null | undefined, message: string): string {
  return getLocale() !== 'ja' && worded(code) ? t(`station.refusal.${code}`) : message;
}

/** The message of a failed call (the server's or the runtime's), in the resident's language. */
export function refusalOf(error: unknown): string {
  const code = error instanceof BackendError || error instanceof TerminalError ? error.code : null;
  return refusalText(code, errorMessage(error));
}
