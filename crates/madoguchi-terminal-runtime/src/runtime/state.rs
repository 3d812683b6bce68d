//! The [`Terminal`] itself: what it holds (configuration, local store, the server session — the token
//! never leaves this struct —, card readers, sync and update state, the kiosk's admin lock, status
//! listeners) and how it is opened. Its commands are implemented by concern in the sibling modules.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

use madoguchi_card_pcsc::Readers;
use madoguchi_mynumber::ReaderStatus;

use super::admin_lock::AdminLock;
use super::report::TerminalStatus;
use crate::client::Client;
use crate::config::TerminalConfig;
use crate::device_key::DeviceKey;
use crate::store::LocalStore;
use crate::update::UpdateOffer;

/// The local store's file in the data folder.
pub const STORE_FILE: &str = "terminal.db";

/// The clock of the runtime (ms since the epoch). Tests may move it.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// The session with the server: its token and who logged in.
#[derive(Debug, Clone)]
pub(super) struct Session {
    pub token: String,
    pub login: String,
}

#[derive(Debug)]
pub(super) struct Flags {
    /// The last request got an answer. Assumed at start, so that a kiosk does not greet residents with
    /// an offline banner before its first request.
    pub online: bool,
    pub last_sync_ms: Option<i64>,
    /// The receipt printer said its paper is out when last asked (issuance station).
    pub receipt_paper_out: bool,
}

impl Default for Flags {
    fn default() -> Self {
        Flags {
            online: true,
            last_sync_ms: None,
            receipt_paper_out: false,
        }
    }
}

/// The latest update check.
#[derive(Debug, Default)]
pub(super) struct UpdateState {
    pub offer: Option<UpdateOffer>,
    pub refused: Option<String>,
    /// When the worker checks next (ms since the epoch; 0: at its first round).
    pub next_check_ms: i64,
}

pub(super) type Listener = Box<dyn Fn(&TerminalStatus) + Send + Sync>;

/// The terminal runtime: what the app's commands call. Every method is blocking; the app calls them
/// off its UI thread.
pub struct Terminal {
    pub(super) config: TerminalConfig,
    pub(super) client: Client,
    pub(super) device_key: DeviceKey,
    pub(super) store: Mutex<LocalStore>,
    pub(super) session: Mutex<Option<Session>>,
    pub(super) flags: Mutex<Flags>,
    pub(super) cards: Mutex<Readers>,
    /// The reader's state as last read: status reports and sync rounds use it, so that only a reader
    /// event, a card operation or an explicit `card_status` talks to the card.
    pub(super) card_state: Mutex<Option<ReaderStatus>>,
    /// Serialises sync rounds (the worker's and the one a save starts).
    pub(super) sync_lock: Mutex<()>,
    pub(super) wake: (Mutex<bool>, Condvar),
    pub(super) stop: AtomicBool,
    pub(super) admin: Mutex<AdminLock>,
    /// Serialises admin PIN attempts, so that each is counted before the next is checked.
    pub(super) admin_attempt: Mutex<()>,
    pub(super) listeners: Mutex<Vec<Listener>>,
    pub(super) last_status: Mutex<Option<TerminalStatus>>,
    pub(super) update: Mutex<UpdateState>,
    /// The device report the server last took (`None`: none since start).
    pub(super) reported_devices: Mutex<Option<madoguchi_api::DeviceReport>>,
}

impl std::fmt::Debug for Terminal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Terminal")
            .field("terminal_id", &self.config.terminal_id)
            .finish_non_exhaustive()
    }
}

/// A mutex's guard, also after a panic in another thread (the data stays usable).
pub(super) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Terminal {
    /// Opens the runtime: the data folder and the local store (created on first start).
    pub fn open(config: TerminalConfig) -> anyhow::Result<Arc<Terminal>> {
        let dir: PathBuf = config.data_dir();
        std::fs::create_dir_all(&dir)
            .map_err(|e| anyhow::anyhow!("cannot create the data folder {}: {e}", dir.display()))?;
        let store = LocalStore::open(&dir.join(STORE_FILE))?;
        let device_key = DeviceKey::load_or_create(&dir)?;
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
            reported_devices: Mutex::new(None),
        }))
    }

    pub fn config(&self) -> &TerminalConfig {
        &self.config
    }
}
