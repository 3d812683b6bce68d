//! The forms of a saved case as a print job gives them to the engine: each template with the case's
//! data (the 住民異動届 once per 異動), the visitor's registered data filled in. Printing a case and
//! the template editor's preview with a chosen case build them here, the same way.

use chrono::NaiveDate;
use madoguchi_core::case_document::{CaseDocument, Notification, form_data};

use super::ApiError;
use crate::auth::Session;

/// Template id, version label (none: the one in force), data.
pub(super) type CaseForm = (String, Option<String>, serde_json::Value);

/// The data of `templates` for the case `case_id` (its document `doc`) on `today`.
pub(super) fn case_forms(
    store: &dyn madoguchi_store::Store,
    session: &Session,
    (case_id, doc): (&str, &CaseDocument),
    templates: &[String],
    today: NaiveDate,
) -> Result<Vec<CaseForm>, ApiError> {
    let tenant = session.tenant();
    let qr = super::qr::tenant_signer(store, session)?
        .encode(madoguchi_qr_payload::Kind::Case, case_id, 300)
        .map_err(ApiError::internal)?
        .into_iter()
        .next()
        .unwrap_or_default();
    let contact = format!(
        "{} {}",
        store.tenant_name(tenant)?.unwrap_or_default(),
        session.record.counter
    );
    let moves: Vec<&Notification> = doc
        .notifications
        .iter()
        .filter(|n| matches!(n.kind.as_str(), "転入" | "転居" | "転出" | "世帯変更"))
        .collect();
    let primary = doc.notifications.first();
    let mut forms = Vec::new();
    for t in templates {
        if t == "ido-todoke" && !moves.is_empty() {
            for n in &moves {
                forms.push((
                    t.clone(),
                    None,
                    form_data(case_id, &qr, doc, Some(n), today, &contact),
                ));
            }
        } else {
            forms.push((
                t.clone(),
                None,
                form_data(case_id, &qr, doc, primary, today, &contact),
            ));
        }
    }
    if let Some(visitor) = crate::requester::registered(store, tenant, doc)? {
        for (_, _, data) in &mut forms {
            crate::requester::fill(&visitor, data);
        }
    }
    Ok(forms)
}
