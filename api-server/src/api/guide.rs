//! The public 手続きガイド (issue 21 point 2): "which procedures do I need" for anyone, with no login, from
//! the city's website. The same 手続きナビ evaluation as the counter and the kiosk, on the city's
//! catalogue; the household is described by the guide page with ages and 続柄 only (its birth dates are
//! derived from the ages, nobody is named), nothing is stored, and the answer leaves out what is for
//! staff (guidance, legal basis, forms, permissions).

use axum::Json;
use axum::extract::{Query, State};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::navigation::{EvaluateRequest, QuestionView, catalog, evaluate_on, question_view};
use super::navigation_lang::{language, localize, localize_answered};
use super::{ApiError, ErrorBody};
use crate::{AppState, blocking};

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GuideQuery {
    /// Tenant (municipality) id.
    pub tenant: String,
    /// The resident's language (`ja` default, `easy`, `en`, `zh`, `ko`, `vi`, `pt`, `ne`, `fil`, `id`):
    /// procedure and question texts translated where the catalogue has them (see `japanese`).
    pub lang: Option<String>,
}

/// A procedure as a resident reads it.
#[derive(Serialize, ToSchema)]
pub struct GuideProcedureView {
    pub code: String,
    pub name: String,
    pub department: String,
    pub counter: String,
    /// Done at the counter the resident goes to first, or referred to `counter`.
    pub on_the_spot: bool,
    pub reasons: Vec<String>,
    pub bring: Vec<String>,
    pub explanation: String,
    pub pamphlets: Vec<String>,
    /// With `lang`: the fields left in Japanese for want of a translation (`name`, `department`,
    /// `counter`, `explanation`, `bring`, `reasons`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub japanese: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct GuideResponse {
    /// The city's name.
    pub city: String,
    /// Grouped by counter.
    pub procedures: Vec<GuideProcedureView>,
    /// Questions whose answers could still add a procedure.
    pub next_questions: Vec<QuestionView>,
    /// The questions answered in the request, with their texts (to show the answers given).
    pub answered: Vec<QuestionView>,
}

/// Which procedures a household needs for a life event (no login; nothing stored).
#[utoipa::path(post, path = "/api/v1/guide/evaluate", params(GuideQuery), request_body = EvaluateRequest,
    responses(
        (status = 200, body = GuideResponse),
        (status = 400, description = "a bad event, date, answer or household", body = ErrorBody),
        (status = 404, description = "no such city", body = ErrorBody),
    ))]
pub async fn guide_evaluate(
    State(state): State<AppState>,
    Query(q): Query<GuideQuery>,
    Json(req): Json<EvaluateRequest>,
) -> Result<Json<GuideResponse>, ApiError> {
    let lang = language(q.lang.as_deref())?;
    let tenant = super::pre_applications::tenant_id(q.tenant)?;
    let store = state.store.clone();
    let st = state.clone();
    let (city, catalog) = blocking(move || {
        let Some(city) = store.tenant_name(&tenant)? else {
            return Err(ApiError::not_found("その団体の手続きガイドはありません。"));
        };
        Ok((city, catalog(&st, store.as_ref(), &tenant)?))
    })
    .await?;
    let mut answered: Vec<QuestionView> = catalog
        .questions
        .iter()
        .filter(|q| req.answers.contains_key(&q.id))
        .map(question_view)
        .collect();
    let mut found = evaluate_on(catalog.as_ref(), req)?;
    localize(
        &state,
        catalog.as_ref(),
        lang,
        &mut found.procedures,
        &mut found.next_questions,
    )?;
    localize_answered(&state, catalog.as_ref(), lang, &mut answered)?;
    Ok(Json(GuideResponse {
        city,
        procedures: found
            .procedures
            .into_iter()
            .map(|p| GuideProcedureView {
                code: p.code,
                name: p.name,
                department: p.department,
                counter: p.counter,
                on_the_spot: p.on_the_spot,
                reasons: p.reasons,
                bring: p.bring,
                explanation: p.explanation,
                pamphlets: p.pamphlets,
                japanese: p.japanese,
            })
            .collect(),
        next_questions: found.next_questions,
        answered,
    }))
}
