//! Administration over HTTP: accounts (admin) and the audit log (view_audit).

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{ApiError, ErrorBody};
use crate::audit;
use crate::auth::Session;
use crate::{AppState, blocking};

#[derive(Serialize, ToSchema)]
pub struct UserView {
    pub login: String,
    pub display_name: String,
    /// Group codes.
    pub groups: Vec<String>,
    pub locked: bool,
    pub disabled: bool,
    pub failed_logins: u32,
    /// Last day the account may log in (有効期間).
    pub valid_until: Option<NaiveDate>,
}

/// The tenant's staff accounts.
#[utoipa::path(get, path = "/api/v1/admin/users", security(("bearer" = [])),
    responses((status = 200, body = [UserView]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_users(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<Vec<UserView>>, ApiError> {
    let store = state.store.clone();
    let users = blocking::<_, ApiError>(move || {
        let users = store.list_users(session.tenant())?;
        audit::by_session(store.as_ref(), &session, "user.list", None, "ok")?;
        Ok(users)
    })
    .await?;
    Ok(Json(
        users
            .into_iter()
            .map(|u| UserView {
                login: u.login,
                display_name: u.display_name,
                groups: u.groups,
                locked: u.locked,
                disabled: u.disabled,
                failed_logins: u.failed_logins,
                valid_until: u.valid_until,
            })
            .collect(),
    ))
}

/// Unlock an account locked after repeated failed logins.
#[utoipa::path(post, path = "/api/v1/admin/users/{login}/unlock", security(("bearer" = [])),
    params(("login" = String, Path, description = "ユーザーID")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn unlock_user(
    State(state): State<AppState>,
    session: Session,
    Path(login): Path<String>,
) -> Result<StatusCode, ApiError> {
    let store = state.store.clone();
    let found = blocking::<_, ApiError>(move || {
        let event = audit::event_for(&session, "user.unlock", Some(login.clone()), "ok");
        Ok(store.unlock_user(session.tenant(), &login, &event)?)
    })
    .await?;
    if found {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found("該当するユーザーが見つかりません。"))
    }
}

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
