//! 課税 (income and 住民税 per 課税年度) as the core systems' `tax` feed states them.

use madoguchi_core::certificate::tax::TaxYear;
use madoguchi_core::ids::AtenaNo;

/// One person's 課税 for one 年度 (the key: 宛名番号 and `tax.year`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaxRecord {
    pub atena_no: AtenaNo,
    pub tax: TaxYear,
}

/// A change of the tax feed: a person-year to store (replacing the one stored), or the removal of
/// the stored one (削除フラグ).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaxChange {
    Put(TaxRecord),
    Remove { atena_no: AtenaNo, year: i32 },
}
