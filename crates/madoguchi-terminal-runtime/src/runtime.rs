//! The terminal runtime: what the app's commands call. It holds the configuration, the local store, the
//! session with the server (the token never leaves this struct), the card reader and the printers, and
//! runs the sync. Every method is blocking; the app calls them off its UI thread.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use base64::Engine;
use madoguchi_card_pcsc::Readers;
use madoguchi_mynumber::{CardError, Pin, ReaderStatus};
use serde::Serialize;
use serde_json::{Value, json};

use crate::client::{Answer, Client, ClientError};
use crate::config::{Role, TerminalConfig, verify_pin};
use crate::printer::{self, PrintError, Receipt, Target};
use crate::store::{LocalStore, StoreError};
use crate::sync::{self, SyncReport};
use crate::update::{self, CheckError, UpdateOffer};

/// The local store's file in the data folder.
pub const STORE_FILE: &str = "terminal.db";
/// An error for the webview: a stable code, a Japanese message and, for a wrong PIN, the tries left.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CommandError {
    pub code: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tries_left: Option<u8>,
}

impl CommandError {
    pub fn new(code: &str, message: impl Into<String>) -> CommandError {
        CommandError {
            code: code.into(),
            message: message.into(),
            tries_left: None,
        }
    }

    fn internal(e: impl std::fmt::Display) -> CommandError {
        tracing::error!(error = %e, "terminal internal error");
        CommandError::new(
            "internal",
            "端末でエラーが発生しました。職員にお声がけください。",
        )
    }
}

impl From<StoreError> for CommandError {
    fn from(e: StoreError) -> Self {
        CommandError::internal(e)
    }
}

impl From<ClientError> for CommandError {
    fn from(e: ClientError) -> Self {
        let code = match &e {
            ClientError::Network(_) => "network".to_owned(),
            ClientError::Status { status: 401, .. } => "unauthorized".to_owned(),
            ClientError::Status { status: 403, .. } => "forbidden".to_owned(),
            ClientError::Status { code, .. } => code.clone(),
            ClientError::Protocol(_) => "internal".to_owned(),
        };
        CommandError::new(&code, e.message_ja())
    }
}

impl From<PrintError> for CommandError {
    fn from(e: PrintError) -> Self {
        tracing::warn!(error = %e, "printing failed");
        CommandError::new("printer", e.message_ja())
    }
}

impl From<CardError> for CommandError {
    fn from(e: CardError) -> Self {
        use madoguchi_mynumber::TransportError as T;
        let (code, tries) = match &e {
            CardError::WrongPin { retries_left } => ("wrong_pin", Some(*retries_left)),
            CardError::LastTry => ("last_try", Some(1)),
            CardError::Blocked => ("blocked", Some(0)),
            CardError::Transport(T::CardRemoved) => ("no_card", None),
            CardError::Transport(T::NoReader) => ("no_reader", None),
            _ => ("card_error", None),
        };
        tracing::info!(code, "card operation failed");
        CommandError {
            code: code.into(),
            message: e.message_ja(),
            tries_left: tries,
        }
    }
}

pub type CommandResult<T> = Result<T, CommandError>;

