//! Madoguchi's own QR codes on the server: each tenant's signing keys (created on first use, kept in
//! the store; never sent to terminals), and resolving scanned symbols (camera, keyboard wedge, serial)
//! into what they point at.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use base64::Engine;
use madoguchi_qr_payload::{Assembler, Kind, Payload, PayloadError, Signer};
use ring::rand::SecureRandom;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::pre_applications::qr_checks as pre_application;
use super::{ApiError, ErrorBody};
use crate::auth::Session;
use crate::{AppState, audit, blocking};

/// Key of the tenant's QR keys in the store: lines `id:base64(secret)`, the last one signs.
const KEYS: &str = "qr_keys";

/// The tenant's QR signer, creating its first key when it has none.
pub fn tenant_signer(
    store: &dyn madoguchi_store::Store,
    session: &Session,
) -> Result<Signer, ApiError> {
    signer_for_tenant(store, session.tenant(), || {
        audit::event_for(session, "qr_key.create", Some("qr-key:1".into()), "ok")
    })
}

/// The signer of `tenant` when no one is logged in (the public 事前申請 routes): a first key is
/// created and audited as the system's action.
pub fn public_signer(
    store: &dyn madoguchi_store::Store,
    tenant: &madoguchi_store::TenantId,
) -> Result<Signer, ApiError> {
    signer_for_tenant(store, tenant, || {
        audit::event(
            tenant,
            None,
            None,
            "qr_key.create",
            Some("qr-key:1".into()),
            "ok",
        )
    })
}

/// The tenant's QR signer, creating its first key (recorded by `audit_event`) when it has none.
fn signer_for_tenant(
    store: &dyn madoguchi_store::Store,
    tenant: &madoguchi_store::TenantId,
    audit_event: impl FnOnce() -> madoguchi_store::AuditEvent,
) -> Result<Signer, ApiError> {
    if let Some(signer) = stored_signer(store, tenant)? {
        return Ok(signer);
    }
    let mut secret = [0u8; 32];
    ring::rand::SystemRandom::new()
        .fill(&mut secret)
        .map_err(|_| ApiError::internal("no randomness"))?;
    let line = format!(
        "1:{}",
        base64::engine::general_purpose::STANDARD.encode(secret)
    );
    store.put_tenant_setting(tenant, KEYS, &line, &audit_event())?;
    stored_signer(store, tenant)?.ok_or_else(|| ApiError::internal("no QR key"))
}

/// The tenant's QR signer from its stored keys; `None` when it has none yet (nothing was signed).
pub fn stored_signer(
    store: &dyn madoguchi_store::Store,
    tenant: &madoguchi_store::TenantId,
) -> Result<Option<Signer>, ApiError> {
    let Some(text) = store.tenant_setting(tenant, KEYS)? else {
        return Ok(None);
    };
    let mut keys: Vec<(u8, Vec<u8>)> = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let (id, secret) = line
            .split_once(':')
            .ok_or_else(|| ApiError::internal("stored QR key malformed"))?;
        let id: u8 = id
            .trim()
            .parse()
            .map_err(|_| ApiError::internal("stored QR key id malformed"))?;
        let secret = base64::engine::general_purpose::STANDARD
            .decode(secret.trim())
            .map_err(|_| ApiError::internal("stored QR key malformed"))?;
        keys.push((id, secret));
    }
    let Some(current) = keys.last().map(|(id, _)| *id) else {
        return Ok(None);
    };
    let refs: Vec<(u8, &[u8])> = keys.iter().map(|(id, k)| (*id, k.as_slice())).collect();
    Ok(Some(Signer::new(&refs, current)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScannedSymbols {
    /// The text of every symbol scanned so far (one per QR code; any order).
    pub symbols: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ResolvedQr {
    /// `case` (a case id to open), `pre_application` or `certificate` (check it on the verification page).
    pub kind: String,
    pub case_id: Option<String>,
    /// The 事前申請 data (JSON text) for `pre_application`.
    pub body: Option<String>,
}

/// What scanned Madoguchi QR symbols point at, after checking the tenant's signature. Parts still
/// missing are reported (422 `qr_incomplete`), as are altered or foreign codes.
#[utoipa::path(post, path = "/api/v1/qr/resolve", security(("bearer" = [])), request_body = ScannedSymbols,
    responses((status = 200, body = ResolvedQr), (status = 422, body = ErrorBody)))]
pub async fn resolve(
    State(state): State<AppState>,
    session: Session,
    Json(req): Json<ScannedSymbols>,
) -> Result<Json<ResolvedQr>, ApiError> {
    let store = state.store.clone();
    blocking(move || {
        let payload = verified_payload(store.as_ref(), &session, &req.symbols)?;
        Ok(Json(match payload.kind {
            Kind::Case => ResolvedQr {
                kind: "case".into(),
                case_id: Some(payload.body),
                body: None,
            },
            // A certificate's code is checked on the verification page (`/api/v1/certificates/verify`).
            Kind::Certificate => ResolvedQr {
                kind: "certificate".into(),
                case_id: None,
                body: None,
            },
            Kind::PreApplication => ResolvedQr {
                kind: "pre_application".into(),
                case_id: None,
                body: Some(payload.body),
            },
        }))
    })
    .await
}

/// Scanned symbols assembled and verified with the tenant's key (blocking; audited as `qr.resolve`):
/// 400 without symbols, 422 `qr_incomplete` (the "n of m" message), `qr_bad_signature`,
/// `qr_not_ours`, and for a pre-application another city's or an expired one. Shared by the staff's
/// scan and the kiosk's.
pub(super) fn verified_payload(
    store: &dyn madoguchi_store::Store,
    session: &Session,
    symbols: &[String],
) -> Result<Payload, ApiError> {
    if symbols.is_empty() || symbols.len() > madoguchi_qr_payload::MAX_PARTS {
        return Err(ApiError::bad_request(
            "invalid_symbols",
            "QRコードの読み取り結果がありません。",
        ));
    }
    let signer = tenant_signer(store, session)?;
    let mut assembler = Assembler::default();
    let mut result = Err(PayloadError::NotOurs);
    for s in symbols {
        result = assembler.push(s, &signer);
        if matches!(result, Err(PayloadError::NotOurs | PayloadError::Malformed)) {
            break;
        }
    }
    let outcome = match &result {
        Ok(_) => "ok",
        Err(PayloadError::Incomplete { .. }) => "incomplete",
        Err(PayloadError::BadSignature | PayloadError::UnknownKey) => "bad_signature",
        Err(_) => "not_ours",
    };
    // Which case the code opened (a pre-application names no one the city knows yet).
    let subject = match &result {
        Ok(p) if p.kind == Kind::Case => Some(format!("case:{}", p.body)),
        Ok(p) if p.kind == Kind::Certificate => Some("certificate".to_owned()),
        Ok(_) => Some("pre_application".to_owned()),
        Err(_) => None,
    };
    audit::read_by_session(store, session, "qr.resolve", subject, outcome)?;
    let code = match &result {
        Err(PayloadError::Incomplete { .. }) => "qr_incomplete",
        Err(PayloadError::BadSignature | PayloadError::UnknownKey) => "qr_bad_signature",
        Err(_) => "qr_not_ours",
        Ok(_) => "",
    };
    if code == "qr_bad_signature"
        && let Some(refusal) = pre_application::another_city(symbols, session.tenant())
    {
        return Err(refusal);
    }
    let payload = result
        .map_err(|e| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, e.message_ja()))?;
    if payload.kind == Kind::PreApplication {
        pre_application::check(&payload.body, session.tenant(), super::today_jst())?;
    }
    Ok(payload)
}
