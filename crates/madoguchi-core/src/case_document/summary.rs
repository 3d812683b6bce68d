//! What lists and the history show of a case: its title and the facts its history lines compare.

use crate::case::{CaseFacts, CaseStatus, ProcedureState};

use super::{CaseDocument, CaseMember};

/// The facts of a case the history compares between two saves.
pub fn facts(status: CaseStatus, doc: &CaseDocument) -> CaseFacts {
    CaseFacts {
        status: Some(status),
        memo: doc.memo.clone(),
        notifications: doc.notifications.iter().map(|n| n.kind.clone()).collect(),
        procedures: doc
            .procedures
            .iter()
            .map(|p| {
                (
                    p.code.clone(),
                    (
                        p.name.clone(),
                        ProcedureState::parse(&p.state).unwrap_or(ProcedureState::Pending),
                    ),
                )
            })
            .collect(),
        certificates: doc
            .certificates
            .iter()
            .map(|c| (c.name.clone(), c.copies))
            .collect(),
        fee_total: doc.fee_total,
    }
}

/// 転入 山田 太郎 ほか3名 (for lists).
pub fn title(doc: &CaseDocument) -> String {
    let kinds: Vec<&str> = doc.notifications.iter().map(|n| n.kind.as_str()).collect();
    let movers: Vec<&CaseMember> = doc
        .notifications
        .iter()
        .flat_map(|n| n.members.iter().filter(|m| m.facts.mover))
        .collect();
    let what = if kinds.is_empty() {
        if doc.certificates.is_empty() {
            "相談".to_owned()
        } else {
            "証明書".to_owned()
        }
    } else {
        let mut k = kinds.clone();
        k.dedup();
        k.join("・")
    };
    let who = match movers.split_first() {
        Some((first, rest)) if !rest.is_empty() => {
            format!("{} ほか{}名", first.name, rest.len())
        }
        Some((first, _)) => first.name.clone(),
        None => doc.visitor.name.clone(),
    };
    format!("{what} {who}").trim().to_owned()
}
