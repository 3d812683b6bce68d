//! 事前申請 (issue 21 point 3): what a resident prepared on their phone, carried to the counter as a
//! signed QR code (`sign`) or sent under a 受付番号, and read back by the staff at the counter.

pub mod counter;
pub mod kiosk;
pub mod qr_checks;
pub mod send;
pub mod sign;

pub use counter::expired;

use serde::Deserialize;
use utoipa::IntoParams;

use super::ApiError;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TenantQuery {
    /// Tenant (municipality) id.
    pub tenant: String,
}

impl TenantQuery {
    /// The tenant named in the query, refused when it cannot be one.
    pub(super) fn tenant(self) -> Result<madoguchi_store::TenantId, ApiError> {
        tenant_id(self.tenant)
    }
}

/// A tenant named in a public route's query, refused when it cannot be one.
pub(super) fn tenant_id(name: String) -> Result<madoguchi_store::TenantId, ApiError> {
    if name.is_empty() || name.len() > 100 {
        return Err(ApiError::bad_request(
            "invalid_tenant",
            "団体の指定が正しくありません。",
        ));
    }
    Ok(madoguchi_store::TenantId(name))
}

/// The city exists (a public route names it in its query): 404 in Japanese otherwise.
fn known_tenant(
    store: &dyn madoguchi_store::Store,
    tenant: &madoguchi_store::TenantId,
) -> Result<(), ApiError> {
    match store.tenant_name(tenant)? {
        Some(_) => Ok(()),
        None => Err(ApiError::not_found(
            "その団体の事前申請は受け付けていません。",
        )),
    }
}

/// Entries a phone sent, checked against today (JST): 422 `invalid_entries` with the reason.
fn check_entries(
    entries: &madoguchi_core::pre_application::Entries,
    today: chrono::NaiveDate,
) -> Result<(), ApiError> {
    entries.validate(today).map_err(|e| {
        ApiError::new(
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_entries",
            e.message_ja(),
        )
    })
}
