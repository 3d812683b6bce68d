//! Madoguchi's QR codes: the payload format of its own symbols ([`payload`]: the case id on the
//! 手続き案内書, 事前申請 data), QR generation and the decoding of camera frames ([`symbol`]).
//! Keyboard-wedge (HID) and serial scanners deliver the symbol's text ([`scanner`]); feed each
//! scanned line to [`payload::Assembler::push`] like a decoded frame.

pub mod payload;
pub mod scanner;
pub mod symbol;

pub use payload::{Assembler, Kind, Payload, PayloadError, Signer};
