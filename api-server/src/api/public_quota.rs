//! The resident's public routes (the phone app's 事前申請, the public 手続きガイド) need no login, so
//! nothing but the client's address bounds how often they are called: a script filling the store with
//! sent 事前申請, or guessing an applicant's birth date to delete theirs. Each such route declares a
//! [`Quota`] in the route table (`Access::PublicQuota`); the guard here counts requests per client
//! address in a sliding window ([`crate::auth::AttemptLimiter`], in memory) and answers 429 beyond it.
//! A phone behind a carrier's shared address has room: a resident makes a few requests, not dozens.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::ApiError;
use super::extract::PeerAddr;
use crate::AppState;

/// Which allowance a public route draws on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quota {
    /// Signing, sending and 手続きガイド evaluations: `Settings::resident_requests_per_address`.
    ResidentRequests,
    /// Deleting a sent 事前申請 (number + birth date): `Settings::resident_deletes_per_address`.
    ResidentDeletes,
}

/// The route's quota and the state, for [`limit`].
#[derive(Clone)]
pub struct QuotaGuard {
    pub state: AppState,
    pub quota: Quota,
}

fn too_many() -> ApiError {
    ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_requests",
        "短い時間に多くの操作がありました。しばらく時間をおいてから、もう一度お試しください。",
    )
}

/// Lets the request through while its client address is within the route's quota; 429 beyond. A
/// request without a known address (in-process tests) is not counted.
pub async fn limit(State(g): State<QuotaGuard>, req: Request, next: Next) -> Response {
    let (mut parts, body) = req.into_parts();
    let Ok(PeerAddr(peer)) = PeerAddr::from_request_parts(&mut parts, &g.state).await;
    let limiter = match g.quota {
        Quota::ResidentRequests => &g.state.resident_limiter,
        Quota::ResidentDeletes => &g.state.resident_delete_limiter,
    };
    if let Some(addr) = peer
        && !limiter.allow(addr, std::time::Instant::now())
    {
        tracing::warn!(quota = ?g.quota, "public route refused: too many requests from one address");
        return too_many().into_response();
    }
    next.run(Request::from_parts(parts, body)).await
}
