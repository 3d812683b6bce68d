//! 事前申請 sent under a 受付番号.

use chrono::NaiveDate;

use crate::{AuditEvent, PreApplication, StoreResult, TenantId};

/// 事前申請 sent from residents' phones, kept under their 受付番号 until they expire.
pub trait PreApplicationStore {
    /// Stores `sent` with its audit record, exactly once per `write_id`: the application already
    /// stored under that write id when there is one (nothing written), else `sent` as stored. `None`
    /// (nothing written) when `sent.number` is another application's (pick another number). Purges
    /// the tenant's applications that expired before `today` in the same transaction.
    fn send_pre_application(
        &self,
        tenant: &TenantId,
        sent: &PreApplication,
        today: NaiveDate,
        audit: &AuditEvent,
    ) -> StoreResult<Option<PreApplication>>;
    /// One application by its 受付番号 (expired ones too, until purged).
    fn pre_application(
        &self,
        tenant: &TenantId,
        number: &str,
    ) -> StoreResult<Option<PreApplication>>;
    /// Deletes the application `number` when its applicant's birth date is `birth`, with its audit
    /// record; `false` (nothing written) otherwise.
    fn delete_pre_application(
        &self,
        tenant: &TenantId,
        number: &str,
        birth: NaiveDate,
        audit: &AuditEvent,
    ) -> StoreResult<bool>;
    /// Deletes the tenant's applications that expired before `today`; how many.
    fn purge_pre_applications(&self, tenant: &TenantId, today: NaiveDate) -> StoreResult<u64>;
}
