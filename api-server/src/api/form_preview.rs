//! The template editor's live preview: a draft rendered on its background PDF with the form's sample
//! data (`madoguchi_forms::examples`) or with the data of a chosen case, every problem listed (TOML
//! errors with line and column, binds the data never has, values that do not fit, characters no font
//! has, a background that cannot be used) and framed in red on the PDF; a millimetre grid on request
//! for placing elements over the background.
//!
//! **A chosen case** is personal data: the admin must also hold `print_forms`, the case must be this
//! tenant's, and a case naming a person under 支援措置 is refused unless the admin holds the override and
//! states a reason — the same gate as printing (`forms::support_measure_gate`). Each preview with a
//! case is audited with the case and the reason.

use axum::Json;
use axum::extract::State;
use base64::Engine;
use madoguchi_core::case_document::check_document;
use madoguchi_core::ids::AtenaNo;
use madoguchi_core::permission::Permission;
use madoguchi_forms::{FormsError, ProblemKind, Template};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::forms::{override_reason, support_measure_gate};
use super::{ApiError, ErrorBody, today_jst};
use crate::audit;
use crate::auth::Session;
use crate::{AppState, blocking};

#[derive(Deserialize, ToSchema)]
pub struct PreviewRequest {
    /// The template being edited (TOML, `forms/README.md`).
    pub source: String,
    /// Whose sample data to render with: a template id (default: the draft's own id).
    #[serde(default)]
    pub sample: Option<String>,
    /// Render with this case's data instead of sample data (needs `print_forms`).
    #[serde(default)]
    pub case_id: Option<String>,
    /// Why a case naming a person under 支援措置 may be shown; needs the override permission.
    #[serde(default)]
    pub override_reason: Option<String>,
    /// Draw a millimetre grid over the page.
    #[serde(default)]
    pub grid: bool,
}

#[derive(Serialize, ToSchema)]
pub struct PreviewView {
    /// The rendered PDF (base64); none when the template cannot be read.
    pub pdf_base64: Option<String>,
    pub pages: usize,
    /// The template id whose sample data was used; none when a case's data or no data was used.
    pub sample: Option<String>,
    /// The case whose data was used.
    pub case_id: Option<String>,
    /// Errors (`template`, `unknown_bind`, `background`) and what the data shows (`overflow`,
    /// `missing_glyphs`, `invalid_value`, `no_sample`), with a Japanese message.
    pub problems: Vec<PreviewProblem>,
    /// No errors: the draft may be published.
    pub publishable: bool,
}

#[derive(Serialize, ToSchema)]
pub struct PreviewProblem {
    /// `template`, `unknown_bind`, `background`, `overflow`, `missing_glyphs`, `invalid_value`,
    /// `no_sample`.
    pub kind: String,
    pub message: String,
    /// Line and column in the source (template errors that have them).
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// Page of the preview (rendering problems).
    pub page: Option<usize>,
}

fn problem(kind: &str, message: String) -> PreviewProblem {
    PreviewProblem {
        kind: kind.into(),
        message,
        line: None,
        column: None,
        page: None,
    }
}

/// The template error as a problem, with its position when it has one.
fn template_problem(e: &FormsError) -> PreviewProblem {
    match e {
        FormsError::Template { line, column, .. } if *line > 0 => PreviewProblem {
            line: Some(*line),
            column: Some(*column),
            ..problem("template", e.to_string())
        },
        _ => problem("template", e.to_string()),
    }
}

/// Where the preview's data comes from.
enum Source {
    Sample(Option<String>),
    Case { id: String, reason: Option<String> },
}

/// Render a draft template with sample data or a chosen case's data: the PDF (problems framed in
/// red) and every problem.
#[utoipa::path(post, path = "/api/v1/admin/form-templates/preview", security(("bearer" = [])),
    request_body = PreviewRequest,
    responses(
        (status = 200, body = PreviewView),
        (status = 400, description = "an unknown sample, a bad case id or reason", body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, description = "no permission, or a case under 支援措置 without the override and a reason", body = ErrorBody),
        (status = 404, description = "no such case", body = ErrorBody),
        (status = 503, description = "fonts missing on the server", body = ErrorBody),
    ))]
pub async fn preview_template(
    State(state): State<AppState>,
    session: Session,
    Json(req): Json<PreviewRequest>,
) -> Result<Json<PreviewView>, ApiError> {
    let source = match req.case_id.as_deref().map(str::trim) {
        Some(id) if !id.is_empty() => {
            super::cases::check_client_id(id, "案件番号")?;
            Source::Case {
                id: id.to_owned(),
                reason: override_reason(req.override_reason.as_deref())?,
            }
        }
        _ => Source::Sample(
            req.sample
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned),
        ),
    };
    if let Source::Sample(Some(id)) = &source
        && madoguchi_forms::examples::example(id).is_none()
    {
        return Err(ApiError::bad_request(
            "invalid_sample",
            "その見本データはありません。",
        ));
    }
    let store = state.store.clone();
    let service = state.forms.clone();
    blocking(move || {
        let draft = Draft {
            store: store.as_ref(),
            session: &session,
            service: &service,
        };
        Ok(Json(draft.preview(&req.source, source, req.grid)?))
    })
    .await
}

