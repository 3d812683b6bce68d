//! Per-procedure permissions on a case save, by the route and by the terminals' upload: accepting a
//! procedure needs the permission it declares, adding certificate lines needs `request_certificate`;
//! refused with 403 naming the procedure, audited as a denial.

use axum::http::{Method, StatusCode};
use madoguchi_core::permission::Permission;
use madoguchi_testkit::app::TestApp;
use serde_json::{Value, json};

use crate::common::{call, case_document, recent_audit, user_without};

fn accepted(mut doc: Value, code: &str) -> Value {
    for p in doc["procedures"].as_array_mut().expect("procedures") {
        if p["code"] == code {
            p["state"] = json!("accepted");
        }
    }
    doc
}

fn save(write: &str, revision: Option<u64>, doc: &Value) -> Value {
    json!({"write_id": write, "revision": revision, "status": "open", "document": doc})
}

fn denials(app: &TestApp) -> Vec<(String, String)> {
    recent_audit(app, "t1")
        .into_iter()
        .filter(|r| r.event.action == "permission_denied")
        .map(|r| (r.event.subject.unwrap_or_default(), r.event.result))
        .collect()
}

#[tokio::test]
async fn accepting_a_procedure_needs_the_permission_it_declares_on_both_paths() {
    let app = TestApp::new();
    user_without(&app, "noaccept", Permission::AcceptNotification);
    let limited = app.login_as("t1", "noaccept", "市民課1番").await;
    let full = app.login("t1").await;
    let doc = case_document("000000000000019", "髙橋\u{3000}太郎");
    let tenkyo = accepted(doc.clone(), "JUKI-TENKYO");
    // Without accept_notification the session may not even save a case: the route's guard says so.
    let (s, _) = call(
        &app,
        Method::PUT,
        "/api/v1/cases/case-perm-0001",
        &limited,
        save("w-perm-0001", None, &tenkyo),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // A staff member who may accept 届出 but not request certificates.
    user_without(&app, "nocert", Permission::RequestCertificate);
    let nocert = app.login_as("t1", "nocert", "市民課1番").await;
    let mut with_cert = doc.clone();
    with_cert["procedures"]
        .as_array_mut()
        .expect("procedures")
        .push(
            json!({"code": "SHOMEI-JUMINHYO", "name": "住民票の写しの交付", "counter": "市民課",
            "on_the_spot": true, "state": "accepted"}),
        );
    let (s, v) = call(
        &app,
        Method::PUT,
        "/api/v1/cases/case-perm-0002",
        &nocert,
        save("w-perm-0002", None, &with_cert),
    )
    .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("forbidden_procedure")),
        "{v}"
    );
    let message = v["error"]["message"].as_str().expect("message");
    assert!(
        message.contains("手続「住民票の写しの交付」") && message.contains("証明書の交付請求"),
        "{message}"
    );
    assert!(
        denials(&app).contains(&(
            "case:case-perm-0002 procedure:SHOMEI-JUMINHYO".into(),
            "denied:request_certificate".into()
        )),
        "{:?}",
        denials(&app)
    );
    // The same save uploaded by a terminal is rejected the same way, audited once.
    let before = denials(&app).len();
    let (s, v) = call(&app, Method::POST, "/api/v1/sync/upload", &nocert,
        json!({"items": [{"case_id": "case-perm-0003", "save": save("w-perm-0003", None, &with_cert)}]})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["results"][0]["outcome"], "rejected", "{v}");
    assert_eq!(v["results"][0]["code"], "forbidden_procedure", "{v}");
    assert_eq!(denials(&app).len(), before + 1, "{:?}", denials(&app));

    // Pending, the same procedure is fine; accepted by someone who may, then the limited staff member
    // may still update the case (nothing newly accepted).
    let pending = doc.clone();
    let (s, v) = call(
        &app,
        Method::PUT,
        "/api/v1/cases/case-perm-0004",
        &nocert,
        save("w-perm-0004", None, &pending),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, v) = call(
        &app,
        Method::PUT,
        "/api/v1/cases/case-perm-0004",
        &full,
        save("w-perm-0005", Some(1), &with_cert),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let mut memo = with_cert.clone();
    memo["memo"] = json!("書類確認済み");
    let (s, v) = call(
        &app,
        Method::PUT,
        "/api/v1/cases/case-perm-0004",
        &nocert,
        save("w-perm-0006", Some(2), &memo),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
}

#[tokio::test]
async fn certificate_lines_need_request_certificate() {
    let app = TestApp::new();
    user_without(&app, "nocert", Permission::RequestCertificate);
    let nocert = app.login_as("t1", "nocert", "市民課1番").await;
    let mut doc = case_document("000000000000019", "髙橋\u{3000}太郎");
    doc["certificates"] = json!([{"item": "JUMINHYO", "copies": 1}]);
    let (s, v) = call(
        &app,
        Method::PUT,
        "/api/v1/cases/case-cert-0001",
        &nocert,
        save("w-cert-0001", None, &doc),
    )
    .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("forbidden_procedure")),
        "{v}"
    );
    assert!(
        v["error"]["message"]
            .as_str()
            .expect("message")
            .contains("証明書の交付請求"),
        "{v}"
    );
    assert!(denials(&app).contains(&(
        "case:case-cert-0001 certificates".into(),
        "denied:request_certificate".into()
    )));
    // Exactly one record of the denial (the guard does not audit it again).
    assert_eq!(denials(&app).len(), 1, "{:?}", denials(&app));
    let full = app.login("t1").await;
    let (s, v) = call(
        &app,
        Method::PUT,
        "/api/v1/cases/case-cert-0001",
        &full,
        save("w-cert-0002", None, &doc),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
}
