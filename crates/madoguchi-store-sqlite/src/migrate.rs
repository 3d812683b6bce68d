//! Append-only schema migrations. Each applied migration's SHA-256 is recorded; editing an applied
//! migration makes `apply` fail instead of silently diverging from databases in the field.

use madoguchi_store::{StoreError, StoreResult};
use rusqlite::{Connection, OptionalExtension, params};

use crate::sql::be;

/// (version, name, SQL) in order. Append new entries; never edit or reorder existing ones.
pub const MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "init", include_str!("../migrations/0001_init.sql")),
    (
        2,
        "account_lockout",
        include_str!("../migrations/0002_account_lockout.sql"),
    ),
    (
        3,
        "session_idle_and_validity",
        include_str!("../migrations/0003_session_idle_and_validity.sql"),
    ),
    (
        4,
        "audit_log",
        include_str!("../migrations/0004_audit_log.sql"),
    ),
    (
        5,
        "audit_retention",
        include_str!("../migrations/0005_audit_retention.sql"),
    ),
    (
        6,
        "groups_and_counters",
        include_str!("../migrations/0006_groups_and_counters.sql"),
    ),
    (
        7,
        "audit_reason",
        include_str!("../migrations/0007_audit_reason.sql"),
    ),
    (
        8,
        "session_terminal",
        include_str!("../migrations/0008_session_terminal.sql"),
    ),
    (
        9,
        "form_templates",
        include_str!("../migrations/0009_form_templates.sql"),
    ),
    (
        10,
        "tenant_settings",
        include_str!("../migrations/0010_tenant_settings.sql"),
    ),
    (11, "cases", include_str!("../migrations/0011_cases.sql")),
    (
        12,
        "linkage",
        include_str!("../migrations/0012_linkage.sql"),
    ),
    (
        13,
        "terminals",
        include_str!("../migrations/0013_terminals.sql"),
    ),
    (
        14,
        "qualifications",
        include_str!("../migrations/0014_qualifications.sql"),
    ),
    (
        15,
        "certificates",
        include_str!("../migrations/0015_certificates.sql"),
    ),
    (
        16,
        "seal_registrations",
        include_str!("../migrations/0016_seal_registrations.sql"),
    ),
    (
        17,
        "card_serials",
        include_str!("../migrations/0017_card_serials.sql"),
    ),
    (
        18,
        "certificate_history",
        include_str!("../migrations/0018_certificate_history.sql"),
    ),
    (
        19,
        "tax_records",
        include_str!("../migrations/0019_tax_records.sql"),
    ),
    (
        20,
        "resident_registry_items",
        include_str!("../migrations/0020_resident_registry_items.sql"),
    ),
    (
        21,
        "account_admin",
        include_str!("../migrations/0021_account_admin.sql"),
    ),
    (
        22,
        "notices",
        include_str!("../migrations/0022_notices.sql"),
    ),
    (
        23,
        "case_history_period",
        include_str!("../migrations/0023_case_history_period.sql"),
    ),
    (
        24,
        "case_summary",
        include_str!("../migrations/0024_case_summary.sql"),
    ),
    (
        25,
        "form_backgrounds",
        include_str!("../migrations/0025_form_backgrounds.sql"),
    ),
    (
        26,
        "portal_applications",
        include_str!("../migrations/0026_portal_applications.sql"),
    ),
    (
        27,
        "arrivals",
        include_str!("../migrations/0027_arrivals.sql"),
    ),
    (
        28,
        "pre_applications",
        include_str!("../migrations/0028_pre_applications.sql"),
    ),
];

fn digest(sql: &str) -> String {
    let d = ring::digest::digest(&ring::digest::SHA256, sql.as_bytes());
    d.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

pub fn apply(c: &Connection) -> StoreResult<()> {
    c.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             version INTEGER PRIMARY KEY, name TEXT NOT NULL, sha256 TEXT NOT NULL, applied_at TEXT NOT NULL)",
    )
    .map_err(be)?;
    for (version, name, sql) in MIGRATIONS {
        let sum = digest(sql);
        let applied: Option<String> = c
            .query_row(
                "SELECT sha256 FROM schema_migrations WHERE version = ?1",
                [version],
                |r| r.get(0),
            )
            .optional()
            .map_err(be)?;
        match applied {
            Some(s) if s == sum => continue,
            Some(_) => {
                return Err(StoreError::Backend(format!(
                    "migration {version} ({name}) was edited after it was applied; migrations are append-only"
                )));
            }
            None => {
                let tx = c.unchecked_transaction().map_err(be)?;
                tx.execute_batch(sql).map_err(be)?;
                tx.execute(
                    "INSERT INTO schema_migrations (version, name, sha256, applied_at) VALUES (?1, ?2, ?3, datetime('now'))",
                    params![version, name, sum],
                )
                .map_err(be)?;
                tx.commit().map_err(be)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_consecutive_and_files_numbered() {
        for (i, (v, _, _)) in MIGRATIONS.iter().enumerate() {
            assert_eq!(*v, i as i64 + 1);
        }
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
        let files = std::fs::read_dir(dir).expect("migrations dir").count();
        assert_eq!(
            files,
            MIGRATIONS.len(),
            "every migration file is listed in MIGRATIONS"
        );
    }

    /// Migration 13 (terminal enrollment): browser logins stay on at the demo city's staff counters
    /// and off everywhere else, the demo kiosk counter included.
    #[test]
    fn the_demo_city_keeps_its_browser_counters() {
        let c = Connection::open_in_memory().expect("open");
        for (_, _, sql) in &MIGRATIONS[..12] {
            c.execute_batch(sql).expect("earlier migration");
        }
        c.execute_batch(
            "INSERT INTO tenants (id, name, created_at) VALUES ('demo', 'さくら野市', '2026-01-01'),
                 ('city', '本物市', '2026-01-01');
             INSERT INTO counters (tenant_id, code, name, permissions) VALUES
                 ('demo', 'shimin-1', '市民課', 'search'), ('demo', 'kiosk', 'キオスク', 'kiosk_apply'),
                 ('city', 'shimin-1', '市民課', 'search');",
        )
        .expect("rows");
        c.execute_batch(MIGRATIONS[12].2).expect("migration 13");
        let allowed: Vec<(String, String, i64)> = c
            .prepare(
                "SELECT tenant_id, code, browser_allowed FROM counters ORDER BY tenant_id, code",
            )
            .expect("prepare")
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("rows");
        let row = |t: &str, c: &str, a| (t.to_owned(), c.to_owned(), a);
        assert_eq!(
            allowed,
            [
                row("city", "shimin-1", 0),
                row("demo", "kiosk", 0),
                row("demo", "shimin-1", 1)
            ]
        );
    }

    #[test]
    fn edited_migration_is_refused() {
        let c = Connection::open_in_memory().expect("open");
        apply(&c).expect("first apply");
        apply(&c).expect("second apply is a no-op");
        c.execute(
            "UPDATE schema_migrations SET sha256 = 'x' WHERE version = 1",
            [],
        )
        .expect("tamper");
        let err = apply(&c).expect_err("must refuse");
        assert!(err.to_string().contains("append-only"), "{err}");
    }
}
