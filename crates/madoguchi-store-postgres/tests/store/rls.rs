//! Row-level security probed directly: the application role (not a superuser, no BYPASSRLS) runs
//! raw, unscoped SQL and sees, and may write, only the tenant its transaction names.

use chrono::{NaiveDate, TimeZone, Utc};
use madoguchi_store::prelude::*;
use madoguchi_store::{
    AuditEvent, CaseEntry, CaseWrite, ImportDecision, ImportMeta, ImportMode, NewUser, TenantId,
};
use madoguchi_store_postgres::PostgresStore;
use madoguchi_testkit::conformance::resident;
use postgres::{Client, NoTls};

use crate::common;

fn ev(tenant: &TenantId, action: &str) -> AuditEvent {
    AuditEvent {
        tenant: tenant.clone(),
        at: Utc.timestamp_opt(1_790_000_000, 0).single().expect("time"),
        user: Some("admin".into()),
        counter: None,
        terminal: None,
        action: action.into(),
        subject: None,
        result: "ok".into(),
        reason: None,
    }
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

/// Two tenants with residents, staff, sessions and cases, through the store.
fn populate(store: &PostgresStore) -> (TenantId, TenantId) {
    let (a, b) = (TenantId("city-a".into()), TenantId("city-b".into()));
    for (t, rows, users) in [
        (
            &a,
            vec![
                (1, "山田\u{3000}太郎", "ヤマダ\u{3000}タロウ"),
                (2, "山田\u{3000}花子", "ヤマダ\u{3000}ハナコ"),
                (3, "田中\u{3000}一", "タナカ\u{3000}ハジメ"),
            ],
            ["a1", "a2"],
        ),
        (
            &b,
            vec![(1, "佐藤\u{3000}健", "サトウ\u{3000}ケン")],
            ["b1", "b2"],
        ),
    ] {
        store.ensure_tenant(t, "市").expect("tenant");
        let residents: Vec<_> = rows
            .iter()
            .map(|(seq, name, kana)| resident(*seq, *seq, name, kana, d(1980, 1, 1), "世帯主"))
            .collect();
        let meta = ImportMeta {
            mode: ImportMode::Full,
            sha256: "seed".into(),
            source_name: "seed.csv".into(),
            started_at: Utc::now(),
            audit: None,
        };
        store
            .import_residents(t, &meta, &mut |sink| {
                for r in &residents {
                    sink.put(r)?;
                }
                Ok(ImportDecision::Commit)
            })
            .expect("import");
        for (i, login) in users.iter().enumerate() {
            let id = store
                .create_user(
                    t,
                    &NewUser {
                        login: (*login).into(),
                        display_name: "職員".into(),
                        password_hash: Some("h".into()),
                        groups: vec![],
                        valid_until: None,
                        must_change_password: false,
                    },
                    &ev(t, "user.create"),
                )
                .expect("user");
            let token = [if t == &a { 10 } else { 20 } + i as u8; 32];
            store
                .create_session(
                    &token,
                    id,
                    "1番",
                    None,
                    Utc::now(),
                    Utc::now() + chrono::Duration::hours(1),
                    &ev(t, "login"),
                )
                .expect("session");
        }
        let write = CaseWrite {
            case_id: format!("case-{}", t.as_str()),
            expected_revision: None,
            status: "open".into(),
            title: "転入".into(),
            subjects: vec![],
            procedures: vec!["JUKI-TENNYU".into()],
            document: "{}".into(),
            entry: CaseEntry {
                write_id: "w1".into(),
                at: Utc::now(),
                user: users[0].into(),
                counter: "1番".into(),
                terminal: None,
                lines: vec!["案件を作成".into()],
            },
        };
        store
            .save_case(t, &write, &ev(t, "case.save"))
            .expect("case");
    }
    (a, b)
}

fn tenants_seen(c: &mut postgres::Transaction<'_>, table: &str) -> Vec<String> {
    let mut v: Vec<String> = c
        .query(&format!("SELECT tenant_id FROM {table}"), &[])
        .expect(table)
        .iter()
        .map(|r| r.get(0))
        .collect();
    v.dedup();
    v
}

#[test]
fn rls_probe() {
    let cluster = common::cluster();
    let url = cluster.fresh_database();
    let store = PostgresStore::open(&url).expect("open");
    let (a, b) = populate(&store);
    drop(store);

    let mut c = Client::connect(&url, NoTls).expect("connect as the application role");
    let role = c
        .query_one(
            "SELECT current_user::text, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user",
            &[],
        )
        .expect("role");
    assert_eq!(role.get::<_, String>(0), "madoguchi_app");
    assert!(!role.get::<_, bool>(1), "not a superuser");
    assert!(!role.get::<_, bool>(2), "no BYPASSRLS");

    // Tenant A set: raw, unscoped reads see only A's rows.
    let mut tx = c.transaction().expect("tx");
    tx.execute(
        "SELECT set_config('madoguchi.tenant', $1, true)",
        &[&a.as_str()],
    )
    .expect("set");
    for (table, count) in [
        ("residents", 3),
        ("cases", 1),
        ("users", 2),
        ("sessions", 2),
    ] {
        assert_eq!(tenants_seen(&mut tx, table), [a.as_str()], "{table}");
        let n: i64 = tx
            .query_one(&format!("SELECT count(*) FROM {table}"), &[])
            .expect("count")
            .get(0);
        assert_eq!(n, count, "{table}");
    }
    let tenants: Vec<String> = tx
        .query("SELECT id FROM tenants", &[])
        .expect("tenants")
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(tenants, [a.as_str()]);
    // The search index shows A's rows only, and only for the grams a search names.
    assert!(
        tenants_seen(&mut tx, "resident_search").is_empty(),
        "no grams, no rows"
    );
    tx.execute("SELECT set_config('madoguchi.grams', '{}', true)", &[])
        .expect("set");
    assert_eq!(tenants_seen(&mut tx, "resident_search"), [a.as_str()]);
    tx.execute("SELECT set_config('madoguchi.grams', '{n山田}', true)", &[])
        .expect("set");
    let n: i64 = tx
        .query_one("SELECT count(*) FROM resident_search", &[])
        .expect("count")
        .get(0);
    assert_eq!(n, 2, "the two 山田 of A");
    // B's rows can be neither changed nor removed…
    for sql in [
        "UPDATE residents SET full_name = 'x' WHERE tenant_id = 'city-b'",
        "DELETE FROM residents WHERE tenant_id = 'city-b'",
        "UPDATE users SET locked = true",
        "DELETE FROM cases WHERE tenant_id = 'city-b'",
    ] {
        let n = tx.execute(sql, &[]).expect(sql);
        if sql.starts_with("UPDATE users") {
            assert_eq!(n, 2, "only A's users");
        } else {
            assert_eq!(n, 0, "{sql}");
        }
    }
    tx.rollback().expect("rollback");

    // …nor created while A is set.
    for sql in [
        "INSERT INTO residents (tenant_id, atena_no, household_no, kind, status, full_name, sex,
             relation, city_code, prefecture, city, town, support_measure, kana_key, row_hash)
         VALUES ('city-b', '000000000000999', '000000000000999', 1, 1, 'x', 1, '世帯主', '1', 'x',
                 'x', 'x', 0, 'x', 0)",
        "INSERT INTO users (tenant_id, login, display_name, password_hash) VALUES ('city-b', 'x', 'x', 'x')",
        "INSERT INTO cases (tenant_id, id, revision, status, title, opened_at, opened_by, opened_counter,
             updated_at, updated_by, updated_counter, document)
         VALUES ('city-b', 'x', 1, 'open', 'x', now(), 'x', 'x', now(), 'x', 'x', '{}')",
        "UPDATE residents SET tenant_id = 'city-b'",
    ] {
        let mut tx = c.transaction().expect("tx");
        tx.execute("SELECT set_config('madoguchi.tenant', $1, true)", &[&a.as_str()])
            .expect("set");
        let e = tx.execute(sql, &[]).expect_err("refused");
        assert_eq!(
            e.code().map(|c| c.code()),
            Some("42501"),
            "row-level security refuses it: {sql}"
        );
    }

    // No tenant set: nothing at all, before and after a transaction that had one.
    for _ in 0..2 {
        for table in [
            "residents",
            "cases",
            "users",
            "sessions",
            "tenants",
            "import_ledger",
        ] {
            let n: i64 = c
                .query_one(&format!("SELECT count(*) FROM {table}"), &[])
                .expect("count")
                .get(0);
            assert_eq!(n, 0, "{table} without a tenant");
        }
        let mut tx = c.transaction().expect("tx");
        tx.execute(
            "SELECT set_config('madoguchi.tenant', $1, true)",
            &[&b.as_str()],
        )
        .expect("set");
        assert_eq!(tenants_seen(&mut tx, "residents"), [b.as_str()]);
        tx.commit().expect("commit");
    }
    let e = c
        .execute("INSERT INTO tenants (id, name) VALUES ('city-c', 'x')", &[])
        .expect_err("no tenant, no write");
    assert_eq!(e.code().map(|c| c.code()), Some("42501"));

    // The lookups of the unscoped operations name one row, read-only.
    let mut tx = c.transaction().expect("tx");
    tx.execute(
        "SELECT set_config('madoguchi.session', $1, true)",
        &[&"0a".repeat(32)],
    )
    .expect("set");
    assert_eq!(tenants_seen(&mut tx, "sessions"), [a.as_str()]);
    let n: i64 = tx
        .query_one("SELECT count(*) FROM sessions", &[])
        .expect("count")
        .get(0);
    assert_eq!(n, 1, "one session, by its token hash");
    assert_eq!(
        tx.execute("UPDATE sessions SET counter = 'x'", &[])
            .expect("update"),
        0,
        "read-only"
    );
    assert!(tenants_seen(&mut tx, "users").is_empty());
    let b_user: i64 = 3; // the first user of B
    tx.execute(
        "SELECT set_config('madoguchi.user_id', $1, true)",
        &[&b_user.to_string()],
    )
    .expect("set");
    assert_eq!(tenants_seen(&mut tx, "users"), [b.as_str()]);
    assert_eq!(
        tx.execute("UPDATE users SET locked = true", &[])
            .expect("update"),
        0,
        "read-only"
    );
    assert!(tenants_seen(&mut tx, "residents").is_empty());
    tx.rollback().expect("rollback");
}

