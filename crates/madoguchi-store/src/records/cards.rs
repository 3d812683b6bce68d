//! Serial numbers of residents' 利用者証明用電子証明書 as the core systems' `cards` feed states them.

use chrono::NaiveDate;
use madoguchi_core::ids::AtenaNo;

/// The serial of a resident's My Number card user-authentication certificate (利用者証明用電子証明書),
/// as the `cards` feed states it: what a JPKI user authentication at an issuance station is matched
/// against. A resident may have several (an earlier card's kept with its 失効年月日); a serial names
/// one resident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardSerial {
    pub atena_no: AtenaNo,
    /// The serial as [`madoguchi_core::card_serial::normalize`] gives it (lowercase hex without
    /// leading zeros).
    pub serial: String,
    /// 失効年月日: set when the certificate was revoked.
    pub revoked_on: Option<NaiveDate>,
}

impl CardSerial {
    /// Not revoked.
    pub fn is_active(&self) -> bool {
        self.revoked_on.is_none()
    }
}

/// A change of the card feed: a serial to store (replacing the one stored under the same serial), or
/// the removal of the stored one (削除フラグ).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CardSerialChange {
    Put(CardSerial),
    Remove { serial: String },
}
