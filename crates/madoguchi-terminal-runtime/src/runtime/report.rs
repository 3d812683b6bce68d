//! What the terminal tells the webview about itself: its fixed [`TerminalInfo`] and its changing
//! [`TerminalStatus`] (built and announced in `status.rs`).

use madoguchi_mynumber::ReaderStatus;
use serde::Serialize;

use crate::config::Role;
use crate::update::UpdateOffer;

/// What the terminal is set up as (`terminal_info`): fixed while the app runs.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TerminalInfo {
    pub role: Role,
    pub terminal_id: String,
    pub tenant: String,
    /// Counter code the staff login screen preselects (issuance, staff), or the kiosk's counter.
    pub counter: Option<String>,
    /// Kiosk: back to the start screen after this long without a touch.
    pub idle_reset_seconds: u32,
    /// Kiosk languages, the first is the default: `['ja', 'en']`.
    pub languages: Vec<String>,
    pub document_printer: Option<String>,
    pub receipt_printer: Option<String>,
    /// The signal tower staff's queue lights, if any.
    pub signal_tower: Option<String>,
    /// The code an administrator registers to enroll this terminal (docs/security.md § 8): base32 of
    /// the device key's public half and a check byte, 53 characters in groups of four.
    pub enrollment_code: String,
}

/// The terminal's changing state (`terminal_status`, `sync_now`, event `terminal-status`).
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TerminalStatus {
    /// The last request to the server got an answer.
    pub online: bool,
    /// The runtime holds a session (kiosk: its own account).
    pub logged_in: bool,
    /// Saves not yet applied by the server.
    pub outbox_pending: u64,
    /// Rejected or conflicting saves staff must look at.
    pub outbox_attention: u64,
    /// RFC 3339.
    pub last_sync_at: Option<String>,
    #[cfg_attr(feature = "ts", ts(as = "crate::ipc::CardStatus"))]
    pub card: ReaderStatus,
    /// A newer version whose Ed25519 signature verified (docs/terminal.md § Updates): shown to staff
    /// and the kiosk's unlocked administrator, never to residents.
    pub update: Option<UpdateOffer>,
    /// Issuance station: its receipt printer says the paper is out (asked every sync round and at each
    /// request), so no 受付票 could come out; the start screen says so and takes nothing.
    pub receipt_paper_out: bool,
    /// Japanese: why the server's update file was refused (tampered, unsigned, a rollback …), for the
    /// administrator.
    pub update_refused: Option<String>,
}
