import { errorMessage, type Backend, type TerminalApi } from '../../backend';
import { newId } from '../../case/ids';

// Automatic printing (自動印刷) from staff's queue on a desktop terminal with a document printer: claim
// the next request of a station set up for it, issue its certificates, print them, and confirm — or
// report the printer's problem, after which the request waits for staff (the server never hands it
// out again by itself). An answer lost on the way is covered by the claim's lease: the request turns
// into a failure for staff to check, never a second print.

/** What one round of the agent did. */
export type AgentRound =
  | { kind: 'idle' }
  | { kind: 'printed'; no: string; numbers: string }
  | { kind: 'failed'; no: string; detail: string };

export async function printNext(backend: Backend, terminal: TerminalApi): Promise<AgentRound> {
  const { request } = await backend.claimPrintJob();
  if (!request) return { kind: 'idle' };
  const id = request.request_id;
  const no = request.reception_label;
  try {
    // The same write id as printing by hand: a later manual print reissues the same 発行番号.
    const issued = await backend.issueCertificates(id, { write_id: `p-${id}`.slice(0, 64), override_reason: null });
    await terminal.printPdf(issued.pdf);
    await backend.actOnStationRequest(id, { write_id: newId('a'), action: 'confirm' });
    return { kind: 'printed', no, numbers: (issued.issueNumbers ?? []).join(', ') };
  } catch (e) {
    const detail = errorMessage(e);
    // Best effort: without this report the claim's lease runs out into the same failure.
    await backend.actOnStationRequest(id, { write_id: newId('a'), action: 'fail', reason: detail }).catch(() => undefined);
    return { kind: 'failed', no, detail };
  }
}
