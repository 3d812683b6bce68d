//! Certificate fees: the table and the total of a request (exemptions to 0円 with their reason).

use axum::Json;
use axum::extract::State;
use madoguchi_core::fees::{FeeTable, Request};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ApiError, ErrorBody};
use crate::AppState;
use crate::auth::Session;

fn table(state: &AppState) -> Result<&FeeTable, ApiError> {
    state
        .fees
        .as_ref()
        .as_ref()
        .map_err(|e| ApiError::internal(format!("fee table failed to load: {e}")))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuoteItem {
    /// Item code of the fee table (`JUMINHYO`, `INKAN-SHOMEI` …).
    pub item: String,
    pub copies: u32,
    /// Exemption code, when the certificate is for a purpose that makes it free.
    #[serde(default)]
    pub exemption: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuoteRequest {
    pub items: Vec<QuoteItem>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QuoteLine {
    pub item: String,
    pub name: String,
    pub copies: u32,
    pub unit_yen: u32,
    pub yen: u32,
    pub exemption_reason: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QuoteResponse {
    pub lines: Vec<QuoteLine>,
    pub total_yen: u32,
}

/// The fees of a certificate request, line by line, and the total.
#[utoipa::path(post, path = "/api/v1/fees/quote", security(("bearer" = [])), request_body = QuoteRequest,
    responses((status = 200, body = QuoteResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn quote(
    State(state): State<AppState>,
    _session: Session,
    Json(req): Json<QuoteRequest>,
) -> Result<Json<QuoteResponse>, ApiError> {
    if req.items.is_empty() || req.items.len() > 50 {
        return Err(ApiError::bad_request(
            "invalid_items",
            "証明を1〜50件指定してください。",
        ));
    }
    let requests: Vec<Request> = req
        .items
        .into_iter()
        .map(|i| Request {
            item: i.item,
            copies: i.copies,
            exemption: i.exemption,
        })
        .collect();
    let q = table(&state)?
        .quote(&requests)
        .map_err(|reason| ApiError::bad_request("invalid_fee_request", reason))?;
    Ok(Json(QuoteResponse {
        total_yen: q.total_yen,
        lines: q
            .lines
            .into_iter()
            .map(|l| QuoteLine {
                item: l.item,
                name: l.name,
                copies: l.copies,
                unit_yen: l.unit_yen,
                yen: l.yen,
                exemption_reason: l.exemption_reason,
            })
            .collect(),
    }))
}
