//! The terminal's HTTP client to the API server (blocking; the app calls it off the UI thread). It keeps
//! the session token: the webview never sees it.

use std::path::Path;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use serde_json::Value;
use ureq::tls::{Certificate, RootCerts, TlsConfig};

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

fn classify(e: ureq::Error) -> ClientError {
    match e {
        ureq::Error::Io(_)
        | ureq::Error::Timeout(_)
        | ureq::Error::HostNotFound
        | ureq::Error::ConnectionFailed
        | ureq::Error::Protocol(_) => ClientError::Network(e.to_string()),
        ureq::Error::Json(e) => ClientError::Protocol(e.to_string()),
        other => ClientError::Network(other.to_string()),
    }
}

/// An HTTP answer: status and body (JSON when it is JSON, else raw bytes).
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes).unwrap_or(Value::Null)
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
    agent: ureq::Agent,
}

/// Largest answer read (a printed case with many forms stays far below).
const MAX_ANSWER: u64 = 64 << 20;

/// The operating system's trusted CA certificates (the Windows certificate store, `/etc/ssl/certs` …),
/// read once per process.
fn native_roots() -> &'static Vec<Certificate<'static>> {
    static ROOTS: OnceLock<Vec<Certificate<'static>>> = OnceLock::new();
    ROOTS.get_or_init(|| {
        let found = rustls_native_certs::load_native_certs();
        for e in &found.errors {
            tracing::warn!(error = %e, "a certificate of the operating system's store was not read");
        }
        found
            .certs
            .iter()
            .map(|c| Certificate::from_der(c.as_ref()).to_owned())
            .collect()
    })
}

/// The CA certificates of a PEM file (`ca_file`), at least one (Japanese reason without the file's path
/// or content).
pub fn load_ca_file(path: &Path) -> Result<Vec<Certificate<'static>>, String> {
    let bytes =
        std::fs::read(path).map_err(|e| format!("ca_file（市の CA 証明書）を読めません: {e}"))?;
    let mut certs = Vec::new();
    for item in ureq::tls::parse_pem(&bytes) {
        match item {
            Ok(ureq::tls::PemItem::Certificate(c)) => certs.push(c),
            Ok(_) => {}
            Err(_) => {
                return Err("ca_file（市の CA 証明書）の PEM 形式が正しくありません。".into());
            }
        }
    }
    if certs.is_empty() {
        return Err(
            "ca_file（市の CA 証明書）に証明書（-----BEGIN CERTIFICATE-----）がありません。".into(),
        );
    }
    Ok(certs)
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

    fn with_roots(base_url: &str, extra: Vec<Certificate<'static>>) -> Client {
        let mut config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(Duration::from_secs(3)))
            .timeout_global(Some(Duration::from_secs(20)));
        // Certificates matter only for https (http is allowed to this computer only, `config`).
        if base_url.starts_with("https://") {
            let mut roots = native_roots().clone();
            roots.extend(extra);
            let roots = if roots.is_empty() {
                tracing::warn!(
                    "no certificates in the operating system's store: trusting the built-in Mozilla roots"
                );
                RootCerts::WebPki
            } else {
                RootCerts::Specific(Arc::new(roots))
            };
            config = config.tls_config(TlsConfig::builder().root_certs(roots).build());
        }
        Client {
            base: base_url.trim_end_matches('/').to_owned(),
            agent: config.build().into(),
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
        let url = format!("{}{}", self.base, path);
        let auth = token.map(|t| format!("Bearer {t}"));
        let response = match method {
            "GET" | "DELETE" => {
                let mut req = if method == "GET" {
                    self.agent.get(&url)
                } else {
                    self.agent.delete(&url)
                };
                if let Some(a) = &auth {
                    req = req.header("Authorization", a);
                }
                req.call()
            }
            "POST" | "PUT" => {
                let mut req = if method == "POST" {
                    self.agent.post(&url)
                } else {
                    self.agent.put(&url)
                };
                if let Some(a) = &auth {
                    req = req.header("Authorization", a);
                }
                match body {
                    Some(b) => req.send_json(b),
                    None => req.send_empty(),
                }
            }
            other => {
                return Err(ClientError::Protocol(format!("method {other} not allowed")));
            }
        }
        .map_err(classify)?;
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let bytes = response
            .into_body()
            .with_config()
            .limit(MAX_ANSWER)
            .read_to_vec()
            .map_err(classify)?;
        Ok(Answer {
            status,
            content_type,
            bytes,
        })
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
