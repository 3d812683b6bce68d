//! The city's issuance rules for its stations, set by an administrator: today what a station does with
//! a request whose certificates print a person under 支援措置 (`core::certificate::protection`).

use axum::Json;
use axum::extract::State;
use madoguchi_core::certificate::protection::ProtectedAtStation;
use madoguchi_store::{Store, TenantId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ApiError, ErrorBody};
use crate::auth::Session;
use crate::{AppState, audit, blocking};

/// Tenant setting: [`ProtectedAtStation::as_setting`]; absent: refuse.
const PROTECTED_SETTING: &str = "station_support_measure";

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IssuanceRules {
    /// 支援措置 at a station: `refuse` (the resident is sent to the counter) or `staff_check` (taken,
    /// printed by hand only after an authorised member states the reason).
    pub support_measure_at_station: ProtectedAtStation,
}

/// The city's choice (refuse unless it chose otherwise).
pub(super) fn protected_at_station(
    store: &dyn Store,
    tenant: &TenantId,
) -> Result<ProtectedAtStation, ApiError> {
    let text = store.tenant_setting(tenant, PROTECTED_SETTING)?;
    Ok(ProtectedAtStation::from_setting(text.as_deref()))
}

/// The issuance rules.
#[utoipa::path(get, path = "/api/v1/admin/issuance-rules", security(("bearer" = [])),
    responses((status = 200, body = IssuanceRules), (status = 403, body = ErrorBody)))]
pub async fn get_issuance_rules(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<IssuanceRules>, ApiError> {
    let store = state.store.clone();
    blocking(move || {
        Ok(Json(IssuanceRules {
            support_measure_at_station: protected_at_station(store.as_ref(), session.tenant())?,
        }))
    })
    .await
}

/// Sets the issuance rules. Audited (`issuance_rules.put`, with the choice).
#[utoipa::path(put, path = "/api/v1/admin/issuance-rules", security(("bearer" = [])),
    request_body = IssuanceRules,
    responses((status = 200, body = IssuanceRules), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn put_issuance_rules(
    State(state): State<AppState>,
    session: Session,
    Json(req): Json<IssuanceRules>,
) -> Result<Json<IssuanceRules>, ApiError> {
    let store = state.store.clone();
    blocking(move || {
        let choice = req.support_measure_at_station.as_setting();
        let event = audit::event_for(
            &session,
            "issuance_rules.put",
            Some(format!("{PROTECTED_SETTING}={choice}")),
            "ok",
        );
        store.put_tenant_setting(session.tenant(), PROTECTED_SETTING, choice, &event)?;
        Ok(Json(req))
    })
    .await
}
