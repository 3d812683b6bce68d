//! Counter cases (案件) and the 転出証明書情報 received for 転入.

use chrono::{DateTime, NaiveDate, Utc};

use crate::case_summary::SummaryCount;
use crate::{
    AuditEvent, CaseEntry, CaseFilter, CaseHistoryRow, CaseRecord, CaseSaved, CaseWrite,
    IncomingMove, StoreResult, TenantId,
};

/// Counter cases (案件) and the 転出証明書情報 received for 転入.
pub trait CaseStore {
    /// Creates or updates a case and appends `write.entry` to its history, with the audit record, in one
    /// transaction. A write whose `entry.write_id` the case already has changes nothing
    /// (`AlreadyApplied`). `Conflict` when creating an id that exists or when `expected_revision` is not
    /// the case's revision; `NotFound` when updating a case that does not exist.
    fn save_case(
        &self,
        tenant: &TenantId,
        write: &CaseWrite,
        audit: &AuditEvent,
    ) -> StoreResult<CaseSaved>;
    /// A case with its history, oldest entry first.
    fn get_case(
        &self,
        tenant: &TenantId,
        case_id: &str,
    ) -> StoreResult<Option<(CaseRecord, Vec<CaseEntry>)>>;
    /// Cases matching the filter, newest first, at most `filter.limit`.
    fn find_cases(&self, tenant: &TenantId, filter: &CaseFilter) -> StoreResult<Vec<CaseRecord>>;
    /// Every case opened in `[from, to)`, oldest first, without a limit (statistics read a whole
    /// period; the caller bounds the period).
    fn cases_opened_between(
        &self,
        tenant: &TenantId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<CaseRecord>>;
    /// How many cases were opened in `[from, to)` (the statistics' comparison periods).
    fn count_cases_opened_between(
        &self,
        tenant: &TenantId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<u64>;
    /// The case summary of the Japan-time days `from..=to` (統計): per dimension and key, the count
    /// summed over the days (see [`crate::case_summary`]). Cases stored before the summary existed are
    /// counted first (once, in batches).
    fn case_summary(
        &self,
        tenant: &TenantId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> StoreResult<Vec<SummaryCount>>;
    /// Every history entry (対応履歴) recorded in `[from, to)`, oldest first, with its case's id and
    /// subjects (the 対応履歴 export).
    fn case_history_between(
        &self,
        tenant: &TenantId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<CaseHistoryRow>>;
    /// Stores (or replaces) a 転出証明書情報 notice.
    fn put_incoming_move(
        &self,
        tenant: &TenantId,
        notice: &IncomingMove,
        audit: &AuditEvent,
    ) -> StoreResult<()>;
    /// Notices with a member whose name or kana search key contains `key`, newest first.
    fn search_incoming_moves(
        &self,
        tenant: &TenantId,
        key: &str,
        limit: usize,
    ) -> StoreResult<Vec<IncomingMove>>;
}
