//! The template editor's background PDFs (a city's official form uploaded, named by a template and
//! placed under its elements) and its preview with a chosen case's data (through the 支援措置 gate).

use axum::http::{Method, StatusCode};
use base64::Engine;
use madoguchi_core::permission::Permission;
use madoguchi_testkit::app::{TestApp, get, req};
use madoguchi_testkit::residents::atena;
use serde_json::{Value, json};

use crate::common::{case_document, pdf_text, recent_audit, save_case, user_without};

async fn upload(app: &TestApp, token: &str, name: &str, pdf: &[u8]) -> (StatusCode, Value) {
    let body =
        json!({"name": name, "pdf_base64": base64::engine::general_purpose::STANDARD.encode(pdf)});
    app.send(req(
        Method::POST,
        "/api/v1/admin/form-backgrounds",
        token,
        &body,
    ))
    .await
}

async fn preview(app: &TestApp, token: &str, body: Value) -> (StatusCode, Value) {
    app.send(req(
        Method::POST,
        "/api/v1/admin/form-templates/preview",
        token,
        &body,
    ))
    .await
}

fn pdf_of(v: &Value) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .decode(v["pdf_base64"].as_str().expect("pdf"))
        .expect("base64")
}

fn kinds(v: &Value) -> Vec<&str> {
    v["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .filter_map(|p| p["kind"].as_str())
        .collect()
}

/// A one-page template on background `file`, with one bound field over it.
fn on_background(file: &str, version: &str) -> String {
    format!(
        "id = \"tokubetsu\"\nname = \"市の独自様式\"\nversion = \"{version}\"\nvalid_from = \"2026-04-01\"\npersonal = false\n\
         [page]\nsize = \"A4\"\nbackground = {{ file = \"{file}\", page = 1, x = 0, y = 0 }}\n\
         [[elements]]\nkind = \"text\"\nx = 120\ny = 280\nw = 80\nh = 8\ntext = \"市の独自欄\"\n"
    )
}

/// The "official form": the standard 住民異動届 as the preview renders it, standing in for a city's PDF.
async fn official_pdf(app: &TestApp, token: &str) -> Vec<u8> {
    let (_, v) = app
        .send(get(
            "/api/v1/admin/form-templates/ido-todoke/2026-04",
            token,
        ))
        .await;
    let (s, v) = preview(app, token, json!({"source": v["source"]})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    pdf_of(&v)
}

#[tokio::test]
async fn a_background_pdf_is_uploaded_once_named_by_a_template_and_printed_under_it() {
    let app = TestApp::new();
    let token = app.login_as("t1", "staff", "1").await;
    let official = official_pdf(&app, &token).await;
    let (s, v) = app
        .send(get("/api/v1/admin/form-backgrounds", &token))
        .await;
    assert_eq!((s, v.clone()), (StatusCode::OK, json!([])));

    // Bad input: not a PDF, a broken PDF, a bad name; nothing stored.
    let (s, v) = upload(&app, &token, "official.pdf", b"hello").await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_pdf"))
    );
    assert!(
        v["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("PDFファイルではありません"))
    );
    let (s, v) = upload(
        &app,
        &token,
        "official.pdf",
        &official[..official.len() / 3],
    )
    .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_pdf")),
        "{v}"
    );
    for name in ["../official.pdf", "official.txt", "", ".pdf"] {
        let (s, v) = upload(&app, &token, name, &official).await;
        assert_eq!(
            (s, v["error"]["code"].as_str()),
            (StatusCode::BAD_REQUEST, Some("invalid_name")),
            "{name}"
        );
    }
    // Before its upload, a template naming it previews without it and cannot be published.
    let (s, v) = preview(
        &app,
        &token,
        json!({"source": on_background("official.pdf", "1")}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        (kinds(&v), v["publishable"].as_bool()),
        (vec!["background", "no_sample"], Some(false)),
        "{v}"
    );
    let (s, v) = app
        .send(req(Method::POST, "/api/v1/admin/form-templates/publish", &token,
            &json!({"source": on_background("official.pdf", "1"), "version": "1", "valid_from": "2026-04-01"})))
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_background")),
        "{v}"
    );

    // Uploaded once; the name is never reused.
    let (s, v) = upload(&app, &token, "official.pdf", &official).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(
        (v["name"].as_str(), v["size"].as_u64()),
        (Some("official.pdf"), Some(official.len() as u64))
    );
    let (s, v) = upload(&app, &token, "official.pdf", &official).await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("background_exists"))
    );
    let (_, v) = app
        .send(get("/api/v1/admin/form-backgrounds", &token))
        .await;
    assert_eq!(v.as_array().map(Vec::len), Some(1));
    let other = app.login_as("t2", "staff", "1").await;
    let (_, v) = app
        .send(get("/api/v1/admin/form-backgrounds", &other))
        .await;
    assert_eq!(v, json!([]), "another city sees none");

    // The preview draws the background under the template's own text, with the grid on request.
    let (_, v) = preview(
        &app,
        &token,
        json!({"source": on_background("official.pdf", "1"), "grid": true}),
    )
    .await;
    assert_eq!(
        (kinds(&v), v["publishable"].as_bool()),
        (vec!["no_sample"], Some(true)),
        "{v}"
    );
    let text = pdf_text(&pdf_of(&v));
    for want in ["住民異動届", "市の独自欄", "190"] {
        assert!(text.contains(want), "{want}: {text}");
    }
    // Published, listed with its background, and printed on it.
    let (s, v) = app
        .send(req(Method::POST, "/api/v1/admin/form-templates/publish", &token,
            &json!({"source": on_background("official.pdf", "1"), "version": "2026-04", "valid_from": "2026-04-01"})))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["background"], "official.pdf");
    let (s, _, pdf) = app
        .call(req(
            Method::POST,
            "/api/v1/forms/print",
            &token,
            &json!({"subjects": [], "forms": [{"template": "tokubetsu", "data": {}}]}),
        ))
        .await;
    assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&pdf));
    let text = pdf_text(&pdf);
    assert!(
        text.contains("住民異動届") && text.contains("市の独自欄"),
        "{text}"
    );
    assert!(!text.contains("190"), "no grid on a print");
    let actions: Vec<String> = recent_audit(&app, "t1")
        .into_iter()
        .map(|r| format!("{} {}", r.event.action, r.event.result))
        .collect();
    assert!(
        actions.contains(&"form_background.add ok".to_owned()),
        "{actions:?}"
    );
    assert!(
        actions.contains(&"form_background.add conflict".to_owned()),
        "{actions:?}"
    );
}

