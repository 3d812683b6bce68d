//! The form template editor (issue 20 point 3): a version's source, the live preview of a draft with
//! the form's sample data (the PDF and every problem: TOML errors with their position, binds the data
//! never has, overflows), and publishing a draft as a new version from its 施行日.

use axum::http::{Method, StatusCode};
use base64::Engine;
use madoguchi_testkit::app::{TestApp, get, req};
use serde_json::{Value, json};

async fn source(app: &TestApp, token: &str, id: &str, version: &str) -> String {
    let (s, v) = app
        .send(get(
            &format!("/api/v1/admin/form-templates/{id}/{version}"),
            token,
        ))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v["source"].as_str().expect("source").to_owned()
}

async fn preview(app: &TestApp, token: &str, source: &str) -> Value {
    let (s, v) = app
        .send(req(
            Method::POST,
            "/api/v1/admin/form-templates/preview",
            token,
            &json!({ "source": source }),
        ))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v
}

fn kinds(v: &Value) -> Vec<String> {
    v["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .map(|p| p["kind"].as_str().unwrap_or("").to_owned())
        .collect()
}

fn pdf_text(v: &Value) -> String {
    let pdf = base64::engine::general_purpose::STANDARD
        .decode(v["pdf_base64"].as_str().expect("pdf"))
        .expect("base64");
    assert!(pdf.starts_with(b"%PDF-"));
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("p.pdf");
    std::fs::write(&path, &pdf).expect("write");
    let out = std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[tokio::test]
async fn the_preview_renders_a_draft_with_sample_data_and_lists_its_problems() {
    let app = TestApp::new();
    let token = app.login_as("t1", "staff", "1").await;
    let original = source(&app, &token, "ido-todoke", "2026-04").await;
    assert!(original.contains("id = \"ido-todoke\""));
    // The unchanged standard template: a PDF with the sample's text and no problems.
    let v = preview(&app, &token, &original).await;
    assert_eq!(
        (v["sample"].as_str(), v["publishable"].as_bool()),
        (Some("ido-todoke"), Some(true)),
        "{}",
        v["problems"]
    );
    assert_eq!(kinds(&v), Vec::<String>::new(), "{}", v["problems"]);
    assert!(pdf_text(&v).contains("住民異動届"));
    // A changed label shows in the PDF.
    let relabelled = original.replacen("name = \"住民異動届\"", "name = \"住民異動届（改）\"", 1);
    let v = preview(&app, &token, &relabelled).await;
    assert_eq!(v["publishable"], true, "{}", v["problems"]);
    // A box too small for its value: reported as an overflow on its page (and framed in red).
    let narrow = format!(
        "{original}\n[[elements]]\nkind = \"text\"\nx = 10\ny = 280\nw = 6\nh = 3\nmin_size = 6\nonly_on = \"first\"\nbind = \"new_address.full\"\n"
    );
    let v = preview(&app, &token, &narrow).await;
    assert_eq!(kinds(&v), ["overflow"], "{}", v["problems"]);
    assert_eq!(v["problems"][0]["page"], 1);
    assert!(
        v["problems"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("枠に収まりません")),
        "{}",
        v["problems"]
    );
    assert_eq!(v["publishable"], true, "an overflow is a warning");
    // A TOML error: no PDF, the line and column.
    let v = preview(&app, &token, "id = \"x\"\nname = \n").await;
    assert_eq!(
        (v["pdf_base64"].is_null(), v["publishable"].as_bool()),
        (true, Some(false))
    );
    assert_eq!(kinds(&v), ["template"]);
    assert_eq!(v["problems"][0]["line"], 2, "{v}");
    // An unknown sample is refused.
    let (s, v) = app
        .send(req(
            Method::POST,
            "/api/v1/admin/form-templates/preview",
            &token,
            &json!({ "source": original, "sample": "no-such-form" }),
        ))
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    let (s, _) = app
        .send(get(
            "/api/v1/admin/form-templates/ido-todoke/1999-01",
            &token,
        ))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_template_whose_field_does_not_exist_is_refused_naming_the_element_and_the_bind() {
    let app = TestApp::new();
    let token = app.login_as("t1", "staff", "1").await;
    let original = source(&app, &token, "ido-todoke", "2026-04").await;
    let typo = original
        .replacen("bind = \"applicant.name\"", "bind = \"applicant.nmae\"", 1)
        .replacen("version = \"2026-04\"", "version = \"2027-04\"", 1)
        .replacen("valid_from = 2026-04-01", "valid_from = 2027-04-01", 1)
        .replacen(
            "valid_from = \"2026-04-01\"",
            "valid_from = \"2027-04-01\"",
            1,
        );
    let v = preview(&app, &token, &typo).await;
    assert_eq!(kinds(&v), ["unknown_bind"], "{}", v["problems"]);
    assert_eq!(v["publishable"], false);
    let message = v["problems"][0]["message"].as_str().expect("message");
    assert!(
        message.contains("番目の要素") && message.contains("「applicant.nmae」"),
        "{message}"
    );
    // Publishing it is refused with the same reason.
    let (s, v) = app
        .send(
            axum::http::Request::post("/api/v1/admin/form-templates")
                .header("authorization", format!("Bearer {token}"))
                .body(axum::body::Body::from(typo))
                .expect("request"),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(v["error"]["code"], "unknown_bind", "{v}");
    assert!(
        v["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("applicant.nmae") && m.contains("番目の要素")),
        "{v}"
    );
}

async fn publish(
    app: &TestApp,
    token: &str,
    source: &str,
    version: &str,
    from: &str,
) -> (StatusCode, Value) {
    app.send(req(
        Method::POST,
        "/api/v1/admin/form-templates/publish",
        token,
        &json!({ "source": source, "version": version, "valid_from": from }),
    ))
    .await
}

#[tokio::test]
async fn an_edited_version_is_published_from_its_date_and_listed() {
    let app = TestApp::new();
    let token = app.login_as("t1", "staff", "1").await;
    let original = source(&app, &token, "uketsukehyo", "2026-04").await;
    let edited = original.replacen("受付番号", "受付の番号", 1);
    // A bad label or date is refused in Japanese.
    let (s, v) = publish(&app, &token, &edited, "版 1", "2027-01-01").await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert!(
        v["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("版の名前")),
        "{v}"
    );
    let (s, v) = publish(&app, &token, &edited, "2027-01-01", "2027-13-01").await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    let (s, v) = publish(&app, &token, &edited, "2027-01-01", "2027-01-01").await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(
        (
            v["version"].as_str(),
            v["valid_from"].as_str(),
            v["origin"].as_str()
        ),
        (Some("2027-01-01"), Some("2027-01-01"), Some("tenant"))
    );
    // The new version's source is readable back, with its label and date; the same label again, or a
    // period overlapping it, is refused.
    let back = source(&app, &token, "uketsukehyo", "2027-01-01").await;
    assert!(
        back.contains("version = \"2027-01-01\"") && back.contains("valid_from = \"2027-01-01\"")
    );
    assert_eq!(back.contains("受付の番号"), edited.contains("受付の番号"));
    // Another tenant neither reads it nor prints with it.
    let other = app.login_as("t2", "staff", "1").await;
    let (s, _) = app
        .send(get(
            "/api/v1/admin/form-templates/uketsukehyo/2027-01-01",
            &other,
        ))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, v) = publish(&app, &token, &edited, "2027-01-01", "2028-01-01").await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    let (s, v) = publish(&app, &token, &edited, "2026-12", "2026-12-01").await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    assert!(
        v["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("重なって")),
        "{v}"
    );
    let (_, list) = app.send(get("/api/v1/admin/form-templates", &token)).await;
    let versions: Vec<(Value, Value, Value)> = list
        .as_array()
        .expect("list")
        .iter()
        .filter(|t| t["id"] == "uketsukehyo")
        .map(|t| {
            (
                t["version"].clone(),
                t["valid_until"].clone(),
                t["origin"].clone(),
            )
        })
        .collect();
    assert_eq!(
        versions,
        [
            (json!("2026-04"), json!("2027-01-01"), json!("standard")),
            (json!("2027-01-01"), Value::Null, json!("tenant")),
        ]
    );
}
