//! Server settings and opening the configured store.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use madoguchi_store::Store;
use madoguchi_store_sqlite::SqliteStore;

/// Runtime settings of the HTTP service.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Absolute session lifetime.
    pub session_ttl: chrono::Duration,
    /// A session unused for this long ends (idle timeout).
    pub session_idle: chrono::Duration,
    /// Largest accepted request body (resident import files), bytes.
    pub max_upload_bytes: usize,
    /// Consecutive failed logins (or password changes) after which the account must wait before the
    /// next attempt: `login_backoff_base`, doubling with each further failure up to `login_backoff_max`
    /// ([`crate::login_backoff`]). Never a permanent lock: an administrator's lock is separate.
    pub lockout_after_failures: u32,
    pub login_backoff_base: std::time::Duration,
    pub login_backoff_max: std::time::Duration,
    /// Login attempts accepted from one client address per window (across all accounts).
    pub login_attempts_per_address: u32,
    /// Login attempts accepted for one account per window (across all addresses), successful or not.
    pub login_attempts_per_account: u32,
    pub login_attempt_window: std::time::Duration,
    /// The built web UI (`ui/dist`) served at `/`; `None` serves the server's own status page.
    pub ui_dir: Option<PathBuf>,
    /// The folder of signed terminal updates (`<platform>.json`, made with `cargo xtask update sign`)
    /// served at `/api/v1/terminal/update/{platform}`; `None`: nothing is published.
    pub updates_dir: Option<PathBuf>,
    /// Cases one kiosk account may create per `kiosk_case_window`: a kiosk serves one resident at a time
    /// (a few dozen an hour), but its outbox may hand in a day's backlog after an outage at once; far
    /// more is a script. Refused saves are retried by the terminal, never dropped.
    pub kiosk_cases_per_window: u32,
    pub kiosk_case_window: std::time::Duration,
    /// Requests one client address may make per `resident_window` to the resident's public routes
    /// that sign, send or evaluate (the phone app, the public 手続きガイド: `api::public_quota`).
    pub resident_requests_per_address: u32,
    /// Deletions of a sent 事前申請 (受付番号 + birth date) one client address may try per window.
    pub resident_deletes_per_address: u32,
    pub resident_window: std::time::Duration,
    /// A request (body included: slow clients) not answered within this is cut with 408.
    pub request_timeout: std::time::Duration,
    /// The same for the resident import upload, which may carry hundreds of megabytes.
    pub upload_timeout: std::time::Duration,
    /// Requests handled at once; more wait their turn (a burst cannot exhaust the server).
    pub max_concurrent_requests: usize,
    /// The proxies (load balancers) whose `X-Forwarded-For` is believed for the client's address
    /// (`MADOGUCHI_TRUSTED_PROXIES`, [`crate::tls`]); none by default.
    pub trusted_proxies: crate::tls::TrustedProxies,
}

/// Where the built web UI is: `MADOGUCHI_UI_DIR`, else `ui/dist` under the working directory, if it
/// holds an `index.html`.
pub fn ui_dir_from_env() -> Option<PathBuf> {
    let dir = std::env::var_os("MADOGUCHI_UI_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("ui/dist"));
    dir.join("index.html").is_file().then_some(dir)
}

/// Where the signed terminal updates are: `MADOGUCHI_UPDATES_DIR`, else the folder `updates` beside the
/// SQLite database file (`madoguchi-data/updates` by default). The folder need not exist: until it
/// holds a platform's file, terminals are told nothing is published.
pub fn updates_dir_from_env(database_url: &str) -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("MADOGUCHI_UPDATES_DIR") {
        return Some(PathBuf::from(dir));
    }
    if database_url.starts_with("postgres://") || database_url.starts_with("postgresql://") {
        return None;
    }
    let db = Path::new(
        database_url
            .strip_prefix("sqlite://")
            .unwrap_or(database_url),
    );
    let dir = db.parent().unwrap_or_else(|| Path::new(""));
    Some(dir.join("updates"))
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            session_ttl: chrono::Duration::hours(8),
            session_idle: chrono::Duration::minutes(30),
            max_upload_bytes: 512 << 20,
            lockout_after_failures: 5,
            login_backoff_base: std::time::Duration::from_secs(30),
            login_backoff_max: std::time::Duration::from_secs(15 * 60),
            login_attempts_per_address: 30,
            login_attempts_per_account: 10,
            login_attempt_window: std::time::Duration::from_secs(300),
            ui_dir: None,
            updates_dir: None,
            kiosk_cases_per_window: 1000,
            kiosk_case_window: std::time::Duration::from_secs(3600),
            resident_requests_per_address: 120,
            resident_deletes_per_address: 10,
            resident_window: std::time::Duration::from_secs(600),
            request_timeout: std::time::Duration::from_secs(60),
            upload_timeout: std::time::Duration::from_secs(30 * 60),
            max_concurrent_requests: 256,
            trusted_proxies: crate::tls::TrustedProxies::default(),
        }
    }
}

