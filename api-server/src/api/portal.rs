//! 申請管理 over HTTP: マイナポータル applications listed with counts by status, one opened (its
//! applicant through the 支援措置 gate, its attachments, the residents it may be about), a downloaded
//! ZIP imported, a status set, an application turned into a case. Every access audited.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use madoguchi_store::{PORTAL_STATUSES, PortalApplication, PortalStatusChange, Store, StoreError};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{ApiError, ErrorBody, QueryMap};
use crate::auth::Session;
use crate::portal::import::{ImportFailed, import_zip};
use crate::portal::{adapter, forms, matching};
use crate::privacy::{self, Addressed};
use crate::{AppState, audit, blocking};

/// How many applications are in each status.
#[derive(Serialize, ToSchema, Default)]
pub struct PortalCounts {
    pub unprocessed: usize,
    pub in_progress: usize,
    pub done: usize,
    pub returned: usize,
}

/// One line of the list: no address.
#[derive(Serialize, ToSchema)]
pub struct PortalListItem {
    pub application_no: String,
    /// `pittari`, `tennyu_yoyaku` or `tenshutsu`.
    pub kind: String,
    pub form_code: String,
    /// The form's name (empty for a form no longer accepted).
    pub form_name: String,
    /// `zip` or `api`.
    pub source: String,
    pub received_at: DateTime<Utc>,
    pub applicant_name: String,
    pub applicant_kana: String,
    /// `unprocessed` (未処理), `in_progress` (処理中), `done` (完了) or `returned` (差戻し).
    pub status: String,
    pub status_by: Option<String>,
    pub status_at: Option<DateTime<Utc>>,
    pub case_id: Option<String>,
    /// Whether the portal has been told the current status.
    pub status_sent: bool,
}

/// The list with the counts of every status (whatever the filter).
#[derive(Serialize, ToSchema)]
pub struct PortalApplicationList {
    pub counts: PortalCounts,
    pub items: Vec<PortalListItem>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PortalListQuery {
    /// Only this status.
    pub status: Option<String>,
}

/// The applicant as the application states them.
#[derive(Serialize, ToSchema)]
pub struct PortalApplicantView {
    pub name: String,
    pub kana: String,
    pub birth_date: Option<NaiveDate>,
    pub address: Option<String>,
    pub postal_code: Option<String>,
    pub phone: Option<String>,
}

/// A resident the application may be about.
#[derive(Serialize, ToSchema)]
pub struct PortalCandidateView {
    pub atena_no: String,
    pub name: String,
    pub kana: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub address: Option<String>,
}

/// An attached file (download it by its index).
#[derive(Serialize, ToSchema)]
pub struct PortalAttachmentView {
    pub index: i64,
    pub name: String,
    pub media_type: String,
    pub size: i64,
}

/// One application opened. Passes the 支援措置 gate: when a candidate resident is protected, every
/// address is masked.
#[derive(Serialize, ToSchema)]
pub struct PortalApplicationView {
    #[serde(flatten)]
    pub item: PortalListItem,
    pub applicant: PortalApplicantView,
    pub jpki_serial: Option<String>,
    pub status_reason: Option<String>,
    /// The procedures the case will have.
    pub procedures: Vec<String>,
    pub attachments: Vec<PortalAttachmentView>,
    /// `serial` (the signature's certificate names the resident) or `name_birth`.
    pub matched_by: String,
    /// None: nobody matches; several: ambiguous, staff choose.
    pub candidates: Vec<PortalCandidateView>,
    pub address_masked: bool,
}

impl Addressed for PortalApplicationView {
    fn mask(&mut self) {
        self.applicant.address = Some(privacy::MASKED.into());
        self.applicant.postal_code = None;
        for c in &mut self.candidates {
            c.address = Some(privacy::MASKED.into());
        }
        self.address_masked = true;
    }
}

/// What an import did.
#[derive(Serialize, ToSchema)]
pub struct PortalImportView {
    /// Applications in the ZIP.
    pub total: usize,
    /// Stored now.
    pub added: usize,
    /// Stored before (the same application imported again).
    pub already: usize,
    /// 転入予約 among those stored now that joined the 来庁予定者 with their 来庁予定日.
    pub reserved: usize,
}

/// A downloaded ZIP.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PortalImportInput {
    /// The ZIP's bytes, base64.
    pub zip_base64: String,
}

