//! The case statistics over HTTP (統計): JSON for the admin console and the city's BI tools, CSV for a
//! spreadsheet (counts under 5 written `<5`), and the 対応履歴 export of a period. Every route needs
//! `admin` (statistics carry no personal data; the export names residents by 宛名番号 only) and is
//! audited with the period. The counting is in `crate::case_statistics`.

use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::Response;
use chrono::NaiveDate;
use madoguchi_store::{Store, TenantId};

use super::certificate_history::{labels, period};
use super::{ApiError, ErrorBody, QueryMap};
use crate::auth::Session;
use crate::case_statistics::{self as stats, CaseStatistics, PeriodTotal, StatisticsLabels};
use crate::certificate_history::period_bounds;
use crate::{AppState, audit, blocking, case_history_export, statistics_csv};

/// The statistics of the period, read from the store.
fn compute(
    state: &AppState,
    store: &dyn Store,
    tenant: &TenantId,
    (from, to): (NaiveDate, NaiveDate),
) -> Result<CaseStatistics, ApiError> {
    let (start, end) = period_bounds(from, to);
    let summary = store.case_summary(tenant, from, to)?;
    let issued = store.count_certificates_by_item(tenant, start, end)?;
    let counters = store.list_counters(tenant)?;
    let labels = StatisticsLabels::new(labels(state, store, tenant)?, &counters);
    let mut comparison = Vec::new();
    for (key, label, a, b) in stats::comparison_periods(from, to) {
        let (s, e) = period_bounds(a, b);
        let total = store.count_cases_opened_between(tenant, s, e)?;
        comparison.push(PeriodTotal {
            key: key.into(),
            label: label.into(),
            from: a,
            to: b,
            total: u32::try_from(total).unwrap_or(u32::MAX),
        });
    }
    Ok(stats::statistics(
        &summary,
        &issued,
        (from, to),
        &labels,
        comparison,
    ))
}

/// The statistics of the period, audited as `action`.
async fn audited_statistics(
    state: AppState,
    session: Session,
    q: &QueryMap,
    action: &'static str,
) -> Result<CaseStatistics, ApiError> {
    let (from, to) = period(q)?;
    blocking(move || {
        let store = state.store.as_ref();
        let s = compute(&state, store, session.tenant(), (from, to))?;
        audit::read_by_session(
            store,
            &session,
            action,
            Some(format!("period:{from}..{to}")),
            &format!("ok:{}", s.total),
        )?;
        Ok(s)
    })
    .await
}

/// The case statistics of a period (統計): cases by day, hour, weekday, counter, staff, channel, 届出
/// and procedure; handling time; certificates; the period compared with the one before and a year
/// earlier. Exact counts (for the city's BI tools); the CSV writes counts under 5 as `<5`.
#[utoipa::path(get, path = "/api/v1/admin/statistics", security(("bearer" = [])),
    params(
        ("from" = Option<String>, Query, description = "first day (YYYY-MM-DD, Japan time); default: `to`"),
        ("to" = Option<String>, Query, description = "last day, inclusive; default: today; at most 366 days"),
    ),
    responses((status = 200, body = CaseStatistics), (status = 400, body = ErrorBody)))]
pub async fn case_statistics(
    State(state): State<AppState>,
    session: Session,
    q: QueryMap,
) -> Result<Json<CaseStatistics>, ApiError> {
    Ok(Json(
        audited_statistics(state, session, &q, "statistics.read").await?,
    ))
}

fn csv_response(csv: String, name: &str) -> Result<Response, ApiError> {
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "text/csv; charset=utf-8")
        .header(
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        )
        .body(Body::from(csv))
        .map_err(ApiError::internal)
}

/// The case statistics as CSV (UTF-8 with BOM), header `区分,キー,項目,件数`; a count of 1 to 4 is
/// written `<5`.
#[utoipa::path(get, path = "/api/v1/admin/statistics.csv", security(("bearer" = [])),
    params(
        ("from" = Option<String>, Query, description = "first day (YYYY-MM-DD, Japan time); default: `to`"),
        ("to" = Option<String>, Query, description = "last day, inclusive; default: today; at most 366 days"),
    ),
    responses(
        (status = 200, description = "the CSV file", content_type = "text/csv"),
        (status = 400, body = ErrorBody),
    ))]
pub async fn case_statistics_csv(
    State(state): State<AppState>,
    session: Session,
    q: QueryMap,
) -> Result<Response, ApiError> {
    let s = audited_statistics(state, session, &q, "statistics.export").await?;
    let name = format!("statistics-{}-{}.csv", s.from, s.to);
    csv_response(statistics_csv::to_csv(&s), &name)
}

/// The 対応履歴 of a period as CSV (UTF-8 with BOM): one row per history entry, header
/// `日時,案件ID,窓口,窓口名,端末,職員,宛名番号,内容`; residents by 宛名番号 only.
#[utoipa::path(get, path = "/api/v1/admin/case-history.csv", security(("bearer" = [])),
    params(
        ("from" = Option<String>, Query, description = "first day (YYYY-MM-DD, Japan time); default: `to`"),
        ("to" = Option<String>, Query, description = "last day, inclusive; default: today; at most 366 days"),
    ),
    responses(
        (status = 200, description = "the CSV file", content_type = "text/csv"),
        (status = 400, body = ErrorBody),
    ))]
pub async fn case_history_csv(
    State(state): State<AppState>,
    session: Session,
    q: QueryMap,
) -> Result<Response, ApiError> {
    let (from, to) = period(&q)?;
    let csv = blocking(move || {
        let store = state.store.as_ref();
        let tenant = session.tenant();
        let (start, end) = period_bounds(from, to);
        let rows = store.case_history_between(tenant, start, end)?;
        let labels = labels(&state, store, tenant)?;
        audit::by_session(
            store,
            &session,
            "case_history.export",
            Some(format!("period:{from}..{to}")),
            &format!("ok:{}", rows.len()),
        )?;
        Ok::<_, ApiError>(case_history_export::to_csv(&rows, &labels))
    })
    .await?;
    csv_response(csv, &format!("case-history-{from}-{to}.csv"))
}
