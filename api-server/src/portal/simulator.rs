//! **Software double**: a simulator of マイナポータル's application API (電子申請等情報受取等API) as
//! [`super::adapter`] assumes it, serving generated applications ([`super::sample`]) — for tests, the
//! end-to-end evidence and the demo (`madoguchi-server portal-simulator`). Never a real portal.
//!
//! Besides the portal's routes it answers `GET /_simulator/statuses` (what the connector reported,
//! for assertions) and `POST /_simulator/fail` (`{"count": n}`: the next n requests answer 500), and
//! `POST /_simulator/applications` (`{"count": n}`: n more applications arrive).

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::json;

use super::adapter::{ListEntry, ListReply, StatusReport, TokenReply, TokenRequest};
use super::sample::{self, SampleApplication};

/// The client id and secret the simulator accepts.
pub const CLIENT_ID: &str = "madoguchi-simulator";
pub const CLIENT_SECRET: &str = "simulator-secret";
const TOKEN: &str = "simulated-access-token";

/// The simulated portal's state.
pub struct Simulator {
    base: DateTime<Utc>,
    applications: Mutex<Vec<SampleApplication>>,
    statuses: Mutex<BTreeMap<String, StatusReport>>,
    fail_next: AtomicUsize,
    /// Requests served (failures included).
    pub requests: AtomicUsize,
}

impl Simulator {
    /// A portal holding `count` generated applications, received before `base`.
    pub fn new(count: usize, base: DateTime<Utc>) -> Arc<Self> {
        let apps = (0..count)
            .map(|i| sample::application(i, base, None))
            .map(as_api)
            .collect();
        Arc::new(Simulator {
            base,
            applications: Mutex::new(apps),
            statuses: Mutex::new(BTreeMap::new()),
            fail_next: AtomicUsize::new(0),
            requests: AtomicUsize::new(0),
        })
    }

    /// The next `n` requests answer 500.
    pub fn fail_next(&self, n: usize) {
        self.fail_next.store(n, Ordering::SeqCst);
    }

    /// What the connector reported, by application number.
    pub fn statuses(&self) -> BTreeMap<String, StatusReport> {
        self.statuses.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// `n` more applications arrive.
    pub fn add(&self, n: usize) {
        if let Ok(mut apps) = self.applications.lock() {
            let from = apps.len();
            apps.extend((from..from + n).map(|i| as_api(sample::application(i, self.base, None))));
        }
    }

    fn find(&self, no: &str) -> Option<SampleApplication> {
        let apps = self.applications.lock().ok()?;
        apps.iter()
            .find(|a| a.document.application_no == no)
            .cloned()
    }
}

/// Over the API an attachment's `file` is its index.
fn as_api(mut a: SampleApplication) -> SampleApplication {
    for (i, r) in a.document.attachments.iter_mut().enumerate() {
        r.file = i.to_string();
    }
    a
}

/// The simulator's routes.
pub fn router(sim: Arc<Simulator>) -> Router {
    Router::new()
        .route("/token", post(token))
        .route("/applications", get(list))
        .route("/applications/{no}", get(one))
        .route("/applications/{no}/attachments/{index}", get(attachment))
        .route("/applications/{no}/status", put(status))
        .route("/_simulator/statuses", get(statuses))
        .route("/_simulator/fail", post(fail))
        .route("/_simulator/applications", post(more))
        .layer(middleware::from_fn_with_state(sim.clone(), faults))
        .with_state(sim)
}

async fn faults(State(sim): State<Arc<Simulator>>, req: Request, next: Next) -> Response {
    sim.requests.fetch_add(1, Ordering::SeqCst);
    let control = req.uri().path().starts_with("/_simulator/");
    let failing = !control
        && sim
            .fail_next
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok();
    if failing {
        return (StatusCode::INTERNAL_SERVER_ERROR, "simulated failure").into_response();
    }
    next.run(req).await
}

fn authorized(headers: &HeaderMap) -> Result<(), StatusCode> {
    let ok = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == format!("Bearer {TOKEN}"));
    if ok {
        Ok(())
    } else {
        Err(StatusCode::UNAUTHORIZED)
    }
}

async fn token(Json(req): Json<TokenRequest>) -> Result<Json<TokenReply>, StatusCode> {
    if req.client_id != CLIENT_ID || req.client_secret != CLIENT_SECRET {
        return Err(StatusCode::UNAUTHORIZED);
    }
    Ok(Json(TokenReply {
        access_token: TOKEN.into(),
        expires_in: Some(3600),
    }))
}

async fn list(
    State(sim): State<Arc<Simulator>>,
    headers: HeaderMap,
) -> Result<Json<ListReply>, StatusCode> {
    authorized(&headers)?;
    let apps = sim
        .applications
        .lock()
        .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
    Ok(Json(ListReply {
        applications: apps
            .iter()
            .map(|a| ListEntry {
                application_no: a.document.application_no.clone(),
                received_at: Some(a.document.received_at),
            })
            .collect(),
    }))
}

async fn one(
    State(sim): State<Arc<Simulator>>,
    headers: HeaderMap,
    Path(no): Path<String>,
) -> Result<Response, StatusCode> {
    authorized(&headers)?;
    let a = sim.find(&no).ok_or(StatusCode::NOT_FOUND)?;
    Ok(Json(a.document).into_response())
}

async fn attachment(
    State(sim): State<Arc<Simulator>>,
    headers: HeaderMap,
    Path((no, index)): Path<(String, usize)>,
) -> Result<Vec<u8>, StatusCode> {
    authorized(&headers)?;
    let a = sim.find(&no).ok_or(StatusCode::NOT_FOUND)?;
    a.contents.get(index).cloned().ok_or(StatusCode::NOT_FOUND)
}

async fn status(
    State(sim): State<Arc<Simulator>>,
    headers: HeaderMap,
    Path(no): Path<String>,
    Json(report): Json<StatusReport>,
) -> Result<StatusCode, StatusCode> {
    authorized(&headers)?;
    sim.find(&no).ok_or(StatusCode::NOT_FOUND)?;
    sim.statuses
        .lock()
        .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?
        .insert(no, report);
    Ok(StatusCode::NO_CONTENT)
}

async fn statuses(State(sim): State<Arc<Simulator>>) -> Json<serde_json::Value> {
    Json(json!(sim.statuses()))
}

#[derive(Deserialize)]
struct Count {
    count: usize,
}

async fn fail(State(sim): State<Arc<Simulator>>, Json(c): Json<Count>) -> StatusCode {
    sim.fail_next(c.count);
    StatusCode::NO_CONTENT
}

async fn more(State(sim): State<Arc<Simulator>>, Json(c): Json<Count>) -> StatusCode {
    sim.add(c.count);
    StatusCode::NO_CONTENT
}
