//! Tenant hand-over: everything of a tenant read out, restored as it was, and the tenant deleted.

use madoguchi_core::resident::Resident;

use crate::{
    AuditEvent, CardSerial, CaseEntry, CaseRecord, CertificateCounters, CertificateRecord,
    IncomingMove, PreApplication, QualificationRecord, Reservation, StoreResult,
    SupportMeasureRecord, TaxRecord, TenantId,
};

/// Tenant hand-over: everything of a tenant read out, restored as it was, and the tenant deleted.
pub trait HandoverStore {
    /// Every resident of the tenant in 宛名番号 order, streamed to `each`; returns how many.
    fn for_each_resident(
        &self,
        tenant: &TenantId,
        each: &mut dyn FnMut(Resident) -> StoreResult<()>,
    ) -> StoreResult<u64>;
    /// Every 支援措置 feed record of the tenant, by 宛名番号.
    fn all_support_measures(&self, tenant: &TenantId) -> StoreResult<Vec<SupportMeasureRecord>>;
    /// Every qualification of the tenant, by 宛名番号 then kind.
    fn all_qualifications(&self, tenant: &TenantId) -> StoreResult<Vec<QualificationRecord>>;
    /// Every 印鑑登録 (in force or 廃止) with its 印影, by 宛名番号.
    fn all_seal_registrations(
        &self,
        tenant: &TenantId,
    ) -> StoreResult<Vec<crate::SealRegistration>>;
    /// Every 利用者証明用電子証明書 serial of the `cards` feed (revoked or not), by 宛名番号 then serial.
    fn all_card_serials(&self, tenant: &TenantId) -> StoreResult<Vec<CardSerial>>;
    /// Every 課税 of the `tax` feed, by 宛名番号 then 年度.
    fn all_tax_records(&self, tenant: &TenantId) -> StoreResult<Vec<TaxRecord>>;
    /// Every certificate the tenant issued, with what it printed and its 失効, in 発行番号 order (年度,
    /// then serial), streamed to `each`; returns how many.
    fn for_each_certificate(
        &self,
        tenant: &TenantId,
        each: &mut dyn FnMut(CertificateRecord) -> StoreResult<()>,
    ) -> StoreResult<u64>;
    /// The tenant's number counters: the last 発行番号 serial per 年度 and the last 受付番号 per day.
    fn certificate_counters(&self, tenant: &TenantId) -> StoreResult<CertificateCounters>;
    /// Writes certificates exactly as another system recorded them (numbers, times, people, 失効) and
    /// raises the counters to `counters` and to the highest serial restored (never lowers them), with
    /// the audit record, in one transaction. `Conflict` (and nothing written) when a 発行番号, or an
    /// issue's write id and position, exists.
    fn restore_certificates(
        &self,
        tenant: &TenantId,
        certificates: &[CertificateRecord],
        counters: &CertificateCounters,
        audit: &AuditEvent,
    ) -> StoreResult<()>;
    /// The ids of every case, in the order they were opened.
    fn case_ids(&self, tenant: &TenantId) -> StoreResult<Vec<String>>;
    /// Every tenant setting (key, value), by key.
    fn tenant_settings(&self, tenant: &TenantId) -> StoreResult<Vec<(String, String)>>;
    /// Every 転出証明書情報 notice, oldest first.
    fn incoming_moves(&self, tenant: &TenantId) -> StoreResult<Vec<IncomingMove>>;
    /// Every 転入予約 (whatever its status or day), by notice number.
    fn all_reservations(&self, tenant: &TenantId) -> StoreResult<Vec<Reservation>>;
    /// Every stored 事前申請 (expired ones too, until purged), by 受付番号.
    fn all_pre_applications(&self, tenant: &TenantId) -> StoreResult<Vec<PreApplication>>;
    /// Writes a case exactly as another system had it (revision, times, people, history), with its
    /// search keys, and the audit record, in one transaction. `Conflict` when the id exists.
    fn restore_case(
        &self,
        tenant: &TenantId,
        case: &CaseRecord,
        history: &[CaseEntry],
        subjects: &[String],
        procedures: &[String],
        audit: &AuditEvent,
    ) -> StoreResult<()>;
    /// Deletes every row of the tenant's data and the tenant itself, with the audit record, in one
    /// transaction; returns what was deleted (table, rows) for the deletion report. The audit log is
    /// kept: it is one hash chain across tenants, holds identifiers only, and is purged by its own
    /// retention rule. `NotFound` for an unknown tenant.
    fn delete_tenant(
        &self,
        tenant: &TenantId,
        audit: &AuditEvent,
    ) -> StoreResult<Vec<(String, u64)>>;
}
