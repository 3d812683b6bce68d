//! The terminal's HTTP client to the API server: `reqwest` with rustls, trusting the operating system's
//! certificate store (and the city's CA, `ca_file`). It keeps the session token: the webview never sees it.
//!
//! The calls are blocking, for the runtime's threads (Tauri commands, the sync loop). Each request runs on
//! the client's own I/O runtime — one thread, started on first use and kept for the life of the process —
//! while the calling thread waits for the answer. So a call may come from any thread, inside another
//! tokio runtime or not: no runtime is ever started, blocked on or dropped on the caller's thread (what
//! makes `reqwest::blocking` panic there).

use std::future::Future;
use std::path::Path;
use std::sync::OnceLock;
use std::time::Duration;

use reqwest::Certificate;
use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject;
use serde_json::Value;

/// What went wrong talking to the server.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClientError {
    /// No answer: refused, reset, timed out, name not found. The terminal is offline.
    #[error("server unreachable: {0}")]
    Network(String),
    /// The server answered with an error status.
    #[error("server answered {status} {code}")]
    Status {
        status: u16,
        code: String,
        /// The server's Japanese message.
        message: String,
    },
    /// The answer could not be read.
    #[error("unreadable answer: {0}")]
    Protocol(String),
}

impl ClientError {
    pub fn is_network(&self) -> bool {
        matches!(self, ClientError::Network(_))
    }

    /// No answer, or the server said it cannot serve now (502/503/504: a proxy without its server,
    /// a declared maintenance window): writes stay in the outbox and go again later.
    pub fn is_unavailable(&self) -> bool {
        self.is_network()
            || matches!(
                self,
                ClientError::Status {
                    status: 502..=504,
                    ..
                }
            )
    }

    /// Japanese text for the screen.
    pub fn message_ja(&self) -> String {
        match self {
            ClientError::Network(_) => {
                "サーバーに接続できません。ネットワークを確認してください。".into()
            }
            ClientError::Status { message, .. } => message.clone(),
            ClientError::Protocol(_) => "サーバーの応答を読み取れませんでした。".into(),
        }
    }
}

/// The error with its causes (rustls' reason, the socket's) but without the URL: a path may name a
/// resident (宛名番号), and errors reach the logs.
fn classify(e: reqwest::Error) -> ClientError {
    let decode = e.is_decode();
    let e = e.without_url();
    let mut text = e.to_string();
    let mut cause = std::error::Error::source(&e);
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    if decode {
        ClientError::Protocol(text)
    } else {
        ClientError::Network(text)
    }
}

/// An HTTP answer: status and body (JSON when it is JSON, else raw bytes).
#[derive(Debug, Clone, Default)]
pub struct Answer {
    pub status: u16,
    pub content_type: String,
    pub bytes: Vec<u8>,
    /// `x-madoguchi-issue-numbers`: the 発行番号 of the certificates in a PDF answer.
    pub issue_numbers: Option<String>,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes).unwrap_or(Value::Null)
    }

    /// The body for the webview: its JSON, else (a CSV download) its UTF-8 text as a JSON string,
    /// else `null`.
    pub fn body_for_webview(&self) -> Value {
        serde_json::from_slice(&self.bytes).unwrap_or_else(|_| {
            std::str::from_utf8(&self.bytes)
                .ok()
                .filter(|t| !t.is_empty())
                .map_or(Value::Null, |t| Value::String(t.to_owned()))
        })
    }

    /// The answer as a result: 2xx → Ok, else the server's code and message.
    pub fn ok(self) -> Result<Answer, ClientError> {
        if (200..300).contains(&self.status) {
            return Ok(self);
        }
        let v = self.json();
        Err(ClientError::Status {
            status: self.status,
            code: v["error"]["code"]
                .as_str()
                .unwrap_or("http_error")
                .to_owned(),
            message: v["error"]["message"].as_str().map_or_else(
                || format!("サーバーがエラーを返しました（{}）。", self.status),
                str::to_owned,
            ),
        })
    }
}

#[derive(Debug, Clone)]
pub struct Client {
    base: String,
    /// The configured client, or why it could not be configured (every request then fails with it).
    http: Result<reqwest::Client, String>,
}

/// Largest answer read (a printed case with many forms stays far below).
const MAX_ANSWER: usize = 64 << 20;

/// The operating system's trusted CA certificates (the Windows certificate store, `/etc/ssl/certs` …),
/// read once per process.
fn native_roots() -> &'static Vec<CertificateDer<'static>> {
    static ROOTS: OnceLock<Vec<CertificateDer<'static>>> = OnceLock::new();
    ROOTS.get_or_init(|| {
        let found = rustls_native_certs::load_native_certs();
        for e in &found.errors {
            tracing::warn!(error = %e, "a certificate of the operating system's store was not read");
        }
        found.certs
    })
}

