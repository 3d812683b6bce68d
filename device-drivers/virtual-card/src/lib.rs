//! **Test double.** A virtual My Number card: the APDU behaviour of the 券面事項入力補助AP and the
//! JPKI-AP (user authentication) as listed in `shared/design/mynumber-card.md` §5, holding data from a
//! JSON file. It serves tests and demos through `vsmartcard-vpcd` under `pcscd` (the binary) or
//! in-process ([`VirtualCard::transmit`]). The product never uses it: only tests and the demo depend on
//! this crate.

pub mod emulator;
pub mod harness;
pub mod pki;
pub mod profile;
pub mod vpcd;

pub use emulator::VirtualCard;
pub use pki::{TestPki, jpki_test_pki};
pub use profile::CardProfile;
