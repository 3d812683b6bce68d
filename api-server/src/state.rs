//! What the HTTP service shares between requests.

use std::sync::Arc;

use madoguchi_store::Store;

use crate::tasks::blocking;
use crate::{audit, auth, config, jpki, jpki_challenges, linkage, login_backoff, printing, search};

/// Shared state of the HTTP service.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub settings: Arc<config::Settings>,
    /// Login attempts per client address (in memory, per server process).
    pub login_limiter: Arc<auth::AttemptLimiter>,
    /// Login attempts per account (tenant, login), whatever the address.
    pub account_limiter: Arc<auth::AttemptLimiter<(String, String)>>,
    /// Temporary back-off of accounts after failed logins and password changes.
    pub login_backoff: Arc<login_backoff::LoginBackoff>,
    /// Refused logins that nobody authenticated (rate-limited, unknown tenant) are audited once per
    /// window and kind, not once per request (an unauthenticated flood must not flood the audit log).
    pub refusal_audits: Arc<auth::AttemptLimiter<(String, String)>>,
    /// Password verifications running at once (each takes 64 MiB and ~150 ms of one core): a burst of
    /// logins queues here instead of exhausting memory.
    pub password_permits: Arc<tokio::sync::Semaphore>,
    /// Fonts and templates for printing forms.
    pub forms: Arc<printing::FormsService>,
    /// The procedure catalogue of 手続きナビ.
    pub navigation: Result<Arc<madoguchi_core::navigation::Catalog>, String>,
    /// The certificate fee table (the standard one until cities load their own).
    pub fees: Arc<Result<madoguchi_core::fees::FeeTable, String>>,
    /// JPKI trust anchors (CA certificates, DER): `MADOGUCHI_JPKI_ANCHORS`.
    pub jpki_anchors: Arc<Vec<Vec<u8>>>,
    /// JPKI challenges not yet answered.
    pub jpki_challenges: Arc<jpki_challenges::Challenges>,
    /// The core-system linkage job, when this server runs one (its status is shown to admins).
    pub linkage: Option<Arc<linkage::Job>>,
    /// The マイナポータル connector, when this server runs one (its status is shown to admins).
    pub portal: Option<Arc<crate::portal::connector::Connector>>,
    /// Each tenant's key for digests of search texts in the audit log ([`audit::query_key`]).
    pub query_keys: Arc<std::sync::Mutex<std::collections::HashMap<String, [u8; 32]>>>,
    /// Where the audit chain is anchored, when it is (shown on the audit viewer's verification).
    pub anchoring: Option<Arc<crate::audit_anchor::Anchoring>>,
    /// Cases created per kiosk account in the last window ([`config::Settings::kiosk_cases_per_window`]).
    pub kiosk_limiter: Arc<auth::AttemptLimiter<(String, String)>>,
    /// Requests per client address to the resident's public routes (`api::public_quota`).
    pub resident_limiter: Arc<auth::AttemptLimiter>,
    pub resident_delete_limiter: Arc<auth::AttemptLimiter>,
    /// Each tenant's maintenance windows, read from the store every few seconds (the API answers 503
    /// during one).
    pub maintenance: Arc<crate::notices::MaintenanceCache>,
}

impl AppState {
    pub fn new(store: Arc<dyn Store>, settings: config::Settings) -> Self {
        let login_limiter = Arc::new(auth::AttemptLimiter::new(
            settings.login_attempts_per_address,
            settings.login_attempt_window,
        ));
        let account_limiter = Arc::new(auth::AttemptLimiter::new(
            settings.login_attempts_per_account,
            settings.login_attempt_window,
        ));
        let login_backoff = Arc::new(login_backoff::LoginBackoff::new(
            settings.lockout_after_failures,
            settings.login_backoff_base,
            settings.login_backoff_max,
        ));
        let refusal_audits = Arc::new(auth::AttemptLimiter::new(1, settings.login_attempt_window));
        let kiosk_limiter = Arc::new(auth::AttemptLimiter::new(
            settings.kiosk_cases_per_window,
            settings.kiosk_case_window,
        ));
        let resident_limiter = Arc::new(auth::AttemptLimiter::new(
            settings.resident_requests_per_address,
            settings.resident_window,
        ));
        let resident_delete_limiter = Arc::new(auth::AttemptLimiter::new(
            settings.resident_deletes_per_address,
            settings.resident_window,
        ));
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
        AppState {
            store,
            settings: Arc::new(settings),
            login_limiter,
            account_limiter,
            login_backoff,
            refusal_audits,
            password_permits: Arc::new(tokio::sync::Semaphore::new(cores.max(2))),
            forms: Arc::new(printing::FormsService::standard()),
            navigation: madoguchi_core::navigation::Catalog::standard()
                .map_err(|e| e.to_string())
                .map(Arc::new),
            fees: Arc::new(madoguchi_core::fees::FeeTable::standard()),
            jpki_anchors: Arc::new(jpki::anchors_from_env()),
            jpki_challenges: Arc::new(jpki_challenges::Challenges::default()),
            linkage: None,
            portal: None,
            query_keys: Arc::default(),
            anchoring: None,
            kiosk_limiter,
            resident_limiter,
            resident_delete_limiter,
            maintenance: Arc::default(),
        }
    }

    /// The audit digest of a search's texts for `tenant` ([`audit::query_digest`]).
    pub async fn query_digest(
        &self,
        session: &auth::Session,
        params: &search::SearchParams,
    ) -> Result<String, audit::AuditFailed> {
        let tenant = session.tenant();
        let cached = self
            .query_keys
            .lock()
            .map_err(|_| audit::AuditFailed("query key cache poisoned".into()))?
            .get(tenant.as_str())
            .copied();
        let key = match cached {
            Some(k) => k,
            None => {
                let store = self.store.clone();
                let t = tenant.clone();
                let created = audit::event_for(session, "audit_query_key.create", None, "ok");
                let k = blocking(move || {
                    audit::query_key(store.as_ref(), &t, &created)
                        .map_err(|e| audit::AuditFailed(e.to_string()))
                })
                .await?;
                self.query_keys
                    .lock()
                    .map_err(|_| audit::AuditFailed("query key cache poisoned".into()))?
                    .insert(tenant.as_str().to_owned(), k);
                k
            }
        };
        Ok(audit::query_digest(&key, params))
    }
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}
