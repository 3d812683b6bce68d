//! `POST /api/v1/pre-applications/send` and `…/{number}/delete`: a resident's 事前申請 sent to the
//! city under a 受付番号 (`madoguchi_core::pre_application::number`), and deleted by the resident.
//!
//! Public (the resident's own phone). Kept for `VALID_DAYS` days, then purged (on every sending and
//! by the server's daily job). The sending and the deletion are audited as the system's actions with
//! the 受付番号 only, nothing personal; the same `write_id` sent twice stores one application and
//! answers the same number. A wrong number and a wrong birth date get the same 404, so numbers cannot
//! be probed.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use chrono::{NaiveDate, Utc};
use madoguchi_core::pre_application::{Body, Entries, VALID_DAYS, number};
use madoguchi_store::{PreApplication, TenantId};
use ring::rand::SecureRandom;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::super::{ApiError, ErrorBody, today_jst};
use super::{TenantQuery, check_entries, known_tenant};
use crate::{AppState, audit, blocking};

/// Numbers drawn before giving up (a taken number is redrawn).
const DRAWS: usize = 8;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SendRequest {
    /// The phone's id of this sending (a retry sends the same one).
    pub write_id: String,
    pub entries: Entries,
}

#[derive(Serialize, ToSchema)]
pub struct SentPreApplication {
    /// The 受付番号 (8 digits; shown as `1234-5678`).
    pub number: String,
    /// The last day it is kept.
    pub expires: NaiveDate,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeleteRequest {
    /// The applicant's birth date, as sent.
    pub birth: NaiveDate,
}

fn subject(number: &str) -> Option<String> {
    Some(format!("pre-application:{number}"))
}

/// Sends a resident's 事前申請 to the city under a 受付番号 (no login).
#[utoipa::path(post, path = "/api/v1/pre-applications/send", params(TenantQuery), request_body = SendRequest,
    responses(
        (status = 200, body = SentPreApplication),
        (status = 404, description = "no such city", body = ErrorBody),
        (status = 422, description = "entries refused (`invalid_entries`)", body = ErrorBody),
    ))]
pub async fn send(
    State(state): State<AppState>,
    Query(q): Query<TenantQuery>,
    Json(req): Json<SendRequest>,
) -> Result<Json<SentPreApplication>, ApiError> {
    let tenant = q.tenant()?;
    if req.write_id.trim().is_empty() || req.write_id.len() > 100 {
        return Err(ApiError::bad_request(
            "invalid_write_id",
            "送信の識別子が正しくありません。画面を開き直してください。",
        ));
    }
    let today = today_jst();
    check_entries(&req.entries, today)?;
    let store = state.store.clone();
    blocking(move || {
        known_tenant(store.as_ref(), &tenant)?;
        let stored = store_once(store.as_ref(), &tenant, req, today)?;
        Ok(Json(SentPreApplication {
            number: stored.number,
            expires: stored.expires,
        }))
    })
    .await
}

/// Stores the sending under a fresh number (redrawn while taken), or finds the earlier one.
fn store_once(
    store: &dyn madoguchi_store::Store,
    tenant: &TenantId,
    req: SendRequest,
    today: NaiveDate,
) -> Result<PreApplication, ApiError> {
    let birth = req
        .entries
        .applicant()
        .map(|m| m.birth)
        .ok_or_else(|| ApiError::internal("validated entries without an applicant"))?;
    let body = Body {
        tenant: tenant.0.clone(),
        issued: today,
        entries: req.entries,
    };
    let mut sent = PreApplication {
        number: String::new(),
        write_id: req.write_id,
        birth,
        body: serde_json::to_string(&body).map_err(ApiError::internal)?,
        expires: today + chrono::Days::new(VALID_DAYS),
        sent_at: Utc::now(),
    };
    let rng = ring::rand::SystemRandom::new();
    for _ in 0..DRAWS {
        let mut random = [0u8; 4];
        rng.fill(&mut random)
            .map_err(|_| ApiError::internal("no randomness"))?;
        sent.number = number::from_random(u32::from_le_bytes(random));
        let event = audit::event(
            tenant,
            None,
            None,
            "pre_application.send",
            subject(&sent.number),
            "ok",
        );
        if let Some(stored) = store.send_pre_application(tenant, &sent, today, &event)? {
            return Ok(stored);
        }
    }
    Err(ApiError::internal("no free pre-application number"))
}

/// Deletes a sent 事前申請: the resident gives its 受付番号 and the applicant's birth date (no login).
#[utoipa::path(post, path = "/api/v1/pre-applications/{number}/delete", params(TenantQuery,
        ("number" = String, Path, description = "受付番号")),
    request_body = DeleteRequest,
    responses(
        (status = 204, description = "deleted"),
        (status = 404, description = "no such application for this number and birth date", body = ErrorBody),
    ))]
pub async fn delete(
    State(state): State<AppState>,
    Path(typed): Path<String>,
    Query(q): Query<TenantQuery>,
    Json(req): Json<DeleteRequest>,
) -> Result<StatusCode, ApiError> {
    let tenant = q.tenant()?;
    let not_found = || {
        ApiError::not_found(
            "受付番号か生年月日が違うか、すでに削除されています。入力を確かめてください。",
        )
    };
    let Some(number) = number::normalize(&typed) else {
        return Err(not_found());
    };
    let store = state.store.clone();
    blocking(move || {
        let event = audit::event(
            &tenant,
            None,
            None,
            "pre_application.delete",
            subject(&number),
            "ok",
        );
        if store.delete_pre_application(&tenant, &number, req.birth, &event)? {
            Ok(StatusCode::NO_CONTENT)
        } else {
            Err(not_found())
        }
    })
    .await
}
