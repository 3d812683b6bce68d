//! [`LinkageStore`] on PostgreSQL.

use madoguchi_store::prelude::*;

use crate::*;

impl LinkageStore for PostgresStore {
    fn import_support_measures(
        &self,
        tenant: &TenantId,
        meta: &ImportMeta,
        records: &[SupportMeasureRecord],
    ) -> StoreResult<ImportApplied> {
        self.transact(Some(tenant), |tx| {
            let a = feeds::ledgered(tx, tenant, meta, |tx| {
                feeds::put_support_measures(tx, tenant, meta.mode, records)
            })?;
            let commit = matches!(a, ImportApplied::Committed(_));
            Ok((a, commit))
        })
    }

    fn import_qualifications(
        &self,
        tenant: &TenantId,
        meta: &ImportMeta,
        changes: &[QualificationChange],
    ) -> StoreResult<ImportApplied> {
        self.transact(Some(tenant), |tx| {
            let a = feeds::ledgered(tx, tenant, meta, |tx| {
                feeds::put_qualifications(tx, tenant, meta.mode, changes)
            })?;
            let commit = matches!(a, ImportApplied::Committed(_));
            Ok((a, commit))
        })
    }

    fn qualifications(
        &self,
        tenant: &TenantId,
        atena_nos: &[AtenaNo],
    ) -> StoreResult<Vec<QualificationRecord>> {
        if atena_nos.is_empty() {
            return Ok(Vec::new());
        }
        self.with_tenant(tenant, |tx| feeds::qualifications(tx, tenant, atena_nos))
    }

    fn import_seal_registrations(
        &self,
        tenant: &TenantId,
        meta: &ImportMeta,
        changes: &[SealRegistrationChange],
    ) -> StoreResult<ImportApplied> {
        self.transact(Some(tenant), |tx| {
            let a = feeds::ledgered(tx, tenant, meta, |tx| {
                feeds::put_seal_registrations(tx, tenant, meta.mode, changes)
            })?;
            let commit = matches!(a, ImportApplied::Committed(_));
            Ok((a, commit))
        })
    }

    fn seal_registration(
        &self,
        tenant: &TenantId,
        atena_no: &AtenaNo,
    ) -> StoreResult<Option<SealRegistration>> {
        self.with_tenant(tenant, |tx| feeds::seal_registration(tx, tenant, atena_no))
    }

    fn active_seal_registrations(&self, tenant: &TenantId) -> StoreResult<Vec<AtenaNo>> {
        self.with_tenant(tenant, |tx| feeds::active_seal_registrations(tx, tenant))
    }

    fn import_tax_records(
        &self,
        tenant: &TenantId,
        meta: &ImportMeta,
        changes: &[madoguchi_store::TaxChange],
    ) -> StoreResult<ImportApplied> {
        self.transact(Some(tenant), |tx| {
            let a = feeds::ledgered(tx, tenant, meta, |tx| {
                tax::put_tax_records(tx, tenant, meta.mode, changes)
            })?;
            let commit = matches!(a, ImportApplied::Committed(_));
            Ok((a, commit))
        })
    }

    fn tax_record(
        &self,
        tenant: &TenantId,
        atena_no: &AtenaNo,
        year: i32,
    ) -> StoreResult<Option<madoguchi_store::TaxRecord>> {
        self.with_tenant(tenant, |tx| tax::tax_record(tx, tenant, atena_no, year))
    }

    fn import_card_serials(
        &self,
        tenant: &TenantId,
        meta: &ImportMeta,
        changes: &[CardSerialChange],
    ) -> StoreResult<ImportApplied> {
        self.transact(Some(tenant), |tx| {
            let a = feeds::ledgered(tx, tenant, meta, |tx| {
                cards::put_card_serials(tx, tenant, meta.mode, changes)
            })?;
            let commit = matches!(a, ImportApplied::Committed(_));
            Ok((a, commit))
        })
    }

    fn resident_by_card_serial(
        &self,
        tenant: &TenantId,
        serial: &str,
    ) -> StoreResult<Option<CardSerial>> {
        self.with_tenant(tenant, |tx| {
            cards::resident_by_card_serial(tx, tenant, serial)
        })
    }

    fn record_linkage_file(&self, tenant: &TenantId, file: &LinkageFile) -> StoreResult<()> {
        self.with_tenant(tenant, |tx| feeds::record_linkage_file(tx, tenant, file))
    }

    fn linkage_files(
        &self,
        tenant: &TenantId,
        feed: Option<&str>,
        limit: usize,
    ) -> StoreResult<Vec<LinkageFile>> {
        self.with_tenant(tenant, |tx| feeds::linkage_files(tx, tenant, feed, limit))
    }

    fn outbound_candidates(
        &self,
        tenant: &TenantId,
        kind: &str,
        statuses: &[&str],
        limit: usize,
    ) -> StoreResult<Vec<CaseRecord>> {
        self.with_tenant(tenant, |tx| {
            cases::outbound_candidates(tx, tenant, kind, statuses, limit)
        })
    }

    fn add_outbound_batch(
        &self,
        tenant: &TenantId,
        batch: &OutboundBatch,
        audit: &AuditEvent,
    ) -> StoreResult<i64> {
        self.audited(tenant, audit, |tx| {
            feeds::add_outbound_batch(tx, tenant, batch)
        })
    }

    fn mark_outbound_delivered(
        &self,
        tenant: &TenantId,
        kind: &str,
        batch_no: i64,
        at: DateTime<Utc>,
    ) -> StoreResult<bool> {
        self.with_tenant(tenant, |tx| {
            feeds::mark_outbound_delivered(tx, tenant, kind, batch_no, at)
        })
    }

    fn outbound_batches(
        &self,
        tenant: &TenantId,
        kind: Option<&str>,
        undelivered_only: bool,
        limit: usize,
    ) -> StoreResult<Vec<OutboundBatch>> {
        self.with_tenant(tenant, |tx| {
            feeds::outbound_batches(tx, tenant, kind, undelivered_only, limit)
        })
    }
}
