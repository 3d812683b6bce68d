//! The 住民記録 items a counter needs (data-standards §1.4), as plain domain types.

use chrono::{Datelike, NaiveDate};

use crate::ids::AtenaNo;
use crate::registry::RegistryItems;
use crate::relationship::Relation;
use crate::wareki::to_wareki;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    /// `男` / `女`, or the codes `1` / `2`.
    pub fn parse(s: &str) -> Option<Sex> {
        match s.trim() {
            "男" | "1" => Some(Sex::Male),
            "女" | "2" => Some(Sex::Female),
            _ => None,
        }
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            Sex::Male => "男",
            Sex::Female => "女",
        }
    }
}

/// 住民種別.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResidentKind {
    /// 日本人住民 (code 1)
    Japanese,
    /// 外国人住民 (code 2)
    Foreign,
}

impl ResidentKind {
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "日本人住民" | "1" => Some(ResidentKind::Japanese),
            "外国人住民" | "2" => Some(ResidentKind::Foreign),
            _ => None,
        }
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            ResidentKind::Japanese => "日本人住民",
            ResidentKind::Foreign => "外国人住民",
        }
    }
}

/// 住民状態.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResidentStatus {
    /// 住民 (1)
    Resident,
    /// 転出 (2)
    MovedOut,
    /// 死亡 (3)
    Deceased,
    /// 消除 (4)
    Removed,
}

impl ResidentStatus {
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "住民" | "1" => Some(ResidentStatus::Resident),
            "転出" | "2" => Some(ResidentStatus::MovedOut),
            "死亡" | "3" => Some(ResidentStatus::Deceased),
            "消除" | "4" => Some(ResidentStatus::Removed),
            _ => None,
        }
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            ResidentStatus::Resident => "住民",
            ResidentStatus::MovedOut => "転出",
            ResidentStatus::Deceased => "死亡",
            ResidentStatus::Removed => "消除",
        }
    }
}

/// 生年月日, possibly 不詳 (with the text as registered and, when known, an internal date).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum BirthDate {
    Known(NaiveDate),
    Unknown {
        text: String,
        internal: Option<NaiveDate>,
    },
}

impl BirthDate {
    /// The date to compute with (the internal date when 不詳).
    pub fn date(&self) -> Option<NaiveDate> {
        match self {
            BirthDate::Known(d) => Some(*d),
            BirthDate::Unknown { internal, .. } => *internal,
        }
    }

    /// For screens and certificates: 和暦 for Japanese residents, 西暦 for foreign residents
    /// (住記 §1.3.6), the registered text when 不詳.
    pub fn display_ja(&self, kind: ResidentKind) -> String {
        match self {
            BirthDate::Unknown { text, .. } => text.clone(),
            BirthDate::Known(d) => match kind {
                ResidentKind::Foreign => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
                ResidentKind::Japanese => to_wareki(*d).map_or_else(
                    |_| format!("{}年{}月{}日", d.year(), d.month(), d.day()),
                    |w| w.to_string(),
                ),
            },
        }
    }
}

/// Name items. `full` is 氏名 as registered (氏 + U+3000 + 名 for Japanese residents).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Name {
    pub full: String,
    pub surname: Option<String>,
    pub given: Option<String>,
    /// 氏名_フリガナ (full-width katakana).
    pub kana: Option<String>,
    pub surname_kana: Option<String>,
    pub given_kana: Option<String>,
    /// 旧氏
    pub former_surname: Option<String>,
    pub former_surname_kana: Option<String>,
    /// 通称 (foreign residents)
    pub alias: Option<String>,
    pub alias_kana: Option<String>,
    pub foreign_romaji: Option<String>,
    pub foreign_kanji: Option<String>,
}

/// 住所, split as the standard does. 方書 is kept apart and always printed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Address {
    /// 市区町村コード (6 digits with check digit).
    pub city_code: String,
    /// 町字コード (7 digits, ABR 町字ID).
    pub town_code: Option<String>,
    pub prefecture: String,
    pub city: String,
    /// 町字
    pub town: String,
    /// 番地号表記
    pub banchi: Option<String>,
    /// 方書
    pub katagaki: Option<String>,
    /// 7 digits, no hyphen.
    pub postal_code: Option<String>,
}

impl Address {
    /// 都道府県 + 市区郡町村名 + 町字 + 番地号, then 方書 after an ideographic space.
    pub fn one_line(&self) -> String {
        let mut s = format!(
            "{}{}{}{}",
            self.prefecture,
            self.city,
            self.town,
            self.banchi.as_deref().unwrap_or("")
        );
        if let Some(k) = self.katagaki.as_deref().filter(|k| !k.is_empty()) {
            s.push('\u{3000}');
            s.push_str(k);
        }
        s
    }
}

