//! Terminal sync over the API: outbox uploads applied exactly once, what a kiosk account may do, and
//! the paged reference download with versions.

use axum::http::{Method, StatusCode};
use madoguchi_server::import::import_residents;
use madoguchi_server::seed::{DEMO_KIOSK_COUNTER, DEMO_KIOSK_LOGIN, DEMO_KIOSK_PASSWORD};
use madoguchi_store::{ImportMode, TenantId};
use madoguchi_testkit::app::{TestApp, get, req};
use madoguchi_testkit::residents::{atena, options, row, small_city};
use madoguchi_testkit::staff::TEST_COUNTERS;
use madoguchi_testkit::terminal::TestDevice;
use serde_json::{Value, json};

use crate::common::case_document;

/// Tenant `t1` with the demo city's staff and kiosk account, the test staff, the kiosk terminal
/// `kiosk-term-1` enrolled at the test counters and the kiosk's, and the small city.
fn app() -> TestApp {
    TestApp::bare()
        .tenant("t1", "さくら野市")
        .setup(|store| {
            let t1 = TenantId("t1".into());
            madoguchi_server::seed::demo_staff(store, &t1, "demo", "sakurano-madoguchi")
                .expect("demo staff and kiosk");
        })
        .staff("t1")
        .setup(|store| {
            let mut counters = TEST_COUNTERS.to_vec();
            counters.push(madoguchi_server::seed::DEMO_KIOSK_COUNTER);
            TestDevice::enroll(store, &TenantId("t1".into()), "kiosk-term-1", &counters);
        })
        .residents("t1", &small_city())
        .build()
}

/// Logs in at `counter` from the kiosk terminal.
async fn login(app: &TestApp, user: &str, password: &str, counter: &str) -> String {
    app.login_with(&TestDevice::new("kiosk-term-1").login("t1", user, password, counter))
        .await
}

fn item(case_id: &str, write_id: &str, revision: Option<i64>, status: &str) -> Value {
    json!({"case_id": case_id, "save": {"write_id": write_id, "revision": revision, "status": status,
        "document": case_document(&atena(1), "髙橋\u{3000}太郎")}})
}

/// An outbox item of a kiosk: the resident typed or read from their card, no 宛名番号.
fn kiosk_item(case_id: &str, write_id: &str, revision: Option<i64>, status: &str) -> Value {
    let mut v = item(case_id, write_id, revision, status);
    let doc = &mut v["save"]["document"];
    doc["visitor"]["atena_no"] = Value::Null;
    for n in doc["notifications"].as_array_mut().expect("notifications") {
        for m in n["members"].as_array_mut().expect("members") {
            m["atena_no"] = Value::Null;
        }
    }
    v
}

async fn upload(app: &TestApp, token: &str, items: Vec<Value>) -> (StatusCode, Value) {
    app.send(req(
        Method::POST,
        "/api/v1/sync/upload",
        token,
        &json!({ "items": items }),
    ))
    .await
}