#[derive(Debug, Clone, Serialize)]
pub struct TerminalInfo {
    pub role: Role,
    pub terminal_id: String,
    pub tenant: String,
    pub counter: Option<String>,
    pub idle_reset_seconds: u32,
    pub languages: Vec<String>,
    pub document_printer: Option<String>,
    pub receipt_printer: Option<String>,
    /// The code an administrator registers to enroll this terminal (its device key's public half).
    pub enrollment_code: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TerminalStatus {
    pub online: bool,
    pub logged_in: bool,
    pub outbox_pending: u64,
    pub outbox_attention: u64,
    pub last_sync_at: Option<String>,
    pub card: ReaderStatus,
    /// A newer version whose signature verified (staff strip, kiosk admin panel; never residents).
    pub update: Option<UpdateOffer>,
    /// Japanese: the server's update file was refused (tampered, unsigned, a rollback …), for the
    /// administrator.
    pub update_refused: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CaseSaveResult {
    pub outcome: String,
    pub revision: Option<i64>,
    pub message: Option<String>,
}

#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KioskSubmission {
    pub case_id: String,
    pub write_id: String,
    pub document: Value,
    #[serde(default)]
    pub language: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct KioskReceipt {
    pub case_id: String,
    pub receipt_no: String,
    pub uploaded: bool,
    pub printed: Vec<String>,
}

/// The card holder's 基本4情報 for the screen (never the 個人番号 here).
#[derive(Debug, Clone, Serialize)]
pub struct CardPersonView {
    pub name: String,
    pub family_name: String,
    pub given_name: String,
    pub address: String,
    pub prefecture: String,
    pub city: String,
    pub address_rest: String,
    pub birth: String,
    pub birth_wareki: String,
    pub sex: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Verified {
    pub verified: bool,
    pub serial: String,
}

#[derive(Debug, Clone)]
pub(crate) struct Session {
    pub token: String,
    pub login: String,
}

#[derive(Debug)]
struct Flags {
    /// The last request got an answer. Assumed at start, so that a kiosk does not greet residents with
    /// an offline banner before its first request.
    online: bool,
    last_sync_ms: Option<i64>,
}

impl Default for Flags {
    fn default() -> Self {
        Flags {
            online: true,
            last_sync_ms: None,
        }
    }
}

/// The latest update check.
#[derive(Debug, Default)]
struct UpdateState {
    offer: Option<UpdateOffer>,
    refused: Option<String>,
    /// When the worker checks next (ms since the epoch; 0: at its first round).
    next_check_ms: i64,
}

type Listener = Box<dyn Fn(&TerminalStatus) + Send + Sync>;

/// The clock of the runtime (ms since the epoch). Tests may move it.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

pub struct Terminal {
    pub(crate) config: TerminalConfig,
    pub(crate) client: Client,
    device_key: crate::device_key::DeviceKey,
    pub(crate) store: Mutex<LocalStore>,
    pub(crate) session: Mutex<Option<Session>>,
    flags: Mutex<Flags>,
    cards: Mutex<Readers>,
    /// The reader's state as last read: status reports and sync rounds use it, so that only a reader
    /// event, a card operation or an explicit `card_status` talks to the card.
    card_state: Mutex<Option<ReaderStatus>>,
    /// Serialises sync rounds (the worker's and the one a save starts).
    pub(crate) sync_lock: Mutex<()>,
    wake: (Mutex<bool>, Condvar),
    stop: AtomicBool,
    admin: Mutex<AdminLock>,
    /// Serialises admin PIN attempts, so that each is counted before the next is checked.
    admin_attempt: Mutex<()>,
    listeners: Mutex<Vec<Listener>>,
    last_status: Mutex<Option<TerminalStatus>>,
    update: Mutex<UpdateState>,
}

impl std::fmt::Debug for Terminal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Terminal")
            .field("terminal_id", &self.config.terminal_id)
            .finish_non_exhaustive()
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn check_id(id: &str, what: &str) -> CommandResult<()> {
    let ok = (8..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(CommandError::new(
            "invalid",
            format!("{what}が正しくありません。"),
        ))
    }
}

impl Terminal {
    /// Opens the runtime: the data folder and the local store (created on first start).
    pub fn open(config: TerminalConfig) -> anyhow::Result<Arc<Terminal>> {
        let dir: PathBuf = config.data_dir();
        std::fs::create_dir_all(&dir)
            .map_err(|e| anyhow::anyhow!("cannot create the data folder {}: {e}", dir.display()))?;
        let store = LocalStore::open(&dir.join(STORE_FILE))?;
        let device_key = crate::device_key::DeviceKey::load_or_create(&dir)?;
        let client = Client::with_ca_file(&config.server_url, config.ca_file())
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        let cards = Readers::new(config.card_reader.clone());
        Ok(Arc::new(Terminal {
            config,
            client,
            device_key,
            store: Mutex::new(store),
            session: Mutex::new(None),
            flags: Mutex::new(Flags::default()),
            cards: Mutex::new(cards),
            card_state: Mutex::new(None),
            sync_lock: Mutex::new(()),
            wake: (Mutex::new(false), Condvar::new()),
            stop: AtomicBool::new(false),
            admin: Mutex::new(AdminLock::default()),
            admin_attempt: Mutex::new(()),
            listeners: Mutex::new(Vec::new()),
            last_status: Mutex::new(None),
            update: Mutex::new(UpdateState::default()),
        }))
    }

    pub fn config(&self) -> &TerminalConfig {
        &self.config
    }

    pub fn info(&self) -> TerminalInfo {
        let c = &self.config;
        TerminalInfo {
            role: c.role,
            terminal_id: c.terminal_id.clone(),
            tenant: c.tenant.clone(),
            counter: c.counter.clone(),
            idle_reset_seconds: c.idle_reset_seconds,
            languages: c.languages.clone(),
            document_printer: c
                .printer
                .as_deref()
                .map(|p| Target::parse(p, false).label()),
            receipt_printer: c
                .receipt_printer
                .as_deref()
                .map(|p| Target::parse(p, true).label()),
            enrollment_code: self.device_key.enrollment_code(),
        }
    }

    pub fn status(&self) -> TerminalStatus {
        let cached = lock(&self.card_state).clone();
        let card = cached.unwrap_or_else(|| self.card_status());
        let counts = lock(&self.store).counts().unwrap_or_default();
        let (update, update_refused) = {
            let u = lock(&self.update);
            (u.offer.clone(), u.refused.clone())
        };
        let flags = lock(&self.flags);
        TerminalStatus {
            online: flags.online,
            logged_in: lock(&self.session).is_some(),
            outbox_pending: counts.pending,
            outbox_attention: counts.attention,
            last_sync_at: flags
                .last_sync_ms
                .and_then(|ms| chrono::DateTime::from_timestamp_millis(ms).map(|t| t.to_rfc3339())),
            card,
            update,
            update_refused,
        }
    }

    /// Calls `listener` whenever the status changes (online, outbox, card).
    pub fn on_status(&self, listener: impl Fn(&TerminalStatus) + Send + Sync + 'static) {
        lock(&self.listeners).push(Box::new(listener));
    }

    /// Announces the status if it changed since the last announcement.
    pub fn announce(&self) {
        let now = self.status();
        let mut last = lock(&self.last_status);
        if last.as_ref() != Some(&now) {
            *last = Some(now.clone());
            drop(last);
            for l in lock(&self.listeners).iter() {
                l(&now);
            }
        }
    }

    pub(crate) fn set_online(&self, online: bool) {
        let mut f = lock(&self.flags);
        let was = f.online;
        f.online = online;
        drop(f);
        if online && !was {
            // The server is back: everything waiting in the outbox may go now.
            if let Err(e) = lock(&self.store).make_due() {
                tracing::warn!(error = %e, "outbox could not be made due");
            }
            self.kick();
        }
        if online != was {
            // The worker's next round (now) announces the new status.
            tracing::info!(online, "server reachability changed");
            self.kick();
        }
    }

    pub(crate) fn synced(&self, now: i64) {
        lock(&self.flags).last_sync_ms = Some(now);
    }

    /// The result of a request, noting whether the server answered.
    pub(crate) fn note<T>(&self, r: Result<T, ClientError>) -> Result<T, ClientError> {
        match &r {
            Err(e) if e.is_network() => self.set_online(false),
            _ => self.set_online(true),
        }
        r
    }

    pub(crate) fn token(&self) -> Option<String> {
        lock(&self.session).as_ref().map(|s| s.token.clone())
    }

    pub(crate) fn session_login(&self) -> Option<String> {
        lock(&self.session).as_ref().map(|s| s.login.clone())
    }

    pub(crate) fn forget_session(&self) {
        *lock(&self.session) = None;
    }

    /// Logs in with a login request from the UI and keeps the token. The terminal signs the login with
    /// its device key here (the webview never holds the key).
    pub fn login(&self, mut body: Value) -> Result<Answer, ClientError> {
        if let Some(obj) = body.as_object_mut() {
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
            if let Some(proof) = proof {
                obj.insert("device".into(), proof);
            }
        }
        let answer =
            self.note(
                self.client
                    .request("POST", "/api/v1/auth/login", None, Some(&body)),
            )?;
        if answer.status == 200 {
            let v = answer.json();
            if let (Some(token), Some(login)) = (v["token"].as_str(), body["user"].as_str()) {
                *lock(&self.session) = Some(Session {
                    token: token.to_owned(),
                    login: login.to_owned(),
                });
                self.kick();
            }
        }
        Ok(answer)
    }

    /// The kiosk logs in with its own account whenever it holds no session.
    pub fn ensure_kiosk_session(&self) -> Result<(), ClientError> {
        if self.config.role != Role::Kiosk || lock(&self.session).is_some() {
            return Ok(());
        }
        let (Some(account), Some(counter)) = (&self.config.kiosk_account, &self.config.counter)
        else {
            return Ok(());
        };
        let body = json!({"tenant": self.config.tenant, "user": account.login,
            "password": account.password, "counter": counter});
        self.login(body)?.ok().map(|_| ())
    }

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
    fn send_api(&self, method: &str, path: &str, body: Option<&Value>) -> CommandResult<Answer> {
        let route = path.split('?').next().unwrap_or(path);
        if route == "/api/v1/auth/login" {
            if self.config.role == Role::Kiosk {
                return Err(CommandError::new("not_allowed", "この操作はできません。"));
            }
            return Ok(self.login(body.cloned().unwrap_or(Value::Null))?);
        }
        if route == "/api/v1/auth/logout" {
            let token = self.token();
            self.forget_session();
            let _ = self.note(self.client.request(method, path, token.as_deref(), body));
            return Ok(Answer {
                status: 204,
                content_type: String::new(),
                bytes: Vec::new(),
            });
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
            Err(e) if e.is_network() && method == "GET" => {
                // Offline: reference data the terminal keeps answers from the cache.
                return self
                    .cached_answer(route)
                    .ok_or_else(|| CommandError::from(e));
            }
            Err(e) if e.is_network() && route == "/api/v1/navigation/evaluate" => {
                // Offline: 手続きナビ runs here on the cached rules.
                return self
                    .evaluate_offline(body)
                    .ok_or_else(|| CommandError::from(e));
            }
            Err(e) => return Err(e.into()),
        };
        if answer.status == 401 && self.config.role == Role::Kiosk {
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
        })
    }

    /// Saves a case through the outbox: queued durably first, then sent at once when the server
    /// answers. The same write id twice is queued once.
    pub fn case_save(&self, case_id: &str, save: &Value) -> CommandResult<CaseSaveResult> {
        check_id(case_id, "案件番号")?;
        let write_id = save["write_id"].as_str().unwrap_or_default().to_owned();
        check_id(&write_id, "書込み番号")?;
        let author = self
            .session_login()
            .ok_or_else(|| CommandError::new("unauthorized", "ログインしてください。"))?;
        lock(&self.store).enqueue(case_id, &write_id, &author, save, now_ms())?;
        self.sync_once();
        self.outcome_of(&write_id)
    }

    fn outcome_of(&self, write_id: &str) -> CommandResult<CaseSaveResult> {
        let entry = lock(&self.store)
            .by_write_id(write_id)?
            .ok_or_else(|| CommandError::internal("queued entry vanished"))?;
        Ok(CaseSaveResult {
            outcome: match entry.state.as_str() {
                "pending" => "queued",
                other => other,
            }
            .to_owned(),
            revision: entry.revision,
            message: entry.message,
        })
    }

    /// One sync round now (uploads due, reference data changed). Never fails: problems are logged and
    /// retried later.
    pub fn sync_once(&self) -> SyncReport {
        let report = sync::round(self);
        self.announce();
        report
    }

    /// Every waiting entry due now, then a round (the staff's 「今すぐ送信」, and a server that is back).
    pub fn sync_now(&self) -> SyncReport {
        if let Err(e) = lock(&self.store).make_due() {
            tracing::warn!(error = %e, "outbox could not be made due");
        }
        self.sync_once()
    }

    /// The outbox, oldest first (admin screen, tests).
    pub fn outbox_entries(&self) -> CommandResult<Vec<crate::store::OutboxEntry>> {
        Ok(lock(&self.store).all_entries()?)
    }

    /// The cached items of a kind of reference data (procedures, towns, fees, vocabulary).
    pub fn cached(&self, kind: &str) -> CommandResult<Option<Vec<Value>>> {
        Ok(lock(&self.store).reference(kind)?)
    }

    /// Wakes the sync worker.
    pub fn kick(&self) {
        let (m, c) = &self.wake;
        *lock(m) = true;
        c.notify_all();
    }

    /// Runs sync rounds until [`Terminal::shutdown`]: after every round it sleeps until the next entry's
    /// retry time, the sync interval, or a kick, whichever comes first.
    pub fn spawn_sync_worker(self: &Arc<Self>) -> std::thread::JoinHandle<()> {
        let me = Arc::clone(self);
        std::thread::Builder::new()
            .name("madoguchi-sync".into())
            .spawn(move || {
                while !me.stop.load(Ordering::SeqCst) {
                    let report = me.sync_once();
                    if !report.offline {
                        me.check_update_if_due();
                    }
                    let interval = i64::from(me.config.sync_interval_seconds) * 1000;
                    let wait = report
                        .wake_at_ms
                        .map_or(interval, |w| (w - now_ms()).clamp(50, interval));
                    let (m, c) = &me.wake;
                    let mut woken = lock(m);
                    if !*woken {
                        woken = c
                            .wait_timeout(woken, Duration::from_millis(wait as u64))
                            .map(|(g, _)| g)
                            .unwrap_or_else(|e| e.into_inner().0);
                    }
                    *woken = false;
                }
            })
            .unwrap_or_else(|e| panic!("cannot start the sync thread: {e}"))
    }

    pub fn shutdown(&self) {
        self.stop.store(true, Ordering::SeqCst);
        self.kick();
    }

    // --- Updates --------------------------------------------------------------------------

    /// Asks the server for a newer signed version now (`update::check`), keeps the result for the
    /// status and announces it. An offer or nothing published replaces what was known; a refused file
    /// removes the offer and says why; a server that does not answer changes nothing (tried again
    /// sooner). Without `update_public_key` nothing is asked.
    pub fn check_update(&self) -> Result<Option<UpdateOffer>, CheckError> {
        let result = match (self.config.update_key(), update::platform()) {
            (None, _) => Err(CheckError::Off("no update_public_key configured")),
            (_, None) => Err(CheckError::Off("no update platform for this build")),
            (Some(key), Some(platform)) => {
                update::check(&self.client, &key, platform, update::current_version())
            }
        };
        let now = now_ms();
        {
            let mut u = lock(&self.update);
            match &result {
                Ok(offer) => {
                    if let Some(o) = offer.as_ref().filter(|o| u.offer.as_ref() != Some(*o)) {
                        tracing::info!(version = %o.version, "signed update offered");
                    }
                    u.offer = offer.clone();
                    u.refused = None;
                    u.next_check_ms = now + update::CHECK_INTERVAL_MS;
                }
                Err(CheckError::Refused(r)) => {
                    tracing::warn!(kind = ?r.kind, reason = %r.reason, "update refused");
                    u.offer = None;
                    u.refused = Some(r.message_ja.clone());
                    u.next_check_ms = now + update::CHECK_INTERVAL_MS;
                }
                Err(CheckError::Server(e)) => {
                    tracing::info!(error = %e, "update check failed at the server; trying again later");
                    u.next_check_ms = now + update::RETRY_INTERVAL_MS;
                }
                Err(CheckError::Off(why)) => {
                    tracing::info!(why, "update checks are off");
                    u.next_check_ms = i64::MAX;
                }
            }
        }
        self.announce();
        result
    }

    /// The worker's update check: at its first round, then every few hours.
    fn check_update_if_due(&self) {
        if now_ms() >= lock(&self.update).next_check_ms {
            // The outcome is kept for the status and logged.
            let _ = self.check_update();
        }
    }

    // --- Devices --------------------------------------------------------------------------

    /// The reader's state now (a few APDUs when a card is there), remembered for status reports.
    pub fn card_status(&self) -> ReaderStatus {
        let state = lock(&self.cards).status();
        *lock(&self.card_state) = Some(state.clone());
        state
    }

    /// A reader or card changed (monitor event) or a card operation ended: read the state again and
    /// announce it.
    pub fn card_changed(&self) {
        self.card_status();
        self.announce();
    }

    /// Reads the card holder's 基本4情報 with the 4-digit PIN. A terminal never reads the 個人番号
    /// through this command.
    pub fn card_read(&self, pin: &str, confirm_last_try: bool) -> CommandResult<CardPersonView> {
        let pin = Pin::four_digits(pin)
            .ok_or_else(|| CommandError::new("invalid", "暗証番号は数字4桁で入力してください。"))?;
        let read = {
            let mut readers = lock(&self.cards);
            readers
                .connect()
                .map_err(CardError::from)
                .and_then(|mut card| card.read_text(&pin, false, confirm_last_try))
        };
        // Tries left changed either way.
        self.card_changed();
        let (basic4, _) = read?;
        let p = basic4.person(None);
        tracing::info!(terminal = %self.config.terminal_id, "card read (basic 4)");
        Ok(CardPersonView {
            name: p.name,
            family_name: p.family_name,
            given_name: p.given_name,
            address: p.address,
            prefecture: p.prefecture,
            city: p.city,
            address_rest: p.address_rest,
            birth: p.birth.format("%Y-%m-%d").to_string(),
            birth_wareki: p.birth_wareki,
            sex: p.sex,
        })
    }

    /// JPKI user authentication: the server's challenge signed by the card, verified by the server
    /// (chain, validity, revocation).
    pub fn card_authenticate(&self, pin: &str, confirm_last_try: bool) -> CommandResult<Verified> {
        let pin = Pin::four_digits(pin)
            .ok_or_else(|| CommandError::new("invalid", "暗証番号は数字4桁で入力してください。"))?;
        let b64 = base64::engine::general_purpose::STANDARD;
        let challenge = self
            .send_api("POST", "/api/v1/jpki/challenge", None)?
            .ok()?
            .json();
        let bytes = challenge["challenge"]
            .as_str()
            .and_then(|c| b64.decode(c).ok())
            .ok_or_else(|| CommandError::internal("challenge without bytes"))?;
        let digest = ring::digest::digest(&ring::digest::SHA256, &bytes);
        let mut hash = [0u8; 32];
        hash.copy_from_slice(digest.as_ref());
        let signed = {
            let mut readers = lock(&self.cards);
            readers
                .connect()
                .map_err(CardError::from)
                .and_then(|mut card| {
                    let certificate = card.read_auth_certificate()?;
                    let signature = card.sign_auth(
                        &pin,
                        &madoguchi_mynumber::apdu::sha256_digest_info(&hash),
                        confirm_last_try,
                    )?;
                    Ok((certificate, signature))
                })
        };
        self.card_changed();
        let (certificate, signature) = signed?;
        let answer = json!({"challenge_id": challenge["challenge_id"],
            "certificate": b64.encode(certificate), "signature": b64.encode(signature)});
        let v = self
            .send_api("POST", "/api/v1/jpki/verify", Some(&answer))?
            .ok()?
            .json();
        Ok(Verified {
            verified: true,
            serial: v["serial"].as_str().unwrap_or_default().to_owned(),
        })
    }

    fn document_printer(&self) -> Result<Target, PrintError> {
        self.config
            .printer
            .as_deref()
            .map(|p| Target::parse(p, false))
            .ok_or(PrintError::NotConfigured)
    }

    fn receipt_printer(&self) -> Result<Target, PrintError> {
        self.config
            .receipt_printer
            .as_deref()
            .map(|p| Target::parse(p, true))
            .ok_or(PrintError::NotConfigured)
    }

    /// Prints a PDF (from the server) on the document printer.
    pub fn print_pdf(&self, pdf: &[u8]) -> CommandResult<String> {
        if !pdf.starts_with(b"%PDF-") {
            return Err(CommandError::new(
                "invalid",
                "印刷するデータが正しくありません。",
            ));
        }
        let target = self.document_printer()?;
        printer::print_pdf(&target, pdf)?;
        Ok(target.label())
    }

    // --- Kiosk ----------------------------------------------------------------------------

    /// A resident's application at the kiosk: queued durably, sent at once when the server answers,
    /// then the 申請内容票 and 手続き案内書 printed from the case as the server saved it. Offline, a 受付票
    /// with the receipt number is printed instead and the case is sent when the server is back.
    pub fn kiosk_submit(&self, sub: KioskSubmission) -> CommandResult<KioskReceipt> {
        if self.config.role != Role::Kiosk {
            return Err(CommandError::new(
                "not_allowed",
                "この端末では申請を受け付けません。",
            ));
        }
        check_id(&sub.case_id, "案件番号")?;
        check_id(&sub.write_id, "書込み番号")?;
        let Some(account) = &self.config.kiosk_account else {
            return Err(CommandError::internal("kiosk without an account"));
        };
        let mut store = lock(&self.store);
        // The same submission again (the UI retried) keeps its receipt number.
        let receipt_key = format!("receipt_no:{}", sub.write_id);
        let receipt_no = match store.meta(&receipt_key)? {
            Some(no) => no,
            None => {
                let n = store.next_number("receipt_no")?;
                let no = format!("{}-{n:04}", self.config.terminal_id);
                store.set_meta(&receipt_key, &no)?;
                no
            }
        };
        let mut document = sub.document;
        let memo = document["memo"].as_str().unwrap_or_default().to_owned();
        document["memo"] = json!(if memo.is_empty() {
            format!("キオスク受付番号 {receipt_no}")
        } else {
            format!("キオスク受付番号 {receipt_no}\n{memo}")
        });
        let save = json!({"write_id": sub.write_id, "revision": null, "status": "open",
            "document": document});
        store.enqueue(&sub.case_id, &sub.write_id, &account.login, &save, now_ms())?;
        drop(store);
        if let Err(e) = self.note(self.ensure_kiosk_session()) {
            tracing::info!(error = %e, "kiosk offline: application kept in the outbox");
        }
        self.sync_once();
        let outcome = self.outcome_of(&sub.write_id)?;
        let mut printed = Vec::new();
        match outcome.outcome.as_str() {
            "applied" => {
                let print_id = format!("p-{}", &sub.write_id[..sub.write_id.len().min(60)]);
                let body = json!({"write_id": print_id,
                    "templates": ["shinsei-naiyou", "tetsuzuki-annai"]});
                let answer = self.send_api(
                    "POST",
                    &format!("/api/v1/cases/{}/print", sub.case_id),
                    Some(&body),
                )?;
                match answer.ok() {
                    Ok(a) => match self.print_pdf(&a.bytes) {
                        Ok(_) => printed.push("guide".to_owned()),
                        Err(e) => tracing::warn!(code = %e.code, "guide sheet not printed"),
                    },
                    Err(e) => tracing::warn!(error = %e, "guide sheet not rendered"),
                }
            }
            "queued" => {}
            _ => {
                return Err(CommandError::new(
                    "rejected",
                    outcome.message.unwrap_or_else(|| {
                        "申請を受け付けられませんでした。職員にお声がけください。".into()
                    }),
                ));
            }
        }
        if printed.is_empty() {
            match self.print_receipt(&receipt_no, outcome.outcome == "applied") {
                Ok(()) => printed.push("receipt".to_owned()),
                Err(e) => tracing::warn!(code = %e.code, "receipt not printed"),
            }
        }
        Ok(KioskReceipt {
            case_id: sub.case_id,
            receipt_no,
            uploaded: outcome.outcome == "applied",
            printed,
        })
    }

    fn print_receipt(&self, receipt_no: &str, uploaded: bool) -> CommandResult<()> {
        let target = self.receipt_printer()?;
        let today = madoguchi_core::wareki::to_wareki(chrono::Local::now().date_naive())
            .map(|w| w.to_string())
            .unwrap_or_default();
        let job = Receipt::new()
            .center(true)
            .size(2, 2)
            .line("受付票")
            .size(1, 1)
            .line(&today)
            .line("受付番号")
            .size(3, 3)
            .line(receipt_no)
            .size(1, 1)
            .qr(receipt_no, 6)
            .center(false)
            .line(if uploaded {
                "この票を持って窓口へお越しください。"
            } else {
                "申請内容は端末に保存しました。この票を持って窓口へお越しください。"
            })
            .cut();
        printer::print_receipt(&target, &job)?;
        Ok(())
    }

    /// Checks the administrator PIN; after success the kiosk may be left (`admin_exit`) for
    /// [`ADMIN_UNLOCK_TTL`]. After [`ADMIN_PIN_FREE_TRIES`] wrong PINs in a row the PIN is not checked
    /// while the back-off lasts (`wait_seconds`); any answer but `unlocked` leaves the kiosk locked.
    pub fn admin_unlock(&self, pin: &str) -> AdminUnlock {
        self.admin_unlock_at(pin, Instant::now())
    }

    fn admin_unlock_at(&self, pin: &str, now: Instant) -> AdminUnlock {
        let _attempt = lock(&self.admin_attempt);
        let waiting = {
            let mut admin = lock(&self.admin);
            let waiting = admin.waiting(now);
            if waiting.is_some() {
                admin.lock();
            }
            waiting
        };
        if let Some(wait) = waiting {
            let wait_seconds = whole_seconds(wait);
            tracing::warn!(
                terminal = %self.config.terminal_id,
                wait_seconds,
                "kiosk admin unlock refused: waiting after wrong PINs"
            );
            return AdminUnlock {
                unlocked: false,
                wait_seconds,
            };
        }
        let ok = self
            .config
            .admin_pin_hash
            .as_deref()
            .is_some_and(|h| verify_pin(pin, h));
        let mut admin = lock(&self.admin);
        if ok {
            admin.succeeded(now);
        } else {
            admin.failed(now);
        }
        let wait_seconds = admin.waiting(now).map_or(0, whole_seconds);
        tracing::warn!(
            terminal = %self.config.terminal_id,
            ok,
            failures = admin.failures,
            wait_seconds,
            "kiosk admin unlock"
        );
        AdminUnlock {
            unlocked: ok,
            wait_seconds,
        }
    }

    /// Ends the administrator's unlock at once (the admin panel closed).
    pub fn admin_lock(&self) {
        lock(&self.admin).lock();
        tracing::info!(terminal = %self.config.terminal_id, "kiosk admin locked");
    }

    /// Whether the administrator's PIN was given less than [`ADMIN_UNLOCK_TTL`] ago and not locked
    /// since.
    pub fn admin_unlocked(&self) -> bool {
        self.admin_unlocked_at(Instant::now())
    }

    fn admin_unlocked_at(&self, now: Instant) -> bool {
        lock(&self.admin).unlocked(now)
    }
}

/// How long the kiosk administrator's unlock lasts.
pub const ADMIN_UNLOCK_TTL: Duration = Duration::from_secs(120);
/// Wrong admin PINs in a row before each further try must wait.
pub const ADMIN_PIN_FREE_TRIES: u32 = 3;
/// The first wait; it doubles with every further wrong PIN, up to [`ADMIN_PIN_MAX_WAIT`].
pub const ADMIN_PIN_FIRST_WAIT: Duration = Duration::from_secs(30);
/// The longest wait between admin PIN tries.
pub const ADMIN_PIN_MAX_WAIT: Duration = Duration::from_secs(15 * 60);

/// The answer of `admin_unlock`.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub struct AdminUnlock {
    pub unlocked: bool,
    /// Seconds until the next PIN is checked (0: at once): after too many wrong PINs in a row.
    pub wait_seconds: u64,
}

/// The kiosk administrator's unlock (Security II point 14): it lasts [`ADMIN_UNLOCK_TTL`] from the
/// right PIN, or until `admin_lock`. After [`ADMIN_PIN_FREE_TRIES`] wrong PINs in a row each further
/// try waits from the last wrong one, [`ADMIN_PIN_FIRST_WAIT`] doubling up to [`ADMIN_PIN_MAX_WAIT`];
/// the right PIN clears the count. In memory: a restart of the app forgets it.
#[derive(Debug, Default)]
struct AdminLock {
    unlocked_at: Option<Instant>,
    failures: u32,
    last_failure: Option<Instant>,
}

impl AdminLock {
    fn unlocked(&self, now: Instant) -> bool {
        self.unlocked_at
            .is_some_and(|at| now.saturating_duration_since(at) < ADMIN_UNLOCK_TTL)
    }

