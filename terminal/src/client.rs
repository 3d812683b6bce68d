//! The terminal's HTTP client to the API server (blocking; the app calls it off the UI thread). It keeps
//! the session token: the webview never sees it.

use std::time::Duration;

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

impl Client {
    pub fn new(base_url: &str) -> Client {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(Duration::from_secs(3)))
            .timeout_global(Some(Duration::from_secs(20)))
            .build()
            .into();
        Client {
            base: base_url.trim_end_matches('/').to_owned(),
            agent,
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
