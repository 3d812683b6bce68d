//! The issuance stations' opening hours (発行端末の受付時間), set by an administrator: the weekdays and the
//! hours a station takes requests (`core::certificate::hours`). Without a setting a station is open
//! whenever the building is. Outside the hours the station's status says when it opens next and a
//! request is refused.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use madoguchi_core::certificate::hours::Hours;
use madoguchi_store::{Store, TenantId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ApiError, ErrorBody};
use crate::auth::Session;
use crate::{AppState, audit, blocking};

/// Tenant setting: the stored form of [`Hours`] (`1,2,3,4,5 08:30-17:15`); absent or empty: always
/// open.
const HOURS_SETTING: &str = "station_hours";

/// The stations' opening hours as the admin screen edits them.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StationHoursView {
    /// `false`: no hours set, the stations take requests at any time.
    pub enabled: bool,
    /// Open weekdays, 1 (月) … 7 (日).
    pub days: Vec<u8>,
    /// `08:30`.
    pub open: String,
    /// `17:15` (requests until before this time).
    pub close: String,
}

/// The tenant's opening hours, if set (a stored value that no longer parses counts as none, logged).
pub(super) fn hours(store: &dyn Store, tenant: &TenantId) -> Result<Option<Hours>, ApiError> {
    Ok(store
        .tenant_setting(tenant, HOURS_SETTING)?
        .and_then(|text| stored(&text)))
}

fn stored(text: &str) -> Option<Hours> {
    if text.trim().is_empty() {
        return None;
    }
    Hours::parse(text)
        .inspect_err(|_| tracing::error!("stored station hours no longer parse"))
        .ok()
}

/// Why a station is closed now (Japanese), or `None` when it is open.
pub(super) fn closed_now(store: &dyn Store, tenant: &TenantId) -> Result<Option<String>, ApiError> {
    let now = crate::clock::now_jst();
    Ok(hours(store, tenant)?
        .filter(|h| !h.is_open(now))
        .map(|h| h.closed_message(now)))
}

fn view(h: Option<Hours>) -> StationHoursView {
    match h {
        Some(h) => StationHoursView {
            enabled: true,
            days: (1..=7u8).filter(|n| h.days[usize::from(*n) - 1]).collect(),
            open: h.open.format("%H:%M").to_string(),
            close: h.close.format("%H:%M").to_string(),
        },
        None => StationHoursView {
            enabled: false,
            days: vec![1, 2, 3, 4, 5],
            open: "08:30".into(),
            close: "17:15".into(),
        },
    }
}

/// The issuance stations' opening hours.
#[utoipa::path(get, path = "/api/v1/admin/station-hours", security(("bearer" = [])),
    responses((status = 200, body = StationHoursView), (status = 403, body = ErrorBody)))]
pub async fn get_station_hours(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<StationHoursView>, ApiError> {
    let store = state.store.clone();
    blocking(move || Ok(Json(view(hours(store.as_ref(), session.tenant())?)))).await
}

/// Sets the issuance stations' opening hours (`enabled: false`: none, always open). Audited.
#[utoipa::path(put, path = "/api/v1/admin/station-hours", security(("bearer" = [])),
    request_body = StationHoursView,
    responses((status = 200, body = StationHoursView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn put_station_hours(
    State(state): State<AppState>,
    session: Session,
    Json(req): Json<StationHoursView>,
) -> Result<Json<StationHoursView>, ApiError> {
    let invalid = |m: String| ApiError::new(StatusCode::BAD_REQUEST, "invalid_hours", m);
    let days: Vec<String> = req.days.iter().map(u8::to_string).collect();
    let hours =
        Hours::parse(&format!("{} {}-{}", days.join(","), req.open, req.close)).map_err(invalid)?;
    let text = if req.enabled {
        hours.to_text()
    } else {
        String::new()
    };
    let store = state.store.clone();
    blocking(move || {
        let event = audit::event_for(&session, "station_hours.put", None, "ok");
        store.put_tenant_setting(session.tenant(), HOURS_SETTING, &text, &event)?;
        Ok(Json(view(stored(&text))))
    })
    .await
}
