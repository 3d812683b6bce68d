//! The audit hash chain.

use chrono::{DateTime, Utc};

use crate::{
    AuditCheck, AuditEvent, AuditFilter, AuditPage, AuditRecord, AuditState, StoreResult, TenantId,
};

/// The audit hash chain.
pub trait AuditStore {
    /// Appends to the audit hash chain, on stable storage before returning; returns the record's id.
    fn append_audit(&self, event: &AuditEvent) -> StoreResult<i64>;
    /// Appends the audit record of a read (search results, a resident or household shown), where the
    /// record is the only write. It is safe from a crash of the server process when this returns and
    /// joins the chain (on stable storage) within a short interval set by the backend (SQLite: 0.5 s),
    /// and always before any later record and before the log is read or verified, so that auditing
    /// does not put a commit on every search. Changes, logins and disclosures use
    /// [`AuditStore::append_audit`] or are audited inside their own transaction.
    fn append_read_audit(&self, event: &AuditEvent) -> StoreResult<()>;
    /// Deletes the oldest records, up to the first one at or after `before`, keeping the chain
    /// verifiable from the last deleted record. Retention rules are the caller's. Returns how many.
    fn purge_audit_before(&self, before: DateTime<Utc>) -> StoreResult<u64>;
    /// Checks the whole chain (see [`audit::verify_chain`]).
    fn verify_audit(&self) -> StoreResult<AuditCheck>;
    /// The chain's base, its last record (every pending read audit joined first) and the hashes of the
    /// records `ids` that are still stored: what the audit anchor signs and checks.
    fn audit_state(&self, ids: &[i64]) -> StoreResult<AuditState>;
    /// A tenant's records with `from <= at < to`, in order.
    fn audit_records(
        &self,
        tenant: &TenantId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<AuditRecord>>;
    /// A tenant's records with `from <= at < to` that match `filter`, newest first (by id), one page of
    /// them. The period bounds the scan (index on tenant and time), so that a search never reads more
    /// than the period's records.
    fn search_audit(
        &self,
        tenant: &TenantId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        filter: &AuditFilter,
        page: AuditPage,
    ) -> StoreResult<Vec<AuditRecord>>;
}
