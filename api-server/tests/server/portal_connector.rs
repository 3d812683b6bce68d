//! The マイナポータル connector against the simulator (a software double): applications fetched once
//! with their attachments, statuses reported, the portal answering 500 and then recovering (nothing
//! lost, the failure visible), and the LGWAN proxy used when set.

use std::sync::Arc;
use std::time::Duration;

use chrono::{TimeZone, Utc};
use madoguchi_server::portal::connector::{Connector, PortalSettings};
use madoguchi_server::portal::simulator::{self, Simulator};
use madoguchi_store::{PortalStatusChange, Store, TenantId, TenantStore};
use madoguchi_store_sqlite::SqliteStore;

async fn serve(sim: Arc<Simulator>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        axum::serve(listener, simulator::router(sim))
            .await
            .expect("serve");
    });
    format!("http://{addr}")
}

fn store() -> (Arc<dyn Store>, TenantId) {
    let s = SqliteStore::open_in_memory().expect("store");
    let t = TenantId("demo".into());
    s.ensure_tenant(&t, "さくら野市").expect("tenant");
    (Arc::new(s), t)
}

fn settings(base_url: &str, tenant: &TenantId) -> PortalSettings {
    PortalSettings {
        base_url: base_url.into(),
        client_id: simulator::CLIENT_ID.into(),
        client_secret: simulator::CLIENT_SECRET.into(),
        tenant: tenant.clone(),
        interval: Duration::from_secs(60),
        retry_base: Duration::from_millis(10),
        attempts: 3,
        proxy: None,
    }
}

fn portal(n: usize) -> Arc<Simulator> {
    Simulator::new(
        n,
        Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0)
            .single()
            .expect("time"),
    )
}

#[tokio::test]
async fn applications_are_fetched_once_and_statuses_go_back() {
    let sim = portal(20);
    let url = serve(sim.clone()).await;
    let (store, tenant) = store();
    let c = Connector::new(store.clone(), settings(&url, &tenant)).expect("connector");
    let first = c.round_now().await.expect("round");
    assert_eq!((first.listed, first.fetched, first.reported), (20, 20, 20));
    let stored = store.portal_applications(&tenant, None).expect("list");
    assert_eq!(stored.len(), 20);
    assert!(stored.iter().all(|a| a.source == "api"));
    let no = stored[0].application_no.clone();
    let one = store
        .portal_application(&tenant, &no)
        .expect("get")
        .expect("one");
    assert_eq!(one.attachments.len(), 1);
    let file = store
        .portal_attachment(&tenant, &no, 0)
        .expect("file")
        .expect("some");
    assert!(file.bytes.starts_with(b"%PDF"));
    assert_eq!(sim.statuses()[&no].status, "unprocessed");

    let again = c.round_now().await.expect("round");
    assert_eq!((again.fetched, again.reported), (0, 0), "nothing twice");
    let change = PortalStatusChange {
        status: "returned".into(),
        by: "staff".into(),
        at: Utc::now(),
        reason: Some("添付書類が不足しています".into()),
        case_id: None,
    };
    let ev = madoguchi_store::AuditEvent {
        tenant: tenant.clone(),
        at: Utc::now(),
        user: Some("staff".into()),
        counter: None,
        terminal: None,
        action: "portal.status".into(),
        subject: None,
        result: "ok".into(),
        reason: None,
    };
    store
        .set_portal_status(&tenant, &no, &change, &ev)
        .expect("status");
    let third = c.round_now().await.expect("round");
    assert_eq!(third.reported, 1);
    let back = &sim.statuses()[&no];
    assert_eq!(back.status, "returned");
    assert_eq!(back.reason.as_deref(), Some("添付書類が不足しています"));
    assert_eq!(c.status().fetched, 20);
    assert_eq!(c.status().last_error, None);
}

#[tokio::test]
async fn a_failing_portal_loses_nothing_and_recovers() {
    let sim = portal(5);
    let url = serve(sim.clone()).await;
    let (store, tenant) = store();
    let c = Connector::new(store.clone(), settings(&url, &tenant)).expect("connector");
    sim.fail_next(1_000);
    let err = c.round_now().await.expect_err("the portal answers 500");
    assert!(err.contains("500"), "{err}");
    let status = c.status();
    assert_eq!(status.failures, 1);
    assert!(
        status
            .last_error
            .as_deref()
            .is_some_and(|e| e.contains("500"))
    );
    assert!(
        store
            .portal_applications(&tenant, None)
            .expect("list")
            .is_empty()
    );
    // Two failures more: the retries with back-off absorb them.
    sim.fail_next(2);
    let ok = c.round_now().await.expect("recovered");
    assert_eq!(ok.fetched, 5);
    assert_eq!(c.status().failures, 0);
    assert_eq!(c.status().last_error, None);
    assert_eq!(sim.statuses().len(), 5, "every status reported");
}

#[tokio::test]
async fn an_unreachable_portal_is_reported_and_the_proxy_is_used() {
    let (store, tenant) = store();
    let down = Connector::new(store.clone(), settings("http://127.0.0.1:9", &tenant)).expect("c");
    let err = down.round_now().await.expect_err("unreachable");
    assert!(err.contains("unreachable"), "{err}");
    // Through the proxy (played by the simulator, which answers absolute-form requests by path): a
    // portal host that does not resolve is reached only through it.
    let sim = portal(2);
    let proxy = serve(sim.clone()).await;
    let mut s = settings("http://portal.invalid", &tenant);
    s.proxy = Some(proxy);
    let via = Connector::new(store.clone(), s).expect("connector");
    let r = via.round_now().await.expect("through the proxy");
    assert_eq!(r.fetched, 2);
}

#[tokio::test]
async fn admins_see_the_connector_and_run_it_on_demand() {
    use axum::http::{Method, StatusCode};
    use madoguchi_testkit::app::{TestApp, get, req};
    let sim = portal(3);
    let url = serve(sim.clone()).await;
    let app = TestApp::builder()
        .state(move |s| {
            let c = Connector::new(s.store.clone(), settings(&url, &TenantId("t1".into())));
            s.portal = Some(Arc::new(c.expect("connector")));
        })
        .build();
    let admin = app.login("t1").await;
    let (s, v) = app
        .send(get("/api/v1/admin/portal/connector", &admin))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        (v["configured"].clone(), v["last_run_at"].clone()),
        (serde_json::json!(true), serde_json::Value::Null)
    );
    let run = "/api/v1/admin/portal/connector/run";
    let (s, v) = app
        .send(req(Method::POST, run, &admin, &serde_json::Value::Null))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["fetched"], 3);
    assert_eq!(v["last_error"], serde_json::Value::Null);
    sim.fail_next(1_000);
    let (s, v) = app
        .send(req(Method::POST, run, &admin, &serde_json::Value::Null))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["failures"], 1);
    assert!(
        v["last_error"].as_str().is_some_and(|e| e.contains("500")),
        "{v}"
    );
    let (_, list) = app.send(get("/api/v1/portal/applications", &admin)).await;
    assert_eq!(list["counts"]["unprocessed"], 3, "nothing lost");
    // Another city has no connector.
    let other = app.login("t2").await;
    let (_, v) = app
        .send(get("/api/v1/admin/portal/connector", &other))
        .await;
    assert_eq!(v["configured"], false);
    let (s, _) = app
        .send(req(Method::POST, run, &other, &serde_json::Value::Null))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}
