//! What a scanned `pre_application` QR code must also be, beyond a valid signature: this city's and
//! still valid; and the clearer refusal of a code that another city signed.

use axum::http::StatusCode;
use chrono::NaiveDate;
use madoguchi_core::pre_application::Body;
use madoguchi_qr_payload::Kind;

use super::super::ApiError;

fn other_city() -> ApiError {
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "pre_application_other_city",
        "ほかの市区町村で作られた事前申請のQRコードです。この窓口では読み取れません。",
    )
}

/// A verified pre-application body: 422 when it is another tenant's or expired.
pub fn check(
    body: &str,
    tenant: &madoguchi_store::TenantId,
    today: NaiveDate,
) -> Result<(), ApiError> {
    let body: Body = serde_json::from_str(body).map_err(ApiError::internal)?;
    if body.tenant != tenant.0 {
        return Err(other_city());
    }
    if body.is_expired(today) {
        return Err(super::expired());
    }
    Ok(())
}

/// For symbols whose signature failed: the refusal to give when they read (unverified) as a
/// pre-application of another city; `None` for anything else (a forged or damaged code).
pub fn another_city(symbols: &[String], tenant: &madoguchi_store::TenantId) -> Option<ApiError> {
    let (kind, body) = madoguchi_qr_payload::peek_unverified(symbols)?;
    if kind != Kind::PreApplication {
        return None;
    }
    let body: Body = serde_json::from_str(&body).ok()?;
    (body.tenant != tenant.0).then(other_city)
}
