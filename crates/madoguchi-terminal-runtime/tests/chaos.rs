//! Chaos between a kiosk terminal and the real server: dropped, delayed and cut connections, answers lost
//! after the server applied a save, the same upload sent twice, the server restarted in the middle of a
//! sync, the terminal killed with SIGKILL while it writes its outbox. After each, server and terminal hold
//! the same cases — none lost, none duplicated (count and content compared).

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use common::*;
use madoguchi_terminal_runtime::printer::parse_receipt;
use madoguchi_terminal_runtime::runtime::KioskSubmission;
use madoguchi_terminal_runtime::store::LocalStore;

fn submission(n: usize) -> KioskSubmission {
    KioskSubmission {
        case_id: format!("case-kiosk-{n:05}"),
        write_id: format!("write-kiosk-{n:05}"),
        document: kiosk_document(n),
        language: Some("ja".into()),
    }
}

fn files(dir: &std::path::Path, ext: &str) -> Vec<std::path::PathBuf> {
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == ext))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

#[test]
fn drops_delays_cuts_and_lost_answers_lose_nothing_and_duplicate_nothing() {
    let dir = tempfile::tempdir().expect("dir");
    let server = TestServer::start(&dir.path().join("server.db"));
    let proxy = ChaosProxy::start(server.addr);
    let t = kiosk(&proxy.url(), dir.path());
    let modes = [
        Chaos::Pass,
        Chaos::Drop,
        Chaos::Delay(300),
        Chaos::CutRequest(120),
        Chaos::LoseAnswer,
        Chaos::CutRequest(2_000),
        Chaos::Pass,
        Chaos::LoseAnswer,
        Chaos::Drop,
        Chaos::Delay(50),
    ];
    let mut queued = 0;
    for (n, mode) in modes.iter().enumerate() {
        proxy.set(*mode);
        let receipt = t.kiosk_submit(submission(n)).expect("accepted in any case");
        assert!(
            receipt.receipt_no.starts_with("kiosk-term-1-"),
            "{receipt:?}"
        );
        assert!(!receipt.printed.is_empty(), "{mode:?}: something printed");
        if !receipt.uploaded {
            queued += 1;
            assert_eq!(receipt.printed, ["receipt"], "{mode:?}");
        }
    }
    assert!(queued >= 4, "the bad network kept {queued} in the outbox");
    // The same submission again (the resident pressed twice, the UI retried): nothing new.
    let again = t.kiosk_submit(submission(4)).expect("again");
    assert!(again.receipt_no.ends_with("-0005"), "{again:?}");
    proxy.set(Chaos::Pass);
    drain(&t, 20);
    assert_consistent(&t, &server);
    assert_eq!(server.cases().len(), 10);
    // What reached the mock printers: guide sheets for the cases sent at once, receipts for the rest.
    let receipts = files(&dir.path().join("receipts"), "escpos");
    let parsed = parse_receipt(&std::fs::read(&receipts[0]).expect("receipt"));
    assert!(parsed.lines.contains(&"受付票".to_owned()), "{parsed:?}");
    assert_eq!(parsed.qr.len(), 1);
    assert!(parsed.qr[0].starts_with("kiosk-term-1-"));
    let guides = files(&dir.path().join("printed"), "pdf");
    assert!(!guides.is_empty());
    assert!(
        std::fs::read(&guides[0])
            .expect("pdf")
            .starts_with(b"%PDF-")
    );
}

