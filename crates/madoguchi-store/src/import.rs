//! A resident import as the store sees it: the ledger entry, the write side of its transaction, what it
//! changed.

use chrono::{DateTime, Utc};
use madoguchi_core::ids::AtenaNo;
use madoguchi_core::resident::Resident;

use crate::audit::AuditEvent;
use crate::error::StoreResult;

/// Whether an import replaces the tenant's population (全件) or applies changes (差分).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportMode {
    Full,
    Delta,
}

impl ImportMode {
    pub fn as_str(self) -> &'static str {
        match self {
            ImportMode::Full => "full",
            ImportMode::Delta => "delta",
        }
    }
}

/// What identifies an import in the ledger.
#[derive(Debug, Clone)]
pub struct ImportMeta {
    pub mode: ImportMode,
    /// Hex SHA-256 of the file's bytes: a file already in the ledger is not applied again.
    pub sha256: String,
    /// Original file name, for the ledger only.
    pub source_name: String,
    pub started_at: DateTime<Utc>,
    /// The audit record of this import, appended inside the import's transaction when it commits
    /// (with `result` set to `applied`), so that data and audit trail change together.
    pub audit: Option<AuditEvent>,
}

/// Result of writing one resident inside an import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PutOutcome {
    Inserted,
    Updated,
    Unchanged,
}

/// The write side of an import transaction, handed to the importer's closure.
pub trait ResidentSink {
    fn put(&mut self, resident: &Resident) -> StoreResult<PutOutcome>;
    /// Removes a resident (delta 削除フラグ). Returns whether it existed.
    fn remove(&mut self, atena_no: &AtenaNo) -> StoreResult<bool>;
}

/// Whether the importer wants its writes committed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportDecision {
    Commit,
    Rollback,
}

/// Counts of what a committed import changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportCounts {
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub removed: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportApplied {
    /// Writes were committed (and the file recorded in the ledger).
    Committed(ImportCounts),
    /// The importer asked for a rollback: nothing changed.
    RolledBack,
    /// The same file (by SHA-256) was applied before: nothing was done.
    AlreadyApplied { applied_at: DateTime<Utc> },
}
