// The types that cross the desktop app's IPC (docs/terminal-commands.md), generated with ts-rs from
// the Rust types (crates/madoguchi-terminal-runtime/src/ipc.rs). Do not edit: change the Rust types,
// then regenerate with
//   UPDATE_IPC_TYPES=1 cargo test -p madoguchi-terminal-runtime --test ipc
// Field names are the wire's (snake_case). `terminal.ts` re-exports these for the UI.

// Rust: runtime::TerminalInfo
/** What the terminal is set up as (`terminal_info`): fixed while the app runs. */
export type TerminalInfo = {
  role: Role;
  terminal_id: string;
  tenant: string;
  /** Counter code the staff login screen preselects (issuance, staff), or the kiosk's counter. */
  counter: string | null;
  /** Kiosk: back to the start screen after this long without a touch. */
  idle_reset_seconds: number;
  /** Kiosk languages, the first is the default: `['ja', 'en']`. */
  languages: Array<string>;
  document_printer: string | null;
  receipt_printer: string | null;
  /** The signal tower staff's queue lights, if any. */
  signal_tower: string | null;
  /**
   * The code an administrator registers to enroll this terminal (docs/security.md § 8): base32 of
   * the device key's public half and a check byte, 53 characters in groups of four.
   */
  enrollment_code: string;
};

// Rust: config::Role
/** What a terminal is for. */
export type Role = "kiosk" | "staff" | "issuance";

// Rust: runtime::TerminalStatus
/** The terminal's changing state (`terminal_status`, `sync_now`, event `terminal-status`). */
export type TerminalStatus = {
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
  /**
   * A newer version whose Ed25519 signature verified (docs/terminal.md § Updates): shown to staff
   * and the kiosk's unlocked administrator, never to residents.
   */
  update: UpdateOffer | null;
  /**
   * Issuance station: its receipt printer says the paper is out (asked every sync round and at each
   * request), so no 受付票 could come out; the start screen says so and takes nothing.
   */
  receipt_paper_out: boolean;
  /**
   * Japanese: why the server's update file was refused (tampered, unsigned, a rollback …), for the
   * administrator.
   */
  update_refused: string | null;
};

// Rust: update::UpdateOffer
/** A newer signed version of the terminal app (`docs/terminal.md` § Updates): what staff are told. */
export type UpdateOffer = {
  /** `0.2.0`. */
  version: string;
  /** `YYYY-MM-DD`. */
  published: string;
  /** Japanese release notes. */
  notes: string;
  /** Where IT downloads the installer (https). */
  url: string;
  /** SHA-256 of the installer, lowercase hex. */
  sha256: string;
  /** Size of the installer in bytes. */
  size: number;
};

// Rust: ipc::CardStatus (madoguchi_mynumber::ReaderStatus)
/**
 * The card reader's state (`card_status`, `TerminalStatus.card`): the driver's `ReaderStatus` as it
 * serializes. No card data.
 */
export type CardStatus = {
  state: CardState;
  /** The reader's name, when there is one. */
  reader: string | null;
  /** 券面事項入力補助 PIN tries left, when a My Number card is present. */
  text_pin_retries: number | null;
  /** 利用者証明用 (JPKI user authentication) PIN tries left. */
  auth_pin_retries: number | null;
  /** A PIN is blocked (0 tries). */
  blocked: boolean;
  /** Japanese, for the screen. */
  message: string;
};

// Rust: ipc::CardState (madoguchi_mynumber::DeviceState)
/** The driver's `DeviceState` as it serializes. */
export type CardState = "no_reader" | "no_card" | "card_error" | "ready";

// Rust: runtime::ApiAnswer
/**
 * The server's answer to `api_request`: its status and JSON body (a text body, such as a CSV, as a
 * JSON string; `null` when it sent none).
 */
export type ApiResponse = {
  status: number;
  body: unknown;
};

// Rust: runtime::PdfAnswer
/**
 * The server's answer to `api_pdf`: the PDF (base64) when it rendered one (200 `application/pdf`),
 * else its JSON body.
 */
export type ApiPdfResponse = {
  status: number;
  pdf_base64?: string;
  body?: unknown;
  /** 発行番号 of the certificates in the PDF (`POST /api/v1/cases/{case_id}/certificates`). */
  issue_numbers?: Array<string>;
};

// Rust: runtime::FileAnswer
/**
 * The server's answer to `api_file` (a `GET` of a file, such as an application's attachment): its
 * bytes (base64) and media type when it sent one (200, not JSON), else its JSON body.
 */
export type ApiFileResponse = {
  status: number;
  file_base64?: string;
  media_type?: string;
  body?: unknown;
};

