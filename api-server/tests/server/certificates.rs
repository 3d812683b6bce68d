//! Certificates over the API: a case's 住民票の写し issued with 発行番号 once per write, printed with a
//! verification QR that checks as 有効, then 失効 once revoked; forged and foreign codes refused; a
//! 支援措置 household only with a reason.

mod counters;
mod history;
mod items;
mod tax;

use axum::http::{Method, StatusCode};
use madoguchi_store::TenantId;
use madoguchi_testkit::app::{TestApp, req};
use madoguchi_testkit::residents::atena;
use madoguchi_testkit::staff::{PASSWORD, TEST_COUNTERS};
use madoguchi_testkit::terminal::TestDevice;
use serde_json::{Value, json};

use crate::common::{case_document, pdf_text, recent_audit, save_case};

async fn login(app: &TestApp, tenant: &str) -> String {
    let device = TestDevice::enroll(
        app.store.as_ref(),
        &TenantId(tenant.into()),
        "term-1",
        TEST_COUNTERS,
    );
    app.login_with(&device.login(tenant, "staff", PASSWORD, "市民課1番"))
        .await
}

/// Saves case `id` about resident `seq` with the given certificate lines.
async fn case_with(app: &TestApp, token: &str, id: &str, seq: u64, lines: Value) {
    let mut doc = case_document(&atena(seq), "髙橋\u{3000}太郎");
    doc["certificates"] = lines;
    save_case(app, token, id, doc).await;
}

fn qr_symbols(pdf: &[u8], page: usize) -> Vec<String> {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("p.pdf");
    std::fs::write(&path, pdf).expect("write");
    let out = std::process::Command::new("pdftoppm")
        .args([
            "-r",
            "200",
            "-gray",
            "-f",
            &page.to_string(),
            "-l",
            &page.to_string(),
        ])
        .arg(&path)
        .output()
        .expect("pdftoppm (poppler-utils)");
    madoguchi_qr::symbol::decode_pgm(&out.stdout)
}

async fn verify(app: &TestApp, token: &str, symbol: &str) -> Value {
    let (s, v, _) = app
        .call(req(
            Method::POST,
            "/api/v1/certificates/verify",
            token,
            &json!({"symbols": [symbol]}),
        ))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v
}

