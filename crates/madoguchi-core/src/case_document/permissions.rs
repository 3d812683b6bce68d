//! What a save of a case asks of the staff member's permissions, beyond creating and updating cases:
//! accepting a procedure (受付済) needs the permission the procedure declares in 手続きナビ's catalogue,
//! and adding or changing certificate lines needs `request_certificate`. Only what the save changes
//! counts (a procedure already accepted, certificate lines already there), so that anyone who may update
//! the case can still add a memo to it.
//!
//! A kiosk case (`kiosk_apply`) therefore holds procedures not yet accepted (`pending`) and no
//! certificate lines: the kiosk holds neither permission.

use crate::navigation::Catalog;
use crate::permission::Permission;

use super::{CaseDocument, CertificateLine};

/// One thing a save does that needs a permission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Requirement {
    /// Accepting the procedure `code` (its name as the case or the catalogue gives it).
    Procedure {
        code: String,
        name: String,
        permission: Permission,
    },
    /// Adding or changing certificate lines (証明書交付請求).
    Certificates,
}

impl Requirement {
    pub fn permission(&self) -> Permission {
        match self {
            Requirement::Procedure { permission, .. } => *permission,
            Requirement::Certificates => Permission::RequestCertificate,
        }
    }
}

fn line_key(c: &CertificateLine) -> impl PartialEq + '_ {
    (
        &c.item,
        c.copies,
        &c.exemption,
        &c.subject,
        &c.scope,
        &c.items,
        c.year,
        &c.purpose,
    )
}

/// Procedures newly accepted in `doc` (accepted now, not in `stored`), in the case's order.
pub fn newly_accepted<'d>(
    doc: &'d CaseDocument,
    stored: Option<&CaseDocument>,
) -> Vec<&'d super::CaseProcedure> {
    let was_accepted = |code: &str| {
        stored.is_some_and(|s| {
            s.procedures
                .iter()
                .any(|p| p.code == code && p.state == "accepted")
        })
    };
    doc.procedures
        .iter()
        .filter(|p| p.state == "accepted" && !was_accepted(&p.code))
        .collect()
}

/// What saving `doc` over `stored` (`None` for a new case) needs, in the case's order. A procedure the
/// catalogue does not know (withdrawn, or the city's own rules removed) needs `accept_notification`,
/// as does one whose catalogue entry names no known permission.
pub fn requirements(
    doc: &CaseDocument,
    stored: Option<&CaseDocument>,
    catalog: Option<&Catalog>,
) -> Vec<Requirement> {
    let mut out: Vec<Requirement> = newly_accepted(doc, stored)
        .into_iter()
        .map(|p| {
            let declared = catalog
                .and_then(|c| c.procedures.iter().find(|q| q.code == p.code))
                .and_then(|q| Permission::from_code(&q.permission));
            Requirement::Procedure {
                code: p.code.clone(),
                name: p.name.clone(),
                permission: declared.unwrap_or(Permission::AcceptNotification),
            }
        })
        .collect();
    let before: Vec<_> = stored
        .map(|s| s.certificates.iter().map(line_key).collect())
        .unwrap_or_default();
    if doc
        .certificates
        .iter()
        .any(|c| !before.contains(&line_key(c)))
    {
        out.push(Requirement::Certificates);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case_document::CaseProcedure;

    fn doc(json: &str) -> CaseDocument {
        serde_json::from_str(json).expect("document")
    }

    fn with(procedures: &[(&str, &str)], certificates: &[(&str, u32)]) -> CaseDocument {
        let mut d = doc(
            r#"{"visitor":{"kind":"本人","atena_no":null,"name":"","relation":"","proxy_letter":false,"id_document":""}}"#,
        );
        d.procedures = procedures
            .iter()
            .map(|(code, state)| CaseProcedure {
                code: (*code).into(),
                name: format!("{code}の手続"),
                counter: "市民課".into(),
                on_the_spot: true,
                state: (*state).into(),
                reasons: vec![],
                forms: vec![],
                bring: vec![],
            })
            .collect();
        d.certificates = certificates
            .iter()
            .map(|(item, copies)| {
                serde_json::from_str(&format!(r#"{{"item":"{item}","copies":{copies}}}"#))
                    .expect("line")
            })
            .collect();
        d
    }

    fn catalog() -> Catalog {
        Catalog::standard().expect("catalogue")
    }

    #[test]
    fn a_newly_accepted_procedure_needs_its_declared_permission() {
        let c = catalog();
        let p = c
            .procedures
            .iter()
            .find(|p| p.permission == "view_qualifications")
            .or_else(|| c.procedures.first())
            .expect("a procedure");
        let declared = Permission::from_code(&p.permission).expect("known");
        let new = with(
            &[(p.code.as_str(), "accepted"), ("unknown-x", "pending")],
            &[],
        );
        assert_eq!(
            requirements(&new, None, Some(&c)),
            [Requirement::Procedure {
                code: p.code.clone(),
                name: format!("{}の手続", p.code),
                permission: declared,
            }]
        );
        // Already accepted before: nothing more is asked.
        assert!(requirements(&new, Some(&new), Some(&c)).is_empty());
        // Pending or printed: nothing asked (a kiosk case).
        let pending = with(&[(p.code.as_str(), "pending"), ("y", "printed")], &[]);
        assert!(requirements(&pending, None, Some(&c)).is_empty());
    }

    #[test]
    fn an_unknown_procedure_needs_accept_notification() {
        let d = with(&[("no-such-procedure", "accepted")], &[]);
        assert_eq!(
            requirements(&d, None, Some(&catalog()))[0].permission(),
            Permission::AcceptNotification
        );
        assert_eq!(
            requirements(&d, None, None)[0].permission(),
            Permission::AcceptNotification
        );
    }

    #[test]
    fn added_or_changed_certificate_lines_need_request_certificate() {
        let before = with(&[], &[("JUMINHYO", 1)]);
        assert!(requirements(&before, Some(&before), None).is_empty());
        let more = with(&[], &[("JUMINHYO", 2)]);
        assert_eq!(
            requirements(&more, Some(&before), None),
            [Requirement::Certificates]
        );
        assert_eq!(
            requirements(&before, None, None),
            [Requirement::Certificates]
        );
        // Removing lines asks nothing.
        assert!(requirements(&with(&[], &[]), Some(&before), None).is_empty());
    }
}
