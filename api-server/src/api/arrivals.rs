//! The 来庁予定者 screen (`#/staff/arrivals`): the 転入予約 of a day with their households, and 「準備する」
//! for one or for the whole day (`crate::arrivals`). Every read and preparation is audited; the 転出元
//! and 転入予定地 leave through the 支援措置 gate (a prepared case naming a protected resident masks them).

use axum::Json;
use axum::extract::{Path, State};
use chrono::{Duration, NaiveDate};
use madoguchi_core::case_document::{CaseDocument, IncomingMoveView, stored};
use madoguchi_store::{Reservation, Store, TenantId};
use serde::Serialize;
use utoipa::ToSchema;

use super::{ApiError, ErrorBody, QueryMap, today_jst};
use crate::arrivals::{Actor, Outcome, prepare_day, prepare_one};
use crate::auth::Session;
use crate::privacy::{self, Addressed, MASKED};
use crate::{AppState, audit, blocking};

/// One reservation as the list shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ArrivalView {
    pub notice_no: String,
    /// 来庁予定日.
    pub expected_on: NaiveDate,
    /// `feed` (住記システム), `portal` (マイナポータル) or `manual`.
    pub source: String,
    /// `planned` 予定, `prepared` 準備済み, `arrived` 来庁済み, `cancelled` 取消.
    pub status: String,
    pub prepared_case_id: Option<String>,
    /// Why the last preparation failed (Japanese).
    pub problem: Option<String>,
    /// 世帯主 of the 転出証明書情報; absent when the notice is not known.
    pub head_name: Option<String>,
    pub members: usize,
    /// 転出元 (masked for a protected household).
    pub old_address: Option<String>,
    /// Procedures 手続きナビ found for the prepared case.
    pub procedures: Option<usize>,
    pub address_masked: bool,
}

/// One reservation opened: its household and the prepared case's procedures.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ArrivalDetailView {
    pub arrival: ArrivalView,
    pub notice: Option<IncomingMoveView>,
    /// Names of the procedures of the prepared case.
    pub procedure_names: Vec<String>,
}

/// What 「準備する」 did for one reservation.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PrepareResult {
    pub notice_no: String,
    pub prepared: bool,
    pub case_id: Option<String>,
    pub procedures: usize,
    /// Forms rendered to check them, and how many had blank fields reported.
    pub forms: usize,
    pub form_problems: usize,
    /// Why it was not prepared (Japanese).
    pub problem: Option<String>,
}

impl Addressed for ArrivalView {
    fn mask(&mut self) {
        if self.old_address.is_some() {
            self.old_address = Some(MASKED.into());
        }
        self.address_masked = true;
    }
}

impl Addressed for ArrivalDetailView {
    fn mask(&mut self) {
        self.arrival.mask();
        if let Some(n) = &mut self.notice {
            n.old_address = MASKED.into();
            if n.new_address.is_some() {
                n.new_address = Some(MASKED.into());
            }
        }
    }
}

fn result(notice_no: String, o: Outcome) -> PrepareResult {
    match o {
        Outcome::Prepared {
            case_id,
            procedures,
            forms,
            form_problems,
        } => PrepareResult {
            notice_no,
            prepared: true,
            case_id: Some(case_id),
            procedures,
            forms,
            form_problems,
            problem: None,
        },
        Outcome::Problem(p) => PrepareResult {
            notice_no,
            prepared: false,
            case_id: None,
            procedures: 0,
            forms: 0,
            form_problems: 0,
            problem: Some(p),
        },
    }
}

/// The `date` parameter (default: tomorrow in Japan).
fn day(q: &QueryMap) -> Result<NaiveDate, ApiError> {
    match q.get("date").filter(|d| !d.is_empty()) {
        None => Ok(today_jst() + Duration::days(1)),
        Some(d) => NaiveDate::parse_from_str(&d, "%Y-%m-%d").map_err(|_| {
            ApiError::bad_request("invalid_date", "日付は 2026-12-08 の形で指定してください。")
        }),
    }
}

