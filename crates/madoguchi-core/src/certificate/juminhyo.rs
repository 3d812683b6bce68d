//! 住民票の写し: the members it lists, in the standard order, and the data its templates print
//! (`forms/templates/juminhyo-setai.toml`, `juminhyo-kojin.toml`; the keys are the templates' binds).

use chrono::{Datelike, NaiveDate};
use serde_json::{Value, json};

use super::{Item, Scope};
use crate::household::{order_key, sort_members};
use crate::resident::{Resident, ResidentKind, ResidentStatus};
use crate::wareki::to_wareki;

/// The template of each scope: 世帯連記式 for the household, 個人票 for one person.
pub fn template(scope: Scope) -> &'static str {
    match scope {
        Scope::Household => "juminhyo-setai",
        Scope::Person => "juminhyo-kojin",
    }
}

/// What a 住民票の写し prints about its issue (the same for every member).
#[derive(Debug, Clone)]
pub struct IssueText<'a> {
    pub issue_no: &'a str,
    pub issued_on: NaiveDate,
    /// The city's name (市区町村名), e.g. `みどり市`.
    pub city: &'a str,
    /// The mayor as printed under the 認証文, e.g. `みどり市長　山田　一郎`.
    pub mayor: &'a str,
    /// The 公印 as a `data:image/png;base64,…` URL, when the city has set it.
    pub seal_image: Option<&'a str>,
    /// The verification QR's text (empty while the content digest is computed).
    pub qr: &'a str,
}

/// The people a 住民票の写し lists: the subject alone, or the subject's household's current residents
/// in the standard order (住民票 §5.2: 世帯主, 配偶者, 子 …).
pub fn members<'a>(
    subject: &'a Resident,
    household: &'a [Resident],
    scope: Scope,
) -> Vec<&'a Resident> {
    let mut list: Vec<&Resident> = match scope {
        Scope::Person => vec![subject],
        Scope::Household => household
            .iter()
            .filter(|r| {
                r.household_no == subject.household_no && r.status == ResidentStatus::Resident
            })
            .collect(),
    };
    if !list.iter().any(|r| r.atena_no == subject.atena_no) {
        list.push(subject);
    }
    sort_members(&mut list, |r| {
        order_key(&r.relation, r.birth.date(), &r.atena_no)
    });
    list
}

/// The 認証文 for the scope.
pub fn attestation(scope: Scope) -> &'static str {
    match scope {
        Scope::Household => "この写しは、世帯全員の住民票の原本と相違ないことを証明する。",
        Scope::Person => "この写しは、住民票の原本と相違ないことを証明する。",
    }
}

/// The items left out, said on the certificate (a reader must know an absent item was not asked for).
fn omitted(items: &[Item]) -> String {
    let mut left_out: Vec<&str> = Item::ALL
        .into_iter()
        .filter(|i| !items.contains(i))
        .map(Item::label_ja)
        .collect();
    // 個人番号 is never printed yet (an owner decision, docs/issuance.md §11).
    left_out.push("個人番号");
    format!("{}の記載を省略しています。", left_out.join("、"))
}

/// A date as a certificate prints it: 和暦 for Japanese residents, 西暦 for foreign residents.
fn date_text(date: Option<NaiveDate>, kind: ResidentKind) -> String {
    let Some(d) = date else {
        return String::new();
    };
    match (kind, to_wareki(d)) {
        (ResidentKind::Japanese, Ok(w)) => w.to_string(),
        _ => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
    }
}

fn note(r: &Resident) -> String {
    let Some(f) = &r.foreign else {
        return String::new();
    };
    let mut parts = vec![format!("国籍・地域　{}", f.nationality)];
    if let Some(s) = &f.status_of_residence {
        parts.push(format!("在留資格　{s}"));
    }
    if let Some(e) = f.expiry {
        parts.push(format!(
            "在留期間等の満了の日　{}年{}月{}日",
            e.year(),
            e.month(),
            e.day()
        ));
    }
    parts.join("　")
}

/// What the templates print for an item not requested (住民記録システム標準仕様書: 「省略」).
pub const OMITTED: &str = "省略";

