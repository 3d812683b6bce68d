//! HTTP API: routes, wire types and the OpenAPI document.
//!
//! **Architecture invariant:** every route under `/api/v1` except login requires a session; handlers
//! reach storage only through [`madoguchi_store::Store`] on a blocking thread.

mod error;
mod query;
mod residents;
mod session;

use std::time::Instant;

use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{FixedOffset, NaiveDate, Utc};
use serde::Serialize;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

pub use error::{ApiError, ErrorBody, ErrorDetail};
pub use query::QueryMap;

use crate::AppState;

#[derive(OpenApi)]
#[openapi(
    info(title = "Madoguchi API", description = "書かない窓口 counter server"),
    paths(
        health,
        session::login,
        session::logout,
        session::me,
        residents::search_residents,
        residents::get_resident,
        residents::get_household,
        residents::import_residents,
    ),
    components(schemas(ErrorBody, ErrorDetail, Health)),
    modifiers(&BearerAuth),
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The server's whole router.
pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/auth/login", post(session::login))
        .route("/auth/logout", post(session::logout))
        .route("/auth/me", get(session::me))
        .route("/residents", get(residents::search_residents))
        .route("/residents/{atena_no}", get(residents::get_resident))
        .route("/households/{household_no}", get(residents::get_household))
        .route(
            "/imports/residents",
            // The handler streams the upload to a temporary file and enforces its own size limit.
            post(residents::import_residents).layer(DefaultBodyLimit::disable()),
        );
    Router::new()
        .route("/", get(index))
        .route("/healthz", get(health))
        .route("/api/openapi.json", get(openapi_json))
        .nest("/api/v1", api)
        .fallback(not_found)
        .layer(middleware::from_fn(security_headers))
        .layer(middleware::from_fn(access_log))
        .with_state(state)
}

/// Request log: method, route template (never the concrete path or query, which may hold personal
/// identifiers), status and latency.
async fn access_log(req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "-".to_owned(), |p| p.as_str().to_owned());
    let res = next.run(req).await;
    tracing::info!(
        method = %method,
        route = %route,
        status = res.status().as_u16(),
        latency_ms = started.elapsed().as_secs_f64() * 1000.0,
        "request"
    );
    res
}

/// Headers on every response: no framing, no MIME sniffing, a same-origin content policy, no referrer,
/// and no caching of API answers (they carry personal data).
async fn security_headers(req: Request, next: Next) -> Response {
    let is_api = req.uri().path().starts_with("/api/");
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    let set = |h: &mut axum::http::HeaderMap, name: &'static str, value: &'static str| {
        h.insert(name, axum::http::HeaderValue::from_static(value));
    };
    set(
        h,
        "content-security-policy",
        "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    );
    set(h, "x-content-type-options", "nosniff");
    set(h, "x-frame-options", "DENY");
    set(h, "referrer-policy", "no-referrer");
    if is_api {
        set(h, "cache-control", "no-store");
    }
    res
}

async fn not_found() -> ApiError {
    ApiError::not_found("ページが見つかりません。")
}

#[derive(Serialize, ToSchema)]
pub struct Health {
    pub status: String,
    pub version: String,
}

/// Liveness and store reachability.
#[utoipa::path(get, path = "/healthz", responses((status = 200, body = Health), (status = 503, body = ErrorBody)))]
async fn health(State(state): State<AppState>) -> Result<Json<Health>, ApiError> {
    let store = state.store.clone();
    let reachable = crate::blocking(move || {
        Ok(store
            .tenant_name(&madoguchi_store::TenantId(String::new()))
            .is_ok())
    })
    .await?;
    if !reachable {
        tracing::error!("health check: store unavailable");
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "store_unavailable",
            "データベースに接続できません。",
        ));
    }
    Ok(Json(Health {
        status: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
    }))
}

async fn openapi_json() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        ApiDoc::openapi().to_pretty_json().unwrap_or_default(),
    )
}

async fn index() -> Html<&'static str> {
    Html(include_str!("index.html"))
}

/// Today's date in Japan: the counter's "today" for ages and date checks.
pub fn today_jst() -> NaiveDate {
    let now = Utc::now();
    FixedOffset::east_opt(9 * 3600)
        .map_or(now.date_naive(), |jst| now.with_timezone(&jst).date_naive())
}
