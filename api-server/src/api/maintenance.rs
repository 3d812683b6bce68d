//! The maintenance window (保守による計画停止): while an admin's maintenance notice declares one for
//! the tenant (its stop within the notice's period: a notice ended early stops nothing more), the
//! API answers 503 with a Japanese message. The guard asks here once it knows the
//! session's tenant, so public routes (health, login, the counter list, the status page, the update
//! file) always answer. Also exempt: the session's own routes (`/api/v1/auth/…`), the staff's notices
//! (`/api/v1/notices…`, so they read why) and the admin's notices (`/api/v1/admin/notices…`, so an admin
//! can end or shorten the window during it). Terminals keep their writes in the outbox and retry.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};

use super::ApiError;
use crate::AppState;
use crate::auth::Session;

/// Route prefixes that answer during a maintenance window.
const EXEMPT: &[&str] = &["/api/v1/auth/", "/api/v1/notices", "/api/v1/admin/notice"];

/// The 503 for a session's request during its tenant's maintenance window, or `None`.
pub(super) async fn refusal(state: &AppState, session: &Session, route: &str) -> Option<Response> {
    if EXEMPT.iter().any(|p| route.starts_with(p)) {
        return None;
    }
    let (store, cache, tenant) = (
        state.store.clone(),
        state.maintenance.clone(),
        session.tenant().clone(),
    );
    let active = crate::blocking(move || {
        cache
            .active(store.as_ref(), &tenant, Utc::now())
            .map_err(ApiError::from)
    })
    .await;
    match active {
        Ok(Some(end)) => Some(answer(end)),
        Ok(None) => None,
        Err(e) => Some(e.into_response()),
    }
}

fn answer(end: DateTime<Utc>) -> Response {
    let jst = end + chrono::Duration::hours(9);
    let mut res = ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "maintenance",
        format!(
            "システムの保守作業のため、ただいま停止しています。{}に再開する予定です。",
            jst.format("%-m月%-d日 %H:%M")
        ),
    )
    .into_response();
    let wait = (end - Utc::now()).num_seconds().clamp(1, 3600);
    if let Ok(v) = HeaderValue::from_str(&wait.to_string()) {
        res.headers_mut().insert(header::RETRY_AFTER, v);
    }
    res
}