#[tokio::test]
async fn an_upload_sent_twice_is_applied_once_and_each_item_answers_for_itself() {
    let app = app();
    let token = login(&app, "staff", "correct-horse-battery", "市民課1番").await;
    let items = vec![
        item("case-sync-0001", "write-sync-0001", None, "open"),
        item("case-sync-0002", "write-sync-0002", None, "open"),
    ];
    let (s, v) = upload(&app, &token, items.clone()).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["results"][0]["outcome"], "applied");
    assert_eq!(v["results"][1]["outcome"], "applied");
    assert_eq!(v["results"][1]["revision"], 1);
    // The answer was lost; the terminal sends the same items again.
    let (s, v) = upload(&app, &token, items).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["results"][0]["outcome"], "already_applied");
    assert_eq!(v["results"][1]["outcome"], "already_applied");
    let t1 = TenantId("t1".into());
    let (record, history) = app
        .store
        .get_case(&t1, "case-sync-0001")
        .expect("get")
        .expect("case");
    assert_eq!((record.revision, history.len()), (1, 1));
    // One batch: an update, a stale revision, a bad status and a new case — each on its own.
    let (s, v) = upload(
        &app,
        &token,
        vec![
            item("case-sync-0001", "write-sync-0003", Some(1), "applied"),
            item("case-sync-0002", "write-sync-0004", Some(7), "open"),
            item("case-sync-0003", "write-sync-0005", None, "nonsense"),
            item("case-sync-0004", "write-sync-0006", None, "open"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let outcomes: Vec<&str> = v["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| r["outcome"].as_str().expect("outcome"))
        .collect();
    assert_eq!(outcomes, ["applied", "conflict", "rejected", "applied"]);
    assert_eq!(v["results"][0]["revision"], 2);
    assert!(
        v["results"][2]["message"]
            .as_str()
            .is_some_and(|m| m.contains("状態")),
        "{v}"
    );
    assert!(
        app.store
            .get_case(&t1, "case-sync-0003")
            .expect("get")
            .is_none()
    );
    // More than 100 items are refused as a whole, with a Japanese reason.
    let many = (0..101)
        .map(|i| {
            item(
                &format!("case-many-{i:04}"),
                &format!("write-many-{i:04}"),
                None,
                "open",
            )
        })
        .collect();
    let (s, v) = upload(&app, &token, many).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(
        v["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("100件"))
    );
}

#[tokio::test]
async fn a_kiosk_account_creates_and_prints_its_own_cases_and_reads_nothing_else() {
    let app = app();
    let kiosk = login(
        &app,
        DEMO_KIOSK_LOGIN,
        DEMO_KIOSK_PASSWORD,
        DEMO_KIOSK_COUNTER,
    )
    .await;
    let staff = login(&app, "staff", "correct-horse-battery", "市民課1番").await;
    let (s, v) = upload(
        &app,
        &kiosk,
        vec![kiosk_item(
            "case-kiosk-0001",
            "write-kiosk-0001",
            None,
            "open",
        )],
    )
    .await;
    assert_eq!(
        (s, v["results"][0]["outcome"].as_str()),
        (StatusCode::OK, Some("applied")),
        "{v}"
    );
    // It may not change a case, not even its own, nor open one in another status.
    let (_, v) = upload(
        &app,
        &kiosk,
        vec![
            kiosk_item("case-kiosk-0001", "write-kiosk-0002", Some(1), "open"),
            kiosk_item("case-kiosk-0002", "write-kiosk-0003", None, "applied"),
        ],
    )
    .await;
    assert_eq!(v["results"][0]["outcome"], "rejected", "{v}");
    assert_eq!(v["results"][1]["outcome"], "rejected", "{v}");
    assert_eq!(v["results"][0]["code"], "forbidden");
    // Reading cases is staff work.
    let (s, _) = app.send(get("/api/v1/cases/case-kiosk-0001", &kiosk)).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = app.send(get("/api/v1/residents?q=a", &kiosk)).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // It prints its own case, not one staff opened (answered as missing).
    let print = json!({"write_id": "print-kiosk-0001", "templates": ["tetsuzuki-annai"]});
    let (s, v) = app
        .send(req(
            Method::POST,
            "/api/v1/cases/case-kiosk-0001/print",
            &kiosk,
            &print,
        ))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, v) = upload(
        &app,
        &staff,
        vec![item("case-staff-0001", "write-staff-0001", None, "open")],
    )
    .await;
    assert_eq!(v["results"][0]["outcome"], "applied", "{s} {v}");
    let print = json!({"write_id": "print-kiosk-0002"});
    let (s, _) = app
        .send(req(
            Method::POST,
            "/api/v1/cases/case-staff-0001/print",
            &kiosk,
            &print,
        ))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // Staff see the kiosk's case, opened by the kiosk account.
    let (s, v) = app.send(get("/api/v1/cases/case-kiosk-0001", &staff)).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["opened_by"], DEMO_KIOSK_LOGIN);
    assert_eq!(v["history"][0]["terminal"], "kiosk-term-1");
}

#[tokio::test]
async fn reference_data_downloads_in_pages_with_a_version() {
    let app = app();
    let token = login(
        &app,
        DEMO_KIOSK_LOGIN,
        DEMO_KIOSK_PASSWORD,
        DEMO_KIOSK_COUNTER,
    )
    .await;
    let (s, manifest) = app.send(get("/api/v1/sync/manifest", &token)).await;
    assert_eq!(s, StatusCode::OK, "{manifest}");
    let kinds: Vec<&str> = manifest["kinds"]
        .as_array()
        .expect("kinds")
        .iter()
        .map(|k| k["kind"].as_str().expect("kind"))
        .collect();
    assert_eq!(
        kinds,
        [
            "procedures",
            "towns",
            "fees",
            "vocabulary",
            "navigation_rules"
        ]
    );
    let procedures = &manifest["kinds"][0];
    let total = procedures["count"].as_u64().expect("count") as usize;
    assert!(total > 20, "{manifest}");
    let version = procedures["version"].as_str().expect("version").to_owned();
    // Page by page, 7 at a time, until `next_offset` is null.
    let mut got = Vec::new();
    let mut offset = Some(0);
    let mut pages = 0;
    while let Some(o) = offset {
        let (s, page) = app
            .send(get(
                &format!("/api/v1/sync/reference/procedures?offset={o}&limit=7&version={version}"),
                &token,
            ))
            .await;
        assert_eq!(s, StatusCode::OK, "{page}");
        assert_eq!(page["total"], total);
        got.extend(page["items"].as_array().expect("items").clone());
        offset = page["next_offset"].as_u64().map(|n| n as usize);
        pages += 1;
    }
    assert_eq!(pages, total.div_ceil(7));
    let (_, whole) = app.send(get("/api/v1/procedures", &token)).await;
    assert_eq!(Value::Array(got), whole);
    let towns_before = manifest["kinds"][1].clone();
    let version = towns_before["version"]
        .as_str()
        .expect("version")
        .to_owned();
    let total = towns_before["count"].as_u64().expect("count") as usize;
    let t1 = TenantId("t1".into());
    let mut text = small_city();
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(&row(
        90,
        90,
        &[("住所_町字コード", "0099001"), ("住所_町字", "新町")],
    ));
    text.push('\n');
    import_residents(
        app.store.as_ref(),
        &t1,
        text.as_bytes(),
        &options(ImportMode::Full, text.as_bytes()),
    )
    .expect("import with a new town");
    let (s, v) = app
        .send(get(
            &format!("/api/v1/sync/reference/towns?offset=0&limit=1&version={version}"),
            &token,
        ))
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("version_changed")),
        "{v}"
    );
    let (_, manifest) = app.send(get("/api/v1/sync/manifest", &token)).await;
    assert_eq!(manifest["kinds"][1]["count"], total + 1);
    assert_ne!(manifest["kinds"][1]["version"], version.as_str());
    for bad in ["limit=0", "limit=5000", "offset=x"] {
        let (s, v) = app
            .send(get(&format!("/api/v1/sync/reference/towns?{bad}"), &token))
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{bad}: {v}");
    }
    let (s, _) = app
        .send(get("/api/v1/sync/reference/residents", &token))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}
