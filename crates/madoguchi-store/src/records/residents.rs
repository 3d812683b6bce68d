//! What the store keeps and answers about residents besides the resident itself: searches, 町字,
//! 支援措置 and 資格 from the core systems.

use chrono::NaiveDate;
use madoguchi_core::ids::AtenaNo;
use madoguchi_core::resident::SupportMeasure;

/// A structured resident search. The service layer decides what the user's text means.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResidentQuery {
    /// Exact 宛名番号.
    pub atena_no: Option<AtenaNo>,
    /// Folded kana key (`text::search_key` of katakana): prefix match on the 氏名 reading, then partial.
    pub kana: Option<String>,
    /// Folded name key: partial match on 氏名, 旧氏, 通称 and foreign names.
    pub name: Option<String>,
    pub birth: Option<NaiveDate>,
    /// Folded address key: partial match on the one-line address and 方書. It never matches a resident
    /// of a household under 支援措置 (resident flag, 仮支援措置 or the 支援措置 feed) unless
    /// `address_matches_protected`: otherwise the count of matches would tell a right guess of a protected
    /// address from a wrong one.
    pub address: Option<String>,
    /// The session holds `override_support_measure`: the address predicate may match protected households.
    pub address_matches_protected: bool,
    pub limit: usize,
}

/// SQL condition (both backends) that resident `r` is not in a household with a protected member: the
/// definition `ResidentStore::protected_households` uses.
pub const NOT_IN_PROTECTED_HOUSEHOLD: &str = " AND NOT EXISTS (SELECT 1 FROM residents hm
    WHERE hm.tenant_id = r.tenant_id AND hm.household_no = r.household_no
      AND (hm.support_measure <> 0 OR EXISTS (SELECT 1 FROM support_measures sm
           WHERE sm.tenant_id = hm.tenant_id AND sm.atena_no = hm.atena_no)))";

/// A 町字 of the city, for picking a new address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Town {
    pub town: String,
    pub town_code: Option<String>,
    pub prefecture: String,
    pub city: String,
    pub postal_code: Option<String>,
}

/// One 支援措置対象者 as the 支援措置 feed (`001o009`) states it now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupportMeasureRecord {
    pub atena_no: AtenaNo,
    /// [`SupportMeasure::None`] ends the measure (措置区分 終了, 削除フラグ): the record is removed.
    pub measure: SupportMeasure,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
}

/// A 資格 (qualification) of a resident from the core systems: 国保, 後期高齢, 介護, 国民年金, 児童手当.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QualificationRecord {
    pub atena_no: AtenaNo,
    /// Stable code of the kind (`madoguchi_core` vocabulary: `kokuho`, `kouki`, `kaigo`, `nenkin`,
    /// `jidou_teate`).
    pub kind: String,
    /// 資格取得日.
    pub acquired: Option<NaiveDate>,
    /// 資格喪失日, when it was lost.
    pub lost: Option<NaiveDate>,
}

/// A change of the qualification feed: a record to store, or the removal of one (削除フラグ).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QualificationChange {
    Put(QualificationRecord),
    Remove { atena_no: AtenaNo, kind: String },
}
