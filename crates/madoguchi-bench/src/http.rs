//! HTTP-level benchmarks through the real router (in process, no network): the cost of auditing each
//! search, and login latency with the chosen argon2id parameters.

use madoguchi_store::prelude::*;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use madoguchi_server::AppState;
use madoguchi_server::api::router;
use madoguchi_server::auth::{AccountSpec, create_user};
use madoguchi_server::config::Settings;
use madoguchi_store::{AuditCheck, AuditEvent, CounterRecord, GroupRecord, PermissionSet, Store};
use madoguchi_store_sqlite::SqliteStore;
use tower::ServiceExt;

use crate::bench_store::{BenchStore, ReadAudit};
use crate::fixture::tenant;
use crate::report::{machine, ms, percentile};

pub const PASSWORD: &str = "sakura-counter-2026";
pub const COUNTER: &str = "bench-counter";

/// Settings for benchmarks: no login rate limits (a benchmark logs in many times).
pub fn settings() -> Settings {
    Settings {
        login_attempts_per_account: u32::MAX,
        login_attempts_per_address: u32::MAX,
        ..Settings::default()
    }
}

/// A group with every permission, a counter and an account `bench` in tenant `bench`, once.
pub fn ensure_staff(store: &dyn Store) -> anyhow::Result<()> {
    let t = tenant();
    store.ensure_tenant(&t, "bench")?;
    if store.find_user(&t, "bench")?.is_some() {
        return Ok(());
    }
    let event = |action: &str| AuditEvent {
        terminal: Some("bench-setup".into()),
        ..madoguchi_server::audit::event(&t, None, None, action, None, "ok")
    };
    store.put_group(
        &t,
        &GroupRecord {
            code: "all".into(),
            name: "all".into(),
            permissions: PermissionSet::all(),
        },
        &event("group.put"),
    )?;
    store.put_counter(
        &t,
        &CounterRecord {
            code: COUNTER.into(),
            name: COUNTER.into(),
            permissions: PermissionSet::all(),
            browser_allowed: true,
        },
        &event("counter.put"),
    )?;
    let spec = AccountSpec {
        login: "bench",
        display_name: "ベンチ 職員",
        password: PASSWORD,
        groups: vec!["all".into()],
        valid_until: None,
    };
    create_user(store, &t, &spec, &event("user.create"))?;
    Ok(())
}

pub async fn call(app: &Router, req: Request<Body>) -> anyhow::Result<(StatusCode, Vec<u8>)> {
    let res = app.clone().oneshot(req).await?;
    let status = res.status();
    let body = res.into_body().collect().await?.to_bytes().to_vec();
    Ok((status, body))
}

fn login_request() -> Request<Body> {
    let body = serde_json::json!({
        "tenant": "bench", "user": "bench", "password": PASSWORD, "counter": COUNTER
    });
    Request::post("/api/v1/auth/login")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap_or_default()
}

async fn login(app: &Router) -> anyhow::Result<String> {
    login_as(app, "bench").await
}

/// Logs `user` (password [`PASSWORD`]) in at the bench counter.
pub async fn login_as(app: &Router, user: &str) -> anyhow::Result<String> {
    let body = serde_json::json!({
        "tenant": "bench", "user": user, "password": PASSWORD, "counter": COUNTER
    });
    let req = Request::post("/api/v1/auth/login")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap_or_default();
    let (s, body) = call(app, req).await?;
    if s != StatusCode::OK {
        bail!("login failed: {s} {}", String::from_utf8_lossy(&body));
    }
    let v: serde_json::Value = serde_json::from_slice(&body)?;
    Ok(v["token"].as_str().context("token")?.to_owned())
}

pub fn get(uri: &str, token: &str) -> Request<Body> {
    Request::get(uri)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap_or_default()
}

pub fn encode(s: &str) -> String {
    s.bytes().map(|b| format!("%{b:02X}")).collect()
}

pub fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?)
}