/// A status set by staff.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PortalStatusInput {
    pub status: String,
    /// Required for `returned` (差戻し).
    #[serde(default)]
    pub reason: Option<String>,
}

/// Which resident the case is about (one of the candidates, or none).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PortalCaseInput {
    #[serde(default)]
    pub atena_no: Option<String>,
}

/// The case an application became.
#[derive(Serialize, ToSchema)]
pub struct PortalCaseView {
    pub case_id: String,
}

pub(crate) fn item(a: &PortalApplication) -> PortalListItem {
    let who = adapter::applicant_of(&a.applicant);
    PortalListItem {
        application_no: a.application_no.clone(),
        kind: a.kind.clone(),
        form_code: a.form_code.clone(),
        form_name: forms::find(&a.form_code)
            .map(|f| f.name.to_owned())
            .unwrap_or_default(),
        source: a.source.clone(),
        received_at: a.received_at,
        applicant_name: who.as_ref().map(|w| w.name.clone()).unwrap_or_default(),
        applicant_kana: who.map(|w| w.kana).unwrap_or_default(),
        status: a.status.clone(),
        status_by: a.status_by.clone(),
        status_at: a.status_at,
        case_id: a.case_id.clone(),
        status_sent: a.status_sent_at.is_some(),
    }
}

fn not_found() -> ApiError {
    ApiError::not_found("申請が見つかりません。")
}

fn subject(no: &str) -> Option<String> {
    Some(format!("portal:{no}"))
}

