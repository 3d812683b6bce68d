//! Security II point 9 from the terminal's side: the runtime signs its logins with the device key it
//! keeps in its data folder; the server records the enrolled terminal, and a copy of the
//! configuration on another machine (another key) cannot log in at the kiosk counter.

mod common;

use common::*;
use madoguchi_store::{Store, TenantId};

#[test]
fn point_09_the_enrolled_kiosk_logs_in_and_a_copied_configuration_cannot() {
    let dir = tempfile::tempdir().expect("dir");
    let server = TestServer::start(&dir.path().join("server.db"));
    let url = format!("http://{}", server.addr);
    let kiosk = kiosk(&url, dir.path());
    kiosk
        .ensure_kiosk_session()
        .expect("the enrolled kiosk logs in");
    assert!(kiosk.status().logged_in);
    assert_eq!(kiosk.info().enrollment_code.len(), 66);

    let store = madoguchi_store_sqlite::SqliteStore::open(&server.db).expect("store");
    let tenant = TenantId(TENANT.into());
    let last_login = |store: &dyn Store| {
        store
            .audit_records(
                &tenant,
                chrono::DateTime::UNIX_EPOCH,
                chrono::Utc::now() + chrono::Duration::hours(1),
            )
            .expect("audit")
            .into_iter()
            .rev()
            .find(|r| r.event.action.starts_with("login"))
            .expect("a login")
    };
    let record = last_login(&store);
    assert_eq!(
        (
            record.event.action.as_str(),
            record.event.terminal.as_deref()
        ),
        ("login", Some("kiosk-term-1"))
    );

    // The same configuration on another machine: same terminal id, but its own (unregistered) key.
    let elsewhere = tempfile::tempdir().expect("dir");
    let copy = common::kiosk(&url, elsewhere.path());
    assert_ne!(copy.info().enrollment_code, kiosk.info().enrollment_code);
    assert!(
        copy.ensure_kiosk_session().is_err(),
        "a copied configuration is refused"
    );
    assert!(!copy.status().logged_in);
    let record = last_login(&store);
    assert_eq!(
        (record.event.action.as_str(), record.event.result.as_str()),
        ("login_failed", "terminal_proof_invalid")
    );
}
