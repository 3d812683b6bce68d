import { TerminalError } from '../backend/Backend';
import type {
  AdminUnlock,
  CardAuthentication,
  CardPerson,
  CardStatus,
  KioskReceipt,
  KioskSubmission,
  Signalled,
  StationSubmission,
  StationTicket,
  TerminalApi,
  TerminalInfo,
  TerminalStatus,
  UpdateOffer,
} from '../backend/terminal';

/** Handlers a test supplies for the terminal commands it is about. */
export type FakeTerminalHandlers = Partial<Omit<TerminalApi, 'onStatus' | 'onQrScanned'>>;

export const kioskInfo: TerminalInfo = {
  role: 'kiosk',
  terminal_id: 'kiosk-01',
  tenant: 'demo',
  counter: 'kiosk',
  idle_reset_seconds: 60,
  languages: ['ja', 'en'],
  document_printer: 'doc',
  signal_tower: null,
  receipt_printer: 'receipt',
  enrollment_code: 'ABCD EFGH IJKL MNOP QRST UVWX YZ23 4567 ABCD EFGH IJKL MNOP QRST U',
};

export const readyCard: CardStatus = {
  state: 'ready',
  reader: 'Virtual Reader',
  text_pin_retries: 3,
  auth_pin_retries: 3,
  blocked: false,
  message: 'カードを読み取れます',
};

export const onlineStatus: TerminalStatus = {
  online: true,
  logged_in: true,
  outbox_pending: 0,
  outbox_attention: 0,
  last_sync_at: '2026-11-23T00:00:00Z',
  card: readyCard,
  update: null,
  update_refused: null,
  receipt_paper_out: false,
};

/** A newer signed version, as the runtime offers it after verifying its signature. */
export const updateOffer: UpdateOffer = {
  version: '0.2.0',
  published: '2026-11-23',
  notes: 'カード読取の安定性を改善しました。\n印刷の待ち時間を短くしました。',
  url: 'https://updates.example.lg.jp/madoguchi-terminal-0.2.0.msi',
  sha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  size: 21_700_000,
};

export const cardHolder: CardPerson = {
  name: '山田 太郎',
  family_name: '山田',
  given_name: '太郎',
  address: '東京都世田谷区太子堂二丁目5番8号',
  prefecture: '東京都',
  city: '世田谷区',
  address_rest: '太子堂二丁目5番8号',
  birth: '1980-01-01',
  birth_wareki: '昭和55年1月1日',
  sex: '男',
};

/**
 * A `TerminalApi` for component tests: calls are recorded in `calls`; `emitStatus` pushes a status
 * to the `onStatus` listeners, `emitQrScanned` a serial scanner's line to the `onQrScanned` ones.
 * Defaults: a kiosk, online, a card ready; `kioskSubmit` answers an uploaded receipt; `readCard`,
 * `authenticateCard` and `unlockAdmin` reject unless stubbed.
 */
export class FakeTerminal implements TerminalApi {
  readonly calls: Array<{ method: keyof TerminalApi; args: unknown[] }> = [];
  private readonly listeners = new Set<(s: TerminalStatus) => void>();
  private readonly qrListeners = new Set<(line: string) => void>();

  constructor(
    private readonly handlers: FakeTerminalHandlers = {},
    public infoValue: TerminalInfo = kioskInfo,
    public statusValue: TerminalStatus = onlineStatus,
  ) {}

  callsOf(method: keyof TerminalApi): unknown[][] {
    return this.calls.filter((c) => c.method === method).map((c) => c.args);
  }

  emitStatus(status: TerminalStatus): void {
    this.statusValue = status;
    for (const listener of [...this.listeners]) listener(status);
  }

  /** A line read by the counter's serial QR scanner (event `qr-scanned`). */
  emitQrScanned(line: string): void {
    for (const listener of [...this.qrListeners]) listener(line);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  get qrListenerCount(): number {
    return this.qrListeners.size;
  }

  private record(method: keyof TerminalApi, args: unknown[]): void {
    this.calls.push({ method, args });
  }

  info(): Promise<TerminalInfo> {
    this.record('info', []);
    return this.handlers.info?.() ?? Promise.resolve(this.infoValue);
  }

  status(): Promise<TerminalStatus> {
    this.record('status', []);
    return this.handlers.status?.() ?? Promise.resolve(this.statusValue);
  }

  onStatus(listener: (status: TerminalStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onQrScanned(listener: (line: string) => void): () => void {
    this.qrListeners.add(listener);
    return () => this.qrListeners.delete(listener);
  }

  cardStatus(): Promise<CardStatus> {
    this.record('cardStatus', []);
    return this.handlers.cardStatus?.() ?? Promise.resolve(this.statusValue.card);
  }

  readCard(pin: string, confirmLastTry?: boolean): Promise<CardPerson> {
    this.record('readCard', [pin, confirmLastTry]);
    return this.handlers.readCard?.(pin, confirmLastTry) ?? notStubbed('readCard');
  }

  authenticateCard(pin: string, confirmLastTry?: boolean): Promise<CardAuthentication> {
    this.record('authenticateCard', [pin, confirmLastTry]);
    return this.handlers.authenticateCard?.(pin, confirmLastTry) ?? notStubbed('authenticateCard');
  }

  kioskSubmit(submission: KioskSubmission): Promise<KioskReceipt> {
    this.record('kioskSubmit', [submission]);
    return (
      this.handlers.kioskSubmit?.(submission) ??
      Promise.resolve({ case_id: submission.case_id, receipt_no: 'K-0001', uploaded: true, printed: ['guide'] })
    );
  }

  stationRequest(submission: StationSubmission): Promise<StationTicket> {
    this.record('stationRequest', [submission]);
    return this.handlers.stationRequest?.(submission) ?? notStubbed('stationRequest');
  }

  printPdf(pdf: Blob): Promise<{ printer: string }> {
    this.record('printPdf', [pdf]);
    return this.handlers.printPdf?.(pdf) ?? Promise.resolve({ printer: 'doc' });
  }

  signalTower(signal: 'alert' | 'off'): Promise<Signalled> {
    this.record('signalTower', [signal]);
    return this.handlers.signalTower?.(signal) ?? Promise.resolve({ tower: 'mock' });
  }

  syncNow(): Promise<TerminalStatus> {
    this.record('syncNow', []);
    return this.handlers.syncNow?.() ?? Promise.resolve(this.statusValue);
  }

  unlockAdmin(pin: string): Promise<AdminUnlock> {
    this.record('unlockAdmin', [pin]);
    return this.handlers.unlockAdmin?.(pin) ?? notStubbed('unlockAdmin');
  }

  lockAdmin(): Promise<void> {
    this.record('lockAdmin', []);
    return this.handlers.lockAdmin?.() ?? Promise.resolve();
  }

  adminExit(): Promise<void> {
    this.record('adminExit', []);
    return this.handlers.adminExit?.() ?? Promise.resolve();
  }
}

function notStubbed(method: string): Promise<never> {
  return Promise.reject(new TerminalError('internal', `FakeTerminal.${method} is not stubbed`));
}
