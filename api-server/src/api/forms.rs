//! Printing forms for a case: templates in force on the case's date, rendered to one PDF.
//!
//! **支援措置**: when a resident the forms are about belongs to a household under 支援措置 or 仮支援措置, the
//! job is refused unless the staff member holds `override_support_measure` at this counter and states a
//! reason; the reason is audited with the print.

use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use madoguchi_core::ids::AtenaNo;
use madoguchi_core::permission::Permission;
use madoguchi_forms::Template;
use madoguchi_forms::library::Library;
use serde::Deserialize;
use utoipa::ToSchema;

use super::{ApiError, ErrorBody, today_jst};
use crate::audit;
use crate::auth::Session;
use crate::printing::{FormsService, tenant_library};
use crate::{AppState, blocking};

#[derive(Deserialize, ToSchema)]
pub struct PrintRequest {
    /// The case's date: picks the template versions in force (default: today in Japan).
    #[serde(default)]
    pub date: Option<String>,
    /// 宛名番号 of every resident the forms are about (checked for 支援措置).
    pub subjects: Vec<String>,
    /// Why an address under 支援措置 may be printed; needs the override permission.
    #[serde(default)]
    pub override_reason: Option<String>,
    /// Print although a value does not fit or cannot be printed (the problems come back in
    /// `x-madoguchi-problems`).
    #[serde(default)]
    pub allow_problems: bool,
    pub forms: Vec<PrintForm>,
}

#[derive(Deserialize, ToSchema)]
pub struct PrintForm {
    /// Template id, e.g. `ido-todoke`.
    pub template: String,
    /// A version label, to print a case again exactly as first printed; default: the version in force.
    #[serde(default)]
    pub version: Option<String>,
    /// The case data the template binds to.
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
}

fn bad(code: &'static str, message: impl Into<String>) -> ApiError {
    ApiError::bad_request(code, message)
}

/// Render forms into one PDF print job.
#[utoipa::path(post, path = "/api/v1/forms/print", security(("bearer" = [])), request_body = PrintRequest,
    responses(
        (status = 200, description = "the PDF; `x-madoguchi-pages`, `x-madoguchi-template-versions`", content_type = "application/pdf"),
        (status = 400, body = ErrorBody),
        (status = 403, description = "no permission, or 支援措置 without an override", body = ErrorBody),
        (status = 404, description = "a subject or template that does not exist", body = ErrorBody),
        (status = 422, description = "a value does not fit or cannot be printed", body = ErrorBody),
        (status = 503, description = "fonts missing on the server", body = ErrorBody),
    ))]
pub async fn print_forms(
    State(state): State<AppState>,
    session: Session,
    Json(req): Json<PrintRequest>,
) -> Result<Response, ApiError> {
    if req.forms.is_empty() || req.forms.len() > 20 {
        return Err(bad(
            "invalid_forms",
            "印刷する様式を1〜20件指定してください。",
        ));
    }
    if req.subjects.len() > 50 {
        return Err(bad("invalid_subjects", "対象の住民は50人までです。"));
    }
    let date = match req.date.as_deref() {
        None | Some("") => today_jst(),
        Some(d) => madoguchi_core::wareki::parse_date(d)
            .map_err(|e| bad("invalid_date", e.message_ja()))?,
    };
    let subjects = req
        .subjects
        .iter()
        .map(|s| AtenaNo::parse(s).map_err(|_| bad("invalid_id", "宛名番号が正しくありません。")))
        .collect::<Result<Vec<_>, _>>()?;
    let reason = override_reason(req.override_reason.as_deref())?;
    let job = Job {
        date,
        subjects,
        reason,
        allow_problems: req.allow_problems,
        require_subjects: true,
        forms: req
            .forms
            .into_iter()
            .map(|f| (f.template, f.version, f.data))
            .collect(),
    };
    let forms_service = state.forms.clone();
    let store = state.store.clone();
    let printed =
        blocking(move || print_job(&forms_service, store.as_ref(), &session, &job, None)).await?;
    Ok(pdf_response(printed))
}

/// The reason given for printing an address under 支援措置: trimmed, empty as none, at most 200
/// characters.
pub(super) fn override_reason(raw: Option<&str>) -> Result<Option<String>, ApiError> {
    let reason = raw
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_owned);
    if reason.as_ref().is_some_and(|r| r.chars().count() > 200) {
        return Err(bad(
            "invalid_reason",
            "理由は200文字以内で入力してください。",
        ));
    }
    Ok(reason)
}

/// A print job: forms with their data, about `subjects`, for a case on `date`.
pub(super) struct Job {
    pub date: chrono::NaiveDate,
    pub subjects: Vec<AtenaNo>,
    pub reason: Option<String>,
    pub allow_problems: bool,
    /// Refuse templates with personal data when no resident is named (a job whose data the caller
    /// sent). A case's job is built from the case itself, whose residents are its subjects; people
    /// not yet residents (転入予定) have no 宛名番号.
    pub require_subjects: bool,
    /// Template id, version label (default: in force on `date`), data.
    pub forms: Vec<(String, Option<String>, serde_json::Value)>,
}