    /// How long the next try must still wait at `now`; `None` when the PIN may be checked.
    fn waiting(&self, now: Instant) -> Option<Duration> {
        let until = self.last_failure? + admin_pin_wait(self.failures);
        (until > now).then(|| until - now)
    }

    fn failed(&mut self, now: Instant) {
        self.unlocked_at = None;
        self.failures = self.failures.saturating_add(1);
        self.last_failure = Some(now);
    }

    fn succeeded(&mut self, now: Instant) {
        self.unlocked_at = Some(now);
        self.failures = 0;
        self.last_failure = None;
    }

    fn lock(&mut self) {
        self.unlocked_at = None;
    }
}

/// The wait after `failures` wrong admin PINs in a row.
fn admin_pin_wait(failures: u32) -> Duration {
    if failures < ADMIN_PIN_FREE_TRIES {
        return Duration::ZERO;
    }
    let doublings = (failures - ADMIN_PIN_FREE_TRIES).min(16);
    ADMIN_PIN_FIRST_WAIT
        .checked_mul(1 << doublings)
        .map_or(ADMIN_PIN_MAX_WAIT, |d| d.min(ADMIN_PIN_MAX_WAIT))
}

/// Whole seconds, rounded up (a wait of 0.2 s is still 1 s on the screen).
fn whole_seconds(d: Duration) -> u64 {
    d.as_secs() + u64::from(d.subsec_nanos() > 0)
}

/// The API paths the kiosk window may reach through [`Terminal::api_request`] (Security II point 14):
/// what its screens need — 手続きナビ, the 町字 list and the reference data its steps show. Everything
/// else of the kiosk account (its applications, printing its guide sheet) goes through typed commands.
fn kiosk_may_call(method: &str, route: &str) -> bool {
    matches!(
        (method, route),
        ("POST", "/api/v1/navigation/evaluate")
            | ("GET", "/api/v1/towns")
            | ("GET", "/api/v1/procedures")
            | ("GET", "/api/v1/fees/table")
            | ("GET", "/api/v1/cases-vocabulary")
    )
}

#[cfg(test)]
mod tests {

