//! Search and import figures of the PostgreSQL store on a throwaway cluster (a benchmark, not a test):
//!
//! ```text
//! cargo run --release -p madoguchi-store-postgres --example pg_bench -- [residents]
//! ```
//!
//! Generates the demo city's CSV (seed 20261123, as `cargo xtask bench`), imports it as one full import
//! through `PostgresStore`, times a raw `COPY` of the same file into an unindexed table as the import's
//! baseline, then times 1,000 searches per kind (limit 20) on probes sampled from the stored rows.
//! The CSV is mapped to residents here leniently (the server's importer validates; this does not).

use madoguchi_store::prelude::*;
use std::io::Write;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use madoguchi_core::ids::AtenaNo;
use madoguchi_core::relationship::parse_relation;
use madoguchi_core::resident::{
    Address, BirthDate, ForeignInfo, Name, Resident, ResidentKind, ResidentStatus, Sex,
    SupportMeasure,
};
use madoguchi_core::text::search_key;
use madoguchi_store::{ImportDecision, ImportMeta, ImportMode, ResidentQuery, TenantId};
use madoguchi_store_postgres::PostgresStore;
use madoguchi_testkit::throwaway::Cluster;
use postgres::{Client, NoTls};

const SEED: u64 = 20_261_123;
const QUERIES: usize = 1_000;

type Res<T> = Result<T, Box<dyn std::error::Error>>;

fn opt(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_owned())
}

