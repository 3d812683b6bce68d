//! What the terminal tells the webview about itself: its fixed [`TerminalInfo`] and its changing
//! [`TerminalStatus`] (built and announced in `status.rs`).

use madoguchi_mynumber::ReaderStatus;
use serde::Serialize;

use crate::config::Role;
use crate::update::UpdateOffer;

#[derive(Debug, Clone, Serialize)]
pub struct TerminalInfo {
    pub role: Role,
    pub terminal_id: String,
    pub tenant: String,
    pub counter: Option<String>,
    pub idle_reset_seconds: u32,
    pub languages: Vec<String>,
    pub document_printer: Option<String>,
    pub receipt_printer: Option<String>,
    /// The code an administrator registers to enroll this terminal (its device key's public half).
    pub enrollment_code: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TerminalStatus {
    pub online: bool,
    pub logged_in: bool,
    pub outbox_pending: u64,
    pub outbox_attention: u64,
    pub last_sync_at: Option<String>,
    pub card: ReaderStatus,
    /// A newer version whose signature verified (staff strip, kiosk admin panel; never residents).
    pub update: Option<UpdateOffer>,
    /// Japanese: the server's update file was refused (tampered, unsigned, a rollback …), for the
    /// administrator.
    pub update_refused: Option<String>,
}
