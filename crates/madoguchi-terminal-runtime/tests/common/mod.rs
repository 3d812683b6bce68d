//! Test harness for the terminal: the real API server in-process on a TCP port (restartable on the same
//! port and database file), a **chaos proxy** between terminal and server (a test double of a bad
//! network: refuses, delays, cuts requests, loses answers), and terminal configurations.

#![allow(dead_code)]

use madoguchi_store::prelude::*;
use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use madoguchi_server::AppState;
use madoguchi_server::api::router;
use madoguchi_server::config::Settings;
use madoguchi_server::seed::{DEMO_KIOSK_COUNTER, DEMO_KIOSK_LOGIN, DEMO_KIOSK_PASSWORD};
use madoguchi_store::TenantId;
use madoguchi_store_sqlite::SqliteStore;
use madoguchi_terminal_runtime::{Terminal, TerminalConfig};
use serde_json::{Value, json};

pub const TENANT: &str = "demo";

/// The API server on `127.0.0.1`, its store in a file.
pub struct TestServer {
    pub addr: SocketAddr,
    pub db: PathBuf,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl TestServer {
    /// Creates the database (tenant, staff, the demo kiosk account) and starts serving.
    pub fn start(db: &Path) -> TestServer {
        Self::create(db);
        Self::serve(db, None)
    }

    /// Creates the database: tenant, the demo staff account, groups and counters, the kiosk account,
    /// and enrolls the kiosk of [`kiosk_config`] for a `dir` holding `db`: its device key is made in
    /// `dir/data` (where that kiosk keeps it) and registered as `kiosk-term-1`.
    pub fn create(db: &Path) {
        let store = SqliteStore::open(db).expect("server store");
        let t = TenantId(TENANT.into());
        store.ensure_tenant(&t, "さくら野市").expect("tenant");
        madoguchi_server::seed::demo_staff(&store, &t, "demo", "sakurano-madoguchi")
            .expect("staff");
        let dir = db.parent().expect("the database's folder");
        let key =
            madoguchi_terminal_runtime::device_key::DeviceKey::load_or_create(&dir.join("data"))
                .expect("device key");
        let terminal = madoguchi_store::TerminalRecord {
            id: "kiosk-term-1".into(),
            name: "テスト用キオスク".into(),
            public_key: key.public_key(),
            counters: vec![DEMO_KIOSK_COUNTER.into()],
            registered_at: chrono::Utc::now(),
            registered_by: "test-setup".into(),
        };
        let event = madoguchi_server::audit::event(&t, None, None, "terminal.put", None, "ok");
        store
            .put_terminal(&t, &terminal, &event)
            .expect("enroll the kiosk");
    }

    /// Serves `db` (again) on `port` (0: any).
    pub fn serve(db: &Path, port: Option<u16>) -> TestServer {
        Self::serve_with(db, port, Vec::new())
    }

    /// Serves `db` trusting these JPKI CA certificates (DER).
    pub fn serve_with(db: &Path, port: Option<u16>, jpki_anchors: Vec<Vec<u8>>) -> TestServer {
        Self::serve_settings(db, port, jpki_anchors, Settings::default())
    }

    /// Creates the database and serves it with these settings (e.g. an updates folder).
    pub fn start_with(db: &Path, settings: Settings) -> TestServer {
        Self::create(db);
        Self::serve_settings(db, None, Vec::new(), settings)
    }

    fn serve_settings(
        db: &Path,
        port: Option<u16>,
        jpki_anchors: Vec<Vec<u8>>,
        settings: Settings,
    ) -> TestServer {
        let store = Arc::new(SqliteStore::open(db).expect("server store"));
        let listener = loop {
            match std::net::TcpListener::bind(("127.0.0.1", port.unwrap_or(0))) {
                Ok(l) => break l,
                // The old server's socket may linger for a moment after a restart.
                Err(_) if port.is_some() => std::thread::sleep(Duration::from_millis(50)),
                Err(e) => panic!("bind: {e}"),
            }
        };
        listener.set_nonblocking(true).expect("nonblocking");
        let addr = listener.local_addr().expect("addr");
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
                let mut state = AppState::new(store, settings);
                if !jpki_anchors.is_empty() {
                    state.jpki_anchors = Arc::new(jpki_anchors);
                }
                let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
                let serve = axum::serve(listener, app);
                tokio::select! {
                    r = serve => { r.expect("serve"); }
                    _ = rx => {}
                }
            });
            // Dropping the runtime here cuts every connection still open: a crash as the terminal
            // sees it.
            rt.shutdown_timeout(Duration::from_millis(10));
        });
        TestServer {
            addr,
            db: db.to_owned(),
            stop: Some(tx),
            thread: Some(thread),
        }
    }

    /// Stops the server at once (open connections are cut).
    pub fn stop(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            t.join().expect("server thread");
        }
    }

    /// Stops and starts again on the same port with the same database file.
    pub fn restart(&mut self) {
        self.stop();
        let again = Self::serve(&self.db.clone(), Some(self.addr.port()));
        *self = again;
    }

    /// Case id → (revision, history entries of saves, document JSON, history entries of prints)
    /// straight from the database.
    pub fn cases(&self) -> std::collections::BTreeMap<String, (i64, i64, Value, i64)> {
        let conn = rusqlite::Connection::open(&self.db).expect("open server db");
        let mut st = conn
            .prepare(
                "SELECT c.id, c.revision, c.document,
                        (SELECT COUNT(*) FROM case_entries e WHERE e.case_rowid = c.rowid AND e.write_id NOT LIKE 'p-%'),
                        (SELECT COUNT(*) FROM case_entries e WHERE e.case_rowid = c.rowid AND e.write_id LIKE 'p-%')
                 FROM cases c WHERE c.tenant_id = ?1",
            )
            .expect("prepare");
        st.query_map([TENANT], |r| {
            let doc: String = r.get(2)?;
            Ok((
                r.get::<_, String>(0)?,
                (
                    r.get(1)?,
                    r.get(3)?,
                    serde_json::from_str(&doc).unwrap_or(Value::Null),
                    r.get(4)?,
                ),
            ))
        })
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows")
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// What the chaos proxy does to the next request chunk from the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chaos {
    /// Forward as is.
    Pass,
    /// Close the connection without forwarding (a refused or dropped connection).
    Drop,
    /// Wait this long, then forward.
    Delay(u64),
    /// Forward only this many bytes of the request, then cut the connection.
    CutRequest(usize),
    /// Forward the request whole, then cut the connection before the answer reaches the terminal (the
    /// server applied it; the terminal does not know).
    LoseAnswer,
}