/// A reservation with its notice and prepared case, as the session may see it, and the notice.
fn view(
    store: &dyn Store,
    tenant: &TenantId,
    r: Reservation,
) -> Result<(ArrivalView, Option<IncomingMoveView>, Vec<String>, bool), ApiError> {
    let notice = store
        .incoming_move(tenant, &r.notice_no)?
        .map(|m| serde_json::from_str::<IncomingMoveView>(&m.document))
        .transpose()
        .map_err(|e| ApiError::internal(format!("stored notice does not parse: {e}")))?;
    let case: Option<CaseDocument> = match &r.prepared_case_id {
        None => None,
        Some(id) => store
            .get_case(tenant, id)?
            .map(|(c, _)| stored::read(&c.document))
            .transpose()
            .map_err(ApiError::internal)?,
    };
    let protected = match &case {
        Some(doc) => privacy::case_protected(store, tenant, doc)?,
        None => false,
    };
    let names: Vec<String> = case
        .iter()
        .flat_map(|d| d.procedures.iter().map(|p| p.name.clone()))
        .collect();
    let v = ArrivalView {
        notice_no: r.notice_no,
        expected_on: r.expected_on,
        source: r.source.as_str().into(),
        status: r.status.as_str().into(),
        prepared_case_id: r.prepared_case_id,
        problem: r.problem,
        head_name: notice.as_ref().map(|n| n.head_name.clone()),
        members: notice.as_ref().map_or(0, |n| n.members.len()),
        old_address: notice.as_ref().map(|n| n.old_address.clone()),
        procedures: case.as_ref().map(|d| d.procedures.len()),
        address_masked: false,
    };
    Ok((v, notice, names, protected))
}

