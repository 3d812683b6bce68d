//! `cargo xtask bench forms`: two print jobs rendered by the forms engine, each against the same content
//! as an HTML page printed to PDF by headless Chromium (the usual way web systems print forms), in the
//! same run: the forms of a 4-person 転入 (住民異動届, 国民健康保険異動届, 児童手当認定請求書, 手続き案内書),
//! and one 住民票の写し (世帯連記式, 6 people: two sheets with 地紋, 公印 and verification QR; goal < 10 ms).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use madoguchi_forms::library::Library;
use madoguchi_forms::{Fonts, Template, render};
use serde_json::{Value, json};

use crate::report::{machine, ms, percentile};

const RUNS: usize = 40;
const CHROMIUM_RUNS: usize = 8;

fn forms_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../forms")
}

fn example(id: &str) -> anyhow::Result<Value> {
    let p = forms_dir().join(format!("examples/{id}.json"));
    Ok(serde_json::from_str(
        &std::fs::read_to_string(&p).with_context(|| p.display().to_string())?,
    )?)
}

/// The four forms of a 4-person 転入 with their data.
fn job() -> anyhow::Result<Vec<(String, Value)>> {
    let mut ido = example("ido-todoke")?;
    let four: Vec<Value> = ido["movers"]
        .as_array()
        .context("movers")?
        .iter()
        .take(4)
        .cloned()
        .collect();
    ido["movers"] = json!(four);
    let mut kokuho = example("kokuho-ido")?;
    kokuho["members"] = json!(
        four.iter()
            .map(|m| {
                let mut m = m.clone();
                m["previous_insurance"] = json!("東京都千代田区 国民健康保険");
                m
            })
            .collect::<Vec<_>>()
    );
    Ok(vec![
        ("ido-todoke".into(), ido),
        ("kokuho-ido".into(), kokuho),
        ("jidou-teate".into(), example("jidou-teate")?),
        ("tetsuzuki-annai".into(), example("tetsuzuki-annai")?),
    ])
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Every string of a JSON value, depth first, with its key.
fn pairs(prefix: &str, v: &Value, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                pairs(&format!("{prefix}{k} "), v, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                pairs(&format!("{prefix}{} ", i + 1), v, out);
            }
        }
        Value::Null => {}
        v => out.push((
            prefix.trim().to_owned(),
            v.as_str().map_or_else(|| v.to_string(), str::to_owned),
        )),
    }
}

/// The same job as one HTML document: a page per form, its title and every value in a ruled table, with
/// the same two fonts.
fn html(job: &[(String, Value)], names: &[String]) -> String {
    let mut h = String::from(
        "<!doctype html><html lang=ja><meta charset=utf-8><style>\
         @font-face{font-family:M;src:url(file:///usr/share/fonts/truetype/ipamj/ipamjm.ttf)}\
         @font-face{font-family:G;src:url(file:///usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf)}\
         @page{size:A4;margin:12mm 15mm}body{font-family:G;font-size:10pt}\
         h1{text-align:center;font-size:18pt}table{width:100%;border-collapse:collapse}\
         td{border:0.3pt solid #000;padding:2mm}td.v{font-family:M;font-size:12pt}\
         section{page-break-after:always}</style><body>",
    );
    for ((_, data), name) in job.iter().zip(names) {
        let mut rows = Vec::new();
        pairs("", data, &mut rows);
        h.push_str(&format!("<section><h1>{}</h1><table>", escape(name)));
        for (k, v) in rows {
            h.push_str(&format!(
                "<tr><td>{}</td><td class=v>{}</td></tr>",
                escape(&k),
                escape(&v)
            ));
        }
        h.push_str("</table></section>");
    }
    h.push_str("</body></html>");
    h
}

fn pdf_pages(path: &Path) -> anyhow::Result<usize> {
    let out = Command::new("pdfinfo")
        .arg(path)
        .output()
        .context("pdfinfo")?;
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .context("page count")
}

