//! [`ArrivalStore`] on SQLite.

use madoguchi_store::prelude::*;

use crate::*;

impl ArrivalStore for SqliteStore {
    fn import_arrivals(
        &self,
        tenant: &TenantId,
        meta: &ImportMeta,
        notices: &[IncomingMove],
        changes: &[madoguchi_store::ReservationChange],
    ) -> StoreResult<ImportApplied> {
        self.with_writer(|c| {
            feeds::ledgered(c, tenant, meta, |tx| {
                arrivals::apply_file(tx, tenant, notices, changes)
            })
        })
    }

    fn incoming_move(
        &self,
        tenant: &TenantId,
        notice_no: &str,
    ) -> StoreResult<Option<IncomingMove>> {
        self.with_reader(|c| arrivals::incoming_move(c, tenant, notice_no))
    }

    fn put_reservation(
        &self,
        tenant: &TenantId,
        reservation: &madoguchi_store::Reservation,
        audit: &AuditEvent,
    ) -> StoreResult<()> {
        self.audited(audit, |tx| {
            arrivals::put_reservation(tx, tenant, reservation)
        })
    }

    fn reservation(
        &self,
        tenant: &TenantId,
        notice_no: &str,
    ) -> StoreResult<Option<madoguchi_store::Reservation>> {
        self.with_reader(|c| arrivals::reservation(c, tenant, notice_no))
    }

    fn reservations_on(
        &self,
        tenant: &TenantId,
        day: NaiveDate,
    ) -> StoreResult<Vec<madoguchi_store::Reservation>> {
        self.with_reader(|c| arrivals::reservations_on(c, tenant, day))
    }

    fn set_reservation_state(
        &self,
        tenant: &TenantId,
        notice_no: &str,
        status: madoguchi_store::ReservationStatus,
        prepared_case_id: Option<&str>,
        problem: Option<&str>,
        audit: &AuditEvent,
    ) -> StoreResult<bool> {
        self.audited_if(audit, |tx| {
            arrivals::set_state(tx, tenant, notice_no, status, prepared_case_id, problem)
        })
    }
}