/// The 転入予約 of a day (default tomorrow), by notice number.
#[utoipa::path(get, path = "/api/v1/arrivals", security(("bearer" = [])),
    params(("date" = Option<String>, Query, description = "来庁予定日 (YYYY-MM-DD); default: tomorrow in Japan")),
    responses((status = 200, body = Vec<ArrivalView>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_arrivals(
    State(state): State<AppState>,
    session: Session,
    q: QueryMap,
) -> Result<Json<Vec<ArrivalView>>, ApiError> {
    let day = day(&q)?;
    let store = state.store.clone();
    blocking(move || {
        let tenant = session.tenant();
        let mut out = Vec::new();
        for r in store.reservations_on(tenant, day)? {
            let (v, _, _, protected) = view(store.as_ref(), tenant, r)?;
            out.push(privacy::release(v, protected));
        }
        let notices: Vec<String> = out
            .iter()
            .map(|v| format!("notice:{}", v.notice_no))
            .collect();
        audit::read_by_session(
            store.as_ref(),
            &session,
            "arrival.list",
            Some(
                format!("date:{day} {}", notices.join(" "))
                    .trim()
                    .to_owned(),
            ),
            "ok",
        )?;
        Ok(Json(out))
    })
    .await
}

/// One 転入予約 with its household.
#[utoipa::path(get, path = "/api/v1/arrivals/{notice_no}", security(("bearer" = [])),
    params(("notice_no" = String, Path, description = "通知番号")),
    responses((status = 200, body = ArrivalDetailView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_arrival(
    State(state): State<AppState>,
    session: Session,
    Path(notice_no): Path<String>,
) -> Result<Json<ArrivalDetailView>, ApiError> {
    let store = state.store.clone();
    blocking(move || {
        let tenant = session.tenant();
        let subject = Some(format!("notice:{notice_no}"));
        let Some(r) = store.reservation(tenant, &notice_no)? else {
            audit::read_by_session(
                store.as_ref(),
                &session,
                "arrival.read",
                subject,
                "not_found",
            )?;
            return Err(ApiError::not_found("転入予約が見つかりません。"));
        };
        let (arrival, notice, procedure_names, protected) = view(store.as_ref(), tenant, r)?;
        audit::read_by_session(store.as_ref(), &session, "arrival.read", subject, "ok")?;
        Ok(Json(privacy::release(
            ArrivalDetailView {
                arrival,
                notice,
                procedure_names,
            },
            protected,
        )))
    })
    .await
}

/// 「準備する」 for one 転入予約: its case made (once) with the procedures found and every form checked.
#[utoipa::path(post, path = "/api/v1/arrivals/{notice_no}/prepare", security(("bearer" = [])),
    params(("notice_no" = String, Path, description = "通知番号")),
    responses((status = 200, body = PrepareResult), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn prepare_arrival(
    State(state): State<AppState>,
    session: Session,
    Path(notice_no): Path<String>,
) -> Result<Json<PrepareResult>, ApiError> {
    blocking(move || {
        let tenant = session.tenant().clone();
        if state.store.reservation(&tenant, &notice_no)?.is_none() {
            audit::by_session(
                state.store.as_ref(),
                &session,
                "arrival.prepare",
                Some(format!("notice:{notice_no}")),
                "not_found",
            )?;
            return Err(ApiError::not_found("転入予約が見つかりません。"));
        }
        let o = prepare_one(&state, &tenant, &notice_no, Actor::Staff(&session))?;
        Ok(Json(result(notice_no, o)))
    })
    .await
}

/// 「準備する」 for every planned 転入予約 of a day (default tomorrow).
#[utoipa::path(post, path = "/api/v1/arrivals/prepare", security(("bearer" = [])),
    params(("date" = Option<String>, Query, description = "来庁予定日 (YYYY-MM-DD); default: tomorrow in Japan")),
    responses((status = 200, body = Vec<PrepareResult>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn prepare_arrivals(
    State(state): State<AppState>,
    session: Session,
    q: QueryMap,
) -> Result<Json<Vec<PrepareResult>>, ApiError> {
    let day = day(&q)?;
    blocking(move || {
        let tenant = session.tenant().clone();
        let done = prepare_day(&state, &tenant, day, Actor::Staff(&session))?;
        audit::by_session(
            state.store.as_ref(),
            &session,
            "arrival.prepare_day",
            Some(format!("date:{day} count:{}", done.len())),
            "ok",
        )?;
        Ok(Json(done.into_iter().map(|(n, o)| result(n, o)).collect()))
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gate_masks_every_address_of_an_arrival() {
        let arrival = ArrivalView {
            notice_no: "T-1".into(),
            expected_on: NaiveDate::from_ymd_opt(2026, 12, 8).expect("date"),
            source: "feed".into(),
            status: "prepared".into(),
            prepared_case_id: Some("arrival-T-1".into()),
            problem: None,
            head_name: Some("山田　太郎".into()),
            members: 1,
            old_address: Some("東京都世田谷区太子堂二丁目5番8号".into()),
            procedures: Some(3),
            address_masked: false,
        };
        let notice = IncomingMoveView {
            notice_no: "T-1".into(),
            old_address: "東京都世田谷区太子堂二丁目5番8号".into(),
            new_address: Some("さくら野市本町一丁目1番地".into()),
            planned_on: NaiveDate::from_ymd_opt(2026, 12, 1).expect("date"),
            head_name: "山田　太郎".into(),
            members: Vec::new(),
            prepared_case_id: None,
        };
        let shown = privacy::release(
            ArrivalDetailView {
                arrival: arrival.clone(),
                notice: Some(notice),
                procedure_names: Vec::new(),
            },
            true,
        );
        let text = serde_json::to_string(&shown).expect("json");
        assert!(!text.contains("世田谷") && !text.contains("本町"), "{text}");
        assert!(shown.arrival.address_masked);
        let open = privacy::release(arrival, false);
        assert!(open.old_address.is_some_and(|a| a.contains("世田谷")));
    }
}
