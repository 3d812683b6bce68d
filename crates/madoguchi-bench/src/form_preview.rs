//! `cargo xtask bench form-preview`: the template editor's live preview — an edited 住民異動届 (a label
//! changed, a different one each time so that nothing can be cached) sent to `POST
//! /api/v1/admin/form-templates/preview` of the in-process server (parse, check every bind against the
//! sample data, render with problems framed, base64 in JSON, audit record) — against rendering the
//! unchanged standard template with its sample data directly through the engine, in the same run.
//! Goal: edit → new PDF < 300 ms (the browser's own PDF display is not included).

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use madoguchi_forms::library::Library;
use madoguchi_forms::{Fonts, render};
use madoguchi_server::AppState;
use madoguchi_server::api::router;
use madoguchi_store_sqlite::SqliteStore;

use crate::http::{call, ensure_staff, login_as, runtime, settings};
use crate::report::{machine, ms, percentile};

const RUNS: usize = 30;
const TEMPLATE: &str = "ido-todoke";

fn preview_request(source: &str, token: &str) -> Request<Body> {
    Request::post("/api/v1/admin/form-templates/preview")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            serde_json::json!({ "source": source }).to_string(),
        ))
        .unwrap_or_default()
}

/// The baseline: the unchanged standard template rendered with its sample data by the engine alone.
fn baseline(fonts: &Fonts) -> anyhow::Result<Vec<Duration>> {
    let lib = Library::standard()?;
    let t = lib
        .versions()
        .find(|t| t.id == TEMPLATE)
        .context("template")?;
    let data = madoguchi_forms::examples::example(TEMPLATE).context("example")?;
    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let started = Instant::now();
        let out = render(fonts, &[(t, &data)])?;
        times.push(started.elapsed());
        if !out.problems.is_empty() {
            bail!("the standard template has problems: {:?}", out.problems);
        }
    }
    times.sort();
    Ok(times)
}

pub fn bench_form_preview() -> anyhow::Result<()> {
    let source = madoguchi_forms::library::STANDARD
        .iter()
        .find(|(name, _)| *name == TEMPLATE)
        .map(|(_, s)| *s)
        .context("source")?;
    let dir = crate::fixture::work_dir()?.join("form-preview");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let store = Arc::new(SqliteStore::open(&dir.join("preview.sqlite3"))?);
    ensure_staff(store.as_ref())?;
    let state = AppState::new(store.clone(), settings());
    let fonts = Fonts::load(None)?;
    let app = router(state);
    let rt = runtime()?;
    let mut previews = rt.block_on(async {
        let token = login_as(&app, "bench").await?;
        // The first preview loads the fonts (once per server); not an edit.
        call(&app, preview_request(source, &token)).await?;
        let mut times = Vec::with_capacity(RUNS);
        for i in 0..RUNS {
            let edited = source.replacen(
                "name = \"住民異動届\"",
                &format!("name = \"住民異動届（第{i}版）\""),
                1,
            );
            let started = Instant::now();
            let (s, body) = call(&app, preview_request(&edited, &token)).await?;
            times.push(started.elapsed());
            let v: serde_json::Value = serde_json::from_slice(&body)?;
            if s != StatusCode::OK || v["pdf_base64"].is_null() || v["publishable"] != true {
                bail!("preview failed: {s} {}", v["problems"]);
            }
        }
        anyhow::Ok(times)
    })?;
    previews.sort();
    let base = baseline(&fonts)?;
    println!("machine: {}", machine());
    println!("| figure | p50 | p95 | baseline: render unchanged p50 | ratio (p50) | goal |");
    println!("| --- | --- | --- | --- | --- | --- |");
    println!(
        "| template preview ({TEMPLATE}, {RUNS} edits) | {:.1} ms | {:.1} ms | {:.1} ms | {:.2}× | < 300 ms |",
        ms(percentile(&previews, 0.5)),
        ms(percentile(&previews, 0.95)),
        ms(percentile(&base, 0.5)),
        ms(percentile(&previews, 0.5)) / ms(percentile(&base, 0.5))
    );
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
