//! The 手続きナビ editor over HTTP (permission `admin`): the catalogue with each procedure's period, the
//! city's draft, its check as it is typed (rule errors with their position, examples run, the diff
//! against what is in force), a test household evaluated with the draft and the current catalogue side
//! by side, and publication from a date. The work is in `crate::local_rules`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::NaiveDate;
use madoguchi_core::navigation::local::{DiffLine, DraftReport, LocalCatalog, diff};
use madoguchi_core::navigation::{Catalog, Question};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::navigation::{EvaluateRequest, EvaluateResponse, evaluate_on};
use super::{ApiError, ErrorBody, today_jst};
use crate::auth::Session;
use crate::local_rules::{self, Publication, RulesError};
use crate::{AppState, audit, blocking};

impl From<RulesError> for ApiError {
    fn from(e: RulesError) -> Self {
        match e {
            RulesError::Store(e) => e.into(),
            RulesError::Corrupt(e) => ApiError::internal(e),
            RulesError::Stale => ApiError::new(
                StatusCode::CONFLICT,
                "stale_revision",
                "ほかの管理者がこの内容を先に変更しました。画面を読み込み直してから、もう一度変更してください。",
            ),
            RulesError::PastDate => ApiError::bad_request(
                "invalid_date",
                "公開日は今日以降の日にしてください（過去の判定は変えられません）。",
            ),
            RulesError::Invalid(report) => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_rules",
                report.problems.first().map_or_else(
                    || "例の結果が期待と違うため公開できません。".to_owned(),
                    |p| format!("公開できません: {}", p.message),
                ),
            ),
        }
    }
}

/// A procedure of the catalogue with its period.
#[derive(Serialize, ToSchema)]
pub struct CatalogEntry {
    pub code: String,
    pub name: String,
    pub counter: String,
    pub valid_from: NaiveDate,
    pub valid_until: Option<NaiveDate>,
    /// `standard` or `local` (the city's own).
    pub source: String,
    /// `in_force`, `scheduled` or `ended`, today.
    pub state: String,
}

/// What the editor opens with.
#[derive(Serialize, ToSchema)]
pub struct NavigationEditorView {
    pub today: NaiveDate,
    /// Every procedure, standard and local, every version.
    pub catalog: Vec<CatalogEntry>,
    pub draft: LocalCatalog,
    /// Whether the draft was saved (otherwise it is the published file as of today).
    pub draft_saved: bool,
    pub draft_revision: String,
    pub published_revision: String,
    /// Questions of the standard catalogue, which the city's rules may ask too.
    pub standard_questions: Vec<Question>,
    /// Form template ids a procedure may name.
    pub forms: Vec<String>,
}

fn entry(
    p: &madoguchi_core::navigation::Procedure,
    source: &str,
    today: NaiveDate,
) -> CatalogEntry {
    let state = if p.valid_from > today {
        "scheduled"
    } else if p.in_force_on(today) {
        "in_force"
    } else {
        "ended"
    };
    CatalogEntry {
        code: p.code.clone(),
        name: p.name.clone(),
        counter: p.counter.clone(),
        valid_from: p.valid_from,
        valid_until: p.valid_until,
        source: source.into(),
        state: state.into(),
    }
}

fn standard(state: &AppState) -> Result<std::sync::Arc<Catalog>, ApiError> {
    state
        .navigation
        .clone()
        .map_err(|e| ApiError::internal(format!("procedure catalogue failed to load: {e}")))
}

fn form_ids(
    state: &AppState,
    store: &dyn madoguchi_store::Store,
    session: &Session,
) -> Result<Vec<String>, ApiError> {
    let lib = crate::printing::tenant_library(&state.forms, store, session.tenant())?;
    let mut ids: Vec<String> = lib.ids().map(str::to_owned).collect();
    ids.sort();
    ids.dedup();
    Ok(ids)
}