/// Opens the store named by a database URL: `sqlite://PATH` (or a bare path, the default backend) or
/// `postgres://user:password@host:port/db` (the PostgreSQL backend, for cities that outgrow one machine).
pub fn open_store(url: &str) -> anyhow::Result<Arc<dyn Store>> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok(Arc::new(madoguchi_store_postgres::PostgresStore::open(
            url,
        )?));
    }
    let path = url.strip_prefix("sqlite://").unwrap_or(url);
    let path = PathBuf::from(path);
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    Ok(Arc::new(SqliteStore::open(Path::new(&path))?))
}

/// The linkage job's settings from the environment: `MADOGUCHI_LINKAGE_TENANTS` (comma-separated tenant
/// ids; the job is off without it), `MADOGUCHI_LINKAGE_INTERVAL_SECS` (default 60, at most 300) and the
/// exchange (`MADOGUCHI_OBJECTS_URL`, `MADOGUCHI_S3_*`; default the folder `exchange` beside the SQLite
/// database).
pub struct LinkageSettings {
    pub objects: madoguchi_objects::ObjectsConfig,
    pub tenants: Vec<madoguchi_store::TenantId>,
    pub interval_secs: u64,
}

pub fn linkage_from_env(database_url: &str) -> anyhow::Result<Option<LinkageSettings>> {
    let tenants: Vec<madoguchi_store::TenantId> = std::env::var("MADOGUCHI_LINKAGE_TENANTS")
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| madoguchi_store::TenantId(t.to_owned()))
        .collect();
    if tenants.is_empty() {
        return Ok(None);
    }
    crate::linkage::max_removal_percent_from_env().map_err(anyhow::Error::msg)?;
    Ok(Some(LinkageSettings {
        objects: objects_from_env(database_url),
        tenants,
        interval_secs: linkage_interval_from_env()?,
    }))
}

/// `MADOGUCHI_LINKAGE_INTERVAL_SECS`: 1–300, default 60.
pub fn linkage_interval_from_env() -> anyhow::Result<u64> {
    match std::env::var("MADOGUCHI_LINKAGE_INTERVAL_SECS") {
        Err(_) => Ok(crate::linkage::DEFAULT_INTERVAL_SECS),
        Ok(v) => match v.trim().parse::<u64>() {
            Ok(n) if (1..=crate::linkage::MAX_INTERVAL_SECS).contains(&n) => Ok(n),
            _ => anyhow::bail!(
                "MADOGUCHI_LINKAGE_INTERVAL_SECS は 1〜{} の秒数で指定してください",
                crate::linkage::MAX_INTERVAL_SECS
            ),
        },
    }
}

/// The exchange area: `MADOGUCHI_OBJECTS_URL` etc., else the folder `exchange` beside the SQLite file.
pub fn objects_from_env(database_url: &str) -> madoguchi_objects::ObjectsConfig {
    let default_dir =
        if database_url.starts_with("postgres://") || database_url.starts_with("postgresql://") {
            PathBuf::from("madoguchi-data/exchange")
        } else {
            let db = Path::new(
                database_url
                    .strip_prefix("sqlite://")
                    .unwrap_or(database_url),
            );
            db.parent()
                .unwrap_or_else(|| Path::new(""))
                .join("exchange")
        };
    let default_dir = std::path::absolute(&default_dir).unwrap_or(default_dir);
    madoguchi_objects::ObjectsConfig::from_env(&default_dir)
}