#[test]
fn the_same_upload_sent_twice_is_applied_once() {
    let dir = tempfile::tempdir().expect("dir");
    let server = TestServer::start(&dir.path().join("server.db"));
    let proxy = ChaosProxy::start(server.addr);
    let t = kiosk(&proxy.url(), dir.path());
    // Logged in; then every answer is lost: the server applies, the terminal retries.
    assert!(!t.sync_now().offline);
    proxy.set(Chaos::LoseAnswer);
    for n in 0..5 {
        let r = t.kiosk_submit(submission(n)).expect("queued");
        assert!(!r.uploaded);
    }
    assert_eq!(server.cases().len(), 5, "the server applied them already");
    proxy.set(Chaos::Pass);
    drain(&t, 10);
    assert_consistent(&t, &server);
    // A copy of the terminal's store from before (a restored backup) sends everything once more.
    // The restored backup is of the same machine: the same device key.
    let copy_dir = tempfile::tempdir().expect("dir");
    let key = madoguchi_terminal_runtime::device_key::KEY_FILE;
    std::fs::create_dir_all(copy_dir.path().join("data")).expect("data dir");
    std::fs::copy(
        dir.path().join("data").join(key),
        copy_dir.path().join("data").join(key),
    )
    .expect("device key");
    let copy = kiosk(&proxy.url(), copy_dir.path());
    {
        let mut store = LocalStore::open(&copy_dir.path().join("data").join("terminal.db"))
            .expect("copy store");
        for e in t.outbox_entries().expect("entries") {
            store
                .enqueue(&e.case_id, &e.write_id, &e.author, &e.body, 0)
                .expect("enqueue");
        }
    }
    let report = copy.sync_now();
    assert_eq!((report.uploaded, report.applied), (5, 5), "{report:?}");
    assert_consistent(&copy, &server);
}

