//! The audit viewer (監査ログ): search with filters and pages, CSV of the search, the chain's
//! verification; each audited; bad input refused in Japanese.

use axum::http::{Method, StatusCode};
use madoguchi_testkit::app::{TestApp, get};
use serde_json::json;

use crate::common::{call, recent_audit};

fn today() -> String {
    madoguchi_server::api::today_jst().to_string()
}

#[tokio::test]
async fn the_audit_log_is_searched_by_filters_one_page_at_a_time_and_each_search_is_audited() {
    let app = TestApp::new();
    let token = app.login("t1").await;
    let d = today();
    // A disclosure of a resident's address (with its reason) to find again.
    let (s, v) = call(
        &app,
        Method::POST,
        "/api/v1/residents/000000000000019/address-disclosure",
        &token,
        json!({"reason": "本人からの申出による証明書交付"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let q = format!("/api/v1/audit/records?from={d}&to={d}");
    let (s, all) = app.send(get(&q, &token)).await;
    assert_eq!(s, StatusCode::OK, "{all}");
    let records = all["records"].as_array().expect("records");
    assert_eq!(
        records[0]["action"], "resident.address_disclosure",
        "newest first"
    );
    assert_eq!(records[0]["reason"], "本人からの申出による証明書交付");
    assert_eq!(records[0]["user"], "staff");
    assert_eq!(records[0]["counter"], "市民課1番");
    assert_eq!(records[0]["hash"].as_str().map(str::len), Some(64));
    assert!(records[0]["at"].as_str().expect("at").ends_with("+09:00"));
    assert!(records.iter().any(|r| r["action"] == "login"));
    assert_eq!(
        (all["page"].as_u64(), all["has_more"].as_bool()),
        (Some(1), Some(false))
    );

    let (_, found) = app
        .send(get(&format!("{q}&user=staff&action=resident.address_disclosure,case.address_disclosure&subject=000000000000019"), &token))
        .await;
    let found = found["records"].as_array().expect("records");
    assert_eq!(found.len(), 1, "{found:?}");
    let (_, none) = app.send(get(&format!("{q}&counter=2番"), &token)).await;
    assert_eq!(none["records"].as_array().map(Vec::len), Some(0));
    let (_, page2) = app.send(get(&format!("{q}&page=2"), &token)).await;
    assert_eq!(page2["records"].as_array().map(Vec::len), Some(0));

    let searches = recent_audit(&app, "t1")
        .into_iter()
        .filter(|r| r.event.action == "audit.search")
        .count();
    assert_eq!(searches, 4, "every search is audited");
}

#[tokio::test]
async fn a_bad_search_is_refused_in_japanese() {
    let app = TestApp::new();
    let token = app.login("t1").await;
    let d = today();
    for (q, code, text) in [
        ("from=2026-01-01".to_owned(), "invalid_date", "終了日を指定"),
        (
            "from=2025-01-01&to=2026-06-01".to_owned(),
            "invalid_period",
            "1年以内",
        ),
        (
            format!("from={d}&to={d}&page=0"),
            "invalid_page",
            "ページは",
        ),
        (
            format!("from={d}&to={d}&action=DROP%20TABLE"),
            "invalid_filter",
            "操作コード",
        ),
        (
            format!("from={d}&to={d}&user={}", "x".repeat(101)),
            "invalid_filter",
            "ユーザーID",
        ),
    ] {
        let (s, v) = app
            .send(get(&format!("/api/v1/audit/records?{q}"), &token))
            .await;
        assert_eq!(
            (s, v["error"]["code"].as_str()),
            (StatusCode::BAD_REQUEST, Some(code)),
            "{q}: {v}"
        );
        assert!(
            v["error"]["message"]
                .as_str()
                .expect("message")
                .contains(text),
            "{v}"
        );
    }
}

#[tokio::test]
async fn the_search_exports_as_neutralised_csv_and_the_export_is_audited() {
    let app = TestApp::new();
    let token = app.login("t1").await;
    // A reason that a spreadsheet would run as a formula.
    let (s, _) = call(
        &app,
        Method::POST,
        "/api/v1/residents/000000000000019/address-disclosure",
        &token,
        json!({"reason": "=HYPERLINK(\"x\")"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let d = today();
    let (s, _, bytes) = app
        .call(get(
            &format!(
                "/api/v1/audit/records.csv?from={d}&to={d}&action=resident.address_disclosure"
            ),
            &token,
        ))
        .await;
    assert_eq!(s, StatusCode::OK);
    let csv = String::from_utf8(bytes).expect("utf-8");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 2, "{csv}");
    assert!(lines[0].starts_with("記録番号,日時,ユーザー"), "{csv}");
    assert!(
        lines[1].contains(",resident.address_disclosure,000000000000019,ok,"),
        "{csv}"
    );
    assert!(
        !lines[1].contains(",=HYPERLINK"),
        "formula neutralised: {csv}"
    );
    assert!(
        recent_audit(&app, "t1")
            .iter()
            .any(|r| r.event.action == "audit.export"),
        "the export is audited"
    );
}

#[tokio::test]
async fn the_chain_is_verified_and_the_verification_is_audited() {
    let app = TestApp::new();
    let token = app.login("t1").await;
    let (s, v) = app.send(get("/api/v1/audit/verification", &token)).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["intact"], true, "{v}");
    assert!(v["problem"].is_null());
    assert_eq!(v["anchor"]["configured"], false, "no anchoring in tests");
    assert!(
        recent_audit(&app, "t1")
            .iter()
            .any(|r| r.event.action == "audit.verify" && r.event.result == "ok")
    );
}
