//! The PostgreSQL half of `cargo xtask bench statistics` (see `madoguchi_bench::statistics`): the same year of cases and
//! certificates, COPYed into a throwaway cluster's database by its superuser, the store opened as the
//! application role (row-level security on), and the naive GROUP BY in PostgreSQL's SQL.

use std::sync::Arc;
use std::time::Instant;

use chrono::{DateTime, Utc};
use madoguchi_store_postgres::PostgresStore;
use madoguchi_testkit::throwaway::{APP_ROLE, Cluster};
use postgres::Client;

use madoguchi_bench::http::ensure_staff;
use madoguchi_bench::report::machine;
use madoguchi_bench::statistics::{CERTIFICATE_DOC, documents, generate, measure, ts};

/// COPYs the year of cases and certificates, then lists the cases as not counted.
fn fill(c: &mut Client) -> anyhow::Result<()> {
    let docs = documents()?;
    let mut certificates = Vec::new();
    {
        let w = c.copy_in(
            "COPY cases (tenant_id, id, revision, status, title, opened_at, opened_by, opened_counter,
                 updated_at, updated_by, updated_counter, document) FROM STDIN (FORMAT csv)",
        )?;
        let mut csv = csv::Writer::from_writer(w);
        for g in generate(docs.len()) {
            let id = format!("bench-case-{:07}", g.n);
            let status = if g.closed { "closed" } else { "open" };
            let (opened, updated) = (ts(g.opened), ts(g.updated));
            csv.write_record([
                "bench",
                &id,
                "1",
                status,
                "転入",
                &opened,
                &g.staff,
                &g.counter,
                &updated,
                &g.staff,
                &g.counter,
                &docs[g.doc],
            ])?;
            if g.doc == CERTIFICATE_DOC {
                let issued = ts(g.opened + chrono::Duration::minutes(5));
                certificates.push([
                    format!("R{:07}", g.n),
                    g.n.to_string(),
                    id,
                    g.counter,
                    g.staff,
                    issued,
                ]);
            }
        }
        csv.into_inner()
            .map_err(|e| anyhow::anyhow!("COPY cases: {e}"))?
            .finish()?;
    }
    let w = c.copy_in(
        "COPY certificates (tenant_id, issue_no, fiscal_year, serial, write_id, seq, case_id, item,
             template, subjects, snapshot, digest, qr, place, issued_by, issued_at) FROM STDIN (FORMAT csv)",
    )?;
    let mut csv = csv::Writer::from_writer(w);
    for [no, serial, id, place, by, at] in &certificates {
        csv.write_record([
            "bench",
            no,
            "2026",
            serial,
            id,
            "1",
            id,
            "JUMINHYO",
            "juminhyo",
            "000000000000019",
            "{}",
            "-",
            "-",
            place,
            by,
            at,
        ])?;
    }
    csv.into_inner()
        .map_err(|e| anyhow::anyhow!("COPY certificates: {e}"))?
        .finish()?;
    c.batch_execute(
        "INSERT INTO case_summary_pending (case_seq, tenant_id) SELECT seq, tenant_id FROM cases;
         ANALYZE cases; ANALYZE certificates; ANALYZE case_summary_pending;",
    )?;
    Ok(())
}

/// The naive GROUP BY of the period on the raw table, in PostgreSQL.
fn naive(c: &mut Client, from: DateTime<Utc>, to: DateTime<Utc>) -> anyhow::Result<()> {
    for sql in [
        "SELECT date_trunc('day', opened_at), count(*) FROM cases WHERE tenant_id = 'bench' AND opened_at >= $1 AND opened_at < $2 GROUP BY 1",
        "SELECT extract(hour FROM opened_at), count(*) FROM cases WHERE tenant_id = 'bench' AND opened_at >= $1 AND opened_at < $2 GROUP BY 1",
        "SELECT opened_counter, count(*) FROM cases WHERE tenant_id = 'bench' AND opened_at >= $1 AND opened_at < $2 GROUP BY 1",
        "SELECT opened_by, count(*) FROM cases WHERE tenant_id = 'bench' AND opened_at >= $1 AND opened_at < $2 GROUP BY 1",
        "SELECT p ->> 'code', count(*) FROM cases, jsonb_array_elements(cases.document::jsonb -> 'procedures') p
         WHERE tenant_id = 'bench' AND opened_at >= $1 AND opened_at < $2 GROUP BY 1",
    ] {
        c.query(sql, &[&from, &to])?;
    }
    Ok(())
}

fn main() -> anyhow::Result<()> {
    println!("machine: {}", machine());
    let cluster = Cluster::start()?;
    let name = cluster.try_fresh_database()?;
    PostgresStore::migrate(&cluster.owner_url(&name), APP_ROLE)?;
    let store = Arc::new(PostgresStore::open(&cluster.app_url(&name))?);
    ensure_staff(store.as_ref())?;
    let mut admin = cluster.admin_client(&name)?;
    let t0 = Instant::now();
    fill(&mut admin).map_err(with_detail)?;
    println!(
        "PostgreSQL: cases written in {:.1} s",
        t0.elapsed().as_secs_f64()
    );
    measure("PostgreSQL", store, &mut |from, to| {
        naive(&mut admin, from, to).map_err(with_detail)
    })
}

/// PostgreSQL's own message of a failed statement (`postgres::Error` shows only "db error").
fn with_detail(e: anyhow::Error) -> anyhow::Error {
    match e
        .downcast_ref::<postgres::Error>()
        .and_then(postgres::Error::as_db_error)
    {
        Some(db) => anyhow::anyhow!("{}: {}", db.code().code(), db.message()),
        None => e,
    }
}