/// Every table holding tenant data is under forced row-level security with a policy; the exceptions
/// are the global audit chain and the migration ledger.
#[test]
fn every_tenant_table_has_forced_rls() {
    let cluster = common::cluster();
    let url = cluster.fresh_database();
    drop(PostgresStore::open(&url).expect("open"));
    let mut c = Client::connect(&url, NoTls).expect("connect");
    let rows = c
        .query(
            "SELECT c.relname::text, c.relrowsecurity, c.relforcerowsecurity,
                    (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid)
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY 1",
            &[],
        )
        .expect("tables");
    let outside = ["audit_head", "audit_log", "schema_migrations"];
    assert!(rows.len() > 15, "{} tables", rows.len());
    for r in rows {
        let name: String = r.get(0);
        let (enabled, forced, policies): (bool, bool, i64) = (r.get(1), r.get(2), r.get(3));
        if outside.contains(&name.as_str()) {
            assert!(!enabled, "{name} is global by design");
            continue;
        }
        assert!(
            enabled && forced && policies > 0,
            "{name}: RLS {enabled}, FORCE {forced}, {policies} policies"
        );
        let has_tenant: bool = c
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM information_schema.columns
                                WHERE table_schema = 'public' AND table_name = $1
                                  AND column_name IN ('tenant_id', 'id'))",
                &[&name],
            )
            .expect("columns")
            .get(0);
        assert!(has_tenant, "{name}");
    }
}
