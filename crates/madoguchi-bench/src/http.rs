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
use chrono::{DateTime, NaiveDate, Utc};
use http_body_util::BodyExt;
use madoguchi_core::ids::AtenaNo;
use madoguchi_core::resident::Resident;
use madoguchi_server::AppState;
use madoguchi_server::api::router;
use madoguchi_server::auth::{AccountSpec, create_user};
use madoguchi_server::config::Settings;
use madoguchi_store::{
    AuditCheck, AuditEvent, AuditRecord, CounterRecord, GroupRecord, ImportApplied, ImportDecision,
    ImportMeta, NewUser, PermissionSet, ResidentQuery, ResidentSink, SessionRecord, Store,
    StoreResult, TenantId, UpsertCounts, UserRecord,
};
use madoguchi_store_sqlite::SqliteStore;
use tower::ServiceExt;

use super::{machine, ms, percentile, tenant};

pub(crate) const PASSWORD: &str = "sakura-counter-2026";
pub(crate) const COUNTER: &str = "bench-counter";

/// Settings for benchmarks: no login rate limits (a benchmark logs in many times).
pub(crate) fn settings() -> Settings {
    Settings {
        login_attempts_per_account: u32::MAX,
        login_attempts_per_address: u32::MAX,
        ..Settings::default()
    }
}

