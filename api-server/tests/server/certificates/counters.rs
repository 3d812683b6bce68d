//! Which certificates each counter issues, over the API: the admin's table (refusing unknown counters
//! and certificates), the session's counter for its certificate step, and the issue route refusing a
//! line the counter does not issue, naming the certificate and the counter, before any number is
//! taken.

use axum::http::{Method, StatusCode};
use madoguchi_store::TenantId;
use madoguchi_testkit::app::{TestApp, req};
use madoguchi_testkit::staff::{PASSWORD, TEST_COUNTERS};
use madoguchi_testkit::terminal::TestDevice;
use serde_json::{Value, json};

use super::case_with;
use crate::common::{call, recent_audit};

const TABLE: &str = "/api/v1/admin/counter-certificates";

async fn issue(app: &TestApp, token: &str, case_id: &str, write_id: &str) -> (StatusCode, Value) {
    let uri = format!("/api/v1/cases/{case_id}/certificates");
    call(
        app,
        Method::POST,
        &uri,
        token,
        json!({"write_id": write_id}),
    )
    .await
}

#[tokio::test]
async fn a_counter_offers_and_issues_only_the_certificates_the_city_set_for_it() {
    let app = TestApp::builder().build();
    let tenant = TenantId("t1".into());
    let device = TestDevice::enroll(app.store.as_ref(), &tenant, "term-1", TEST_COUNTERS);
    let main = app
        .login_with(&device.login("t1", "staff", PASSWORD, "市民課1番"))
        .await;
    let other = app
        .login_with(&device.login("t1", "staff", PASSWORD, "1"))
        .await;

    // Nothing set: every counter issues every certificate of the fee table.
    let (s, table) = call(&app, Method::GET, TABLE, &main, Value::Null).await;
    assert_eq!(s, StatusCode::OK, "{table}");
    let every = table["items"].as_array().map_or(0, Vec::len);
    assert!(every >= 4, "{table}");
    assert_eq!(table["items"][0]["name"], "住民票の写し");
    for row in table["counters"].as_array().expect("counters") {
        assert_eq!(row["restricted"], false, "{row}");
        assert_eq!(row["items"].as_array().map(Vec::len), Some(every), "{row}");
    }

    // Unknown counters and certificates are refused with the reason.
    for (bad, word) in [
        (json!([{"code": "nowhere", "items": []}]), "nowhere"),
        (
            json!([{"code": "市民課1番", "items": ["KOSEKI"]}]),
            "KOSEKI",
        ),
    ] {
        let (s, e) = call(&app, Method::PUT, TABLE, &main, json!({"counters": bad})).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        let message = e["error"]["message"].as_str().unwrap_or_default();
        assert!(message.contains(word), "{message}");
    }

    // 市民課1番 issues the 住民票の写し only.
    let only = json!({"counters": [{"code": "市民課1番", "items": ["JUMINHYO"]}]});
    let (s, table) = call(&app, Method::PUT, TABLE, &main, only).await;
    assert_eq!(s, StatusCode::OK, "{table}");
    let row = |table: &Value, code: &str| {
        table["counters"]
            .as_array()
            .and_then(|rows| rows.iter().find(|r| r["code"] == code).cloned())
            .expect("row")
    };
    assert_eq!(row(&table, "市民課1番")["items"], json!(["JUMINHYO"]));
    assert_eq!(row(&table, "市民課1番")["restricted"], true);
    assert_eq!(row(&table, "1")["restricted"], false);
    let audited = recent_audit(&app, "t1")
        .into_iter()
        .any(|r| r.event.action == "counter_certificates.put");
    assert!(audited);

    // The certificate step of each counter reads its own.
    let own = "/api/v1/counter/certificates";
    let (_, mine) = call(&app, Method::GET, own, &main, Value::Null).await;
    assert_eq!(
        (&mine["counter"], &mine["restricted"], &mine["items"]),
        (&json!("市民課1番"), &json!(true), &json!(["JUMINHYO"])),
        "{mine}"
    );
    let (_, theirs) = call(&app, Method::GET, own, &other, Value::Null).await;
    assert_eq!(theirs["items"].as_array().map(Vec::len), Some(every));

    // A case asking for a 戸籍 certificate too is refused at 市民課1番, naming both; no number taken.
    let lines = json!([{"item": "JUMINHYO", "copies": 1}, {"item": "KOSEKI-ZENBU", "copies": 1}]);
    case_with(&app, &main, "case-counter-1", 1, lines).await;
    let (s, e) = issue(&app, &main, "case-counter-1", "issue-counter-1").await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("not_issued_at_counter")
        ),
        "{e}"
    );
    assert_eq!(
        e["error"]["message"],
        "戸籍全部事項証明書（謄本）は、この窓口（市民課1番窓口）では発行していません。証明書の行を外すか、発行している窓口で手続きしてください。"
    );
    // The counter that issues everything issues the same case (the 戸籍 line stays for the 交付請求書);
    // the refusal took no number.
    let res = app
        .response(req(
            Method::POST,
            "/api/v1/cases/case-counter-1/certificates",
            &other,
            &json!({"write_id": "issue-counter-2"}),
        ))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let numbers = res.headers()["x-madoguchi-issue-numbers"]
        .to_str()
        .expect("header");
    assert!(numbers.ends_with("-000001"), "{numbers}");

    // Every certificate ticked again: 市民課1番 is unrestricted.
    let items: Vec<Value> = table["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["code"].clone())
        .collect();
    let all = json!({"counters": [{"code": "市民課1番", "items": items}]});
    let (_, table) = call(&app, Method::PUT, TABLE, &main, all).await;
    assert_eq!(row(&table, "市民課1番")["restricted"], false, "{table}");
    let (s, _) = issue(&app, &main, "case-counter-1", "issue-counter-3").await;
    assert_eq!(s, StatusCode::OK);
}