#[tokio::test]
async fn the_preview_shows_a_chosen_case_through_the_support_measure_gate() {
    let app = TestApp::new();
    let token = app.login_as("t1", "staff", "1").await;
    let (_, v) = app
        .send(get(
            "/api/v1/admin/form-templates/ido-todoke/2026-04",
            &token,
        ))
        .await;
    let source = v["source"].as_str().expect("source").to_owned();
    save_case(
        &app,
        &token,
        "case-pv-00001",
        case_document(&atena(3), "髙橋\u{3000}太郎"),
    )
    .await;
    let (s, v) = preview(
        &app,
        &token,
        json!({"source": source, "case_id": "case-pv-00001"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        (v["case_id"].as_str(), v["sample"].as_str()),
        (Some("case-pv-00001"), None)
    );
    let text = pdf_text(&pdf_of(&v));
    assert!(
        text.contains("本町二丁目3番4号") && text.contains("タカハシ"),
        "the case's own data: {text}"
    );
    let audit = recent_audit(&app, "t1");
    assert!(
        audit
            .iter()
            .any(|r| r.event.action == "form_template.preview"
                && r.event.subject.as_deref() == Some("case:case-pv-00001 ido-todoke")),
        "the case shown is audited"
    );

    // A case of another city, or none: not found.
    let other = app.login_as("t2", "staff", "1").await;
    let (s, _) = preview(
        &app,
        &other,
        json!({"source": source, "case_id": "case-pv-00001"}),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // 支援措置: refused without a reason; with one, shown and the reason audited.
    save_case(
        &app,
        &token,
        "case-pv-00002",
        case_document(&atena(8), "渡邉\u{3000}さくら"),
    )
    .await;
    let (s, v) = preview(
        &app,
        &token,
        json!({"source": source, "case_id": "case-pv-00002"}),
    )
    .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("support_measure_protected")),
        "{v}"
    );
    let reason = "様式の配置確認のため（課長承認）";
    let (s, _) = preview(
        &app,
        &token,
        json!({"source": source, "case_id": "case-pv-00002", "override_reason": reason}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        recent_audit(&app, "t1")
            .iter()
            .any(|r| r.event.action == "form_template.preview"
                && r.event.subject.as_deref() == Some("case:case-pv-00002 ido-todoke")
                && r.event.reason.as_deref() == Some(reason))
    );
    // An administrator who may not print forms sees no case.
    user_without(&app, "noprint", Permission::PrintForms);
    let t = app.login_as("t1", "noprint", "1").await;
    let (s, v) = preview(
        &app,
        &t,
        json!({"source": source, "case_id": "case-pv-00001"}),
    )
    .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("forbidden")),
        "{v}"
    );
    let (s, _) = preview(&app, &t, json!({"source": source})).await;
    assert_eq!(s, StatusCode::OK, "sample data needs no print permission");
}
