//! Per-procedure permissions on a case save (the route and the terminals' upload share it through
//! `cases::apply_save`): accepting a procedure needs the permission it declares in 手続きナビ's
//! catalogue, adding certificate lines needs `request_certificate`, each against the session's
//! effective permissions (its groups' ∩ its counter's). A refusal is a 403 naming the procedure,
//! audited here as a denial with the case and the procedure. The rule is
//! `madoguchi_core::case_document::permissions`.

use madoguchi_core::case_document::CaseDocument;
use madoguchi_core::case_document::permissions::{Requirement, requirements};

use super::ApiError;
use crate::auth::Session;
use crate::{AppState, audit};

fn refusal(r: &Requirement) -> ApiError {
    let label = r.permission().label_ja();
    let message = match r {
        Requirement::Procedure { name, code, .. } => {
            let name = if name.trim().is_empty() { code } else { name };
            format!(
                "手続「{name}」を受け付ける権限（{label}）がありません。ログインした窓口やアカウントの権限を確認してください。"
            )
        }
        Requirement::Certificates => format!(
            "証明書の交付請求を受け付ける権限（{label}）がありません。ログインした窓口やアカウントの権限を確認してください。"
        ),
    };
    ApiError::new(
        axum::http::StatusCode::FORBIDDEN,
        "forbidden_procedure",
        message,
    )
}

/// Refuses the save of `doc` over `stored` when it does what the session may not.
pub(super) fn check(
    state: &AppState,
    store: &dyn madoguchi_store::Store,
    session: &Session,
    case_id: &str,
    doc: &CaseDocument,
    stored: Option<&CaseDocument>,
) -> Result<(), ApiError> {
    let accepts = madoguchi_core::case_document::permissions::newly_accepted(doc, stored);
    // The catalogue is read only when a procedure is being accepted.
    let catalog = if accepts.is_empty() {
        None
    } else {
        Some(super::navigation::catalog(state, store, session.tenant())?)
    };
    let needed = requirements(doc, stored, catalog.as_deref());
    let Some(missing) = needed
        .iter()
        .find(|r| !session.permissions().contains(r.permission()))
    else {
        return Ok(());
    };
    let what = match missing {
        Requirement::Procedure { code, .. } => format!("procedure:{code}"),
        Requirement::Certificates => "certificates".to_owned(),
    };
    tracing::warn!(
        permission = missing.permission().code(),
        "case save refused: permission missing"
    );
    audit::by_session(
        store,
        session,
        "permission_denied",
        Some(format!("case:{case_id} {what}")),
        &format!("denied:{}", missing.permission().code()),
    )?;
    Err(refusal(missing).audited())
}
