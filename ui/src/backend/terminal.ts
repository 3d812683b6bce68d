// Types of the desktop app's terminal commands (Tauri IPC), as `docs/terminal-commands.md` defines
// them: field names are the wire's (snake_case). Types only; `tauri.ts` implements `TerminalApi`,
// tests use `test/FakeTerminal.ts`.
import type { CaseDocument } from '../api/types';

/** What the terminal is set up as: a resident kiosk, a staff counter PC or a certificate counter. */
export type Role = 'kiosk' | 'staff' | 'issuance';

export interface TerminalInfo {
  role: Role;
  terminal_id: string;
  tenant: string;
  /** Counter code the staff login screen preselects (issuance, staff), or the kiosk's counter. */
  counter: string | null;
  /** Kiosk: back to the start screen after this long without a touch. */
  idle_reset_seconds: number;
  /** Kiosk languages, the first is the default: `['ja', 'en']`. */
  languages: string[];
  document_printer: string | null;
  receipt_printer: string | null;
  /** The code an administrator registers to enroll this terminal (53 characters in groups of four). */
  enrollment_code: string;
}

export type CardState = 'no_reader' | 'no_card' | 'card_error' | 'ready';

export interface CardStatus {
  state: CardState;
  reader: string | null;
  /** 券面事項入力補助 PIN tries left. */
  text_pin_retries: number | null;
  /** 利用者証明用 PIN tries left. */
  auth_pin_retries: number | null;
  blocked: boolean;
  /** Japanese, for the screen. */
  message: string;
}

export interface TerminalStatus {
  /** The last request to the server got an answer. */
  online: boolean;
  /** The runtime holds a session (kiosk: its own account). */
  logged_in: boolean;
  /** Saves not yet applied by the server. */
  outbox_pending: number;
  /** Rejected or conflicting saves staff must look at. */
  outbox_attention: number;
  /** RFC 3339. */
  last_sync_at: string | null;
  card: CardStatus;
  /** A newer version whose signature the terminal verified: for staff and the kiosk's administrator only. */
  update: UpdateOffer | null;
  /** Japanese: the server's update file was refused (tampered, unsigned, older …), for the administrator. */
  update_refused: string | null;
}

/** A newer signed version of the terminal app (`docs/terminal.md` § Updates). */
export interface UpdateOffer {
  version: string;
  /** YYYY-MM-DD */
  published: string;
  /** Japanese release notes. */
  notes: string;
  /** Where IT downloads the installer (https). */
  url: string;
  /** SHA-256 of the installer, lowercase hex. */
  sha256: string;
  /** Bytes. */
  size: number;
}

/** 基本4情報 from the card (券面事項入力補助AP). Never the 個人番号 on a kiosk. */
export interface CardPerson {
  name: string;
  family_name: string;
  given_name: string;
  address: string;
  prefecture: string;
  city: string;
  address_rest: string;
  /** YYYY-MM-DD */
  birth: string;
  /** 昭和55年1月1日 */
  birth_wareki: string;
  /** 男 | 女 | '' */
  sex: string;
}

export interface CardAuthentication {
  verified: true;
  serial: string;
}

export interface CaseSaveResult {
  /**
   * applied: on the server now; queued: in the outbox (offline), sent when the server answers
   * again; conflict / rejected: the server refused it (`message` says why).
   */
  outcome: 'applied' | 'queued' | 'conflict' | 'rejected';
  revision: number | null;
  message: string | null;
}

export interface KioskSubmission {
  /** Client-generated (8–64 of A-Z a-z 0-9 - _). */
  case_id: string;
  /** Client-generated. */
  write_id: string;
  /** Its status is always 受付中 (open). */
  document: CaseDocument;
  language: string;
}

export interface KioskReceipt {
  case_id: string;
  /** Short number printed for the resident, e.g. `K-4821`. */
  receipt_no: string;
  /** false: kept in the outbox, sent when the server is back. */
  uploaded: boolean;
  /** guide = 申請内容票 + 手続き案内書 (online); receipt = 受付票. */
  printed: ('guide' | 'receipt')[];
}

/** Answer of `admin_unlock`. */
export interface AdminUnlock {
  /** The PIN was right: the kiosk may be left (`admin_exit`) for 2 minutes, or until `admin_lock`. */
  unlocked: boolean;
  /**
   * Seconds until the next PIN is checked (0: at once). After 3 wrong PINs in a row each further try
   * waits 30 s, doubling, at most 15 minutes; meanwhile the PIN is not checked.
   */
  wait_seconds: number;
}

/** Answer of `api_request`. */
export interface ApiResponse {
  status: number;
  body: unknown;
}

/** Answer of `api_pdf`. */
export interface ApiPdfResponse {
  status: number;
  pdf_base64?: string;
  body?: unknown;
}

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
  | 'internal';

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
  /** Prints a PDF on the terminal's document printer. */
  printPdf(pdf: Blob): Promise<{ printer: string }>;
  syncNow(): Promise<TerminalStatus>;
  unlockAdmin(pin: string): Promise<AdminUnlock>;
  /** Ends the administrator's unlock at once: the kiosk window is full screen and on top again. */
  lockAdmin(): Promise<void>;
  /** Quits the app; refused unless unlocked at that moment. */
  adminExit(): Promise<void>;
}
