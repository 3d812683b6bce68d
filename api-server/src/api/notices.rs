//! Notices over HTTP: the admin's list and edits (`/api/v1/admin/notices`, with the groups and counters
//! a notice may address), each staff member's current notices and read marks (`/api/v1/notices`), and
//! the public maintenance notices of the status page (`/api/v1/status/maintenance`, no login).

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use madoguchi_store::{NoticeRecord, Store, StoreError, TenantId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{ApiError, ErrorBody};
use crate::auth::Session;
use crate::notices::{self, NoticeDraft};
use crate::{AppState, audit, blocking};

/// A notice as the admin screen shows it.
#[derive(Serialize, ToSchema)]
pub struct NoticeView {
    pub id: String,
    /// `notice` (to staff) or `maintenance` (planned stop: staff, kiosks, stations, status page).
    pub kind: String,
    /// `all`, `group:<code>` or `counter:<code>`.
    pub audience: String,
    pub text_ja: String,
    pub text_en: Option<String>,
    /// Shown from.
    pub starts_at: DateTime<Utc>,
    /// Shown until (exclusive).
    pub ends_at: DateTime<Utc>,
    /// Maintenance only: the API answers 503 from…
    pub window_start: Option<DateTime<Utc>>,
    /// … until.
    pub window_end: Option<DateTime<Utc>>,
    /// Send it back with an edit: a save on an older revision is refused.
    pub revision: i64,
    pub updated_by: String,
    pub updated_at: DateTime<Utc>,
}

impl From<NoticeRecord> for NoticeView {
    fn from(n: NoticeRecord) -> Self {
        NoticeView {
            id: n.id,
            kind: n.kind,
            audience: n.audience,
            text_ja: n.text_ja,
            text_en: n.text_en,
            starts_at: n.starts_at,
            ends_at: n.ends_at,
            window_start: n.window_start,
            window_end: n.window_end,
            revision: n.revision,
            updated_by: n.updated_by,
            updated_at: n.updated_at,
        }
    }
}

/// A notice as the admin enters it (times in RFC 3339, e.g. `2026-12-07T17:00:00+09:00`).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoticeInput {
    pub kind: String,
    pub audience: String,
    pub text_ja: String,
    #[serde(default)]
    pub text_en: Option<String>,
    pub starts_at: String,
    pub ends_at: String,
    #[serde(default)]
    pub window_start: Option<String>,
    #[serde(default)]
    pub window_end: Option<String>,
    /// The revision the edit started from (edits only).
    #[serde(default)]
    pub revision: Option<i64>,
}

/// Who a notice may address: the tenant's groups and counters.
#[derive(Serialize, ToSchema)]
pub struct NoticeAudienceView {
    /// `group:<code>` or `counter:<code>`.
    pub audience: String,
    pub kind: String,
    pub code: String,
    pub name: String,
}

/// A notice shown to the staff member logged in now.
#[derive(Serialize, ToSchema)]
pub struct MyNoticeView {
    pub id: String,
    pub kind: String,
    pub text_ja: String,
    pub text_en: Option<String>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub window_start: Option<DateTime<Utc>>,
    pub window_end: Option<DateTime<Utc>>,
    pub read: bool,
}

/// A maintenance notice as anyone may read it (the status page, kiosks, stations): nothing internal.
#[derive(Serialize, ToSchema)]
pub struct PublicMaintenanceView {
    pub text_ja: String,
    pub text_en: Option<String>,
    pub window_start: Option<DateTime<Utc>>,
    pub window_end: Option<DateTime<Utc>>,
    /// Whether the stop is under way now.
    pub active: bool,
}

#[derive(Deserialize, IntoParams)]
pub struct StatusQuery {
    /// Tenant (municipality) id.
    pub tenant: String,
}

fn invalid(m: String) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "invalid_notice", m)
}