/// A TCP proxy with a switchable [`Chaos`] mode — a test double of an unreliable network.
pub struct ChaosProxy {
    pub addr: SocketAddr,
    mode: Arc<Mutex<Chaos>>,
    upstream: Arc<Mutex<SocketAddr>>,
    stop: Arc<AtomicBool>,
}

impl ChaosProxy {
    pub fn start(upstream: SocketAddr) -> ChaosProxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind proxy");
        let addr = listener.local_addr().expect("addr");
        let mode = Arc::new(Mutex::new(Chaos::Pass));
        let upstream = Arc::new(Mutex::new(upstream));
        let stop = Arc::new(AtomicBool::new(false));
        let (m, u, s) = (mode.clone(), upstream.clone(), stop.clone());
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                if s.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(client) = conn else { continue };
                let (m, u) = (m.clone(), *u.lock().expect("upstream"));
                std::thread::spawn(move || relay(client, u, m));
            }
        });
        ChaosProxy {
            addr,
            mode,
            upstream,
            stop,
        }
    }

    pub fn set(&self, chaos: Chaos) {
        *self.mode.lock().expect("mode") = chaos;
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for ChaosProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr);
    }
}

fn relay(client: TcpStream, upstream: SocketAddr, mode: Arc<Mutex<Chaos>>) {
    let Ok(server) = TcpStream::connect(upstream) else {
        let _ = client.shutdown(Shutdown::Both);
        return;
    };
    let lose = Arc::new(AtomicBool::new(false));
    let (mut c_read, mut s_write) = (
        client.try_clone().expect("clone"),
        server.try_clone().expect("clone"),
    );
    let (mut s_read, mut c_write) = (server, client);
    let lose_down = lose.clone();
    let down = std::thread::spawn(move || {
        let mut buf = [0u8; 16 * 1024];
        loop {
            match s_read.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    if lose_down.load(Ordering::SeqCst) {
                        break;
                    }
                    if c_write.write_all(&buf[..n]).is_err() {
                        break;
                    }
                }
            }
        }
        let _ = c_write.shutdown(Shutdown::Both);
        let _ = s_read.shutdown(Shutdown::Both);
    });
    let mut buf = [0u8; 16 * 1024];
    loop {
        let n = match c_read.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        let chaos = *mode.lock().expect("mode");
        match chaos {
            Chaos::Pass => {}
            Chaos::Drop => break,
            Chaos::Delay(ms) => std::thread::sleep(Duration::from_millis(ms)),
            Chaos::CutRequest(limit) => {
                let _ = s_write.write_all(&buf[..n.min(limit)]);
                break;
            }
            Chaos::LoseAnswer => lose.store(true, Ordering::SeqCst),
        }
        if s_write.write_all(&buf[..n]).is_err() {
            break;
        }
    }
    let _ = s_write.shutdown(Shutdown::Both);
    let _ = c_read.shutdown(Shutdown::Both);
    let _ = down.join();
}

