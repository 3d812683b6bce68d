//! 印鑑登録 (seal registrations) as the core systems' `inkan` feed states them.

use chrono::NaiveDate;
use madoguchi_core::ids::AtenaNo;

/// A resident's 印鑑登録 (one seal per person), as the `inkan` feed states it now. A 廃止 registration
/// is kept (with its date) until the feed removes it: a certificate must be refused for it, not for
/// "no registration".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealRegistration {
    pub atena_no: AtenaNo,
    /// 印鑑登録番号: 1–12 digits, as the core system writes it (leading zeros kept).
    pub registration_no: String,
    /// 登録年月日.
    pub registered_on: NaiveDate,
    /// 廃止年月日: set when the registration was abolished (登録状態 廃止).
    pub abolished_on: Option<NaiveDate>,
    /// 印影: the image's bytes (PNG or JPEG, at most 64 KB), present for every registration in force.
    pub image: Option<Vec<u8>>,
    /// `png` or `jpeg`, with `image`.
    pub image_type: Option<String>,
    /// The impression's width and height in tenths of a millimetre (80–250: the 8–25 mm square rule),
    /// with `image`.
    pub width_tenth_mm: Option<u16>,
    pub height_tenth_mm: Option<u16>,
}

impl SealRegistration {
    /// In force: registered and not abolished.
    pub fn is_active(&self) -> bool {
        self.abolished_on.is_none()
    }
}

/// A change of the seal feed: a registration to store (one per 宛名番号, replacing the one stored), or
/// the removal of the stored one (削除フラグ).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SealRegistrationChange {
    Put(SealRegistration),
    Remove { atena_no: AtenaNo },
}
