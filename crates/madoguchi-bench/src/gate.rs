//! `cargo xtask bench gate`: what the 支援措置 gate and the audit anchor add to the search route
//! (Security II): the route as a clerk runs it — the address predicate skips protected households, the
//! search text's keyed digest goes into the audit record, every result passes the masking gate — with
//! the audit anchor writing every second (60 times the production rate), against the same route for a
//! staff member with `override_support_measure` (no exclusion of protected households) with no anchoring,
//! in rotating blocks on the same database. Then the anchor's own write rate.

use madoguchi_store::prelude::*;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::bail;
use axum::http::StatusCode;
use madoguchi_core::permission::PermissionSet;
use madoguchi_server::AppState;
use madoguchi_server::api::router;
use madoguchi_server::audit_anchor::{AnchorPlace, Signer, anchor_now, generate_key};
use madoguchi_server::auth::{AccountSpec, create_user};
use madoguchi_store::{AuditEvent, GroupRecord, Store};
use madoguchi_store_sqlite::SqliteStore;

use super::http::{
    COUNTER, PASSWORD, call, encode, ensure_staff, get, login_as, runtime, settings,
};
use crate::fixture::tenant;
use crate::report::{machine, ms, percentile};

/// A clerk (search, no override) beside the all-permission `bench` account, once.
fn ensure_clerk(store: &dyn Store) -> anyhow::Result<()> {
    let t = tenant();
    if store.find_user(&t, "clerk")?.is_some() {
        return Ok(());
    }
    let event = |action: &str| AuditEvent {
        terminal: Some("bench-setup".into()),
        ..madoguchi_server::audit::event(&t, None, None, action, None, "ok")
    };
    store.put_group(
        &t,
        &GroupRecord {
            code: "clerk".into(),
            name: "clerk".into(),
            permissions: PermissionSet::parse("search").map_err(anyhow::Error::msg)?,
        },
        &event("group.put"),
    )?;
    let spec = AccountSpec {
        login: "clerk",
        display_name: "ベンチ 窓口",
        password: PASSWORD,
        groups: vec!["clerk".into()],
        valid_until: None,
    };
    create_user(store, &t, &spec, &event("user.create"))?;
    Ok(())
}

pub fn bench_gate(db: &std::path::Path, prefixes: &[String]) -> anyhow::Result<()> {
    let store = Arc::new(SqliteStore::open(db)?);
    ensure_staff(store.as_ref())?;
    ensure_clerk(store.as_ref())?;
    let towns: Vec<String> = store
        .towns(&tenant())?
        .into_iter()
        .map(|t| t.town)
        .collect();
    if towns.is_empty() {
        bail!("the benchmark database has no 町字");
    }
    let app = router(AppState::new(store.clone(), settings()));
    let dir = tempfile::tempdir()?;
    let place = AnchorPlace::open(&format!("file://{}", dir.path().display()))?;
    let signer = Arc::new(Signer::from_pkcs8(&generate_key()?)?);
    let rt = runtime()?;
    let mut times = rt.block_on(async {
        // 0: clerk with the anchor running; 1: override, no anchor (the baseline).
        let tokens = [
            login_as(&app, "clerk").await?,
            login_as(&app, "bench").await?,
        ];
        let uri = |i: usize, p: &str| {
            format!(
                "/api/v1/residents?q={}&address={}&limit=20",
                encode(p),
                encode(&towns[i % towns.len()])
            )
        };
        for (i, p) in prefixes.iter().take(50).enumerate() {
            for token in &tokens {
                call(&app, get(&uri(i, p), token)).await?;
            }
        }
        let mut times: [Vec<Duration>; 2] = Default::default();
        for (b, block) in prefixes.chunks(100).enumerate() {
            for k in 0..2 {
                let v = (b + k) % 2;
                tokio::time::sleep(Duration::from_millis(1100)).await; // let the audit spool settle
                let anchoring = (v == 0).then(|| {
                    let (store, place, signer) = (store.clone(), place.clone(), signer.clone());
                    tokio::spawn(async move {
                        let mut tick = tokio::time::interval(Duration::from_secs(1));
                        loop {
                            tick.tick().await;
                            let s: Arc<dyn Store> = store.clone();
                            let _ = anchor_now(s, &signer, &place, None, chrono::Utc::now()).await;
                        }
                    })
                });
                for (i, p) in block.iter().enumerate() {
                    let started = Instant::now();
                    let (s, body) = call(&app, get(&uri(b * 100 + i, p), &tokens[v])).await?;
                    let took = started.elapsed();
                    if s != StatusCode::OK {
                        bail!("search failed: {s} {}", String::from_utf8_lossy(&body));
                    }
                    times[v].push(took);
                }
                if let Some(a) = anchoring {
                    a.abort();
                }
            }
        }
        anyhow::Ok(times)
    })?;
    for t in &mut times {
        t.sort();
    }
    let p50 = |v: usize| {
        (
            ms(percentile(&times[v], 0.5)),
            ms(percentile(&times[v], 0.99)),
        )
    };
    println!("machine: {}", machine());
    println!(
        "residents: {}, searches: {} per variant (kana prefix + 町字, limit 20), rotating blocks of 100, counter {COUNTER}",
        store.count_residents(&tenant())?,
        times[0].len()
    );
    println!("| figure | p50 | p99 | baseline p50 / p99 | added at p50 |");
    println!("| --- | --- | --- | --- | --- |");
    println!(
        "| clerk: protected households excluded, query digest, gate, anchor every 1 s | {:.3} ms | {:.3} ms | {:.3} / {:.3} ms | {:+.1} % |",
        p50(0).0,
        p50(0).1,
        p50(1).0,
        p50(1).1,
        (p50(0).0 / p50(1).0 - 1.0) * 100.0
    );
    // The anchor alone: one record appended, then one anchor written and synced, repeatedly.
    let mut t = Vec::with_capacity(200);
    rt.block_on(async {
        for _ in 0..200 {
            store.append_audit(&madoguchi_server::audit::event(
                &tenant(),
                Some("bench"),
                None,
                "bench",
                None,
                "ok",
            ))?;
            let started = Instant::now();
            let s: Arc<dyn Store> = store.clone();
            anchor_now(s, &signer, &place, None, chrono::Utc::now()).await?;
            t.push(started.elapsed());
        }
        anyhow::Ok(())
    })?;
    t.sort();
    let p = ms(percentile(&t, 0.5));
    println!(
        "anchor write (local folder, fsync): p50 {p:.3} ms, p99 {:.3} ms — {:.0} anchors/s against 1 per minute needed",
        ms(percentile(&t, 0.99)),
        1000.0 / p
    );
    Ok(())
}
