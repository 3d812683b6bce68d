//! 転入予約 (arrivals): the `tenshutsu` feed's notices and reservations, and the evening preparation.

use chrono::NaiveDate;

use crate::{
    AuditEvent, ImportApplied, ImportMeta, IncomingMove, Reservation, ReservationChange,
    ReservationStatus, StoreResult, TenantId,
};

/// 転入予約: the 転出証明書情報 feed and the reservations the evening preparation works through.
pub trait ArrivalStore {
    /// Applies a `tenshutsu` file: stores (or replaces) its notices like
    /// [`CaseStore::put_incoming_move`](crate::CaseStore::put_incoming_move) and applies its
    /// reservation changes, in one transaction with the import ledger and the audit record (a file
    /// applied before changes nothing). Full and delta files alike only add and replace: a notice is a
    /// message, not a register.
    fn import_arrivals(
        &self,
        tenant: &TenantId,
        meta: &ImportMeta,
        notices: &[IncomingMove],
        changes: &[ReservationChange],
    ) -> StoreResult<ImportApplied>;
    /// One stored 転出証明書情報 notice by its number.
    fn incoming_move(
        &self,
        tenant: &TenantId,
        notice_no: &str,
    ) -> StoreResult<Option<IncomingMove>>;
    /// Creates or replaces a reservation as given (staff's or the portal's), with its audit record.
    fn put_reservation(
        &self,
        tenant: &TenantId,
        reservation: &Reservation,
        audit: &AuditEvent,
    ) -> StoreResult<()>;
    /// One reservation by its notice number.
    fn reservation(&self, tenant: &TenantId, notice_no: &str) -> StoreResult<Option<Reservation>>;
    /// The reservations expected on `day`, by notice number.
    fn reservations_on(&self, tenant: &TenantId, day: NaiveDate) -> StoreResult<Vec<Reservation>>;
    /// Sets a reservation's status, prepared case and problem, with its audit record; `false` (and
    /// nothing written) when there is no such reservation.
    fn set_reservation_state(
        &self,
        tenant: &TenantId,
        notice_no: &str,
        status: ReservationStatus,
        prepared_case_id: Option<&str>,
        problem: Option<&str>,
        audit: &AuditEvent,
    ) -> StoreResult<bool>;
}
