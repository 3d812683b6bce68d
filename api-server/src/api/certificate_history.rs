//! The certificate issuance history over HTTP (発行履歴・発行統計): the list of certificates issued
//! in a period, its statistics (JSON and CSV) and the reprint of a certificate from what was printed.
//! The counting is in `crate::certificate_history`, the rendering in `crate::certificates`.

use std::collections::HashMap;

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::Response;
use chrono::{DateTime, NaiveDate, Utc};
use madoguchi_core::ids::AtenaNo;
use madoguchi_store::{CertificateEntry, CertificateFilter, Store, TenantId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ApiError, ErrorBody, QueryMap, today_jst};
use crate::auth::Session;
use crate::certificate_history::{self as history, CertificateStatistics, Labels};
use crate::certificates as service;
use crate::printing::tenant_library;
use crate::{AppState, audit, blocking};

/// Entries a list returns unless asked otherwise, and at most.
const DEFAULT_LIMIT: usize = 200;
const MAX_LIMIT: usize = 1000;
/// More than a year of any city's issues: a statistic reads the whole period.
const STATISTICS_LIMIT: usize = 2_000_000;

/// A certificate in the issuance history: never an address.
#[derive(Serialize, ToSchema)]
pub struct CertificateListItem {
    /// 発行番号 (`R08-000123`).
    pub issue_no: String,
    pub issued_at: DateTime<Utc>,
    /// Fee-table item code (`JUMINHYO` …).
    pub item: String,
    /// The item's name in the tenant's fee table (`住民票の写し`).
    pub title: String,
    /// 氏名 of the first person it is about, from the resident records; empty when unknown.
    pub name: String,
    /// Counter (or station) code where it was issued.
    pub place: String,
    /// The counter's name; empty when the code is not one of the tenant's counters.
    pub place_name: String,
    /// Login of the staff member who issued it.
    pub issued_by: String,
    pub case_id: Option<String>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoke_reason: Option<String>,
}

fn bad(code: &'static str, message: impl Into<String>) -> ApiError {
    ApiError::bad_request(code, message)
}

fn given(q: &QueryMap, key: &str) -> Option<String> {
    q.get(key)
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

/// The period of `from` and `to` (Japan days, both inclusive; each defaults to today, `from` to `to`).
pub(super) fn period(q: &QueryMap) -> Result<(NaiveDate, NaiveDate), ApiError> {
    let date = |k: &str| -> Result<Option<NaiveDate>, ApiError> {
        given(q, k)
            .map(|v| {
                NaiveDate::parse_from_str(&v, "%Y-%m-%d").map_err(|_| {
                    bad(
                        "invalid_date",
                        "日付は 2026-12-07 のように年-月-日で指定してください。",
                    )
                })
            })
            .transpose()
    };
    let to = date("to")?.unwrap_or_else(today_jst);
    let from = date("from")?.unwrap_or(to);
    history::check_period(from, to).map_err(|m| bad("invalid_period", m))?;
    Ok((from, to))
}

fn limit(q: &QueryMap) -> Result<usize, ApiError> {
    match given(q, "limit") {
        None => Ok(DEFAULT_LIMIT),
        Some(v) => v
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=MAX_LIMIT).contains(n))
            .ok_or_else(|| {
                bad(
                    "invalid_limit",
                    "件数は1から1000までの数で指定してください。",
                )
            }),
    }
}

/// The tenant's names of items and counters.
pub(super) fn labels(
    state: &AppState,
    store: &dyn Store,
    tenant: &TenantId,
) -> Result<Labels, ApiError> {
    let fees = super::fees::table(state, store, tenant)?;
    Ok(Labels::new(&fees, &store.list_counters(tenant)?))
}

/// 氏名 of the first person of each entry, from the resident records (looked up once per person).
fn first_names(
    store: &dyn Store,
    tenant: &TenantId,
    entries: &[CertificateEntry],
) -> Result<Vec<String>, ApiError> {
    let mut known: HashMap<String, String> = HashMap::new();
    let mut out = Vec::with_capacity(entries.len());
    for e in entries {
        let Some(atena) = e.subjects.first() else {
            out.push(String::new());
            continue;
        };
        if !known.contains_key(atena) {
            let name = match AtenaNo::parse(atena) {
                Ok(no) => store.get_resident(tenant, &no)?.map(|r| r.name.full),
                Err(_) => None,
            };
            known.insert(atena.clone(), name.unwrap_or_default());
        }
        out.push(known[atena].clone());
    }
    Ok(out)
}

