//! The city's fee table and memo 定型文 on the admin screen: read with a revision, saved whole on it,
//! refused with the reason when they do not hold together, and used by the counters afterwards.

use axum::http::{Method, StatusCode};
use madoguchi_testkit::app::{TestApp, get, req};
use serde_json::{Value, json};

#[tokio::test]
async fn the_fee_table_is_edited_whole_on_the_revision_read() {
    let app = TestApp::new();
    let admin = app.login("t1").await;
    let (s, table) = app.send(get("/api/v1/admin/fees", &admin)).await;
    assert_eq!(
        (s, &table["revision"]),
        (StatusCode::OK, &json!("standard")),
        "{table}"
    );
    let juminhyo = table["items"]
        .as_array()
        .expect("items")
        .iter()
        .position(|i| i["code"] == "JUMINHYO")
        .expect("住民票");

    // A duplicate item: refused with the reason, nothing stored.
    let mut dup = table.clone();
    let first = dup["items"][0].clone();
    dup["items"]
        .as_array_mut()
        .expect("items")
        .push(first.clone());
    let (s, v) = app
        .send(req(Method::PUT, "/api/v1/admin/fees", &admin, &dup))
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_fee_table"))
    );
    assert!(
        v["error"]["message"]
            .as_str()
            .expect("m")
            .contains("重複しています"),
        "{v}"
    );

    // The city's own fee: saved, quoted at the counter.
    let mut mine = table.clone();
    mine["items"][juminhyo]["yen"] = json!(350);
    let (s, saved) = app
        .send(req(Method::PUT, "/api/v1/admin/fees", &admin, &mine))
        .await;
    assert_eq!(s, StatusCode::OK, "{saved}");
    assert_ne!(saved["revision"], "standard");
    let (_, quote) = app
        .send(req(
            Method::POST,
            "/api/v1/fees/quote",
            &admin,
            &json!({"items": [{"item": "JUMINHYO", "copies": 2}]}),
        ))
        .await;
    assert_eq!(quote["total_yen"], 700, "{quote}");

    // A second administrator still holding the standard table: refused, the first save kept.
    let mut late = table.clone();
    late["items"][juminhyo]["yen"] = json!(200);
    let (s, v) = app
        .send(req(Method::PUT, "/api/v1/admin/fees", &admin, &late))
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("stale_revision"))
    );
    let (_, now) = app.send(get("/api/v1/admin/fees", &admin)).await;
    assert_eq!(
        (&now["items"][juminhyo]["yen"], &now["revision"]),
        (&json!(350), &saved["revision"])
    );
    let audit = crate::common::recent_audit(&app, "t1");
    assert_eq!(
        audit
            .iter()
            .filter(|a| a.event.action == "fee_table.put")
            .count(),
        1
    );
}

#[tokio::test]
async fn the_memo_phrases_are_the_citys_own_on_every_counter() {
    let app = TestApp::new();
    let admin = app.login("t1").await;
    let (_, read) = app.send(get("/api/v1/admin/memo-phrases", &admin)).await;
    assert!(read["phrases"].as_array().expect("phrases").len() >= 5);
    let body = |phrases: Value, revision: &Value| json!({"phrases": phrases, "revision": revision});
    let (s, v) = app
        .send(req(
            Method::PUT,
            "/api/v1/admin/memo-phrases",
            &admin,
            &body(json!(["同じ", "同じ"]), &read["revision"]),
        ))
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("invalid_memo_phrases")
        )
    );
    let (s, v) = app
        .send(req(
            Method::PUT,
            "/api/v1/admin/memo-phrases",
            &admin,
            &body(
                json!([
                    " 住民異動届の写しを交付済み ",
                    "",
                    "国保の資格確認書を郵送予定"
                ]),
                &read["revision"],
            ),
        ))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        v["phrases"],
        json!(["住民異動届の写しを交付済み", "国保の資格確認書を郵送予定"])
    );
    let (_, vocabulary) = app.send(get("/api/v1/cases-vocabulary", &admin)).await;
    assert_eq!(vocabulary["memo_phrases"], v["phrases"]);
    let (_, offline) = app
        .send(get("/api/v1/sync/reference/vocabulary", &admin))
        .await;
    assert!(
        offline.to_string().contains("国保の資格確認書を郵送予定"),
        "terminals get them too"
    );
    let (s, _) = app
        .send(req(
            Method::PUT,
            "/api/v1/admin/memo-phrases",
            &admin,
            &body(json!(["古い画面から"]), &read["revision"]),
        ))
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
}
