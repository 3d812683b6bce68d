//! The city's 町字 for the resident's phone app: no login, names and postcodes only, per city.

use axum::http::{Method, StatusCode};
use madoguchi_testkit::app::{TestApp, json_req};
use serde_json::Value;

async fn towns(app: &TestApp, tenant: &str) -> (StatusCode, Value) {
    app.send(json_req(
        Method::GET,
        &format!("/api/v1/guide/towns?tenant={tenant}"),
        None,
        &Value::Null,
    ))
    .await
}

#[tokio::test]
async fn anyone_gets_the_towns_of_a_city_and_nothing_else() {
    let app = TestApp::new();
    let (s, v) = towns(&app, "t1").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let list = v.as_array().expect("a list");
    assert!(!list.is_empty(), "t1 has residents, so towns");
    for t in list {
        let keys: Vec<&str> = t
            .as_object()
            .expect("object")
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, ["full", "postal_code", "town", "town_code"], "{t}");
        assert!(
            t["full"]
                .as_str()
                .expect("text")
                .ends_with(t["town"].as_str().expect("text"))
        );
    }
    // Another city has its own list (none imported), and an unknown city is refused in Japanese.
    let (s, v) = towns(&app, "t2").await;
    assert_eq!((s, v.as_array().map(Vec::len)), (StatusCode::OK, Some(0)));
    let (s, v) = towns(&app, "nowhere").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(
        v["error"]["message"]
            .as_str()
            .expect("text")
            .contains("団体"),
        "{v}"
    );
}