/// A group with every permission, a counter and an account `bench` in tenant `bench`, once.
pub(crate) fn ensure_staff(store: &dyn Store) -> anyhow::Result<()> {
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

pub(crate) async fn call(
    app: &Router,
    req: Request<Body>,
) -> anyhow::Result<(StatusCode, Vec<u8>)> {
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
pub(crate) async fn login_as(app: &Router, user: &str) -> anyhow::Result<String> {
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

pub(crate) fn get(uri: &str, token: &str) -> Request<Body> {
    Request::get(uri)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap_or_default()
}

pub(crate) fn encode(s: &str) -> String {
    s.bytes().map(|b| format!("%{b:02X}")).collect()
}

pub(crate) fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
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
    let dir = super::work_dir()?.join("login");
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

/// What the benchmark's store does with a read's audit record.
#[derive(Clone, Copy)]
enum ReadAudit {
    /// Leaves it out: the baseline.
    Skip,
    /// Syncs it to disk before returning, like every other audit record: the alternative design.
    Synced,
}

/// The real store with a read's audit record handled as `ReadAudit` says. Benchmark only.
struct BenchStore(Arc<SqliteStore>, ReadAudit);

impl TenantStore for BenchStore {
    fn add_form_template(
        &self,
        tenant: &TenantId,
        template_id: &str,
        version: &str,
        source: &str,
        audit: &AuditEvent,
    ) -> StoreResult<()> {
        self.0
            .add_form_template(tenant, template_id, version, source, audit)
    }

    fn form_templates(&self, tenant: &TenantId) -> StoreResult<Vec<String>> {
        self.0.form_templates(tenant)
    }

    fn put_tenant_setting(
        &self,
        tenant: &TenantId,
        key: &str,
        value: &str,
        audit: &AuditEvent,
    ) -> StoreResult<()> {
        self.0.put_tenant_setting(tenant, key, value, audit)
    }

    fn tenant_setting(&self, tenant: &TenantId, key: &str) -> StoreResult<Option<String>> {
        self.0.tenant_setting(tenant, key)
    }

    fn ensure_tenant(&self, tenant: &TenantId, name: &str) -> StoreResult<bool> {
        self.0.ensure_tenant(tenant, name)
    }

    fn tenant_name(&self, tenant: &TenantId) -> StoreResult<Option<String>> {
        self.0.tenant_name(tenant)
    }
}

impl ResidentStore for BenchStore {
    fn towns(&self, tenant: &TenantId) -> StoreResult<Vec<madoguchi_store::Town>> {
        self.0.towns(tenant)
    }

    fn import_residents(
        &self,
        tenant: &TenantId,
        meta: &ImportMeta,
        body: &mut dyn FnMut(&mut dyn ResidentSink) -> StoreResult<ImportDecision>,
    ) -> StoreResult<ImportApplied> {
        self.0.import_residents(tenant, meta, body)
    }

    fn search_residents(
        &self,
        tenant: &TenantId,
        query: &ResidentQuery,
    ) -> StoreResult<Vec<Resident>> {
        self.0.search_residents(tenant, query)
    }

    fn get_resident(&self, tenant: &TenantId, atena_no: &AtenaNo) -> StoreResult<Option<Resident>> {
        self.0.get_resident(tenant, atena_no)
    }

    fn household_members(
        &self,
        tenant: &TenantId,
        household_no: &AtenaNo,
    ) -> StoreResult<Vec<Resident>> {
        self.0.household_members(tenant, household_no)
    }

    fn count_residents(&self, tenant: &TenantId) -> StoreResult<u64> {
        self.0.count_residents(tenant)
    }

    fn protected_households(
        &self,
        tenant: &TenantId,
        household_nos: &[AtenaNo],
    ) -> StoreResult<std::collections::HashSet<AtenaNo>> {
        self.0.protected_households(tenant, household_nos)
    }
}

impl AccountStore for BenchStore {
    fn put_group(
        &self,
        tenant: &TenantId,
        group: &GroupRecord,
        audit: &AuditEvent,
    ) -> StoreResult<()> {
        self.0.put_group(tenant, group, audit)
    }

    fn list_groups(&self, tenant: &TenantId) -> StoreResult<Vec<GroupRecord>> {
        self.0.list_groups(tenant)
    }

    fn put_counter(
        &self,
        tenant: &TenantId,
        counter: &CounterRecord,
        audit: &AuditEvent,
    ) -> StoreResult<()> {
        self.0.put_counter(tenant, counter, audit)
    }

    fn list_counters(&self, tenant: &TenantId) -> StoreResult<Vec<CounterRecord>> {
        self.0.list_counters(tenant)
    }

    fn find_counter(&self, tenant: &TenantId, code: &str) -> StoreResult<Option<CounterRecord>> {
        self.0.find_counter(tenant, code)
    }

    fn put_terminal(
        &self,
        tenant: &TenantId,
        terminal: &madoguchi_store::TerminalRecord,
        audit: &AuditEvent,
    ) -> StoreResult<()> {
        self.0.put_terminal(tenant, terminal, audit)
    }

    fn find_terminal(
        &self,
        tenant: &TenantId,
        id: &str,
    ) -> StoreResult<Option<madoguchi_store::TerminalRecord>> {
        self.0.find_terminal(tenant, id)
    }

    fn list_terminals(
        &self,
        tenant: &TenantId,
    ) -> StoreResult<Vec<madoguchi_store::TerminalRecord>> {
        self.0.list_terminals(tenant)
    }

    fn remove_terminal(
        &self,
        tenant: &TenantId,
        id: &str,
        audit: &AuditEvent,
    ) -> StoreResult<bool> {
        self.0.remove_terminal(tenant, id, audit)
    }

    fn create_user(
        &self,
        tenant: &TenantId,
        user: &NewUser,
        audit: &AuditEvent,
    ) -> StoreResult<i64> {
        self.0.create_user(tenant, user, audit)
    }

    fn upsert_users(
        &self,
        tenant: &TenantId,
        users: &[NewUser],
        audit: &[AuditEvent],
    ) -> StoreResult<UpsertCounts> {
        self.0.upsert_users(tenant, users, audit)
    }

    fn find_user(&self, tenant: &TenantId, login: &str) -> StoreResult<Option<UserRecord>> {
        self.0.find_user(tenant, login)
    }

    fn list_users(&self, tenant: &TenantId) -> StoreResult<Vec<UserRecord>> {
        self.0.list_users(tenant)
    }

    fn set_user_groups(
        &self,
        tenant: &TenantId,
        login: &str,
        groups: &[String],
        audit: &AuditEvent,
    ) -> StoreResult<bool> {
        self.0.set_user_groups(tenant, login, groups, audit)
    }

    fn set_password(
        &self,
        tenant: &TenantId,
        login: &str,
        password_hash: &str,
        audit: &AuditEvent,
    ) -> StoreResult<bool> {
        self.0.set_password(tenant, login, password_hash, audit)
    }

    fn record_login_failure(
        &self,
        user_id: i64,
        lock_after: u32,
        audit: &AuditEvent,
    ) -> StoreResult<UserRecord> {
        self.0.record_login_failure(user_id, lock_after, audit)
    }

    fn unlock_user(&self, tenant: &TenantId, login: &str, audit: &AuditEvent) -> StoreResult<bool> {
        self.0.unlock_user(tenant, login, audit)
    }

    fn set_user_valid_until(
        &self,
        tenant: &TenantId,
        login: &str,
        until: Option<NaiveDate>,
        audit: &AuditEvent,
    ) -> StoreResult<bool> {
        self.0.set_user_valid_until(tenant, login, until, audit)
    }

    fn set_user_disabled(
        &self,
        tenant: &TenantId,
        login: &str,
        disabled: bool,
        audit: &AuditEvent,
    ) -> StoreResult<bool> {
        self.0.set_user_disabled(tenant, login, disabled, audit)
    }
}

impl SessionStore for BenchStore {
    fn create_session(
        &self,
        token_sha256: &[u8; 32],
        user_id: i64,
        counter: &str,
        terminal: Option<&str>,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
        audit: &AuditEvent,
    ) -> StoreResult<()> {
        self.0.create_session(
            token_sha256,
            user_id,
            counter,
            terminal,
            now,
            expires_at,
            audit,
        )
    }

    fn find_session(
        &self,
        token_sha256: &[u8; 32],
        now: DateTime<Utc>,
    ) -> StoreResult<Option<SessionRecord>> {
        self.0.find_session(token_sha256, now)
    }

    fn touch_session(&self, token_sha256: &[u8; 32], now: DateTime<Utc>) -> StoreResult<()> {
        self.0.touch_session(token_sha256, now)
    }

    fn delete_session(&self, token_sha256: &[u8; 32], audit: &AuditEvent) -> StoreResult<()> {
        self.0.delete_session(token_sha256, audit)
    }
}

impl CaseStore for BenchStore {
    fn save_case(
        &self,
        tenant: &TenantId,
        write: &madoguchi_store::CaseWrite,
        audit: &AuditEvent,
    ) -> StoreResult<madoguchi_store::CaseSaved> {
        self.0.save_case(tenant, write, audit)
    }

    fn get_case(
        &self,
        tenant: &TenantId,
        case_id: &str,
    ) -> StoreResult<Option<(madoguchi_store::CaseRecord, Vec<madoguchi_store::CaseEntry>)>> {
        self.0.get_case(tenant, case_id)
    }

    fn find_cases(
        &self,
        tenant: &TenantId,
        filter: &madoguchi_store::CaseFilter,
    ) -> StoreResult<Vec<madoguchi_store::CaseRecord>> {
        self.0.find_cases(tenant, filter)
    }

    fn put_incoming_move(
        &self,
        tenant: &TenantId,
        notice: &madoguchi_store::IncomingMove,
        audit: &AuditEvent,
    ) -> StoreResult<()> {
        self.0.put_incoming_move(tenant, notice, audit)
    }

    fn search_incoming_moves(
        &self,
        tenant: &TenantId,
        key: &str,
        limit: usize,
    ) -> StoreResult<Vec<madoguchi_store::IncomingMove>> {
        self.0.search_incoming_moves(tenant, key, limit)
    }
}

impl LinkageStore for BenchStore {
    fn import_support_measures(
        &self,
        tenant: &TenantId,
        meta: &madoguchi_store::ImportMeta,
        records: &[madoguchi_store::SupportMeasureRecord],
    ) -> StoreResult<madoguchi_store::ImportApplied> {
        self.0.import_support_measures(tenant, meta, records)
    }

    fn import_eligibilities(
        &self,
        tenant: &TenantId,
        meta: &madoguchi_store::ImportMeta,
        changes: &[madoguchi_store::EligibilityChange],
    ) -> StoreResult<madoguchi_store::ImportApplied> {
        self.0.import_eligibilities(tenant, meta, changes)
    }

    fn eligibilities(
        &self,
        tenant: &TenantId,
        atena_nos: &[madoguchi_core::ids::AtenaNo],
    ) -> StoreResult<Vec<madoguchi_store::EligibilityRecord>> {
        self.0.eligibilities(tenant, atena_nos)
    }

    fn record_linkage_file(
        &self,
        tenant: &TenantId,
        file: &madoguchi_store::LinkageFile,
    ) -> StoreResult<()> {
        self.0.record_linkage_file(tenant, file)
    }

    fn linkage_files(
        &self,
        tenant: &TenantId,
        feed: Option<&str>,
        limit: usize,
    ) -> StoreResult<Vec<madoguchi_store::LinkageFile>> {
        self.0.linkage_files(tenant, feed, limit)
    }

    fn outbound_candidates(
        &self,
        tenant: &TenantId,
        kind: &str,
        statuses: &[&str],
        limit: usize,
    ) -> StoreResult<Vec<madoguchi_store::CaseRecord>> {
        self.0.outbound_candidates(tenant, kind, statuses, limit)
    }

    fn add_outbound_batch(
        &self,
        tenant: &TenantId,
        batch: &madoguchi_store::OutboundBatch,
        audit: &AuditEvent,
    ) -> StoreResult<i64> {
        self.0.add_outbound_batch(tenant, batch, audit)
    }

    fn mark_outbound_delivered(
        &self,
        tenant: &TenantId,
        kind: &str,
        batch_no: i64,
        at: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<bool> {
        self.0.mark_outbound_delivered(tenant, kind, batch_no, at)
    }

    fn outbound_batches(
        &self,
        tenant: &TenantId,
        kind: Option<&str>,
        undelivered_only: bool,
        limit: usize,
    ) -> StoreResult<Vec<madoguchi_store::OutboundBatch>> {
        self.0
            .outbound_batches(tenant, kind, undelivered_only, limit)
    }
}

impl HandoverStore for BenchStore {
    fn for_each_resident(
        &self,
        tenant: &TenantId,
        each: &mut dyn FnMut(madoguchi_core::resident::Resident) -> StoreResult<()>,
    ) -> StoreResult<u64> {
        self.0.for_each_resident(tenant, each)
    }

    fn all_support_measures(
        &self,
        tenant: &TenantId,
    ) -> StoreResult<Vec<madoguchi_store::SupportMeasureRecord>> {
        self.0.all_support_measures(tenant)
    }

    fn all_eligibilities(
        &self,
        tenant: &TenantId,
    ) -> StoreResult<Vec<madoguchi_store::EligibilityRecord>> {
        self.0.all_eligibilities(tenant)
    }

    fn case_ids(&self, tenant: &TenantId) -> StoreResult<Vec<String>> {
        self.0.case_ids(tenant)
    }

    fn tenant_settings(&self, tenant: &TenantId) -> StoreResult<Vec<(String, String)>> {
        self.0.tenant_settings(tenant)
    }

    fn incoming_moves(&self, tenant: &TenantId) -> StoreResult<Vec<madoguchi_store::IncomingMove>> {
        self.0.incoming_moves(tenant)
    }

    fn restore_case(
        &self,
        tenant: &TenantId,
        case: &madoguchi_store::CaseRecord,
        history: &[madoguchi_store::CaseEntry],
        subjects: &[String],
        procedures: &[String],
        audit: &AuditEvent,
    ) -> StoreResult<()> {
        self.0
            .restore_case(tenant, case, history, subjects, procedures, audit)
    }

    fn delete_tenant(
        &self,
        tenant: &TenantId,
        audit: &AuditEvent,
    ) -> StoreResult<Vec<(String, u64)>> {
        self.0.delete_tenant(tenant, audit)
    }
}

impl AuditStore for BenchStore {
    fn append_read_audit(&self, event: &AuditEvent) -> StoreResult<()> {
        match self.1 {
            ReadAudit::Skip => Ok(()),
            ReadAudit::Synced => self.0.append_audit(event).map(|_| ()),
        }
    }

    fn append_audit(&self, event: &AuditEvent) -> StoreResult<i64> {
        self.0.append_audit(event)
    }

    fn purge_audit_before(&self, before: DateTime<Utc>) -> StoreResult<u64> {
        self.0.purge_audit_before(before)
    }

    fn verify_audit(&self) -> StoreResult<AuditCheck> {
        self.0.verify_audit()
    }

    fn audit_state(&self, ids: &[i64]) -> StoreResult<madoguchi_store::AuditState> {
        self.0.audit_state(ids)
    }

    fn audit_records(
        &self,
        tenant: &TenantId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<AuditRecord>> {
        self.0.audit_records(tenant, from, to)
    }
}
