// Types of the desktop app's terminal commands (Tauri IPC, `docs/terminal-commands.md`). The types
// that cross the IPC are generated from the Rust types (`ipc.generated.ts`, never edited by hand) and
// re-exported here under the names the UI uses; field names are the wire's (snake_case). Only
// `KioskSubmission` is narrowed: its `document` is the API's `CaseDocument` (Rust takes any JSON).
// Types only; `tauri.ts` implements `TerminalApi`, tests use `test/FakeTerminal.ts`.
import type { CaseDocument } from '../api/types';
import type {
  AdminUnlock,
  CardAuthentication,
  CardPerson,
  CardStatus,
  KioskReceipt,
  KioskSubmission as IpcKioskSubmission,
  Printed,
  Signalled,
  StationSubmission,
  StationTicket,
  TerminalInfo,
  TerminalStatus,
} from './ipc.generated';

export type {
  AdminUnlock,
  ApiFileResponse,
  ApiPdfResponse,
  ApiResponse,
  CardAuthentication,
  CardPerson,
  CardState,
  CardStatus,
  CaseSaveResult,
  CommandError,
  KioskReceipt,
  Printed,
  Role,
  Signalled,
  StationSubmission,
  StationTicket,
  TerminalInfo,
  TerminalStatus,
  UpdateOffer,
} from './ipc.generated';

/** `kiosk_submit`'s argument, its `document` the API's `CaseDocument` (status always 受付中, open). */
export type KioskSubmission = Omit<IpcKioskSubmission, 'document'> & { document: CaseDocument };

/** The stable codes a terminal command rejects with. */
export type TerminalErrorCode =
  | 'network'
  | 'unauthorized'
  | 'forbidden'
  | 'wrong_pin'
  | 'last_try'
  | 'blocked'
  | 'no_card'
  | 'no_reader'
  | 'card_error'
  | 'printer'
  | 'invalid'
  | 'not_allowed'
  | 'internal'
  /** `kiosk_submit`: the server refused the application. */
  | 'rejected'
  /** `terminal_info`: the app started without a usable configuration (the message says why). */
  | 'terminal_config';

/**
 * The terminal's own devices and runtime (desktop app only: `Backend.terminal`). Every method
 * rejects with a `TerminalError`.
 */
export interface TerminalApi {
  info(): Promise<TerminalInfo>;
  status(): Promise<TerminalStatus>;
  /** Called with every new status (event `terminal-status`); returns an unsubscribe function. */
  onStatus(listener: (status: TerminalStatus) => void): () => void;
  /**
   * Called with every line the counter's serial QR scanner reads (event `qr-scanned`, payload the
   * line as a string); returns an unsubscribe function. Nothing is emitted without a scanner.
   */
  onQrScanned(listener: (line: string) => void): () => void;
  cardStatus(): Promise<CardStatus>;
  /** Reads the card's 基本4情報 with its 4-digit 券面事項入力補助 PIN. */
  readCard(pin: string, confirmLastTry?: boolean): Promise<CardPerson>;
  /** Verifies the 利用者証明用 PIN. */
  authenticateCard(pin: string, confirmLastTry?: boolean): Promise<CardAuthentication>;
  kioskSubmit(submission: KioskSubmission): Promise<KioskReceipt>;
  /** The issuance station's request (after `authenticateCard`), its 受付票 printed by the runtime. */
  stationRequest(submission: StationSubmission): Promise<StationTicket>;
  /** Prints a PDF on the terminal's document printer. */
  printPdf(pdf: Blob): Promise<Printed>;
  /** Lights (`alert`) or clears (`off`) the back office's signal tower (表示灯); answers its label. */
  signalTower(signal: 'alert' | 'off'): Promise<Signalled>;
  syncNow(): Promise<TerminalStatus>;
  unlockAdmin(pin: string): Promise<AdminUnlock>;
  /** Ends the administrator's unlock at once: the kiosk window is full screen and on top again. */
  lockAdmin(): Promise<void>;
  /** Quits the app; refused unless unlocked at that moment. */
  adminExit(): Promise<void>;
}