pub fn bench_forms() -> anyhow::Result<()> {
    let fonts = Fonts::load(None)?;
    let lib = Library::load_dir(&forms_dir().join("templates"))?;
    println!("machine: {}", machine());
    measure(&fonts, &lib, "tennyu", &job()?)?;
    let juminhyo = vec![("juminhyo-setai".to_owned(), example("juminhyo-setai")?)];
    measure(&fonts, &lib, "juminhyo", &juminhyo)
}

/// Renders `job` RUNS times and prints it with Chromium CHROMIUM_RUNS times; prints the table.
fn measure(
    fonts: &Fonts,
    lib: &Library,
    label: &str,
    job: &[(String, Value)],
) -> anyhow::Result<()> {
    let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).context("date")?;
    let templates: Vec<&Template> = job
        .iter()
        .map(|(id, _)| lib.in_force(id, date))
        .collect::<Result<_, _>>()?;
    let forms: Vec<(&Template, &Value)> = templates
        .iter()
        .zip(job)
        .map(|(t, (_, d))| (*t, d))
        .collect();

    let first = render(fonts, &forms)?;
    if !first.problems.is_empty() {
        bail!("the job has problems: {:?}", first.problems);
    }
    let mut ours: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let started = Instant::now();
            render(fonts, &forms).map(|r| {
                assert_eq!(r.pdf, first.pdf, "deterministic");
                started.elapsed()
            })
        })
        .collect::<Result<_, _>>()?;
    ours.sort();

    let dir = crate::fixture::work_dir()?.join("forms");
    std::fs::create_dir_all(&dir)?;
    let html_path = dir.join(format!("{label}.html"));
    let names: Vec<String> = templates.iter().map(|t| t.name.clone()).collect();
    std::fs::write(&html_path, html(job, &names))?;
    let pdf_path = dir.join(format!("{label}-chromium.pdf"));
    let mut chromium = Vec::new();
    for _ in 0..CHROMIUM_RUNS {
        let _ = std::fs::remove_file(&pdf_path);
        let started = Instant::now();
        let status = Command::new("chromium")
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-pdf-header-footer",
                "--allow-file-access-from-files",
            ])
            .arg(format!("--print-to-pdf={}", pdf_path.display()))
            .arg(format!("file://{}", html_path.display()))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .context("chromium (cargo xtask bench forms installs it)")?;
        chromium.push(started.elapsed());
        if !status.success() || !pdf_path.exists() {
            bail!("chromium did not print");
        }
    }
    chromium.sort();
    let chromium_pages = pdf_pages(&pdf_path)?;
    let chromium_bytes = std::fs::metadata(&pdf_path)?.len() as usize;

    let per_page = |d: Duration, pages: usize| ms(d) / pages.max(1) as f64;
    let ours_ms = per_page(percentile(&ours, 0.5), first.pages);
    let chromium_ms = per_page(percentile(&chromium, 0.5), chromium_pages);
    println!(
        "job {label}: {} forms; ours {} pages ({RUNS} runs), Chromium {} pages ({CHROMIUM_RUNS} runs)",
        forms.len(),
        first.pages,
        chromium_pages
    );
    println!("| figure | forms engine | baseline: headless Chromium, HTML → PDF | ratio |");
    println!("| --- | --- | --- | --- |");
    println!(
        "| ms per page (p50 of the job) | {ours_ms:.2} ms | {chromium_ms:.1} ms | {:.0}× faster |",
        chromium_ms / ours_ms
    );
    println!(
        "| job p50 / p99 | {:.1} / {:.1} ms | {:.0} / {:.0} ms | |",
        ms(percentile(&ours, 0.5)),
        ms(percentile(&ours, 0.99)),
        ms(percentile(&chromium, 0.5)),
        ms(percentile(&chromium, 0.99))
    );
    println!(
        "| bytes per page | {:.0} KB | {:.0} KB | {:.2}× |",
        first.pdf.len() as f64 / first.pages as f64 / 1000.0,
        chromium_bytes as f64 / chromium_pages.max(1) as f64 / 1000.0,
        (first.pdf.len() as f64 / first.pages as f64)
            / (chromium_bytes as f64 / chromium_pages.max(1) as f64)
    );
    Ok(())
}