    #[test]
    fn the_kiosk_window_reaches_only_its_allow_list() {
        for (method, route) in [
            ("POST", "/api/v1/navigation/evaluate"),
            ("GET", "/api/v1/towns"),
            ("GET", "/api/v1/procedures"),
        ] {
            assert!(super::kiosk_may_call(method, route), "{method} {route}");
        }
        for (method, route) in [
            ("GET", "/api/v1/residents"),
            ("GET", "/api/v1/cases/case-0001"),
            ("PUT", "/api/v1/cases/case-0001"),
            ("POST", "/api/v1/cases/case-0001/print"),
            ("POST", "/api/v1/auth/login"),
            ("GET", "/api/v1/navigation/evaluate"),
            ("POST", "/api/v1/sync/upload"),
            ("GET", "/api/v1/audit"),
        ] {
            assert!(!super::kiosk_may_call(method, route), "{method} {route}");
        }
    }
    use super::*;

    const SECOND: Duration = Duration::from_secs(1);

    #[test]
    fn the_admin_pin_waits_double_after_three_wrong_ones_up_to_15_minutes() {
        let waits: Vec<u64> = (0..=10).map(|n| admin_pin_wait(n).as_secs()).collect();
        assert_eq!(waits, [0, 0, 0, 30, 60, 120, 240, 480, 900, 900, 900]);
        assert_eq!(admin_pin_wait(u32::MAX), ADMIN_PIN_MAX_WAIT, "no overflow");
        assert_eq!(whole_seconds(Duration::from_millis(29_001)), 30);
        assert_eq!(whole_seconds(Duration::from_secs(30)), 30);
    }

