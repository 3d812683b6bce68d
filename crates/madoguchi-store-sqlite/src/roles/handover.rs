//! [`HandoverStore`] on SQLite.

use madoguchi_store::prelude::*;
use madoguchi_store::{
    CardSerial, CertificateCounters, CertificateRecord, PreApplication, Reservation, TaxRecord,
};

use crate::*;

impl HandoverStore for SqliteStore {
    fn for_each_resident(
        &self,
        tenant: &TenantId,
        each: &mut dyn FnMut(Resident) -> StoreResult<()>,
    ) -> StoreResult<u64> {
        self.with_reader(|c| rows::for_each(c, tenant, each))
    }

    fn all_support_measures(&self, tenant: &TenantId) -> StoreResult<Vec<SupportMeasureRecord>> {
        self.with_reader(|c| handover::all_support_measures(c, tenant))
    }

    fn all_qualifications(&self, tenant: &TenantId) -> StoreResult<Vec<QualificationRecord>> {
        self.with_reader(|c| handover::all_qualifications(c, tenant))
    }

    fn all_seal_registrations(
        &self,
        tenant: &TenantId,
    ) -> StoreResult<Vec<madoguchi_store::SealRegistration>> {
        self.with_reader(|c| feeds::all_seal_registrations(c, tenant))
    }

    fn all_card_serials(&self, tenant: &TenantId) -> StoreResult<Vec<CardSerial>> {
        self.with_reader(|c| cards::all_card_serials(c, tenant))
    }

    fn all_tax_records(&self, tenant: &TenantId) -> StoreResult<Vec<TaxRecord>> {
        self.with_reader(|c| tax::all_tax_records(c, tenant))
    }

    fn for_each_certificate(
        &self,
        tenant: &TenantId,
        each: &mut dyn FnMut(CertificateRecord) -> StoreResult<()>,
    ) -> StoreResult<u64> {
        self.with_reader(|c| certificate_handover::for_each(c, tenant, each))
    }

    fn certificate_counters(&self, tenant: &TenantId) -> StoreResult<CertificateCounters> {
        self.with_reader(|c| certificate_handover::counters(c, tenant))
    }

    fn restore_certificates(
        &self,
        tenant: &TenantId,
        certificates: &[CertificateRecord],
        counters: &CertificateCounters,
        audit: &AuditEvent,
    ) -> StoreResult<()> {
        self.audited(audit, |tx| {
            certificate_handover::restore(tx, tenant, certificates, counters)
        })
    }

    fn case_ids(&self, tenant: &TenantId) -> StoreResult<Vec<String>> {
        self.with_reader(|c| handover::case_ids(c, tenant))
    }

    fn tenant_settings(&self, tenant: &TenantId) -> StoreResult<Vec<(String, String)>> {
        self.with_reader(|c| handover::tenant_settings(c, tenant))
    }

    fn incoming_moves(&self, tenant: &TenantId) -> StoreResult<Vec<IncomingMove>> {
        self.with_reader(|c| handover::incoming_moves(c, tenant))
    }

    fn all_reservations(&self, tenant: &TenantId) -> StoreResult<Vec<Reservation>> {
        self.with_reader(|c| arrivals::all_reservations(c, tenant))
    }

    fn all_pre_applications(&self, tenant: &TenantId) -> StoreResult<Vec<PreApplication>> {
        self.with_reader(|c| pre_applications::all(c, tenant))
    }

    fn restore_case(
        &self,
        tenant: &TenantId,
        case: &CaseRecord,
        history: &[CaseEntry],
        subjects: &[String],
        procedures: &[String],
        audit: &AuditEvent,
    ) -> StoreResult<()> {
        self.audited(audit, |tx| {
            handover::restore_case(tx, tenant, case, history, subjects, procedures)
        })
    }

    fn delete_tenant(
        &self,
        tenant: &TenantId,
        audit: &AuditEvent,
    ) -> StoreResult<Vec<(String, u64)>> {
        self.audited(audit, |tx| handover::delete_tenant(tx, tenant))
    }
}
