//! Certificates (証明書) Madoguchi issues itself: what a certificate line asks for, the checks before it
//! is issued, its 発行番号, and the data its template prints.
//!
//! The server allocates the numbers, signs the verification QR and renders the PDF; everything here is
//! pure (the date is passed in).

pub mod counter_items;
pub mod hours;
pub mod inkan;
pub mod juminhyo;
pub mod kisai;
mod number;
pub mod protection;
mod refusal;
pub mod station;
pub mod station_setup;
pub mod tax;

pub use number::{IssueNo, fiscal_year};
pub use refusal::{Refusal, check_subject};

/// 記載事項 that a resident chooses to include (the rest of a certificate's items are always printed).
/// 個人番号 is not one: printing it waits for an owner decision (see `docs/issuance.md` §11).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Item {
    /// 続柄 (to the household head).
    Relation,
    /// 本籍・筆頭者 (Japanese residents).
    Honseki,
    /// 住民票コード.
    JuminhyoCode,
    /// 前住所.
    PreviousAddress,
}

impl Item {
    pub const ALL: [Item; 4] = [
        Item::Relation,
        Item::Honseki,
        Item::JuminhyoCode,
        Item::PreviousAddress,
    ];

    /// Stable code in the case document (`CertificateLine::items`).
    pub fn code(self) -> &'static str {
        match self {
            Item::Relation => "relation",
            Item::Honseki => "honseki",
            Item::JuminhyoCode => "juminhyo_code",
            Item::PreviousAddress => "previous_address",
        }
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            Item::Relation => "続柄",
            Item::Honseki => "本籍・筆頭者",
            Item::JuminhyoCode => "住民票コード",
            Item::PreviousAddress => "前住所",
        }
    }

    pub fn parse(code: &str) -> Option<Item> {
        Item::ALL.into_iter().find(|i| i.code() == code)
    }
}

/// Whom a 住民票の写し covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    /// 世帯全員: every current member of the subject's household (世帯連記式).
    Household,
    /// 本人のみ: the subject alone (個人票).
    Person,
}

impl Scope {
    /// `世帯全員` (also absent or empty) or `本人のみ`.
    pub fn parse(text: Option<&str>) -> Option<Scope> {
        match text.map(str::trim) {
            None | Some("") | Some("世帯全員") => Some(Scope::Household),
            Some("本人のみ") => Some(Scope::Person),
            Some(_) => None,
        }
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            Scope::Household => "世帯全員",
            Scope::Person => "本人のみ",
        }
    }
}

/// The 記載事項 of a line: the standard set (続柄 included) when absent; unknown codes are an error
/// naming the code.
pub fn items(codes: Option<&[String]>) -> Result<Vec<Item>, String> {
    let Some(codes) = codes else {
        return Ok(vec![Item::Relation]);
    };
    codes
        .iter()
        .map(|c| Item::parse(c).ok_or_else(|| format!("記載事項「{c}」はありません。")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_and_items_parse_with_defaults() {
        assert_eq!(Scope::parse(None), Some(Scope::Household));
        assert_eq!(Scope::parse(Some("本人のみ")), Some(Scope::Person));
        assert_eq!(Scope::parse(Some("世帯の一部")), None);
        assert_eq!(items(None), Ok(vec![Item::Relation]));
        assert_eq!(items(Some(&[])), Ok(vec![]));
        assert_eq!(
            items(Some(&["honseki".to_owned(), "juminhyo_code".to_owned()])),
            Ok(vec![Item::Honseki, Item::JuminhyoCode])
        );
        assert_eq!(
            items(Some(&["kojin_bango".to_owned()])),
            Err("記載事項「kojin_bango」はありません。".to_owned())
        );
        for i in Item::ALL {
            assert_eq!(Item::parse(i.code()), Some(i));
        }
    }
}