#[tokio::test]
async fn a_case_issues_its_juminhyo_once_and_the_qr_verifies_until_revoked() {
    let app = TestApp::builder().build();
    let token = login(&app, "t1").await;
    let lines = json!([{"item": "JUMINHYO", "copies": 2}, {"item": "KOSEKI-ZENBU", "copies": 1}]);
    case_with(&app, &token, "case-cert-0001", 1, lines).await;
    let uri = "/api/v1/cases/case-cert-0001/certificates";
    let body = json!({"write_id": "issue-0001"});
    let res = app.response(req(Method::POST, uri, &token, &body)).await;
    assert_eq!(res.status(), StatusCode::OK);
    let numbers = res.headers()["x-madoguchi-issue-numbers"]
        .to_str()
        .expect("header")
        .to_owned();
    let today = madoguchi_server::clock::today_jst();
    let fy = madoguchi_core::certificate::fiscal_year(today);
    let first = madoguchi_core::certificate::IssueNo::new(fy, 1).to_string();
    let second = madoguchi_core::certificate::IssueNo::new(fy, 2).to_string();
    assert_eq!(numbers, format!("{first},{second}"));
    let pdf = axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .expect("body")
        .to_vec();
    let text = pdf_text(&pdf);
    let wareki = madoguchi_core::wareki::to_wareki(today)
        .expect("wareki")
        .to_string();
    for expected in ["住民票の写し", "髙橋", "世帯主", &wareki, &first, &second] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
    assert!(text.contains("原本と相違ない"), "認証文: {text}");

    // The same write again: the same numbers and the same bytes (a reprint), no new number.
    let (s, _, again) = app.call(req(Method::POST, uri, &token, &body)).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(again, pdf, "a reprint is byte-identical");
    // The case's history says what was issued, once.
    let (_, v, _) = app
        .call(req(
            Method::GET,
            "/api/v1/cases/case-cert-0001",
            &token,
            &Value::Null,
        ))
        .await;
    let issued: Vec<String> = v["history"]
        .as_array()
        .expect("history")
        .iter()
        .flat_map(|e| e["lines"].as_array().cloned().unwrap_or_default())
        .filter_map(|l| l.as_str().map(str::to_owned))
        .filter(|l| l.starts_with("証明書を発行"))
        .collect();
    assert_eq!(
        issued,
        [format!(
            "証明書を発行: 住民票の写し 2通（発行番号 {first}、{second}）"
        )]
    );

    // The QR on the first certificate verifies as 有効, naming the people but no address.
    let symbols = qr_symbols(&pdf, 1);
    let cert_symbol = symbols
        .iter()
        .find(|s| s.starts_with("MDG1."))
        .cloned()
        .expect("a verification QR on the certificate");
    let v = verify(&app, &token, &cert_symbol).await;
    assert_eq!(v["state"], "valid", "{v}");
    assert_eq!(v["certificate"]["issue_no"], first.as_str());
    assert_eq!(v["certificate"]["title"], "住民票の写し");
    assert!(
        v["certificate"]["name"]
            .as_str()
            .is_some_and(|n| n.contains("髙橋"))
    );
    assert!(
        !v.to_string().contains("本町"),
        "no address in the answer: {v}"
    );

    // Revoked: the same code now says 失効, and a second revocation is refused.
    let revoke = format!("/api/v1/certificates/{first}/revoke");
    let (s, v, _) = app
        .call(req(
            Method::POST,
            &revoke,
            &token,
            &json!({"reason": "記載誤りのため"}),
        ))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["revoke_reason"], "記載誤りのため");
    let v = verify(&app, &token, &cert_symbol).await;
    assert_eq!(v["state"], "revoked", "{v}");
    let (s, v, _) = app
        .call(req(Method::POST, &revoke, &token, &json!({"reason": "再"})))
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("already_revoked"))
    );
    let (s, v, _) = app
        .call(req(
            Method::POST,
            &revoke.replace("000001", "000099"),
            &token,
            &json!({"reason": "x"}),
        ))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{v}");
    let (s, v, _) = app
        .call(req(Method::POST, &revoke, &token, &json!({"reason": " "})))
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("reason_required"))
    );

    // A forged code (one character changed) and another city's reading of it are not ours.
    let mut forged = cert_symbol.clone();
    let at = forged.len() - 10;
    let c = if &forged[at..=at] == "A" { "B" } else { "A" };
    forged.replace_range(at..=at, c);
    assert_eq!(verify(&app, &token, &forged).await["state"], "not_ours");
    let other = login(&app, "t2").await;
    let v = verify(&app, &other, &cert_symbol).await;
    assert_eq!(v["state"], "not_ours");
    assert!(
        v["certificate"].is_null(),
        "nothing of t1 in t2's answer: {v}"
    );

    // Every step is in the audit log with the numbers.
    let records = recent_audit(&app, "t1");
    let actions: Vec<(&str, &str)> = records
        .iter()
        .filter(|r| r.event.action.starts_with("certificate."))
        .map(|r| (r.event.action.as_str(), r.event.result.as_str()))
        .collect();
    assert_eq!(
        actions,
        [
            ("certificate.issue", "ok"),
            ("certificate.reprint", "ok"),
            ("certificate.verify", "valid"),
            ("certificate.revoke", "ok"),
            ("certificate.verify", "revoked"),
            ("certificate.verify", "not_ours"),
        ]
    );
    let issue = records
        .iter()
        .find(|r| r.event.action == "certificate.issue")
        .expect("issue audited");
    assert_eq!(
        issue.event.subject.as_deref(),
        Some(format!("case:case-cert-0001 {first} {second}").as_str())
    );
}

