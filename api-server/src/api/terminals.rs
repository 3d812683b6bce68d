//! Terminal enrollment over HTTP (admin): the enrolled terminals and the counters' browser setting
//! (Security II point 9; the rules are in [`crate::enrollment`]).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ApiError, ErrorBody};
use crate::audit;
use crate::auth::Session;
use crate::enrollment::{Registration, RegistrationError, register};
use crate::{AppState, blocking};
use madoguchi_store::{CounterRecord, TerminalRecord};

#[derive(Serialize, ToSchema)]
pub struct TerminalView {
    pub id: String,
    pub name: String,
    /// Counter codes the terminal may serve.
    pub counters: Vec<String>,
    /// The first characters of its enrollment code, to compare with the terminal's screen.
    pub code_start: String,
    pub registered_at: DateTime<Utc>,
    pub registered_by: String,
    /// Its last device report (printers, signal tower, card reader); `null`: never reported.
    pub devices: Option<madoguchi_api::DeviceStatus>,
}

impl From<TerminalRecord> for TerminalView {
    fn from(t: TerminalRecord) -> Self {
        let code = madoguchi_core::enrollment::enrollment_code(&t.public_key);
        TerminalView {
            id: t.id,
            name: t.name,
            counters: t.counters,
            code_start: code.chars().take(9).collect(),
            registered_at: t.registered_at,
            registered_by: t.registered_by,
            devices: None,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CounterAccessView {
    pub code: String,
    pub name: String,
    /// Staff may log in here from a browser, not only from an enrolled terminal.
    pub browser_allowed: bool,
}

impl From<CounterRecord> for CounterAccessView {
    fn from(c: CounterRecord) -> Self {
        CounterAccessView {
            code: c.code,
            name: c.name,
            browser_allowed: c.browser_allowed,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct TerminalsView {
    pub terminals: Vec<TerminalView>,
    pub counters: Vec<CounterAccessView>,
}

/// The enrolled terminals and every counter with its browser setting.
#[utoipa::path(get, path = "/api/v1/admin/terminals", security(("bearer" = [])),
    responses((status = 200, body = TerminalsView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<TerminalsView>, ApiError> {
    let store = state.store.clone();
    blocking(move || {
        let tenant = session.tenant();
        let mut terminals = Vec::new();
        for t in store.list_terminals(tenant)? {
            let devices = crate::terminal_devices::stored(store.as_ref(), tenant, &t.id)?;
            terminals.push(TerminalView {
                devices,
                ..t.into()
            });
        }
        let view = TerminalsView {
            terminals,
            counters: store
                .list_counters(tenant)?
                .into_iter()
                .map(Into::into)
                .collect(),
        };
        audit::by_session(store.as_ref(), &session, "terminal.list", None, "ok")?;
        Ok(Json(view))
    })
    .await
}

#[derive(Deserialize, ToSchema)]
pub struct TerminalRegistration {
    /// What administrators call it (設置場所など); the id when empty.
    #[serde(default)]
    pub name: String,
    /// The code the terminal shows (53 characters, spaces and case ignored).
    pub enrollment_code: String,
    /// Counter codes the terminal may serve (at least one).
    pub counters: Vec<String>,
}

/// Enroll a terminal, or change its key, name or counters. Sessions opened under a replaced key or
/// at a counter taken away end.
#[utoipa::path(put, path = "/api/v1/admin/terminals/{id}", security(("bearer" = [])),
    request_body = TerminalRegistration,
    responses((status = 200, body = TerminalView), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn put(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    Json(body): Json<TerminalRegistration>,
) -> Result<Json<TerminalView>, ApiError> {
    let store = state.store.clone();
    blocking(move || {
        let registration = Registration {
            id: &id,
            name: &body.name,
            enrollment_code: &body.enrollment_code,
            counters: body.counters.clone(),
        };
        let event = audit::event_for(&session, "terminal.put", Some(id.clone()), "ok");
        match register(
            store.as_ref(),
            session.tenant(),
            &registration,
            &session.record.login,
            Utc::now(),
            &event,
        ) {
            Ok(t) => Ok(Json(t.into())),
            Err(RegistrationError::Invalid(m)) => {
                Err(ApiError::bad_request("invalid_registration", &m))
            }
            Err(RegistrationError::Store(e)) => Err(e.into()),
        }
    })
    .await
}

/// Remove a terminal's enrollment; its sessions end.
#[utoipa::path(delete, path = "/api/v1/admin/terminals/{id}", security(("bearer" = [])),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn remove(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let store = state.store.clone();
    let found = blocking::<_, ApiError>(move || {
        let event = audit::event_for(&session, "terminal.remove", Some(id.clone()), "ok");
        Ok(store.remove_terminal(session.tenant(), &id, &event)?)
    })
    .await?;
    if found {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found("該当する端末は登録されていません。"))
    }
}

#[derive(Deserialize, ToSchema)]
pub struct BrowserSetting {
    pub allowed: bool,
}

/// Allow or refuse browser logins at a counter.
#[utoipa::path(put, path = "/api/v1/admin/counters/{code}/browser", security(("bearer" = [])),
    request_body = BrowserSetting,
    responses((status = 200, body = CounterAccessView), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn set_browser(
    State(state): State<AppState>,
    session: Session,
    Path(code): Path<String>,
    Json(body): Json<BrowserSetting>,
) -> Result<Json<CounterAccessView>, ApiError> {
    let store = state.store.clone();
    blocking(move || {
        let tenant = session.tenant();
        let Some(mut counter) = store.find_counter(tenant, &code)? else {
            return Err(ApiError::not_found("該当する窓口が見つかりません。"));
        };
        counter.browser_allowed = body.allowed;
        let result = if body.allowed {
            "browser_allowed"
        } else {
            "browser_refused"
        };
        let event = audit::event_for(&session, "counter.put", Some(code.clone()), result);
        store.put_counter(tenant, &counter, &event)?;
        Ok(Json(counter.into()))
    })
    .await
}