fn list_item(e: CertificateEntry, name: String, labels: &Labels) -> CertificateListItem {
    CertificateListItem {
        title: labels.item(&e.item),
        place_name: labels.place_name(&e.place).unwrap_or_default().to_owned(),
        issue_no: e.issue_no,
        issued_at: e.issued_at,
        item: e.item,
        name,
        place: e.place,
        issued_by: e.issued_by,
        case_id: e.case_id,
        revoked_at: e.revoked_at,
        revoke_reason: e.revoke_reason,
    }
}

/// The certificates issued in a period (発行履歴), by issue time. With `issue_no` and no dates, that
/// certificate whenever it was issued.
#[utoipa::path(get, path = "/api/v1/certificates", security(("bearer" = [])),
    params(
        ("from" = Option<String>, Query, description = "first day (YYYY-MM-DD, Japan time); default: `to`"),
        ("to" = Option<String>, Query, description = "last day, inclusive; default: today"),
        ("issue_no" = Option<String>, Query, description = "only this 発行番号"),
        ("limit" = Option<usize>, Query, description = "at most this many (default 200, at most 1000)"),
    ),
    responses((status = 200, body = Vec<CertificateListItem>), (status = 400, body = ErrorBody)))]
pub async fn list_certificates(
    State(state): State<AppState>,
    session: Session,
    q: QueryMap,
) -> Result<Json<Vec<CertificateListItem>>, ApiError> {
    let issue_no = given(&q, "issue_no");
    let any_date = given(&q, "from").is_some() || given(&q, "to").is_some();
    let (from, to) = match (&issue_no, any_date) {
        (Some(_), false) => (None, None),
        _ => {
            let (from, to) = period(&q)?;
            let (start, end) = history::period_bounds(from, to);
            (Some(start), Some(end))
        }
    };
    let filter = CertificateFilter {
        from,
        to,
        issue_no,
        limit: limit(&q)?,
    };
    let store = state.store.clone();
    blocking(move || {
        let tenant = session.tenant();
        let found = store.find_certificates(tenant, &filter)?;
        let labels = labels(&state, store.as_ref(), tenant)?;
        let names = first_names(store.as_ref(), tenant, &found)?;
        let numbers: Vec<&str> = found.iter().map(|e| e.issue_no.as_str()).collect();
        audit::read_by_session(
            store.as_ref(),
            &session,
            "certificate.history",
            Some(numbers.join(" ")).filter(|s| !s.is_empty()),
            &format!("ok:{}", found.len()),
        )?;
        let items = found
            .into_iter()
            .zip(names)
            .map(|(e, name)| list_item(e, name, &labels))
            .collect();
        Ok(Json(items))
    })
    .await
}

/// Every certificate of the period, with the tenant's labels; audited as `action`.
async fn period_entries(
    state: &AppState,
    session: Session,
    (from, to): (NaiveDate, NaiveDate),
    action: &'static str,
) -> Result<(Vec<CertificateEntry>, Labels), ApiError> {
    let (start, end) = history::period_bounds(from, to);
    let filter = CertificateFilter {
        from: Some(start),
        to: Some(end),
        issue_no: None,
        limit: STATISTICS_LIMIT,
    };
    let state = state.clone();
    blocking(move || {
        let store = state.store.as_ref();
        let found = store.find_certificates(session.tenant(), &filter)?;
        let labels = labels(&state, store, session.tenant())?;
        audit::read_by_session(
            store,
            &session,
            action,
            Some(format!("period:{from}..{to}")),
            &format!("ok:{}", found.len()),
        )?;
        Ok((found, labels))
    })
    .await
}

/// The issuance statistics of a period (発行統計): totals by item, day, hour and counter.
#[utoipa::path(get, path = "/api/v1/certificates/statistics", security(("bearer" = [])),
    params(
        ("from" = Option<String>, Query, description = "first day (YYYY-MM-DD, Japan time); default: `to`"),
        ("to" = Option<String>, Query, description = "last day, inclusive; default: today; at most 366 days"),
    ),
    responses((status = 200, body = CertificateStatistics), (status = 400, body = ErrorBody)))]
pub async fn certificate_statistics(
    State(state): State<AppState>,
    session: Session,
    q: QueryMap,
) -> Result<Json<CertificateStatistics>, ApiError> {
    let (from, to) = period(&q)?;
    let (entries, labels) =
        period_entries(&state, session, (from, to), "certificate.statistics").await?;
    Ok(Json(history::statistics(&entries, from, to, &labels)))
}

