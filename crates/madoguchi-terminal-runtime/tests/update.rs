//! Signed updates end to end: the real server publishes a signed file from its updates folder, the
//! terminal's sync worker checks at start and its status (what the `terminal-status` event carries)
//! shows the offer; a tampered, unsigned, foreign-signed or older file on the server is refused and the
//! status shows no offer, only the administrator's message.

mod common;

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine;
use common::*;
use madoguchi_server::config::Settings;
use madoguchi_terminal_runtime::update::{self, CheckError, RefusalKind};
use madoguchi_terminal_runtime::{Terminal, TerminalStatus};
use ring::signature::{Ed25519KeyPair, KeyPair};
use serde_json::{Value, json};

fn key_pair() -> Ed25519KeyPair {
    let rng = ring::rand::SystemRandom::new();
    let pkcs8 = Ed25519KeyPair::generate_pkcs8(&rng).expect("pkcs8");
    Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).expect("key pair")
}

fn b64() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::STANDARD
}

/// One major version above the running one: newer whatever the workspace version is.
fn newer_version() -> String {
    let major: u64 = update::current_version()
        .split('.')
        .next()
        .and_then(|m| m.parse().ok())
        .expect("numeric version");
    format!("{}.0.0", major + 1)
}

fn payload(version: &str) -> Value {
    json!({
        "product": "madoguchi-terminal",
        "platform": update::platform().expect("an update platform"),
        "version": version,
        "url": format!("https://updates.example.lg.jp/madoguchi-terminal-{version}.msi"),
        "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "size": 21_700_000,
        "published": "2026-11-23",
        "expires": "2099-12-31",
        "notes": "カード読取の安定性を改善しました。",
    })
}

fn publish(updates: &Path, file: &[u8]) {
    let platform = update::platform().expect("an update platform");
    std::fs::write(updates.join(format!("{platform}.json")), file).expect("publish");
}

/// A kiosk against `server` that trusts `key`, with a listener recording every announced status.
fn terminal(
    server: &TestServer,
    dir: &Path,
    key: &Ed25519KeyPair,
) -> (Arc<Terminal>, Arc<Mutex<Vec<TerminalStatus>>>) {
    let mut config = kiosk_config(&format!("http://{}", server.addr), dir);
    config.update_public_key = Some(b64().encode(key.public_key().as_ref()));
    let t = Terminal::open(config).expect("terminal");
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    t.on_status(move |s| sink.lock().expect("statuses").push(s.clone()));
    (t, seen)
}

fn server_with_updates(dir: &Path) -> (TestServer, std::path::PathBuf) {
    let updates = dir.join("updates");
    std::fs::create_dir_all(&updates).expect("updates dir");
    let server = TestServer::start_with(
        &dir.join("server.db"),
        Settings {
            updates_dir: Some(updates.clone()),
            ..Settings::default()
        },
    );
    (server, updates)
}

