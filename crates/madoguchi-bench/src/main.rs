//! Benchmarks run by `cargo xtask bench search|import|audit|login|forms|form-preview|navigation|arrivals`. Each figure is reported with a baseline
//! measured in the same run on the same data, and the ratio between them.
//!
//! Phases that need a clean peak-memory figure run in a child process of this same binary.

use madoguchi_store::prelude::*;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use chrono::NaiveDate;
use madoguchi_core::text::search_key;
use madoguchi_server::import::{CsvEncoding, ImportOptions, import_residents, sha256_hex};
use madoguchi_store::{ImportMode, ResidentQuery};
use madoguchi_store_sqlite::SqliteStore;
use rusqlite::Connection;

use fixture::{reference_date, tenant, work_dir};
use report::{machine, ms, percentile};

const SEED: u64 = 20_261_123;
/// Queries per kind through the store, and through the naive scan baseline.
const QUERIES: usize = 1000;
const NAIVE_QUERIES: usize = 200;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let residents = args
        .iter()
        .position(|a| a == "--residents")
        .and_then(|i| args.get(i + 1))
        .map(|n| n.parse::<usize>())
        .transpose()?
        .unwrap_or(1_000_000);
    match args.first().map(String::as_str) {
        Some("import") => bench_import(residents),
        Some("search") => bench_search(residents),
        Some("audit") => http::bench_audit(&search_db(residents)?, &probes_for(residents)?),
        Some("gate") => gate::bench_gate(&search_db(residents)?, &probes_for(residents)?),
        Some("login") => http::bench_login(),
        Some("certificate") => certificate::bench_certificate(&search_db(residents)?),
        Some("forms") => forms::bench_forms(),
        Some("form-preview") => form_preview::bench_form_preview(),
        Some("navigation") => navigation::bench_navigation(),
        Some("qr") => qr::bench_qr(),
        Some("statistics") => statistics::bench_statistics(),
        Some("arrivals") => arrivals::bench_arrivals(),
        Some("linkage") => linkage::bench_linkage(&search_db(residents)?, &csv_file(residents)?),
        Some("phase-import") => phase_import(Path::new(&args[1]), Path::new(&args[2])),
        Some("phase-baseline") => phase_baseline(Path::new(&args[1]), Path::new(&args[2])),
        Some("phase-baseline-schema") => {
            phase_baseline_schema(Path::new(&args[1]), Path::new(&args[2]))
        }
        _ => bail!(
            "usage: madoguchi-bench import|search|audit|gate|login|forms|form-preview|navigation|qr|linkage|statistics|arrivals [--residents N]"
        ),
    }
}

use madoguchi_bench::{fixture, http, report, statistics};

mod arrivals;
mod certificate;
mod form_preview;
mod forms;
mod gate;
mod linkage;
mod navigation;
mod qr;

/// Kana prefixes of real rows of the search database, for the HTTP benchmarks.
fn probes_for(residents: usize) -> anyhow::Result<Vec<String>> {
    let raw = Connection::open(search_db(residents)?)?;
    Ok(probes(&raw, QUERIES)?
        .into_iter()
        .map(|p| p.kana_prefix)
        .collect())
}

/// The demo-city CSV for `residents`, generated once per size and seed.
fn csv_file(residents: usize) -> anyhow::Result<PathBuf> {
    let path = work_dir()?.join(format!("residents-{residents}-{SEED}.csv"));
    if !path.exists() {
        let started = Instant::now();
        let tmp = path.with_extension("tmp");
        let mut w = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&tmp)?);
        madoguchi_demo_city::write_csv(
            &mut w,
            &madoguchi_demo_city::Options {
                residents,
                seed: SEED,
                reference_date: reference_date(),
            },
        )?;
        std::io::Write::flush(&mut w)?;
        drop(w);
        std::fs::rename(&tmp, &path)?;
        eprintln!(
            "generated {residents} residents in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }
    Ok(path)
}

fn fresh_db(name: &str) -> anyhow::Result<PathBuf> {
    let path = work_dir()?.join(name);
    for ext in ["", "-wal", "-shm"] {
        let p = PathBuf::from(format!("{}{ext}", path.display()));
        if p.exists() {
            std::fs::remove_file(p)?;
        }
    }
    Ok(path)
}

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

