//! [`HandoverStore`] on PostgreSQL.

use madoguchi_store::prelude::*;
use madoguchi_store::{
    CardSerial, CertificateCounters, CertificateRecord, PreApplication, Reservation, TaxRecord,
};

use crate::*;

impl HandoverStore for PostgresStore {
    fn for_each_resident(
        &self,
        tenant: &TenantId,
        each: &mut dyn FnMut(Resident) -> StoreResult<()>,
    ) -> StoreResult<u64> {
        self.with_tenant(tenant, |tx| rows::for_each(tx, tenant, each))
    }

    fn all_support_measures(&self, tenant: &TenantId) -> StoreResult<Vec<SupportMeasureRecord>> {
        self.with_tenant(tenant, |tx| feeds::all_support_measures(tx, tenant))
    }

    fn all_qualifications(&self, tenant: &TenantId) -> StoreResult<Vec<QualificationRecord>> {
        self.with_tenant(tenant, |tx| feeds::all_qualifications(tx, tenant))
    }

    fn all_seal_registrations(
        &self,
        tenant: &TenantId,
    ) -> StoreResult<Vec<madoguchi_store::SealRegistration>> {
        self.with_tenant(tenant, |tx| feeds::all_seal_registrations(tx, tenant))
    }

    fn all_card_serials(&self, tenant: &TenantId) -> StoreResult<Vec<CardSerial>> {
        self.with_tenant(tenant, |tx| cards::all_card_serials(tx, tenant))
    }

    fn all_tax_records(&self, tenant: &TenantId) -> StoreResult<Vec<TaxRecord>> {
        self.with_tenant(tenant, |tx| tax::all_tax_records(tx, tenant))
    }

    fn for_each_certificate(
        &self,
        tenant: &TenantId,
        each: &mut dyn FnMut(CertificateRecord) -> StoreResult<()>,
    ) -> StoreResult<u64> {
        self.with_tenant(tenant, |tx| {
            certificate_handover::for_each(tx, tenant, each)
        })
    }

    fn certificate_counters(&self, tenant: &TenantId) -> StoreResult<CertificateCounters> {
        self.with_tenant(tenant, |tx| certificate_handover::counters(tx, tenant))
    }

    fn restore_certificates(
        &self,
        tenant: &TenantId,
        certificates: &[CertificateRecord],
        counters: &CertificateCounters,
        audit: &AuditEvent,
    ) -> StoreResult<()> {
        self.audited(tenant, audit, |tx| {
            certificate_handover::restore(tx, tenant, certificates, counters)
        })
    }

    fn case_ids(&self, tenant: &TenantId) -> StoreResult<Vec<String>> {
        self.with_tenant(tenant, |tx| cases::case_ids(tx, tenant))
    }

    fn tenant_settings(&self, tenant: &TenantId) -> StoreResult<Vec<(String, String)>> {
        self.with_tenant(tenant, |tx| feeds::tenant_settings(tx, tenant))
    }

    fn incoming_moves(&self, tenant: &TenantId) -> StoreResult<Vec<IncomingMove>> {
        self.with_tenant(tenant, |tx| cases::all_incoming(tx, tenant))
    }

    fn all_reservations(&self, tenant: &TenantId) -> StoreResult<Vec<Reservation>> {
        self.with_tenant(tenant, |tx| arrivals::all_reservations(tx, tenant))
    }

    fn all_pre_applications(&self, tenant: &TenantId) -> StoreResult<Vec<PreApplication>> {
        self.with_tenant(tenant, |tx| pre_applications::all(tx, tenant))
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
        self.audited(tenant, audit, |tx| {
            cases::restore(tx, tenant, case, history, subjects, procedures)
        })
    }

    fn delete_tenant(
        &self,
        tenant: &TenantId,
        audit: &AuditEvent,
    ) -> StoreResult<Vec<(String, u64)>> {
        self.audited(tenant, audit, |tx| feeds::delete_tenant(tx, tenant))
    }
}