// Rust: runtime::CaseSaveResult
/** What became of a case save (`case_save`). */
export type CaseSaveResult = {
  /**
   * `applied`: on the server now; `queued`: in the outbox (offline), sent when the server answers
   * again; `conflict` / `rejected`: the server refused it (`message` says why). The outbox's states
   * (`store.rs`), `pending` answered as `queued` (`Terminal::outcome_of`).
   */
  outcome: "applied" | "queued" | "conflict" | "rejected";
  revision: number | null;
  message: string | null;
};

// Rust: runtime::CardPersonView
/** The card holder's 基本4情報 for the screen (`card_read`; 券面事項入力補助AP). Never the 個人番号. */
export type CardPerson = {
  name: string;
  family_name: string;
  given_name: string;
  address: string;
  prefecture: string;
  city: string;
  address_rest: string;
  /** `YYYY-MM-DD`. */
  birth: string;
  /** `昭和55年1月1日`. */
  birth_wareki: string;
  /** `男`, `女` or empty. */
  sex: string;
};

// Rust: runtime::Verified
/** JPKI user authentication passed (`card_authenticate`): the server verified the card's signature. */
export type CardAuthentication = {
  /** Always `true` (a failure rejects instead). */
  verified: true;
  /** The serial number of the card's user certificate. */
  serial: string;
  /** Names this verification in a case or a station request (once, within 30 minutes). */
  verification_id: string;
};

// Rust: runtime::KioskSubmission
/** A resident's application at the kiosk (`kiosk_submit`'s argument). Unknown fields are refused. */
export type KioskSubmission = {
  /** Client-generated (8–64 of `A-Z a-z 0-9 - _`). */
  case_id: string;
  /** Client-generated (8–64 of `A-Z a-z 0-9 - _`). */
  write_id: string;
  /** The API's `CaseDocument`; its status is always 受付中 (open). */
  document: unknown;
  /** The screen's language; accepted, not used by the runtime. */
  language?: string | null;
};

// Rust: runtime::KioskReceipt
/** What `kiosk_submit` answers. */
export type KioskReceipt = {
  case_id: string;
  /** Short number printed for the resident: the terminal id and a counter, e.g. `kiosk-01-0007`. */
  receipt_no: string;
  /** `false`: kept in the outbox, sent when the server is back. */
  uploaded: boolean;
  /**
   * What was printed (`print_for_resident`): `guide` = 申請内容票 + 手続き案内書 (online), `receipt`
   * = 受付票; empty when nothing could be printed.
   */
  printed: Array<"guide" | "receipt">;
};

// Rust: runtime::StationSubmission
/** A resident's request at the station (`station_request`'s argument). */
export type StationSubmission = {
/**
 * Client-generated (8–64 of `A-Z a-z 0-9 - _`): the same id again answers the same 受付番号.
 */
request_id: string,
/**
 * From `card_authenticate`.
 */
verification_id: string,
/**
 * The API's `StationLine`s.
 */
lines: Array<{ item: string; copies: number; scope?: string | null; items?: Array<string> | null; year?: number | null }>, };

// Rust: runtime::StationTicket
/** What `station_request` answers: the 受付番号 and what the 受付票 printed. */
export type StationTicket = {
  request_id: string;
  /** `0012`. */
  reception_label: string;
  fee_total: number;
  /** The 受付票 came out of the receipt printer; `false`: the resident tells staff the number. */
  printed: boolean;
};

// Rust: runtime::Printed
/** What `print_pdf` answers: the printer the PDF went to. */
export type Printed = {
  printer: string;
};

// Rust: runtime::Signalled
/** What `signal_tower` answers: the tower the signal went to. */
export type Signalled = {
  tower: string;
};

// Rust: runtime::AdminUnlock
/**
 * The answer of `admin_unlock`. The unlock ends by itself 2 minutes after the right PIN
 * (`ADMIN_UNLOCK_TTL`; the window then goes back to full screen), or with `admin_lock`. After 3 wrong
 * PINs in a row each further try waits 30 s, doubling, at most 15 minutes, counted from the last
 * wrong PIN; the right PIN clears the count. While a wait lasts the PIN is not checked. The count is
 * kept in memory (a restart of the app clears it).
 */
export type AdminUnlock = {
  /** The PIN was right: the kiosk may be left (`admin_exit`) for 2 minutes, or until `admin_lock`. */
  unlocked: boolean;
  /**
   * Seconds until the next PIN is checked (0: at once; rounded up): after too many wrong PINs in a
   * row.
   */
  wait_seconds: number;
};

// Rust: runtime::CommandError
/**
 * An error for the webview (what a command rejects with): a stable code, a Japanese message and, for
 * a wrong PIN, the tries left.
 */
export type CommandError = {
  /** Stable (docs/terminal-commands.md); the server's own code when it refused a request. */
  code: string;
  /** Japanese, may be shown as is. */
  message: string;
  /** Card PIN errors (`wrong_pin`, `last_try`, `blocked`): the tries left. */
  tries_left?: number;
};
