//! `cargo xtask bench arrivals`: the evening preparation of 200 転入予約 (issue 21 point 5) — for each,
//! 手続きナビ for the household's 転入, the case stored once, every form the case prints rendered once —
//! against preparing 1 reservation in the same run on the same store (after a warm-up that loads the
//! fonts). The reservations arrive as a `tenshutsu` file through the feed's reader and the store's
//! import, as the linkage job applies them. Goal: the 200 in under 60 s.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use madoguchi_server::AppState;
use madoguchi_server::arrivals::{Actor, Outcome, prepare_day};
use madoguchi_store::{ImportMeta, ImportMode, TenantId};
use madoguchi_store_sqlite::SqliteStore;

use crate::report::{machine, ms};

const RESERVATIONS: usize = 200;
const GOAL: Duration = Duration::from_secs(60);

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, d).unwrap_or_default()
}

/// A `tenshutsu` file: `n` households of 1–5 members (a head, a spouse, children of school ages)
/// expected on `visit`, numbered from `first`.
fn feed(first: usize, n: usize, visit: NaiveDate) -> String {
    let mut out = String::from(
        "通知番号,転出元住所,転出予定日,転入予定地,来庁予定日,世帯主,氏名,フリガナ,生年月日,性別,続柄,国保,国民年金\n",
    );
    for h in first..first + n {
        let head = format!("試験{h}\u{3000}太郎");
        let members = 1 + h % 5;
        for m in 0..members {
            let (name, birth, sex, relation, pension) = match m {
                0 => (
                    head.clone(),
                    format!("{}-04-12", 1960 + h % 30),
                    "男",
                    "世帯主",
                    "1号",
                ),
                1 => (
                    format!("試験{h}\u{3000}花子"),
                    format!("{}-09-03", 1962 + h % 30),
                    "女",
                    "妻",
                    "3号",
                ),
                _ => (
                    format!("試験{h}\u{3000}子{m}"),
                    format!("{}-06-20", 2008 + m + h % 8),
                    "男",
                    "子",
                    "",
                ),
            };
            out.push_str(&format!(
                "T-BENCH-{h:04},東京都世田谷区太子堂二丁目{}番8号,2026-12-01,さくら野市本町一丁目1番地,{visit},{head},{name},シケン,{birth},{sex},{relation},1,{pension}\n",
                h % 20 + 1
            ));
        }
    }
    out
}

fn import(store: &dyn madoguchi_store::Store, tenant: &TenantId, text: &str) -> anyhow::Result<()> {
    let parsed = madoguchi_server::linkage::tenshutsu::notices(text, ImportMode::Full)
        .map_err(|p| anyhow::anyhow!("bench feed refused: {}", p.message))?;
    if let Some(p) = parsed.problems.first() {
        anyhow::bail!("bench feed row refused: {p:?}");
    }
    let (moves, changes) =
        madoguchi_server::linkage::tenshutsu::changes(&parsed.items, chrono::Utc::now())?;
    let meta = ImportMeta {
        mode: ImportMode::Full,
        sha256: madoguchi_server::import::sha256_hex(text.as_bytes())?,
        source_name: "bench tenshutsu".into(),
        started_at: chrono::Utc::now(),
        audit: None,
    };
    store.import_arrivals(tenant, &meta, &moves, &changes)?;
    Ok(())
}

/// Prepares `day`'s reservations: the time, and how many prepared, forms rendered and problems.
fn timed(
    state: &AppState,
    tenant: &TenantId,
    d: NaiveDate,
) -> anyhow::Result<(Duration, usize, usize)> {
    let started = Instant::now();
    let done =
        prepare_day(state, tenant, d, Actor::Job).map_err(|e| anyhow::anyhow!("{}", e.code()))?;
    let took = started.elapsed();
    let mut forms = 0;
    for (notice, o) in &done {
        match o {
            Outcome::Prepared { forms: f, .. } => forms += f,
            Outcome::Problem(p) => anyhow::bail!("{notice} not prepared: {p}"),
        }
    }
    Ok((took, done.len(), forms))
}

pub fn bench_arrivals() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let store: Arc<dyn madoguchi_store::Store> =
        Arc::new(SqliteStore::open(&dir.path().join("arrivals.sqlite3"))?);
    let tenant = TenantId("bench".into());
    store.ensure_tenant(&tenant, "さくら野市")?;
    import(store.as_ref(), &tenant, &feed(0, 1, day(6)))?;
    import(store.as_ref(), &tenant, &feed(1, 1, day(7)))?;
    import(store.as_ref(), &tenant, &feed(2, RESERVATIONS, day(8)))?;
    let state = AppState::new(store.clone(), madoguchi_server::config::Settings::default());
    let (warm, _, _) = timed(&state, &tenant, day(6))?;
    let (one, _, one_forms) = timed(&state, &tenant, day(7))?;
    let (all, n, forms) = timed(&state, &tenant, day(8))?;
    let per = all / u32::try_from(n.max(1))?;
    println!(
        "arrivals: the evening preparation of {n} 転入予約 (手続きナビ, the case, every form rendered once)"
    );
    println!("  machine: {}", machine());
    println!("  warm-up (fonts loaded): {:.0} ms", ms(warm));
    println!(
        "  baseline, 1 reservation: {:.0} ms ({one_forms} forms)",
        ms(one)
    );
    println!(
        "  {n} reservations: {:.0} ms ({forms} forms), {:.0} ms each",
        ms(all),
        ms(per)
    );
    println!(
        "  ratio per reservation to the baseline: {:.2}",
        per.as_secs_f64() / one.as_secs_f64().max(1e-9)
    );
    println!(
        "  goal < {} s: {}",
        GOAL.as_secs(),
        if all < GOAL { "met" } else { "NOT met" }
    );
    Ok(())
}
