//! The audit viewer over HTTP (監査ログ, permission `view_audit`): a search of the tenant's audit log
//! by period, staff member, counter, terminal, action and subject, one page at a time (JSON), and the
//! same search as CSV. The filtering is the store's ([`madoguchi_store::AuditStore::search_audit`]),
//! bounded by the period; every search and export is itself audited.

use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::header;
use axum::response::Response;
use chrono::{DateTime, NaiveDate, Utc};
use madoguchi_store::{AuditFilter, AuditPage, AuditRecord};
use serde::Serialize;
use utoipa::ToSchema;

use super::{ApiError, ErrorBody, QueryMap};
use crate::auth::Session;
use crate::{AppState, audit, blocking};

/// Records on one page of the viewer.
pub const PAGE_SIZE: u32 = 50;
/// The deepest page a search may ask for (narrow the search instead).
const MAX_PAGE: u64 = 2_000;
/// Records one CSV export holds at most (a longer period is exported in parts).
const CSV_LIMIT: u32 = 200_000;
/// Actions one search may name at most.
const MAX_ACTIONS: usize = 10;

/// One audit record with every field.
#[derive(Serialize, ToSchema)]
pub struct AuditRecordView {
    /// 記録番号 (its place in the chain).
    pub id: i64,
    /// When (Japan time, RFC 3339).
    pub at: String,
    pub user: Option<String>,
    pub counter: Option<String>,
    pub terminal: Option<String>,
    /// Action code (`login`, `resident.read` …).
    pub action: String,
    /// The 宛名番号 (or several, space-separated) or other object id the action touched.
    pub subject: Option<String>,
    /// `ok`, `denied`, `failed` …
    pub result: String,
    /// The reason staff gave (a 支援措置 disclosure).
    pub reason: Option<String>,
    /// Hash of the previous record (hex).
    pub prev_hash: String,
    /// This record's chain hash (hex).
    pub hash: String,
}

/// One page of an audit search, newest first.
#[derive(Serialize, ToSchema)]
pub struct AuditSearchResult {
    pub records: Vec<AuditRecordView>,
    /// The page shown (from 1).
    pub page: u64,
    pub page_size: u32,
    /// Whether a next page exists.
    pub has_more: bool,
}

pub(crate) fn jst_text(at: DateTime<Utc>) -> String {
    chrono::FixedOffset::east_opt(9 * 3600)
        .map_or_else(|| at.to_rfc3339(), |z| at.with_timezone(&z).to_rfc3339())
}

impl AuditRecordView {
    fn of(r: AuditRecord) -> Self {
        let e = r.event;
        AuditRecordView {
            id: r.id,
            at: jst_text(e.at),
            user: e.user,
            counter: e.counter,
            terminal: e.terminal,
            action: e.action,
            subject: e.subject,
            result: e.result,
            reason: e.reason,
            prev_hash: crate::import::hex(&r.prev_hash),
            hash: crate::import::hex(&r.hash),
        }
    }
}

fn bad(code: &'static str, message: impl Into<String>) -> ApiError {
    ApiError::bad_request(code, message)
}

/// The period `from`..=`to` (Japan days, at most 366 days) as UTC instants `[start, end)`.
pub(crate) fn period(
    q: &QueryMap,
) -> Result<(NaiveDate, NaiveDate, DateTime<Utc>, DateTime<Utc>), ApiError> {
    let day = |key: &str, label: &str| {
        let v = q.get(key).map(|v| v.trim().to_owned()).unwrap_or_default();
        if v.is_empty() {
            return Err(bad("invalid_date", format!("{label}を指定してください。")));
        }
        madoguchi_core::wareki::parse_date(&v).map_err(|e| bad("invalid_date", e.message_ja()))
    };
    let (from, to) = (day("from", "開始日")?, day("to", "終了日")?);
    if to < from || (to - from).num_days() > 366 {
        return Err(bad(
            "invalid_period",
            "期間は開始日から終了日まで1年以内で指定してください。",
        ));
    }
    let end = to
        .succ_opt()
        .ok_or_else(|| bad("invalid_period", "終了日が大きすぎます。"))?;
    Ok((
        from,
        to,
        audit::jst_midnight(from),
        audit::jst_midnight(end),
    ))
}

/// A text filter: trimmed, empty for none, at most 100 characters without control characters.
fn text(q: &QueryMap, key: &str, label: &str) -> Result<Option<String>, ApiError> {
    let v = q.get(key).map(|v| v.trim().to_owned()).unwrap_or_default();
    if v.is_empty() {
        return Ok(None);
    }
    if v.chars().count() > 100 || v.chars().any(char::is_control) {
        return Err(bad(
            "invalid_filter",
            format!("{label}は100文字以内で入力してください。"),
        ));
    }
    Ok(Some(v))
}

