//! The webview's requests to the server (`/api/v1/…` only, with the session's token), and what answers
//! them while the server is unreachable: reference data from the local cache, 手続きナビ evaluated on
//! the terminal.

use serde::Serialize;
use serde_json::{Value, json};

use super::error::{CommandError, CommandResult};
use super::kiosk::kiosk_may_call;
use super::state::{Terminal, lock};
use crate::client::{Answer, ClientError};
use crate::config::Role;

/// The server's answer to `api_request`: its status and JSON body (a text body, such as a CSV, as a
/// JSON string; `null` when it sent none).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "ApiResponse"))]
pub struct ApiAnswer {
    pub status: u16,
    #[cfg_attr(feature = "ts", ts(type = "unknown"))]
    pub body: Value,
}

/// The server's answer to `api_pdf`: the PDF (base64) when it rendered one (200 `application/pdf`),
/// else its JSON body.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "ApiPdfResponse"))]
pub struct PdfAnswer {
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub pdf_base64: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional, type = "unknown"))]
    pub body: Option<Value>,
    /// 発行番号 of the certificates in the PDF (`POST /api/v1/cases/{case_id}/certificates`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub issue_numbers: Option<Vec<String>>,
}

/// The server's answer to `api_file` (a `GET` of a file, such as an application's attachment): its
/// bytes (base64) and media type when it sent one (200, not JSON), else its JSON body.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "ApiFileResponse"))]
pub struct FileAnswer {
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub file_base64: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub media_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional, type = "unknown"))]
    pub body: Option<Value>,
}

impl Terminal {
    /// A request for the webview, to `/api/v1/…` only, with the session's token. Login and logout
    /// update the session held here. A kiosk whose session expired logs in again and retries once.
    pub fn api_request(
        &self,
        method: &str,
        path: &str,
        body: Option<&Value>,
    ) -> CommandResult<Answer> {
        if !path.starts_with("/api/v1/") || path.contains("..") || path.contains('#') {
            return Err(CommandError::new("not_allowed", "この操作はできません。"));
        }
        if !matches!(method, "GET" | "POST" | "PUT" | "DELETE") {
            return Err(CommandError::new("not_allowed", "この操作はできません。"));
        }
        let route = path.split('?').next().unwrap_or(path);
        if self.config.role == Role::Issuance && !super::station::station_may_call(method, route) {
            tracing::warn!(
                method,
                "station window asked for an API path outside its allow-list"
            );
            return Err(CommandError::new("not_allowed", "この操作はできません。"));
        }
        if self.config.role == Role::Kiosk && !kiosk_may_call(method, route) {
            tracing::warn!(
                method,
                "kiosk window asked for an API path outside its allow-list"
            );
            return Err(CommandError::new("not_allowed", "この操作はできません。"));
        }
        self.send_api(method, path, body)
    }

    /// [`Terminal::api_request`] without the kiosk window's allow-list: the runtime's own requests
    /// (JPKI, the kiosk's guide sheet).
    pub(super) fn send_api(
        &self,
        method: &str,
        path: &str,
        body: Option<&Value>,
    ) -> CommandResult<Answer> {
        let route = path.split('?').next().unwrap_or(path);
        if route == "/api/v1/auth/login" {
            if self.config.role.is_self_service() {
                return Err(CommandError::new("not_allowed", "この操作はできません。"));
            }
            return Ok(self.login(body.cloned().unwrap_or(Value::Null))?);
        }
        if route == "/api/v1/auth/logout" {
            return Ok(self.logout(method, path, body));
        }
        let sent = self
            .note(self.ensure_kiosk_session())
            .or_else(|e| if e.is_network() { Err(e) } else { Ok(()) })
            .and_then(|()| {
                self.note(
                    self.client
                        .request(method, path, self.token().as_deref(), body),
                )
            });
        let answer = match sent {
            Ok(a) => a,
            Err(e) => return self.answer_offline(method, route, body, e),
        };
        if answer.status == 401 && self.config.role.is_self_service() {
            self.forget_session();
            self.note(self.ensure_kiosk_session())?;
            return Ok(self.note(self.client.request(
                method,
                path,
                self.token().as_deref(),
                body,
            ))?);
        }
        if answer.status == 401 {
            self.forget_session();
        }
        Ok(answer)
    }

    /// A request that got no answer (`e`): what the terminal can answer itself, else the error.
    fn answer_offline(
        &self,
        method: &str,
        route: &str,
        body: Option<&Value>,
        e: ClientError,
    ) -> CommandResult<Answer> {
        match e {
            e if e.is_network() && method == "GET" => {
                // Offline: reference data the terminal keeps answers from the cache.
                self.cached_answer(route)
                    .ok_or_else(|| CommandError::from(e))
            }
            e if e.is_network() && route == "/api/v1/navigation/evaluate" => {
                // Offline: 手続きナビ runs here on the cached rules.
                self.evaluate_offline(body)
                    .ok_or_else(|| CommandError::from(e))
            }
            e => Err(e.into()),
        }
    }

    /// The cached items of a kind of reference data (procedures, towns, fees, vocabulary).
    pub fn cached(&self, kind: &str) -> CommandResult<Option<Vec<Value>>> {
        Ok(lock(&self.store).reference(kind)?)
    }

    /// The answer to a GET of reference data from the local cache (while the server is unreachable):
    /// the same body the server gives.
    fn cached_answer(&self, route: &str) -> Option<Answer> {
        let (kind, whole_list) = match route {
            "/api/v1/towns" => ("towns", true),
            "/api/v1/procedures" => ("procedures", true),
            "/api/v1/fees/table" => ("fees", false),
            "/api/v1/cases-vocabulary" => ("vocabulary", false),
            _ => return None,
        };
        let items = lock(&self.store).reference(kind).ok().flatten()?;
        let body = if whole_list {
            Value::Array(items)
        } else {
            items.into_iter().next()?
        };
        tracing::info!(kind, "served from the local cache (offline)");
        Some(Answer {
            status: 200,
            content_type: "application/json".into(),
            bytes: serde_json::to_vec(&body).ok()?,
            issue_numbers: None,
        })
    }

    /// 手続きナビ on this terminal (the standard catalogue and the city's cached rule file), answered as
    /// the server would; `None` when the cache has no rules yet (never synced).
    fn evaluate_offline(&self, body: Option<&Value>) -> Option<Answer> {
        let rules = lock(&self.store)
            .reference("navigation_rules")
            .ok()
            .flatten()?;
        let local = rules.first()?["local_rules"].as_str().map(str::to_owned);
        let catalog = match crate::offline::catalog(local.as_deref()) {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!(error = %e, "cached navigation rules do not load");
                return None;
            }
        };
        let (status, body) = match crate::offline::evaluate(&catalog, body.unwrap_or(&Value::Null))
        {
            Ok(v) => (200, v),
            Err(message) => (
                400,
                json!({"error": {"code": "invalid_request", "message": message}}),
            ),
        };
        tracing::info!("手続きナビ evaluated offline");
        Some(Answer {
            status,
            content_type: "application/json".into(),
            bytes: serde_json::to_vec(&body).ok()?,
            issue_numbers: None,
        })
    }
}
