// A certificate's verification QR scanned elsewhere in the staff app (the visit's search field, the
// serial scanner): `QrScanner` learns from the server that it is a certificate's code and hands its
// symbols over here before opening 証明書の確認, which checks them as it opens. No I/O here.

/** Route of 証明書の確認. */
export const VERIFY_PATH = '/staff/verify';

let pending: string[] | null = null;

/** Keeps the symbols of a scanned certificate code for the verification page. */
export function handOverCertificateScan(symbols: readonly string[]): void {
  pending = [...symbols];
}

/** The symbols handed over and not yet checked (once). */
export function takeCertificateScan(): string[] | null {
  const symbols = pending;
  pending = null;
  return symbols;
}
