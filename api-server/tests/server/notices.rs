//! Notices (issue 20 point 6): the admin's posts with their checks and optimistic concurrency, what
//! each staff member sees and marks read, the public maintenance notices, and the 503 during a
//! declared maintenance window (ended early by the admin during it).

use axum::http::{Method, StatusCode};
use chrono::{Duration, SecondsFormat, Utc};
use madoguchi_testkit::app::{TestApp, get, req};
use serde_json::{Value, json};

fn iso(offset_minutes: i64) -> String {
    (Utc::now() + Duration::minutes(offset_minutes)).to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn notice(audience: &str, text: &str) -> Value {
    json!({"kind": "notice", "audience": audience, "text_ja": text,
        "starts_at": iso(-60), "ends_at": iso(24 * 60)})
}

async fn post(app: &TestApp, token: &str, body: &Value) -> (StatusCode, Value) {
    app.send(req(Method::POST, "/api/v1/admin/notices", token, body))
        .await
}

async fn texts(app: &TestApp, token: &str) -> Vec<(String, bool)> {
    let (s, v) = app.send(get("/api/v1/notices", token)).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let mut out: Vec<(String, bool)> = v
        .as_array()
        .expect("list")
        .iter()
        .map(|n| {
            (
                n["text_ja"].as_str().expect("text").to_owned(),
                n["read"] == true,
            )
        })
        .collect();
    out.sort();
    out
}

#[tokio::test]
async fn notices_reach_their_audience_and_are_marked_read_per_user() {
    let app = TestApp::new();
    let admin = app.login("t1").await;
    for (audience, text) in [
        ("all", "全員へ"),
        ("group:all", "グループへ"),
        ("counter:1", "1番へ"),
    ] {
        let (s, v) = post(&app, &admin, &notice(audience, text)).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["revision"], 1);
    }
    let mut past = notice("all", "終わった");
    past["ends_at"] = json!(iso(-1));
    assert_eq!(post(&app, &admin, &past).await.0, StatusCode::OK);

    // At 市民課1番: everyone's and the group's, not counter 1's nor the ended one.
    let at_desk = app.login_as("t1", "staff", "市民課1番").await;
    assert_eq!(
        texts(&app, &at_desk).await,
        vec![
            ("グループへ".to_owned(), false),
            ("全員へ".to_owned(), false)
        ]
    );
    let at_one = app.login_as("t1", "staff", "1").await;
    assert_eq!(texts(&app, &at_one).await.len(), 3);

    let (_, list) = app.send(get("/api/v1/notices", &at_desk)).await;
    let id = list[0]["id"].as_str().expect("id").to_owned();
    let read = format!("/api/v1/notices/{id}/read");
    let (s, _, _) = app
        .call(req(Method::POST, &read, &at_desk, &Value::Null))
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert_eq!(
        texts(&app, &at_desk).await.iter().filter(|t| t.1).count(),
        1
    );
    // Another tenant neither sees nor marks it.
    let other = app.login("t2").await;
    assert!(texts(&app, &other).await.is_empty());
    let (s, _) = app
        .send(req(Method::POST, &read, &other, &Value::Null))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn bad_notices_are_refused_in_japanese_and_a_stale_edit_gets_409() {
    let app = TestApp::new();
    let admin = app.login("t1").await;
    let mut backwards = notice("all", "逆");
    backwards["ends_at"] = json!(iso(-120));
    let (s, v) = post(&app, &admin, &backwards).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(
        v["error"]["message"]
            .as_str()
            .expect("message")
            .contains("終了日時が開始日時より前"),
        "{v}"
    );
    let (s, v) = post(&app, &admin, &notice("group:nowhere", "誰")).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    let (s, v) = post(&app, &admin, &notice("all", "  ")).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");

    let (_, created) = post(&app, &admin, &notice("all", "元の文")).await;
    let path = format!(
        "/api/v1/admin/notices/{}",
        created["id"].as_str().expect("id")
    );
    let mut edit = notice("all", "一人目の編集");
    edit["revision"] = json!(1);
    let (s, v) = app.send(req(Method::PUT, &path, &admin, &edit)).await;
    assert_eq!(
        (s, v["revision"].clone()),
        (StatusCode::OK, json!(2)),
        "{v}"
    );
    edit["text_ja"] = json!("二人目の編集");
    let (s, v) = app.send(req(Method::PUT, &path, &admin, &edit)).await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    assert!(
        v["error"]["message"]
            .as_str()
            .expect("message")
            .contains("他の管理者が保存しました")
    );
    let (_, list) = app.send(get("/api/v1/admin/notices", &admin)).await;
    assert_eq!(list[0]["text_ja"], "一人目の編集");
    let (s, audiences) = app
        .send(get("/api/v1/admin/notice-audiences", &admin))
        .await;
    assert_eq!(s, StatusCode::OK);
    let names: Vec<&str> = audiences
        .as_array()
        .expect("list")
        .iter()
        .map(|a| a["audience"].as_str().expect("audience"))
        .collect();
    assert!(
        names.contains(&"group:all") && names.contains(&"counter:1"),
        "{names:?}"
    );
}

#[tokio::test]
async fn during_a_maintenance_window_the_api_answers_503_until_the_admin_ends_it() {
    let app = TestApp::new();
    let admin = app.login("t1").await;
    let maintenance = json!({"kind": "maintenance", "audience": "all",
        "text_ja": "システム更新のため停止します。", "text_en": "The system is stopped for an update.",
        "starts_at": iso(-60), "ends_at": iso(120), "window_start": iso(-1), "window_end": iso(60)});
    let (s, created) = post(&app, &admin, &maintenance).await;
    assert_eq!(s, StatusCode::OK, "{created}");

    let (s, v) = app.send(get("/api/v1/towns", &admin)).await;
    assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE, "{v}");
    assert_eq!(v["error"]["code"], "maintenance");
    assert!(
        v["error"]["message"]
            .as_str()
            .expect("message")
            .contains("保守作業"),
        "{v}"
    );
    // Still answering: health, the staff's notices, the status page, another tenant.
    assert_eq!(app.send(get("/healthz", "")).await.0, StatusCode::OK);
    assert_eq!(texts(&app, &admin).await.len(), 1);
    let (s, public) = app
        .send(get("/api/v1/status/maintenance?tenant=t1", ""))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(public[0]["active"], true);
    assert_eq!(public[0]["text_en"], "The system is stopped for an update.");
    assert!(public[0].get("audience").is_none() && public[0].get("updated_by").is_none());
    let (_, none) = app
        .send(get("/api/v1/status/maintenance?tenant=t2", ""))
        .await;
    assert_eq!(none, json!([]));
    let other = app.login("t2").await;
    assert_eq!(
        app.send(get("/api/v1/towns", &other)).await.0,
        StatusCode::OK
    );

    // The admin ends the notice early, during the stop (今すぐ終了: its end is now): the stop ends too.
    let mut ended = maintenance.clone();
    ended["ends_at"] = json!(iso(0));
    ended["revision"] = json!(1);
    let path = format!(
        "/api/v1/admin/notices/{}",
        created["id"].as_str().expect("id")
    );
    let (s, v) = app.send(req(Method::PUT, &path, &admin, &ended)).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        app.send(get("/api/v1/towns", &admin)).await.0,
        StatusCode::OK
    );
}
