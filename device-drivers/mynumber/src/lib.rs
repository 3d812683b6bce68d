//! The My Number card (マイナンバーカード) as the counter terminals use it, over any APDU transport:
//! the 券面事項入力補助AP (基本4情報 and 個人番号 after the 4-digit PIN) and the JPKI-AP
//! (利用者証明用電子証明書, PIN, signature of a server challenge). Protocol facts:
//! `shared/design/mynumber-card.md`.
//!
//! This crate does no I/O: a [`Transport`] carries the APDUs (PC/SC in `madoguchi-card-pcsc`, the
//! virtual card in tests). PINs are held in [`Pin`], which zeroes its buffer when dropped and never
//! prints itself; nothing here logs personal data.

pub mod apdu;
pub mod basic4;
pub mod card;
pub mod pin;
pub mod state;
pub mod tlv;

pub use basic4::{Basic4, CardPerson};
pub use card::{Application, CardError, MyNumberCard, Transport, TransportError};
pub use pin::Pin;
pub use state::{DeviceState, ReaderStatus};