/// The catalogue, the draft and what the editor offers.
#[utoipa::path(get, path = "/api/v1/admin/navigation/editor", security(("bearer" = [])),
    responses((status = 200, body = NavigationEditorView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn editor(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<NavigationEditorView>, ApiError> {
    let today = today_jst();
    blocking(move || {
        let store = state.store.as_ref();
        let standard = standard(&state)?;
        let (published, published_revision) = local_rules::published(store, session.tenant())?;
        let (draft, draft_saved, draft_revision) =
            local_rules::draft(store, session.tenant(), today)?;
        let local = published.load().map_err(|e| {
            ApiError::internal(format!("published local rules no longer load: {e}"))
        })?;
        let codes: std::collections::BTreeSet<&str> = standard
            .procedures
            .iter()
            .map(|p| p.code.as_str())
            .collect();
        let catalog = local
            .procedures
            .iter()
            .map(|p| {
                entry(
                    p,
                    if codes.contains(p.code.as_str()) {
                        "standard"
                    } else {
                        "local"
                    },
                    today,
                )
            })
            .collect();
        Ok(Json(NavigationEditorView {
            today,
            catalog,
            draft,
            draft_saved,
            draft_revision,
            published_revision,
            standard_questions: standard.questions.clone(),
            forms: form_ids(&state, store, &session)?,
        }))
    })
    .await
}

#[derive(Deserialize, ToSchema)]
pub struct DraftRequest {
    pub draft: LocalCatalog,
}

/// The check of a draft and what it changes.
#[derive(Serialize, ToSchema)]
pub struct DraftCheck {
    pub report: DraftReport,
    /// Against what is in force today.
    pub diff: Vec<DiffLine>,
    /// Publishable: no problem and every example holds.
    pub ok: bool,
}

/// Checks a draft as it is typed: each rule parsed (error offset and reason), each field, the examples
/// run; and the difference from what is in force. Writes nothing.
#[utoipa::path(post, path = "/api/v1/admin/navigation/check", security(("bearer" = [])), request_body = DraftRequest,
    responses((status = 200, body = DraftCheck), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn check(
    State(state): State<AppState>,
    session: Session,
    Json(req): Json<DraftRequest>,
) -> Result<Json<DraftCheck>, ApiError> {
    let today = today_jst();
    blocking(move || {
        let store = state.store.as_ref();
        let standard = standard(&state)?;
        let (published, _) = local_rules::published(store, session.tenant())?;
        let report = local_rules::check(&req.draft, &standard, &form_ids(&state, store, &session)?);
        Ok(Json(DraftCheck {
            ok: report.ok(),
            report,
            diff: diff(&published, &req.draft, today),
        }))
    })
    .await
}

#[derive(Deserialize, ToSchema)]
pub struct TrialRequest {
    pub draft: LocalCatalog,
    pub household: EvaluateRequest,
}

#[derive(Serialize, ToSchema)]
pub struct TrialResponse {
    /// With the draft.
    pub draft: EvaluateResponse,
    /// With the catalogue published now.
    pub current: EvaluateResponse,
}

/// A test household evaluated with the draft and with the current catalogue.
#[utoipa::path(post, path = "/api/v1/admin/navigation/trial", security(("bearer" = [])), request_body = TrialRequest,
    responses((status = 200, body = TrialResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn trial(
    State(state): State<AppState>,
    session: Session,
    Json(req): Json<TrialRequest>,
) -> Result<Json<TrialResponse>, ApiError> {
    let draft = req.draft.load().map_err(|e| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_rules",
            format!("下書きに誤りがあるため試せません: {}", e.reason),
        )
    })?;
    let store = state.store.clone();
    let st = state.clone();
    let current =
        blocking(move || super::navigation::catalog(&st, store.as_ref(), session.tenant())).await?;
    Ok(Json(TrialResponse {
        draft: evaluate_on(&draft, req.household.clone())?,
        current: evaluate_on(&current, req.household)?,
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct SaveDraftRequest {
    pub draft: LocalCatalog,
    /// The draft revision read.
    pub revision: String,
}

#[derive(Serialize, ToSchema)]
pub struct RevisionView {
    pub revision: String,
}

/// Saves the draft (even with problems) on the revision read.
#[utoipa::path(put, path = "/api/v1/admin/navigation/draft", security(("bearer" = [])), request_body = SaveDraftRequest,
    responses((status = 200, body = RevisionView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn save_draft(
    State(state): State<AppState>,
    session: Session,
    Json(req): Json<SaveDraftRequest>,
) -> Result<Json<RevisionView>, ApiError> {
    blocking(move || {
        let event = audit::event_for(&session, "navigation_draft.put", None, "ok");
        let revision = local_rules::save_draft(
            state.store.as_ref(),
            session.tenant(),
            &req.draft,
            &req.revision,
            &event,
        )?;
        Ok(Json(RevisionView { revision }))
    })
    .await
}

#[derive(Deserialize, ToSchema)]
pub struct PublishDraftRequest {
    pub draft: LocalCatalog,
    /// 公開日: the first day cases are evaluated with it (today or later, any accepted date form).
    pub from: String,
    /// The published revision the draft was made against.
    pub revision: String,
}

/// Publishes the draft from a date: refused (422) when a field or rule has a problem or an example
/// fails, (409) when someone published since, (400) for a past date.
#[utoipa::path(post, path = "/api/v1/admin/navigation/publish", security(("bearer" = [])), request_body = PublishDraftRequest,
    responses((status = 200, body = RevisionView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn publish(
    State(state): State<AppState>,
    session: Session,
    Json(req): Json<PublishDraftRequest>,
) -> Result<Json<RevisionView>, ApiError> {
    let from = madoguchi_core::wareki::parse_date(&req.from)
        .map_err(|e| ApiError::bad_request("invalid_date", e.message_ja()))?;
    let today = today_jst();
    blocking(move || {
        let store = state.store.as_ref();
        let standard = standard(&state)?;
        let forms = form_ids(&state, store, &session)?;
        let subject = Some(from.to_string());
        let published = audit::event_for(&session, "navigation_rules.publish", subject, "ok");
        let cleared = audit::event_for(&session, "navigation_draft.put", None, "ok");
        let publication = Publication {
            draft: &req.draft,
            from,
            expected: &req.revision,
            today,
        };
        let revision = local_rules::publish(
            store,
            session.tenant(),
            &standard,
            &forms,
            publication,
            [&published, &cleared],
        )?;
        Ok(Json(RevisionView { revision }))
    })
    .await
}
