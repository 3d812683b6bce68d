//! Signed updates of the counter terminal app: the server only publishes the file IT signed with
//! `cargo xtask update sign` (`<updates dir>/<platform>.json`), byte for byte. The terminals verify its
//! Ed25519 signature with their configured key before they tell anyone about it, so the route is public:
//! a terminal checks before anyone has logged in, and the file holds nothing but the version, its notes
//! and where to download it (`docs/terminal.md` § Updates).

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use super::{ApiError, ErrorBody};
use crate::AppState;

/// The platforms updates are published for; the file name is built only from these.
pub const PLATFORMS: [&str; 2] = ["windows-x86_64", "linux-x86_64"];

/// Largest file served (a signed payload is well below 1 KiB plus its notes).
const MAX_FILE_BYTES: u64 = 64 * 1024;

/// A signed update as published (documentation only: the file is served as IT wrote it).
#[derive(Serialize, ToSchema)]
pub struct SignedUpdate {
    /// Base64 of the payload's UTF-8 JSON bytes: `{"product": "madoguchi-terminal", "platform", "version",
    /// "url", "sha256", "size", "published", "notes"}`.
    pub payload: String,
    /// Base64 of the Ed25519 signature over exactly the decoded payload bytes.
    pub signature: String,
}

/// The signed description of the newest terminal version for a platform, as published. The terminal
/// verifies the signature with its configured public key and offers only a newer version.
#[utoipa::path(get, path = "/api/v1/terminal/update/{platform}",
    params(("platform" = String, Path, description = "windows-x86_64 | linux-x86_64")),
    responses((status = 200, body = SignedUpdate), (status = 400, body = ErrorBody),
        (status = 404, description = "no update published for the platform", body = ErrorBody)))]
pub async fn signed_update(
    State(state): State<AppState>,
    Path(platform): Path<String>,
) -> Result<Response, ApiError> {
    let Some(platform) = PLATFORMS.iter().find(|p| **p == platform) else {
        return Err(ApiError::bad_request(
            "unknown_platform",
            "対応していない端末の種類です。",
        ));
    };
    let not_published = || ApiError::not_found("この端末向けの更新は公開されていません。");
    let Some(dir) = state.settings.updates_dir.clone() else {
        return Err(not_published());
    };
    let path = dir.join(format!("{platform}.json"));
    let bytes = match tokio::fs::metadata(&path).await {
        Ok(m) if m.is_file() && m.len() <= MAX_FILE_BYTES => tokio::fs::read(&path).await,
        Ok(m) if m.is_file() => {
            return Err(ApiError::internal(format!(
                "update file of {platform} is {} bytes, over the limit",
                m.len()
            )));
        }
        Ok(_) => return Err(not_published()),
        Err(e) => Err(e),
    };
    match bytes {
        Ok(bytes) => Ok(([(header::CONTENT_TYPE, "application/json")], bytes).into_response()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(not_published()),
        Err(e) => Err(ApiError::internal(format!(
            "update file of {platform} unreadable: {e}"
        ))),
    }
}
