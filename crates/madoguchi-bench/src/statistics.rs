//! `cargo xtask bench statistics`: issue 20's 統計 dashboard on one year of cases (350,000, about 960
//! a day between 8:30 and 17:15 JST, 2025-12-08 to 2026-12-07, one certificate issued for each case
//! that asked for one — about 117,000) — `GET /api/v1/admin/statistics` through the real router
//! (session, guard, the case summary and certificates of the period, the comparison periods, the audit
//! record) for this month so far, last month and this year so far, on SQLite and then on a throwaway
//! PostgreSQL (`madoguchi_testkit::throwaway`, Debian's binaries).
//! Baseline in the same run on the same database: a naive GROUP BY over the raw `cases` table for the
//! same period (by day, hour, counter and staff, and procedures through the JSON of the stored
//! document) — what a BI tool pointed at the database would run.
//!
//! The cases are written straight into the table (the store's own `save_case` would take an audit
//! record per case and minutes) and listed as not yet counted, as migration 0025/0016 lists a city's
//! existing cases: the first call counts them (the one-time backfill, timed apart).
//! This module is the SQLite half and what both share; the PostgreSQL half is the example
//! `statistics_pg`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::bail;
use axum::Router;
use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use madoguchi_core::case_document::{CaseDocument, stored};
use madoguchi_server::AppState;
use madoguchi_server::api::router;
use madoguchi_store::Store;
use madoguchi_store_sqlite::SqliteStore;
use rusqlite::Connection;
use serde_json::json;

use crate::http::{COUNTER, call, ensure_staff, get, login_as, runtime, settings};
use crate::report::{machine, ms, percentile};

/// Cases in the year.
const CASES: usize = 350_000;
/// Timed calls per period (each way).
const RUNS: usize = 15;
/// The last day of the generated year.
const LAST_DAY: (i32, u32, u32) = (2026, 12, 7);
/// The periods measured.
const PERIODS: [(&str, &str, &str); 3] = [
    ("this month so far", "2026-12-01", "2026-12-07"),
    ("last month", "2026-11-01", "2026-11-30"),
    ("this year so far", "2026-01-01", "2026-12-07"),
];

/// A few realistic stored documents: a 転入 with its procedures, a 転居, a certificate request.
pub fn documents() -> anyhow::Result<Vec<String>> {
    let procedure = |code: &str, name: &str| {
        json!({"code": code, "name": name, "counter": "市民課", "on_the_spot": true, "state": "pending",
               "reasons": ["市外から引っ越したため"], "forms": ["ido-todoke"]})
    };
    let notification = |kind: &str| {
        json!([{"kind": kind, "event_date": "2026-11-20", "old_address": "群馬県さくら野市本町一丁目1番1号",
                "head_name": "髙橋　太郎",
                "new_address": {"town": "本町二丁目", "banchi": "3番4号", "full": "群馬県さくら野市本町二丁目3番4号"},
                "members": [{"atena_no": "000000000000019", "name": "髙橋　太郎", "kana": "タカハシ　タロウ",
                    "facts": {"birth": "1975-01-01", "sex": "男", "relation": "世帯主", "mover": true, "kokuho": true}}]}])
    };
    let visitor = json!({"kind": "本人", "atena_no": "000000000000019", "name": "髙橋　太郎", "id_document": "マイナンバーカード"});
    let docs = [
        json!({"visitor": visitor, "notifications": notification("転入"), "procedures": [
            procedure("JUKI-TENNYU", "転入届"), procedure("KOKUHO-KANYU", "国民健康保険 加入"),
            procedure("JIDOU-TEATE", "児童手当 認定請求"), procedure("MYNUMBER-TENNYU", "マイナンバーカード 継続利用")]}),
        json!({"visitor": visitor, "notifications": notification("転居"), "procedures": [
            procedure("JUKI-TENKYO", "転居届"), procedure("KOKUHO-JUSHO", "国民健康保険 住所変更")]}),
        json!({"visitor": visitor, "certificates": [{"item": "JUMINHYO", "copies": 1}]}),
    ];
    docs.into_iter()
        .map(|d| Ok(stored::write(&serde_json::from_value::<CaseDocument>(d)?)))
        .collect()
}

/// The index of the certificate request in [`documents`].
pub const CERTIFICATE_DOC: usize = 2;

