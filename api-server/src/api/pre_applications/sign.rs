//! `POST /api/v1/pre-applications/sign`: the resident's entries signed into QR symbols to show at the
//! counter.
//!
//! Public (the resident's own phone, no login). Nothing is stored, logged or audited: the entries go
//! back to the device that sent them, signed with the city's QR key (`docs/qr-payload.md`, kind
//! `pre_application`) so the counter can trust what it scans. The date is the server's (JST), never
//! the phone's.

use axum::Json;
use axum::extract::{Query, State};
use chrono::NaiveDate;
use madoguchi_core::pre_application::{Body, Entries, VALID_DAYS};
use madoguchi_qr_payload::Kind;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::super::{ApiError, ErrorBody, qr, today_jst};
use super::{TenantQuery, check_entries, known_tenant};
use crate::{AppState, blocking};

/// Most characters of the message per QR symbol (as the case codes).
const CHUNK: usize = 300;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignRequest {
    pub entries: Entries,
}

#[derive(Serialize, ToSchema)]
pub struct SignedPreApplication {
    /// Each QR symbol's text, in order (scan all of them at the counter).
    pub symbols: Vec<String>,
    /// Each symbol as an SVG image (error correction M, with its quiet zone).
    pub svgs: Vec<String>,
    /// The day (JST) the server signed it.
    pub issued: NaiveDate,
    /// The last day the code is accepted.
    pub expires: NaiveDate,
}

/// Signs a resident's 事前申請 into QR codes (no login; nothing stored).
#[utoipa::path(post, path = "/api/v1/pre-applications/sign", params(TenantQuery), request_body = SignRequest,
    responses(
        (status = 200, body = SignedPreApplication),
        (status = 404, description = "no such city", body = ErrorBody),
        (status = 422, description = "entries refused (`invalid_entries`)", body = ErrorBody),
    ))]
pub async fn sign(
    State(state): State<AppState>,
    Query(q): Query<TenantQuery>,
    Json(req): Json<SignRequest>,
) -> Result<Json<SignedPreApplication>, ApiError> {
    let tenant = q.tenant()?;
    let today = today_jst();
    check_entries(&req.entries, today)?;
    let store = state.store.clone();
    blocking(move || {
        known_tenant(store.as_ref(), &tenant)?;
        let signer = qr::public_signer(store.as_ref(), &tenant)?;
        let body = Body {
            tenant: tenant.0.clone(),
            issued: today,
            entries: req.entries,
        };
        let text = serde_json::to_string(&body).map_err(ApiError::internal)?;
        let symbols = signer
            .encode(Kind::PreApplication, &text, CHUNK)
            .map_err(|_| {
                ApiError::new(
                    axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid_entries",
                    "入力が多すぎてQRコードにできません。入力を減らすか、受付番号で送信してください。",
                )
            })?;
        let svgs = symbols
            .iter()
            .map(|s| svg(s))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Json(SignedPreApplication {
            symbols,
            svgs,
            issued: today,
            expires: today + chrono::Days::new(VALID_DAYS),
        }))
    })
    .await
}

/// One symbol's QR code as an SVG (one unit per module, 4 modules of quiet zone).
pub(crate) fn svg(text: &str) -> Result<String, ApiError> {
    let code = qrcodegen::QrCode::encode_text(text, qrcodegen::QrCodeEcc::Medium)
        .map_err(|_| ApiError::internal("pre-application symbol too long for a QR code"))?;
    let n = code.size();
    let side = n + 8;
    let mut path = String::new();
    for y in 0..n {
        for x in 0..n {
            if code.get_module(x, y) {
                path.push_str(&format!("M{},{}h1v1h-1z", x + 4, y + 4));
            }
        }
    }
    Ok(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {side} {side}\" shape-rendering=\"crispEdges\">\
<rect width=\"{side}\" height=\"{side}\" fill=\"#fff\"/><path d=\"{path}\" fill=\"#000\"/></svg>"
    ))
}