/// `GET /api/v1/residents?q=<kana prefix>&limit=20` as staff would call it, with the server's audit
/// record (one per search, listing the residents shown; spooled) against the same route with the record
/// left out (the baseline) and with the record committed and synced before answering (the design not
/// taken). The variants run in rotating blocks on the same database.
pub fn bench_audit(db: &Path, prefixes: &[String]) -> anyhow::Result<()> {
    let store = Arc::new(SqliteStore::open(db)?);
    ensure_staff(store.as_ref())?;
    // 0: the product; 1: baseline without the append; 2: the append synced to disk before answering.
    let apps = [
        router(AppState::new(store.clone(), settings())),
        router(AppState::new(
            Arc::new(BenchStore(store.clone(), ReadAudit::Skip)),
            settings(),
        )),
        router(AppState::new(
            Arc::new(BenchStore(store.clone(), ReadAudit::Synced)),
            settings(),
        )),
    ];
    let rt = runtime()?;
    let mut times = rt.block_on(async {
        let mut tokens = Vec::new();
        for app in &apps {
            tokens.push(login(app).await?);
        }
        // Warm every path (page cache, prepared statements).
        for p in prefixes.iter().take(50) {
            let uri = format!("/api/v1/residents?q={}&limit=20", encode(p));
            for (app, token) in apps.iter().zip(&tokens) {
                call(app, get(&uri, token)).await?;
            }
        }
        // Blocks of 100 queries per variant, rotating, so that drift hits all variants alike and one
        // variant's disk flushes do not land in another's timings.
        let mut times: [Vec<Duration>; 3] = Default::default();
        for (b, block) in prefixes.chunks(100).enumerate() {
            for k in 0..3 {
                let v = (b + k) % 3;
                tokio::time::sleep(Duration::from_millis(1100)).await; // let the syncer settle
                for p in block {
                    let uri = format!("/api/v1/residents?q={}&limit=20", encode(p));
                    let started = Instant::now();
                    let (s, body) = call(&apps[v], get(&uri, &tokens[v])).await?;
                    let took = started.elapsed();
                    if s != StatusCode::OK {
                        bail!("search failed: {s} {}", String::from_utf8_lossy(&body));
                    }
                    times[v].push(took);
                }
            }
        }
        anyhow::Ok(times)
    })?;
    for t in &mut times {
        t.sort();
    }
    let p50 = |v: usize| ms(percentile(&times[v], 0.5));
    let p99 = |v: usize| ms(percentile(&times[v], 0.99));
    println!("machine: {}", machine());
    println!(
        "residents: {}, searches: {} per variant (kana prefix, limit 20), in rotating blocks of 100",
        store.count_residents(&tenant())?,
        times[0].len()
    );
    println!(
        "| figure | p50 | p99 | baseline: same route, audit append left out, p50 / p99 | added at p50 |"
    );
    println!("| --- | --- | --- | --- | --- |");
    for (v, label) in [
        (
            0,
            "search route with its audit record (spooled, in the chain within 0.5 s)",
        ),
        (
            2,
            "same, audit record committed and synced before answering",
        ),
    ] {
        println!(
            "| {label} | {:.3} ms | {:.3} ms | {:.3} / {:.3} ms | {:+.1} % |",
            p50(v),
            p99(v),
            p50(1),
            p99(1),
            (p50(v) / p50(1) - 1.0) * 100.0
        );
    }
    // The append alone, straight on the store.
    let event = AuditEvent {
        subject: Some(vec!["000000000000019"; 20].join(" ")),
        ..madoguchi_server::audit::event(
            &tenant(),
            Some("bench"),
            Some(COUNTER),
            "resident.search",
            None,
            "ok",
        )
    };
    for (label, synced) in [
        ("read audit append (spool)", false),
        ("audit append (synced)", true),
    ] {
        let mut t: Vec<Duration> = (0..300)
            .map(|_| {
                let started = Instant::now();
                let r = if synced {
                    store.append_audit(&event).map(|_| ())
                } else {
                    store.append_read_audit(&event)
                };
                r.map(|_| started.elapsed())
            })
            .collect::<Result<_, _>>()?;
        t.sort();
        println!(
            "{label}: p50 {:.3} ms, p99 {:.3} ms",
            ms(percentile(&t, 0.5)),
            ms(percentile(&t, 0.99))
        );
    }
    match store.verify_audit()? {
        AuditCheck::Intact { records } => println!("audit chain intact ({records} records)"),
        AuditCheck::Broken { first_bad_id, .. } => bail!("audit chain broken at {first_bad_id}"),
    }
    Ok(())
}

/// Login latency (argon2id verification, session creation, audit record) against an authenticated
/// request that needs no password check (`GET /api/v1/auth/me`) on the same server.
pub fn bench_login() -> anyhow::Result<()> {
    const LOGINS: usize = 40;
    let dir = crate::fixture::work_dir()?.join("login");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let store = Arc::new(SqliteStore::open(&dir.join("login.sqlite3"))?);
    ensure_staff(store.as_ref())?;
    let app = router(AppState::new(store.clone(), settings()));
    let rt = runtime()?;
    let (mut logins, mut me) = rt.block_on(async {
        let token = login(&app).await?;
        let mut logins = Vec::with_capacity(LOGINS);
        let mut me = Vec::with_capacity(LOGINS);
        for _ in 0..LOGINS {
            let started = Instant::now();
            let (s, _) = call(&app, login_request()).await?;
            logins.push(started.elapsed());
            if s != StatusCode::OK {
                bail!("login failed: {s}");
            }
            let started = Instant::now();
            let (s, _) = call(&app, get("/api/v1/auth/me", &token)).await?;
            me.push(started.elapsed());
            if s != StatusCode::OK {
                bail!("me failed: {s}");
            }
        }
        anyhow::Ok((logins, me))
    })?;
    logins.sort();
    me.sort();
    let hash = madoguchi_server::auth::hash_password(PASSWORD)?;
    let mut verify: Vec<Duration> = (0..20)
        .map(|_| {
            let started = Instant::now();
            let ok = madoguchi_server::auth::verify_password(PASSWORD, &hash);
            let took = started.elapsed();
            assert!(ok, "verification must succeed");
            took
        })
        .collect();
    verify.sort();
    println!("machine: {}", machine());
    println!(
        "argon2id parameters: {}",
        madoguchi_server::auth::ARGON2_PARAMS
    );
    println!("| figure | p50 | p99 | baseline: GET /api/v1/auth/me p50 | ratio (p50) |");
    println!("| --- | --- | --- | --- | --- |");
    println!(
        "| login ({LOGINS} logins) | {:.1} ms | {:.1} ms | {:.3} ms | {:.0}× |",
        ms(percentile(&logins, 0.5)),
        ms(percentile(&logins, 0.99)),
        ms(percentile(&me, 0.5)),
        ms(percentile(&logins, 0.5)) / ms(percentile(&me, 0.5))
    );
    println!(
        "| argon2id verification alone (20) | {:.1} ms | {:.1} ms | | |",
        ms(percentile(&verify, 0.5)),
        ms(percentile(&verify, 0.99))
    );
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
