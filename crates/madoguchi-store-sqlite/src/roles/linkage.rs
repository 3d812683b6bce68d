//! [`LinkageStore`] on SQLite.

use madoguchi_store::prelude::*;

use crate::*;

impl LinkageStore for SqliteStore {
    fn import_support_measures(
        &self,
        tenant: &TenantId,
        meta: &ImportMeta,
        records: &[SupportMeasureRecord],
    ) -> StoreResult<ImportApplied> {
        self.with_writer(|c| {
            feeds::ledgered(c, tenant, meta, |tx| {
                feeds::put_support_measures(tx, tenant, meta.mode, records)
            })
        })
    }

    fn import_qualifications(
        &self,
        tenant: &TenantId,
        meta: &ImportMeta,
        changes: &[QualificationChange],
    ) -> StoreResult<ImportApplied> {
        self.with_writer(|c| {
            feeds::ledgered(c, tenant, meta, |tx| {
                feeds::put_qualifications(tx, tenant, meta.mode, changes)
            })
        })
    }

    fn qualifications(
        &self,
        tenant: &TenantId,
        atena_nos: &[AtenaNo],
    ) -> StoreResult<Vec<QualificationRecord>> {
        self.with_reader(|c| feeds::qualifications(c, tenant, atena_nos))
    }

    fn import_seal_registrations(
        &self,
        tenant: &TenantId,
        meta: &ImportMeta,
        changes: &[SealRegistrationChange],
    ) -> StoreResult<ImportApplied> {
        self.with_writer(|c| {
            feeds::ledgered(c, tenant, meta, |tx| {
                feeds::put_seal_registrations(tx, tenant, meta.mode, changes)
            })
        })
    }

    fn seal_registration(
        &self,
        tenant: &TenantId,
        atena_no: &AtenaNo,
    ) -> StoreResult<Option<SealRegistration>> {
        self.with_reader(|c| feeds::seal_registration(c, tenant, atena_no))
    }

    fn active_seal_registrations(&self, tenant: &TenantId) -> StoreResult<Vec<AtenaNo>> {
        self.with_reader(|c| feeds::active_seal_registrations(c, tenant))
    }

    fn import_tax_records(
        &self,
        tenant: &TenantId,
        meta: &ImportMeta,
        changes: &[madoguchi_store::TaxChange],
    ) -> StoreResult<ImportApplied> {
        self.with_writer(|c| {
            feeds::ledgered(c, tenant, meta, |tx| {
                tax::put_tax_records(tx, tenant, meta.mode, changes)
            })
        })
    }

    fn tax_record(
        &self,
        tenant: &TenantId,
        atena_no: &AtenaNo,
        year: i32,
    ) -> StoreResult<Option<madoguchi_store::TaxRecord>> {
        self.with_reader(|c| tax::tax_record(c, tenant, atena_no, year))
    }

    fn import_card_serials(
        &self,
        tenant: &TenantId,
        meta: &ImportMeta,
        changes: &[CardSerialChange],
    ) -> StoreResult<ImportApplied> {
        self.with_writer(|c| {
            feeds::ledgered(c, tenant, meta, |tx| {
                cards::put_card_serials(tx, tenant, meta.mode, changes)
            })
        })
    }

    fn resident_by_card_serial(
        &self,
        tenant: &TenantId,
        serial: &str,
    ) -> StoreResult<Option<CardSerial>> {
        self.with_reader(|c| cards::resident_by_card_serial(c, tenant, serial))
    }

    fn record_linkage_file(&self, tenant: &TenantId, file: &LinkageFile) -> StoreResult<()> {
        self.with_writer(|c| feeds::record_linkage_file(c, tenant, file))
    }

    fn linkage_files(
        &self,
        tenant: &TenantId,
        feed: Option<&str>,
        limit: usize,
    ) -> StoreResult<Vec<LinkageFile>> {
        self.with_reader(|c| feeds::linkage_files(c, tenant, feed, limit))
    }

    fn outbound_candidates(
        &self,
        tenant: &TenantId,
        kind: &str,
        statuses: &[&str],
        limit: usize,
    ) -> StoreResult<Vec<CaseRecord>> {
        self.with_reader(|c| cases::outbound_candidates(c, tenant, kind, statuses, limit))
    }

    fn add_outbound_batch(
        &self,
        tenant: &TenantId,
        batch: &OutboundBatch,
        audit: &AuditEvent,
    ) -> StoreResult<i64> {
        self.audited(audit, |tx| cases::add_outbound_batch(tx, tenant, batch))
    }

    fn mark_outbound_delivered(
        &self,
        tenant: &TenantId,
        kind: &str,
        batch_no: i64,
        at: DateTime<Utc>,
    ) -> StoreResult<bool> {
        self.with_writer(|c| cases::mark_outbound_delivered(c, tenant, kind, batch_no, at))
    }

    fn outbound_batches(
        &self,
        tenant: &TenantId,
        kind: Option<&str>,
        undelivered_only: bool,
        limit: usize,
    ) -> StoreResult<Vec<OutboundBatch>> {
        self.with_reader(|c| cases::outbound_batches(c, tenant, kind, undelivered_only, limit))
    }
}
