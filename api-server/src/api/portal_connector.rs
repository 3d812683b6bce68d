//! The マイナポータル connector for administrators: its last rounds (when, the last failure, counts)
//! and a round now (the button). Audited.

use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::{ApiError, ErrorBody};
use crate::auth::Session;
use crate::portal::connector::Connector;
use crate::{AppState, audit};

/// The connector as administrators see it.
#[derive(Serialize, ToSchema)]
pub struct PortalConnectorView {
    /// Whether this server runs a connector for the tenant (MADOGUCHI_PORTAL_URL).
    pub configured: bool,
    /// The portal's API base URL.
    pub base_url: Option<String>,
    /// Whether the LGWAN proxy (MADOGUCHI_PORTAL_PROXY) is used.
    pub proxy: bool,
    pub interval_secs: Option<u64>,
    pub last_run_at: Option<DateTime<Utc>>,
    pub last_success_at: Option<DateTime<Utc>>,
    /// The last round's failure (English, from the connection), none after a success.
    pub last_error: Option<String>,
    /// Rounds failed in a row.
    pub failures: u32,
    /// Applications fetched since the server started.
    pub fetched: usize,
    /// Statuses reported since the server started.
    pub reported: usize,
}

fn connector<'a>(state: &'a AppState, session: &Session) -> Option<&'a std::sync::Arc<Connector>> {
    state
        .portal
        .as_ref()
        .filter(|c| &c.settings().tenant == session.tenant())
}

fn view(c: Option<&std::sync::Arc<Connector>>) -> PortalConnectorView {
    let Some(c) = c else {
        return PortalConnectorView {
            configured: false,
            base_url: None,
            proxy: false,
            interval_secs: None,
            last_run_at: None,
            last_success_at: None,
            last_error: None,
            failures: 0,
            fetched: 0,
            reported: 0,
        };
    };
    let s = c.status();
    PortalConnectorView {
        configured: true,
        base_url: Some(c.settings().base_url.clone()),
        proxy: c.settings().proxy.is_some(),
        interval_secs: Some(c.settings().interval.as_secs()),
        last_run_at: s.last_run_at,
        last_success_at: s.last_success_at,
        last_error: s.last_error,
        failures: s.failures,
        fetched: s.fetched,
        reported: s.reported,
    }
}

/// The connector's state. Audited.
#[utoipa::path(get, path = "/api/v1/admin/portal/connector", security(("bearer" = [])),
    responses((status = 200, body = PortalConnectorView), (status = 403, body = ErrorBody)))]
pub async fn connector_status(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<PortalConnectorView>, ApiError> {
    let v = view(connector(&state, &session));
    let store = state.store.clone();
    crate::blocking(move || {
        audit::by_session(store.as_ref(), &session, "portal.connector", None, "ok")?;
        Ok::<_, ApiError>(())
    })
    .await?;
    Ok(Json(v))
}

/// Runs a round now (fetch, then report statuses); answers the state after it, a failure included
/// (`last_error`). Audited.
#[utoipa::path(post, path = "/api/v1/admin/portal/connector/run", security(("bearer" = [])),
    responses((status = 200, body = PortalConnectorView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn run_connector(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<PortalConnectorView>, ApiError> {
    let c = connector(&state, &session)
        .cloned()
        .ok_or_else(|| ApiError::not_found("マイナポータルとの接続が設定されていません。"))?;
    let outcome = c.round_now().await;
    let store = state.store.clone();
    let result = if outcome.is_ok() { "ok" } else { "failed" };
    crate::blocking(move || {
        audit::by_session(
            store.as_ref(),
            &session,
            "portal.connector.run",
            None,
            result,
        )?;
        Ok::<_, ApiError>(())
    })
    .await?;
    Ok(Json(view(Some(&c))))
}
