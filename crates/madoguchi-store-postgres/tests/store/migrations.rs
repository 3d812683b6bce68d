//! Migrations are append-only and run by the owner role: an applied migration whose text changed stops
//! start-up, the application role never changes the schema, may only insert into and read the audit
//! chain, and a superuser or BYPASSRLS role is refused (Security II point 7).

use madoguchi_store::prelude::*;
use madoguchi_store_postgres::{MIGRATIONS, PostgresStore, migration_digest};
use madoguchi_testkit::throwaway::{APP_ROLE, OWNER_ROLE};
use postgres::{Client, NoTls};

use crate::common;

#[test]
fn an_edited_applied_migration_stops_start_up() {
    let cluster = common::cluster();
    let name = cluster.try_fresh_database().expect("database");
    let (owner, app) = (cluster.owner_url(&name), cluster.app_url(&name));
    // The application role does not migrate: it is told to run `migrate` as the owner.
    let e = PostgresStore::open(&app).expect_err("not migrated");
    assert!(e.to_string().contains("madoguchi-server migrate"), "{e}");
    PostgresStore::migrate(&owner, APP_ROLE).expect("first migration");
    PostgresStore::migrate(&owner, APP_ROLE).expect("second is a no-op");
    drop(PostgresStore::open(&app).expect("open as the application role"));
    let mut c = Client::connect(&owner, NoTls).expect("connect");
    let recorded: Vec<(i64, String)> = c
        .query(
            "SELECT version, sha256 FROM schema_migrations ORDER BY version",
            &[],
        )
        .expect("ledger")
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    let expected: Vec<(i64, String)> = MIGRATIONS
        .iter()
        .map(|(v, _, sql)| (*v, migration_digest(sql)))
        .collect();
    assert_eq!(
        recorded, expected,
        "each applied migration with its checksum"
    );
    // The text of migration 1 as this database saw it differs from the one compiled in now.
    c.execute(
        "UPDATE schema_migrations SET sha256 = $1 WHERE version = 1",
        &[&migration_digest("-- an older text of the migration")],
    )
    .expect("tamper");
    for e in [
        PostgresStore::open(&app)
            .map(drop)
            .expect_err("must refuse"),
        PostgresStore::migrate(&owner, APP_ROLE).expect_err("must refuse"),
    ] {
        assert!(e.to_string().contains("append-only"), "{e}");
        assert!(e.to_string().contains("migration 1 (init)"), "{e}");
    }
}

#[test]
fn concurrent_migrations_apply_once() {
    let cluster = common::cluster();
    let name = cluster.try_fresh_database().expect("database");
    let owner = cluster.owner_url(&name);
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let url = owner.clone();
            std::thread::spawn(move || PostgresStore::migrate(&url, APP_ROLE))
        })
        .collect();
    for h in handles {
        h.join().expect("thread").expect("migrate");
    }
    let mut c = Client::connect(&owner, NoTls).expect("connect");
    let n: i64 = c
        .query_one("SELECT count(*) FROM schema_migrations", &[])
        .expect("count")
        .get(0);
    assert_eq!(n, MIGRATIONS.len() as i64);
}

/// Security II point 7: the application role may only INSERT into and SELECT from the audit chain; the
/// chain still grows, verifies and purges through the store; the owner's trigger refuses a record that
/// does not extend the head.
#[test]
fn point_07_the_application_role_cannot_rewrite_the_audit_chain() {
    let cluster = common::cluster();
    let app = cluster.fresh_database();
    let store = PostgresStore::open(&app).expect("open");
    let tenant = madoguchi_store::TenantId("city-a".into());
    store.ensure_tenant(&tenant, "市").expect("tenant");
    for i in 0..3 {
        store
            .append_audit(&madoguchi_testkit::conformance::audit_event(
                "city-a", i, "login", None,
            ))
            .expect("append");
    }
    assert_eq!(
        store.verify_audit().expect("verify"),
        madoguchi_store::AuditCheck::Intact { records: 3 }
    );
    let mut c = Client::connect(&app, NoTls).expect("connect");
    for sql in [
        "UPDATE audit_log SET result = 'denied' WHERE id = 2",
        "DELETE FROM audit_log WHERE id = 3",
        "TRUNCATE audit_log",
        "UPDATE audit_head SET last_id = 2",
        "DELETE FROM audit_head",
        "UPDATE schema_migrations SET sha256 = 'x'",
        "CREATE TABLE sneaky (x int)",
        "DROP TABLE audit_log",
        "ALTER TABLE audit_log DISABLE TRIGGER audit_log_advance_head",
    ] {
        let e = c.batch_execute(sql).expect_err(sql);
        let code = e.code().map(|c| c.code().to_owned());
        assert!(
            matches!(code.as_deref(), Some("42501")),
            "{sql}: {e} (insufficient privilege expected)"
        );
    }
    // A forged record that does not extend the head is refused by the owner's trigger.
    let e = c
        .batch_execute(
            "INSERT INTO audit_log (id, tenant_id, at, action, result, prev_hash, hash)
             VALUES (9, 'city-a', now(), 'forged', 'ok', decode(repeat('00', 32), 'hex'), decode(repeat('11', 32), 'hex'))",
        )
        .expect_err("forged");
    assert!(
        e.to_string().contains("does not extend the chain head")
            || format!("{e:?}").contains("does not extend"),
        "{e:?}"
    );
    // The store still purges (through the owner's function) and verifies.
    let purged = store
        .purge_audit_before(madoguchi_testkit::conformance::audit_event("city-a", 2, "x", None).at)
        .expect("purge");
    assert_eq!(purged, 2);
    assert_eq!(
        store.verify_audit().expect("verify"),
        madoguchi_store::AuditCheck::Intact { records: 1 }
    );
}

#[test]
fn point_07_a_superuser_or_bypassrls_role_is_refused() {
    let cluster = common::cluster();
    let name = cluster.try_fresh_database().expect("database");
    PostgresStore::migrate(&cluster.owner_url(&name), APP_ROLE).expect("migrate");
    cluster
        .admin_sql("postgres", &format!("ALTER ROLE {OWNER_ROLE} BYPASSRLS"))
        .expect("bypassrls");
    let refused = PostgresStore::open(&cluster.owner_url(&name)).map(drop);
    cluster
        .admin_sql("postgres", &format!("ALTER ROLE {OWNER_ROLE} NOBYPASSRLS"))
        .expect("restore");
    let e = refused.expect_err("a BYPASSRLS role is refused");
    assert!(e.to_string().contains("BYPASSRLS"), "{e}");
}
