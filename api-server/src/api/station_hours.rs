//! The issuance stations' opening hours (発行端末の受付時間), set by an administrator: the weekdays and the
//! hours a station takes requests, and the city's closed days (休日) (`core::certificate::hours`). A
//! station's setup may have its own hours instead of the city's (`station_setup`); the closed days
//! apply to every station. Without hours a station is open whenever it is on, except on closed days.
//! Outside them the station's status says when it opens next and a request is refused.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use madoguchi_core::certificate::hours::{Calendar, ClosedDays, Hours};
use madoguchi_core::certificate::station_setup::StationSetup;
use madoguchi_store::{Store, TenantId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ApiError, ErrorBody};
use crate::auth::Session;
use crate::{AppState, audit, blocking};

/// Tenant setting: the stored form of [`Hours`] (`1,2,3,4,5 08:30-17:15`); absent or empty: always
/// open.
const HOURS_SETTING: &str = "station_hours";
/// Tenant setting: the stored form of [`ClosedDays`] (`2026-12-29,2026-12-30`); absent: none.
const CLOSED_DAYS_SETTING: &str = "station_closed_days";

/// The stations' opening hours and the city's closed days as the admin screen edits them.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StationHoursView {
    /// `false`: no hours set, the stations take requests at any time but on closed days (a station
    /// with its own hours keeps them).
    pub enabled: bool,
    /// Open weekdays, 1 (月) … 7 (日).
    pub days: Vec<u8>,
    /// `08:30`.
    pub open: String,
    /// `17:15` (requests until before this time).
    pub close: String,
    /// The city's closed days (休日), ISO dates in date order: every station is closed all day.
    pub closed_days: Vec<String>,
}

/// A station's own opening hours (its setup), as the admin screen edits them.
#[derive(Serialize, Deserialize, ToSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct HoursView {
    /// Open weekdays, 1 (月) … 7 (日).
    pub days: Vec<u8>,
    /// `09:00`.
    pub open: String,
    /// `12:00` (requests until before this time).
    pub close: String,
}

impl HoursView {
    /// Checked (Japanese reason otherwise).
    pub(super) fn parse(&self) -> Result<Hours, String> {
        parse_hours(&self.days, &self.open, &self.close)
    }
}

impl From<Hours> for HoursView {
    fn from(h: Hours) -> Self {
        HoursView {
            days: (1..=7u8).filter(|n| h.days[usize::from(*n) - 1]).collect(),
            open: h.open.format("%H:%M").to_string(),
            close: h.close.format("%H:%M").to_string(),
        }
    }
}

fn parse_hours(days: &[u8], open: &str, close: &str) -> Result<Hours, String> {
    let days: Vec<String> = days.iter().map(u8::to_string).collect();
    Hours::parse(&format!("{} {open}-{close}", days.join(",")))
}

/// The tenant's opening hours, if set (a stored value that no longer parses counts as none, logged).
fn hours(store: &dyn Store, tenant: &TenantId) -> Result<Option<Hours>, ApiError> {
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

/// The city's closed days (a stored value that no longer parses counts as none, logged).
fn closed_days(store: &dyn Store, tenant: &TenantId) -> Result<ClosedDays, ApiError> {
    let text = store.tenant_setting(tenant, CLOSED_DAYS_SETTING)?;
    Ok(ClosedDays::parse(text.as_deref().unwrap_or_default())
        .inspect_err(|_| tracing::error!("stored closed days no longer parse"))
        .unwrap_or_default())
}

/// When the station with `setup` takes requests: its own hours or the city's, and the city's closed
/// days.
fn calendar(
    store: &dyn Store,
    tenant: &TenantId,
    setup: &StationSetup,
) -> Result<Calendar, ApiError> {
    Ok(Calendar {
        hours: match setup.hours {
            Some(own) => Some(own),
            None => hours(store, tenant)?,
        },
        closed: closed_days(store, tenant)?,
    })
}

/// Why the station with `setup` is closed now (Japanese, with when it opens next), or `None` when
/// it is open.
pub(super) fn closed_now(
    store: &dyn Store,
    tenant: &TenantId,
    setup: &StationSetup,
) -> Result<Option<String>, ApiError> {
    Ok(calendar(store, tenant, setup)?.closed_message(crate::clock::now_jst()))
}

fn view(h: Option<Hours>, closed: &ClosedDays) -> StationHoursView {
    let (enabled, h) = match h {
        Some(h) => (true, HoursView::from(h)),
        None => (
            false,
            HoursView {
                days: vec![1, 2, 3, 4, 5],
                open: "08:30".into(),
                close: "17:15".into(),
            },
        ),
    };
    StationHoursView {
        enabled,
        days: h.days,
        open: h.open,
        close: h.close,
        closed_days: closed
            .dates()
            .map(|d| d.format("%Y-%m-%d").to_string())
            .collect(),
    }
}

/// The issuance stations' opening hours and the city's closed days.
#[utoipa::path(get, path = "/api/v1/admin/station-hours", security(("bearer" = [])),
    responses((status = 200, body = StationHoursView), (status = 403, body = ErrorBody)))]
pub async fn get_station_hours(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<StationHoursView>, ApiError> {
    let store = state.store.clone();
    blocking(move || {
        let (store, tenant) = (store.as_ref(), session.tenant());
        Ok(Json(view(
            hours(store, tenant)?,
            &closed_days(store, tenant)?,
        )))
    })
    .await
}

/// Sets the issuance stations' opening hours (`enabled: false`: none, always open) and the city's
/// closed days. Audited.
#[utoipa::path(put, path = "/api/v1/admin/station-hours", security(("bearer" = [])),
    request_body = StationHoursView,
    responses((status = 200, body = StationHoursView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn put_station_hours(
    State(state): State<AppState>,
    session: Session,
    Json(req): Json<StationHoursView>,
) -> Result<Json<StationHoursView>, ApiError> {
    let invalid = |m: String| ApiError::new(StatusCode::BAD_REQUEST, "invalid_hours", m);
    let hours = parse_hours(&req.days, &req.open, &req.close).map_err(invalid)?;
    let text = if req.enabled {
        hours.to_text()
    } else {
        String::new()
    };
    let closed = ClosedDays::parse(&req.closed_days.join(","))
        .map_err(|m| ApiError::new(StatusCode::BAD_REQUEST, "invalid_closed_days", m))?;
    let store = state.store.clone();
    blocking(move || {
        let tenant = session.tenant();
        let event = audit::event_for(&session, "station_hours.put", None, "ok");
        store.put_tenant_setting(tenant, HOURS_SETTING, &text, &event)?;
        if closed != closed_days(store.as_ref(), tenant)? {
            let subject = Some(format!("{} days", closed.dates().count()));
            let event = audit::event_for(&session, "station_closed_days.put", subject, "ok");
            store.put_tenant_setting(tenant, CLOSED_DAYS_SETTING, &closed.to_text(), &event)?;
        }
        Ok(Json(view(stored(&text), &closed)))
    })
    .await
}
