//! Certificate fees: the table and the total of a request (exemptions to 0円 with their reason).

use axum::Json;
use axum::extract::State;
use madoguchi_core::fees::{FeeTable, Request};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ApiError, ErrorBody};
use crate::auth::Session;
use crate::{AppState, audit, blocking};

/// Key of the tenant's own fee table in the store.
pub(super) const FEE_TABLE: &str = "fee_table";

/// The tenant's fee table (its own, if an administrator stored one), or the standard one.
pub(super) fn table(
    state: &AppState,
    store: &dyn madoguchi_store::Store,
    tenant: &madoguchi_store::TenantId,
) -> Result<FeeTable, ApiError> {
    match store.tenant_setting(tenant, FEE_TABLE)? {
        Some(text) => FeeTable::parse(&text)
            .map_err(|e| ApiError::internal(format!("stored fee table no longer parses: {e}"))),
        None => state
            .fees
            .as_ref()
            .as_ref()
            .cloned()
            .map_err(|e| ApiError::internal(format!("fee table failed to load: {e}"))),
    }
}

/// Replace this municipality's fee table (手数料条例): the whole table as TOML (see
/// `crates/madoguchi-core/data/fees.toml`). A bad table is refused with the reason.
#[utoipa::path(put, path = "/api/v1/admin/fee-table", security(("bearer" = [])),
    request_body(content = String, content_type = "text/plain"),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_table(
    State(state): State<AppState>,
    session: Session,
    text: String,
) -> Result<axum::http::StatusCode, ApiError> {
    FeeTable::parse(&text).map_err(|reason| {
        ApiError::new(
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_fee_table",
            reason,
        )
    })?;
    let store = state.store.clone();
    blocking(move || {
        store.put_tenant_setting(
            session.tenant(),
            FEE_TABLE,
            &text,
            &audit::event_for(&session, "fee_table.put", None, "ok"),
        )?;
        Ok(axum::http::StatusCode::NO_CONTENT)
    })
    .await
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
    session: Session,
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
    let store = state.store.clone();
    let st = state.clone();
    let fee_table = blocking(move || table(&st, store.as_ref(), session.tenant())).await?;
    let q = fee_table
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

#[derive(Debug, Serialize, ToSchema)]
pub struct FeeItemView {
    pub code: String,
    pub name: String,
    /// Yen per copy.
    pub yen: u32,
}

impl From<madoguchi_core::fees::FeeItem> for FeeItemView {
    fn from(i: madoguchi_core::fees::FeeItem) -> Self {
        FeeItemView {
            code: i.code,
            name: i.name,
            yen: i.yen,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExemptionView {
    pub code: String,
    pub name: String,
    /// Item codes it applies to.
    pub items: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FeeTableView {
    pub items: Vec<FeeItemView>,
    pub exemptions: Vec<ExemptionView>,
}

/// The certificates this municipality issues, with their fee per copy and the exemptions.
#[utoipa::path(get, path = "/api/v1/fees/table", security(("bearer" = [])),
    responses((status = 200, body = FeeTableView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn get_table(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<FeeTableView>, ApiError> {
    let store = state.store.clone();
    let st = state.clone();
    let t = blocking(move || table(&st, store.as_ref(), session.tenant())).await?;
    Ok(Json(FeeTableView {
        items: t.items.into_iter().map(FeeItemView::from).collect(),
        exemptions: t
            .exemptions
            .into_iter()
            .map(|x| ExemptionView {
                code: x.code,
                name: x.name,
                items: x.items,
            })
            .collect(),
    }))
}