#[tokio::test]
async fn a_support_measure_household_gets_a_certificate_only_with_a_reason() {
    let app = TestApp::builder().build();
    let token = login(&app, "t1").await;
    // Resident 8 is under 支援措置.
    case_with(
        &app,
        &token,
        "case-cert-dv01",
        8,
        json!([{"item": "JUMINHYO", "copies": 1, "scope": "本人のみ"}]),
    )
    .await;
    let uri = "/api/v1/cases/case-cert-dv01/certificates";
    let (s, v, _) = app
        .call(req(
            Method::POST,
            uri,
            &token,
            &json!({"write_id": "issue-dv-01"}),
        ))
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("support_measure_protected"))
    );
    let body = json!({"write_id": "issue-dv-02", "override_reason": "本人が来庁し本人確認済み"});
    let (s, _, pdf) = app.call(req(Method::POST, uri, &token, &body)).await;
    assert_eq!(s, StatusCode::OK);
    assert!(pdf_text(&pdf).contains("渡邉"));
    let records = recent_audit(&app, "t1");
    let outcomes: Vec<(&str, Option<&str>)> = records
        .iter()
        .filter(|r| r.event.action == "certificate.issue")
        .map(|r| (r.event.result.as_str(), r.event.reason.as_deref()))
        .collect();
    assert_eq!(
        outcomes,
        [
            ("refused_support_measure", None),
            ("ok", Some("本人が来庁し本人確認済み"))
        ]
    );
}

#[tokio::test]
async fn a_case_without_a_juminhyo_line_or_with_a_bad_option_issues_nothing() {
    let app = TestApp::builder().build();
    let token = login(&app, "t1").await;
    case_with(
        &app,
        &token,
        "case-cert-none",
        1,
        json!([{"item": "KOSEKI-ZENBU", "copies": 1}]),
    )
    .await;
    let (s, v, _) = app
        .call(req(
            Method::POST,
            "/api/v1/cases/case-cert-none/certificates",
            &token,
            &json!({"write_id": "issue-none"}),
        ))
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("no_certificates"))
    );
    assert!(
        v["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("住民票の写し"))
    );
    case_with(
        &app,
        &token,
        "case-cert-bad",
        1,
        json!([{"item": "JUMINHYO", "copies": 1, "items": ["kojin_bango"]}]),
    )
    .await;
    let (s, v, _) = app
        .call(req(
            Method::POST,
            "/api/v1/cases/case-cert-bad/certificates",
            &token,
            &json!({"write_id": "issue-bad"}),
        ))
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_items"))
    );
    // Nothing was numbered: the next issue takes number 1.
    case_with(
        &app,
        &token,
        "case-cert-good",
        1,
        json!([{"item": "JUMINHYO", "copies": 1}]),
    )
    .await;
    let res = app
        .response(req(
            Method::POST,
            "/api/v1/cases/case-cert-good/certificates",
            &token,
            &json!({"write_id": "issue-good"}),
        ))
        .await;
    let numbers = res.headers()["x-madoguchi-issue-numbers"]
        .to_str()
        .expect("h")
        .to_owned();
    assert!(numbers.ends_with("-000001"), "{numbers}");
}

/// An app on a SQLite file (to reach the database beside the API), a 住民票の写し issued for resident 1
/// in case `case_id`, and the text of its verification QR.
async fn issued_on_file(dir: &std::path::Path, case_id: &str) -> (TestApp, String, String) {
    let store = madoguchi_store_sqlite::SqliteStore::open(&dir.join("c.sqlite3")).expect("store");
    let app = TestApp::builder().store(store).build();
    let token = login(&app, "t1").await;
    case_with(
        &app,
        &token,
        case_id,
        1,
        json!([{"item": "JUMINHYO", "copies": 1}]),
    )
    .await;
    let (s, _, pdf) = app
        .call(req(
            Method::POST,
            &format!("/api/v1/cases/{case_id}/certificates"),
            &token,
            &json!({"write_id": format!("issue-{case_id}")}),
        ))
        .await;
    assert_eq!(s, StatusCode::OK);
    let symbol = qr_symbols(&pdf, 1).into_iter().next().expect("QR");
    (app, token, symbol)
}

