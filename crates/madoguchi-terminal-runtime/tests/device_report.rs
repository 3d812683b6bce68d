//! A terminal reports its devices to the server after a sync round: once after start, not again while
//! nothing changed, again when the receipt paper runs out. The station's mock receipt printer and mock
//! signal tower (TEST DOUBLES, folders) are reported as mocks, without their folders.

mod common;

use std::path::Path;

use common::{TENANT, TestServer};
use madoguchi_server::seed::{DEMO_STATION_COUNTER, DEMO_STATION_LOGIN, DEMO_STATION_PASSWORD};
use madoguchi_store::TenantId;
use madoguchi_store::prelude::*;
use madoguchi_store_sqlite::SqliteStore;
use madoguchi_terminal_runtime::{Terminal, TerminalConfig};
use serde_json::Value;

const STATION: &str = "station-term-1";

/// Enrolls the station whose device key lives in `data` for the station counter.
fn enroll_station(db: &Path, data: &Path) {
    let store = SqliteStore::open(db).expect("server store");
    let key = madoguchi_terminal_runtime::device_key::DeviceKey::load_or_create(data).expect("key");
    let t = TenantId(TENANT.into());
    let record = madoguchi_store::TerminalRecord {
        id: STATION.into(),
        name: "本庁舎 発行端末".into(),
        public_key: key.public_key(),
        counters: vec![DEMO_STATION_COUNTER.into()],
        registered_at: chrono::Utc::now(),
        registered_by: "test-setup".into(),
    };
    let event = madoguchi_server::audit::event(&t, None, None, "terminal.put", None, "ok");
    store.put_terminal(&t, &record, &event).expect("enroll");
}

/// The station's report as the server keeps it.
fn stored(db: &Path) -> Option<Value> {
    let store = SqliteStore::open(db).expect("server store");
    let text = store
        .tenant_setting(
            &TenantId(TENANT.into()),
            &format!("terminal_devices:{STATION}"),
        )
        .expect("setting")?;
    Some(serde_json::from_str(&text).expect("json"))
}

#[test]
fn the_station_reports_its_devices_once_and_again_when_the_paper_runs_out() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("server.db");
    TestServer::create(&db);
    let data = dir.path().join("station-data");
    enroll_station(&db, &data);
    let server = TestServer::serve(&db, None);
    let receipts = dir.path().join("receipts");
    std::fs::create_dir_all(&receipts).expect("receipts");
    let text = format!(
        r#"
server_url = "http://{addr}"
tenant = "{TENANT}"
terminal_id = "{STATION}"
role = "issuance"
counter = "{DEMO_STATION_COUNTER}"
receipt_printer = "mock:{receipts}"
signal_tower = "mock:{tower}"
data_dir = "{data}"
kiosk_account = {{ login = "{DEMO_STATION_LOGIN}", password = "{DEMO_STATION_PASSWORD}" }}
"#,
        addr = server.addr,
        receipts = receipts.display(),
        tower = dir.path().join("tower").display(),
        data = data.display(),
    );
    let t = Terminal::open(TerminalConfig::parse(&text).expect("config")).expect("terminal");

    assert!(!t.check_receipt_paper());
    assert!(!t.sync_once().offline);
    let first = stored(&db).expect("reported after the first round");
    assert_eq!(first["receipt_printer"]["kind"], "mock", "{first}");
    assert_eq!(first["signal_tower"]["kind"], "mock", "{first}");
    assert_eq!(first["document_printer"], Value::Null, "{first}");
    assert_eq!(first["receipt_paper_out"], false, "{first}");
    assert_eq!(first["app_version"], env!("CARGO_PKG_VERSION"));
    let text = first.to_string();
    assert!(
        !text.contains(&dir.path().display().to_string()),
        "no folder is reported: {text}"
    );

    // Nothing changed: the next rounds send nothing (the server's time of receipt stays).
    assert!(!t.report_devices(), "unchanged: not sent again");
    t.sync_once();
    assert_eq!(stored(&db).expect("kept"), first);

    // The paper runs out: the next round reports it.
    std::fs::write(receipts.join("paper-out"), b"").expect("marker");
    assert!(t.check_receipt_paper());
    t.sync_once();
    let out = stored(&db).expect("reported again");
    assert_eq!(out["receipt_paper_out"], true, "{out}");
    assert!(
        out["reported_at"].as_str() >= first["reported_at"].as_str(),
        "{out}"
    );
    assert!(!t.report_devices(), "and once only");
}
