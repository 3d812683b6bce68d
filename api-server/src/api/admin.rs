//! The audit log over HTTP (view_audit). Accounts are in `accounts.rs`.

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::IntoResponse;
use serde::Deserialize;
use utoipa::IntoParams;

use super::{ApiError, ErrorBody};
use crate::audit;
use crate::auth::Session;
use crate::{AppState, blocking};

#[derive(Deserialize, IntoParams)]
pub struct AuditQuery {
    /// First day (Japan time), any accepted date form (`2026-11-01`, `R8.11.1`).
    pub from: String,
    /// Last day, inclusive.
    pub to: String,
}

/// The tenant's audit records for a period as CSV (for a PIA review). The export is itself audited.
#[utoipa::path(get, path = "/api/v1/audit", security(("bearer" = [])), params(AuditQuery),
    responses(
        (status = 200, description = "CSV (UTF-8)", content_type = "text/csv"),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
    ))]
pub async fn export_audit(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<AuditQuery>,
) -> Result<impl IntoResponse, ApiError> {
    let day = |v: &str| {
        madoguchi_core::wareki::parse_date(v)
            .map_err(|e| ApiError::bad_request("invalid_date", e.message_ja()))
    };
    let (from, to) = (day(&q.from)?, day(&q.to)?);
    if to < from || (to - from).num_days() > 366 {
        return Err(ApiError::bad_request(
            "invalid_period",
            "期間は開始日から終了日まで1年以内で指定してください。",
        ));
    }
    let end = to
        .succ_opt()
        .ok_or_else(|| ApiError::bad_request("invalid_period", "終了日が大きすぎます。"))?;
    let store = state.store.clone();
    let csv = blocking::<_, ApiError>(move || {
        let records = store.audit_records(
            session.tenant(),
            audit::jst_midnight(from),
            audit::jst_midnight(end),
        )?;
        audit::by_session(
            store.as_ref(),
            &session,
            "audit.export",
            Some(format!("{from}..{to}")),
            "ok",
        )?;
        Ok(audit::to_csv(&records))
    })
    .await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"audit.csv\"",
            ),
        ],
        csv,
    ))
}
