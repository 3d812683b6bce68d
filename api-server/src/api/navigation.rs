//! 手続きナビ over HTTP: evaluate a life event for a household, and the procedure catalogue in force.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use chrono::NaiveDate;
use madoguchi_core::navigation::{self, Answer, Catalog, Input, MemberInput, QuestionKind};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{ApiError, ErrorBody, QueryMap, today_jst};
use crate::AppState;
use crate::auth::Session;

/// Key of the tenant's own rule file in the store.
pub(crate) const LOCAL_RULES: &str = crate::local_rules::PUBLISHED;

/// The catalogue a tenant evaluates with: the standard one, plus the tenant's own rule file if an
/// administrator stored one.
pub(super) fn catalog(
    state: &AppState,
    store: &dyn madoguchi_store::Store,
    tenant: &madoguchi_store::TenantId,
) -> Result<std::sync::Arc<Catalog>, ApiError> {
    crate::local_rules::tenant_catalog(&state.navigation, store, tenant)?
        .map_err(ApiError::internal)
}

/// Replace this municipality's own procedures and rules: one catalogue file (same format as
/// `crates/madoguchi-core/data/procedures/*.toml`) loaded with the standard ones. Refused with file position and reason
/// when it does not load (unknown fields, type errors, unknown questions, cycles).
#[utoipa::path(put, path = "/api/v1/admin/navigation-rules", security(("bearer" = [])),
    request_body(content = String, content_type = "text/plain"),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_rules(
    State(state): State<AppState>,
    session: Session,
    text: String,
) -> Result<axum::http::StatusCode, ApiError> {
    let mut files: Vec<(&str, &str)> = navigation::STANDARD_FILES.to_vec();
    files.push(("local.toml", &text));
    Catalog::load(&files).map_err(|e| {
        ApiError::new(
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_rules",
            e.to_string(),
        )
    })?;
    let store = state.store.clone();
    crate::blocking(move || {
        store.put_tenant_setting(
            session.tenant(),
            LOCAL_RULES,
            &text,
            &crate::audit::event_for(&session, "navigation_rules.put", None, "ok"),
        )?;
        Ok(axum::http::StatusCode::NO_CONTENT)
    })
    .await
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EvaluateRequest {
    /// 転入, 転出, 転居, 世帯変更, 出生, 死亡, 婚姻, 離婚, or 個別.
    pub event: String,
    /// 国内 / 国外 (転入・転出), 分離 / 合併 / 世帯主変更 (世帯変更).
    #[serde(default)]
    pub detail: String,
    /// Date of the event in any accepted form (`2026-11-20`, `R8.11.20`); ages and school years are
    /// computed on it.
    pub event_date: String,
    #[serde(default)]
    pub household_before: Vec<MemberInput>,
    #[serde(default)]
    pub household_after: Vec<MemberInput>,
    #[serde(default)]
    pub answers: BTreeMap<String, Answer>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProcedureView {
    pub code: String,
    pub name: String,
    pub department: String,
    pub counter: String,
    /// Done at this counter, or referred to `counter`.
    pub on_the_spot: bool,
    /// Why it was added (empty in the catalogue listing).
    pub reasons: Vec<String>,
    /// Form template ids to print.
    pub forms: Vec<String>,
    pub bring: Vec<String>,
    /// For the resident.
    pub explanation: String,
    /// For staff.
    pub guidance: String,
    pub legal_basis: String,
    pub pamphlets: Vec<String>,
    /// Ids of the questions its rules may ask.
    pub questions: Vec<String>,
    /// Permission needed to accept it.
    pub permission: String,
    pub valid_from: NaiveDate,
    pub valid_until: Option<NaiveDate>,
    /// Asked in another language (`?lang=`): the fields left in Japanese, for want of a translation
    /// (`name`, `department`, `counter`, `explanation`, `bring`, `reasons`). Absent in Japanese.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub japanese: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QuestionView {
    pub id: String,
    pub text: String,
    /// `yes_no` or `choice`.
    pub kind: String,
    /// The choices, in Japanese: the answer sent back is one of these, whatever the language.
    pub options: Vec<String>,
    /// Asked in another language (`?lang=`): what to show for each of `options`, same order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub option_labels: Vec<String>,
    /// The fields left in Japanese (`text`, `options`) when asked in another language.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub japanese: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EvaluateResponse {
    /// Grouped by counter.
    pub procedures: Vec<ProcedureView>,
    /// Questions whose answers could still add a procedure.
    pub next_questions: Vec<QuestionView>,
}

fn view(p: &navigation::Procedure, reasons: Vec<String>) -> ProcedureView {
    ProcedureView {
        code: p.code.clone(),
        name: p.name.clone(),
        department: p.department.clone(),
        counter: p.counter.clone(),
        on_the_spot: p.on_the_spot,
        reasons,
        forms: p.forms.clone(),
        bring: p.bring.clone(),
        explanation: p.explanation.clone(),
        guidance: p.guidance.clone(),
        legal_basis: p.legal_basis.clone(),
        pamphlets: p.pamphlets.clone(),
        questions: p.questions().into_iter().map(str::to_owned).collect(),
        permission: p.permission.clone(),
        valid_from: p.valid_from,
        valid_until: p.valid_until,
        japanese: Vec::new(),
    }
}

fn bad(code: &'static str, message: impl Into<String>) -> ApiError {
    ApiError::bad_request(code, message)
}

/// The evaluation of a request with a catalogue (the tenant's, or a draft of the 手続きナビ editor).
pub(super) fn evaluate_on(
    catalog: &Catalog,
    req: EvaluateRequest,
) -> Result<EvaluateResponse, ApiError> {
    let date = madoguchi_core::wareki::parse_date(&req.event_date)
        .map_err(|e| bad("invalid_date", e.message_ja()))?;
    if req.household_before.len() + req.household_after.len() > 60 || req.answers.len() > 100 {
        return Err(bad("too_large", "世帯の人数または回答の数が多すぎます。"));
    }
    let input = Input {
        event: req.event,
        detail: req.detail,
        date,
        before: req.household_before,
        after: req.household_after,
        answers: req.answers,
    };
    catalog
        .check_input(&input)
        .map_err(|e| bad(e.code(), e.message_ja()))?;
    let out = navigation::evaluate(catalog, &input);
    Ok(EvaluateResponse {
        procedures: out
            .procedures
            .into_iter()
            .map(|n| view(n.procedure, n.reasons))
            .collect(),
        next_questions: out.next_questions.into_iter().map(question_view).collect(),
    })
}

/// A question as the screens ask it.
pub(super) fn question_view(q: &navigation::Question) -> QuestionView {
    QuestionView {
        id: q.id.clone(),
        text: q.text.clone(),
        kind: match q.kind {
            QuestionKind::YesNo => "yes_no",
            QuestionKind::Choice => "choice",
        }
        .into(),
        options: q.options.clone(),
        option_labels: Vec::new(),
        japanese: Vec::new(),
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CatalogQuery {
    /// The date the catalogue is wanted for (default: today in Japan).
    pub date: Option<String>,
}

/// The procedure catalogue in force on a date.
#[utoipa::path(get, path = "/api/v1/procedures", security(("bearer" = [])), params(CatalogQuery),
    responses((status = 200, body = [ProcedureView]), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn procedures(
    State(state): State<AppState>,
    session: Session,
    query: QueryMap,
) -> Result<Json<Vec<ProcedureView>>, ApiError> {
    let store = state.store.clone();
    let st = state.clone();
    let catalog = crate::blocking(move || catalog(&st, store.as_ref(), session.tenant())).await?;
    let catalog = catalog.as_ref();
    let date = match query.get("date").filter(|d| !d.is_empty()) {
        None => today_jst(),
        Some(d) => madoguchi_core::wareki::parse_date(&d)
            .map_err(|e| bad("invalid_date", e.message_ja()))?,
    };
    Ok(Json(
        catalog
            .in_force(date)
            .map(|p| view(p, Vec::new()))
            .collect(),
    ))
}