fn refusal(r: Result<Option<update::UpdateOffer>, CheckError>) -> RefusalKind {
    match r {
        Err(CheckError::Refused(r)) => r.kind,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn a_signed_newer_version_reaches_the_status_and_a_tampered_one_is_refused() {
    let dir = tempfile::tempdir().expect("dir");
    let (server, updates) = server_with_updates(dir.path());
    let key = key_pair();
    let version = newer_version();
    let signed = update::sign(&serde_json::to_vec(&payload(&version)).expect("json"), &key);
    publish(&updates, &signed);
    let (t, seen) = terminal(&server, dir.path(), &key);
    assert_eq!(t.status().update, None, "nothing known before the check");

    // The sync worker checks at its first round and announces the offer.
    let worker = t.spawn_sync_worker();
    let started = Instant::now();
    while t.status().update.is_none() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "no offer: {:?}",
            t.status()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    t.shutdown();
    worker.join().expect("worker");
    let offer = t.status().update.expect("offer");
    assert_eq!(offer.version, version);
    assert_eq!(offer.published, "2026-11-23");
    assert_eq!(offer.notes, "カード読取の安定性を改善しました。");
    assert!(offer.url.starts_with("https://updates.example.lg.jp/"));
    assert_eq!(t.status().update_refused, None);
    assert!(
        seen.lock()
            .expect("statuses")
            .iter()
            .any(|s| s.update.as_ref() == Some(&offer)),
        "the offer was announced (terminal-status event)"
    );
    // What the webview receives.
    let wire = serde_json::to_value(t.status()).expect("json");
    assert_eq!(wire["update"]["version"], json!(version));
    assert_eq!(wire["update_refused"], Value::Null);

    // The file on the server changed after signing (one byte of the payload: the download address).
    let mut envelope: Value = serde_json::from_slice(&signed).expect("envelope");
    let mut bytes = b64()
        .decode(envelope["payload"].as_str().expect("payload"))
        .expect("base64");
    let at = bytes
        .windows(7)
        .position(|w| w == b"example")
        .expect("url in the payload");
    bytes[at] = b'E';
    envelope["payload"] = json!(b64().encode(&bytes));
    publish(&updates, &serde_json::to_vec(&envelope).expect("json"));
    assert_eq!(refusal(t.check_update()), RefusalKind::BadSignature);
    let status = t.status();
    assert_eq!(status.update, None, "a tampered update is not offered");
    assert!(
        status
            .update_refused
            .as_deref()
            .is_some_and(|m| m.contains("署名")),
        "{status:?}"
    );
    assert!(
        seen.lock()
            .expect("statuses")
            .last()
            .is_some_and(|s| s.update.is_none() && s.update_refused.is_some()),
        "the refusal was announced"
    );

    // Withdrawn from the server: nothing offered, nothing refused.
    std::fs::remove_file(updates.join(format!("{}.json", update::platform().expect("platform"))))
        .expect("remove");
    assert_eq!(t.check_update(), Ok(None));
    assert_eq!((t.status().update, t.status().update_refused), (None, None));
}

#[test]
fn unsigned_foreign_and_older_updates_are_refused() {
    let dir = tempfile::tempdir().expect("dir");
    let (server, updates) = server_with_updates(dir.path());
    let key = key_pair();
    let (t, _) = terminal(&server, dir.path(), &key);
    let newer = serde_json::to_vec(&payload(&newer_version())).expect("json");

    // A valid one first, so that each refusal below is seen to withdraw it.
    publish(&updates, &update::sign(&newer, &key));
    assert!(t.check_update().expect("checked").is_some());

    let unsigned = json!({"payload": b64().encode(&newer)});
    publish(&updates, &serde_json::to_vec(&unsigned).expect("json"));
    assert_eq!(refusal(t.check_update()), RefusalKind::Unsigned);
    assert_eq!(t.status().update, None);

    publish(&updates, &update::sign(&newer, &key_pair()));
    assert_eq!(refusal(t.check_update()), RefusalKind::BadSignature);
    assert_eq!(t.status().update, None);

    // Correctly signed, but older than what runs: a rollback.
    let older = serde_json::to_vec(&payload("0.0.1")).expect("json");
    publish(&updates, &update::sign(&older, &key));
    assert_eq!(refusal(t.check_update()), RefusalKind::Rollback);
    assert_eq!(t.status().update, None);

    // The version running now: up to date, no message.
    let same = serde_json::to_vec(&payload(update::current_version())).expect("json");
    publish(&updates, &update::sign(&same, &key));
    assert_eq!(t.check_update(), Ok(None));
    assert_eq!((t.status().update, t.status().update_refused), (None, None));

    // Without a configured key the terminal asks nothing.
    let other = tempfile::tempdir().expect("dir");
    let unchecked = Terminal::open(kiosk_config(
        &format!("http://{}", server.addr),
        other.path(),
    ))
    .expect("t");
    publish(&updates, &update::sign(&newer, &key));
    assert!(matches!(unchecked.check_update(), Err(CheckError::Off(_))));
    assert_eq!(unchecked.status().update, None);
}