/// An item's text: the value when `item` is requested (blank when the record has none), else 「省略」.
fn chosen(items: &[Item], item: Item, value: Option<&str>) -> String {
    if items.contains(&item) {
        value.unwrap_or_default().to_owned()
    } else {
        OMITTED.to_owned()
    }
}

/// The optional items of one person: 本籍, 筆頭者, 住民票コード, 前住所.
pub fn registry_items(r: &Resident, items: &[Item]) -> Value {
    let reg = &r.registry;
    json!({
        "honseki": chosen(items, Item::Honseki, reg.honseki.as_deref()),
        "hittosha": chosen(items, Item::Honseki, reg.hittosha.as_deref()),
        "juminhyo_code": chosen(items, Item::JuminhyoCode, reg.juminhyo_code.as_ref().map(|c| c.as_str())),
        "previous_address": chosen(items, Item::PreviousAddress, reg.previous_address.as_deref()),
    })
}

fn member(no: usize, r: &Resident, items: &[Item]) -> Value {
    json!({
        "items": registry_items(r, items),
        "no": (no + 1).to_string(),
        "name": r.name.full,
        "kana": r.name.kana.clone().unwrap_or_default(),
        "birth": r.birth.display_ja(r.kind),
        "sex": r.sex.label_ja(),
        "relation": if items.contains(&Item::Relation) { r.relation.to_string() } else { String::new() },
        "became_resident": date_text(r.became_resident_on, r.kind),
        "address_fixed": date_text(r.address_fixed_on, r.kind),
        "notified": "",
        "note": note(r),
    })
}