/// The tenant's applications (optionally of one status), the latest received first, with the counts
/// of every status. Audited.
#[utoipa::path(get, path = "/api/v1/portal/applications", security(("bearer" = [])),
    params(PortalListQuery),
    responses((status = 200, body = PortalApplicationList), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_applications(
    State(state): State<AppState>,
    session: Session,
    query: QueryMap,
) -> Result<Json<PortalApplicationList>, ApiError> {
    let status = query.get("status").filter(|s| !s.is_empty());
    if let Some(s) = &status
        && !PORTAL_STATUSES.contains(&s.as_str())
    {
        return Err(ApiError::bad_request(
            "invalid_status",
            "状態は 未処理・処理中・完了・差戻し のいずれかを指定してください。",
        ));
    }
    let store = state.store.clone();
    blocking(move || {
        let all = store.portal_applications(session.tenant(), None)?;
        let mut counts = PortalCounts::default();
        for a in &all {
            match a.status.as_str() {
                "unprocessed" => counts.unprocessed += 1,
                "in_progress" => counts.in_progress += 1,
                "done" => counts.done += 1,
                _ => counts.returned += 1,
            }
        }
        let items = all
            .iter()
            .filter(|a| status.as_ref().is_none_or(|s| &a.status == s))
            .map(item)
            .collect();
        audit::read_by_session(store.as_ref(), &session, "portal.list", None, "ok")?;
        Ok(Json(PortalApplicationList { counts, items }))
    })
    .await
}

fn view(
    state: &AppState,
    store: &dyn Store,
    session: &Session,
    a: PortalApplication,
) -> Result<PortalApplicationView, ApiError> {
    let tenant = session.tenant();
    let who = adapter::applicant_of(&a.applicant);
    let found = matching::find(store, tenant, a.jpki_serial.as_deref(), who.as_ref())?;
    let mut protected = false;
    let mut candidates = Vec::new();
    for r in &found.candidates {
        protected |= privacy::resident_protected(store, tenant, r)?;
        candidates.push(PortalCandidateView {
            atena_no: r.atena_no.as_str().to_owned(),
            name: r.name.full.clone(),
            kana: r.name.kana.clone(),
            birth_date: r.birth.date(),
            address: Some(r.address.one_line()),
        });
    }
    let catalog = super::navigation::catalog(state, store, tenant)?;
    let procedures = forms::find(&a.form_code)
        .map(|f| crate::portal::case::procedures(f, &catalog, crate::clock::today_jst()))
        .unwrap_or_default()
        .into_iter()
        .map(|p| p.name)
        .collect();
    let v = PortalApplicationView {
        item: item(&a),
        applicant: PortalApplicantView {
            name: who.as_ref().map(|w| w.name.clone()).unwrap_or_default(),
            kana: who.as_ref().map(|w| w.kana.clone()).unwrap_or_default(),
            birth_date: who.as_ref().map(|w| w.birth_date),
            address: who.as_ref().map(|w| w.address.clone()),
            postal_code: who.as_ref().and_then(|w| w.postal_code.clone()),
            phone: who.as_ref().and_then(|w| w.phone.clone()),
        },
        jpki_serial: a.jpki_serial,
        status_reason: a.status_reason,
        procedures,
        attachments: a
            .attachments
            .into_iter()
            .map(|f| PortalAttachmentView {
                index: f.index,
                name: f.name,
                media_type: f.media_type,
                size: f.size,
            })
            .collect(),
        matched_by: match found.by {
            matching::MatchedBy::Serial => "serial",
            matching::MatchedBy::NameAndBirth => "name_birth",
        }
        .into(),
        candidates,
        address_masked: false,
    };
    Ok(privacy::release(v, protected))
}

/// One application with its applicant (through the 支援措置 gate), attachments and candidate
/// residents. Audited.
#[utoipa::path(get, path = "/api/v1/portal/applications/{application_no}", security(("bearer" = [])),
    params(("application_no" = String, Path)),
    responses((status = 200, body = PortalApplicationView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_application(
    State(state): State<AppState>,
    session: Session,
    Path(no): Path<String>,
) -> Result<Json<PortalApplicationView>, ApiError> {
    let store = state.store.clone();
    blocking(move || {
        let a = store
            .portal_application(session.tenant(), &no)?
            .ok_or_else(not_found)?;
        let v = view(&state, store.as_ref(), &session, a)?;
        audit::read_by_session(store.as_ref(), &session, "portal.view", subject(&no), "ok")?;
        Ok(Json(v))
    })
    .await
}

/// One attached file, as uploaded. Audited.
#[utoipa::path(get, path = "/api/v1/portal/applications/{application_no}/attachments/{index}",
    security(("bearer" = [])),
    params(("application_no" = String, Path), ("index" = i64, Path)),
    responses((status = 200, content_type = "application/octet-stream", body = Vec<u8>),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_attachment(
    State(state): State<AppState>,
    session: Session,
    Path((no, index)): Path<(String, i64)>,
) -> Result<Response, ApiError> {
    let store = state.store.clone();
    blocking(move || {
        let f = store
            .portal_attachment(session.tenant(), &no, index)?
            .ok_or_else(|| ApiError::not_found("添付ファイルが見つかりません。"))?;
        let what = Some(format!("portal:{no}:attachment:{index}"));
        audit::read_by_session(store.as_ref(), &session, "portal.attachment", what, "ok")?;
        let disposition = format!(
            "attachment; filename*=UTF-8''{}",
            percent_encoding::utf8_percent_encode(&f.name, percent_encoding::NON_ALPHANUMERIC)
        );
        Ok((
            [
                (header::CONTENT_TYPE, "application/octet-stream".to_owned()),
                (header::CONTENT_DISPOSITION, disposition),
            ],
            f.bytes,
        )
            .into_response())
    })
    .await
}

/// Imports a ZIP downloaded from マイナポータル's 申請管理: all its applications or none; those
/// imported before are left as they are. Audited.
#[utoipa::path(post, path = "/api/v1/portal/imports", security(("bearer" = [])),
    request_body = PortalImportInput,
    responses((status = 200, body = PortalImportView), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn import(
    State(state): State<AppState>,
    session: Session,
    Json(req): Json<PortalImportInput>,
) -> Result<Json<PortalImportView>, ApiError> {
    use base64::Engine;
    let body = base64::engine::general_purpose::STANDARD
        .decode(req.zip_base64.trim())
        .map_err(|_| {
            ApiError::bad_request(
                "invalid_portal_zip",
                "ZIP ファイルの送信形式が正しくありません。",
            )
        })?;
    let store = state.store.clone();
    blocking(move || {
        let event = audit::event_for(&session, "portal.import", None, "ok");
        match import_zip(store.as_ref(), session.tenant(), &body, Utc::now(), &event) {
            Ok(r) => Ok(Json(PortalImportView {
                total: r.total,
                added: r.added.len(),
                already: r.already(),
                reserved: r.reserved,
            })),
            Err(ImportFailed::Input(e)) => {
                audit::by_session(store.as_ref(), &session, "portal.import", None, "refused")?;
                Err(ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid_portal_zip",
                    e.0,
                ))
            }
            Err(ImportFailed::Store(StoreError::Conflict(_))) => Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_portal_zip",
                "添付ファイルが大きすぎる申請があります。",
            )),
            Err(ImportFailed::Store(e)) => Err(e.into()),
        }
    })
    .await
}

/// Sets an application's status (差戻し with a reason); it is reported to the portal by the
/// connector. Audited.
#[utoipa::path(put, path = "/api/v1/portal/applications/{application_no}/status", security(("bearer" = [])),
    params(("application_no" = String, Path)), request_body = PortalStatusInput,
    responses((status = 200, body = PortalListItem), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn set_status(
    State(state): State<AppState>,
    session: Session,
    Path(no): Path<String>,
    Json(req): Json<PortalStatusInput>,
) -> Result<Json<PortalListItem>, ApiError> {
    if !PORTAL_STATUSES.contains(&req.status.as_str()) {
        return Err(ApiError::bad_request(
            "invalid_status",
            "状態は 未処理・処理中・完了・差戻し のいずれかを指定してください。",
        ));
    }
    let reason = req
        .reason
        .map(|r| r.trim().to_owned())
        .filter(|r| !r.is_empty());
    if req.status == "returned" && reason.is_none() {
        return Err(ApiError::bad_request(
            "reason_required",
            "差戻しには理由を入力してください。",
        ));
    }
    let store = state.store.clone();
    blocking(move || {
        let change = PortalStatusChange {
            status: req.status,
            by: session.record.login.clone(),
            at: Utc::now(),
            reason,
            case_id: None,
        };
        let event = audit::event_for(&session, "portal.status", subject(&no), "ok");
        store
            .set_portal_status(session.tenant(), &no, &change, &event)
            .map_err(|e| match e {
                StoreError::NotFound(_) => not_found(),
                e => e.into(),
            })?;
        let a = store
            .portal_application(session.tenant(), &no)?
            .ok_or_else(not_found)?;
        Ok(Json(item(&a)))
    })
    .await
}

/// Turns an application into a case (受付中) about the chosen resident, with its form's
/// procedures; the application becomes 処理中. Again: the same case. Audited.
#[utoipa::path(post, path = "/api/v1/portal/applications/{application_no}/case", security(("bearer" = [])),
    params(("application_no" = String, Path)), request_body = PortalCaseInput,
    responses((status = 200, body = PortalCaseView), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn make_case(
    State(state): State<AppState>,
    session: Session,
    Path(no): Path<String>,
    Json(req): Json<PortalCaseInput>,
) -> Result<Json<PortalCaseView>, ApiError> {
    let store = state.store.clone();
    blocking(move || {
        let case_id =
            super::portal_case::make(&state, store.as_ref(), &session, &no, req.atena_no)?;
        Ok(Json(PortalCaseView { case_id }))
    })
    .await
}