#[tokio::test]
async fn the_command_line_verifies_and_revokes_a_certificate() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("c.sqlite3");
    let (_app, _token, symbol) = issued_on_file(dir.path(), "case-cert-cli1").await;
    let cli = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_madoguchi-server"))
            .arg("--database")
            .arg(format!("sqlite://{}", db.display()))
            .args(["--tenant", "t1", "certificate"])
            .args(args)
            .env("RUST_LOG", "warn")
            .output()
            .expect("run");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.code(), text)
    };
    let (code, text) = cli(&["verify", &symbol]);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.starts_with("有効: "), "{text}");
    assert!(text.contains("髙橋"), "{text}");
    assert!(!text.contains("本町"), "no address: {text}");
    let issue_no = text
        .lines()
        .find_map(|l| l.strip_prefix("発行番号: "))
        .expect("number")
        .to_owned();
    let (code, text) = cli(&["revoke", &issue_no, "--reason", "窓口で回収"]);
    assert_eq!(code, Some(0), "{text}");
    let (code, text) = cli(&["verify", &symbol]);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.starts_with("失効: "), "{text}");
    assert!(text.contains("窓口で回収"), "{text}");
    let (code, text) = cli(&["revoke", &issue_no, "--reason", "二度目"]);
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("既に失効"), "{text}");
    let (code, text) = cli(&["verify", "MDG1.1.1.AAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAA"]);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.starts_with("本市発行ではない: "), "{text}");
}

#[tokio::test]
async fn the_city_sets_its_mayor_and_seal_and_sees_a_sample() {
    let app = TestApp::builder().build();
    let token = login(&app, "t1").await;
    let uri = "/api/v1/admin/certificate-settings";
    let (s, v, _) = app.call(req(Method::GET, uri, &token, &Value::Null)).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["mayor_is_default"], true);
    assert!(v["seal"].is_null());
    let example: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../forms/examples/juminhyo-setai.json"
        ))
        .expect("example"),
    )
    .expect("json");
    let seal = example["certificate"]["seal_image"].as_str().expect("seal");
    let body = json!({"mayor": "さくら野市長　桜井　一郎", "seal_png": seal});
    let (s, v, _) = app.call(req(Method::PUT, uri, &token, &body)).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["mayor"], "さくら野市長　桜井　一郎");
    assert_eq!(v["seal"]["width_px"], 200);
    assert_eq!(v["seal"]["sha256"].as_str().map(str::len), Some(64));
    assert!(
        !v.to_string().contains("base64"),
        "the image is never sent back"
    );
    // Refused: not a PNG, a mayor line of two lines.
    let (s, v, _) = app
        .call(req(
            Method::PUT,
            uri,
            &token,
            &json!({"mayor": "x", "seal_png": "/9j/4AAQSkZJRg=="}),
        ))
        .await;
    assert_eq!(
        (s, v["error"]["message"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("公印の画像はPNG形式にしてください。")
        )
    );
    let (s, _, _) = app
        .call(req(
            Method::PUT,
            uri,
            &token,
            &json!({"mayor": "一行目\n二行目"}),
        ))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    // The sample shows the settings and 見本; nothing is numbered.
    let (s, _, pdf) = app
        .call(req(
            Method::POST,
            &format!("{uri}/preview"),
            &token,
            &Value::Null,
        ))
        .await;
    assert_eq!(s, StatusCode::OK);
    let text = pdf_text(&pdf);
    assert!(text.contains("桜井"), "{text}");
    assert!(text.contains("見本"), "{text}");
    // A real certificate carries them too.
    case_with(
        &app,
        &token,
        "case-cert-seal",
        1,
        json!([{"item": "JUMINHYO", "copies": 1}]),
    )
    .await;
    let (s, _, pdf) = app
        .call(req(
            Method::POST,
            "/api/v1/cases/case-cert-seal/certificates",
            &token,
            &json!({"write_id": "issue-seal"}),
        ))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(pdf_text(&pdf).contains("桜井"));
    let images = std::process::Command::new("pdfimages")
        .arg("-list")
        .arg({
            let path = std::env::temp_dir().join("madoguchi-seal-check.pdf");
            std::fs::write(&path, &pdf).expect("write");
            path
        })
        .output()
        .expect("pdfimages (poppler-utils)");
    let list = String::from_utf8_lossy(&images.stdout);
    assert!(
        list.lines().any(|l| l.contains(" 200   200 ")),
        "the 公印 is on the certificate: {list}"
    );
    // Removing the seal.
    let (s, v, _) = app
        .call(req(
            Method::PUT,
            uri,
            &token,
            &json!({"mayor": "", "remove_seal": true}),
        ))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(v["seal"].is_null());
    assert_eq!(v["mayor_is_default"], true);
}

