//! What counter terminals sync: the upload of their outbox (case saves written while offline or
//! online, each applied exactly once by its client-generated write id) and the reference data they
//! cache to keep working offline, downloaded in pages with a version per kind.

use madoguchi_api::{
    Manifest, ManifestEntry, ReferencePage, UploadOutcome, UploadRequest, UploadResponse,
    UploadResult,
};
use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use madoguchi_core::permission::Permission;
use serde::Deserialize;
use utoipa::IntoParams;

use super::cases::{SaveOutcome, apply_save};
use super::{ApiError, ErrorBody, QueryMap};
use crate::auth::Session;
use crate::{AppState, blocking};

/// Most items in one upload.
pub const MAX_UPLOAD_ITEMS: usize = 100;
/// Default and largest page of a reference download.
const DEFAULT_PAGE: usize = 500;
const MAX_PAGE: usize = 2000;

/// Upload a terminal's outbox. Each item is applied once: a retried upload (after a lost answer, a
/// dropped connection or a crash) answers `already_applied` for what was applied before. A server error
/// fails the whole request (retry it; the items applied so far will answer `already_applied`).
#[utoipa::path(post, path = "/api/v1/sync/upload", security(("bearer" = [])), request_body = UploadRequest,
    responses((status = 200, body = UploadResponse), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn upload(
    State(state): State<AppState>,
    session: Session,
    Json(req): Json<UploadRequest>,
) -> Result<Json<UploadResponse>, ApiError> {
    if req.items.len() > MAX_UPLOAD_ITEMS {
        return Err(ApiError::bad_request(
            "too_many_items",
            format!("一度に送信できるのは{MAX_UPLOAD_ITEMS}件までです。"),
        ));
    }
    let store = state.store.clone();
    let results = blocking(move || {
        let mut results = Vec::with_capacity(req.items.len());
        for item in req.items {
            let write_id = item.save.write_id.clone();
            let result =
                match apply_save(&state, store.as_ref(), &session, &item.case_id, item.save) {
                    Ok((outcome, view)) => UploadResult {
                        case_id: item.case_id,
                        write_id,
                        outcome: match outcome {
                            SaveOutcome::Applied => UploadOutcome::Applied,
                            SaveOutcome::AlreadyApplied => UploadOutcome::AlreadyApplied,
                        },
                        revision: Some(view.revision),
                        code: None,
                        message: None,
                    },
                    // A server error or the kiosk's rate limit fails the whole upload: the terminal
                    // keeps the items and retries later (those applied so far answer already_applied).
                    Err(e)
                        if e.status.is_server_error()
                            || e.status == StatusCode::TOO_MANY_REQUESTS =>
                    {
                        return Err(e);
                    }
                    Err(e) => {
                        if e.status == StatusCode::FORBIDDEN && !e.audited {
                            // A denial inside the upload is audited like the route guard's.
                            crate::audit::by_session(
                                store.as_ref(),
                                &session,
                                "permission_denied",
                                Some(format!("POST /api/v1/sync/upload case:{}", item.case_id)),
                                &format!("denied:{}", e.code),
                            )?;
                        }
                        UploadResult {
                            case_id: item.case_id,
                            write_id,
                            outcome: if e.status == StatusCode::CONFLICT {
                                UploadOutcome::Conflict
                            } else {
                                UploadOutcome::Rejected
                            },
                            revision: None,
                            code: Some(e.code.into()),
                            message: Some(e.message),
                        }
                    }
                };
            results.push(result);
        }
        Ok(results)
    })
    .await?;
    let applied = results
        .iter()
        .filter(|r| r.outcome == UploadOutcome::Applied)
        .count();
    tracing::info!(items = results.len(), applied, "terminal upload");
    Ok(Json(UploadResponse { results }))
}

/// The reference data a terminal caches: `procedures` (catalogue in force today), `towns` (町字 for
/// addresses), `fees` (certificates and exemptions), `vocabulary` (statuses, memo phrases),
/// `navigation_rules` (the city's own rule file, for evaluating 手続きナビ offline).
pub const KINDS: [&str; 5] = [
    "procedures",
    "towns",
    "fees",
    "vocabulary",
    "navigation_rules",
];

/// Whether a session may download a kind (the same permission as its own route).
fn may_download(session: &Session, kind: &str) -> bool {
    let p = session.permissions();
    match kind {
        "towns" => p.contains(Permission::AcceptNotification) || p.contains(Permission::KioskApply),
        "fees" => p.contains(Permission::RequestCertificate) || p.contains(Permission::KioskApply),
        _ => true,
    }
}

/// The items of a kind, as JSON values in a stable order.
async fn items(
    state: &AppState,
    session: &Session,
    kind: &str,
) -> Result<Vec<serde_json::Value>, ApiError> {
    let json = |v: serde_json::Value| match v {
        serde_json::Value::Array(items) => items,
        other => vec![other],
    };
    let to_value = |v: serde_json::Result<serde_json::Value>| v.map_err(ApiError::internal);
    Ok(match kind {
        "procedures" => json(to_value(serde_json::to_value(
            super::navigation::procedures(
                State(state.clone()),
                session.clone(),
                QueryMap(HashMap::new()),
            )
            .await?
            .0,
        ))?),
        "towns" => json(to_value(serde_json::to_value(
            super::cases::towns(State(state.clone()), session.clone())
                .await?
                .0,
        ))?),
        "fees" => json(to_value(serde_json::to_value(
            super::fees::get_table(State(state.clone()), session.clone())
                .await?
                .0,
        ))?),
        "vocabulary" => json(to_value(serde_json::to_value(
            super::cases::vocabulary(State(state.clone()), session.clone())
                .await?
                .0,
        ))?),
        "navigation_rules" => {
            let store = state.store.clone();
            let tenant = session.tenant().clone();
            let text = blocking::<_, ApiError>(move || {
                Ok(store.tenant_setting(&tenant, super::navigation::LOCAL_RULES)?)
            })
            .await?;
            vec![serde_json::json!({ "local_rules": text })]
        }
        _ => return Err(ApiError::not_found("この参照データはありません。")),
    })
}

/// Version of a kind's content: the first 16 bytes of the SHA-256 of its JSON, in hex.
fn version(items: &[serde_json::Value]) -> Result<String, ApiError> {
    let bytes = serde_json::to_vec(items).map_err(ApiError::internal)?;
    let digest = ring::digest::digest(&ring::digest::SHA256, &bytes);
    Ok(crate::import::hex(&digest.as_ref()[..16]))
}

/// What a terminal can cache and the current version of each: the terminal downloads only the kinds
/// whose version differs from its own.
#[utoipa::path(get, path = "/api/v1/sync/manifest", security(("bearer" = [])),
    responses((status = 200, body = Manifest), (status = 401, body = ErrorBody)))]
