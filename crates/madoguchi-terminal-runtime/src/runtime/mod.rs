//! The terminal runtime: what the app's commands call. [`Terminal`] holds the configuration, the local
//! store, the session with the server (the token never leaves it), the card reader and the printers,
//! and runs the sync. Every method is blocking; the app calls them off its UI thread.
//!
//! One concern per file, each adding its methods to [`Terminal`]:
//! - `state` — the struct, what it holds and how it is opened;
//! - `error` — [`CommandError`], the webview's `{code, message}`;
//! - `report`, `status` — [`TerminalInfo`], [`TerminalStatus`] and their announcement;
//! - `session` — login (signed with the device key), logout, the kiosk's own session;
//! - `api` — the webview's `/api/v1/…` requests and their offline answers from the cache;
//! - `outbox` — case saves through the outbox and their outcomes;
//! - `worker`, `sync_port` — sync rounds, the worker thread, and the port `sync::round` runs through;
//! - `updates` — the signed update check;
//! - `device_report` — the devices and their state, reported to the server when they change;
//! - `card` — the My Number card: 基本4情報 and JPKI authentication;
//! - `printing` — the document and receipt printers;
//! - `kiosk`, `admin_lock` — a resident's application, the administrator's unlock and its back-off;
//! - `station` — a resident's certificate request at an issuance station and its 受付票.

mod admin_lock;
mod api;
mod card;
mod device_report;
mod error;
mod kiosk;
mod outbox;
mod printing;
mod report;
mod session;
mod state;
mod station;
mod status;
mod sync_port;
mod updates;
mod worker;

pub use admin_lock::{
    ADMIN_PIN_FIRST_WAIT, ADMIN_PIN_FREE_TRIES, ADMIN_PIN_MAX_WAIT, ADMIN_UNLOCK_TTL, AdminUnlock,
};
pub use api::{ApiAnswer, FileAnswer, PdfAnswer};
pub use card::{CardPersonView, Verified};
pub use device_report::DEVICES_PATH;
pub use error::{CommandError, CommandResult};
pub use kiosk::{KioskReceipt, KioskSubmission};
pub use outbox::CaseSaveResult;
pub use printing::{Printed, Signalled};
pub use report::{TerminalInfo, TerminalStatus};
pub use state::{STORE_FILE, Terminal, now_ms};
pub use station::{StationSubmission, StationTicket};
