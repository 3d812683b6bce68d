//! `cargo xtask bench sync`: time to sync an outbox of 1,000 kiosk applications to a local server
//! (release build, SQLite server store on disk, loopback HTTP). Baseline in the same run: the same 1,000
//! saves sent one request each (`PUT /api/v1/cases/{id}`, as a browser would) by the same HTTP client.
//! Each figure is the median of 3 runs, each on a fresh server database.

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::Instant;

use common::*;
use madoguchi_server::seed::{DEMO_KIOSK_COUNTER, DEMO_KIOSK_LOGIN, DEMO_KIOSK_PASSWORD};
use madoguchi_terminal_runtime::client::Client;
use madoguchi_terminal_runtime::store::LocalStore;
use serde_json::json;

const CASES: usize = 1000;

fn outbox_run() -> (f64, usize) {
    let dir = tempfile::tempdir().expect("dir");
    let server = TestServer::start(&dir.path().join("server.db"));
    let t = kiosk(&format!("http://{}", server.addr), dir.path());
    // Logged in and reference data cached first: the figure is the upload alone.
    let first = t.sync_now();
    assert!(!first.offline, "{first:?}");
    {
        let mut store =
            LocalStore::open(&dir.path().join("data").join("terminal.db")).expect("store");
        for n in 0..CASES {
            let write_id = format!("write-bench-{n:06}");
            let save = json!({"write_id": write_id, "revision": null, "status": "open",
                "document": kiosk_document(n)});
            store
                .enqueue(
                    &format!("case-bench-{n:06}"),
                    &write_id,
                    DEMO_KIOSK_LOGIN,
                    &save,
                    0,
                )
                .expect("enqueue");
        }
    }
    let n = t.status().outbox_pending;
    assert_eq!(n as usize, CASES);
    let start = Instant::now();
    let report = t.sync_now();
    let secs = start.elapsed().as_secs_f64();
    assert_eq!(report.applied, CASES, "{report:?}");
    assert_eq!(server.cases().len(), CASES);
    (secs, report.uploaded)
}

fn baseline_run() -> f64 {
    let dir = tempfile::tempdir().expect("dir");
    let server = TestServer::start(&dir.path().join("server.db"));
    let client = Client::new(&format!("http://{}", server.addr));
    let login = client
        .json(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(&json!({"tenant": TENANT, "user": DEMO_KIOSK_LOGIN,
                "password": DEMO_KIOSK_PASSWORD, "counter": DEMO_KIOSK_COUNTER})),
        )
        .expect("login");
    assert!(login["token"].is_string(), "the kiosk account logs in");
    let staff = client
        .json(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(&json!({"tenant": TENANT, "user": "demo",
                "password": "sakurano-madoguchi", "counter": "shimin-1"})),
        )
        .expect("staff login");
    let staff_token = staff["token"].as_str().expect("token").to_owned();
    let start = Instant::now();
    for n in 0..CASES {
        let body = json!({"write_id": format!("write-base-{n:06}"), "revision": null,
            "status": "open", "document": kiosk_document(n)});
        client
            .json(
                "PUT",
                &format!("/api/v1/cases/case-base-{n:06}"),
                Some(&staff_token),
                Some(&body),
            )
            .expect("put");
    }
    let secs = start.elapsed().as_secs_f64();
    assert_eq!(server.cases().len(), CASES);
    secs
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let mut outbox = Vec::new();
    let mut baseline = Vec::new();
    let mut requests = 0;
    for _ in 0..3 {
        let (s, uploaded) = outbox_run();
        requests = uploaded.div_ceil(madoguchi_terminal_runtime::sync::BATCH);
        outbox.push(s);
        baseline.push(baseline_run());
    }
    let (o, b) = (median(outbox.clone()), median(baseline.clone()));
    println!(
        "sync of an outbox of {CASES} kiosk applications to a local server (release, loopback)"
    );
    println!(
        "  outbox sync ({requests} upload requests of {}): {o:.3} s (runs: {:?})",
        madoguchi_terminal_runtime::sync::BATCH,
        outbox.iter().map(|s| format!("{s:.3}")).collect::<Vec<_>>()
    );
    println!(
        "  baseline, one PUT per case: {b:.3} s (runs: {:?})",
        baseline
            .iter()
            .map(|s| format!("{s:.3}"))
            .collect::<Vec<_>>()
    );
    println!("  ratio outbox / baseline: {:.2}", o / b);
    println!(
        "  goal: < 5 s → {}",
        if o < 5.0 { "met" } else { "NOT met" }
    );
}
