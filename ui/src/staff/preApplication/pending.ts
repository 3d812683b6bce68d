// A 事前申請 read elsewhere in the staff app (a QR code scanned into the visit's search field or by
// the serial scanner): `QrScanner` hands its body over here before opening 事前申請の読み取り, which
// takes it once as it opens. Kept in memory only (personal data). No I/O here.
import type { PreApplicationBody } from '../../api/types';

let pending: PreApplicationBody | null = null;

/** Keeps a scanned 事前申請 for the reading page. */
export function handOverPreApplication(body: PreApplicationBody): void {
  pending = body;
}

/** The 事前申請 handed over and not yet taken (once). */
export function takePreApplication(): PreApplicationBody | null {
  const body = pending;
  pending = null;
  return body;
}