/// Runs a phase in a child process; returns (seconds, peak RSS in KiB).
fn child(phase: &str, csv: &Path, db: &Path) -> anyhow::Result<(f64, u64)> {
    let out = Command::new(std::env::current_exe()?)
        .arg(phase)
        .arg(csv)
        .arg(db)
        .output()?;
    if !out.status.success() {
        bail!("{phase} failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    let s = String::from_utf8(out.stdout)?;
    let mut it = s.split_whitespace();
    let secs: f64 = it.next().context("no time")?.parse()?;
    let rss: u64 = it.next().context("no rss")?.parse()?;
    Ok((secs, rss))
}

/// Our import: validation, normalisation, search keys, indexes, one transaction.
fn phase_import(csv: &Path, db: &Path) -> anyhow::Result<()> {
    let store = SqliteStore::open(db)?;
    store.ensure_tenant(&tenant(), "bench")?;
    let started = Instant::now();
    let opts = ImportOptions {
        audit: None,
        mode: ImportMode::Full,
        encoding: CsvEncoding::Utf8,
        skip_invalid: false,
        today: reference_date(),
        source_name: "bench".into(),
        sha256: sha256_hex(std::io::BufReader::new(std::fs::File::open(csv)?))?,
    };
    let report = import_residents(&store, &tenant(), std::fs::File::open(csv)?, &opts)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    if report.rows_rejected > 0 || report.inserted == 0 {
        bail!("import rejected rows: {:?}", report.problems.first());
    }
    println!("{} {}", started.elapsed().as_secs_f64(), peak_rss_kib());
    Ok(())
}

/// Baseline: the same rows inserted as plain text into a plain table, no validation, no index.
fn phase_baseline(csv: &Path, db: &Path) -> anyhow::Result<()> {
    let mut c = Connection::open(db)?;
    c.pragma_update(None, "journal_mode", "WAL")?;
    c.pragma_update(None, "synchronous", "FULL")?;
    let started = Instant::now();
    let mut rdr = csv::ReaderBuilder::new().from_path(csv)?;
    let cols = rdr.headers()?.len();
    let names: Vec<String> = (0..cols).map(|i| format!("c{i}")).collect();
    c.execute_batch(&format!(
        "CREATE TABLE plain ({})",
        names.join(" TEXT, ") + " TEXT"
    ))?;
    let tx = c.transaction()?;
    {
        let placeholders: Vec<String> = (1..=cols).map(|i| format!("?{i}")).collect();
        let mut stmt = tx.prepare(&format!(
            "INSERT INTO plain VALUES ({})",
            placeholders.join(", ")
        ))?;
        let mut rec = csv::StringRecord::new();
        while rdr.read_record(&mut rec)? {
            stmt.execute(rusqlite::params_from_iter(rec.iter()))?;
        }
    }
    tx.commit()?;
    println!("{} {}", started.elapsed().as_secs_f64(), peak_rss_kib());
    Ok(())
}

/// Second baseline: the same rows into the store's own schema (table, indexes, FTS index, merged as the
/// store merges it), straight from the CSV strings with no parsing, validation or normalisation. The difference to our import is
/// what validation and normalisation cost.
fn phase_baseline_schema(csv: &Path, db: &Path) -> anyhow::Result<()> {
    drop(SqliteStore::open(db)?); // creates the schema
    let mut c = Connection::open(db)?;
    c.pragma_update(None, "journal_mode", "WAL")?;
    c.pragma_update(None, "synchronous", "FULL")?;
    c.pragma_update(None, "cache_size", -262_144)?;
    c.execute(
        "INSERT INTO tenants (id, name, created_at) VALUES ('bench', 'bench', '')",
        [],
    )?;
    let started = Instant::now();
    let mut rdr = csv::ReaderBuilder::new().from_path(csv)?;
    let header: Vec<String> = rdr.headers()?.iter().map(str::to_owned).collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap_or(0);
    let (atena, household, name, kana, birth) = (
        col("宛名番号"),
        col("世帯番号"),
        col("氏名"),
        col("氏名_フリガナ"),
        col("生年月日"),
    );
    let (town, banchi, kp) = (col("住所_町字"), col("住所_番地号表記"), col("住所_方書"));
    let spaced = |s: &str| s.chars().map(String::from).collect::<Vec<_>>().join(" ");
    let tx = c.transaction()?;
    {
        let mut ins = tx.prepare(
            "INSERT INTO residents (tenant_id, atena_no, household_no, kind, status, full_name, kana, birth_date, sex,
             relation, city_code, prefecture, city, town, banchi, katagaki, support_measure, kana_key, row_hash, import_seq)
             VALUES ('bench', ?1, ?2, 1, 1, ?3, ?4, ?5, 1, '世帯主', '102997', '群馬県', 'さくら野市', ?6, ?7, ?8, 0, ?4, 0, 1)",
        )?;
        let mut fts = tx.prepare(
            "INSERT INTO residents_fts (rowid, names, kana, address) VALUES (?1, ?2, ?3, ?4)",
        )?;
        let mut rec = csv::StringRecord::new();
        while rdr.read_record(&mut rec)? {
            ins.execute(rusqlite::params![
                &rec[atena],
                &rec[household],
                &rec[name],
                &rec[kana],
                &rec[birth],
                &rec[town],
                &rec[banchi],
                &rec[kp]
            ])?;
            let id = tx.last_insert_rowid();
            let address = format!("{}{}{}", &rec[town], &rec[banchi], &rec[kp]);
            fts.execute(rusqlite::params![
                id,
                spaced(&rec[name]),
                spaced(&rec[kana]),
                spaced(&address)
            ])?;
        }
    }
    tx.execute(
        "INSERT INTO residents_fts (residents_fts) VALUES ('optimize')",
        [],
    )?;
    tx.commit()?;
    println!("{} {}", started.elapsed().as_secs_f64(), peak_rss_kib());
    Ok(())
}

fn bench_import(residents: usize) -> anyhow::Result<()> {
    let csv = csv_file(residents)?;
    let size_mb = std::fs::metadata(&csv)?.len() as f64 / 1e6;
    let (ours, ours_rss) = child("phase-import", &csv, &fresh_db("import-ours.sqlite3")?)?;
    let (base, base_rss) = child(
        "phase-baseline",
        &csv,
        &fresh_db("import-baseline.sqlite3")?,
    )?;
    let (schema, _) = child(
        "phase-baseline-schema",
        &csv,
        &fresh_db("import-baseline-schema.sqlite3")?,
    )?;
    println!("machine: {}", machine());
    println!("file: {residents} rows, {size_mb:.0} MB");
    println!("| figure | value | baseline | ratio |");
    println!("| --- | --- | --- | --- |");
    println!(
        "| import {residents} rows (full, 1 transaction) | {ours:.1} s ({:.0} rows/s) | plain bulk insert, no validation: {base:.1} s | {:.2}× (goal ≤ 2×) |",
        residents as f64 / ours,
        ours / base
    );
    println!(
        "| import {residents} rows, same schema | {ours:.1} s | same tables, indexes and FTS index, no validation or normalisation: {schema:.1} s | {:.2}× |",
        ours / schema
    );
    println!(
        "| import peak memory (RSS) | {:.0} MiB | baseline {:.0} MiB | {:.2}× |",
        ours_rss as f64 / 1024.0,
        base_rss as f64 / 1024.0,
        ours_rss as f64 / base_rss.max(1) as f64
    );
    Ok(())
}

/// The search database for `residents`, imported once and reused.
fn search_db(residents: usize) -> anyhow::Result<PathBuf> {
    let path = work_dir()?.join(format!(
        "search-{residents}-{SEED}-v{}.sqlite3",
        madoguchi_store_sqlite::MIGRATIONS.len()
    ));
    if !path.exists() {
        let csv = csv_file(residents)?;
        let tmp = fresh_db("search-building.sqlite3")?;
        let (secs, _) = child("phase-import", &csv, &tmp)?;
        eprintln!("imported {residents} residents for the search benchmark in {secs:.1} s");
        std::fs::rename(&tmp, &path)?;
    }
    Ok(path)
}

struct Probe {
    kana_prefix: String,
    kanji_part: String,
    birth: NaiveDate,
}

/// Deterministic sample of real rows to search for.
fn probes(c: &Connection, n: usize) -> anyhow::Result<Vec<Probe>> {
    let total: i64 = c.query_row("SELECT max(id) FROM residents", [], |r| r.get(0))?;
    let mut out = Vec::with_capacity(n);
    let mut stmt = c.prepare("SELECT kana, full_name, birth_date FROM residents WHERE id >= ?1 AND kana IS NOT NULL LIMIT 1")?;
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    while out.len() < n {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let id = (x % total.max(1) as u64) as i64 + 1;
        let row: Option<(String, String, Option<String>)> = stmt
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .ok();
        let Some((kana, name, birth)) = row else {
            continue;
        };
        let Some(birth) = birth.and_then(|b| NaiveDate::parse_from_str(&b, "%Y-%m-%d").ok()) else {
            continue;
        };
        // Two adjacent characters inside the surname or the given name (never across the space, so
        // the naive LIKE on the stored 氏名 can find them too): a partial match.
        let parts: Vec<Vec<char>> = name
            .split(['\u{3000}', ' '])
            .map(|p| p.chars().collect())
            .collect();
        let Some(part) = parts
            .iter()
            .filter(|p| p.len() >= 2)
            .nth((x as usize / 7) % 2)
            .or(parts.iter().find(|p| p.len() >= 2))
        else {
            continue;
        };
        let start = (x as usize / 11) % (part.len() - 1);
        let kanji_part: String = part[start..start + 2].iter().collect();
        let kana_prefix: String = kana.chars().take(3).collect();
        out.push(Probe {
            kana_prefix,
            kanji_part,
            birth,
        });
    }
    Ok(out)
}

fn time_all<T>(
    items: &[T],
    mut f: impl FnMut(&T) -> anyhow::Result<usize>,
) -> anyhow::Result<(Vec<Duration>, usize)> {
    let mut times = Vec::with_capacity(items.len());
    let mut hits = 0;
    for it in items {
        let t = Instant::now();
        hits += f(it)?;
        times.push(t.elapsed());
    }
    times.sort();
    Ok((times, hits))
}

fn bench_search(residents: usize) -> anyhow::Result<()> {
    let db = search_db(residents)?;
    let store = SqliteStore::open(&db)?;
    let raw = Connection::open(&db)?;
    let probes = probes(&raw, QUERIES)?;
    let t = tenant();
    let limit = 20usize;
    println!("machine: {}", machine());
    println!(
        "residents: {}, queries per kind: {} (naive baseline: first {NAIVE_QUERIES}), limit {limit}",
        store.count_residents(&t)?,
        probes.len()
    );
    println!("| figure | p50 | p99 | naive LIKE scan p50 / p99 | ratio (p99) |");
    println!("| --- | --- | --- | --- | --- |");

    type Naive = (&'static str, fn(&Probe) -> String);
    type Kind = (&'static str, fn(&Probe) -> ResidentQuery, Naive);
    let kinds: [Kind; 3] = [
        (
            "name-kana prefix",
            |p| ResidentQuery {
                kana: Some(search_key(&p.kana_prefix)),
                limit: 20,
                ..Default::default()
            },
            ("kana LIKE ?", |p| format!("{}%", p.kana_prefix)),
        ),
        (
            "kanji partial",
            |p| ResidentQuery {
                name: Some(search_key(&p.kanji_part)),
                limit: 20,
                ..Default::default()
            },
            ("full_name LIKE ?", |p| format!("%{}%", p.kanji_part)),
        ),
        (
            "birth date",
            |p| ResidentQuery {
                birth: Some(p.birth),
                limit: 20,
                ..Default::default()
            },
            ("birth_date LIKE ?", |p| {
                format!("%{}%", p.birth.format("%Y-%m-%d"))
            }),
        ),
    ];
    // Warm the page cache for both paths alike.
    let _: i64 = raw.query_row(
        "SELECT count(*) FROM residents WHERE full_name LIKE '%x%'",
        [],
        |r| r.get(0),
    )?;
    for (label, make, (naive_where, naive_arg)) in kinds {
        let (ours, hits) = time_all(&probes, |p| Ok(store.search_residents(&t, &make(p))?.len()))?;
        let sql = format!(
            "SELECT id FROM residents WHERE tenant_id = ?1 AND {} LIMIT {limit}",
            naive_where.replace('?', "?2")
        );
        let mut stmt = raw.prepare(&sql)?;
        // A naive scan reads the whole table when a name is rare; a subset keeps the run short.
        let (naive, naive_hits) = time_all(&probes[..NAIVE_QUERIES.min(probes.len())], |p| {
            let n = stmt
                .query_map(rusqlite::params![t.as_str(), naive_arg(p)], |r| {
                    r.get::<_, i64>(0)
                })?
                .count();
            Ok(n)
        })?;
        println!(
            "| {label} ({hits} hits; naive {naive_hits}) | {:.2} ms | {:.2} ms | {:.2} / {:.2} ms | {:.1}× |",
            ms(percentile(&ours, 0.5)),
            ms(percentile(&ours, 0.99)),
            ms(percentile(&naive, 0.5)),
            ms(percentile(&naive, 0.99)),
            ms(percentile(&naive, 0.99)) / ms(percentile(&ours, 0.99)).max(1e-6)
        );
    }
    Ok(())
}