/// A kiosk terminal's configuration against `server_url`, its data and the mock printers' output in
/// `dir`.
pub fn kiosk_config(server_url: &str, dir: &Path) -> TerminalConfig {
    let text = format!(
        r#"
server_url = "{server_url}"
tenant = "{TENANT}"
terminal_id = "kiosk-term-1"
role = "kiosk"
counter = "{DEMO_KIOSK_COUNTER}"
printer = "mock:{docs}"
receipt_printer = "mock:{receipts}"
data_dir = "{data}"
sync_interval_seconds = 1
kiosk_account = {{ login = "{DEMO_KIOSK_LOGIN}", password = "{DEMO_KIOSK_PASSWORD}" }}
"#,
        docs = dir.join("printed").display(),
        receipts = dir.join("receipts").display(),
        data = dir.join("data").display(),
    );
    TerminalConfig::parse(&text).expect("config")
}

pub fn kiosk(server_url: &str, dir: &Path) -> Arc<Terminal> {
    Terminal::open(kiosk_config(server_url, dir)).expect("terminal")
}

/// A resident's 転入 as the kiosk builds it: one mover, not yet a resident.
pub fn kiosk_document(n: usize) -> Value {
    let name = format!("試験\u{3000}花子{n}");
    json!({
        "visitor": {"kind": "本人", "name": name, "id_document": "マイナンバーカード"},
        "notifications": [{
            "kind": "転入", "event_date": "2026-11-20",
            "old_address": "東京都千代田区千代田1番1号",
            "head_name": name,
            "new_address": {"town": "本町二丁目", "banchi": "3番4号", "full": "群馬県さくら野市本町二丁目3番4号"},
            "members": [{"name": name, "kana": "シケン　ハナコ",
                "facts": {"birth": "1990-04-01", "sex": "女", "relation": "世帯主", "mover": true}}]
        }],
        "procedures": [
            {"code": "JUKI-TENNYU", "name": "転入届", "counter": "市民課", "on_the_spot": true,
             "state": "pending", "reasons": ["市外から引っ越してきたため"], "forms": ["ido-todoke"]}
        ]
    })
}

/// Syncs until nothing is pending (or panics after `rounds`).
pub fn drain(t: &Terminal, rounds: usize) {
    for _ in 0..rounds {
        t.sync_now();
        if t.status().outbox_pending == 0 {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("outbox not drained: {:?}", t.status());
}

/// Server and terminal hold the same cases: every outbox entry applied exactly once (one history entry
/// per save, revision 1 for the kiosk's new cases), no case on the server the terminal did not send,
/// and the same content.
pub fn assert_consistent(t: &Terminal, server: &TestServer) {
    let entries = t.outbox_entries().expect("outbox");
    let cases = server.cases();
    assert_eq!(
        cases.len(),
        entries.len(),
        "as many cases on the server as saves in the outbox"
    );
    for e in &entries {
        assert_eq!(e.state, "applied", "{} applied", e.case_id);
        let (revision, saves, doc, prints) = cases
            .get(&e.case_id)
            .unwrap_or_else(|| panic!("{} missing on the server", e.case_id));
        // One save applied once; each print of the guide sheet adds a revision of its own.
        assert_eq!(
            (*saves, *revision),
            (1, 1 + *prints),
            "{} applied once",
            e.case_id
        );
        let sent = &e.body["document"];
        for pointer in [
            "/visitor/name",
            "/notifications/0/kind",
            "/notifications/0/members/0/name",
            "/notifications/0/members/0/facts/birth",
            "/notifications/0/new_address/full",
            "/memo",
        ] {
            let empty = Value::String(String::new());
            let or_empty = |v: Option<&Value>| v.cloned().unwrap_or_else(|| empty.clone());
            assert_eq!(
                or_empty(doc.pointer(pointer)),
                or_empty(sent.pointer(pointer)),
                "{} {pointer}",
                e.case_id
            );
        }
    }
}
