//! [`ArrivalStore`] on PostgreSQL.

use madoguchi_store::prelude::*;

use crate::*;

impl ArrivalStore for PostgresStore {
    fn import_arrivals(
        &self,
        tenant: &TenantId,
        meta: &ImportMeta,
        notices: &[IncomingMove],
        changes: &[madoguchi_store::ReservationChange],
    ) -> StoreResult<ImportApplied> {
        self.transact(Some(tenant), |tx| {
            let a = feeds::ledgered(tx, tenant, meta, |tx| {
                arrivals::apply_file(tx, tenant, notices, changes)
            })?;
            let commit = matches!(a, ImportApplied::Committed(_));
            Ok((a, commit))
        })
    }

    fn incoming_move(
        &self,
        tenant: &TenantId,
        notice_no: &str,
    ) -> StoreResult<Option<IncomingMove>> {
        self.with_tenant(tenant, |tx| arrivals::incoming_move(tx, tenant, notice_no))
    }

    fn put_reservation(
        &self,
        tenant: &TenantId,
        reservation: &madoguchi_store::Reservation,
        audit: &AuditEvent,
    ) -> StoreResult<()> {
        self.audited(tenant, audit, |tx| {
            arrivals::put_reservation(tx, tenant, reservation)
        })
    }

    fn reservation(
        &self,
        tenant: &TenantId,
        notice_no: &str,
    ) -> StoreResult<Option<madoguchi_store::Reservation>> {
        self.with_tenant(tenant, |tx| arrivals::reservation(tx, tenant, notice_no))
    }

    fn reservations_on(
        &self,
        tenant: &TenantId,
        day: NaiveDate,
    ) -> StoreResult<Vec<madoguchi_store::Reservation>> {
        self.with_tenant(tenant, |tx| arrivals::reservations_on(tx, tenant, day))
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
        self.audited_if(tenant, audit, |tx| {
            arrivals::set_state(tx, tenant, notice_no, status, prepared_case_id, problem)
        })
    }
}