    #[test]
    fn the_back_off_counts_from_the_last_wrong_pin_and_the_right_one_clears_it() {
        let t0 = Instant::now();
        let mut a = AdminLock::default();
        a.failed(t0);
        a.failed(t0);
        assert_eq!(a.waiting(t0), None, "two wrong PINs: no wait");
        a.failed(t0 + SECOND);
        assert_eq!(a.waiting(t0 + SECOND), Some(30 * SECOND));
        assert_eq!(a.waiting(t0 + 11 * SECOND), Some(20 * SECOND));
        assert_eq!(a.waiting(t0 + 31 * SECOND), None, "the wait ended");
        a.failed(t0 + 31 * SECOND);
        assert_eq!(a.waiting(t0 + 31 * SECOND), Some(60 * SECOND), "doubled");
        a.succeeded(t0 + 100 * SECOND);
        assert_eq!(a.waiting(t0 + 100 * SECOND), None);
        a.failed(t0 + 101 * SECOND);
        assert_eq!(a.waiting(t0 + 101 * SECOND), None, "counted afresh");
    }

    #[test]
    fn the_unlock_ends_after_two_minutes_or_when_locked() {
        let t0 = Instant::now();
        let mut a = AdminLock::default();
        assert!(!a.unlocked(t0));
        a.succeeded(t0);
        assert!(a.unlocked(t0));
        assert!(a.unlocked(t0 + ADMIN_UNLOCK_TTL - SECOND));
        assert!(!a.unlocked(t0 + ADMIN_UNLOCK_TTL), "expired by itself");
        a.succeeded(t0 + 200 * SECOND);
        a.lock();
        assert!(!a.unlocked(t0 + 201 * SECOND), "locked");
        a.succeeded(t0 + 300 * SECOND);
        a.failed(t0 + 301 * SECOND);
        assert!(!a.unlocked(t0 + 301 * SECOND), "a wrong PIN locks");
    }