/// One generated case.
pub struct Generated {
    pub n: usize,
    pub closed: bool,
    pub opened: DateTime<Utc>,
    pub updated: DateTime<Utc>,
    pub staff: String,
    pub counter: String,
    pub doc: usize,
}

/// A small deterministic generator (xorshift).
fn next(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

/// The year of cases, oldest first.
pub fn generate(docs: usize) -> impl Iterator<Item = Generated> {
    let last = NaiveDate::from_ymd_opt(LAST_DAY.0, LAST_DAY.1, LAST_DAY.2).unwrap_or_default();
    let first = last - chrono::Duration::days(364);
    let mut state = 0x2026_1207_u64;
    (0..CASES).map(move |n| {
        let day = first + chrono::Duration::days((n * 365 / CASES) as i64);
        let midnight = Utc.from_utc_datetime(&day.and_hms_opt(0, 0, 0).unwrap_or_default())
            - chrono::Duration::hours(9);
        let r = next(&mut state);
        let opened = midnight + chrono::Duration::seconds(30_600 + (r % 31_500) as i64);
        let closed = !r.is_multiple_of(4);
        Generated {
            n,
            closed,
            opened,
            updated: opened
                + chrono::Duration::minutes(if closed { (r >> 20) as i64 % 90 } else { 0 }),
            staff: format!("staff{:02}", (r >> 8) % 40),
            counter: if (r >> 16).is_multiple_of(10) {
                "kiosk".to_owned()
            } else {
                format!("{COUNTER}-{}", (r >> 24) % 8)
            },
            doc: (r >> 32) as usize % docs,
        }
    })
}

pub fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Writes the year of cases and certificates into SQLite's tables, the cases listed as not counted.
fn fill_sqlite(c: &mut Connection) -> anyhow::Result<()> {
    let docs = documents()?;
    let tx = c.transaction()?;
    {
        let mut case = tx.prepare(
            "INSERT INTO cases (tenant_id, id, revision, status, title, opened_at, opened_by,
                opened_counter, updated_at, updated_by, updated_counter, document)
             VALUES ('bench', ?1, 1, ?2, '転入', ?3, ?4, ?5, ?6, ?4, ?5, ?7)",
        )?;
        let mut cert = tx.prepare(
            "INSERT INTO certificates (tenant_id, issue_no, fiscal_year, serial, write_id, seq, case_id,
                item, template, subjects, snapshot, digest, qr, place, issued_by, issued_at)
             VALUES ('bench', ?1, 2026, ?2, ?3, 1, ?3, 'JUMINHYO', 'juminhyo', '000000000000019', '{}',
                 '', '', ?4, ?5, ?6)",
        )?;
        for g in generate(docs.len()) {
            let id = format!("bench-case-{:07}", g.n);
            case.execute(rusqlite::params![
                id,
                if g.closed { "closed" } else { "open" },
                ts(g.opened),
                g.staff,
                g.counter,
                ts(g.updated),
                &docs[g.doc],
            ])?;
            if g.doc == CERTIFICATE_DOC {
                let issued = ts(g.opened + chrono::Duration::minutes(5));
                cert.execute(rusqlite::params![
                    format!("R{:07}", g.n),
                    g.n as i64,
                    id,
                    g.counter,
                    g.staff,
                    issued
                ])?;
            }
        }
    }
    tx.execute_batch(
        "INSERT INTO case_summary_pending (case_rowid, tenant_id) SELECT rowid, tenant_id FROM cases",
    )?;
    tx.commit()?;
    Ok(())
}

/// The naive GROUP BY of the period on SQLite's raw table: what the dashboard shows, straight in SQL.
fn naive_sqlite(c: &Connection, (from, to): (&str, &str)) -> anyhow::Result<usize> {
    let mut rows = 0;
    for sql in [
        "SELECT substr(opened_at, 1, 10), count(*) FROM cases WHERE tenant_id = 'bench' AND opened_at >= ?1 AND opened_at < ?2 GROUP BY 1",
        "SELECT substr(opened_at, 12, 2), count(*) FROM cases WHERE tenant_id = 'bench' AND opened_at >= ?1 AND opened_at < ?2 GROUP BY 1",
        "SELECT opened_counter, count(*) FROM cases WHERE tenant_id = 'bench' AND opened_at >= ?1 AND opened_at < ?2 GROUP BY 1",
        "SELECT opened_by, count(*) FROM cases WHERE tenant_id = 'bench' AND opened_at >= ?1 AND opened_at < ?2 GROUP BY 1",
        "SELECT json_extract(p.value, '$.code'), count(*) FROM cases, json_each(cases.document, '$.procedures') p
         WHERE tenant_id = 'bench' AND opened_at >= ?1 AND opened_at < ?2 GROUP BY 1",
    ] {
        let mut stmt = c.prepare_cached(sql)?;
        rows += stmt.query_map([from, to], |r| r.get::<_, i64>(1))?.count();
    }
    Ok(rows)
}

