//! Security II points 18 (in part) and 13: files with personal data are readable by their owner only —
//! the SQLite database with its WAL and shared-memory files, the audit spool, and the tenant hand-over —
//! and CSV files people open carry no spreadsheet formula.

#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use super::*;

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).expect("metadata").permissions().mode() & 0o777
}

#[test]
fn point_18_the_database_and_the_hand_over_are_owner_only() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("m.sqlite3");
    let store = SqliteStore::open(&db).expect("store");
    store.ensure_tenant(&t("t1"), "さくら野市").expect("tenant");
    let text = small_city();
    import_residents(
        &store,
        &t("t1"),
        text.as_bytes(),
        &options(ImportMode::Full, text.as_bytes()),
    )
    .expect("import");
    store
        .append_read_audit(&madoguchi_server::audit::event(
            &t("t1"),
            None,
            None,
            "resident.read",
            Some(atena(1)),
            "ok",
        ))
        .expect("read audit");
    let mut private = vec![db.clone()];
    for entry in std::fs::read_dir(dir.path()).expect("dir") {
        let p = entry.expect("entry").path();
        if p != db {
            private.push(p); // -wal, -shm and the audit spool
        }
    }
    assert!(private.len() >= 3, "{private:?}");
    for p in &private {
        assert_eq!(mode(p), 0o600, "{p:?}");
    }
    // A database created by an older version with wider permissions is narrowed at open.
    drop(store);
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let store = SqliteStore::open(&db).expect("reopen");
    assert_eq!(mode(&db), 0o600);

    let out = dir.path().join("export");
    madoguchi_server::handover::export_tenant(
        &store,
        &t("t1"),
        &out,
        &setup_event(&t("t1"), "tenant.export"),
    )
    .expect("export");
    assert_eq!(mode(&out), 0o700);
    for entry in std::fs::read_dir(&out).expect("export dir") {
        let p = entry.expect("entry").path();
        if p.is_file() {
            assert_eq!(mode(&p), 0o600, "{p:?}");
        }
    }
}

/// Security II point 13: the audit export (a CSV people open in a spreadsheet) neutralises a value that
/// a spreadsheet would run as a formula — here a disclosure reason typed by staff.
#[tokio::test]
async fn point_13_the_audit_export_neutralises_formulas() {
    let app = app();
    let staff = login_as(&app, "t1", "staff", "1").await;
    let reason = "=HYPERLINK(\"http://x\",\"本人の申出\")";
    let (s, _) = send(
        &app,
        json_req(
            Method::POST,
            &format!("/api/v1/residents/{}/address-disclosure", atena(8)),
            Some(&staff),
            &json!({ "reason": reason }),
        ),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let today = madoguchi_server::api::today_jst();
    let (_, csv) = send(
        &app,
        get(&format!("/api/v1/audit?from={today}&to={today}"), &staff),
    )
    .await;
    let csv = csv.as_str().expect("csv");
    assert!(csv.contains("\"'=HYPERLINK(\"\"http://x\"\""), "{csv}");
    assert!(!csv.contains(",=HYPERLINK"), "{csv}");
}
