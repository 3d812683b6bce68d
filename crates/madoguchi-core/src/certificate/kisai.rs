//! 住民票記載事項証明書: one person's 氏名, 生年月日, 性別 and 住所 (and the 記載事項 requested: 続柄,
//! 本籍・筆頭者, 住民票コード, 前住所), and the data its template prints
//! (`forms/templates/kisai-jiko.toml`; the keys are the template's binds).

use chrono::Datelike;
use serde_json::{Value, json};

use super::Item;
use super::juminhyo::{IssueText, registry_items};
use crate::resident::{Resident, ResidentKind};
use crate::wareki::to_wareki;

/// The fee-table item (`crates/madoguchi-core/data/fees.toml`).
pub const ITEM: &str = "KISAI-JIKOU";

/// The template of the 住民票記載事項証明書.
pub const TEMPLATE: &str = "kisai-jiko";

/// The 認証文.
pub const ATTESTATION: &str = "上記の事項は、住民票の原本と相違ないことを証明する。";

fn issued_on_text(issue: &IssueText<'_>) -> String {
    let d = issue.issued_on;
    to_wareki(d).map_or_else(
        |_| format!("{}年{}月{}日", d.year(), d.month(), d.day()),
        |w| w.to_string(),
    )
}

/// The template data of the 住民票記載事項証明書 of `person` with the requested `items`: an item not
/// requested prints 「省略」.
pub fn data(person: &Resident, items: &[Item], issue: &IssueText<'_>) -> Value {
    let relation = if items.contains(&Item::Relation) {
        person.relation.to_string()
    } else {
        super::juminhyo::OMITTED.to_owned()
    };
    json!({
        "certificate": {
            "title": "住民票記載事項証明書",
            "issue_no": issue.issue_no,
            "issued_on": issued_on_text(issue),
            "attestation": ATTESTATION,
            "mayor": issue.mayor,
            "seal_image": issue.seal_image.unwrap_or(""),
            "qr": issue.qr,
            "city": issue.city,
        },
        "person": {
            "name": person.name.full,
            "kana": person.name.kana.clone().unwrap_or_default(),
            "birth": person.birth.display_ja(person.kind),
            "sex": person.sex.label_ja(),
            "address": person.address.one_line(),
            "relation": relation,
            "nationality": match (person.kind, &person.foreign) {
                (ResidentKind::Foreign, Some(f)) => f.nationality.clone(),
                _ => String::new(),
            },
            "items": registry_items(person, items),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::AtenaNo;
    use crate::registry::{JuminhyoCode, RegistryItems};
    use crate::relationship::Relation;
    use crate::resident::{Address, BirthDate, Name, ResidentStatus, Sex, SupportMeasure};
    use chrono::NaiveDate;

    fn person() -> Resident {
        Resident {
            atena_no: AtenaNo::from_sequence(1),
            household_no: AtenaNo::from_sequence(1),
            kind: ResidentKind::Japanese,
            status: ResidentStatus::Resident,
            name: Name {
                full: "山田　花子".into(),
                ..Default::default()
            },
            birth: BirthDate::Known(NaiveDate::from_ymd_opt(1980, 4, 1).expect("date")),
            sex: Sex::Female,
            relation: Relation::HouseholdHead,
            address: Address {
                prefecture: "群馬県".into(),
                city: "さくら野市".into(),
                town: "本町".into(),
                banchi: Some("1番地".into()),
                ..Default::default()
            },
            became_resident_on: None,
            address_fixed_on: None,
            foreign: None,
            support_measure: SupportMeasure::None,
            registry: RegistryItems {
                honseki: Some("群馬県さくら野市本町1番地".into()),
                hittosha: Some("山田　太郎".into()),
                juminhyo_code: JuminhyoCode::parse("12345678901"),
                previous_address: Some("東京都千代田区千代田1番1号".into()),
            },
        }
    }

    #[test]
    fn prints_the_person_and_only_the_requested_items() {
        let issue = IssueText {
            issue_no: "R08-000001",
            issued_on: NaiveDate::from_ymd_opt(2026, 12, 7).expect("date"),
            city: "さくら野市",
            mayor: "さくら野市長　見本　太郎",
            seal_image: None,
            qr: "",
        };
        let d = data(&person(), &[Item::Honseki], &issue);
        assert_eq!(d["certificate"]["issued_on"], "令和8年12月7日");
        assert_eq!(d["certificate"]["attestation"], ATTESTATION);
        assert_eq!(d["person"]["birth"], "昭和55年4月1日");
        assert_eq!(d["person"]["address"], "群馬県さくら野市本町1番地");
        assert_eq!(d["person"]["relation"], "省略");
        assert_eq!(d["person"]["items"]["honseki"], "群馬県さくら野市本町1番地");
        assert_eq!(d["person"]["items"]["juminhyo_code"], "省略");
        assert_eq!(d["person"]["items"]["previous_address"], "省略");
    }
}
