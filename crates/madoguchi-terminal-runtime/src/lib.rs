//! The counter terminal's runtime, without any window: configuration, the local SQLite store (outbox
//! and reference cache), the server client with the session, the sync executor, the card reader and the
//! printers. The Tauri app (`src-tauri/`) exposes it to the webview as typed commands
//! (`docs/terminal-commands.md`); tests drive it directly.

pub mod client;
pub mod config;
pub mod device_key;
pub mod devices;
pub mod install;
#[cfg(feature = "ts")]
pub mod ipc;
pub mod offline;
pub mod printer;
pub mod receipt_paper;
pub mod runtime;
pub mod signal_tower;
pub mod store;
pub mod sync;
pub mod update;

pub use config::{Role, TerminalConfig};
pub use runtime::{CommandError, Terminal, TerminalInfo, TerminalStatus};
