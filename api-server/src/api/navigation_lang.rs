//! 手続きナビ in the resident's language (issue 21 point 6): `?lang=` on the guide's and the kiosk's
//! evaluation translates procedure names, departments, counters, explanations, things to bring, the
//! rules' reasons, question texts and option labels from the catalogue's translation files
//! (`madoguchi_core::navigation::i18n`). What has no translation stays Japanese and is named in the
//! view's `japanese` list, so that the screens mark it. Answers stay Japanese: option values are the
//! Japanese options; only their labels are translated. Also the list of what is missing, per language,
//! for the tenant's catalogue (the administrator's check).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use axum::Json;
use axum::extract::{Query, State};
use madoguchi_core::navigation::{Catalog, i18n};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::navigation::{
    EvaluateRequest, EvaluateResponse, ProcedureView, QuestionView, catalog, evaluate_on,
};
use super::{ApiError, ErrorBody};
use crate::AppState;
use crate::auth::Session;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LangQuery {
    /// The resident's language: `ja` (default), `easy` (やさしい日本語), `en`, `zh`, `ko`, `vi`, `pt`,
    /// `ne`, `fil`, `id`.
    pub lang: Option<String>,
}

/// Every procedure the household needs for an event, with the reasons, and the next questions.
#[utoipa::path(post, path = "/api/v1/navigation/evaluate", tag = "navigation", security(("bearer" = [])), params(LangQuery), request_body = EvaluateRequest,
    responses((status = 200, body = EvaluateResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn evaluate(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<LangQuery>,
    Json(req): Json<EvaluateRequest>,
) -> Result<Json<EvaluateResponse>, ApiError> {
    let lang = language(q.lang.as_deref())?;
    let store = state.store.clone();
    let st = state.clone();
    let catalog = crate::blocking(move || catalog(&st, store.as_ref(), session.tenant())).await?;
    let mut out = evaluate_on(catalog.as_ref(), req)?;
    localize(
        &state,
        catalog.as_ref(),
        lang,
        &mut out.procedures,
        &mut out.next_questions,
    )?;
    Ok(Json(out))
}

/// The language asked for; `None` for Japanese.
pub(super) fn language(lang: Option<&str>) -> Result<Option<&'static str>, ApiError> {
    match lang.filter(|l| !l.is_empty()) {
        None | Some("ja") => Ok(None),
        Some(l) => i18n::LANGUAGES
            .iter()
            .find(|k| **k == l)
            .map(|k| Some(*k))
            .ok_or_else(|| {
                ApiError::bad_request(
                    "invalid_lang",
                    format!(
                        "言語は ja, {} のどれかにしてください。",
                        i18n::LANGUAGES.join(", ")
                    ),
                )
            }),
    }
}

/// The compiled-in translations, checked once against the standard catalogue. A file that does not
/// match is a build mistake (a core test refuses it); here it only leaves everything in Japanese.
fn translations(standard: &Catalog) -> &'static BTreeMap<String, i18n::Translations> {
    static LOADED: OnceLock<BTreeMap<String, i18n::Translations>> = OnceLock::new();
    LOADED.get_or_init(|| match i18n::standard(standard) {
        Ok(t) => t,
        Err(errors) => {
            tracing::error!(
                count = errors.len(),
                "catalogue translations do not match the catalogue"
            );
            BTreeMap::new()
        }
    })
}

fn standard(state: &AppState) -> Result<&Catalog, ApiError> {
    state
        .navigation
        .as_deref()
        .map_err(|e| ApiError::internal(format!("procedure catalogue failed to load: {e}")))
}

/// Translates evaluated views in place into `lang` (nothing for Japanese).
pub(super) fn localize(
    state: &AppState,
    catalog: &Catalog,
    lang: Option<&str>,
    procedures: &mut [ProcedureView],
    questions: &mut [QuestionView],
) -> Result<(), ApiError> {
    let Some(lang) = lang else { return Ok(()) };
    let standard = standard(state)?;
    let t = translations(standard).get(lang);
    for v in procedures.iter_mut() {
        let Some(p) = catalog.procedures.iter().find(|p| p.code == v.code) else {
            continue;
        };
        let tp = i18n::procedure(p, standard, t);
        v.name = tp.name;
        v.department = tp.department;
        v.counter = tp.counter;
        v.explanation = tp.explanation;
        v.bring = tp.bring;
        v.japanese = tp.japanese.iter().map(|f| (*f).to_owned()).collect();
        // Each reason translated while it is the standard catalogue's; named when one is not.
        let (reasons, japanese) = i18n::reasons(&v.reasons, standard, t);
        v.reasons = reasons;
        if japanese {
            v.japanese.push("reasons".into());
        }
    }
    localize_questions(catalog, standard, t, questions);
    Ok(())
}

/// Question texts and option labels in the language of `t`.
pub(super) fn localize_questions(
    catalog: &Catalog,
    standard: &Catalog,
    t: Option<&i18n::Translations>,
    questions: &mut [QuestionView],
) {
    for v in questions.iter_mut() {
        let Some(q) = catalog.questions.iter().find(|q| q.id == v.id) else {
            continue;
        };
        let tq = i18n::question(q, standard, t);
        v.text = tq.text;
        v.option_labels = tq.options;
        v.japanese = tq.japanese.iter().map(|f| (*f).to_owned()).collect();
    }
}

/// The same for views built elsewhere (the guide's answered questions).
pub(super) fn localize_answered(
    state: &AppState,
    catalog: &Catalog,
    lang: Option<&str>,
    questions: &mut [QuestionView],
) -> Result<(), ApiError> {
    let Some(lang) = lang else { return Ok(()) };
    let standard = standard(state)?;
    localize_questions(
        catalog,
        standard,
        translations(standard).get(lang),
        questions,
    );
    Ok(())
}

#[derive(Serialize, ToSchema)]
pub struct LanguageGaps {
    /// `easy`, `en`, `zh`, `ko`, `vi`, `pt`, `ne`, `fil`, `id`.
    pub lang: String,
    /// What a resident sees in Japanese in this language: `procedure CODE: name, bring, reasons` or
    /// `question ID: text` (the tenant's own or edited procedures, and what the translation lacks;
    /// `reasons`: one of the procedure's rules' reasons at least).
    pub missing: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct TranslationGaps {
    pub languages: Vec<LanguageGaps>,
}

/// Per language, the texts of this tenant's catalogue that have no translation and are shown in
/// Japanese (the tenant's own and edited procedures included).
#[utoipa::path(get, path = "/api/v1/admin/navigation/translations", security(("bearer" = [])),
    responses((status = 200, body = TranslationGaps), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn translation_gaps(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<TranslationGaps>, ApiError> {
    crate::blocking(move || {
        let store = state.store.as_ref();
        let catalog = catalog(&state, store, session.tenant())?;
        let standard = standard(&state)?;
        let all = translations(standard);
        let languages = i18n::LANGUAGES
            .iter()
            .map(|lang| LanguageGaps {
                lang: (*lang).to_owned(),
                missing: i18n::missing(catalog.as_ref(), standard, all.get(*lang)),
            })
            .collect();
        crate::audit::by_session(store, &session, "navigation_translations.read", None, "ok")?;
        Ok(Json(TranslationGaps { languages }))
    })
    .await
}
