//! Notices to staff and maintenance notices, and who has read which.

use chrono::{DateTime, Utc};

use crate::{AuditEvent, NoticeRecord, StoreResult, TenantId};

/// Notices (伝達事項・お知らせ, 保守のお知らせ) and each user's read marks, per tenant.
pub trait NoticeStore {
    /// Creates the notice (`expected_revision` `None`; `Conflict` if the id exists) or replaces it
    /// when its stored revision is `expected_revision` (`Conflict` otherwise: someone saved it in
    /// between; `NotFound` if there is none). The stored revision is 1 on creation and one more at
    /// each save, whatever `notice.revision` says; returns it. Audited in the same transaction.
    fn save_notice(
        &self,
        tenant: &TenantId,
        notice: &NoticeRecord,
        expected_revision: Option<i64>,
        audit: &AuditEvent,
    ) -> StoreResult<i64>;
    /// Every notice of the tenant, the latest start first.
    fn notices(&self, tenant: &TenantId) -> StoreResult<Vec<NoticeRecord>>;
    /// Marks the notice read by `login` at `at` (again: no change, the first time stays). `NotFound`
    /// if the tenant has no such notice. Audited in the same transaction.
    fn mark_notice_read(
        &self,
        tenant: &TenantId,
        notice_id: &str,
        login: &str,
        at: DateTime<Utc>,
        audit: &AuditEvent,
    ) -> StoreResult<()>;
    /// The ids of the notices `login` has read.
    fn notices_read(&self, tenant: &TenantId, login: &str) -> StoreResult<Vec<String>>;
}
