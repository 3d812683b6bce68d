//! The city's 町字 for the resident's phone app (事前申請, issue 21 point 1): no login, so that a
//! resident picks their new address from the list (or finds it by postcode) instead of typing it.
//! Town names and postcodes only — the same list staff pick from — nothing about any person.

use axum::Json;
use axum::extract::{Query, State};

use super::cases::TownView;
use super::pre_applications::TenantQuery;
use super::{ApiError, ErrorBody};
use crate::{AppState, blocking};

/// The city's 町字 with their postcodes (no login).
#[utoipa::path(get, path = "/api/v1/guide/towns", params(TenantQuery),
    responses(
        (status = 200, body = Vec<TownView>),
        (status = 400, body = ErrorBody),
        (status = 404, description = "no such city", body = ErrorBody),
    ))]
pub async fn public_towns(
    State(state): State<AppState>,
    Query(q): Query<TenantQuery>,
) -> Result<Json<Vec<TownView>>, ApiError> {
    let tenant = q.tenant()?;
    let store = state.store.clone();
    blocking(move || {
        if store.tenant_name(&tenant)?.is_none() {
            return Err(ApiError::not_found("その団体の案内はありません。"));
        }
        let mut towns: Vec<TownView> = store
            .towns(&tenant)?
            .into_iter()
            .map(|t| TownView {
                full: format!("{}{}{}", t.prefecture, t.city, t.town),
                town: t.town,
                town_code: t.town_code,
                postal_code: t.postal_code,
            })
            .collect();
        towns.sort_by(|a, b| a.town_code.cmp(&b.town_code).then(a.town.cmp(&b.town)));
        Ok(Json(towns))
    })
    .await
}
