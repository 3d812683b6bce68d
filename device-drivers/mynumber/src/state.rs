//! The state of a card reader as anyone may query it at any time (events only announce changes).

use serde::Serialize;

/// `no_reader | no_card | card_error | ready`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeviceState {
    NoReader,
    NoCard,
    CardError,
    Ready,
}

/// A reader's state, with what the counter shows about the card. No card data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReaderStatus {
    pub state: DeviceState,
    /// The reader's name, when there is one.
    pub reader: Option<String>,
    /// Tries left on the 券面事項入力補助 PIN, when a My Number card is present.
    pub text_pin_retries: Option<u8>,
    /// Tries left on the JPKI user-authentication PIN.
    pub auth_pin_retries: Option<u8>,
    /// A PIN is blocked (0 tries).
    pub blocked: bool,
    /// Japanese text for the screen.
    pub message: String,
}

impl ReaderStatus {
    pub fn new(state: DeviceState, reader: Option<String>) -> Self {
        let message = match state {
            DeviceState::NoReader => "カードリーダーが接続されていません。",
            DeviceState::NoCard => "カードをリーダーに置いてください。",
            DeviceState::CardError => "カードを読み取れません。置き直してください。",
            DeviceState::Ready => "カードを読み取れます。",
        }
        .to_owned();
        ReaderStatus {
            state,
            reader,
            text_pin_retries: None,
            auth_pin_retries: None,
            blocked: false,
            message,
        }
    }
}
