//! What a case gives to the forms engine: the data of one 届出 and the templates printed by default.

use chrono::NaiveDate;
use serde_json::{Value, json};

use crate::case::ProcedureState;

use super::{CaseDocument, CaseMember, Notification};

/// The template data of one 届出 of a case (one object serves every template: each binds what it
/// needs, see `forms/README.md`).
pub fn form_data(
    case_id: &str,
    qr: &str,
    doc: &CaseDocument,
    notif: Option<&Notification>,
    today: NaiveDate,
    contact: &str,
) -> Value {
    let member = |m: &CaseMember| {
        json!({
            "name": m.name, "kana": m.kana, "birth": m.facts.birth.to_string(),
            "sex": m.facts.sex, "relation": m.facts.relation,
        })
    };
    let new_full = notif
        .and_then(|n| n.new_address.as_ref())
        .map(|a| a.full.clone())
        .unwrap_or_default();
    let address = if new_full.is_empty() {
        notif.map(|n| n.old_address.clone()).unwrap_or_default()
    } else {
        new_full.clone()
    };
    let movers: Vec<Value> = notif
        .map(|n| {
            n.members
                .iter()
                .filter(|m| m.facts.mover)
                .map(member)
                .collect()
        })
        .unwrap_or_default();
    let head = notif.map(|n| n.head_name.clone()).unwrap_or_default();
    let kind = notif.map(|n| n.kind.as_str()).unwrap_or("");
    let change_kind = match kind {
        "転入" | "出生" => "取得",
        "転出" | "死亡" => "喪失",
        _ => "変更",
    };
    let kokuho: Vec<Value> = notif
        .map(|n| {
            n.members
                .iter()
                .filter(|m| m.facts.mover && m.facts.kokuho)
                .map(member)
                .collect()
        })
        .unwrap_or_default();
    let children: Vec<Value> = notif
        .map(|n| {
            n.members
                .iter()
                .filter(|m| crate::age::age_on(m.facts.birth, today).is_some_and(|a| a < 18))
                .map(|m| {
                    json!({"name": m.name, "kana": m.kana, "birth": m.facts.birth.to_string(),
                        "relation": m.facts.relation, "living": "同居"})
                })
                .collect()
        })
        .unwrap_or_default();
    let claimant = notif.and_then(|n| {
        n.members
            .iter()
            .find(|m| m.facts.relation == "世帯主")
            .or(n.members.first())
    });
    let event_label = match notif {
        Some(n) if !n.detail.is_empty() => format!("{}（{}）", n.kind, n.detail),
        Some(n) => n.kind.clone(),
        None => "証明書の請求".to_owned(),
    };
    let procedures: Vec<Value> = doc
        .procedures
        .iter()
        .map(|p| {
            json!({
                "name": p.name, "reason": p.reasons.join("。"), "counter": p.counter,
                "bring": p.bring.join("、"), "done": p.state == "accepted",
            })
        })
        .collect();
    json!({
        "event": { "kind": kind, "date": notif.map(|n| n.event_date.to_string()), "notified_on": today.to_string() },
        "applicant": { "name": doc.visitor.name, "relation": doc.visitor.kind },
        "new_address": notif.and_then(|n| n.new_address.as_ref()).map(|a| json!({
            "postal": a.postal_code, "full": a.full, "katagaki": a.katagaki })),
        "old_address": { "full": notif.map(|n| n.old_address.clone()) },
        "head": { "new": head, "old": head },
        "movers": movers,
        "change": { "kind": change_kind, "date": notif.map(|n| n.event_date.to_string()), "reason": kind },
        "household": { "address": address, "head": head, "insurance_no": "" },
        "members": kokuho,
        "claim": { "date": today.to_string() },
        "claimant": claimant.map(|m| json!({ "address": address, "name": m.name, "birth": m.facts.birth.to_string() })),
        "children": children,
        "city": { "contact": contact },
        "case": { "id": case_id, "date": today.to_string(), "event": event_label, "qr": qr,
                  "counter": contact, "fee_total": doc.fee_total },
        "applications": doc.procedures.iter().filter(|p| p.on_the_spot).map(|p| json!({
            "name": p.name,
            "status": ProcedureState::parse(&p.state).map_or("", |s| s.label()),
            "fee": 0,
        })).chain(doc.certificates.iter().map(|c| json!({
            "name": format!("{} {}通", c.name, c.copies), "status": "請求", "fee": c.yen,
        }))).collect::<Vec<_>>(),
        "resident": {
            "name": doc.visitor.name,
            "address": address,
            "signature": doc.signature.as_ref().and_then(|s| s.form_strokes().ok()),
        },
        "procedures": procedures,
        "request": super::certificate_request(doc, today),
        "requester": { "address": address, "name": doc.visitor.name, "relation": doc.visitor.kind },
    })
}

/// The templates printed for a case by default: the forms of every procedure not yet accepted — also
/// those of other counters, so the resident carries them there filled in — (the 住民異動届 once per
/// 届出), the 交付請求書 when certificates are requested, the 申請内容票 when the resident signed, then
/// the 手続き案内書.
pub fn default_templates(doc: &CaseDocument) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for p in &doc.procedures {
        if p.state != "accepted" {
            for f in &p.forms {
                if !out.contains(f) {
                    out.push(f.clone());
                }
            }
        }
    }
    if !doc.certificates.is_empty() && !out.iter().any(|t| t == "koufu-seikyu") {
        out.push("koufu-seikyu".into());
    }
    // The resident signed on the pen tablet: the 申請内容票 carries the signature.
    if doc.signature.is_some() {
        out.push("shinsei-naiyou".into());
    }
    out.push("tetsuzuki-annai".into());
    out
}
