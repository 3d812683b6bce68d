//! Migrations are append-only: an applied migration whose text changed stops start-up.

mod common;

use madoguchi_store_postgres::{MIGRATIONS, PostgresStore, migration_digest};
use postgres::{Client, NoTls};

#[test]
fn an_edited_applied_migration_stops_start_up() {
    let cluster = common::cluster();
    let url = cluster.fresh_database();
    drop(PostgresStore::open(&url).expect("first open migrates"));
    drop(PostgresStore::open(&url).expect("second open is a no-op"));
    let mut c = Client::connect(&url, NoTls).expect("connect");
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
    let e = PostgresStore::open(&url).expect_err("must refuse");
    assert!(e.to_string().contains("append-only"), "{e}");
    assert!(e.to_string().contains("migration 1 (init)"), "{e}");
}

#[test]
fn concurrent_opens_migrate_once() {
    let cluster = common::cluster();
    let url = cluster.fresh_database();
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let url = url.clone();
            std::thread::spawn(move || PostgresStore::open(&url).map(drop))
        })
        .collect();
    for h in handles {
        h.join().expect("thread").expect("open");
    }
    let mut c = Client::connect(&url, NoTls).expect("connect");
    let n: i64 = c
        .query_one("SELECT count(*) FROM schema_migrations", &[])
        .expect("count")
        .get(0);
    assert_eq!(n, MIGRATIONS.len() as i64);
}
