//! JPKI user authentication over the API: a single-use challenge for the session, the card's answer
//! checked by [`crate::jpki::verify_auth`], and the city's CRL (admin).

use madoguchi_api::{CardAnswer, ChallengeView, VerifiedView};
use std::sync::Arc;
use std::time::Instant;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use base64::Engine;
use chrono::Utc;
use ring::rand::SecureRandom;

use super::{ApiError, ErrorBody};
use crate::auth::Session;
use crate::jpki::{CrlSet, JpkiError, verify_auth};
use crate::jpki_challenges::{CHALLENGE_TTL, CHALLENGES_PER_SESSION, Verification, decode_crls};
use crate::{AppState, audit, blocking};

/// Key of the tenant's CRLs in the store.
pub(super) const CRL_SETTING: &str = "jpki_crl";
fn b64() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::STANDARD
}

/// A single-use challenge for the card to sign, bound to this session, valid for 2 minutes.
#[utoipa::path(post, path = "/api/v1/jpki/challenge", security(("bearer" = [])),
    responses((status = 200, body = ChallengeView), (status = 401, body = ErrorBody)))]
pub async fn challenge(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<ChallengeView>, ApiError> {
    let rng = ring::rand::SystemRandom::new();
    let (mut id, mut challenge) = ([0u8; 16], [0u8; 32]);
    rng.fill(&mut id)
        .map_err(|_| ApiError::internal("no randomness"))?;
    rng.fill(&mut challenge)
        .map_err(|_| ApiError::internal("no randomness"))?;
    let id: String = id.iter().map(|b| format!("{b:02x}")).collect();
    let mut map = state
        .jpki_challenges
        .pending
        .lock()
        .map_err(|_| ApiError::internal("challenge lock"))?;
    map.retain(|_, (_, _, at)| at.elapsed() < CHALLENGE_TTL);
    let own = map
        .values()
        .filter(|(owner, _, _)| *owner == session.token_hash)
        .count();
    if own >= CHALLENGES_PER_SESSION {
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "jpki_too_many_challenges",
            "カードの読み取りが続けて行われました。少し待ってから、もう一度カードをかざしてください。",
        ));
    }
    if map.len() > 10_000 {
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "busy",
            "混み合っています。しばらくしてからお試しください。",
        ));
    }
    map.insert(id.clone(), (session.token_hash, challenge, Instant::now()));
    Ok(Json(ChallengeView {
        challenge_id: id,
        challenge: b64().encode(challenge),
        expires_in_seconds: CHALLENGE_TTL.as_secs(),
    }))
}

fn refused(e: &JpkiError) -> ApiError {
    let status = match e {
        JpkiError::NotConfigured | JpkiError::NoCrl | JpkiError::StaleCrl => {
            StatusCode::SERVICE_UNAVAILABLE
        }
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    ApiError::new(status, e.code(), e.message_ja())
}

/// Checks the card's answer: chain to the configured JPKI trust anchors, validity, the city's CRL,
/// and the signature over the challenge. The challenge is used up by any answer. Audited.
#[utoipa::path(post, path = "/api/v1/jpki/verify", security(("bearer" = [])), request_body = CardAnswer,
    responses((status = 200, body = VerifiedView), (status = 400, body = ErrorBody),
        (status = 422, description = "refused: unknown issuer, expired, revoked, bad signature", body = ErrorBody),
        (status = 503, description = "no trust anchors configured", body = ErrorBody)))]
pub async fn verify(
    State(state): State<AppState>,
    session: Session,
    Json(req): Json<CardAnswer>,
) -> Result<Json<VerifiedView>, ApiError> {
    let entry = state
        .jpki_challenges
        .pending
        .lock()
        .map_err(|_| ApiError::internal("challenge lock"))?
        .remove(&req.challenge_id);
    let challenge = match entry {
        Some((owner, c, at)) if owner == session.token_hash && at.elapsed() < CHALLENGE_TTL => c,
        _ => {
            return Err(ApiError::bad_request(
                "jpki_challenge_invalid",
                "認証の有効期限が切れました。もう一度カードをかざしてください。",
            ));
        }
    };
    let decode = |s: &str| {
        b64().decode(s.trim()).map_err(|_| {
            ApiError::bad_request(
                "invalid_encoding",
                "証明書または署名の形式が正しくありません。",
            )
        })
    };
    let certificate = decode(&req.certificate)?;
    let signature = decode(&req.signature)?;
    let store = state.store.clone();
    let anchors = state.jpki_anchors.clone();
    let challenges = state.jpki_challenges.clone();
    blocking(move || {
        // Fails closed: no CRL (or a stale one) is refused by the revocation check itself.
        let crls = match store.tenant_setting(session.tenant(), CRL_SETTING)? {
            Some(text) => challenges
                .crls(session.tenant().as_str(), &text, &anchors)
                .map_err(|e| refused(&e))?,
            None => Arc::new(CrlSet::default()),
        };
        let result = verify_auth(
            &certificate,
            &signature,
            &challenge,
            &anchors,
            crls.as_ref(),
            Utc::now(),
        );
        let (subject, outcome) = match &result {
            Ok(v) => (Some(format!("jpki-serial:{}", v.serial_hex)), "ok"),
            Err(e) => (None, e.code()),
        };
        audit::by_session(store.as_ref(), &session, "jpki.verify", subject, outcome)?;
        let v = result.map_err(|e| refused(&e))?;
        let mut id = [0u8; 16];
        ring::rand::SystemRandom::new()
            .fill(&mut id)
            .map_err(|_| ApiError::internal("no randomness"))?;
        let verification_id: String = id.iter().map(|b| format!("{b:02x}")).collect();
        challenges
            .verifications
            .lock()
            .map_err(|_| ApiError::internal("verification lock"))?
            .insert(
                verification_id.clone(),
                Verification {
                    session: session.token_hash,
                    serial: v.serial_hex.clone(),
                    at: Instant::now(),
                    verified_at: Utc::now(),
                    case: None,
                },
            );
        Ok(Json(VerifiedView {
            verification_id,
            serial: v.serial_hex,
            issuer: v.issuer,
            not_after: v.not_after,
        }))
    })
    .await
}

/// Replace this municipality's JPKI CRLs: base64 DER CRLs, one per line. Each must be signed by a
/// configured trust anchor; a bad list is refused and the old one kept.
#[utoipa::path(put, path = "/api/v1/admin/jpki-crl", security(("bearer" = [])),
    request_body(content = String, content_type = "text/plain"),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody), (status = 503, body = ErrorBody)))]
pub async fn put_crl(
    State(state): State<AppState>,
    session: Session,
    text: String,
) -> Result<StatusCode, ApiError> {
    let crls = decode_crls(&text).map_err(|e| refused(&e))?;
    if crls.is_empty() {
        return Err(ApiError::bad_request(
            "jpki_crl_empty",
            "失効リストを1件以上指定してください。",
        ));
    }
    if state.jpki_anchors.is_empty() {
        return Err(refused(&JpkiError::NotConfigured));
    }
    CrlSet::load(&crls, &state.jpki_anchors).map_err(|e| refused(&e))?;
    let store = state.store.clone();
    blocking(move || {
        store.put_tenant_setting(
            session.tenant(),
            CRL_SETTING,
            &text,
            &audit::event_for(
                &session,
                "jpki_crl.put",
                Some(format!("crls:{}", crls.len())),
                "ok",
            ),
        )?;
        Ok(StatusCode::NO_CONTENT)
    })
    .await
}