    /// A PIN hash with one PBKDF2 iteration: the check is cheap in a test.
    fn cheap_hash(pin: &str) -> String {
        let salt = [7u8; 16];
        let mut out = [0u8; 32];
        ring::pbkdf2::derive(
            ring::pbkdf2::PBKDF2_HMAC_SHA256,
            std::num::NonZeroU32::MIN,
            &salt,
            pin.as_bytes(),
            &mut out,
        );
        format!(
            "pbkdf2-sha256$1${}${}",
            crate::config::hex(&salt),
            crate::config::hex(&out)
        )
    }

    fn kiosk(dir: &std::path::Path) -> Arc<Terminal> {
        let config = TerminalConfig::parse(&format!(
            r#"
server_url = "http://127.0.0.1:9"
tenant = "demo"
terminal_id = "kiosk-test-1"
role = "kiosk"
counter = "kiosk"
data_dir = "{data}"
admin_pin_hash = "{hash}"
kiosk_account = {{ login = "kiosk-01", password = "sakurano-kiosk-terminal" }}
"#,
            data = dir.join("data").display(),
            hash = cheap_hash("246810"),
        ))
        .expect("config");
        Terminal::open(config).expect("terminal")
    }

    #[test]
    fn the_kiosk_admin_unlock_expires_locks_and_backs_off() {
        let dir = tempfile::tempdir().expect("dir");
        let t = kiosk(dir.path());
        let t0 = Instant::now();
        let open = AdminUnlock {
            unlocked: true,
            wait_seconds: 0,
        };
        assert_eq!(t.admin_unlock_at("246810", t0), open);
        assert!(t.admin_unlocked_at(t0 + 119 * SECOND));
        assert!(!t.admin_unlocked_at(t0 + 120 * SECOND), "expired");
        assert_eq!(t.admin_unlock_at("246810", t0 + 130 * SECOND), open);
        t.admin_lock();
        assert!(!t.admin_unlocked_at(t0 + 131 * SECOND), "locked");

        // Three wrong PINs, then the right one is not even checked until the wait ended.
        let t1 = t0 + 200 * SECOND;
        for (i, wait) in [0, 0, 30].into_iter().enumerate() {
            let answer = t.admin_unlock_at("000000", t1 + i as u32 * SECOND);
            assert_eq!(
                answer,
                AdminUnlock {
                    unlocked: false,
                    wait_seconds: wait
                }
            );
        }
        let waiting = t.admin_unlock_at("246810", t1 + 12 * SECOND);
        assert_eq!(
            waiting,
            AdminUnlock {
                unlocked: false,
                wait_seconds: 20
            }
        );
        assert!(!t.admin_unlocked_at(t1 + 12 * SECOND));
        // A wrong PIN after the wait: the next wait is twice as long.
        let answer = t.admin_unlock_at("111111", t1 + 32 * SECOND);
        assert_eq!(answer.wait_seconds, 60);
        assert_eq!(t.admin_unlock_at("246810", t1 + 92 * SECOND), open);
        assert_eq!(
            t.admin_unlock_at("000000", t1 + 93 * SECOND).wait_seconds,
            0,
            "counted afresh"
        );
    }
}