/// A registration of resident `seq` (`abolished`: 廃止 on that date) with the example 印影 of the
/// template, 15 mm square.
fn seal(seq: u64, abolished: Option<chrono::NaiveDate>) -> madoguchi_store::SealRegistrationChange {
    use base64::Engine;
    let example: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../forms/examples/inkan-shomei.json"
        ))
        .expect("example"),
    )
    .expect("json");
    let url = example["seal"]["image"].as_str().expect("image");
    let png = base64::engine::general_purpose::STANDARD
        .decode(url.trim_start_matches("data:image/png;base64,"))
        .expect("base64");
    madoguchi_store::SealRegistrationChange::Put(madoguchi_store::SealRegistration {
        atena_no: madoguchi_core::ids::AtenaNo::from_sequence(seq),
        registration_no: format!("10000{seq}"),
        registered_on: chrono::NaiveDate::from_ymd_opt(2010, 4, 1).expect("date"),
        abolished_on: abolished,
        image: Some(png),
        image_type: Some("png".into()),
        width_tenth_mm: Some(150),
        height_tenth_mm: Some(150),
    })
}

fn app_with_seals() -> TestApp {
    TestApp::builder()
        .setup(|store| {
            let tenant = TenantId("t1".into());
            let changes = [
                seal(2, None),
                seal(1, chrono::NaiveDate::from_ymd_opt(2025, 4, 1)),
            ];
            let meta = madoguchi_store::ImportMeta {
                mode: madoguchi_store::ImportMode::Full,
                sha256: "seals-1".into(),
                source_name: "inkan/full_000001.csv".into(),
                started_at: chrono::Utc::now(),
                audit: None,
            };
            store
                .import_seal_registrations(&tenant, &meta, &changes)
                .expect("seals");
        })
        .build()
}

