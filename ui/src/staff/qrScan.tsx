import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { ResolvedQr } from '../api/types';
import { BackendError, errorMessage, useBackend, type Backend } from '../backend';
import { t } from '../i18n';
import { navigate, pathFromHash } from '../router';
import { VERIFY_PATH, handOverCertificateScan } from './certificates/pendingScan';
import { PRE_APPLICATION_PATH, parseBody } from './preApplication/model';
import { handOverPreApplication } from './preApplication/pending';

// Madoguchi's own QR codes (手続き案内書, 受付票), scanned at the counter by a keyboard-wedge scanner
// (typed into the visit's search field) or — desktop app — by a serial scanner (event `qr-scanned`).
// Both go through one `QrScanner`: a code opens its case (a certificate's code: 証明書の確認; a
// resident's 事前申請: 事前申請の読み取り, to match it with the 住民記録); a code split over several symbols asks
// for the missing ones and keeps those read so far.

/** Text of a Madoguchi QR symbol (`MDG1.<part>.<parts>.…`). */
export function isMadoguchiQr(text: string): boolean {
  return text.startsWith('MDG1.');
}

/** What one scan came to. `incomplete`: more symbols of the same code are to be scanned. */
export type QrScanResult =
  | { kind: 'resolved'; resolved: ResolvedQr }
  | { kind: 'failed'; message: string; incomplete: boolean };

/** Opens a case's screen (the visit, resumed). */
function openCase(caseId: string): void {
  navigate(`/staff/case/${encodeURIComponent(caseId)}`);
}

/** Opens 証明書の確認 to check a certificate's scanned code there. */
function openCertificate(symbols: string[]): void {
  handOverCertificateScan(symbols);
  navigate(VERIFY_PATH);
}

/** Opens 事前申請の読み取り with a scanned 事前申請 (the server checked its signature, city and date). */
function openPreApplication(body: string): void {
  handOverPreApplication(parseBody(body));
  navigate(PRE_APPLICATION_PATH);
}

/**
 * Resolves scanned symbols through `backend.resolveQr`, with the symbols of an incomplete code
 * read so far, one scan after another (in the order they were read): a code pointing at a case
 * opens it.
 */
export class QrScanner {
  private parts: string[] = [];
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly backend: Backend,
    private readonly open: (caseId: string) => void = openCase,
    private readonly check: (symbols: string[]) => void = openCertificate,
    private readonly prepare: (body: string) => void = openPreApplication,
  ) {}

  /** The symbols of an incomplete code read so far. */
  get pending(): readonly string[] {
    return this.parts;
  }

  scan(symbol: string): Promise<QrScanResult> {
    const result = this.queue.then(() => this.resolve(symbol));
    this.queue = result;
    return result;
  }

  private async resolve(symbol: string): Promise<QrScanResult> {
    const all = [...this.parts.filter((p) => p !== symbol), symbol];
    try {
      const resolved = await this.backend.resolveQr(all);
      this.parts = [];
      if (resolved.kind === 'case' && resolved.case_id) this.open(resolved.case_id);
      // A certificate's verification QR: checked on 証明書の確認.
      else if (resolved.kind === 'certificate') this.check(all);
      else if (resolved.kind === 'pre_application' && resolved.body) this.prepare(resolved.body);
      return { kind: 'resolved', resolved };
    } catch (e) {
      const incomplete = e instanceof BackendError && e.code === 'qr_incomplete';
      this.parts = incomplete ? all : [];
      return { kind: 'failed', message: errorMessage(e), incomplete };
    }
  }
}

const QrScanContext = createContext<QrScanner | null>(null);

/** The staff app's one `QrScanner` (symbols read by either scanner add up), for everything below. */
export function QrScanProvider({ children }: { children: ReactNode }) {
  const backend = useBackend();
  const scanner = useMemo(() => new QrScanner(backend), [backend]);
  return <QrScanContext.Provider value={scanner}>{children}</QrScanContext.Provider>;
}

/** The surrounding `QrScanProvider`'s scanner, or one of this component's own without one. */
export function useQrScanner(): QrScanner {
  const shared = useContext(QrScanContext);
  const backend = useBackend();
  const own = useMemo(() => (shared ? null : new QrScanner(backend)), [shared, backend]);
  return shared ?? own!;
}

/**
 * Desktop app, while a staff member is logged in: every line the serial QR scanner reads is
 * scanned as if typed into the search field; what needs the staff's attention (parts missing, a
 * code that is not Madoguchi's, no connection) is shown here. Nothing in a browser.
 */
export function SerialQrScans() {
  const terminal = useBackend().terminal;
  const scanner = useQrScanner();
  const [notice, setNotice] = useState<{ message: string; incomplete: boolean } | null>(null);

  useEffect(() => {
    if (!terminal) return;
    let current = true;
    const unsubscribe = terminal.onQrScanned((line) => {
      const symbol = line.trim();
      // 証明書の確認 (`#/staff/verify`) checks what the scanner reads there itself.
      if (!symbol || pathFromHash(window.location.hash) === VERIFY_PATH) return;
      void scanner.scan(symbol).then((result) => {
        if (!current) return;
        setNotice(result.kind === 'failed' ? { message: result.message, incomplete: result.incomplete } : null);
      });
    });
    return () => {
      current = false;
      unsubscribe();
    };
  }, [terminal, scanner]);

  if (!notice) return null;
  return (
    <div
      className={notice.incomplete ? 'scan-notice' : 'error-banner scan-error'}
      role={notice.incomplete ? 'status' : 'alert'}
      aria-label={t('qr.scan.label')}
      data-testid="qr-scan-notice"
    >
      <span>{notice.message}</span>
      <button
        type="button"
        className="button button-secondary button-small"
        onClick={() => setNotice(null)}
        data-testid="qr-scan-dismiss"
      >
        {t('qr.scan.dismiss')}
      </button>
    </div>
  );
}