/// The filters of a search: `user`, `counter`, `terminal`, `action` (codes, comma-separated), `subject`.
pub(crate) fn filter(q: &QueryMap) -> Result<AuditFilter, ApiError> {
    let actions: Vec<String> = text(q, "action", "操作")?
        .map(|a| {
            a.split(',')
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let code = |a: &String| {
        a.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.')
    };
    if actions.len() > MAX_ACTIONS || !actions.iter().all(code) {
        return Err(bad(
            "invalid_filter",
            "操作は操作コード（英小文字・数字・「_」「.」、カンマ区切りで10個まで）で指定してください。",
        ));
    }
    Ok(AuditFilter {
        user: text(q, "user", "ユーザーID")?,
        counter: text(q, "counter", "窓口")?,
        terminal: text(q, "terminal", "端末")?,
        actions,
        subject: text(q, "subject", "対象")?,
    })
}

fn page_number(q: &QueryMap) -> Result<u64, ApiError> {
    match q.get("page").map(|v| v.trim().to_owned()).filter(|v| !v.is_empty()) {
        None => Ok(1),
        Some(v) => v
            .parse::<u64>()
            .ok()
            .filter(|p| (1..=MAX_PAGE).contains(p))
            .ok_or_else(|| {
                bad(
                    "invalid_page",
                    format!("ページは1から{MAX_PAGE}までの数で指定してください（条件を絞り込んでください）。"),
                )
            }),
    }
}

/// Search the tenant's audit log: a period (at most a year) and optional filters, 50 records a page,
/// newest first. The search is itself audited (`audit.search`).
#[utoipa::path(get, path = "/api/v1/audit/records", security(("bearer" = [])),
    params(
        ("from" = String, Query, description = "first day (Japan time; `2026-11-01`, `R8.11.1`)"),
        ("to" = String, Query, description = "last day, inclusive; at most 366 days after `from`"),
        ("user" = Option<String>, Query, description = "staff login (exact)"),
        ("counter" = Option<String>, Query, description = "counter code (exact)"),
        ("terminal" = Option<String>, Query, description = "terminal id (exact)"),
        ("action" = Option<String>, Query, description = "action codes, comma-separated (any of them)"),
        ("subject" = Option<String>, Query, description = "text the subject contains (a 宛名番号)"),
        ("page" = Option<u64>, Query, description = "page from 1 (50 records a page)"),
    ),
    responses(
        (status = 200, body = AuditSearchResult),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
    ))]
pub async fn search_audit(
    State(state): State<AppState>,
    session: Session,
    q: QueryMap,
) -> Result<Json<AuditSearchResult>, ApiError> {
    let (from, to, start, end) = period(&q)?;
    let filter = filter(&q)?;
    let page = page_number(&q)?;
    let store = state.store.clone();
    let mut records = blocking::<_, ApiError>(move || {
        let window = AuditPage {
            offset: (page - 1) * u64::from(PAGE_SIZE),
            limit: PAGE_SIZE + 1,
        };
        let records = store.search_audit(session.tenant(), start, end, &filter, window)?;
        audit::by_session(
            store.as_ref(),
            &session,
            "audit.search",
            Some(format!("{from}..{to}")),
            "ok",
        )?;
        Ok(records)
    })
    .await?;
    let has_more = records.len() > PAGE_SIZE as usize;
    records.truncate(PAGE_SIZE as usize);
    Ok(Json(AuditSearchResult {
        records: records.into_iter().map(AuditRecordView::of).collect(),
        page,
        page_size: PAGE_SIZE,
        has_more,
    }))
}

/// The same search as CSV (UTF-8, oldest first, cells neutralised against spreadsheet formulas), at
/// most 200,000 records. The export is itself audited (`audit.export`).
#[utoipa::path(get, path = "/api/v1/audit/records.csv", security(("bearer" = [])),
    params(
        ("from" = String, Query, description = "first day (Japan time)"),
        ("to" = String, Query, description = "last day, inclusive; at most 366 days after `from`"),
        ("user" = Option<String>, Query, description = "staff login (exact)"),
        ("counter" = Option<String>, Query, description = "counter code (exact)"),
        ("terminal" = Option<String>, Query, description = "terminal id (exact)"),
        ("action" = Option<String>, Query, description = "action codes, comma-separated"),
        ("subject" = Option<String>, Query, description = "text the subject contains"),
    ),
    responses(
        (status = 200, description = "CSV (UTF-8)", content_type = "text/csv"),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
    ))]
pub async fn search_audit_csv(
    State(state): State<AppState>,
    session: Session,
    q: QueryMap,
) -> Result<Response, ApiError> {
    let (from, to, start, end) = period(&q)?;
    let filter = filter(&q)?;
    let store = state.store.clone();
    let csv = blocking::<_, ApiError>(move || {
        let window = AuditPage {
            offset: 0,
            limit: CSV_LIMIT + 1,
        };
        let mut records = store.search_audit(session.tenant(), start, end, &filter, window)?;
        if records.len() > CSV_LIMIT as usize {
            return Err(bad(
                "too_many_records",
                "記録が多すぎます（20万件を超えます）。期間を分けるか条件を絞り込んで出力してください。",
            ));
        }
        records.reverse();
        audit::by_session(
            store.as_ref(),
            &session,
            "audit.export",
            Some(format!("{from}..{to}")),
            "ok",
        )?;
        Ok(audit::to_csv(&records))
    })
    .await?;
    Response::builder()
        .header(header::CONTENT_TYPE, "text/csv; charset=utf-8")
        .header(
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"audit.csv\"",
        )
        .body(Body::from(csv))
        .map_err(ApiError::internal)
}