#[tokio::test]
async fn a_seal_certificate_prints_the_registered_impression_and_verifies() {
    let app = app_with_seals();
    let token = login(&app, "t1").await;
    let lines = json!([{"item": "JUMINHYO", "copies": 1, "scope": "本人のみ"}, {"item": "INKAN-SHOMEI", "copies": 1}]);
    case_with(&app, &token, "case-inkan-01", 2, lines).await;
    let res = app
        .response(req(
            Method::POST,
            "/api/v1/cases/case-inkan-01/certificates",
            &token,
            &json!({"write_id": "issue-inkan-01"}),
        ))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let numbers = res.headers()["x-madoguchi-issue-numbers"]
        .to_str()
        .expect("h")
        .to_owned();
    let pdf = axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .expect("body")
        .to_vec();
    let text = pdf_text(&pdf);
    for expected in [
        "住民票の写し",
        "印鑑登録証明書",
        "100002",
        "髙橋",
        "登録されている印影と相違ない",
    ] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
    let numbers: Vec<&str> = numbers.split(',').collect();
    assert_eq!(numbers.len(), 2);
    // The 印影 is on the certificate (the example's 96 px image), and its QR verifies.
    let path = std::env::temp_dir().join("madoguchi-inkan-check.pdf");
    std::fs::write(&path, &pdf).expect("write");
    let images = std::process::Command::new("pdfimages")
        .args(["-list"])
        .arg(&path)
        .output()
        .expect("pdfimages");
    let list = String::from_utf8_lossy(&images.stdout);
    assert!(list.lines().any(|l| l.contains("    96    96 ")), "{list}");
    let last_page = text.matches('\u{c}').count();
    let symbol = qr_symbols(&pdf, last_page.max(1))
        .into_iter()
        .next()
        .expect("QR on the seal certificate");
    let v = verify(&app, &token, &symbol).await;
    assert_eq!(v["state"], "valid", "{v}");
    assert_eq!(v["certificate"]["title"], "印鑑登録証明書");
    assert_eq!(v["certificate"]["issue_no"], numbers[1]);
    let (_, v, _) = app
        .call(req(
            Method::GET,
            "/api/v1/cases/case-inkan-01",
            &token,
            &Value::Null,
        ))
        .await;
    assert!(
        v["history"].to_string().contains(&format!(
            "証明書を発行: 住民票の写し 1通（発行番号 {}）、印鑑登録証明書 1通（発行番号 {}）",
            numbers[0], numbers[1]
        )),
        "{}",
        v["history"]
    );
}

#[tokio::test]
async fn a_seal_certificate_is_refused_without_a_registration_for_an_abolished_one_and_under_15() {
    let app = app_with_seals();
    let token = login(&app, "t1").await;
    let issue = |case: &'static str| {
        let app = &app;
        let token = token.clone();
        async move {
            app.call(req(
                Method::POST,
                &format!("/api/v1/cases/{case}/certificates"),
                &token,
                &json!({"write_id": format!("issue-{case}")}),
            ))
            .await
        }
    };
    let line = json!([{"item": "INKAN-SHOMEI", "copies": 1}]);
    // Resident 1: 廃止. Resident 3 (born 2012): under 15 and not registered.
    case_with(&app, &token, "case-inkan-ab", 1, line.clone()).await;
    case_with(&app, &token, "case-inkan-15", 3, line).await;
    let (s, v, _) = issue("case-inkan-ab").await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("certificate_refused")
        )
    );
    assert!(
        v["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("令和7年4月1日に廃止")),
        "{v}"
    );
    let (s, v, _) = issue("case-inkan-15").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let message = v["error"]["message"].as_str().unwrap_or_default();
    assert!(message.contains("15歳未満"), "{message}");
    assert!(message.contains("印鑑登録がありません"), "{message}");
}

#[tokio::test]
async fn a_record_altered_in_the_database_verifies_as_altered() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("c.sqlite3");
    let (app, token, symbol) = issued_on_file(dir.path(), "case-cert-alt1").await;
    assert_eq!(verify(&app, &token, &symbol).await["state"], "valid");
    // Someone with database access changes a name in the stored record: the digest no longer
    // matches the QR's, and the record says so instead of vouching for the changed text.
    let conn = rusqlite::Connection::open(&db).expect("open");
    let changed = conn
        .execute(
            "UPDATE certificates SET snapshot = replace(snapshot, '髙橋', '高橋')",
            [],
        )
        .expect("update");
    assert_eq!(changed, 1);
    let v = verify(&app, &token, &symbol).await;
    assert_eq!(v["state"], "altered", "{v}");
    assert!(
        v["message"]
            .as_str()
            .is_some_and(|m| m.contains("一致しません")),
        "{v}"
    );
}
