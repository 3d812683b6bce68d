//! 住民票記載事項証明書: the 氏名, 生年月日, 性別 and 住所 of one person (本人のみ) or of every current
//! member of their household (世帯全員), with the 記載事項 requested (続柄, 本籍・筆頭者, 住民票コード,
//! 前住所), and the data its templates print (`forms/templates/kisai-jiko.toml`,
//! `kisai-jiko-setai.toml`; the keys are the templates' binds).

use chrono::Datelike;
use serde_json::{Value, json};

use super::juminhyo::{IssueText, OMITTED, registry_items};
use super::{Item, Scope};
use crate::relationship::Relation;
use crate::resident::{Resident, ResidentKind};
use crate::wareki::to_wareki;

/// The fee-table item (`crates/madoguchi-core/data/fees.toml`).
pub const ITEM: &str = "KISAI-JIKOU";

/// The template of the 住民票記載事項証明書 of one person.
pub const TEMPLATE: &str = "kisai-jiko";

/// The template of the 住民票記載事項証明書 of a household (one block per member, 世帯連記).
pub const TEMPLATE_HOUSEHOLD: &str = "kisai-jiko-setai";

/// The 認証文.
pub const ATTESTATION: &str = "上記の事項は、住民票の原本と相違ないことを証明する。";

/// The 認証文 of a household's certificate.
pub const ATTESTATION_HOUSEHOLD: &str =
    "上記の事項は、世帯全員の住民票の原本と相違ないことを証明する。";

/// Whom a line covers: `本人のみ` (also absent or empty: the certificate of one person, as at the
/// counter) or `世帯全員`.
///
/// ```
/// use madoguchi_core::certificate::{Scope, kisai};
/// assert_eq!(kisai::scope(None), Some(Scope::Person));
/// assert_eq!(kisai::scope(Some("世帯全員")), Some(Scope::Household));
/// assert_eq!(kisai::scope(Some("世帯の一部")), None);
/// ```
pub fn scope(text: Option<&str>) -> Option<Scope> {
    match text.map(str::trim) {
        None | Some("") => Some(Scope::Person),
        t => Scope::parse(t),
    }
}

/// The template of each scope.
pub fn template(scope: Scope) -> &'static str {
    match scope {
        Scope::Household => TEMPLATE_HOUSEHOLD,
        Scope::Person => TEMPLATE,
    }
}

fn issued_on_text(issue: &IssueText<'_>) -> String {
    let d = issue.issued_on;
    to_wareki(d).map_or_else(
        |_| format!("{}年{}月{}日", d.year(), d.month(), d.day()),
        |w| w.to_string(),
    )
}

/// What one person's block prints: an item not requested prints 「省略」.
fn block(r: &Resident, items: &[Item]) -> Value {
    let relation = if items.contains(&Item::Relation) {
        r.relation.to_string()
    } else {
        OMITTED.to_owned()
    };
    json!({
        "name": r.name.full,
        "kana": r.name.kana.clone().unwrap_or_default(),
        "birth": r.birth.display_ja(r.kind),
        "sex": r.sex.label_ja(),
        "address": r.address.one_line(),
        "relation": relation,
        "nationality": match (r.kind, &r.foreign) {
            (ResidentKind::Foreign, Some(f)) => f.nationality.clone(),
            _ => String::new(),
        },
        "items": registry_items(r, items),
    })
}

/// The template data of the 住民票記載事項証明書 of `people` (from
/// [`juminhyo::members`](super::juminhyo::members): one person for [`Scope::Person`], the household
/// in the standard order for [`Scope::Household`]) with the requested `items`.
pub fn data(people: &[&Resident], scope: Scope, items: &[Item], issue: &IssueText<'_>) -> Value {
    let certificate = json!({
        "title": "住民票記載事項証明書",
        "issue_no": issue.issue_no,
        "issued_on": issued_on_text(issue),
        "attestation": match scope {
            Scope::Household => ATTESTATION_HOUSEHOLD,
            Scope::Person => ATTESTATION,
        },
        "mayor": issue.mayor,
        "seal_image": issue.seal_image.unwrap_or(""),
        "qr": issue.qr,
        "city": issue.city,
    });
    match scope {
        Scope::Person => json!({
            "certificate": certificate,
            "person": people.first().map(|r| block(r, items)).unwrap_or_default(),
        }),
        Scope::Household => {
            let head = people
                .iter()
                .find(|r| r.relation == Relation::HouseholdHead)
                .map(|r| r.name.full.clone())
                .unwrap_or_default();
            let address = people
                .first()
                .map(|r| r.address.one_line())
                .unwrap_or_default();
            let members: Vec<Value> = people
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let mut m = block(r, items);
                    m["no"] = Value::String((i + 1).to_string());
                    m
                })
                .collect();
            json!({
                "certificate": certificate,
                "household": { "address": address, "head": head },
                "members": members,
            })
        }
    }
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
        let p = person();
        let d = data(&[&p], Scope::Person, &[Item::Honseki], &issue);
        assert_eq!(d["certificate"]["issued_on"], "令和8年12月7日");
        assert_eq!(d["certificate"]["attestation"], ATTESTATION);
        assert_eq!(d["person"]["birth"], "昭和55年4月1日");
        assert_eq!(d["person"]["address"], "群馬県さくら野市本町1番地");
        assert_eq!(d["person"]["relation"], "省略");
        assert_eq!(d["person"]["items"]["honseki"], "群馬県さくら野市本町1番地");
        assert_eq!(d["person"]["items"]["juminhyo_code"], "省略");
        assert_eq!(d["person"]["items"]["previous_address"], "省略");
    }

    #[test]
    fn a_household_prints_every_member_in_order_with_the_items_chosen() {
        let issue = IssueText {
            issue_no: "R08-000002",
            issued_on: NaiveDate::from_ymd_opt(2026, 12, 7).expect("date"),
            city: "さくら野市",
            mayor: "さくら野市長",
            seal_image: None,
            qr: "",
        };
        let head = person();
        let mut child = person();
        child.atena_no = AtenaNo::from_sequence(2);
        child.name.full = "山田　一郎".into();
        child.relation = crate::relationship::parse_relation("子").expect("relation");
        child.registry.juminhyo_code = JuminhyoCode::parse("10987654321");
        let household = [head.clone(), child.clone()];
        let people = crate::certificate::juminhyo::members(&child, &household, Scope::Household);
        let d = data(
            &people,
            Scope::Household,
            &[Item::Relation, Item::JuminhyoCode],
            &issue,
        );
        assert_eq!(template(Scope::Household), TEMPLATE_HOUSEHOLD);
        assert_eq!(d["certificate"]["attestation"], ATTESTATION_HOUSEHOLD);
        assert_eq!(d["household"]["head"], "山田　花子");
        assert_eq!(d["household"]["address"], "群馬県さくら野市本町1番地");
        assert_eq!(d["members"][0]["no"], "1");
        assert_eq!(d["members"][0]["relation"], "世帯主");
        assert_eq!(d["members"][1]["name"], "山田　一郎");
        assert_eq!(d["members"][1]["relation"], "子");
        assert_eq!(d["members"][1]["items"]["juminhyo_code"], "10987654321");
        assert_eq!(d["members"][1]["items"]["honseki"], OMITTED);
        assert!(d.get("person").is_none());
    }
}
