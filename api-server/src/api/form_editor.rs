//! The form template editor (管理メニュー「帳票テンプレート」): a version's source to edit, and its
//! publication as a new version from a 施行日 (`forms::add_source` checks and stores it). The live
//! preview is `form_preview`, the background PDFs `form_backgrounds`.

use axum::Json;
use axum::extract::{Path, State};
use madoguchi_forms::Template;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ApiError, ErrorBody};
use crate::audit;
use crate::auth::Session;
use crate::{AppState, blocking};

#[derive(Serialize, ToSchema)]
pub struct TemplateSource {
    pub id: String,
    pub version: String,
    /// The template file (TOML) of this version.
    pub source: String,
}

/// The source of one template version (standard or the city's own), to edit as a new version.
#[utoipa::path(get, path = "/api/v1/admin/form-templates/{id}/{version}", security(("bearer" = [])),
    params(("id" = String, Path), ("version" = String, Path)),
    responses(
        (status = 200, body = TemplateSource),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, description = "no such version", body = ErrorBody),
    ))]
pub async fn template_source(
    State(state): State<AppState>,
    session: Session,
    Path((id, version)): Path<(String, String)>,
) -> Result<Json<TemplateSource>, ApiError> {
    let store = state.store.clone();
    blocking(move || {
        let own = store.form_templates(session.tenant())?;
        let standard = madoguchi_forms::library::STANDARD.iter().map(|(_, s)| *s);
        let found = own
            .iter()
            .map(String::as_str)
            .chain(standard)
            .find(|s| Template::parse(s).is_ok_and(|t| t.id == id && t.version == version))
            .map(str::to_owned);
        let subject = format!("{id}@{version}");
        let Some(source) = found else {
            return Err(ApiError::not_found(format!(
                "様式「{id}」の版 {version} がありません。"
            )));
        };
        audit::by_session(
            store.as_ref(),
            &session,
            "form_template.read",
            Some(subject),
            "ok",
        )?;
        Ok(Json(TemplateSource {
            id,
            version,
            source,
        }))
    })
    .await
}

#[derive(Deserialize, ToSchema)]
pub struct PublishRequest {
    /// The edited template (TOML); its `version`, `valid_from` and `valid_until` are replaced.
    pub source: String,
    /// The new version's label (e.g. `2027-01-01`).
    pub version: String,
    /// 施行日 of the new version (`YYYY-MM-DD`); an open-ended earlier version ends the day before.
    pub valid_from: String,
}

/// Publish an edited template as a new version from its 施行日 (the 公開 of the editor): the source
/// gets the version label and 施行日 given, and is added as `POST /api/v1/admin/form-templates` adds it.
#[utoipa::path(post, path = "/api/v1/admin/form-templates/publish", security(("bearer" = [])),
    request_body = PublishRequest,
    responses(
        (status = 201, body = super::forms::TemplateView),
        (status = 400, description = "a bad version label or date", body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, description = "the version exists or overlaps another", body = ErrorBody),
        (status = 422, description = "the template is invalid, or binds what its data never has", body = ErrorBody),
    ))]
pub async fn publish_template(
    State(state): State<AppState>,
    session: Session,
    Json(req): Json<PublishRequest>,
) -> Result<(axum::http::StatusCode, Json<super::forms::TemplateView>), ApiError> {
    let version = req.version.trim();
    let ok_label = !version.is_empty()
        && version.len() <= 40
        && version
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !ok_label {
        return Err(ApiError::bad_request(
            "invalid_version",
            "版の名前は40文字以内の半角英数字と - _ . で入力してください。",
        ));
    }
    let from = madoguchi_core::wareki::parse_date(req.valid_from.trim())
        .map_err(|e| ApiError::bad_request("invalid_date", e.message_ja()))?;
    let source = with_period(&req.source, version, from);
    super::forms::add_source(state, session, source).await
}

/// `source` with its top-level `version` and `valid_from` set and `valid_until` removed (the lines
/// before the first table).
pub(super) fn with_period(source: &str, version: &str, from: chrono::NaiveDate) -> String {
    let mut out = Vec::new();
    let mut top = true;
    let mut seen = (false, false);
    let key = |line: &str| {
        line.split('=')
            .next()
            .map(|k| k.trim().to_owned())
            .unwrap_or_default()
    };
    for line in source.lines() {
        if line.trim_start().starts_with('[') {
            if top {
                if !seen.0 {
                    out.push(format!("version = \"{version}\""));
                }
                if !seen.1 {
                    out.push(format!("valid_from = \"{from}\""));
                }
            }
            top = false;
        }
        if top && line.contains('=') {
            match key(line).as_str() {
                "version" => {
                    seen.0 = true;
                    out.push(format!("version = \"{version}\""));
                    continue;
                }
                "valid_from" => {
                    seen.1 = true;
                    out.push(format!("valid_from = \"{from}\""));
                    continue;
                }
                "valid_until" => continue,
                _ => {}
            }
        }
        out.push(line.to_owned());
    }
    let mut text = out.join("\n");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::with_period;

    #[test]
    fn publishing_sets_the_version_and_date_and_drops_the_end() {
        let source = "id = \"a\"\nversion = \"1\"\nvalid_from = \"2026-04-01\"\nvalid_until = \"2027-01-01\"\n[page]\nsize = \"A4\"\nversion = 3\n";
        let from = chrono::NaiveDate::from_ymd_opt(2027, 1, 1).expect("date");
        assert_eq!(
            with_period(source, "2027-01-01", from),
            "id = \"a\"\nversion = \"2027-01-01\"\nvalid_from = \"2027-01-01\"\n[page]\nsize = \"A4\"\nversion = 3\n"
        );
    }
}