fn audiences(store: &dyn Store, tenant: &TenantId) -> Result<Vec<NoticeAudienceView>, ApiError> {
    let groups = store
        .list_groups(tenant)?
        .into_iter()
        .map(|g| NoticeAudienceView {
            audience: format!("group:{}", g.code),
            kind: "group".into(),
            code: g.code,
            name: g.name,
        });
    let counters = store
        .list_counters(tenant)?
        .into_iter()
        .map(|c| NoticeAudienceView {
            audience: format!("counter:{}", c.code),
            kind: "counter".into(),
            code: c.code,
            name: c.name,
        });
    Ok(groups.chain(counters).collect())
}

/// The tenant's notices, the latest start first.
#[utoipa::path(get, path = "/api/v1/admin/notices", security(("bearer" = [])),
    responses((status = 200, body = [NoticeView]), (status = 403, body = ErrorBody)))]
pub async fn list_notices(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<Vec<NoticeView>>, ApiError> {
    let store = state.store.clone();
    blocking(move || {
        let list = store.notices(session.tenant())?;
        audit::by_session(store.as_ref(), &session, "notice.list", None, "ok")?;
        Ok(Json(list.into_iter().map(NoticeView::from).collect()))
    })
    .await
}

/// The groups and counters a notice may address.
#[utoipa::path(get, path = "/api/v1/admin/notice-audiences", security(("bearer" = [])),
    responses((status = 200, body = [NoticeAudienceView]), (status = 403, body = ErrorBody)))]
