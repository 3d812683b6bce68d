//! Madoguchi's QR symbols as devices see them: QR generation and the decoding of camera frames
//! ([`symbol`]); keyboard-wedge (HID) and serial scanners deliver the symbol's text ([`scanner`]). What a
//! symbol's text means — the payload format — is the crate `madoguchi-qr-payload`: feed each scanned
//! line to its `Assembler::push` like a decoded frame.

pub mod scanner;
pub mod symbol;
