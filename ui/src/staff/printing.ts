import { errorMessage, type TerminalApi } from '../backend';

/** What became of sending a PDF to the desktop terminal's document printer. */
export type TerminalPrint = { kind: 'printed'; printer: string } | { kind: 'failed'; message: string };

/**
 * Prints a PDF the staff app made (a case's forms, …) on the desktop terminal's document printer,
 * straight away. `null` when there is none to use — in a browser, or a terminal without a
 * `document_printer` — and the screen offers the browser's print dialog as before. A failure is
 * given back with the runtime's Japanese message.
 */
export async function printOnTerminal(terminal: TerminalApi | undefined, pdf: Blob): Promise<TerminalPrint | null> {
  if (!terminal) return null;
  try {
    const info = await terminal.info();
    if (info.document_printer === null) return null;
    const { printer } = await terminal.printPdf(pdf);
    return { kind: 'printed', printer: printer || info.document_printer };
  } catch (e) {
    return { kind: 'failed', message: errorMessage(e) };
  }
}
