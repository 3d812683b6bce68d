//! The public 手続きガイド: no login, the city's catalogue, no staff texts, nothing stored.

use axum::http::{Method, StatusCode};
use madoguchi_testkit::app::{TestApp, json_req};
use serde_json::{Value, json};

async fn guide(app: &TestApp, tenant: &str, body: &Value) -> (StatusCode, Value) {
    app.send(json_req(
        Method::POST,
        &format!("/api/v1/guide/evaluate?tenant={tenant}"),
        None,
        body,
    ))
    .await
}

/// A family moving in: two adults and a child of eight, by age only.
fn family(answers: Value) -> Value {
    let member = |birth: &str, relation: &str| json!({"birth": birth, "relation": relation, "mover": true, "kokuho": true});
    json!({
        "event": "転入", "detail": "国内", "event_date": "2026-12-01",
        "household_after": [
            member("1985-06-01", "世帯主"), member("1987-06-01", "妻"), member("2018-06-01", "子"),
        ],
        "answers": answers,
    })
}

#[tokio::test]
async fn anyone_sees_the_procedures_of_a_life_event_without_staff_texts() {
    let app = TestApp::new();
    let before = crate::common::recent_audit(&app, "t1").len();
    let (s, v) = guide(&app, "t1", &family(json!({}))).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let names: Vec<&str> = v["procedures"]
        .as_array()
        .expect("procedures")
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    assert!(names.iter().any(|n| n.contains("転入届")), "{names:?}");
    assert!(names.iter().any(|n| n.contains("児童手当")), "{names:?}");
    let first = &v["procedures"][0];
    for staff_only in ["guidance", "legal_basis", "forms", "permission"] {
        assert!(
            first.get(staff_only).is_none(),
            "{staff_only} is for staff: {first}"
        );
    }
    assert!(first["bring"].is_array() && first["counter"].is_string());
    assert!(v["city"].is_string());
    // Questions come back to be answered; an answer is taken.
    let id = v["next_questions"][0]["id"]
        .as_str()
        .expect("a family with a child is asked questions")
        .to_owned();
    let (s, v) = guide(&app, "t1", &family(json!({ id.clone(): true }))).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["answered"][0]["id"].as_str(), Some(id.as_str()), "{v}");
    assert!(
        v["answered"][0]["text"]
            .as_str()
            .is_some_and(|t| !t.is_empty())
    );
    // Nothing about the visitor is stored: not even an audit record.
    assert_eq!(crate::common::recent_audit(&app, "t1").len(), before);
}

#[tokio::test]
async fn a_bad_event_or_an_unknown_city_is_answered_in_japanese() {
    let app = TestApp::new();
    let (s, v) = guide(&app, "no-such-city", &family(json!({}))).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{v}");
    assert!(
        v["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("手続きガイド"))
    );
    let (s, v) = guide(&app, "t1", &json!({"event": "転入", "event_date": "昨日"})).await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_date"))
    );
    let (s, v) = guide(
        &app,
        "t1",
        &json!({"event": "引越し", "event_date": "2026-12-01"}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
}