/// The template data of a 住民票の写し of `people` (from [`members`]).
pub fn data(people: &[&Resident], scope: Scope, items: &[Item], issue: &IssueText<'_>) -> Value {
    let head = people
        .iter()
        .find(|r| r.relation == crate::relationship::Relation::HouseholdHead)
        .map(|r| r.name.full.clone())
        .unwrap_or_default();
    let address = people
        .first()
        .map(|r| r.address.one_line())
        .unwrap_or_default();
    json!({
        "certificate": {
            "title": "住民票の写し",
            "issue_no": issue.issue_no,
            "issued_on": date_text(Some(issue.issued_on), ResidentKind::Japanese),
            "attestation": attestation(scope),
            "mayor": issue.mayor,
            "seal_image": issue.seal_image.unwrap_or(""),
            "qr": issue.qr,
            "city": issue.city,
            "omitted": omitted(items),
        },
        "household": { "address": address, "head": head },
        "members": people.iter().enumerate().map(|(i, r)| member(i, r, items)).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::AtenaNo;
    use crate::relationship::parse_relation;
    use crate::resident::{Address, BirthDate, ForeignInfo, Name, Sex, SupportMeasure};

    fn person(seq: u64, name: &str, relation: &str, birth: (i32, u32, u32)) -> Resident {
        Resident {
            atena_no: AtenaNo::from_sequence(seq),
            household_no: AtenaNo::from_sequence(1),
            kind: ResidentKind::Japanese,
            status: ResidentStatus::Resident,
            name: Name {
                full: name.into(),
                ..Default::default()
            },
            birth: BirthDate::Known(
                NaiveDate::from_ymd_opt(birth.0, birth.1, birth.2).expect("date"),
            ),
            sex: Sex::Female,
            relation: parse_relation(relation).expect("relation"),
            address: Address {
                prefecture: "群馬県".into(),
                city: "みどり市".into(),
                town: "笠懸町阿左美".into(),
                banchi: Some("1234番地".into()),
                ..Default::default()
            },
            became_resident_on: NaiveDate::from_ymd_opt(2020, 4, 1),
            address_fixed_on: NaiveDate::from_ymd_opt(2020, 4, 1),
            foreign: None,
            support_measure: SupportMeasure::None,
            registry: Default::default(),
        }
    }

    fn issue() -> IssueText<'static> {
        IssueText {
            issue_no: "R08-000001",
            issued_on: NaiveDate::from_ymd_opt(2026, 12, 6).expect("date"),
            city: "みどり市",
            mayor: "みどり市長　見本　太郎",
            seal_image: None,
            qr: "MDG1.x",
        }
    }

    #[test]
    fn household_in_standard_order_without_people_who_left() {
        let mut moved = person(5, "転出　者", "子", (2001, 1, 1));
        moved.status = ResidentStatus::MovedOut;
        let household = vec![
            person(4, "山田　次郎", "子", (2005, 1, 1)),
            person(3, "山田　一郎", "子", (2003, 1, 1)),
            person(2, "山田　花子", "妻", (1975, 1, 1)),
            moved,
            person(1, "山田　太郎", "世帯主", (1970, 1, 1)),
        ];
        let subject = &household[0];
        let names: Vec<&str> = members(subject, &household, Scope::Household)
            .iter()
            .map(|r| r.name.full.as_str())
            .collect();
        assert_eq!(
            names,
            ["山田　太郎", "山田　花子", "山田　一郎", "山田　次郎"]
        );
        assert_eq!(members(subject, &household, Scope::Person).len(), 1);
    }

    #[test]
    fn data_prints_wareki_for_japanese_and_seireki_for_foreign_residents() {
        let head = person(1, "山田　太郎", "世帯主", (1970, 1, 1));
        let mut lodger = person(2, "NGUYEN VAN AN", "同居人", (1990, 5, 1));
        lodger.kind = ResidentKind::Foreign;
        lodger.foreign = Some(ForeignInfo {
            nationality: "ベトナム".into(),
            status_of_residence: Some("技術・人文知識・国際業務".into()),
            period_of_stay: None,
            expiry: None,
        });
        let d = data(
            &[&head, &lodger],
            Scope::Household,
            &[Item::Relation],
            &issue(),
        );
        assert_eq!(d["certificate"]["issued_on"], "令和8年12月6日");
        assert_eq!(d["household"]["head"], "山田　太郎");
        assert_eq!(
            d["household"]["address"],
            "群馬県みどり市笠懸町阿左美1234番地"
        );
        assert_eq!(d["members"][0]["birth"], "昭和45年1月1日");
        assert_eq!(d["members"][0]["relation"], "世帯主");
        assert_eq!(d["members"][1]["birth"], "1990年5月1日");
        assert_eq!(d["members"][1]["became_resident"], "2020年4月1日");
        assert_eq!(
            d["members"][1]["note"],
            "国籍・地域　ベトナム　在留資格　技術・人文知識・国際業務"
        );
        assert_eq!(
            d["certificate"]["omitted"],
            "本籍・筆頭者、住民票コード、前住所、個人番号の記載を省略しています。"
        );
        assert_eq!(d["members"][0]["items"]["honseki"], OMITTED);
        assert_eq!(d["members"][0]["items"]["juminhyo_code"], OMITTED);
    }

    #[test]
    fn chosen_items_print_their_values_and_the_others_say_omitted() {
        let mut head = person(1, "山田　太郎", "世帯主", (1970, 1, 1));
        head.registry = crate::registry::RegistryItems {
            honseki: Some("群馬県みどり市笠懸町阿左美1番地".into()),
            hittosha: Some("山田　太郎".into()),
            juminhyo_code: crate::registry::JuminhyoCode::parse("12345678901"),
            previous_address: Some("東京都千代田区千代田1番1号".into()),
        };
        let d = data(
            &[&head],
            Scope::Person,
            &[Item::Honseki, Item::JuminhyoCode],
            &issue(),
        );
        let items = &d["members"][0]["items"];
        assert_eq!(items["honseki"], "群馬県みどり市笠懸町阿左美1番地");
        assert_eq!(items["hittosha"], "山田　太郎");
        assert_eq!(items["juminhyo_code"], "12345678901");
        assert_eq!(items["previous_address"], OMITTED);
        assert_eq!(
            d["certificate"]["omitted"],
            "続柄、前住所、個人番号の記載を省略しています。"
        );
    }

    #[test]
    fn relation_left_out_when_not_chosen() {
        let head = person(1, "山田　太郎", "世帯主", (1970, 1, 1));
        let d = data(&[&head], Scope::Person, &[], &issue());
        assert_eq!(d["members"][0]["relation"], "");
        assert_eq!(d["certificate"]["attestation"], attestation(Scope::Person));
        assert!(
            d["certificate"]["omitted"]
                .as_str()
                .is_some_and(|s| s.starts_with("続柄、"))
        );
    }
}