/// Anchoring of the audit chain outside the database ([`crate::audit_anchor`]), from the environment:
/// `MADOGUCHI_AUDIT_ANCHOR_URL` (`file:///…` a write-once folder, or `s3://bucket/prefix` with Object
/// Lock; off without it), `MADOGUCHI_AUDIT_ANCHOR_KEY` (the Ed25519 PKCS#8 key file, which the
/// database never holds; the server needs it), `MADOGUCHI_AUDIT_ANCHOR_PUBKEY` (hex; `audit verify` on a
/// machine without the key file) and `MADOGUCHI_AUDIT_ANCHOR_INTERVAL_SECS` (1–60, default 60).
#[derive(Debug, Clone)]
pub struct AnchorSettings {
    pub url: String,
    pub key: Option<PathBuf>,
    pub public_key: Option<String>,
    pub interval_secs: u64,
}

pub fn anchor_from_env() -> anyhow::Result<Option<AnchorSettings>> {
    let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
    let Some(url) = var("MADOGUCHI_AUDIT_ANCHOR_URL") else {
        return Ok(None);
    };
    let interval_secs = match var("MADOGUCHI_AUDIT_ANCHOR_INTERVAL_SECS") {
        None => 60,
        Some(v) => match v.trim().parse::<u64>() {
            Ok(n) if (1..=60).contains(&n) => n,
            _ => anyhow::bail!(
                "MADOGUCHI_AUDIT_ANCHOR_INTERVAL_SECS は 1〜60 の秒数で指定してください"
            ),
        },
    };
    Ok(Some(AnchorSettings {
        url,
        key: var("MADOGUCHI_AUDIT_ANCHOR_KEY").map(PathBuf::from),
        public_key: var("MADOGUCHI_AUDIT_ANCHOR_PUBKEY"),
        interval_secs,
    }))
}

/// The マイナポータル connector: `MADOGUCHI_PORTAL_URL` (the API's base URL; unset: no connector),
/// `MADOGUCHI_PORTAL_CLIENT_ID`, `MADOGUCHI_PORTAL_CLIENT_SECRET`, `MADOGUCHI_PORTAL_TENANT` (default
/// the server's tenant `default_tenant`), `MADOGUCHI_PORTAL_INTERVAL_SECS` (10–86400, default 300) and
/// `MADOGUCHI_PORTAL_PROXY` (the LGWAN 特定通信 HTTP proxy).
pub fn portal_from_env(
    default_tenant: &str,
) -> anyhow::Result<Option<crate::portal::connector::PortalSettings>> {
    let Some(base_url) = std::env::var("MADOGUCHI_PORTAL_URL")
        .ok()
        .filter(|u| !u.trim().is_empty())
    else {
        return Ok(None);
    };
    let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
    let interval = match var("MADOGUCHI_PORTAL_INTERVAL_SECS") {
        None => 300,
        Some(v) => match v.trim().parse::<u64>() {
            Ok(n) if (10..=86_400).contains(&n) => n,
            _ => anyhow::bail!(
                "MADOGUCHI_PORTAL_INTERVAL_SECS は 10〜86400 の秒数で指定してください"
            ),
        },
    };
    Ok(Some(crate::portal::connector::PortalSettings {
        base_url: base_url.trim().to_owned(),
        client_id: var("MADOGUCHI_PORTAL_CLIENT_ID").unwrap_or_default(),
        client_secret: var("MADOGUCHI_PORTAL_CLIENT_SECRET").unwrap_or_default(),
        tenant: madoguchi_store::TenantId(
            var("MADOGUCHI_PORTAL_TENANT").unwrap_or_else(|| default_tenant.to_owned()),
        ),
        interval: std::time::Duration::from_secs(interval),
        retry_base: std::time::Duration::from_secs(5),
        attempts: 3,
        proxy: var("MADOGUCHI_PORTAL_PROXY"),
    }))
}