pub async fn list_notice_audiences(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<Vec<NoticeAudienceView>>, ApiError> {
    let store = state.store.clone();
    blocking(move || {
        let list = audiences(store.as_ref(), session.tenant())?;
        audit::by_session(store.as_ref(), &session, "notice.audiences", None, "ok")?;
        Ok(Json(list))
    })
    .await
}

/// Checks and stores a notice: a new one (`id` `None`) or an edit of `id` on `req.revision`.
async fn save(
    state: AppState,
    session: Session,
    id: Option<String>,
    req: NoticeInput,
) -> Result<Json<NoticeView>, ApiError> {
    if id.is_some() && req.revision.is_none() {
        return Err(invalid(
            "編集するお知らせの版（revision）がありません。".into(),
        ));
    }
    let expected = if id.is_some() { req.revision } else { None };
    let store = state.store.clone();
    let cache = state.maintenance.clone();
    blocking(move || {
        let tenant = session.tenant();
        let known: Vec<String> = audiences(store.as_ref(), tenant)?
            .into_iter()
            .map(|a| a.audience)
            .collect();
        let c = notices::check(draft(req), &known).map_err(invalid)?;
        let id = id.unwrap_or_else(|| crate::auth::new_token().0[..20].to_owned());
        let now = Utc::now();
        let mut record = NoticeRecord {
            id: id.clone(),
            kind: c.kind,
            audience: c.audience,
            text_ja: c.text_ja,
            text_en: c.text_en,
            starts_at: c.starts_at,
            ends_at: c.ends_at,
            window_start: c.window.map(|w| w.0),
            window_end: c.window.map(|w| w.1),
            revision: 0,
            updated_by: session.record.login.clone(),
            updated_at: now,
        };
        let action = if expected.is_some() {
            "notice.update"
        } else {
            "notice.create"
        };
        let event = audit::event_for(&session, action, Some(id), "ok");
        record.revision = store
            .save_notice(tenant, &record, expected, &event)
            .map_err(saved_in_between)?;
        cache.forget(tenant);
        Ok(Json(NoticeView::from(record)))
    })
    .await
}

fn draft(req: NoticeInput) -> NoticeDraft {
    NoticeDraft {
        kind: req.kind,
        audience: req.audience,
        text_ja: req.text_ja,
        text_en: req.text_en,
        starts_at: req.starts_at,
        ends_at: req.ends_at,
        window_start: req.window_start.filter(|s| !s.trim().is_empty()),
        window_end: req.window_end.filter(|s| !s.trim().is_empty()),
    }
}

fn saved_in_between(e: StoreError) -> ApiError {
    match e {
        StoreError::Conflict(_) => ApiError::new(
            StatusCode::CONFLICT,
            "notice_conflict",
            "このお知らせは、開いている間に他の管理者が保存しました。一覧を読み込み直してから、もう一度編集してください。",
        ),
        StoreError::NotFound(_) => ApiError::not_found("お知らせが見つかりません。"),
        e => ApiError::from(e),
    }
}

/// Posts a notice (audited).
#[utoipa::path(post, path = "/api/v1/admin/notices", security(("bearer" = [])),
    request_body = NoticeInput,
    responses((status = 200, body = NoticeView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn create_notice(
    State(state): State<AppState>,
    session: Session,
    Json(req): Json<NoticeInput>,
) -> Result<Json<NoticeView>, ApiError> {
    save(state, session, None, req).await
}

/// Edits a notice (ending it early is an edit of its end), on the revision it was read at: a second
/// save on the same revision gets 409. Audited.
#[utoipa::path(put, path = "/api/v1/admin/notices/{id}", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = NoticeInput,
    responses((status = 200, body = NoticeView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn update_notice(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    Json(req): Json<NoticeInput>,
) -> Result<Json<NoticeView>, ApiError> {
    save(state, session, Some(id), req).await
}

/// The notices shown now to the logged-in user (their groups, their counter, everyone), with whether
/// they have read each; maintenance notices included.
#[utoipa::path(get, path = "/api/v1/notices", security(("bearer" = [])),
    responses((status = 200, body = [MyNoticeView]), (status = 401, body = ErrorBody)))]
pub async fn my_notices(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<Vec<MyNoticeView>>, ApiError> {
    let store = state.store.clone();
    blocking(move || {
        let (tenant, r) = (session.tenant(), &session.record);
        let groups = store
            .find_user(tenant, &r.login)?
            .map(|u| u.groups)
            .unwrap_or_default();
        let read = store.notices_read(tenant, &r.login)?;
        let now = Utc::now();
        let list = store
            .notices(tenant)?
            .into_iter()
            .filter(|n| notices::shown(n, now) && notices::addressed_to(n, &groups, &r.counter))
            .map(|n| MyNoticeView {
                read: read.contains(&n.id),
                id: n.id,
                kind: n.kind,
                text_ja: n.text_ja,
                text_en: n.text_en,
                starts_at: n.starts_at,
                ends_at: n.ends_at,
                window_start: n.window_start,
                window_end: n.window_end,
            })
            .collect();
        Ok(Json(list))
    })
    .await
}

/// Marks a notice read by the logged-in user (again: no change). Audited.
#[utoipa::path(post, path = "/api/v1/notices/{id}/read", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn mark_notice_read(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let store = state.store.clone();
    blocking(move || {
        let event = audit::event_for(&session, "notice.read", Some(id.clone()), "ok");
        store
            .mark_notice_read(
                session.tenant(),
                &id,
                &session.record.login,
                Utc::now(),
                &event,
            )
            .map_err(saved_in_between)?;
        Ok(StatusCode::NO_CONTENT)
    })
    .await
}

/// The maintenance notices shown now (no login: the status page, kiosks and stations before a
/// login). Only the texts and the stop's times; an unknown tenant gets an empty list.
#[utoipa::path(get, path = "/api/v1/status/maintenance", params(StatusQuery),
    responses((status = 200, body = [PublicMaintenanceView])))]
pub async fn public_maintenance(
    State(state): State<AppState>,
    Query(q): Query<StatusQuery>,
) -> Result<Json<Vec<PublicMaintenanceView>>, ApiError> {
    if q.tenant.len() > 100 {
        return Err(ApiError::bad_request(
            "invalid_tenant",
            "団体の指定が正しくありません。",
        ));
    }
    let store = state.store.clone();
    blocking(move || {
        let now = Utc::now();
        let list = store
            .notices(&TenantId(q.tenant))?
            .into_iter()
            .filter(|n| n.kind == notices::KIND_MAINTENANCE && notices::shown(n, now))
            .map(|n| PublicMaintenanceView {
                active: notices::stopping(&n, now),
                text_ja: n.text_ja,
                text_en: n.text_en,
                window_start: n.window_start,
                window_end: n.window_end,
            })
            .collect();
        Ok(Json(list))
    })
    .await
}
