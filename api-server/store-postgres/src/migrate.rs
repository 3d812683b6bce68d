//! Append-only schema migrations. Each applied migration's SHA-256 is recorded; editing an applied
//! migration makes [`apply`] fail instead of silently diverging from databases in the field.

use madoguchi_store::{StoreError, StoreResult};
use postgres::Client;

use crate::be;

/// (version, name, SQL) in order. Append new entries; never edit or reorder existing ones.
pub const MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "init", include_str!("../migrations/0001_init.sql")),
    (2, "linkage", include_str!("../migrations/0002_linkage.sql")),
];

/// Serializes migrations of stores opening the same database at once.
const MIGRATION_LOCK: i64 = 0x6d61_646f_6775_6368; // "madoguch"

pub fn digest(sql: &str) -> String {
    let d = ring::digest::digest(&ring::digest::SHA256, sql.as_bytes());
    d.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

/// Checks the applied migrations and applies the pending ones, all in one transaction.
pub fn apply(c: &mut Client) -> StoreResult<()> {
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
