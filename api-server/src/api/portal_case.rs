//! Turning a マイナポータル application into a case with one key: the case (受付中) about the chosen
//! resident with the procedures of the application's form, then the application 処理中 with the case
//! named. Both writes are idempotent (the case id and write id come from the application number), so
//! a retry after a failure between them completes the turn.

use chrono::Utc;
use madoguchi_core::case::CaseStatus;
use madoguchi_core::ids::AtenaNo;
use madoguchi_store::{CaseEntry, CaseWrite, PortalStatusChange, Store, StoreError};

use super::ApiError;
use crate::auth::Session;
use crate::portal::{adapter, case, forms};
use crate::{AppState, audit};

/// Makes (or finds) the case of application `no`; returns its id.
pub(super) fn make(
    state: &AppState,
    store: &dyn Store,
    session: &Session,
    no: &str,
    atena_no: Option<String>,
) -> Result<String, ApiError> {
    let tenant = session.tenant();
    let app = store
        .portal_application(tenant, no)?
        .ok_or_else(|| ApiError::not_found("申請が見つかりません。"))?;
    if let Some(id) = &app.case_id {
        return Ok(id.clone());
    }
    let form = forms::find(&app.form_code).ok_or_else(|| {
        ApiError::bad_request(
            "unknown_form",
            format!(
                "手続コード「{}」は、この窓口で受け付ける手続にありません。",
                app.form_code
            ),
        )
    })?;
    let resident = match atena_no {
        None => None,
        Some(a) => {
            let id = AtenaNo::parse(&a).map_err(|_| {
                ApiError::bad_request("invalid_atena_no", "宛名番号が正しくありません。")
            })?;
            Some(
                store
                    .get_resident(tenant, &id)?
                    .ok_or_else(|| ApiError::not_found("住民が見つかりません。"))?,
            )
        }
    };
    let catalog = super::navigation::catalog(state, store, tenant)?;
    let procedures = case::procedures(form, &catalog, crate::clock::today_jst());
    let applicant = adapter::applicant_of(&app.applicant);
    let doc = case::document(&app, applicant.as_ref(), resident.as_ref(), procedures);
    let case_id = case::case_id(no);
    let write = CaseWrite {
        case_id: case_id.clone(),
        expected_revision: None,
        status: CaseStatus::Open.code().into(),
        title: format!("マイナポータル {}（{}）", form.name, doc.visitor.name),
        subjects: resident
            .iter()
            .map(|r| r.atena_no.as_str().to_owned())
            .collect(),
        procedures: super::cases::procedure_index(&doc),
        document: madoguchi_core::case_document::stored::write(&doc),
        entry: CaseEntry {
            write_id: format!("{case_id}-open"),
            at: Utc::now(),
            user: session.record.login.clone(),
            counter: session.record.counter.clone(),
            terminal: session.record.terminal.clone(),
            lines: vec![format!(
                "マイナポータルの申請（申請番号 {no}、{}）から案件を作成",
                form.name
            )],
        },
    };
    let subject = Some(format!("case:{case_id}"));
    let event = audit::event_for(session, "portal.case", subject, "ok");
    match store.save_case(tenant, &write, &event) {
        Ok(_) | Err(StoreError::Conflict(_)) => {}
        Err(e) => return Err(e.into()),
    }
    let change = PortalStatusChange {
        status: "in_progress".into(),
        by: session.record.login.clone(),
        at: Utc::now(),
        reason: None,
        case_id: Some(case_id.clone()),
    };
    let event = audit::event_for(session, "portal.status", Some(format!("portal:{no}")), "ok");
    store.set_portal_status(tenant, no, &change, &event)?;
    Ok(case_id)
}
