//! The connector to マイナポータル's application API (電子申請等情報受取等API, messages as
//! [`super::adapter`] assumes them): it logs in, lists the applications waiting, fetches those not
//! yet stored with their attachments (each stored once, in one transaction with its attachments),
//! and reports every status not yet reported — on a schedule and on demand (an administrator's
//! button), through the LGWAN proxy when one is set (`MADOGUCHI_PORTAL_PROXY`).
//!
//! A failed call is retried with back-off; a failed round leaves everything as it was (what was
//! stored stays stored, unreported statuses stay unreported) and the next round, sooner after a
//! failure and then doubling up to the interval, picks up from there. The last round's outcome is
//! kept for the administrators' screen.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use madoguchi_store::{AuditEvent, Store, TenantId};
use serde::de::DeserializeOwned;

use super::adapter::{
    self, ApplicationDocument, ListReply, StatusReport, TokenReply, TokenRequest,
};

/// Where and how the connector reaches the portal.
#[derive(Debug, Clone)]
pub struct PortalSettings {
    /// The API's base URL (no trailing `/`).
    pub base_url: String,
    pub client_id: String,
    pub client_secret: String,
    /// The tenant the applications belong to.
    pub tenant: TenantId,
    /// Between rounds when all is well.
    pub interval: Duration,
    /// First back-off after a failed call or round (doubles up to `interval`).
    pub retry_base: Duration,
    /// Calls tried per request before the round fails.
    pub attempts: u32,
    /// HTTP proxy (LGWAN 特定通信), e.g. `http://proxy.lgwan.example:8080`.
    pub proxy: Option<String>,
}

/// What the last rounds did, for administrators.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConnectorStatus {
    pub last_run_at: Option<DateTime<Utc>>,
    pub last_success_at: Option<DateTime<Utc>>,
    /// The last round's failure (English, no personal data), `None` after a success.
    pub last_error: Option<String>,
    /// Rounds failed in a row.
    pub failures: u32,
    /// Applications stored by the connector since the server started.
    pub fetched: usize,
    /// Statuses reported since the server started.
    pub reported: usize,
}

/// What one round did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoundReport {
    pub listed: usize,
    pub fetched: usize,
    pub reported: usize,
}

pub struct Connector {
    store: Arc<dyn Store>,
    settings: PortalSettings,
    client: reqwest::Client,
    status: Mutex<ConnectorStatus>,
    /// One round at a time (the schedule and the button).
    round: tokio::sync::Mutex<()>,
}

impl Connector {
    pub fn new(store: Arc<dyn Store>, settings: PortalSettings) -> Result<Self, String> {
        let mut builder = reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .connect_timeout(Duration::from_secs(10));
        builder = match &settings.proxy {
            Some(p) => {
                builder.proxy(reqwest::Proxy::all(p).map_err(|e| format!("bad proxy: {e}"))?)
            }
            None => builder.no_proxy(),
        };
        let client = builder.build().map_err(|e| format!("http client: {e}"))?;
        Ok(Connector {
            store,
            settings,
            client,
            status: Mutex::new(ConnectorStatus::default()),
            round: tokio::sync::Mutex::new(()),
        })
    }

    pub fn settings(&self) -> &PortalSettings {
        &self.settings
    }

