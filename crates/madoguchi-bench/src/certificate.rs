//! `cargo xtask bench certificate`: issue 19's confirm → certificate PDF ready to print, with 1,000,000
//! residents — `POST /api/v1/cases/{id}/certificates` through the real router for a saved case with a
//! 住民票の写し (世帯全員, 続柄) of a random resident's household: the plan (the household read, the
//! refusals), the 支援措置 check, 発行番号 taken in the store's transaction, the snapshot and its
//! digest, the signed QR and the render. Baseline in the same run: the reprint route of the same
//! certificates (`POST /api/v1/certificates/{no}/reprint`: the stored snapshot rendered again, through
//! the same router and audit), so the ratio is what issuing costs beyond rendering.

use std::sync::Arc;
use std::time::Instant;

use anyhow::bail;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use madoguchi_server::AppState;
use madoguchi_server::api::router;
use madoguchi_store::prelude::*;
use madoguchi_store_sqlite::SqliteStore;
use rusqlite::Connection;
use serde_json::{Value, json};

use super::http::{call, ensure_staff, login_as, runtime, settings};
use crate::report::{machine, ms, percentile};

/// Certificates issued (and reprinted) per run.
const ISSUES: usize = 300;

fn json_request(method: &str, uri: &str, token: &str, body: &Value) -> Request<Body> {
    Request::builder()
        .method(method)
        .uri(uri)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap_or_default()
}

/// `n` residents spread over the database (every `total / n`-th row), as (宛名番号, 氏名).
fn residents(db: &std::path::Path, n: usize) -> anyhow::Result<Vec<(String, String)>> {
    let c = Connection::open(db)?;
    let total: i64 = c.query_row("SELECT max(id) FROM residents", [], |r| r.get(0))?;
    let step = (total / (n as i64 * 2)).max(1);
    let mut stmt =
        c.prepare("SELECT atena_no, full_name FROM residents WHERE id % ?1 = 0 LIMIT ?2")?;
    let rows = stmt.query_map([step, (n * 2) as i64], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn case_body(n: usize, atena: &str, name: &str) -> Value {
    json!({"write_id": format!("bench-save-{n}"), "revision": null, "status": "open", "document": {
        "visitor": {"kind": "本人", "atena_no": atena, "name": name, "id_document": "マイナンバーカード"},
        "certificates": [{"item": "JUMINHYO", "copies": 1, "subject": atena, "scope": "世帯全員", "items": ["relation"]}]
    }})
}

pub fn bench_certificate(db: &std::path::Path) -> anyhow::Result<()> {
    let store = Arc::new(SqliteStore::open(db)?);
    ensure_staff(store.as_ref())?;
    let app = router(AppState::new(store.clone(), settings()));
    let people = residents(db, ISSUES)?;
    let rt = runtime()?;
    let run = format!("{:x}", chrono::Utc::now().timestamp());
    let (issue, reprint, refused, pages) = rt.block_on(async {
        let token = login_as(&app, "bench").await?;
        let (mut issue, mut reprint, mut refused, mut pages) =
            (Vec::new(), Vec::new(), 0usize, 0usize);
        for (n, (atena, name)) in people.iter().enumerate() {
            if issue.len() == ISSUES {
                break;
            }
            let id = format!("bench-cert-{run}-{n:06}");
            let (s, body) = call(
                &app,
                json_request(
                    "PUT",
                    &format!("/api/v1/cases/{id}"),
                    &token,
                    &case_body(n, atena, name),
                ),
            )
            .await?;
            if s != StatusCode::OK {
                bail!(
                    "saving a case failed: {s} {}",
                    String::from_utf8_lossy(&body)
                );
            }
            let uri = format!("/api/v1/cases/{id}/certificates");
            let write = json!({"write_id": format!("bench-issue-{n}")});
            let started = Instant::now();
            let res = issue_once(&app, json_request("POST", &uri, &token, &write)).await?;
            let took = started.elapsed();
            let Some((numbers, page_count)) = res else {
                refused += 1; // not a resident now, a protected household, a 外字 not mapped …
                continue;
            };
            issue.push(took);
            pages += page_count;
            let again = json!({"reason": "ベンチマーク"});
            let uri = format!("/api/v1/certificates/{}/reprint", numbers);
            let started = Instant::now();
            let (s, _) = call(&app, json_request("POST", &uri, &token, &again)).await?;
            if s != StatusCode::OK {
                bail!("reprint failed: {s}");
            }
            reprint.push(started.elapsed());
        }
        anyhow::Ok((issue, reprint, refused, pages))
    })?;
    if issue.is_empty() {
        bail!("no certificate could be issued");
    }
    report(db, &issue, &reprint, refused, pages)
}

fn report(
    db: &std::path::Path,
    issue: &[std::time::Duration],
    reprint: &[std::time::Duration],
    refused: usize,
    pages: usize,
) -> anyhow::Result<()> {
    let store = SqliteStore::open(db)?;
    let count = store.count_residents(&crate::fixture::tenant())?;
    let (mut issue, mut reprint) = (issue.to_vec(), reprint.to_vec());
    issue.sort();
    reprint.sort();
    let (p50, p99) = (percentile(&issue, 0.5), percentile(&issue, 0.99));
    let (b50, b99) = (percentile(&reprint, 0.5), percentile(&reprint, 0.99));
    println!("machine: {}", machine());
    println!(
        "residents: {count}; certificates issued: {} (refused and skipped: {refused}), {pages} pages",
        issue.len()
    );
    println!(
        "confirm → certificate PDF (issue route): p50 {:.1} ms, p99 {:.1} ms (goal p99 < 300 ms)",
        ms(p50),
        ms(p99)
    );
    println!(
        "baseline, reprint of the same certificates: p50 {:.1} ms, p99 {:.1} ms",
        ms(b50),
        ms(b99)
    );
    println!(
        "ratio (p99): {:.2}×",
        p99.as_secs_f64() / b99.as_secs_f64().max(1e-9)
    );
    Ok(())
}

/// Issues through the router: the first 発行番号 and the page count, or `None` when it refused.
async fn issue_once(
    app: &axum::Router,
    req: Request<Body>,
) -> anyhow::Result<Option<(String, usize)>> {
    use tower::ServiceExt;
    let res = app.clone().oneshot(req).await?;
    let status = res.status();
    let header = |name: &str| {
        res.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    };
    let numbers = header("x-madoguchi-issue-numbers");
    let pages = header("x-madoguchi-pages").parse().unwrap_or(0);
    let _ = http_body_util::BodyExt::collect(res.into_body()).await?;
    match status {
        StatusCode::OK => Ok(Some((
            numbers.split(',').next().unwrap_or("").to_owned(),
            pages,
        ))),
        StatusCode::UNPROCESSABLE_ENTITY | StatusCode::FORBIDDEN => Ok(None),
        s => bail!("issuing failed: {s}"),
    }
}
