//! The audit chain in PostgreSQL: tampering done directly in the database is found and the first bad
//! record named; concurrent appends are serialized into one unbroken chain.

use madoguchi_store::AuditCheck;
use madoguchi_store::prelude::*;
use madoguchi_store_postgres::PostgresStore;
use madoguchi_testkit::conformance::audit_event;

use crate::common;

#[test]
fn tampering_is_found() {
    let cluster = common::cluster();
    let cases: &[(&str, &str, i64)] = &[
        (
            "edit",
            "UPDATE audit_log SET subject = '000000000000027' WHERE id = 3",
            3,
        ),
        ("delete", "DELETE FROM audit_log WHERE id = 2", 3),
        (
            "insert",
            "UPDATE audit_log SET id = id + 10 WHERE id >= 3;
             INSERT INTO audit_log (id, tenant_id, at, action, result, prev_hash, hash)
             SELECT 3, 'a', at, 'forged', 'ok', hash, hash FROM audit_log WHERE id = 2",
            3,
        ),
        (
            "reorder",
            "UPDATE audit_log SET id = 100 WHERE id = 2; UPDATE audit_log SET id = 2 WHERE id = 3;
             UPDATE audit_log SET id = 3 WHERE id = 100",
            2,
        ),
        ("truncate", "DELETE FROM audit_log WHERE id = 5", 5),
    ];
    for (name, sql, first_bad) in cases {
        let url = cluster.fresh_database();
        let s = PostgresStore::open(&url).expect("open");
        for i in 0..5 {
            s.append_audit(&audit_event(
                "a",
                i,
                "resident.read",
                Some("000000000000019"),
            ))
            .expect("append");
        }
        assert_eq!(
            s.verify_audit().expect("verify"),
            AuditCheck::Intact { records: 5 },
            "{name}"
        );
        // The application role may not touch the chain (point 7); an attacker with the database's
        // superuser may, triggers switched off.
        let db = url.rsplit('/').next().expect("database name");
        cluster
            .admin_client(db)
            .expect("superuser")
            .batch_execute(&format!("SET session_replication_role = replica; {sql}"))
            .expect(name);
        match s.verify_audit().expect("verify") {
            AuditCheck::Broken { first_bad_id, .. } => {
                assert_eq!(first_bad_id, *first_bad, "{name}")
            }
            AuditCheck::Intact { .. } => panic!("{name}: tampering not detected"),
        }
    }
}

#[test]
fn concurrent_appends_make_one_chain() {
    let cluster = common::cluster();
    let store = std::sync::Arc::new(PostgresStore::open(&cluster.fresh_database()).expect("open"));
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let store = store.clone();
            std::thread::spawn(move || {
                for i in 0..25 {
                    let e = audit_event("a", t * 100 + i, "resident.search", None);
                    if i % 2 == 0 {
                        store.append_audit(&e).expect("append");
                    } else {
                        store.append_read_audit(&e).expect("read audit");
                    }
                }
            })
        })
        .collect();
    for t in threads {
        t.join().expect("thread");
    }
    assert_eq!(
        store.verify_audit().expect("verify"),
        AuditCheck::Intact { records: 100 }
    );
}