pub async fn manifest(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<Manifest>, ApiError> {
    let mut kinds = Vec::new();
    for kind in KINDS.iter().filter(|k| may_download(&session, k)) {
        let items = items(&state, &session, kind).await?;
        kinds.push(ManifestEntry {
            kind: (*kind).to_owned(),
            version: version(&items)?,
            count: items.len(),
        });
    }
    Ok(Json(Manifest { kinds }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// First item of the page (default 0).
    pub offset: Option<usize>,
    /// Items per page (default 500, at most 2000).
    pub limit: Option<usize>,
    /// The version the earlier pages had: when the content changed since, the answer is 409 and the
    /// download starts again.
    pub version: Option<String>,
}

/// One page of a kind of reference data.
#[utoipa::path(get, path = "/api/v1/sync/reference/{kind}", security(("bearer" = [])),
    params(("kind" = String, Path, description = "procedures | towns | fees | vocabulary | navigation_rules"), PageQuery),
    responses((status = 200, body = ReferencePage), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, description = "the content changed since `version`", body = ErrorBody)))]
pub async fn reference(
    State(state): State<AppState>,
    session: Session,
    Path(kind): Path<String>,
    query: QueryMap,
) -> Result<Json<ReferencePage>, ApiError> {
    let number = |key: &str, default: usize| -> Result<usize, ApiError> {
        match query.get(key).filter(|v| !v.is_empty()) {
            None => Ok(default),
            Some(v) => v.parse().map_err(|_| {
                ApiError::bad_request("invalid_page", "ページの指定が正しくありません。")
            }),
        }
    };
    let offset = number("offset", 0)?;
    let limit = number("limit", DEFAULT_PAGE)?;
    if limit == 0 || limit > MAX_PAGE {
        return Err(ApiError::bad_request(
            "invalid_page",
            format!("1ページの件数は1〜{MAX_PAGE}件で指定してください。"),
        ));
    }
    if !KINDS.contains(&kind.as_str()) {
        return Err(ApiError::not_found("この参照データはありません。"));
    }
    if !may_download(&session, &kind) {
        return Err(ApiError::forbidden(match kind.as_str() {
            "fees" => Permission::RequestCertificate,
            _ => Permission::AcceptNotification,
        }));
    }
    let all = items(&state, &session, &kind).await?;
    let current = version(&all)?;
    if query
        .get("version")
        .is_some_and(|v| !v.is_empty() && v != current)
    {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "version_changed",
            "参照データが更新されました。最初から取得し直します。",
        ));
    }
    let total = all.len();
    let end = offset.saturating_add(limit).min(total);
    let page = all
        .into_iter()
        .skip(offset)
        .take(end.saturating_sub(offset))
        .collect();
    Ok(Json(ReferencePage {
        kind,
        version: current,
        offset,
        total,
        items: page,
        next_offset: (end < total).then_some(end),
    }))
}
