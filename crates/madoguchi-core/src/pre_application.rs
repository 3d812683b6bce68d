//! 事前申請: what a resident enters on their phone before coming (the event, 手続きナビ's answers, the
//! household, the address), carried to the counter in a signed QR code (kind `pre_application`,
//! `docs/qr-payload.md`) or sent to the server under a 受付番号.
//!
//! The QR body is [`Body`]: the city, the day the server signed it and the [`Entries`]. A body is
//! good for [`VALID_DAYS`] days from that day; a sent application is kept as long.
//!
//! ```
//! use chrono::NaiveDate;
//! use madoguchi_core::pre_application::{Body, Entries, Member};
//! let day = NaiveDate::from_ymd_opt(2026, 4, 1).unwrap();
//! let entries = Entries {
//!     event: "転入".into(),
//!     members: vec![Member { name: "桜野 一郎".into(), kana: "サクラノ イチロウ".into(),
//!         birth: NaiveDate::from_ymd_opt(1990, 5, 1).unwrap(), relation: "世帯主".into(),
//!         ..Member::default() }],
//!     ..Entries::default()
//! };
//! assert!(entries.validate(day).is_ok());
//! let body = Body { tenant: "sakurano".into(), issued: day, entries };
//! assert!(!body.is_expired(day + chrono::Days::new(30)));
//! assert!(body.is_expired(day + chrono::Days::new(31)));
//! ```

pub mod number;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::navigation::Answer;

/// Days a signed QR body, and a sent application, stay usable after the day they were made.
pub const VALID_DAYS: u64 = 30;
/// Most people one application may carry.
pub const MAX_MEMBERS: usize = 10;
/// Longest free text (a name, an address, a 番地) in characters.
pub const MAX_TEXT: usize = 100;

/// The life events a resident may prepare on the phone (the 届出 kinds of the case document;
/// `証明書` for a certificate request alone).
pub const EVENTS: &[&str] = &["転入", "転居", "転出", "出生", "死亡", "婚姻", "証明書"];

/// A person of the household as the resident typed them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Member {
    /// Name as written (漢字, or as on the 在留カード).
    pub name: String,
    /// Name in katakana.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub kana: String,
    /// Name in Latin letters (foreign residents; printed alongside on forms with a field for it).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub romaji: String,
    /// ISO date.
    pub birth: NaiveDate,
    /// 男 | 女 | empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sex: String,
    /// 続柄 to the applicant (the first member, 世帯主 or 本人).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub relation: String,
    /// Subject of the event (moves, is born, dies, marries).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub mover: bool,
}

impl Default for Member {
    fn default() -> Self {
        Member {
            name: String::new(),
            kana: String::new(),
            romaji: String::new(),
            birth: NaiveDate::from_ymd_opt(2000, 1, 1).expect("a valid date"),
            sex: String::new(),
            relation: String::new(),
            mover: true,
        }
    }
}

/// An address in the city, picked from its 町字 list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CityAddress {
    pub town: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub town_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    /// 番地 (`1-2-3`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub banchi: String,
    /// 方書 (building, room).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub katagaki: String,
}

/// What the resident entered. Empty fields are left out of the JSON: the QR code stays short.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Entries {
    /// One of [`EVENTS`].
    pub event: String,
    /// 国内 / 国外 for 転入 and 転出.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub detail: String,
    /// The day of the event (the move, the birth …), when the resident gave it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_date: Option<NaiveDate>,
    /// The language the resident used (`ja`, `vi` …): the staff may want to greet them in it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub language: String,
    /// 手続きナビ's answers by question id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub answers: BTreeMap<String, Answer>,
    /// The applicant first, then the household.
    pub members: Vec<Member>,
    /// The address before the event as typed (転入: the previous city's address).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub old_address: String,
    /// The new address in the city (転入, 転居).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_address: Option<CityAddress>,
    /// 転出: where to, as typed.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub destination: String,
    /// Certificates wanted (names as the city lists them), `証明書` or any event.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub certificates: Vec<String>,
    /// A telephone number the city may call back, optional.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub phone: String,
}

/// Why entries cannot be signed or sent (Japanese for the resident, through the UI's i18n codes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntriesError {
    UnknownEvent,
    NoMembers,
    TooManyMembers,
    NoName,
    BirthInFuture,
    TooLong,
}

