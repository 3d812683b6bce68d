//! Automatic printing (自動印刷) over HTTP: a print agent — a back-office staff terminal with a document
//! printer, running staff's queue screen — claims the next request of a station set up for automatic
//! printing, issues it by `POST /api/v1/cases/{id}/certificates`, prints it and confirms or fails it by
//! `POST /api/v1/issuance/requests/{id}/actions` (the rules are in `core::certificate::station`).
//!
//! Two agents never print the same request: a claim is a case update on the revision read, so the
//! second one sees the request claimed and takes the next. A claim never confirmed expires into a
//! failure that staff resolve by hand.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::Utc;
use madoguchi_core::certificate::station::{Action, RequestState};
use madoguchi_store::{CaseFilter, Store};
use rand_core::{OsRng, RngCore};
use serde::Serialize;
use utoipa::ToSchema;

use super::cases::{parse_document, update_case};
use super::issuance::{StationRequestView, Stations, request_view};
use super::{ApiError, ErrorBody, today_jst};
use crate::auth::Session;
use crate::issuance::{self, Details, STATION_PROCEDURE};
use crate::{AppState, audit, blocking};

/// What a print agent gets: the request to print now, if any.
#[derive(Serialize, ToSchema)]
pub struct PrintClaim {
    pub request: Option<StationRequestView>,
}

fn agent_of(session: &Session) -> Result<String, ApiError> {
    session.record.terminal.clone().ok_or_else(|| {
        ApiError::bad_request(
            "no_terminal",
            "自動印刷は、登録された職員端末（プリンターのある端末）で行います。",
        )
    })
}

/// Claims the oldest of today's queued requests from a station set up for automatic printing, for
/// this terminal (lease: `CLAIM_LEASE_SECS`); `request: null` when there is none. Audited through
/// the case's history.
#[utoipa::path(post, path = "/api/v1/issuance/print-jobs/claim", security(("bearer" = [])),
    responses((status = 200, body = PrintClaim), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn claim(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<PrintClaim>, ApiError> {
    let agent = agent_of(&session)?;
    let store = state.store.clone();
    blocking(move || {
        let store = store.as_ref();
        let day = today_jst();
        let filter = CaseFilter {
            from: Some(audit::jst_midnight(day)),
            to: Some(audit::jst_midnight(day + chrono::Duration::days(1))),
            procedure: Some(STATION_PROCEDURE.into()),
            limit: 2000,
            ..CaseFilter::default()
        };
        let mut records = store.find_cases(session.tenant(), &filter)?;
        records.sort_by_key(|r| r.opened_at);
        let mut stations = Stations::new(store, session.tenant())?;
        for record in records {
            let doc = parse_document(&record)?;
            let Some(request) = doc.station.as_ref() else {
                continue;
            };
            // 支援措置 requests wait for staff to state the reason (never printed automatically).
            if issuance::state_of(request, Utc::now()) != RequestState::Queued
                || request.staff_check
                || !stations.setup(&request.station)?.auto_print
            {
                continue;
            }
            if !try_claim(store, &session, &record.id, &agent)? {
                continue;
            }
            let (claimed, _) = store
                .get_case(session.tenant(), &record.id)?
                .ok_or_else(|| ApiError::internal("claimed request vanished"))?;
            let view = request_view(&claimed, &mut stations, Utc::now())?;
            return Ok(Json(PrintClaim { request: view }));
        }
        Ok(Json(PrintClaim { request: None }))
    })
    .await
}

/// Claims one request; `false` when another agent or staff got there first.
fn try_claim(
    store: &dyn Store,
    session: &Session,
    case_id: &str,
    agent: &str,
) -> Result<bool, ApiError> {
    let write_id = format!("claim-{:016x}", OsRng.next_u64());
    let claimed = update_case(store, session, case_id, &write_id, Vec::new(), |doc| {
        let details = Details {
            terminal: Some(agent),
            ..Details::default()
        };
        issuance::apply(doc, Action::Claim, &details, Utc::now())
            .map_err(|m| ApiError::new(StatusCode::CONFLICT, "invalid_action", m))?;
        let line = doc
            .station
            .as_ref()
            .map(|r| issuance::history_line(Action::Claim, r));
        Ok((None, line.into_iter().collect()))
    });
    match claimed {
        Ok(_) => Ok(true),
        Err(e) if e.status == StatusCode::CONFLICT => Ok(false),
        Err(e) => Err(e),
    }
}