/// The CA certificates of a PEM file (`ca_file`), at least one (Japanese reason without the file's path
/// or content).
pub fn load_ca_file(path: &Path) -> Result<Vec<CertificateDer<'static>>, String> {
    let bytes =
        std::fs::read(path).map_err(|e| format!("ca_file（市の CA 証明書）を読めません: {e}"))?;
    let certs = CertificateDer::pem_slice_iter(&bytes)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| "ca_file（市の CA 証明書）の PEM 形式が正しくありません。".to_owned())?;
    if certs.is_empty() {
        return Err(
            "ca_file（市の CA 証明書）に証明書（-----BEGIN CERTIFICATE-----）がありません。".into(),
        );
    }
    Ok(certs)
}

/// The runtime every request runs on (see the module docs), or why it could not start.
fn io_runtime() -> Result<&'static tokio::runtime::Runtime, ClientError> {
    static RUNTIME: OnceLock<Result<tokio::runtime::Runtime, String>> = OnceLock::new();
    RUNTIME
        .get_or_init(|| {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .thread_name("madoguchi-http")
                .enable_all()
                .build()
                .map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(|e| ClientError::Network(format!("the HTTP runtime did not start: {e}")))
}

/// Runs `request` on the I/O runtime and waits for its result on this thread.
fn wait_for<T: Send + 'static>(
    request: impl Future<Output = Result<T, ClientError>> + Send + 'static,
) -> Result<T, ClientError> {
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    io_runtime()?.spawn(async move {
        let _ = tx.send(request.await);
    });
    rx.recv()
        .unwrap_or_else(|_| Err(ClientError::Network("the request was abandoned".into())))
}

/// Sends `request` and reads the answer, at most [`MAX_ANSWER`] bytes of it.
async fn exchange(request: reqwest::RequestBuilder) -> Result<Answer, ClientError> {
    let mut response = request.send().await.map_err(classify)?;
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let issue_numbers = response
        .headers()
        .get("x-madoguchi-issue-numbers")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let mut bytes = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(classify)? {
        if bytes.len() + chunk.len() > MAX_ANSWER {
            return Err(ClientError::Protocol(format!(
                "answer larger than {MAX_ANSWER} bytes"
            )));
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(Answer {
        status,
        content_type,
        bytes,
        issue_numbers,
    })
}

impl Client {
    /// A client of the server at `base_url` that trusts the operating system's certificate store.
    pub fn new(base_url: &str) -> Client {
        Self::with_roots(base_url, Vec::new())
    }

    /// A client that also trusts the city's CA certificates in `ca_file` (PEM; LGWAN, a private CA);
    /// the Japanese reason when the file cannot be used.
    pub fn with_ca_file(base_url: &str, ca_file: Option<&Path>) -> Result<Client, String> {
        let extra = match ca_file {
            Some(path) => load_ca_file(path)?,
            None => Vec::new(),
        };
        Ok(Self::with_roots(base_url, extra))
    }

    fn with_roots(base_url: &str, extra: Vec<CertificateDer<'static>>) -> Client {
        let mut builder = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(3))
            .timeout(Duration::from_secs(20))
            .use_rustls_tls()
            .tls_built_in_root_certs(false);
        // Certificates matter only for https (http is allowed to this computer only, `config`).
        if base_url.starts_with("https://") {
            let roots: Vec<Certificate> = native_roots()
                .iter()
                .chain(&extra)
                .filter_map(|c| Certificate::from_der(c.as_ref()).ok())
                .collect();
            if roots.is_empty() {
                tracing::warn!(
                    "no certificates in the operating system's store: trusting the built-in Mozilla roots"
                );
                builder = builder.tls_built_in_webpki_certs(true);
            }
            for c in roots {
                builder = builder.add_root_certificate(c);
            }
        }
        // Only a broken TLS back end fails here. No client with other roots stands in: every request
        // fails with the reason instead.
        let http = builder.build().map_err(|e| {
            tracing::error!(error = %e, "the HTTP client could not be configured");
            e.to_string()
        });
        Client {
            base: base_url.trim_end_matches('/').to_owned(),
            http,
        }
    }

    /// A request to `path` (`/api/v1/...`) with an optional bearer token and JSON body.
    pub fn request(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> Result<Answer, ClientError> {
        let method = match method {
            "GET" => reqwest::Method::GET,
            "DELETE" => reqwest::Method::DELETE,
            "POST" => reqwest::Method::POST,
            "PUT" => reqwest::Method::PUT,
            other => {
                return Err(ClientError::Protocol(format!("method {other} not allowed")));
            }
        };
        let sends_body = method == reqwest::Method::POST || method == reqwest::Method::PUT;
        let http = self.http.as_ref().map_err(|e| {
            ClientError::Network(format!("the HTTP client could not be configured: {e}"))
        })?;
        let mut request = http.request(method, format!("{}{}", self.base, path));
        if let Some(t) = token {
            request = request.bearer_auth(t);
        }
        if sends_body {
            request = match body {
                Some(b) => request
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    .body(serde_json::to_vec(b).map_err(|e| ClientError::Protocol(e.to_string()))?),
                None => request.body(Vec::new()),
            };
        }
        wait_for(exchange(request))
    }

    /// A JSON request that must succeed.
    pub fn json(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> Result<Value, ClientError> {
        Ok(self.request(method, path, token, body)?.ok()?.json())
    }
}
