//! The conformance suite every backend passes, on a throwaway PostgreSQL cluster (a fresh database per
//! check), and the store used the way the server uses it.

use madoguchi_store::prelude::*;
use madoguchi_store::{AuditCheck, TenantId};
use madoguchi_store_postgres::PostgresStore;
use madoguchi_testkit::conformance::{audit_event, run_all};

use crate::common;

#[test]
fn conformance() {
    let cluster = common::cluster();
    let started = std::time::Instant::now();
    run_all(&|| Box::new(PostgresStore::open(&cluster.fresh_database()).expect("open")));
    eprintln!("conformance suite: {:?}", started.elapsed());
}

/// The server calls the store from `tokio::task::spawn_blocking`, and may drop it inside the runtime.
#[test]
fn works_from_spawn_blocking() {
    let cluster = common::cluster();
    let url = cluster.fresh_database();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async move {
        let store = std::sync::Arc::new(
            tokio::task::spawn_blocking(move || PostgresStore::open(&url))
                .await
                .expect("join")
                .expect("open"),
        );
        let mut tasks = Vec::new();
        for i in 0..8 {
            let store = store.clone();
            tasks.push(tokio::task::spawn_blocking(move || {
                let t = TenantId(format!("t{}", i % 2));
                store.ensure_tenant(&t, "市").expect("tenant");
                store
                    .append_audit(&audit_event(t.as_str(), i, "login", None))
                    .expect("append");
                store.tenant_name(&t).expect("name")
            }));
        }
        for t in tasks {
            assert_eq!(t.await.expect("join").as_deref(), Some("市"));
        }
        let s = store.clone();
        let check = tokio::task::spawn_blocking(move || s.verify_audit())
            .await
            .expect("join")
            .expect("verify");
        assert_eq!(check, AuditCheck::Intact { records: 8 });
        // Dropped on an async worker thread: must not panic.
        drop(store);
    });
}

#[test]
fn the_password_is_never_printed() {
    let cluster = common::cluster();
    let url = cluster.fresh_database();
    let password = cluster.app_password().to_owned();
    let store = PostgresStore::open(&url).expect("open");
    let shown = format!("{store:?}");
    assert!(!shown.contains(&password), "{shown}");
    assert!(shown.contains("madoguchi_app"), "{shown}");
    let wrong = url.replace(&password, "not-the-password");
    let e = PostgresStore::open(&wrong).expect_err("wrong password");
    assert!(!e.to_string().contains("not-the-password"), "{e}");
    let bad_port = url.replace(&format!(":{}/", cluster.port()), ":notaport/");
    let e = PostgresStore::open(&bad_port).expect_err("bad port");
    assert!(!e.to_string().contains(&password), "{e}");
}
