//! Madoguchi domain core.
//!
//! **Architecture invariant:** this crate is pure. No I/O, no network, no database and no clock:
//! every "today" is passed in by the caller. Reference tables (eras, kanji variants) are data files
//! compiled in with `include_str!`.

pub mod age;
pub mod arrivals;
pub mod card_serial;
pub mod case;
pub mod case_document;
pub mod certificate;
pub mod enrollment;
pub mod fees;
pub mod household;
pub mod ids;
pub mod kana;
pub mod navigation;
pub mod password;
pub mod permission;
pub mod pre_application;
pub mod registry;
pub mod relationship;
pub mod resident;
pub mod resident_csv;
pub mod signature;
pub mod sync;
pub mod text;
pub mod variants;
pub mod wareki;
