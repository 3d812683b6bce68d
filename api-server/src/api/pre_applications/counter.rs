//! `GET /api/v1/pre-applications/{number}`: a sent 事前申請 read at the counter by its 受付番号 (staff;
//! the read is audited with the number). The staff app opens a new case from it as from a scanned QR
//! code.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::NaiveDate;
use madoguchi_core::pre_application::{Body, number};
use serde::Serialize;
use utoipa::ToSchema;

use super::super::{ApiError, ErrorBody, today_jst};
use crate::auth::Session;
use crate::{AppState, audit, blocking};

#[derive(Serialize, ToSchema)]
pub struct PreApplicationView {
    /// The 受付番号 (8 digits).
    pub number: String,
    /// What the resident entered, as in a `pre_application` QR code.
    pub body: Body,
    /// The last day it is kept.
    pub expires: NaiveDate,
}

/// The refusal of an expired 事前申請 (a QR code or a 受付番号).
pub fn expired() -> ApiError {
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "pre_application_expired",
        "この事前申請は有効期限（30日）が過ぎています。お手数ですが窓口で改めてお伺いください。",
    )
}

/// A sent 事前申請 by its 受付番号.
#[utoipa::path(get, path = "/api/v1/pre-applications/{number}", security(("bearer" = [])),
    params(("number" = String, Path, description = "受付番号 (hyphens, spaces and full-width digits allowed)")),
    responses(
        (status = 200, body = PreApplicationView),
        (status = 400, description = "not a 受付番号 (a typing mistake)", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, description = "expired (`pre_application_expired`)", body = ErrorBody),
    ))]
pub async fn get(
    State(state): State<AppState>,
    session: Session,
    Path(typed): Path<String>,
) -> Result<Json<PreApplicationView>, ApiError> {
    let Some(number) = number::normalize(&typed) else {
        return Err(ApiError::bad_request(
            "invalid_number",
            "受付番号が正しくありません（8桁の数字です）。番号を確かめて入力し直してください。",
        ));
    };
    let store = state.store.clone();
    let today = today_jst();
    blocking(move || {
        let found = store.pre_application(session.tenant(), &number)?;
        let outcome = match &found {
            Some(p) if p.expires < today => "expired",
            Some(_) => "ok",
            None => "not_found",
        };
        let subject = Some(format!("pre-application:{number}"));
        audit::read_by_session(
            store.as_ref(),
            &session,
            "pre_application.read",
            subject,
            outcome,
        )?;
        let Some(found) = found else {
            return Err(ApiError::not_found(
                "その受付番号の事前申請はありません（削除されたか、期限が過ぎています）。",
            ));
        };
        if found.expires < today {
            return Err(expired());
        }
        let body: Body = serde_json::from_str(&found.body).map_err(ApiError::internal)?;
        Ok(Json(PreApplicationView {
            number: found.number,
            body,
            expires: found.expires,
        }))
    })
    .await
}