/// The issuance statistics as CSV for a spreadsheet (UTF-8 with BOM): one row per day, hour,
/// certificate and counter, header `日付,時,証明書,窓口,件数`.
#[utoipa::path(get, path = "/api/v1/certificates/statistics.csv", security(("bearer" = [])),
    params(
        ("from" = Option<String>, Query, description = "first day (YYYY-MM-DD, Japan time); default: `to`"),
        ("to" = Option<String>, Query, description = "last day, inclusive; default: today; at most 366 days"),
    ),
    responses(
        (status = 200, description = "the CSV file", content_type = "text/csv"),
        (status = 400, body = ErrorBody),
    ))]
pub async fn certificate_statistics_csv(
    State(state): State<AppState>,
    session: Session,
    q: QueryMap,
) -> Result<Response, ApiError> {
    let (from, to) = period(&q)?;
    let (entries, labels) =
        period_entries(&state, session, (from, to), "certificate.statistics").await?;
    let csv = history::statistics_csv(&entries, &labels);
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "text/csv; charset=utf-8")
        .header(
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"certificate-statistics-{from}-{to}.csv\""),
        )
        .body(Body::from(csv))
        .map_err(ApiError::internal)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReprintCertificate {
    /// Why it is printed again (用紙詰まり, 汚損 …): required, 2 to 200 characters.
    #[serde(default)]
    pub reason: String,
}

fn reprint_reason(raw: &str) -> Result<String, ApiError> {
    let reason = raw.trim();
    if !(2..=200).contains(&reason.chars().count()) {
        return Err(bad(
            "invalid_reason",
            "再印刷の理由を2文字以上200文字以内で入力してください。",
        ));
    }
    Ok(reason.to_owned())
}

fn unknown_certificate() -> ApiError {
    ApiError::not_found("その発行番号の証明書はありません。")
}

/// Print a certificate again from what was printed (same 発行番号, same sheet), with the reason.
#[utoipa::path(post, path = "/api/v1/certificates/{issue_no}/reprint", security(("bearer" = [])),
    params(("issue_no" = String, Path)), request_body = ReprintCertificate,
    responses(
        (status = 200, description = "the PDF; `x-madoguchi-issue-numbers`, `x-madoguchi-pages`", content_type = "application/pdf"),
        (status = 400, description = "no reason, or one too long", body = ErrorBody),
        (status = 403, description = "a person under 支援措置 without the override permission", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "revoked (失効)", body = ErrorBody),
    ))]
pub async fn reprint_certificate(
    State(state): State<AppState>,
    session: Session,
    Path(issue_no): Path<String>,
    Json(req): Json<ReprintCertificate>,
) -> Result<Response, ApiError> {
    let reason = reprint_reason(&req.reason)?;
    if madoguchi_core::certificate::IssueNo::parse(&issue_no).is_none() {
        return Err(unknown_certificate());
    }
    let number = issue_no.clone();
    let (pdf, pages) = blocking(move || reprint_pdf(&state, &session, &number, reason)).await?;
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "application/pdf")
        .header("x-madoguchi-pages", pages.to_string())
        .header("x-madoguchi-issue-numbers", issue_no)
        .body(Body::from(pdf))
        .map_err(ApiError::internal)
}

/// The certificate rendered again from its stored snapshot, audited with the reason. A certificate
/// about a person under 支援措置 needs the override permission, as its first issue did.
fn reprint_pdf(
    state: &AppState,
    session: &Session,
    issue_no: &str,
    reason: String,
) -> Result<(Vec<u8>, usize), ApiError> {
    let store = state.store.as_ref();
    let tenant = session.tenant();
    let Some(record) = store.get_certificate(tenant, issue_no)? else {
        return Err(unknown_certificate());
    };
    if record.revoked_at.is_some() {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "revoked",
            "失効した証明書は再印刷できません。",
        ));
    }
    let mut people = Vec::new();
    for atena in &record.subjects {
        if let Ok(no) = AtenaNo::parse(atena) {
            people.extend(store.get_resident(tenant, &no)?);
        }
    }
    if crate::privacy::certificate_protected(store, tenant, &people)? {
        super::forms::support_measure_gate(
            store,
            session,
            ("certificate.reprint", issue_no),
            Some(&reason),
            "支援措置の対象となっている方の証明書は、権限のある職員が再印刷してください。",
        )?;
    }
    let library = tenant_library(&state.forms, store, tenant)?;
    let pdf = service::render(&state.forms, &library, std::slice::from_ref(&record))?;
    store.append_audit(&madoguchi_store::AuditEvent {
        reason: Some(reason),
        ..audit::event_for(
            session,
            "certificate.reprint",
            Some(issue_no.to_owned()),
            "ok",
        )
    })?;
    Ok(pdf)
}
