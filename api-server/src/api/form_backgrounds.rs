//! Background PDFs of the city's own templates (管理メニュー「帳票テンプレート」→ 背景のPDF): a city's
//! official form uploaded once under a file name, then named by template versions
//! (`background = { file = "…", page = 1, x, y, w, h }`) and drawn under their elements. A name, once
//! used, keeps its bytes: a template version prints the same page for as long as it is kept.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use base64::Engine;
use chrono::{DateTime, Utc};
use madoguchi_forms::template::BackgroundSpec;
use madoguchi_store::StoreError;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ApiError, ErrorBody};
use crate::audit;
use crate::auth::Session;
use crate::{AppState, blocking};

/// The largest background PDF accepted.
const MAX_BACKGROUND_BYTES: usize = 10 << 20;

/// The request body limit of the upload: the PDF in base64 and its name.
pub(super) const MAX_UPLOAD_BODY: usize = MAX_BACKGROUND_BYTES / 3 * 4 + (64 << 10);

#[derive(Deserialize, ToSchema)]
pub struct BackgroundUpload {
    /// The file name templates will name it by, e.g. `tennyu-2027.pdf`.
    pub name: String,
    /// The PDF, base64.
    pub pdf_base64: String,
}

#[derive(Serialize, ToSchema)]
pub struct FormBackgroundView {
    /// The file name templates name it by.
    pub name: String,
    /// Size in bytes.
    pub size: u64,
    pub pages: u32,
    pub created_at: DateTime<Utc>,
}

impl From<madoguchi_store::FormBackground> for FormBackgroundView {
    fn from(b: madoguchi_store::FormBackground) -> Self {
        FormBackgroundView {
            name: b.name,
            size: b.size,
            pages: b.pages,
            created_at: b.created_at,
        }
    }
}

/// The background PDFs this city uploaded, by name.
#[utoipa::path(get, path = "/api/v1/admin/form-backgrounds", security(("bearer" = [])),
    responses((status = 200, body = [FormBackgroundView]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_backgrounds(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<Vec<FormBackgroundView>>, ApiError> {
    let store = state.store.clone();
    blocking(move || {
        let list = store.form_backgrounds(session.tenant())?;
        Ok(Json(list.into_iter().map(Into::into).collect()))
    })
    .await
}

fn unprocessable(code: &'static str, message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, message)
}

/// The page count of a PDF a template can stand on: readable, not encrypted, its first page usable.
fn checked_pages(pdf: &[u8]) -> Result<u32, ApiError> {
    if !pdf.starts_with(b"%PDF-") {
        return Err(unprocessable(
            "invalid_pdf",
            "PDFファイルではありません。様式のPDFを選んでください。",
        ));
    }
    madoguchi_forms::background::page_count(pdf)
        .map_err(|e| unprocessable("invalid_pdf", e.to_string()))
}

/// Upload a background PDF under a file name (ending in `.pdf`). Names are never reused.
#[utoipa::path(post, path = "/api/v1/admin/form-backgrounds", security(("bearer" = [])),
    request_body = BackgroundUpload,
    responses(
        (status = 201, body = FormBackgroundView),
        (status = 400, description = "a bad name", body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, description = "the name is taken", body = ErrorBody),
        (status = 413, description = "larger than 10 MB", body = ErrorBody),
        (status = 422, description = "not a PDF, encrypted, or unreadable", body = ErrorBody),
    ))]
pub async fn upload_background(
    State(state): State<AppState>,
    session: Session,
    Json(req): Json<BackgroundUpload>,
) -> Result<(StatusCode, Json<FormBackgroundView>), ApiError> {
    let name = req.name.trim().to_owned();
    if !BackgroundSpec::plain_file_name(&name) {
        return Err(ApiError::bad_request(
            "invalid_name",
            "名前は、フォルダーを含まない100文字以内のファイル名で、.pdf で終わるものにしてください。",
        ));
    }
    let body = base64::engine::general_purpose::STANDARD
        .decode(req.pdf_base64.trim())
        .map_err(|_| ApiError::bad_request("invalid_pdf", "PDFのデータが正しくありません。"))?;
    if body.is_empty() {
        return Err(unprocessable("invalid_pdf", "ファイルが空です。"));
    }
    if body.len() > MAX_BACKGROUND_BYTES {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            "背景のPDFは10MBまでです。",
        ));
    }
    let store = state.store.clone();
    blocking(move || {
        let pages = checked_pages(&body)?;
        let event = audit::event_for(&session, "form_background.add", Some(name.clone()), "ok");
        match store.add_form_background(session.tenant(), &name, &body, pages, &event) {
            Ok(()) => {}
            Err(StoreError::Conflict(_)) => {
                audit::by_session(
                    store.as_ref(),
                    &session,
                    "form_background.add",
                    Some(name.clone()),
                    "conflict",
                )?;
                return Err(ApiError::new(
                    StatusCode::CONFLICT,
                    "background_exists",
                    format!("背景のPDF「{name}」はもう登録されています。別の名前で登録してください（登録済みの背景は、それを使う様式のために変更できません）。"),
                ));
            }
            Err(e) => return Err(e.into()),
        }
        Ok((
            StatusCode::CREATED,
            Json(FormBackgroundView {
                name,
                size: body.len() as u64,
                pages,
                created_at: Utc::now(),
            }),
        ))
    })
    .await
}