/// A rendered job.
pub(super) struct Printed {
    pub pdf: Vec<u8>,
    pub pages: usize,
    /// `id@version` of every template printed.
    pub versions: Vec<String>,
    /// Names of the templates printed, in order.
    pub names: Vec<String>,
    pub problems: usize,
}

/// Checks and renders a job on a blocking thread: templates, subjects of this tenant, 支援措置 (refused
/// without the override and a reason), problems; audits the print (`case`: the case it belongs to).
pub(super) fn print_job(
    forms_service: &FormsService,
    store: &dyn madoguchi_store::Store,
    session: &Session,
    job: &Job,
    case: Option<&str>,
) -> Result<Printed, ApiError> {
    let (date, subjects, reason) = (job.date, &job.subjects, &job.reason);
    let library = &tenant_library(forms_service, store, session.tenant())?;
    let templates: Vec<&Template> = job
        .forms
        .iter()
        .map(|(template, version, _)| match version {
            Some(v) => library.version(template, v),
            None => library.in_force(template, date),
        })
        .collect::<Result<_, _>>()
        .map_err(|e| ApiError::not_found(e.to_string()))?;
    if job.require_subjects && subjects.is_empty() && templates.iter().any(|t| t.personal) {
        return Err(ApiError::bad_request(
            "subjects_required",
            "個人の情報を印字する様式は、対象の住民（宛名番号）を指定して印刷してください。",
        ));
    }
    let versions: Vec<String> = templates
        .iter()
        .map(|t| format!("{}@{}", t.id, t.version))
        .collect();
    let subject = format!(
        "{}{} {}",
        case.map(|c| format!("case:{c} ")).unwrap_or_default(),
        subjects
            .iter()
            .map(AtenaNo::as_str)
            .collect::<Vec<_>>()
            .join(" "),
        versions.join(" ")
    )
    .trim()
    .to_owned();
    // Every subject must be this tenant's resident; a protected household needs the override.
    let tenant = session.tenant().clone();
    let mut protected = false;
    for id in subjects {
        let Some(r) = store.get_resident(&tenant, id)? else {
            audit::by_session(
                store,
                session,
                "form.print",
                Some(subject.clone()),
                "not_found",
            )?;
            return Err(ApiError::not_found("該当する住民が見つかりません。"));
        };
        protected |= crate::privacy::resident_protected(store, &tenant, &r)?;
    }
    if protected {
        support_measure_gate(
            store,
            session,
            ("form.print", &subject),
            reason.as_deref(),
            "支援措置の対象となっている方の様式は、理由を入力し、権限のある職員が印刷してください。",
        )?;
    }
    let fonts = forms_service.fonts()?;
    let pages: Vec<(&Template, &serde_json::Value)> = templates
        .iter()
        .zip(&job.forms)
        .map(|(t, f)| (*t, &f.2))
        .collect();
    let rendered = madoguchi_forms::render(fonts, &pages).map_err(ApiError::internal)?;
    let problems: Vec<String> = rendered.problems.iter().map(ToString::to_string).collect();
    if !problems.is_empty() && !job.allow_problems {
        audit::by_session(store, session, "form.print", Some(subject), "problems")?;
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "form_problems",
            problems.join("\n"),
        ));
    }
    let event = madoguchi_store::AuditEvent {
        reason: if protected { reason.clone() } else { None },
        ..audit::event_for(session, "form.print", Some(subject), "ok")
    };
    store.append_audit(&event).map_err(ApiError::internal)?;
    Ok(Printed {
        pages: rendered.pages,
        pdf: rendered.pdf,
        versions,
        names: templates.iter().map(|t| t.name.clone()).collect(),
        problems: problems.len(),
    })
}

/// 支援措置: printing (a form, a certificate) about a protected person needs a reason and the override
/// permission; a refusal is audited (`action`, `subject`) and answered with `refusal` (Japanese).
pub(super) fn support_measure_gate(
    store: &dyn madoguchi_store::Store,
    session: &Session,
    (action, subject): (&str, &str),
    reason: Option<&str>,
    refusal: &'static str,
) -> Result<(), ApiError> {
    let Some(reason) = reason else {
        audit::by_session(
            store,
            session,
            action,
            Some(subject.to_owned()),
            "refused_support_measure",
        )?;
        return Err(
            ApiError::new(StatusCode::FORBIDDEN, "support_measure_protected", refusal).audited(),
        );
    };
    if !session
        .permissions()
        .contains(Permission::OverrideSupportMeasure)
    {
        store
            .append_audit(&madoguchi_store::AuditEvent {
                reason: Some(reason.to_owned()),
                ..audit::event_for(
                    session,
                    action,
                    Some(subject.to_owned()),
                    "denied:override_support_measure",
                )
            })
            .map_err(ApiError::internal)?;
        return Err(ApiError::forbidden(Permission::OverrideSupportMeasure).audited());
    }
    Ok(())
}