#[test]
fn a_server_restart_in_the_middle_of_a_sync_loses_and_duplicates_nothing() {
    let dir = tempfile::tempdir().expect("dir");
    let mut server = TestServer::start(&dir.path().join("server.db"));
    let proxy = ChaosProxy::start(server.addr);
    let t = kiosk(&proxy.url(), dir.path());
    // Offline: 300 applications wait in the outbox.
    proxy.set(Chaos::Drop);
    for n in 0..300 {
        let r = t.kiosk_submit(submission(n)).expect("queued");
        assert!(!r.uploaded);
    }
    assert_eq!(t.status().outbox_pending, 300);
    // Back online but slow; the server is restarted while batches are going up.
    proxy.set(Chaos::Delay(40));
    let sync = {
        let t = t.clone();
        std::thread::spawn(move || t.sync_now())
    };
    let mut seen = 0;
    for _ in 0..400 {
        seen = server.cases().len();
        if seen > 0 {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(seen > 0 && seen < 300, "mid-sync: {seen}");
    server.restart();
    let first = sync.join().expect("sync thread");
    assert!(first.applied < 300, "{first:?}");
    proxy.set(Chaos::Pass);
    drain(&t, 20);
    assert_consistent(&t, &server);
    assert_eq!(server.cases().len(), 300);
}

#[test]
fn reference_data_is_cached_and_the_kiosk_keeps_accepting_offline() {
    let dir = tempfile::tempdir().expect("dir");
    let mut server = TestServer::start(&dir.path().join("server.db"));
    let t = kiosk(&format!("http://{}", server.addr), dir.path());
    let report = t.sync_now();
    assert!(!report.offline, "{report:?}");
    assert!(
        report.downloaded.contains(&"procedures".to_owned()),
        "{report:?}"
    );
    let procedures = t.cached("procedures").expect("cache").expect("procedures");
    assert!(procedures.len() > 20);
    // Nothing changed: the next round downloads nothing.
    assert!(t.sync_now().downloaded.is_empty());
    // 手続きナビ for a family moving in, asked online…
    let request = serde_json::json!({"event": "転入", "event_date": "2026-11-20",
        "household_after": [
            {"birth": "1985-05-05", "sex": "女", "relation": "世帯主", "mover": true, "kokuho": true},
            {"birth": "2024-02-01", "sex": "男", "relation": "子", "mover": true}],
        "answers": {}});
    let online = t
        .api_request("POST", "/api/v1/navigation/evaluate", Some(&request))
        .expect("online");
    assert_eq!(online.status, 200);
    server.stop();
    // …and offline: the terminal answers the same, from the cached rules.
    let offline = t
        .api_request("POST", "/api/v1/navigation/evaluate", Some(&request))
        .expect("offline");
    assert_eq!(offline.status, 200);
    assert!(
        !online.json()["procedures"]
            .as_array()
            .expect("procedures")
            .is_empty()
    );
    assert_eq!(
        offline.json(),
        online.json(),
        "the same answer without the server"
    );
    let r = t.kiosk_submit(submission(1)).expect("accepted offline");
    assert!(!r.uploaded);
    assert_eq!(r.printed, ["receipt"]);
    assert!(!t.status().online);
    assert_eq!(
        t.cached("procedures").expect("cache").map(|p| p.len()),
        Some(procedures.len()),
        "the cache serves while the server is away"
    );
    // The webview's requests for reference data are answered from the cache; others fail as offline.
    let answer = t
        .api_request("GET", "/api/v1/procedures", None)
        .expect("from the cache");
    assert_eq!(answer.status, 200);
    assert_eq!(
        answer.json().as_array().map(Vec::len),
        Some(procedures.len())
    );
    let vocabulary = t
        .api_request("GET", "/api/v1/cases-vocabulary", None)
        .expect("from the cache");
    assert!(vocabulary.json()["statuses"].is_array());
    // Whatever is not the kiosk's is refused by the runtime before the network is tried.
    let e = t
        .api_request("GET", "/api/v1/cases?from=2026-11-01", None)
        .expect_err("not the kiosk's");
    assert_eq!(e.code, "not_allowed");
    // The server comes back: the worker sends the application without anyone asking.
    let server = TestServer::serve(&dir.path().join("server.db"), Some(server.addr.port()));
    let worker = t.spawn_sync_worker();
    for _ in 0..100 {
        if t.status().outbox_pending == 0 {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    t.shutdown();
    worker.join().expect("worker");
    assert!(t.status().online);
    assert_consistent(&t, &server);
}

/// The child side of the kill test: writes outbox entries as fast as it can and prints each write id
/// once `enqueue` returned (= acknowledged).
#[test]
fn child_outbox_writer() {
    let Ok(path) = std::env::var("MADOGUCHI_TEST_OUTBOX_CHILD") else {
        return;
    };
    let round = std::env::var("MADOGUCHI_TEST_OUTBOX_ROUND").unwrap_or_default();
    let mut store = LocalStore::open(std::path::Path::new(&path)).expect("child store");
    for n in 0.. {
        let write_id = format!("write-child-{round}-{n:06}");
        let save = serde_json::json!({"write_id": write_id, "revision": null, "status": "open",
            "document": kiosk_document(n)});
        store
            .enqueue(
                &format!("case-child-{round}-{n:06}"),
                &write_id,
                "kiosk-01",
                &save,
                0,
            )
            .expect("enqueue");
        println!("{write_id}");
    }
}

#[test]
fn kill_9_while_writing_the_outbox_loses_nothing_acknowledged() {
    let dir = tempfile::tempdir().expect("dir");
    std::fs::create_dir_all(dir.path().join("data")).expect("data dir");
    let db = dir.path().join("data").join("terminal.db");
    let mut all_acked = 0;
    for round in 0..3 {
        let mut child = Command::new(std::env::current_exe().expect("exe"))
            .args([
                "--exact",
                "child_outbox_writer",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("MADOGUCHI_TEST_OUTBOX_CHILD", &db)
            .env("MADOGUCHI_TEST_OUTBOX_ROUND", round.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("child");
        let out = child.stdout.take().expect("stdout");
        let mut acked = Vec::new();
        for line in BufReader::new(out).lines() {
            let line = line.expect("line");
            if line.starts_with("write-child-") {
                acked.push(line);
            }
            if acked.len() >= 200 + round * 50 {
                break;
            }
        }
        child.kill().expect("SIGKILL");
        child.wait().expect("reaped");
        let store = LocalStore::open(&db).expect("reopens after the kill");
        let entries = store.all_entries().expect("entries");
        let ids: std::collections::BTreeSet<&str> =
            entries.iter().map(|e| e.write_id.as_str()).collect();
        assert_eq!(ids.len(), entries.len(), "no duplicates");
        for id in &acked {
            assert!(
                ids.contains(id.as_str()),
                "acknowledged {id} lost in round {round}"
            );
        }
        for e in &entries {
            assert_eq!(
                e.body["write_id"].as_str(),
                Some(e.write_id.as_str()),
                "whole rows only"
            );
        }
        all_acked += acked.len();
    }
    let conn = rusqlite::Connection::open(&db).expect("db");
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("check");
    assert_eq!(check, "ok");
    drop(conn);
    // The terminal starts again on that store and sends everything exactly once.
    let server = TestServer::start(&dir.path().join("server.db"));
    let t = kiosk(&format!("http://{}", server.addr), dir.path());
    let pending = t.status().outbox_pending as usize;
    assert!(pending >= all_acked, "{pending} ≥ {all_acked}");
    drain(&t, 10);
    assert_consistent(&t, &server);
}
