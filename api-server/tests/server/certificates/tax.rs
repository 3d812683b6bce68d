//! The 所得・課税証明書 over the API: a `tax` file delivered to the exchange and applied by the linkage
//! job, then a case's certificate line for a 課税年度 issued with the name, the 年度 in 和暦 and the
//! amounts, its QR verifying; a year the feed has not delivered refused in Japanese, and a file with an
//! unknown year refused with a Japanese report.

use std::sync::Arc;

use axum::http::{Method, StatusCode};
use chrono::Datelike;
use madoguchi_objects::{Exchange, ObjectsConfig};
use madoguchi_server::linkage::Job;
use madoguchi_store::{LinkageOutcome, TenantId};
use madoguchi_testkit::app::{TestApp, req};
use madoguchi_testkit::residents::atena;
use madoguchi_testkit::staff::{PASSWORD, TEST_COUNTERS};
use madoguchi_testkit::terminal::TestDevice;
use serde_json::{Value, json};

use crate::common::{case_document, pdf_text, save_case};

async fn login(app: &TestApp) -> String {
    let device = TestDevice::enroll(
        app.store.as_ref(),
        &TenantId("t1".into()),
        "term-1",
        TEST_COUNTERS,
    );
    app.login_with(&device.login("t1", "staff", PASSWORD, "市民課1番"))
        .await
}

/// The `tax` file's header and a row of resident `seq` for `year`.
fn tax_csv(rows: &[(u64, i32, &str, &str)]) -> String {
    let mut out = String::from(
        "宛名番号,年度,非課税区分,扶養人数,給与収入,給与所得,公的年金等収入,年金所得,事業所得,不動産所得,その他所得,合計所得金額,所得控除合計,課税標準額,市町村民税所得割,市町村民税均等割,県民税所得割,県民税均等割\n",
    );
    for (seq, year, status, salary) in rows {
        out.push_str(&format!(
            "{},{year},{status},1,{salary},2980000,0,0,-120000,0,0,2860000,1250000,1610000,95100,3500,63400,1500\n",
            atena(*seq)
        ));
    }
    out
}

fn qr_symbols(pdf: &[u8]) -> Vec<String> {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("p.pdf");
    std::fs::write(&path, pdf).expect("write");
    let out = std::process::Command::new("pdftoppm")
        .args(["-r", "200", "-gray", "-f", "1", "-l", "1"])
        .arg(&path)
        .output()
        .expect("pdftoppm (poppler-utils)");
    madoguchi_qr::symbol::decode_pgm(&out.stdout)
}

/// Saves case `id` about resident `seq` with a 所得・課税証明書 line for `year` and issues it.
async fn issue(app: &TestApp, token: &str, id: &str, seq: u64, year: i32) -> (StatusCode, Vec<u8>) {
    let mut doc = case_document(&atena(seq), "髙橋\u{3000}花子");
    doc["certificates"] = json!([{"item": "SHOTOKU-SHOMEI", "copies": 1, "year": year}]);
    save_case(app, token, id, doc).await;
    let res = app
        .response(req(
            Method::POST,
            &format!("/api/v1/cases/{id}/certificates"),
            token,
            &json!({"write_id": format!("issue-{id}")}),
        ))
        .await;
    let status = res.status();
    let body = axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .expect("body")
        .to_vec();
    (status, body)
}

#[tokio::test]
async fn a_tax_feed_through_the_linkage_job_issues_a_verified_tax_certificate() {
    let app = TestApp::builder().build();
    let token = login(&app).await;
    let tenant = TenantId("t1".into());
    let folder = tempfile::tempdir().expect("exchange");
    let ex = Exchange::open(&ObjectsConfig::local(folder.path())).expect("exchange");
    let job = Job::new(Arc::clone(&app.store), ex.clone(), vec![tenant.clone()], 60);
    let today = madoguchi_server::clock::today_jst();
    let (this, last) = (today.year(), today.year() - 1);
    let deliver = |name: &'static str, text: String| {
        let ex = ex.clone();
        async move {
            let key = format!("t1/inbound/tax/{name}");
            ex.write(&key, text.into_bytes()).await.expect("write");
            ex.write(&format!("{key}.end"), Vec::new())
                .await
                .expect("end");
        }
    };

    // A file with a year older than five years back is refused whole, with a Japanese report.
    deliver(
        "full_000001.csv",
        tax_csv(&[(2, this, "課税", "4200000"), (1, this - 6, "課税", "1")]),
    )
    .await;
    let done = job.poll(today).await;
    assert_eq!(done[0].outcome, LinkageOutcome::Rejected, "{done:?}");
    let report = String::from_utf8(
        ex.read("t1/error/tax/full_000001.csv.errors.csv")
            .await
            .expect("report")
            .to_vec(),
    )
    .expect("utf-8");
    assert!(report.contains("\r\n3,年度,"), "{report}");
    assert!(report.contains("受け付けられません"), "{report}");

    // The corrected file: resident 2 課税 for two years, resident 1 非課税 for this year.
    deliver(
        "full_000002.csv",
        tax_csv(&[
            (2, last, "課税", "4000000"),
            (2, this, "課税", "4200000"),
            (1, this, "非課税", "0"),
        ]),
    )
    .await;
    let done = job.poll(today).await;
    assert_eq!(done[0].outcome, LinkageOutcome::Applied, "{done:?}");
    assert_eq!(done[0].counts.inserted, 3);

    let (status, pdf) = issue(&app, &token, "case-tax-01", 2, this).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&pdf));
    let text = pdf_text(&pdf);
    let nendo = madoguchi_core::wareki::nendo_ja(this);
    for expected in [
        "所得・課税証明書",
        "髙橋",
        nendo.as_str(),
        "4,200,000",
        "-120,000",
        "上記のとおり証明します。",
    ] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
    let symbol = qr_symbols(&pdf)
        .into_iter()
        .next()
        .expect("QR on the tax certificate");
    let (s, v, _) = app
        .call(req(
            Method::POST,
            "/api/v1/certificates/verify",
            &token,
            &json!({"symbols": [symbol]}),
        ))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["state"], "valid", "{v}");
    assert_eq!(v["certificate"]["title"], "所得・課税証明書");

    // A year the feed has not delivered for the person is refused, naming the 年度 in 和暦.
    let (status, body) = issue(&app, &token, "case-tax-02", 1, last).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let v: Value = serde_json::from_slice(&body).expect("json");
    assert_eq!(v["error"]["code"], "certificate_refused", "{v}");
    assert_eq!(
        v["error"]["message"].as_str().unwrap_or_default(),
        format!(
            "{}の課税データがまだ取り込まれていません。",
            madoguchi_core::wareki::nendo_ja(last)
        )
    );
    // A year older than the feed keeps is a wrong request, not a year still to come.
    let (status, body) = issue(&app, &token, "case-tax-03", 2, this - 6).await;
    let v: Value = serde_json::from_slice(&body).expect("json");
    assert_eq!(
        (status, v["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_year")),
        "{v}"
    );
}