/// The PDF of a job with its page count, template versions and problem count in headers.
pub(super) fn pdf_response(p: Printed) -> Response {
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "application/pdf")
        .header("x-madoguchi-pages", p.pages.to_string())
        .header("x-madoguchi-template-versions", p.versions.join(","))
        .header("x-madoguchi-problems", p.problems.to_string())
        .body(Body::from(p.pdf))
        .unwrap_or_else(|e| ApiError::internal(e).into_response())
}
#[derive(serde::Serialize, ToSchema)]
pub struct TemplateView {
    pub id: String,
    pub name: String,
    pub version: String,
    /// 施行日.
    pub valid_from: chrono::NaiveDate,
    /// 廃止日 (first day no longer used), when superseded or set.
    pub valid_until: Option<chrono::NaiveDate>,
    /// `standard` (shipped) or `tenant` (added by this municipality).
    pub origin: String,
    /// The background PDF the version prints on (a name among the uploaded backgrounds).
    pub background: Option<String>,
}

fn view(t: &Template, standard: &Library) -> TemplateView {
    TemplateView {
        id: t.id.clone(),
        name: t.name.clone(),
        version: t.version.clone(),
        valid_from: t.valid_from,
        valid_until: t.valid_until,
        origin: if standard.version(&t.id, &t.version).is_ok() {
            "standard"
        } else {
            "tenant"
        }
        .into(),
        background: t.page.background.as_ref().map(|b| b.file.clone()),
    }
}

/// The form templates this tenant prints with, every version.
#[utoipa::path(get, path = "/api/v1/admin/form-templates", security(("bearer" = [])),
    responses((status = 200, body = [TemplateView]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_templates(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<Vec<TemplateView>>, ApiError> {
    let store = state.store.clone();
    let service = state.forms.clone();
    blocking(move || {
        let lib = tenant_library(&service, store.as_ref(), session.tenant())?;
        let standard = service.library()?;
        Ok(Json(lib.versions().map(|t| view(t, standard)).collect()))
    })
    .await
}

/// Add a template version (the template file, `forms/README.md`). A later version supersedes an
/// open-ended earlier one from its 施行日; versions never change once added.
#[utoipa::path(post, path = "/api/v1/admin/form-templates", security(("bearer" = [])),
    request_body(content = String, content_type = "text/plain"),
    responses(
        (status = 201, body = TemplateView),
        (status = 409, description = "the version exists or overlaps another", body = ErrorBody),
        (status = 422, description = "the template is invalid: line, column and reason; or it binds a path its form's sample data never has (the element and the bind named)", body = ErrorBody),
    ))]
pub async fn add_template(
    State(state): State<AppState>,
    session: Session,
    source: String,
) -> Result<(StatusCode, Json<TemplateView>), ApiError> {
    add_source(state, session, source).await
}

/// The unknown binds of `t` against its sample data, as one Japanese message (none when all resolve or
/// there is no sample data for its id). Publishing refuses such a template.
fn unknown_binds_message(t: &Template) -> Option<String> {
    let data = madoguchi_forms::examples::example(&t.id)?;
    let unknown = madoguchi_forms::binds::unknown_binds(t, &data);
    (!unknown.is_empty()).then(|| {
        unknown
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    })
}

/// Checks and stores a template version of this tenant (the add route and the editor's 公開).
pub(super) async fn add_source(
    state: AppState,
    session: Session,
    source: String,
) -> Result<(StatusCode, Json<TemplateView>), ApiError> {
    let mut template = Template::parse(&source).map_err(|e| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_template",
            e.to_string(),
        )
    })?;
    if let Some(unknown) = unknown_binds_message(&template) {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown_bind",
            unknown,
        ));
    }
    let store = state.store.clone();
    let service = state.forms.clone();
    blocking(move || {
        crate::printing::attach_stored_background(store.as_ref(), session.tenant(), &mut template)
            .map_err(|reason| {
                ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid_background",
                    reason,
                )
            })?;
        let mut lib = tenant_library(&service, store.as_ref(), session.tenant())?;
        lib.add(template.clone())
            .map_err(|e| ApiError::new(StatusCode::CONFLICT, "template_conflict", e.to_string()))?;
        let subject = format!("{}@{}", template.id, template.version);
        store
            .add_form_template(
                session.tenant(),
                &template.id,
                &template.version,
                &source,
                &audit::event_for(&session, "form_template.add", Some(subject), "ok"),
            )
            .map_err(|e| match e {
                madoguchi_store::StoreError::Conflict(_) => ApiError::new(
                    StatusCode::CONFLICT,
                    "template_conflict",
                    "この版は既に登録されています。",
                ),
                e => ApiError::internal(e),
            })?;
        let standard = service.library()?;
        let added = lib
            .version(&template.id, &template.version)
            .map_err(ApiError::internal)?;
        Ok((StatusCode::CREATED, Json(view(added, standard))))
    })
    .await
}
