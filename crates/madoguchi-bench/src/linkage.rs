//! `cargo xtask bench linkage`: a delta of 1,000 changes from the moment its file lands in the exchange
//! (end-trigger written) until the changes are searchable, with the linkage job polling every second,
//! on the 1,000,000-resident database. Baseline: the same 1,000 changes imported directly (the
//! importer's own time, no polling, no exchange).

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use madoguchi_core::ids::AtenaNo;
use madoguchi_objects::{Exchange, ObjectsConfig};
use madoguchi_server::import::{CsvEncoding, ImportOptions, import_residents, sha256_hex};
use madoguchi_server::linkage::Job;
use madoguchi_store::{ImportCounts, ImportMode, LinkageFile, LinkageOutcome, Store};
use madoguchi_store_sqlite::SqliteStore;

use crate::fixture::{reference_date, tenant};
use crate::report::ms;

const CHANGES: usize = 1000;
const RUNS: usize = 5;

/// A delta of `CHANGES` rows taken from the full file (rows `offset..`), each with a new 氏名 marked by
/// `tag`; returns the file and the 宛名番号 of its last row.
fn delta(full_csv: &Path, offset: usize, tag: &str) -> anyhow::Result<(String, String)> {
    let mut rdr = csv::Reader::from_path(full_csv)?;
    let headers = rdr.headers()?.clone();
    let name_col = headers
        .iter()
        .position(|h| h == "氏名")
        .ok_or_else(|| anyhow::anyhow!("no 氏名 column"))?;
    let atena_col = headers
        .iter()
        .position(|h| h == "宛名番号")
        .ok_or_else(|| anyhow::anyhow!("no 宛名番号 column"))?;
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&headers)?;
    let mut last = String::new();
    for (i, rec) in rdr.records().skip(offset).take(CHANGES).enumerate() {
        let rec = rec?;
        let mut fields: Vec<String> = rec.iter().map(str::to_owned).collect();
        fields[name_col] = format!("連携{tag}\u{3000}{i}");
        last = fields[atena_col].clone();
        w.write_record(&fields)?;
    }
    Ok((String::from_utf8(w.into_inner()?)?, last))
}

pub fn bench_linkage(search_db: &Path, full_csv: &Path) -> anyhow::Result<()> {
    let dir = crate::fixture::work_dir()?.join("linkage");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let db = dir.join("db.sqlite3");
    std::fs::copy(search_db, &db)?;
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&db)?);
    let t = tenant();
    // The population came in as 連番 1 (a full load).
    store.record_linkage_file(
        &t,
        &LinkageFile {
            feed: "001o006".into(),
            name: "full_000001.csv".into(),
            sequence: 1,
            mode: ImportMode::Full,
            sha256: String::new(),
            size: 0,
            outcome: LinkageOutcome::Applied,
            rows: store.count_residents(&t)?,
            counts: ImportCounts::default(),
            problems: 0,
            message: None,
            finished_at: chrono::Utc::now(),
        },
    )?;
    let exchange = Exchange::open(&ObjectsConfig::local(&dir.join("exchange")))?;
    let job = Arc::new(Job::new(
        store.clone(),
        exchange.clone(),
        vec![t.clone()],
        1,
    ));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    rt.spawn(job.clone().run(async move {
        let _ = stop_rx.await;
    }));

    let mut landed_to_searchable = Vec::new();
    let mut direct = Vec::new();
    for run in 0..RUNS {
        // End to end through the exchange and the polling job.
        let seq = 2 + run;
        let tag = format!("{}", (b'A' + run as u8) as char);
        let (text, last) = delta(full_csv, run * 2 * CHANGES, &tag)?;
        let key = format!("{}/inbound/001o006/delta_{seq:06}.csv", t.as_str());
        rt.block_on(exchange.write(&key, text.clone().into_bytes()))?;
        let landed = Instant::now();
        rt.block_on(exchange.write(&format!("{key}.end"), Vec::new()))?;
        let want = format!("連携{tag}\u{3000}{}", CHANGES - 1);
        let atena = AtenaNo::parse(&last).map_err(|e| anyhow::anyhow!("{e:?}"))?;
        loop {
            let r = store.get_resident(&t, &atena)?;
            if r.is_some_and(|r| r.name.full == want) {
                break;
            }
            anyhow::ensure!(
                landed.elapsed() < Duration::from_secs(120),
                "the delta never became searchable"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
        landed_to_searchable.push(landed.elapsed());
        let hits = store.search_residents(
            &t,
            &madoguchi_store::ResidentQuery {
                name: Some(madoguchi_core::text::search_key(&format!("連携{tag}"))),
                limit: 2 * CHANGES,
                ..Default::default()
            },
        )?;
        anyhow::ensure!(
            hits.len() == CHANGES,
            "all {CHANGES} changes searchable ({} found)",
            hits.len()
        );

        // Baseline: another 1,000 rows imported directly.
        let (text, _) = delta(full_csv, run * 2 * CHANGES + CHANGES, &format!("{tag}d"))?;
        let opts = ImportOptions {
            audit: None,
            mode: ImportMode::Delta,
            encoding: CsvEncoding::Utf8,
            skip_invalid: false,
            today: reference_date(),
            source_name: "bench-delta.csv".into(),
            sha256: sha256_hex(text.as_bytes())?,
        };
        let started = Instant::now();
        import_residents(store.as_ref(), &t, text.as_bytes(), &opts)?;
        direct.push(started.elapsed());
    }
    let _ = stop_tx.send(());
    landed_to_searchable.sort();
    direct.sort();
    let median = |v: &[Duration]| v[v.len() / 2];
    let e2e = median(&landed_to_searchable);
    let base = median(&direct);
    println!(
        "linkage delta of {CHANGES} changes on {} residents ({RUNS} runs, polling every 1 s)",
        store.count_residents(&t)?
    );
    println!(
        "  landed → searchable: median {:.0} ms, max {:.0} ms (goal < 2,000 ms)",
        ms(e2e),
        ms(*landed_to_searchable.last().unwrap_or(&Duration::ZERO))
    );
    println!(
        "  baseline, the same size of delta imported directly: median {:.0} ms",
        ms(base)
    );
    println!(
        "  ratio {:.2}×",
        e2e.as_secs_f64() / base.as_secs_f64().max(1e-9)
    );
    Ok(())
}