/// Foreign-resident items.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ForeignInfo {
    /// 国籍・地域
    pub nationality: String,
    /// 在留資格
    pub status_of_residence: Option<String>,
    /// 在留期間
    pub period_of_stay: Option<String>,
    /// 在留期間の満了の日 (shown in 西暦)
    pub expiry: Option<NaiveDate>,
}

/// One resident as the counter sees them.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Resident {
    pub atena_no: AtenaNo,
    pub household_no: AtenaNo,
    pub kind: ResidentKind,
    pub status: ResidentStatus,
    pub name: Name,
    pub birth: BirthDate,
    pub sex: Sex,
    /// 続柄 to the household head.
    pub relation: Relation,
    pub address: Address,
    /// 住民となった年月日
    pub became_resident_on: Option<NaiveDate>,
    /// 住所を定めた年月日 (住定日)
    pub address_fixed_on: Option<NaiveDate>,
    pub foreign: Option<ForeignInfo>,
    /// 支援措置 (DV, stalking, abuse) or 仮支援措置: the address must not be disclosed to third parties.
    pub support_measure: SupportMeasure,
    /// 本籍・筆頭者, 住民票コード, 前住所: printed on a certificate only when requested.
    pub registry: RegistryItems,
}

/// Whether a resident is protected by 支援措置 (住民記録システム標準仕様書 §3.4). A 仮支援措置 (provisional)
/// protects from the request until the decision, exactly like a decided one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SupportMeasure {
    #[default]
    None,
    /// 仮支援措置: requested, not yet decided.
    Provisional,
    /// 支援措置: decided.
    Active,
}

impl SupportMeasure {
    /// The address is protected (either kind).
    pub fn is_protected(self) -> bool {
        self != SupportMeasure::None
    }

    /// Stored code: 0 none, 1 支援措置, 2 仮支援措置.
    pub fn code(self) -> i64 {
        match self {
            SupportMeasure::None => 0,
            SupportMeasure::Active => 1,
            SupportMeasure::Provisional => 2,
        }
    }

    /// From a stored code; unknown codes protect (deny by default).
    pub fn from_code(code: i64) -> Self {
        match code {
            0 => SupportMeasure::None,
            2 => SupportMeasure::Provisional,
            _ => SupportMeasure::Active,
        }
    }

    pub fn label_ja(self) -> Option<&'static str> {
        match self {
            SupportMeasure::None => None,
            SupportMeasure::Provisional => Some("仮支援措置"),
            SupportMeasure::Active => Some("支援措置"),
        }
    }
}

impl Resident {
    pub fn age_on(&self, on: NaiveDate) -> Option<u32> {
        self.birth.date().and_then(|b| crate::age::age_on(b, on))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_labels() {
        assert_eq!(Sex::parse("2"), Some(Sex::Female));
        assert_eq!(Sex::parse("女"), Some(Sex::Female));
        assert_eq!(Sex::parse("F"), None);
        assert_eq!(
            ResidentKind::parse("外国人住民"),
            Some(ResidentKind::Foreign)
        );
        assert_eq!(ResidentStatus::parse("3"), Some(ResidentStatus::Deceased));
        assert_eq!(ResidentStatus::Removed.label_ja(), "消除");
    }

    #[test]
    fn birth_display_depends_on_kind() {
        let b = BirthDate::Known(NaiveDate::from_ymd_opt(2019, 5, 1).expect("d"));
        assert_eq!(b.display_ja(ResidentKind::Japanese), "令和元年5月1日");
        assert_eq!(b.display_ja(ResidentKind::Foreign), "2019年5月1日");
        let u = BirthDate::Unknown {
            text: "大正5年頃".into(),
            internal: NaiveDate::from_ymd_opt(1916, 7, 1),
        };
        assert_eq!(u.display_ja(ResidentKind::Japanese), "大正5年頃");
        assert_eq!(u.date(), NaiveDate::from_ymd_opt(1916, 7, 1));
    }

    #[test]
    fn address_one_line_keeps_katagaki_apart() {
        let mut a = Address {
            city_code: "102121".into(),
            prefecture: "群馬県".into(),
            city: "みどり市".into(),
            town: "笠懸町阿左美".into(),
            banchi: Some("1234番地".into()),
            ..Default::default()
        };
        assert_eq!(a.one_line(), "群馬県みどり市笠懸町阿左美1234番地");
        a.katagaki = Some("ハイツ101".into());
        assert_eq!(
            a.one_line(),
            "群馬県みどり市笠懸町阿左美1234番地\u{3000}ハイツ101"
        );
    }
}
