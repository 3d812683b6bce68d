//! The devices terminals report (`PUT /api/v1/terminal/devices`): kept per enrolled terminal of the
//! session's tenant, shown to administrators in 発行端末の設定 and 端末管理; a browser session reports
//! nothing.

use axum::http::{Method, StatusCode};
use madoguchi_store::TenantId;
use madoguchi_testkit::app::{TestApp, get, req};
use madoguchi_testkit::staff::{PASSWORD, TEST_COUNTERS};
use madoguchi_testkit::terminal::TestDevice;
use serde_json::{Value, json};

const PATH: &str = "/api/v1/terminal/devices";

/// `t1` and `t2`, each with a terminal `pc-1` enrolled at the test counters (one id, two tenants).
fn app() -> TestApp {
    TestApp::builder()
        .setup(|store| {
            for t in ["t1", "t2"] {
                TestDevice::enroll(store, &TenantId(t.into()), "pc-1", TEST_COUNTERS);
            }
        })
        .build()
}

fn report(paper_out: bool) -> Value {
    json!({"app_version": "0.9.0",
        "receipt_printer": {"kind": "tcp", "name": "192.0.2.10:9100"},
        "document_printer": {"kind": "mock"},
        "signal_tower": {"kind": "mock"},
        "card_reader": null, "card_state": "no_reader", "receipt_paper_out": paper_out})
}

/// A session opened on terminal `pc-1` of `tenant`.
async fn on_terminal(app: &TestApp, tenant: &str) -> String {
    let login = TestDevice::new("pc-1").login(tenant, "staff", PASSWORD, TEST_COUNTERS[0]);
    app.login_with(&login).await
}

/// `pc-1`'s devices as the admin views of `tenant` show them.
async fn shown(app: &TestApp, tenant: &str) -> (Value, Value) {
    let admin = app.login(tenant).await;
    let (s, stations) = app.send(get("/api/v1/admin/stations", &admin)).await;
    assert_eq!(s, StatusCode::OK, "{stations}");
    let (s, terminals) = app.send(get("/api/v1/admin/terminals", &admin)).await;
    assert_eq!(s, StatusCode::OK, "{terminals}");
    let find = |list: &Value, key: &str| {
        list.as_array()
            .expect("list")
            .iter()
            .find(|t| t[key] == "pc-1")
            .expect("pc-1")["devices"]
            .clone()
    };
    (
        find(&stations["stations"], "terminal"),
        find(&terminals["terminals"], "id"),
    )
}

#[tokio::test]
async fn an_enrolled_terminal_reports_its_devices_and_administrators_see_them() {
    let app = app();
    assert_eq!(
        shown(&app, "t1").await,
        (Value::Null, Value::Null),
        "never reported"
    );
    let token = on_terminal(&app, "t1").await;
    let (s, v) = app
        .send(req(Method::PUT, PATH, &token, &report(false)))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert!(v["reported_at"].is_string(), "{v}");
    let (s, _) = app
        .send(req(Method::PUT, PATH, &token, &report(true)))
        .await;
    assert_eq!(s, StatusCode::OK);
    let (station, terminal) = shown(&app, "t1").await;
    assert_eq!(station, terminal);
    assert_eq!(station["receipt_paper_out"], true, "the latest report");
    assert_eq!(station["receipt_printer"]["name"], "192.0.2.10:9100");
    assert_eq!(station["signal_tower"]["kind"], "mock");
    assert_eq!(station["app_version"], "0.9.0");
    // The other tenant's terminal of the same id reported nothing.
    assert_eq!(shown(&app, "t2").await, (Value::Null, Value::Null));
}

#[tokio::test]
async fn only_a_session_on_an_enrolled_terminal_reports_and_only_a_well_formed_report() {
    let app = app();
    // A browser session has no terminal.
    let browser = app.login("t1").await;
    let (s, v) = app
        .send(req(Method::PUT, PATH, &browser, &report(false)))
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("no_terminal"))
    );
    let (s, _) = app
        .send(
            axum::http::Request::put(PATH)
                .header("content-type", "application/json")
                .body(axum::body::Body::from(report(false).to_string()))
                .expect("request"),
        )
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let token = on_terminal(&app, "t1").await;
    let mut paths = report(false);
    paths["receipt_printer"]["path"] = json!("/dev/usb/lp0");
    let (s, _) = app.send(req(Method::PUT, PATH, &token, &paths)).await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "unknown fields are refused"
    );
    let mut long = report(false);
    long["card_reader"] = json!("x".repeat(201));
    let (s, v) = app.send(req(Method::PUT, PATH, &token, &long)).await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_report"))
    );
    assert_eq!(shown(&app, "t1").await, (Value::Null, Value::Null));
}
