//! The errors the commands answer the webview with: a stable code and a Japanese message, converted
//! from the store's, the client's, the printer's and the card's errors; and the check of the ids the
//! webview sends.

use madoguchi_mynumber::CardError;
use serde::Serialize;

use crate::client::ClientError;
use crate::printer::PrintError;
use crate::store::StoreError;

/// An error for the webview (what a command rejects with): a stable code, a Japanese message and, for
/// a wrong PIN, the tries left.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CommandError {
    /// Stable (docs/terminal-commands.md); the server's own code when it refused a request.
    pub code: String,
    /// Japanese, may be shown as is.
    pub message: String,
    /// Card PIN errors (`wrong_pin`, `last_try`, `blocked`): the tries left.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub tries_left: Option<u8>,
}

impl CommandError {
    pub fn new(code: &str, message: impl Into<String>) -> CommandError {
        CommandError {
            code: code.into(),
            message: message.into(),
            tries_left: None,
        }
    }

    pub(super) fn internal(e: impl std::fmt::Display) -> CommandError {
        tracing::error!(error = %e, "terminal internal error");
        CommandError::new(
            "internal",
            "端末でエラーが発生しました。職員にお声がけください。",
        )
    }
}

impl From<StoreError> for CommandError {
    fn from(e: StoreError) -> Self {
        CommandError::internal(e)
    }
}

impl From<ClientError> for CommandError {
    fn from(e: ClientError) -> Self {
        let code = match &e {
            ClientError::Network(_) => "network".to_owned(),
            ClientError::Status { status: 401, .. } => "unauthorized".to_owned(),
            ClientError::Status { status: 403, .. } => "forbidden".to_owned(),
            ClientError::Status { code, .. } => code.clone(),
            ClientError::Protocol(_) => "internal".to_owned(),
        };
        CommandError::new(&code, e.message_ja())
    }
}

impl From<PrintError> for CommandError {
    fn from(e: PrintError) -> Self {
        tracing::warn!(error = %e, "printing failed");
        CommandError::new("printer", e.message_ja())
    }
}

impl From<crate::signal_tower::TowerError> for CommandError {
    fn from(e: crate::signal_tower::TowerError) -> Self {
        tracing::warn!(error = %e, "signal tower failed");
        CommandError::new("signal_tower", e.message_ja())
    }
}

impl From<CardError> for CommandError {
    fn from(e: CardError) -> Self {
        use madoguchi_mynumber::TransportError as T;
        let (code, tries) = match &e {
            CardError::WrongPin { retries_left } => ("wrong_pin", Some(*retries_left)),
            CardError::LastTry => ("last_try", Some(1)),
            CardError::Blocked => ("blocked", Some(0)),
            CardError::Transport(T::CardRemoved) => ("no_card", None),
            CardError::Transport(T::NoReader) => ("no_reader", None),
            _ => ("card_error", None),
        };
        tracing::info!(code, "card operation failed");
        CommandError {
            code: code.into(),
            message: e.message_ja(),
            tries_left: tries,
        }
    }
}

pub type CommandResult<T> = Result<T, CommandError>;

/// A case or write id from the webview: 8 to 64 ASCII letters, digits, `-` or `_`; `what` names it in
/// the Japanese message.
pub(super) fn check_id(id: &str, what: &str) -> CommandResult<()> {
    let ok = (8..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(CommandError::new(
            "invalid",
            format!("{what}が正しくありません。"),
        ))
    }
}