    pub fn status(&self) -> ConnectorStatus {
        self.status.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// Runs rounds until `shutdown` resolves: every interval, sooner after a failure.
    pub async fn run(self: Arc<Self>, shutdown: impl std::future::Future<Output = ()>) {
        tokio::pin!(shutdown);
        loop {
            let wait = match self.round_now().await {
                Ok(_) => self.settings.interval,
                Err(_) => self.backoff(self.status().failures),
            };
            tokio::select! {
                _ = &mut shutdown => return,
                _ = tokio::time::sleep(wait) => {}
            }
        }
    }

    fn backoff(&self, failures: u32) -> Duration {
        let factor = 1u32 << failures.saturating_sub(1).min(16);
        (self.settings.retry_base * factor).min(self.settings.interval)
    }

    /// One round now (the schedule's or an administrator's), its outcome recorded.
    pub async fn round_now(&self) -> Result<RoundReport, String> {
        let _one = self.round.lock().await;
        let started = Utc::now();
        let outcome = self.round().await;
        if let Ok(mut s) = self.status.lock() {
            s.last_run_at = Some(started);
            match &outcome {
                Ok(r) => {
                    s.last_success_at = Some(Utc::now());
                    s.last_error = None;
                    s.failures = 0;
                    s.fetched += r.fetched;
                    s.reported += r.reported;
                }
                Err(e) => {
                    s.last_error = Some(e.clone());
                    s.failures += 1;
                }
            }
        }
        match &outcome {
            Ok(r) => tracing::info!(
                listed = r.listed,
                fetched = r.fetched,
                reported = r.reported,
                "portal round"
            ),
            Err(e) => tracing::warn!(error = %e, "portal round failed"),
        }
        outcome
    }

    async fn round(&self) -> Result<RoundReport, String> {
        let token = self.login().await?;
        let list: ListReply = self.get_json(&token, "/applications").await?;
        let mut report = RoundReport {
            listed: list.applications.len(),
            ..Default::default()
        };
        for entry in &list.applications {
            if self.fetch_one(&token, &entry.application_no).await? {
                report.fetched += 1;
            }
        }
        report.reported = self.report_statuses(&token).await?;
        Ok(report)
    }

    async fn login(&self) -> Result<String, String> {
        let body = TokenRequest {
            client_id: self.settings.client_id.clone(),
            client_secret: self.settings.client_secret.clone(),
        };
        let reply: TokenReply = self
            .call(|c| c.post(self.url("/token")).json_body(&body), "login")
            .await
            .and_then(|b| parse(&b, "login"))?;
        Ok(reply.access_token)
    }

    /// Fetches and stores one application unless it is stored; whether it was stored now.
    async fn fetch_one(&self, token: &str, no: &str) -> Result<bool, String> {
        if self
            .blocking({
                let (store, tenant, no) = (
                    self.store.clone(),
                    self.settings.tenant.clone(),
                    no.to_owned(),
                );
                move || store.portal_application(&tenant, &no).map(|a| a.is_some())
            })
            .await?
        {
            return Ok(false);
        }
        let path = format!("/applications/{}", enc(no));
        let doc: ApplicationDocument = self.get_json(token, &path).await?;
        let mut contents = Vec::with_capacity(doc.attachments.len());
        for a in &doc.attachments {
            let file = format!("{path}/attachments/{}", enc(&a.file));
            contents.push(
                self.call(|c| c.get(self.url(&file)).bearer_auth(token), "attachment")
                    .await?,
            );
        }
        let record = adapter::from_api(&doc, contents)
            .map_err(|e| format!("application refused: {}", e.0))?;
        let (store, tenant) = (self.store.clone(), self.settings.tenant.clone());
        let event = event(&tenant, "portal.fetch", Some(format!("portal:{no}")));
        let added = self
            .blocking(move || {
                let added =
                    store.put_portal_applications(&tenant, &[record], Utc::now(), &event)?;
                super::import::join_reservations(store.as_ref(), &tenant, &added, &event)?;
                Ok(added)
            })
            .await?;
        Ok(!added.is_empty())
    }

    /// Reports every status of an application fetched through the API not yet reported.
    async fn report_statuses(&self, token: &str) -> Result<usize, String> {
        let (store, tenant) = (self.store.clone(), self.settings.tenant.clone());
        let pending = self
            .blocking(move || store.portal_applications(&tenant, None))
            .await?
            .into_iter()
            .filter(|a| a.source == "api" && a.status_sent_at.is_none());
        let mut sent = 0;
        for a in pending {
            let body = StatusReport {
                status: a.status.clone(),
                reason: a.status_reason.clone(),
            };
            let path = format!("/applications/{}/status", enc(&a.application_no));
            self.call(
                |c| c.put(self.url(&path)).bearer_auth(token).json_body(&body),
                "status",
            )
            .await?;
            let (store, tenant) = (self.store.clone(), self.settings.tenant.clone());
            let (no, status) = (a.application_no.clone(), a.status.clone());
            self.blocking(move || store.mark_portal_status_sent(&tenant, &no, &status, Utc::now()))
                .await?;
            sent += 1;
        }
        Ok(sent)
    }

    async fn get_json<T: DeserializeOwned>(&self, token: &str, path: &str) -> Result<T, String> {
        let body = self
            .call(|c| c.get(self.url(path)).bearer_auth(token), path)
            .await?;
        parse(&body, path)
    }

    /// Sends a request, retrying with back-off on a network error or a 5xx/429 answer.
    async fn call(
        &self,
        build: impl Fn(&reqwest::Client) -> reqwest::RequestBuilder,
        what: &str,
    ) -> Result<Vec<u8>, String> {
        let mut last = String::new();
        for attempt in 0..self.settings.attempts.max(1) {
            if attempt > 0 {
                tokio::time::sleep(self.backoff(attempt)).await;
            }
            match build(&self.client).send().await {
                Ok(res) if res.status().is_success() => {
                    return res
                        .bytes()
                        .await
                        .map(|b| b.to_vec())
                        .map_err(|e| format!("{what}: {e}"));
                }
                Ok(res) if res.status().is_server_error() || res.status().as_u16() == 429 => {
                    last = format!("{what}: the portal answered {}", res.status());
                }
                Ok(res) => return Err(format!("{what}: the portal answered {}", res.status())),
                Err(e) => last = format!("{what}: the portal is unreachable ({e})"),
            }
        }
        Err(last)
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.settings.base_url.trim_end_matches('/'))
    }

    async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> madoguchi_store::StoreResult<T> + Send + 'static,
    ) -> Result<T, String> {
        tokio::task::spawn_blocking(f)
            .await
            .map_err(|e| format!("task: {e}"))?
            .map_err(|e| format!("store: {e}"))
    }
}

/// JSON bodies without reqwest's `json` feature.
trait JsonBody {
    fn json_body<T: serde::Serialize>(self, body: &T) -> Self;
}

impl JsonBody for reqwest::RequestBuilder {
    fn json_body<T: serde::Serialize>(self, body: &T) -> Self {
        self.header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(serde_json::to_vec(body).unwrap_or_default())
    }
}

fn parse<T: DeserializeOwned>(body: &[u8], what: &str) -> Result<T, String> {
    serde_json::from_slice(body).map_err(|e| format!("{what}: unexpected answer ({e})"))
}

fn enc(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

fn event(tenant: &TenantId, action: &str, subject: Option<String>) -> AuditEvent {
    AuditEvent {
        tenant: tenant.clone(),
        at: Utc::now(),
        user: None,
        counter: None,
        terminal: Some("portal-connector".into()),
        action: action.into(),
        subject,
        result: "ok".into(),
        reason: None,
    }
}
