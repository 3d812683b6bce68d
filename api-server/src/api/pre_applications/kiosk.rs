//! `POST /api/v1/kiosk/pre-application`: the kiosk reads a resident's 事前申請 — the QR symbols scanned
//! so far, or the 受付番号 with the applicant's birth date (as the resident's own deletion checks it).
//!
//! Only the 事前申請 body comes back: a case's or a certificate's code is refused (the kiosk opens no
//! case and verifies no certificate), and a wrong birth date answers exactly as an unknown number, so
//! numbers cannot be probed at a kiosk. The QR read is audited as the staff's scan (`qr.resolve`), the
//! number read as `pre_application.read` with the number only; nothing personal is logged.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::NaiveDate;
use madoguchi_core::pre_application::{Body, number};
use madoguchi_qr_payload::Kind;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::super::{ApiError, ErrorBody, qr, today_jst};
use crate::auth::Session;
use crate::{AppState, audit, blocking};

/// What the kiosk read: the QR symbols scanned so far, or a 受付番号 with the applicant's birth date.
#[derive(Deserialize, ToSchema)]
#[serde(untagged)]
pub enum KioskPreApplicationRequest {
    Symbols(KioskSymbols),
    Number(KioskNumber),
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct KioskSymbols {
    /// The text of every symbol scanned so far (one per QR code; any order).
    pub symbols: Vec<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct KioskNumber {
    /// The 受付番号 (hyphens, spaces and full-width digits allowed).
    pub number: String,
    /// The applicant's birth date, as sent.
    pub birth: NaiveDate,
}

#[derive(Serialize, ToSchema)]
pub struct KioskPreApplication {
    /// The 受付番号 when it was read by number (a QR code has none).
    pub number: Option<String>,
    /// What the resident entered.
    pub body: Body,
}

/// The refusal of a Madoguchi code that is not a 事前申請 (a case's or a certificate's).
fn not_for_the_kiosk() -> ApiError {
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "qr_not_for_kiosk",
        "このQRコードはキオスクでは読み取れません。窓口へお越しください。",
    )
}

/// The answer to an unknown number and to a wrong birth date alike.
fn not_found() -> ApiError {
    ApiError::not_found(
        "受付番号か生年月日が違うか、事前申請が削除されています。入力を確かめてください。",
    )
}

/// A 事前申請 read at the kiosk (QR symbols, or 受付番号 and birth date).
#[utoipa::path(post, path = "/api/v1/kiosk/pre-application", security(("bearer" = [])),
    request_body = KioskPreApplicationRequest,
    responses(
        (status = 200, body = KioskPreApplication),
        (status = 400, description = "no symbols, or not a 受付番号 (`invalid_number`)", body = ErrorBody),
        (status = 404, description = "no application for this number and birth date", body = ErrorBody),
        (status = 422, description = "`qr_incomplete` (parts missing), `qr_bad_signature`, `qr_not_ours`, \
`qr_not_for_kiosk` (a case's or certificate's code), `pre_application_other_city`, `pre_application_expired`",
            body = ErrorBody),
    ))]
pub async fn read(
    State(state): State<AppState>,
    session: Session,
    Json(req): Json<KioskPreApplicationRequest>,
) -> Result<Json<KioskPreApplication>, ApiError> {
    let store = state.store.clone();
    blocking(move || match req {
        KioskPreApplicationRequest::Symbols(s) => by_symbols(store.as_ref(), &session, &s.symbols),
        KioskPreApplicationRequest::Number(n) => by_number(store.as_ref(), &session, &n),
    })
    .await
    .map(Json)
}

fn by_symbols(
    store: &dyn madoguchi_store::Store,
    session: &Session,
    symbols: &[String],
) -> Result<KioskPreApplication, ApiError> {
    let payload = qr::verified_payload(store, session, symbols)?;
    if payload.kind != Kind::PreApplication {
        return Err(not_for_the_kiosk());
    }
    let body: Body = serde_json::from_str(&payload.body).map_err(ApiError::internal)?;
    Ok(KioskPreApplication { number: None, body })
}

fn by_number(
    store: &dyn madoguchi_store::Store,
    session: &Session,
    req: &KioskNumber,
) -> Result<KioskPreApplication, ApiError> {
    let Some(number) = number::normalize(&req.number) else {
        return Err(ApiError::bad_request(
            "invalid_number",
            "受付番号が正しくありません（8桁の数字です）。番号を確かめて入力し直してください。",
        ));
    };
    let today = today_jst();
    let found = store
        .pre_application(session.tenant(), &number)?
        .filter(|p| p.birth == req.birth);
    let outcome = match &found {
        Some(p) if p.expires < today => "expired",
        Some(_) => "ok",
        None => "not_found",
    };
    let subject = Some(format!("pre-application:{number}"));
    audit::read_by_session(store, session, "pre_application.read", subject, outcome)?;
    let Some(found) = found else {
        return Err(not_found());
    };
    if found.expires < today {
        return Err(super::expired());
    }
    let body: Body = serde_json::from_str(&found.body).map_err(ApiError::internal)?;
    Ok(KioskPreApplication {
        number: Some(found.number),
        body,
    })
}
