//! A counter terminal reports its devices over HTTP (`PUT /api/v1/terminal/devices`): only a session
//! opened on an enrolled terminal (its login signed with the device key) may, and only for itself —
//! the terminal is the session's, never named by the request. Stored by `crate::terminal_devices`.

use axum::Json;
use axum::extract::State;
use chrono::Utc;
use madoguchi_api::{DeviceReport, DeviceStatus};

use super::{ApiError, ErrorBody};
use crate::auth::Session;
use crate::{AppState, audit, blocking};

/// The enrolled terminal of the session, or why it may not report.
fn terminal_of(session: &Session) -> Result<String, ApiError> {
    session.record.terminal.clone().ok_or_else(|| {
        ApiError::bad_request(
            "no_terminal",
            "機器の状態は、登録された端末だけが報告できます。",
        )
    })
}

/// The session's terminal reports its devices (sent when they changed). Audited.
#[utoipa::path(put, path = "/api/v1/terminal/devices", security(("bearer" = [])),
    request_body = DeviceReport,
    responses((status = 200, body = DeviceStatus), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn put_devices(
    State(state): State<AppState>,
    session: Session,
    Json(report): Json<DeviceReport>,
) -> Result<Json<DeviceStatus>, ApiError> {
    let terminal = terminal_of(&session)?;
    report.check().map_err(|field| {
        ApiError::bad_request(
            "invalid_report",
            format!("{field} が長すぎます（200文字まで）。"),
        )
    })?;
    let store = state.store.clone();
    blocking(move || {
        let store = store.as_ref();
        let tenant = session.tenant();
        // A terminal removed since its login reports nothing.
        if store.find_terminal(tenant, &terminal)?.is_none() {
            return Err(ApiError::not_found("登録された端末が見つかりません。"));
        }
        let event = audit::event_for(
            &session,
            "terminal_devices.put",
            Some(format!("terminal:{terminal}")),
            "ok",
        );
        let status =
            crate::terminal_devices::put(store, tenant, &terminal, report, Utc::now(), &event)?;
        Ok(Json(status))
    })
    .await
}
