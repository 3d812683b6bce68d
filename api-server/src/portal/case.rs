//! What an application becomes: a case (案件) about the matched resident with the procedures of its
//! form, in the state 受付中, its id derived from the application number (turning the same
//! application into a case twice finds the first one).

use chrono::NaiveDate;
use madoguchi_core::case_document::{CaseDocument, CaseProcedure, Visitor};
use madoguchi_core::navigation::Catalog;
use madoguchi_core::resident::Resident;
use madoguchi_store::PortalApplication;

use super::adapter::Applicant;
use super::forms::PortalForm;

/// The case id of an application: `portal-` and its number (letters, digits, `-`, `_`), or of a
/// digest of it when the number holds other characters.
pub fn case_id(application_no: &str) -> String {
    let plain = application_no
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if plain && application_no.len() <= 50 {
        return format!("portal-{application_no}");
    }
    let d = ring::digest::digest(&ring::digest::SHA256, application_no.as_bytes());
    let hex: String = d.as_ref()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("portal-{hex}")
}

/// The case's procedures: the form's, as the catalogue in force on `today` names them.
pub fn procedures(form: &PortalForm, catalog: &Catalog, today: NaiveDate) -> Vec<CaseProcedure> {
    form.procedures
        .iter()
        .filter_map(|code| catalog.in_force(today).find(|p| p.code == *code))
        .map(|p| CaseProcedure {
            code: p.code.clone(),
            name: p.name.clone(),
            counter: p.counter.clone(),
            on_the_spot: p.on_the_spot,
            state: "pending".into(),
            reasons: vec![format!("マイナポータルからの申請（{}）", form.name)],
            forms: p.forms.clone(),
            bring: p.bring.clone(),
        })
        .collect()
}

/// The case document: the resident (when matched) as the visitor, identified by the portal's
/// electronic signature when the application carried one.
pub fn document(
    app: &PortalApplication,
    applicant: Option<&Applicant>,
    resident: Option<&Resident>,
    procedures: Vec<CaseProcedure>,
) -> CaseDocument {
    let name = resident
        .map(|r| r.name.full.clone())
        .or_else(|| applicant.map(|a| a.name.clone()))
        .unwrap_or_default();
    let id_document = if app.jpki_serial.is_some() {
        "マイナンバーカード（電子署名）"
    } else {
        "マイナポータル（電子署名なし）"
    };
    CaseDocument {
        visitor: Visitor {
            kind: "本人".into(),
            atena_no: resident.map(|r| r.atena_no.as_str().to_owned()),
            name,
            relation: String::new(),
            proxy_letter: false,
            id_document: id_document.into(),
            card: None,
            jpki_verification: None,
            jpki: None,
        },
        notifications: Vec::new(),
        answers: Default::default(),
        procedures,
        certificates: Vec::new(),
        fee_total: 0,
        memo: format!(
            "マイナポータルからの申請（申請番号 {}）",
            app.application_no
        ),
        signature: None,
        station: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_ids_are_valid_client_ids() {
        assert_eq!(case_id("1000000000007"), "portal-1000000000007");
        let odd = case_id("申請/0001");
        assert!(odd.starts_with("portal-") && odd.len() == 39, "{odd}");
    }
}
