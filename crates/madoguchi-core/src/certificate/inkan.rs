//! 印鑑登録証明書: who may have one, and the data its template prints
//! (`forms/templates/inkan-shomei.toml`; the keys are the template's binds).

use chrono::NaiveDate;
use serde_json::{Value, json};

use super::Refusal;
use super::juminhyo::IssueText;
use crate::resident::{Resident, ResidentKind};
use crate::wareki::to_wareki;

/// The template of the 印鑑登録証明書.
pub const TEMPLATE: &str = "inkan-shomei";

/// The youngest age at which a seal may be registered (印鑑登録事務処理要領).
pub const MIN_AGE: u32 = 15;

/// A registration as the certificate needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seal {
    pub registration_no: String,
    pub abolished_on: Option<NaiveDate>,
    /// The 印影 as a `data:` URL (PNG or JPEG), when the feed carried it.
    pub image: Option<String>,
    /// Registered size, tenths of a millimetre.
    pub width_tenth_mm: Option<u16>,
    pub height_tenth_mm: Option<u16>,
}

/// Why `person` cannot have a 印鑑登録証明書 on `today` (besides the refusals of every certificate).
pub fn check(person: &Resident, seal: Option<&Seal>, today: NaiveDate) -> Vec<Refusal> {
    let mut refusals = Vec::new();
    if person.age_on(today).is_some_and(|age| age < MIN_AGE) {
        refusals.push(Refusal::UnderFifteen);
    }
    match seal {
        None => refusals.push(Refusal::SealNotRegistered),
        Some(s) => {
            if let Some(on) = s.abolished_on {
                refusals.push(Refusal::SealAbolished(on));
            } else if s.image.is_none() || s.width_tenth_mm.is_none() || s.height_tenth_mm.is_none()
            {
                refusals.push(Refusal::SealImageMissing);
            }
        }
    }
    refusals
}

fn mm(tenths: Option<u16>) -> String {
    tenths.map_or_else(String::new, |t| format!("{}.{}", t / 10, t % 10))
}

fn date_text(date: Option<NaiveDate>, kind: ResidentKind) -> String {
    match (date, kind) {
        (Some(d), ResidentKind::Japanese) => {
            to_wareki(d).map_or_else(|_| d.to_string(), |w| w.to_string())
        }
        (Some(d), ResidentKind::Foreign) => {
            use chrono::Datelike;
            format!("{}年{}月{}日", d.year(), d.month(), d.day())
        }
        (None, _) => String::new(),
    }
}

/// The template data of the 印鑑登録証明書 of `person` with `seal` (checked with [`check`]).
pub fn data(person: &Resident, seal: &Seal, issue: &IssueText<'_>) -> Value {
    json!({
        "certificate": {
            "title": "印鑑登録証明書",
            "issue_no": issue.issue_no,
            "issued_on": date_text(Some(issue.issued_on), ResidentKind::Japanese),
            "attestation": "この写しは、登録されている印影と相違ないことを証明する。",
            "mayor": issue.mayor,
            "seal_image": issue.seal_image.unwrap_or(""),
            "qr": issue.qr,
            "city": issue.city,
        },
        "seal": {
            "image": seal.image.clone().unwrap_or_default(),
            "width_mm": mm(seal.width_tenth_mm),
            "height_mm": mm(seal.height_tenth_mm),
            "registration_no": seal.registration_no,
        },
        "person": {
            "name": person.name.full,
            "former_surname": person.name.former_surname.clone().unwrap_or_default(),
            "alias": person.name.alias.clone().unwrap_or_default(),
            "birth": person.birth.display_ja(person.kind),
            "sex": person.sex.label_ja(),
            "address": person.address.one_line(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::AtenaNo;
    use crate::relationship::Relation;
    use crate::resident::{Address, BirthDate, Name, ResidentStatus, Sex, SupportMeasure};

    fn person(birth: (i32, u32, u32)) -> Resident {
        Resident {
            atena_no: AtenaNo::from_sequence(1),
            household_no: AtenaNo::from_sequence(1),
            kind: ResidentKind::Japanese,
            status: ResidentStatus::Resident,
            name: Name {
                full: "髙橋　花子".into(),
                former_surname: Some("佐藤".into()),
                ..Default::default()
            },
            birth: BirthDate::Known(NaiveDate::from_ymd_opt(birth.0, birth.1, birth.2).expect("d")),
            sex: Sex::Female,
            relation: Relation::HouseholdHead,
            address: Address {
                prefecture: "群馬県".into(),
                city: "さくら野市".into(),
                town: "本町".into(),
                banchi: Some("100番地".into()),
                ..Default::default()
            },
            became_resident_on: None,
            address_fixed_on: None,
            foreign: None,
            support_measure: SupportMeasure::None,
            registry: Default::default(),
        }
    }

    fn seal() -> Seal {
        Seal {
            registration_no: "100234".into(),
            abolished_on: None,
            image: Some("data:image/png;base64,AAAA".into()),
            width_tenth_mm: Some(150),
            height_tenth_mm: Some(125),
        }
    }

    #[test]
    fn refusals_for_age_registration_and_abolition() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 6).expect("d");
        assert_eq!(check(&person((1977, 3, 3)), Some(&seal()), today), vec![]);
        // 15 on the birthday, not the day before.
        assert_eq!(check(&person((2011, 12, 6)), Some(&seal()), today), vec![]);
        assert_eq!(
            check(&person((2011, 12, 7)), None, today),
            vec![Refusal::UnderFifteen, Refusal::SealNotRegistered]
        );
        let abolished = Seal {
            abolished_on: NaiveDate::from_ymd_opt(2025, 4, 1),
            ..seal()
        };
        let r = check(&person((1977, 3, 3)), Some(&abolished), today);
        assert_eq!(
            r,
            vec![Refusal::SealAbolished(
                NaiveDate::from_ymd_opt(2025, 4, 1).expect("d")
            )]
        );
        assert!(
            r[0].message_ja().contains("令和7年4月1日"),
            "{}",
            r[0].message_ja()
        );
    }

    #[test]
    fn data_prints_the_registered_size_and_the_former_surname() {
        let issue = IssueText {
            issue_no: "R08-000009",
            issued_on: NaiveDate::from_ymd_opt(2026, 12, 6).expect("d"),
            city: "さくら野市",
            mayor: "さくら野市長",
            seal_image: None,
            qr: "",
        };
        let d = data(&person((1977, 3, 3)), &seal(), &issue);
        assert_eq!(d["seal"]["width_mm"], "15.0");
        assert_eq!(d["seal"]["height_mm"], "12.5");
        assert_eq!(d["person"]["former_surname"], "佐藤");
        assert_eq!(d["person"]["birth"], "昭和52年3月3日");
        assert_eq!(d["person"]["address"], "群馬県さくら野市本町100番地");
        assert_eq!(d["certificate"]["issued_on"], "令和8年12月6日");
    }
}
