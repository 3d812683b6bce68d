//! The case prepared the evening before a 転入予約: the household of the 転出証明書情報 as a 転入 (国内)
//! 届出 on the 来庁予定日, with the procedures 手続きナビ finds for it. Pure: the caller evaluates with the
//! tenant's catalogue and stores the case.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::case_document::{CaseDocument, CaseProcedure, IncomingMoveView, Notification, Visitor};
use crate::navigation::{self, Catalog, Input};

/// The case id of a reservation's prepared case: one per notice, so that preparing twice (or after a
/// crash) finds the case made before instead of making a second.
pub fn case_id(notice_no: &str) -> String {
    format!("arrival-{notice_no}")
}

/// 手続きナビ's question for the 転入 of the household on `day`.
pub fn navigation_input(notice: &IncomingMoveView, day: NaiveDate) -> Input {
    Input {
        event: "転入".into(),
        detail: "国内".into(),
        date: day,
        before: Vec::new(),
        after: notice.members.iter().map(|m| m.facts.clone()).collect(),
        answers: BTreeMap::new(),
    }
}

/// The prepared case: the 転入 of the notice's household on `day`, the visitor its 世帯主 (or first
/// member), and every procedure the catalogue finds, pending.
///
/// ```
/// use chrono::NaiveDate;
/// use madoguchi_core::arrivals::prepare::prepared_case;
/// use madoguchi_core::case_document::{CaseMember, IncomingMoveView};
/// use madoguchi_core::navigation::{Catalog, MemberInput};
/// let day = NaiveDate::from_ymd_opt(2026, 12, 8).unwrap();
/// let member = |name: &str, birth: (i32, u32, u32), relation: &str| CaseMember {
///     atena_no: None,
///     name: name.into(),
///     kana: String::new(),
///     facts: MemberInput {
///         birth: NaiveDate::from_ymd_opt(birth.0, birth.1, birth.2).unwrap(),
///         relation: relation.into(),
///         mover: true,
///         kokuho: true,
///         ..MemberInput::default()
///     },
/// };
/// let notice = IncomingMoveView {
///     notice_no: "T-1".into(),
///     old_address: "東京都世田谷区太子堂二丁目5番8号".into(),
///     new_address: None,
///     planned_on: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
///     head_name: "山田　太郎".into(),
///     members: vec![member("山田　太郎", (1988, 4, 12), "世帯主"), member("山田　一郎", (2019, 6, 20), "子")],
///     prepared_case_id: None,
/// };
/// let catalog = Catalog::standard().unwrap();
/// let doc = prepared_case(&catalog, &notice, day);
/// assert_eq!(doc.visitor.name, "山田　太郎");
/// assert_eq!(doc.notifications[0].kind, "転入");
/// assert_eq!(doc.notifications[0].notice_no.as_deref(), Some("T-1"));
/// let codes: Vec<&str> = doc.procedures.iter().map(|p| p.code.as_str()).collect();
/// assert!(codes.contains(&"JUKI-TENNYU") && codes.contains(&"JIDOU-TEATE-NINTEI"), "{codes:?}");
/// assert!(doc.procedures.iter().all(|p| p.state == "pending"));
/// ```
pub fn prepared_case(catalog: &Catalog, notice: &IncomingMoveView, day: NaiveDate) -> CaseDocument {
    let found = navigation::evaluate(catalog, &navigation_input(notice, day));
    let procedures = found
        .procedures
        .into_iter()
        .map(|n| CaseProcedure {
            code: n.procedure.code.clone(),
            name: n.procedure.name.clone(),
            counter: n.procedure.counter.clone(),
            on_the_spot: n.procedure.on_the_spot,
            state: "pending".into(),
            reasons: n.reasons,
            forms: n.procedure.forms.clone(),
            bring: n.procedure.bring.clone(),
        })
        .collect();
    let visitor = notice
        .members
        .iter()
        .find(|m| m.name == notice.head_name)
        .or(notice.members.first())
        .map_or_else(|| notice.head_name.clone(), |m| m.name.clone());
    let mut memo = format!(
        "転入予約（来庁予定日 {day}、通知番号 {}）から前日に準備しました。",
        notice.notice_no
    );
    if let Some(a) = &notice.new_address {
        memo.push_str(&format!("転入予定地: {a}"));
    }
    CaseDocument {
        visitor: Visitor {
            kind: "本人".into(),
            atena_no: None,
            name: visitor,
            relation: String::new(),
            proxy_letter: false,
            id_document: String::new(),
            card: None,
            jpki_verification: None,
            jpki: None,
        },
        notifications: vec![Notification {
            kind: "転入".into(),
            detail: "国内".into(),
            event_date: day,
            household_no: None,
            notice_no: Some(notice.notice_no.clone()),
            old_address: notice.old_address.clone(),
            new_address: None,
            head_name: notice.head_name.clone(),
            members: notice.members.clone(),
        }],
        answers: BTreeMap::new(),
        procedures,
        certificates: Vec::new(),
        fee_total: 0,
        memo,
        signature: None,
        station: None,
    }
}
