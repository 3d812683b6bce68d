//! Append-only schema migrations. Each applied migration's SHA-256 is recorded; editing an applied
//! migration makes [`apply`] fail instead of silently diverging from databases in the field.

use madoguchi_store::{StoreError, StoreResult};
use postgres::Client;

use crate::sql::be;

/// (version, name, SQL) in order. Append new entries; never edit or reorder existing ones.
pub const MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "init", include_str!("../migrations/0001_init.sql")),
    (2, "linkage", include_str!("../migrations/0002_linkage.sql")),
    (
        3,
        "audit_roles",
        include_str!("../migrations/0003_audit_roles.sql"),
    ),
    (
        4,
        "terminals",
        include_str!("../migrations/0004_terminals.sql"),
    ),
    (
        5,
        "qualifications",
        include_str!("../migrations/0005_qualifications.sql"),
    ),
    (
        6,
        "certificates",
        include_str!("../migrations/0006_certificates.sql"),
    ),
    (
        7,
        "seal_registrations",
        include_str!("../migrations/0007_seal_registrations.sql"),
    ),
    (
        8,
        "card_serials",
        include_str!("../migrations/0008_card_serials.sql"),
    ),
    (
        9,
        "certificate_history",
        include_str!("../migrations/0009_certificate_history.sql"),
    ),
    (
        10,
        "tax_records",
        include_str!("../migrations/0010_tax_records.sql"),
    ),
    (
        11,
        "resident_registry_items",
        include_str!("../migrations/0011_resident_registry_items.sql"),
    ),
    (
        12,
        "account_admin",
        include_str!("../migrations/0012_account_admin.sql"),
    ),
    (
        13,
        "notices",
        include_str!("../migrations/0013_notices.sql"),
    ),
    (
        14,
        "case_history_period",
        include_str!("../migrations/0014_case_history_period.sql"),
    ),
    (
        15,
        "case_summary",
        include_str!("../migrations/0015_case_summary.sql"),
    ),
    (
        16,
        "form_backgrounds",
        include_str!("../migrations/0016_form_backgrounds.sql"),
    ),
    (
        17,
        "portal_applications",
        include_str!("../migrations/0017_portal_applications.sql"),
    ),
    (
        18,
        "arrivals",
        include_str!("../migrations/0018_arrivals.sql"),
    ),
    (
        19,
        "pre_applications",
        include_str!("../migrations/0019_pre_applications.sql"),
    ),
];

/// Serializes migrations of stores opening the same database at once.
const MIGRATION_LOCK: i64 = 0x6d61_646f_6775_6368; // "madoguch"

pub fn digest(sql: &str) -> String {
    let d = ring::digest::digest(&ring::digest::SHA256, sql.as_bytes());
    d.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

/// What the application role may do (Security II point 7): everything on the tenant tables, only
/// INSERT and SELECT on the audit chain (its head moves by a trigger that runs as the owner), read the
/// migration ledger, and purge old audit records only through `audit_purge_before`.
fn grants(app_role: &str) -> String {
    format!(
        "GRANT USAGE ON SCHEMA public TO {app_role};
         GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {app_role};
         GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {app_role};
         REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_log FROM {app_role};
         REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_head FROM {app_role};
         REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON schema_migrations FROM {app_role};
         REVOKE CREATE ON SCHEMA public FROM {app_role};
         GRANT EXECUTE ON FUNCTION audit_purge_before(timestamptz) TO {app_role};"
    )
}

/// A role name as SQL needs it: plain lower-case identifiers only (no quoting games).
fn check_role(name: &str) -> StoreResult<()> {
    let ok = !name.is_empty()
        && name.len() <= 63
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit());
    if ok {
        Ok(())
    } else {
        Err(StoreError::Backend(format!(
            "the application role name must be lower-case letters, digits and _: {name:?}"
        )))
    }
}

/// Applies the pending migrations as the owner role and grants `app_role` what it may do, in one
/// transaction (`madoguchi-server migrate`).
pub fn apply_as_owner(c: &mut Client, app_role: &str) -> StoreResult<()> {
    check_role(app_role)?;
    apply_then(c, &grants(app_role))
}

/// Checks that every migration was applied, unchanged (the server's start as the application role,
/// which may not change the schema).
pub fn check(c: &mut Client) -> StoreResult<()> {
    let exists: bool = c
        .query_one("SELECT to_regclass('schema_migrations') IS NOT NULL", &[])
        .map_err(be)?
        .get(0);
    let applied: Vec<(i64, String)> = if exists {
        c.query("SELECT version, sha256 FROM schema_migrations", &[])
            .map_err(be)?
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect()
    } else {
        Vec::new()
    };
    for (version, name, sql) in MIGRATIONS {
        match applied.iter().find(|(v, _)| v == version) {
            Some((_, s)) if *s == digest(sql) => {}
            Some(_) => {
                return Err(StoreError::Backend(format!(
                    "migration {version} ({name}) was edited after it was applied; migrations are append-only"
                )));
            }
            None => {
                return Err(StoreError::Backend(format!(
                    "migration {version} ({name}) is not applied: run `madoguchi-server migrate` as the database's owner role"
                )));
            }
        }
    }
    Ok(())
}

/// Checks the applied migrations and applies the pending ones, then `after` (the grants), all in one
/// transaction under one lock.
fn apply_then(c: &mut Client, after: &str) -> StoreResult<()> {
    let mut tx = c.transaction().map_err(be)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .map_err(be)?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             version     bigint PRIMARY KEY,
             name        text NOT NULL,
             sha256      text NOT NULL,
             applied_at  timestamptz NOT NULL DEFAULT now())",
    )
    .map_err(be)?;
    for (version, name, sql) in MIGRATIONS {
        let sum = digest(sql);
        let applied = tx
            .query_opt(
                "SELECT sha256 FROM schema_migrations WHERE version = $1",
                &[version],
            )
            .map_err(be)?
            .map(|r| r.get::<_, String>(0));
        match applied {
            Some(s) if s == sum => continue,
            Some(_) => {
                return Err(StoreError::Backend(format!(
                    "migration {version} ({name}) was edited after it was applied; migrations are append-only"
                )));
            }
            None => {
                tx.batch_execute(sql).map_err(|e| {
                    StoreError::Backend(format!("migration {version} ({name}) failed: {}", be(e)))
                })?;
                tx.execute(
                    "INSERT INTO schema_migrations (version, name, sha256) VALUES ($1, $2, $3)",
                    &[version, name, &sum],
                )
                .map_err(be)?;
                tracing::info!(version, name, "applied a PostgreSQL migration");
            }
        }
    }
    tx.batch_execute(after).map_err(|e| {
        StoreError::Backend(format!("granting the application role failed: {}", be(e)))
    })?;
    tx.commit().map_err(be)
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
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .expect("migrations dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        files.sort();
        assert_eq!(
            files.len(),
            MIGRATIONS.len(),
            "every migration file is listed in MIGRATIONS"
        );
        for (file, (v, name, _)) in files.iter().zip(MIGRATIONS) {
            assert_eq!(file, &format!("{v:04}_{name}.sql"));
        }
    }
}