fn date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// One CSV record (demo-city's header order) as a resident.
fn resident(f: &csv::StringRecord) -> Res<Resident> {
    let g = |i: usize| f.get(i).unwrap_or("");
    let foreign = g(2) == "外国人住民";
    let birth = match (g(17), date(g(16))) {
        ("1", d) => BirthDate::Unknown {
            text: g(18).to_owned(),
            internal: d,
        },
        (_, Some(d)) => BirthDate::Known(d),
        (_, None) => return Err("bad birth date".into()),
    };
    Ok(Resident {
        atena_no: AtenaNo::parse(g(0)).map_err(|_| "bad 宛名番号")?,
        household_no: AtenaNo::parse(g(1)).map_err(|_| "bad 世帯番号")?,
        kind: if foreign {
            ResidentKind::Foreign
        } else {
            ResidentKind::Japanese
        },
        status: ResidentStatus::Resident,
        name: Name {
            full: g(4).to_owned(),
            surname: opt(g(5)),
            given: opt(g(6)),
            kana: opt(g(7)),
            surname_kana: opt(g(8)),
            given_kana: opt(g(9)),
            former_surname: opt(g(10)),
            former_surname_kana: opt(g(11)),
            alias: opt(g(12)),
            alias_kana: opt(g(13)),
            foreign_romaji: opt(g(14)),
            foreign_kanji: opt(g(15)),
        },
        birth,
        sex: if g(19) == "女" {
            Sex::Female
        } else {
            Sex::Male
        },
        relation: parse_relation(g(20)).map_err(|_| "bad relation")?,
        address: Address {
            city_code: g(21).to_owned(),
            town_code: opt(g(22)),
            prefecture: g(23).to_owned(),
            city: g(24).to_owned(),
            town: g(25).to_owned(),
            banchi: opt(g(26)),
            katagaki: opt(g(27)),
            postal_code: opt(g(28)),
        },
        became_resident_on: date(g(29)),
        address_fixed_on: date(g(30)),
        foreign: opt(g(31)).map(|nationality| ForeignInfo {
            nationality,
            status_of_residence: opt(g(32)),
            period_of_stay: opt(g(33)),
            expiry: date(g(34)),
        }),
        support_measure: if g(35) == "1" {
            SupportMeasure::Active
        } else {
            SupportMeasure::None
        },
        registry: Default::default(),
    })
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

struct Probe {
    kana_prefix: String,
    kanji_part: String,
    kanji_one: String,
    birth: NaiveDate,
    address: String,
}

/// Deterministic probes from stored rows (as `crates/madoguchi-bench`: 3 characters of the reading, two
/// adjacent characters inside the surname or the given name, the birth date), plus one kanji and a
/// town with its block number.
fn probes(url: &str, tenant: &TenantId) -> Res<Vec<Probe>> {
    let mut c = Client::connect(url, NoTls)?;
    let mut tx = c.transaction()?;
    tx.execute(
        "SELECT set_config('madoguchi.tenant', $1, true)",
        &[&tenant.as_str()],
    )?;
    let rows = tx.query(
        "SELECT kana, full_name, birth_date, town, banchi FROM residents
         WHERE kana IS NOT NULL AND birth_date IS NOT NULL AND full_name LIKE '%　%'
         ORDER BY md5(atena_no) LIMIT $1",
        &[&(QUERIES as i64)],
    )?;
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut out = Vec::new();
    for r in rows {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let kana: String = r.get(0);
        let name: String = r.get(1);
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
        let town: String = r.get(3);
        let banchi: Option<String> = r.get(4);
        let block: String = banchi.unwrap_or_default().chars().take(2).collect();
        out.push(Probe {
            kana_prefix: kana.chars().take(3).collect(),
            kanji_part: part[start..start + 2].iter().collect(),
            kanji_one: part[(x as usize / 13) % part.len()].to_string(),
            birth: r.get(2),
            address: format!("{town}{block}"),
        });
    }
    Ok(out)
}

fn main() -> Res<()> {
    let residents: usize = std::env::args()
        .nth(1)
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(1_000_000);
    let explain = std::env::var("PG_BENCH_EXPLAIN").is_ok();
    let mut settings = vec![
        ("shared_buffers", "1GB"),
        ("maintenance_work_mem", "512MB"),
        ("max_wal_size", "8GB"),
        ("checkpoint_timeout", "30min"),
    ];
    if explain {
        // Plans of slow statements in the server's log, copied to ./pg_bench-server.log at the end.
        settings.extend([
            ("shared_preload_libraries", "auto_explain"),
            ("auto_explain.log_min_duration", "2ms"),
            ("auto_explain.log_analyze", "on"),
            ("auto_explain.log_buffers", "on"),
            ("auto_explain.log_nested_statements", "on"),
        ]);
    }
    let cluster = Cluster::start_with(&settings)?;
    let dir = tempfile::tempdir()?;
    let csv_path = dir.path().join("residents.csv");
    {
        let mut w = std::io::BufWriter::new(std::fs::File::create(&csv_path)?);
        madoguchi_demo_city::write_csv(
            &mut w,
            &madoguchi_demo_city::Options {
                residents,
                seed: SEED,
                reference_date: NaiveDate::from_ymd_opt(2026, 11, 23).ok_or("date")?,
            },
        )?;
        w.flush()?;
    }
    let url = cluster.fresh_database();
    let store = PostgresStore::open(&url)?;
    let tenant = TenantId("bench".into());
    store.ensure_tenant(&tenant, "さくら野市")?;

    // Baseline: COPY of the raw file into an unindexed table of text columns.
    let baseline = {
        let mut c = Client::connect(&url, NoTls)?;
        let cols: Vec<String> = (0..madoguchi_demo_city::header().len())
            .map(|i| format!("c{i} text"))
            .collect();
        c.batch_execute(&format!("CREATE TABLE raw_copy ({})", cols.join(", ")))?;
        let started = Instant::now();
        let mut w = c.copy_in("COPY raw_copy FROM STDIN (FORMAT csv, HEADER true)")?;
        std::io::copy(&mut std::fs::File::open(&csv_path)?, &mut w)?;
        w.finish()?;
        let t = started.elapsed();
        c.batch_execute("DROP TABLE raw_copy")?;
        t
    };

    // The client's share: reading and mapping the CSV, then the search keys and grams of every row.
    let (parse, keys) = {
        let started = Instant::now();
        let mut all = Vec::with_capacity(residents);
        for rec in csv::Reader::from_path(&csv_path)?.records() {
            all.push(resident(&rec?)?);
        }
        let parse = started.elapsed();
        let started = Instant::now();
        let mut n = 0;
        for r in &all {
            let k = madoguchi_store::SearchKeys::of(r);
            n += madoguchi_store_postgres::grams::of_keys(&k).len();
        }
        println!(
            "grams per resident: {:.1}",
            n as f64 / all.len().max(1) as f64
        );
        (parse, started.elapsed())
    };
    println!(
        "client side: CSV to residents {:.1} s, search keys and grams {:.1} s",
        parse.as_secs_f64(),
        keys.as_secs_f64()
    );
    let started = Instant::now();
    let meta = ImportMeta {
        mode: ImportMode::Full,
        sha256: "bench".into(),
        source_name: "residents.csv".into(),
        started_at: chrono::Utc::now(),
        audit: None,
    };
    let mut reader = csv::Reader::from_path(&csv_path)?;
    let applied = store.import_residents(&tenant, &meta, &mut |sink| {
        for rec in reader.records() {
            let rec = rec.map_err(|e| madoguchi_store::StoreError::Backend(e.to_string()))?;
            let r =
                resident(&rec).map_err(|e| madoguchi_store::StoreError::Backend(e.to_string()))?;
            sink.put(&r)?;
        }
        Ok(ImportDecision::Commit)
    })?;
    let import = started.elapsed();
    println!("residents: {}", store.count_residents(&tenant)?);
    println!("import: {applied:?}");
    println!(
        "| import {residents} rows (parse, keys, grams, write, indexes, analyze) | {:.1} s | raw COPY of the CSV into an unindexed table: {:.1} s | {:.2}× |",
        import.as_secs_f64(),
        baseline.as_secs_f64(),
        import.as_secs_f64() / baseline.as_secs_f64()
    );

    {
        // The GIN index's pending list should have been merged by the import.
        let db = url.rsplit('/').next().ok_or("url")?;
        let mut admin = cluster.admin_client(db)?;
        admin.batch_execute("CREATE EXTENSION IF NOT EXISTS pgstattuple")?;
        let r = admin.query_one(
            "SELECT pending_pages, pending_tuples, pg_relation_size('resident_search_grams'),
                    pg_relation_size('resident_search'), pg_relation_size('residents'),
                    pg_indexes_size('residents')
             FROM pgstatginindex('resident_search_grams')",
            &[],
        )?;
        let mib = |i: usize| r.get::<_, i64>(i) as f64 / 1048576.0;
        println!(
            "GIN pending pages {} tuples {}; sizes MiB: GIN {:.0}, resident_search {:.0}, residents {:.0} + indexes {:.0}",
            r.get::<_, i32>(0),
            r.get::<_, i64>(1),
            mib(2),
            mib(3),
            mib(4),
            mib(5)
        );
    }
    let probes = probes(&url, &tenant)?;
    type Kind = (&'static str, fn(&Probe) -> ResidentQuery);
    let kinds: [Kind; 5] = [
        ("name-kana prefix (3 characters)", |p| ResidentQuery {
            kana: Some(search_key(&p.kana_prefix)),
            limit: 20,
            ..Default::default()
        }),
        ("kanji partial (2 adjacent characters)", |p| ResidentQuery {
            name: Some(search_key(&p.kanji_part)),
            limit: 20,
            ..Default::default()
        }),
        ("kanji partial (1 character)", |p| ResidentQuery {
            name: Some(search_key(&p.kanji_one)),
            limit: 20,
            ..Default::default()
        }),
        ("birth date", |p| ResidentQuery {
            birth: Some(p.birth),
            limit: 20,
            ..Default::default()
        }),
        ("address partial (町字 + 2 characters)", |p| {
            ResidentQuery {
                address: Some(search_key(&p.address)),
                limit: 20,
                ..Default::default()
            }
        }),
    ];
    println!("queries per kind: {}, limit 20", probes.len());
    println!("| figure | p50 | p99 | max | results |");
    println!("| --- | --- | --- | --- | --- |");
    for (label, make) in kinds {
        // One warm-up pass over the same probes, then the measured pass.
        for p in &probes {
            store.search_residents(&tenant, &make(p))?;
        }
        let mut times = Vec::with_capacity(probes.len());
        let mut hits = 0;
        for p in &probes {
            let t = Instant::now();
            hits += store.search_residents(&tenant, &make(p))?.len();
            times.push(t.elapsed());
        }
        times.sort();
        println!(
            "| {label} | {:.2} ms | {:.2} ms | {:.2} ms | {hits} |",
            ms(percentile(&times, 0.5)),
            ms(percentile(&times, 0.99)),
            ms(percentile(&times, 1.0)),
        );
    }
    {
        // Same-run baseline of the kanji partial search: a naive LIKE scan of the stored 氏名 (as the
        // superuser, so without row-level security), on the first 100 probes (a full scan each).
        let db = url.rsplit('/').next().ok_or("url")?;
        let mut admin = cluster.admin_client(db)?;
        let naive = admin.prepare(
            "SELECT atena_no FROM residents WHERE tenant_id = $1 AND full_name LIKE '%' || $2 || '%' LIMIT 20",
        )?;
        let mut store_times = Vec::new();
        let mut naive_times = Vec::new();
        for p in probes.iter().take(100) {
            let q = ResidentQuery {
                name: Some(search_key(&p.kanji_part)),
                limit: 20,
                ..Default::default()
            };
            let t = Instant::now();
            store.search_residents(&tenant, &q)?;
            store_times.push(t.elapsed());
            let t = Instant::now();
            admin.query(&naive, &[&tenant.as_str(), &p.kanji_part])?;
            naive_times.push(t.elapsed());
        }
        store_times.sort();
        naive_times.sort();
        println!(
            "| kanji partial, first 100 probes: store p50 / p99 | {:.2} / {:.2} ms | naive LIKE scan p50 / p99: {:.2} / {:.2} ms | {:.1}× (p99) |",
            ms(percentile(&store_times, 0.5)),
            ms(percentile(&store_times, 0.99)),
            ms(percentile(&naive_times, 0.5)),
            ms(percentile(&naive_times, 0.99)),
            ms(percentile(&naive_times, 0.99)) / ms(percentile(&store_times, 0.99)).max(1e-9)
        );
    }
    if let Ok(secs) = std::env::var("PG_BENCH_HOLD") {
        // Keeps the cluster for a look with psql (as the superuser over the socket).
        println!(
            "holding: psql -h {} -p {} -U {} {}",
            cluster
                .dir()
                .map(|d| d.display().to_string())
                .unwrap_or_default(),
            cluster.port(),
            madoguchi_testkit::throwaway::ADMIN_ROLE,
            url.rsplit('/').next().unwrap_or_default()
        );
        std::thread::sleep(Duration::from_secs(secs.parse()?));
    }
    if explain && let Some(dir) = cluster.dir() {
        std::fs::copy(dir.join("server.log"), "pg_bench-server.log")?;
    }
    Ok(())
}
