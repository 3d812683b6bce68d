//! The city's fee table (手数料: items, fees, exemptions) and the memo's 定型文 as the admin screen edits
//! them (permission `admin`): read with a revision, saved whole on that revision (409 otherwise),
//! checked like every other way in (`FeeTable::checked`, `case::memo_phrases`), audited.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use madoguchi_core::case::{MEMO_PHRASES, memo_phrases};
use madoguchi_core::fees::{Exemption, FeeItem, FeeTable};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ApiError, ErrorBody};
use crate::auth::Session;
use crate::city_settings::{revision, save};
use crate::{AppState, audit, blocking};

/// Tenant setting of the memo's 定型文 (a JSON array of strings).
pub(super) const MEMO_PHRASES_SETTING: &str = "memo_phrases";

#[derive(Serialize, Deserialize, ToSchema)]
pub struct FeeItemInput {
    pub code: String,
    pub name: String,
    /// Yen per copy.
    pub yen: u32,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct ExemptionInput {
    pub code: String,
    pub name: String,
    /// Printed on the request and the receipt.
    pub reason: String,
    /// Item codes it applies to.
    pub items: Vec<String>,
}

/// The whole fee table with the revision it was read at (send it back with a save).
#[derive(Serialize, Deserialize, ToSchema)]
pub struct FeeSettings {
    /// The city named on the table.
    pub city: String,
    pub items: Vec<FeeItemInput>,
    pub exemptions: Vec<ExemptionInput>,
    /// `standard` while the city uses the standard table.
    pub revision: String,
}

fn settings(t: FeeTable, revision: String) -> FeeSettings {
    FeeSettings {
        city: t.city,
        items: t
            .items
            .into_iter()
            .map(|i| FeeItemInput {
                code: i.code,
                name: i.name,
                yen: i.yen,
            })
            .collect(),
        exemptions: t
            .exemptions
            .into_iter()
            .map(|x| ExemptionInput {
                code: x.code,
                name: x.name,
                reason: x.reason,
                items: x.items,
            })
            .collect(),
        revision,
    }
}

/// The city's fee table as the admin screen edits it.
#[utoipa::path(get, path = "/api/v1/admin/fees", security(("bearer" = [])),
    responses((status = 200, body = FeeSettings), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn get_fees(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<FeeSettings>, ApiError> {
    let store = state.store.clone();
    let st = state.clone();
    let (table, rev) = blocking::<_, ApiError>(move || {
        let stored = store.tenant_setting(session.tenant(), super::fees::FEE_TABLE)?;
        let table = super::fees::table(&st, store.as_ref(), session.tenant())?;
        Ok((table, revision(stored.as_deref())))
    })
    .await?;
    Ok(Json(settings(table, rev)))
}

/// Saves the whole fee table on the revision read: 422 with the reason when it does not hold
/// together (a duplicate item, an exemption naming no item …), 409 when someone saved since.
#[utoipa::path(put, path = "/api/v1/admin/fees", security(("bearer" = [])), request_body = FeeSettings,
    responses((status = 200, body = FeeSettings), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_fees(
    State(state): State<AppState>,
    session: Session,
    Json(req): Json<FeeSettings>,
) -> Result<Json<FeeSettings>, ApiError> {
    let trim = |s: String| s.trim().to_owned();
    let table = FeeTable {
        city: trim(req.city),
        items: req
            .items
            .into_iter()
            .map(|i| FeeItem {
                code: trim(i.code),
                name: trim(i.name),
                yen: i.yen,
            })
            .collect(),
        exemptions: req
            .exemptions
            .into_iter()
            .map(|x| Exemption {
                code: trim(x.code),
                name: trim(x.name),
                reason: trim(x.reason),
                items: x.items,
            })
            .collect(),
    }
    .checked()
    .map_err(|reason| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_fee_table",
            reason,
        )
    })?;
    let store = state.store.clone();
    let text = table.to_toml();
    let rev = blocking::<_, ApiError>(move || {
        let event = audit::event_for(&session, "fee_table.put", None, "ok");
        Ok(save(
            store.as_ref(),
            session.tenant(),
            super::fees::FEE_TABLE,
            &text,
            &req.revision,
            &event,
        )?)
    })
    .await?;
    Ok(Json(settings(table, rev)))
}

/// The memo's 定型文 with the revision they were read at.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct MemoPhrases {
    pub phrases: Vec<String>,
    /// `standard` while the city uses the standard phrases.
    pub revision: String,
}

/// The city's phrases, or the standard ones.
pub(super) fn phrases_of(stored: Option<&str>) -> Vec<String> {
    stored
        .and_then(|text| serde_json::from_str::<Vec<String>>(text).ok())
        .unwrap_or_else(|| MEMO_PHRASES.iter().map(|s| (*s).to_owned()).collect())
}

/// The memo's 定型文 as the admin screen edits them.
#[utoipa::path(get, path = "/api/v1/admin/memo-phrases", security(("bearer" = [])),
    responses((status = 200, body = MemoPhrases), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn get_memo_phrases(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<MemoPhrases>, ApiError> {
    let store = state.store.clone();
    let stored = blocking::<_, ApiError>(move || {
        Ok(store.tenant_setting(session.tenant(), MEMO_PHRASES_SETTING)?)
    })
    .await?;
    Ok(Json(MemoPhrases {
        phrases: phrases_of(stored.as_deref()),
        revision: revision(stored.as_deref()),
    }))
}

/// Saves the phrases (blank ones dropped) on the revision read.
#[utoipa::path(put, path = "/api/v1/admin/memo-phrases", security(("bearer" = [])), request_body = MemoPhrases,
    responses((status = 200, body = MemoPhrases), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_memo_phrases(
    State(state): State<AppState>,
    session: Session,
    Json(req): Json<MemoPhrases>,
) -> Result<Json<MemoPhrases>, ApiError> {
    let phrases = memo_phrases(&req.phrases).map_err(|reason| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_memo_phrases",
            reason,
        )
    })?;
    let text = serde_json::to_string(&phrases).map_err(ApiError::internal)?;
    let store = state.store.clone();
    let rev = blocking::<_, ApiError>(move || {
        let event = audit::event_for(&session, "memo_phrases.put", None, "ok");
        Ok(save(
            store.as_ref(),
            session.tenant(),
            MEMO_PHRASES_SETTING,
            &text,
            &req.revision,
            &event,
        )?)
    })
    .await?;
    Ok(Json(MemoPhrases {
        phrases,
        revision: rev,
    }))
}
