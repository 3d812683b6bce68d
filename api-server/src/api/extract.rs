//! Extractors of the HTTP layer: the client's address and the logged-in session of a request.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use chrono::Utc;
use madoguchi_store::AuditEvent;

use super::error::ApiError;
use crate::auth::{Session, token_hash};
use crate::state::AppState;
use crate::tasks::blocking;

/// The client's address, when the server runs with connection info (in-process tests do not): the TCP
/// peer, or, when the peer is a trusted proxy (`Settings::trusted_proxies`), the right-most
/// `X-Forwarded-For` address that is not one ([`crate::tls::TrustedProxies::client_addr`]).
#[derive(Debug, Clone, Copy)]
pub struct PeerAddr(pub Option<std::net::IpAddr>);

impl FromRequestParts<AppState> for PeerAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let info = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>();
        Ok(PeerAddr(info.map(|c| {
            let forwarded = parts
                .headers
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok());
            state
                .settings
                .trusted_proxies
                .client_addr(c.0.ip(), forwarded)
        })))
    }
}

fn bearer(parts: &Parts) -> Option<&str> {
    let v = parts.headers.get(AUTHORIZATION)?.to_str().ok()?;
    let t = v
        .strip_prefix("Bearer ")
        .or_else(|| v.strip_prefix("bearer "))?
        .trim();
    (!t.is_empty() && t.len() <= 128).then_some(t)
}

impl FromRequestParts<AppState> for Session {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        // The route guard has already looked the session up for this request.
        if let Some(session) = parts.extensions.get::<Session>() {
            return Ok(session.clone());
        }
        let token = bearer(parts).ok_or_else(ApiError::unauthorized)?;
        let hash = token_hash(token);
        let store = state.store.clone();
        let idle = state.settings.session_idle;
        let record = blocking(move || {
            let now = Utc::now();
            let Some(record) = store.find_session(&hash, now)? else {
                return Err(ApiError::unauthorized());
            };
            if now - record.last_seen_at > idle {
                let event = AuditEvent {
                    terminal: record.terminal.clone(),
                    ..crate::audit::event(
                        &record.tenant,
                        Some(&record.login),
                        Some(&record.counter),
                        "logout",
                        None,
                        "idle_timeout",
                    )
                };
                store.delete_session(&hash, &event)?;
                return Err(ApiError::new(
                    axum::http::StatusCode::UNAUTHORIZED,
                    "session_idle",
                    "一定時間操作がなかったため、ログアウトしました。もう一度ログインしてください。",
                ));
            }
            // Written at most once a minute per session, so reads stay reads.
            if now - record.last_seen_at > TOUCH_EVERY {
                store.touch_session(&hash, now)?;
            }
            Ok(record)
        })
        .await?;
        let session = Session {
            record,
            token_hash: hash,
        };
        parts.extensions.insert(session.clone());
        Ok(session)
    }
}

/// How stale `last_seen_at` may get before a request refreshes it.
const TOUCH_EVERY: chrono::Duration = chrono::Duration::seconds(60);
