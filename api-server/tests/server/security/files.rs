//! Security II points 18 (in part) and 13: files with personal data are readable by their owner only —
//! the SQLite database with its WAL and shared-memory files, the audit spool, and the tenant hand-over —
//! and CSV files people open carry no spreadsheet formula.

#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use madoguchi_store::prelude::*;

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
        &Default::default(),
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
    let staff = app.login_as("t1", "staff", "1").await;
    let reason = "=HYPERLINK(\"http://x\",\"本人の申出\")";
    let (s, _) = app
        .send(json_req(
            Method::POST,
            &format!("/api/v1/residents/{}/address-disclosure", atena(8)),
            Some(&staff),
            &json!({ "reason": reason }),
        ))
        .await;
    assert_eq!(s, StatusCode::OK);
    let today = madoguchi_server::api::today_jst();
    let (_, csv) = app
        .send(get(
            &format!("/api/v1/audit?from={today}&to={today}"),
            &staff,
        ))
        .await;
    let csv = csv.as_str().expect("csv");
    assert!(csv.contains("\"'=HYPERLINK(\"\"http://x\"\""), "{csv}");
    assert!(!csv.contains(",=HYPERLINK"), "{csv}");
}

/// Security II point 18: a hand-over holds no password hashes or secret keys unless asked for, and is
/// encrypted to the recipient given at export: the files are unreadable without the identity, and the
/// import decrypts them with it.
#[test]
fn point_18_the_hand_over_is_encrypted_and_holds_no_secrets_unless_asked() {
    use madoguchi_server::handover::{self, ExportOptions, HandoverError, NO_PASSWORD};
    use madoguchi_server::handover_seal::{Opener, Sealer, new_identity};
    let dir = tempfile::tempdir().expect("dir");
    let store = SqliteStore::open(&dir.path().join("db.sqlite3")).expect("store");
    let a = t("t1");
    store.ensure_tenant(&a, "さくら野市").expect("tenant");
    staff_with_all_permissions(&store, &a);
    for key in ["qr_keys", "audit_query_key"] {
        store
            .put_tenant_setting(
                &a,
                key,
                "SECRET-KEY-MATERIAL",
                &setup_event(&a, "setting.put"),
            )
            .expect("setting");
    }
    let (identity, recipient) = new_identity();
    std::fs::write(dir.path().join("key.txt"), identity).expect("key");
    let out = dir.path().join("sealed");
    let options = ExportOptions {
        with_secrets: false,
        seal: Some(Sealer::new(&[recipient]).expect("recipient")),
    };
    handover::export_tenant(
        &store,
        &a,
        &out,
        &options,
        &setup_event(&a, "tenant.export"),
    )
    .expect("export");
    let names: Vec<String> = std::fs::read_dir(&out)
        .expect("dir")
        .filter_map(|e| e.ok().filter(|e| e.path().is_file()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| n.ends_with(".age")), "{names:?}");
    assert!(
        names.contains(&"users.csv.age".to_owned())
            && names.contains(&"manifest.json.age".to_owned())
    );
    let sealed = std::fs::read(out.join("users.csv.age")).expect("users");
    assert!(
        !sealed.windows(5).any(|w| w == b"staff"),
        "no plaintext in the encrypted file"
    );

    // Without the identity, or with another one: refused in Japanese, nothing written.
    let b = t("t2-new");
    match handover::import_tenant(&store, &b, &out, None, today(), &|a| setup_event(&b, a)) {
        Err(HandoverError::Invalid(m)) => assert!(m.contains("暗号化されています"), "{m}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    let (other, _) = new_identity();
    std::fs::write(dir.path().join("other.txt"), other).expect("key");
    let stranger = Opener::from_file(&dir.path().join("other.txt")).expect("identity");
    match handover::import_tenant(&store, &b, &out, Some(&stranger), today(), &|a| {
        setup_event(&b, a)
    }) {
        Err(HandoverError::Invalid(m)) => assert!(m.contains("復号できません"), "{m}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(store.tenant_name(&b).expect("name"), None);

    let opener = Opener::from_file(&dir.path().join("key.txt")).expect("identity");
    handover::import_tenant(&store, &b, &out, Some(&opener), today(), &|a| {
        setup_event(&b, a)
    })
    .expect("import");
    let user = store
        .find_user(&b, "staff")
        .expect("find")
        .expect("imported");
    assert_eq!(user.password_hash, NO_PASSWORD, "no hash was handed over");
    assert!(!madoguchi_server::auth::verify_password(
        "correct-horse-battery",
        &user.password_hash
    ));
    for key in ["qr_keys", "audit_query_key"] {
        assert_eq!(
            store.tenant_setting(&b, key).expect("setting"),
            None,
            "{key}"
        );
    }
}