fn p(times: &mut [Duration]) -> (f64, f64) {
    times.sort();
    (ms(percentile(times, 0.50)), ms(percentile(times, 0.99)))
}

/// The UTC bounds of a period of Japan-time days, as stored text.
pub fn bounds(from: &str, to: &str) -> anyhow::Result<(DateTime<Utc>, DateTime<Utc>)> {
    Ok((
        madoguchi_server::audit::jst_midnight(from.parse()?),
        madoguchi_server::audit::jst_midnight(to.parse::<NaiveDate>()? + chrono::Duration::days(1)),
    ))
}

/// The baseline of one period on one backend.
pub type Naive<'a> = dyn FnMut(DateTime<Utc>, DateTime<Utc>) -> anyhow::Result<()> + 'a;

/// The first call (counting the pending cases), then every period timed against the baseline.
pub fn measure(backend: &str, store: Arc<dyn Store>, naive: &mut Naive<'_>) -> anyhow::Result<()> {
    let app: Router = router(AppState::new(store, settings()));
    let rt = runtime()?;
    let token = rt.block_on(login_as(&app, "bench"))?;
    let once = |uri: &str| -> anyhow::Result<serde_json::Value> {
        let (s, body) = rt.block_on(call(&app, get(uri, &token)))?;
        if s != StatusCode::OK {
            bail!("{uri}: {s} {}", String::from_utf8_lossy(&body));
        }
        Ok(serde_json::from_slice(&body)?)
    };
    let t = Instant::now();
    once("/api/v1/admin/statistics?from=2026-12-07&to=2026-12-07")?;
    println!(
        "{backend}: first call, counting the {CASES} pending cases (one-time backfill): {:.1} s",
        t.elapsed().as_secs_f64()
    );
    println!(
        "| backend | period | cases | route p50 / p99 | naive GROUP BY p50 / p99 | ratio (p99) |"
    );
    println!("| --- | --- | --- | --- | --- | --- |");
    for (name, from, to) in PERIODS {
        let uri = format!("/api/v1/admin/statistics?from={from}&to={to}");
        let (start, end) = bounds(from, to)?;
        let (mut route, mut base) = (Vec::new(), Vec::new());
        let mut total = 0;
        for _ in 0..RUNS {
            let t = Instant::now();
            let v = once(&uri)?;
            route.push(t.elapsed());
            total = v["total"].as_u64().unwrap_or(0);
            let t = Instant::now();
            naive(start, end)?;
            base.push(t.elapsed());
        }
        let ((r50, r99), (b50, b99)) = (p(&mut route), p(&mut base));
        println!(
            "| {backend} | {name} ({from}..{to}) | {total} | {r50:.1} / {r99:.1} ms | {b50:.1} / {b99:.1} ms | {:.2}× |",
            r99 / b99
        );
    }
    Ok(())
}

fn bench_sqlite() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("statistics.sqlite3");
    let store = Arc::new(SqliteStore::open(&db)?);
    ensure_staff(store.as_ref())?;
    let t0 = Instant::now();
    fill_sqlite(&mut Connection::open(&db)?)?;
    println!(
        "SQLite: {CASES} cases written in {:.1} s",
        t0.elapsed().as_secs_f64()
    );
    let raw = Connection::open(&db)?;
    measure("SQLite", store, &mut |from, to| {
        naive_sqlite(&raw, (&ts(from), &ts(to))).map(|_| ())
    })
}

/// The SQLite half (the PostgreSQL half is the example `statistics_pg`; `cargo xtask bench
/// statistics` runs both).
pub fn bench_statistics() -> anyhow::Result<()> {
    println!("machine: {}", machine());
    bench_sqlite()
}