/// One preview on a blocking thread.
struct Draft<'a> {
    store: &'a dyn madoguchi_store::Store,
    session: &'a Session,
    service: &'a crate::printing::FormsService,
}

impl Draft<'_> {
    fn preview(&self, source: &str, from: Source, grid: bool) -> Result<PreviewView, ApiError> {
        let mut t = match Template::parse(source) {
            Ok(t) => t,
            Err(e) => {
                self.audit(None, None)?;
                return Ok(PreviewView {
                    pdf_base64: None,
                    pages: 0,
                    sample: None,
                    case_id: None,
                    problems: vec![template_problem(&e)],
                    publishable: false,
                });
            }
        };
        let mut problems = Vec::new();
        if let Err(reason) =
            crate::printing::attach_stored_background(self.store, self.session.tenant(), &mut t)
        {
            problems.push(problem(
                "background",
                format!("{reason}（背景なしで表示しています）"),
            ));
            t.page.background = None;
        }
        let (data, sample, case_id) = match from {
            Source::Case { id, reason } => {
                let data = self.case_data(&id, &t.id, reason)?;
                (Some(data), None, Some(id))
            }
            Source::Sample(id) => {
                self.audit(None, None)?;
                let id = id.unwrap_or_else(|| t.id.clone());
                let data = madoguchi_forms::examples::example(&id);
                let sample = data.is_some().then_some(id);
                (data, sample, None)
            }
        };
        let data = match data {
            Some(data) => {
                problems.extend(
                    madoguchi_forms::binds::unknown_binds(&t, &data)
                        .iter()
                        .map(|u| problem("unknown_bind", u.to_string())),
                );
                data
            }
            None => {
                problems.push(problem(
                    "no_sample",
                    "この様式の見本データがないため、データなしで表示しています（bind は確かめていません）。"
                        .into(),
                ));
                serde_json::json!({})
            }
        };
        let publishable = !problems
            .iter()
            .any(|p| matches!(p.kind.as_str(), "unknown_bind" | "background"));
        let fonts = self.service.fonts()?;
        let rendered = madoguchi_forms::render_preview(fonts, &[(&t, &data)], grid)
            .map_err(ApiError::internal)?;
        problems.extend(rendered.problems.iter().map(|p| {
            let kind = match p.kind {
                ProblemKind::Overflow => "overflow",
                ProblemKind::MissingGlyphs(_) => "missing_glyphs",
                ProblemKind::InvalidValue => "invalid_value",
            };
            PreviewProblem {
                page: Some(p.page),
                ..problem(kind, p.to_string())
            }
        }));
        Ok(PreviewView {
            pdf_base64: Some(base64::engine::general_purpose::STANDARD.encode(&rendered.pdf)),
            pages: rendered.pages,
            sample,
            case_id,
            problems,
            publishable,
        })
    }

    /// The data template `template` gets from case `id`, as printing the case would give it; the
    /// permission, the tenant and 支援措置 checked first. Audited with the case (and the reason).
    fn case_data(
        &self,
        id: &str,
        template: &str,
        reason: Option<String>,
    ) -> Result<serde_json::Value, ApiError> {
        let (store, session) = (self.store, self.session);
        let subject = format!("case:{id} {template}");
        if !session.permissions().contains(Permission::PrintForms) {
            audit::by_session(
                store,
                session,
                "form_template.preview",
                Some(subject),
                "denied:print_forms",
            )?;
            return Err(ApiError::forbidden(Permission::PrintForms).audited());
        }
        let tenant = session.tenant();
        let Some((record, _)) = store.get_case(tenant, id)? else {
            audit::by_session(
                store,
                session,
                "form_template.preview",
                Some(subject),
                "not_found",
            )?;
            return Err(ApiError::not_found("案件が見つかりません。"));
        };
        let doc = super::cases::parse_document(&record)?;
        let subjects = check_document(&doc, false).map_err(ApiError::internal)?;
        let mut protected = false;
        for s in &subjects {
            let id = AtenaNo::parse(s).map_err(|_| ApiError::internal("stored subject id"))?;
            if let Some(r) = store.get_resident(tenant, &id)? {
                protected |= crate::privacy::resident_protected(store, tenant, &r)?;
            }
        }
        if protected {
            support_measure_gate(
                store,
                session,
                ("form_template.preview", &subject),
                reason.as_deref(),
                "支援措置の対象となっている方の案件は、理由を入力し、権限のある職員が表示してください。",
            )?;
        }
        let forms = super::case_forms::case_forms(
            store,
            session,
            (id, &doc),
            &[template.to_owned()],
            today_jst(),
        )?;
        self.audit(Some(subject), protected.then_some(reason).flatten())?;
        Ok(forms
            .into_iter()
            .next()
            .map(|(_, _, data)| data)
            .unwrap_or_default())
    }

    /// Records the preview (`subject`: the case when one was shown, with the 支援措置 reason).
    fn audit(&self, subject: Option<String>, reason: Option<String>) -> Result<(), ApiError> {
        let event = madoguchi_store::AuditEvent {
            reason,
            ..audit::event_for(self.session, "form_template.preview", subject, "ok")
        };
        self.store
            .append_audit(&event)
            .map_err(ApiError::internal)?;
        Ok(())
    }
}