impl EntriesError {
    /// Stable code for the API (`invalid_entries` detail).
    pub fn code(&self) -> &'static str {
        match self {
            EntriesError::UnknownEvent => "unknown_event",
            EntriesError::NoMembers => "no_members",
            EntriesError::TooManyMembers => "too_many_members",
            EntriesError::NoName => "no_name",
            EntriesError::BirthInFuture => "birth_in_future",
            EntriesError::TooLong => "too_long",
        }
    }

    pub fn message_ja(&self) -> String {
        match self {
            EntriesError::UnknownEvent => "できごとを選んでください。".into(),
            EntriesError::NoMembers => "申請する人を1人以上入力してください。".into(),
            EntriesError::TooManyMembers => {
                format!("一度に申請できるのは{MAX_MEMBERS}人までです。")
            }
            EntriesError::NoName => "お名前が入力されていない人がいます。".into(),
            EntriesError::BirthInFuture => "生年月日が未来の日付になっています。".into(),
            EntriesError::TooLong => format!("{MAX_TEXT}文字を超える入力があります。"),
        }
    }
}

impl Entries {
    /// Checks what a phone sent (`today` in JST).
    pub fn validate(&self, today: NaiveDate) -> Result<(), EntriesError> {
        if !EVENTS.contains(&self.event.as_str()) {
            return Err(EntriesError::UnknownEvent);
        }
        if self.members.is_empty() {
            return Err(EntriesError::NoMembers);
        }
        if self.members.len() > MAX_MEMBERS {
            return Err(EntriesError::TooManyMembers);
        }
        if self.members.iter().any(|m| m.name.trim().is_empty()) {
            return Err(EntriesError::NoName);
        }
        if self.members.iter().any(|m| m.birth > today) {
            return Err(EntriesError::BirthInFuture);
        }
        if self.texts().any(|t| t.chars().count() > MAX_TEXT) || self.certificates.len() > 20 {
            return Err(EntriesError::TooLong);
        }
        Ok(())
    }

    fn texts(&self) -> impl Iterator<Item = &str> {
        let people = self
            .members
            .iter()
            .flat_map(|m| [&m.name, &m.kana, &m.romaji, &m.sex, &m.relation].map(String::as_str));
        let address = self
            .new_address
            .iter()
            .flat_map(|a| [&a.town, &a.banchi, &a.katagaki].map(String::as_str));
        [
            &self.detail,
            &self.language,
            &self.old_address,
            &self.destination,
            &self.phone,
        ]
        .map(String::as_str)
        .into_iter()
        .chain(people)
        .chain(address)
        .chain(self.certificates.iter().map(String::as_str))
    }

    /// The applicant (the first member).
    pub fn applicant(&self) -> Option<&Member> {
        self.members.first()
    }
}

/// The body of a `pre_application` QR code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Body {
    /// The city (tenant id) that signed it.
    pub tenant: String,
    /// The day (JST) the server signed it.
    pub issued: NaiveDate,
    pub entries: Entries,
}

impl Body {
    /// Past [`VALID_DAYS`] after the day it was signed.
    pub fn is_expired(&self, today: NaiveDate) -> bool {
        today > self.issued + chrono::Days::new(VALID_DAYS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("test value")
    }

    fn entries() -> Entries {
        Entries {
            event: "転入".into(),
            members: vec![Member {
                name: "桜野 一郎".into(),
                birth: day(1990, 5, 1),
                ..Member::default()
            }],
            ..Entries::default()
        }
    }

    #[test]
    fn bad_entries_are_refused_with_a_reason() {
        let today = day(2026, 4, 1);
        let mut e = entries();
        e.event = "結婚".into();
        assert_eq!(e.validate(today), Err(EntriesError::UnknownEvent));
        let mut e = entries();
        e.members.clear();
        assert_eq!(e.validate(today), Err(EntriesError::NoMembers));
        let mut e = entries();
        e.members[0].name = "  ".into();
        assert_eq!(e.validate(today), Err(EntriesError::NoName));
        let mut e = entries();
        e.members[0].birth = day(2026, 4, 2);
        assert_eq!(e.validate(today), Err(EntriesError::BirthInFuture));
        let mut e = entries();
        e.old_address = "あ".repeat(MAX_TEXT + 1);
        assert_eq!(e.validate(today), Err(EntriesError::TooLong));
        let mut e = entries();
        e.members = vec![e.members[0].clone(); MAX_MEMBERS + 1];
        assert_eq!(e.validate(today), Err(EntriesError::TooManyMembers));
    }

    #[test]
    fn a_body_reads_back_as_written() {
        let body = Body {
            tenant: "sakurano".into(),
            issued: day(2026, 4, 1),
            entries: entries(),
        };
        let text = serde_json::to_string(&body).expect("test value");
        assert_eq!(
            serde_json::from_str::<Body>(&text).expect("test value"),
            body
        );
        // Nothing empty is written: the QR code carries what the resident entered, no more.
        assert!(
            !text.contains("\"\"") && !text.contains("[]") && !text.contains("null"),
            "{text}"
        );
        let mut stays = body.clone();
        stays.entries.members[0].mover = false;
        let text = serde_json::to_string(&stays).expect("test value");
        assert_eq!(
            serde_json::from_str::<Body>(&text).expect("test value"),
            stays
        );
    }
}
