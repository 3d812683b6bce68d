//! The session with the server: login (signed with the terminal's device key), the kiosk's own login,
//! the token kept here and never handed to the webview, and noting whether the server answered.

use serde_json::{Value, json};

use super::state::{Session, Terminal, lock};
use crate::client::{Answer, ClientError};

impl Terminal {
    /// The result of a request, noting whether the server answered.
    pub(super) fn note<T>(&self, r: Result<T, ClientError>) -> Result<T, ClientError> {
        match &r {
            Err(e) if e.is_network() => self.set_online(false),
            _ => self.set_online(true),
        }
        r
    }

    pub(super) fn token(&self) -> Option<String> {
        lock(&self.session).as_ref().map(|s| s.token.clone())
    }

    pub(super) fn session_login(&self) -> Option<String> {
        lock(&self.session).as_ref().map(|s| s.login.clone())
    }

    pub(super) fn forget_session(&self) {
        *lock(&self.session) = None;
    }

    /// Logs in with a login request from the UI and keeps the token. The terminal signs the login with
    /// its device key here (the webview never holds the key).
    pub fn login(&self, mut body: Value) -> Result<Answer, ClientError> {
        self.sign_login(&mut body);
        let answer =
            self.note(
                self.client
                    .request("POST", "/api/v1/auth/login", None, Some(&body)),
            )?;
        if answer.status == 200 {
            self.keep_session(&answer, &body);
        }
        Ok(answer)
    }

    /// Puts the terminal's device proof into a login request (replacing any the webview sent) and
    /// fills in the tenant when missing.
    fn sign_login(&self, body: &mut Value) {
        let Some(obj) = body.as_object_mut() else {
            return;
        };
        obj.remove("device");
        obj.entry("tenant")
            .or_insert_with(|| json!(self.config.tenant));
        let part = |k: &str| {
            obj.get(k)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        let proof = self.device_key.login_proof(
            &part("tenant"),
            &self.config.terminal_id,
            &part("user"),
            part("counter").trim(),
            chrono::Utc::now(),
        );
        if let Some(proof) = proof.and_then(|p| serde_json::to_value(p).ok()) {
            obj.insert("device".into(), proof);
        }
    }

    /// Keeps the token of a successful login and wakes the sync worker.
    fn keep_session(&self, answer: &Answer, body: &Value) {
        let v = answer.json();
        if let (Some(token), Some(login)) = (v["token"].as_str(), body["user"].as_str()) {
            *lock(&self.session) = Some(Session {
                token: token.to_owned(),
                login: login.to_owned(),
            });
            self.kick();
        }
    }

    /// Logs out: the session is forgotten here first, then the server is told (whether it answers or
    /// not, the webview sees the logout done).
    pub(super) fn logout(&self, method: &str, path: &str, body: Option<&Value>) -> Answer {
        let token = self.token();
        self.forget_session();
        let _ = self.note(self.client.request(method, path, token.as_deref(), body));
        Answer {
            status: 204,
            content_type: String::new(),
            bytes: Vec::new(),
            issue_numbers: None,
        }
    }

    /// A kiosk or an issuance station logs in with its own (self-service) account whenever it holds
    /// no session.
    pub fn ensure_kiosk_session(&self) -> Result<(), ClientError> {
        if !self.config.role.is_self_service() || lock(&self.session).is_some() {
            return Ok(());
        }
        let (Some(account), Some(counter)) = (&self.config.kiosk_account, &self.config.counter)
        else {
            return Ok(());
        };
        let request = madoguchi_api::LoginRequest {
            tenant: self.config.tenant.clone(),
            user: account.login.clone(),
            password: account.password.clone(),
            counter: counter.clone(),
            device: None,
        };
        let body =
            serde_json::to_value(request).map_err(|e| ClientError::Protocol(e.to_string()))?;
        self.login(body)?.ok().map(|_| ())
    }
}
