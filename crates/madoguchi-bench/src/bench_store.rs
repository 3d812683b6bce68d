//! The real SQLite store with a read's audit record handled as the benchmark asks (left out, or synced
//! like every other audit record): the baseline and the alternative design of the search-audit figure.
//! It forwards every other call. Benchmark only.

use madoguchi_store::prelude::*;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use madoguchi_core::ids::AtenaNo;
use madoguchi_core::resident::Resident;
use madoguchi_store::{
    AuditCheck, AuditEvent, AuditRecord, CounterRecord, FormBackground, GroupRecord, ImportApplied,
    ImportDecision, ImportMeta, NewUser, ResidentQuery, ResidentSink, SessionRecord, StoreResult,
    TenantId, UpsertCounts, UserRecord,
};
use madoguchi_store_sqlite::SqliteStore;

/// What the benchmark's store does with a read's audit record.
#[derive(Clone, Copy)]
pub enum ReadAudit {
    /// Leaves it out: the baseline.
    Skip,
    /// Syncs it to disk before returning, like every other audit record: the alternative design.
    Synced,
}

/// The real store with a read's audit record handled as `ReadAudit` says. Benchmark only.
pub struct BenchStore(pub Arc<SqliteStore>, pub ReadAudit);

impl TenantStore for BenchStore {
    fn add_form_template(
        &self,
        tenant: &TenantId,
        template_id: &str,
        version: &str,
        source: &str,
        audit: &AuditEvent,
    ) -> StoreResult<()> {
        self.0
            .add_form_template(tenant, template_id, version, source, audit)
    }

    fn form_templates(&self, tenant: &TenantId) -> StoreResult<Vec<String>> {
        self.0.form_templates(tenant)
    }

    fn add_form_background(
        &self,
        tenant: &TenantId,
        name: &str,
        pdf: &[u8],
        pages: u32,
        audit: &AuditEvent,
    ) -> StoreResult<()> {
        self.0.add_form_background(tenant, name, pdf, pages, audit)
    }

    fn form_backgrounds(&self, tenant: &TenantId) -> StoreResult<Vec<FormBackground>> {
        self.0.form_backgrounds(tenant)
    }

    fn form_background(&self, tenant: &TenantId, name: &str) -> StoreResult<Option<Vec<u8>>> {
        self.0.form_background(tenant, name)
    }

    fn put_tenant_setting(
        &self,
        tenant: &TenantId,
        key: &str,
        value: &str,
        audit: &AuditEvent,
    ) -> StoreResult<()> {
        self.0.put_tenant_setting(tenant, key, value, audit)
    }

    fn tenant_setting(&self, tenant: &TenantId, key: &str) -> StoreResult<Option<String>> {
        self.0.tenant_setting(tenant, key)
    }

    fn ensure_tenant(&self, tenant: &TenantId, name: &str) -> StoreResult<bool> {
        self.0.ensure_tenant(tenant, name)
    }

    fn tenant_name(&self, tenant: &TenantId) -> StoreResult<Option<String>> {
        self.0.tenant_name(tenant)
    }
}

impl ResidentStore for BenchStore {
    fn towns(&self, tenant: &TenantId) -> StoreResult<Vec<madoguchi_store::Town>> {
        self.0.towns(tenant)
    }

    fn import_residents(
        &self,
        tenant: &TenantId,
        meta: &ImportMeta,
        body: &mut dyn FnMut(&mut dyn ResidentSink) -> StoreResult<ImportDecision>,
    ) -> StoreResult<ImportApplied> {
        self.0.import_residents(tenant, meta, body)
    }

    fn search_residents(
        &self,
        tenant: &TenantId,
        query: &ResidentQuery,
    ) -> StoreResult<Vec<Resident>> {
        self.0.search_residents(tenant, query)
    }

    fn get_resident(&self, tenant: &TenantId, atena_no: &AtenaNo) -> StoreResult<Option<Resident>> {
        self.0.get_resident(tenant, atena_no)
    }

    fn household_members(
        &self,
        tenant: &TenantId,
        household_no: &AtenaNo,
    ) -> StoreResult<Vec<Resident>> {
        self.0.household_members(tenant, household_no)
    }

    fn count_residents(&self, tenant: &TenantId) -> StoreResult<u64> {
        self.0.count_residents(tenant)
    }

    fn protected_households(
        &self,
        tenant: &TenantId,
        household_nos: &[AtenaNo],
    ) -> StoreResult<std::collections::HashSet<AtenaNo>> {
        self.0.protected_households(tenant, household_nos)
    }
}

impl AccountStore for BenchStore {
    fn edit_user(
        &self,
        tenant: &TenantId,
        login: &str,
        edit: &madoguchi_store::UserEdit,
        expected_revision: i64,
        audit: &AuditEvent,
    ) -> StoreResult<bool> {
        self.0
            .edit_user(tenant, login, edit, expected_revision, audit)
    }

    fn reset_password(
        &self,
        tenant: &TenantId,
        login: &str,
        password_hash: &str,
        audit: &AuditEvent,
    ) -> StoreResult<bool> {
        self.0.reset_password(tenant, login, password_hash, audit)
    }

    fn put_group(
        &self,
        tenant: &TenantId,
        group: &GroupRecord,
        audit: &AuditEvent,
    ) -> StoreResult<()> {
        self.0.put_group(tenant, group, audit)
    }

    fn list_groups(&self, tenant: &TenantId) -> StoreResult<Vec<GroupRecord>> {
        self.0.list_groups(tenant)
    }

    fn put_counter(
        &self,
        tenant: &TenantId,
        counter: &CounterRecord,
        audit: &AuditEvent,
    ) -> StoreResult<()> {
        self.0.put_counter(tenant, counter, audit)
    }

    fn list_counters(&self, tenant: &TenantId) -> StoreResult<Vec<CounterRecord>> {
        self.0.list_counters(tenant)
    }

    fn find_counter(&self, tenant: &TenantId, code: &str) -> StoreResult<Option<CounterRecord>> {
        self.0.find_counter(tenant, code)
    }

    fn put_terminal(
        &self,
        tenant: &TenantId,
        terminal: &madoguchi_store::TerminalRecord,
        audit: &AuditEvent,
    ) -> StoreResult<()> {
        self.0.put_terminal(tenant, terminal, audit)
    }

    fn find_terminal(
        &self,
        tenant: &TenantId,
        id: &str,
    ) -> StoreResult<Option<madoguchi_store::TerminalRecord>> {
        self.0.find_terminal(tenant, id)
    }

    fn list_terminals(
        &self,
        tenant: &TenantId,
    ) -> StoreResult<Vec<madoguchi_store::TerminalRecord>> {
        self.0.list_terminals(tenant)
    }

    fn remove_terminal(
        &self,
        tenant: &TenantId,
        id: &str,
        audit: &AuditEvent,
    ) -> StoreResult<bool> {
        self.0.remove_terminal(tenant, id, audit)
    }

    fn create_user(
        &self,
        tenant: &TenantId,
        user: &NewUser,
        audit: &AuditEvent,
    ) -> StoreResult<i64> {
        self.0.create_user(tenant, user, audit)
    }

    fn upsert_users(
        &self,
        tenant: &TenantId,
        users: &[NewUser],
        audit: &[AuditEvent],
    ) -> StoreResult<UpsertCounts> {
        self.0.upsert_users(tenant, users, audit)
    }

    fn find_user(&self, tenant: &TenantId, login: &str) -> StoreResult<Option<UserRecord>> {
        self.0.find_user(tenant, login)
    }

    fn list_users(&self, tenant: &TenantId) -> StoreResult<Vec<UserRecord>> {
        self.0.list_users(tenant)
    }

    fn set_user_groups(
        &self,
        tenant: &TenantId,
        login: &str,
        groups: &[String],
        audit: &AuditEvent,
    ) -> StoreResult<bool> {
        self.0.set_user_groups(tenant, login, groups, audit)
    }

    fn set_password(
        &self,
        tenant: &TenantId,
        login: &str,
        password_hash: &str,
        audit: &AuditEvent,
    ) -> StoreResult<bool> {
        self.0.set_password(tenant, login, password_hash, audit)
    }

    fn record_login_failure(
        &self,
        user_id: i64,
        lock_after: u32,
        audit: &AuditEvent,
    ) -> StoreResult<UserRecord> {
        self.0.record_login_failure(user_id, lock_after, audit)
    }

    fn unlock_user(&self, tenant: &TenantId, login: &str, audit: &AuditEvent) -> StoreResult<bool> {
        self.0.unlock_user(tenant, login, audit)
    }

    fn set_user_valid_until(
        &self,
        tenant: &TenantId,
        login: &str,
        until: Option<NaiveDate>,
        audit: &AuditEvent,
    ) -> StoreResult<bool> {
        self.0.set_user_valid_until(tenant, login, until, audit)
    }

    fn set_user_disabled(
        &self,
        tenant: &TenantId,
        login: &str,
        disabled: bool,
        audit: &AuditEvent,
    ) -> StoreResult<bool> {
        self.0.set_user_disabled(tenant, login, disabled, audit)
    }
}

impl SessionStore for BenchStore {
    fn create_session(
        &self,
        token_sha256: &[u8; 32],
        user_id: i64,
        counter: &str,
        terminal: Option<&str>,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
        audit: &AuditEvent,
    ) -> StoreResult<()> {
        self.0.create_session(
            token_sha256,
            user_id,
            counter,
            terminal,
            now,
            expires_at,
            audit,
        )
    }

    fn find_session(
        &self,
        token_sha256: &[u8; 32],
        now: DateTime<Utc>,
    ) -> StoreResult<Option<SessionRecord>> {
        self.0.find_session(token_sha256, now)
    }

    fn touch_session(&self, token_sha256: &[u8; 32], now: DateTime<Utc>) -> StoreResult<()> {
        self.0.touch_session(token_sha256, now)
    }

    fn delete_session(&self, token_sha256: &[u8; 32], audit: &AuditEvent) -> StoreResult<()> {
        self.0.delete_session(token_sha256, audit)
    }
}

impl CaseStore for BenchStore {
    fn save_case(
        &self,
        tenant: &TenantId,
        write: &madoguchi_store::CaseWrite,
        audit: &AuditEvent,
    ) -> StoreResult<madoguchi_store::CaseSaved> {
        self.0.save_case(tenant, write, audit)
    }

    fn get_case(
        &self,
        tenant: &TenantId,
        case_id: &str,
    ) -> StoreResult<Option<(madoguchi_store::CaseRecord, Vec<madoguchi_store::CaseEntry>)>> {
        self.0.get_case(tenant, case_id)
    }

    fn find_cases(
        &self,
        tenant: &TenantId,
        filter: &madoguchi_store::CaseFilter,
    ) -> StoreResult<Vec<madoguchi_store::CaseRecord>> {
        self.0.find_cases(tenant, filter)
    }

    fn cases_opened_between(
        &self,
        tenant: &TenantId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<madoguchi_store::CaseRecord>> {
        self.0.cases_opened_between(tenant, from, to)
    }

    fn count_cases_opened_between(
        &self,
        tenant: &TenantId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<u64> {
        self.0.count_cases_opened_between(tenant, from, to)
    }

    fn case_summary(
        &self,
        tenant: &TenantId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> StoreResult<Vec<madoguchi_store::case_summary::SummaryCount>> {
        self.0.case_summary(tenant, from, to)
    }

    fn case_history_between(
        &self,
        tenant: &TenantId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<madoguchi_store::CaseHistoryRow>> {
        self.0.case_history_between(tenant, from, to)
    }

    fn put_incoming_move(
        &self,
        tenant: &TenantId,
        notice: &madoguchi_store::IncomingMove,
        audit: &AuditEvent,
    ) -> StoreResult<()> {
        self.0.put_incoming_move(tenant, notice, audit)
    }

    fn search_incoming_moves(
        &self,
        tenant: &TenantId,
        key: &str,
        limit: usize,
    ) -> StoreResult<Vec<madoguchi_store::IncomingMove>> {
        self.0.search_incoming_moves(tenant, key, limit)
    }
}

impl CertificateStore for BenchStore {
    fn issue_certificates(
        &self,
        tenant: &TenantId,
        issue: &madoguchi_store::CertificateIssue,
        build: &mut madoguchi_store::BuildCertificate<'_>,
        audit: &madoguchi_store::AuditIssue<'_>,
    ) -> StoreResult<madoguchi_store::CertificatesIssued> {
        self.0.issue_certificates(tenant, issue, build, audit)
    }

    fn get_certificate(
        &self,
        tenant: &TenantId,
        issue_no: &str,
    ) -> StoreResult<Option<madoguchi_store::CertificateRecord>> {
        self.0.get_certificate(tenant, issue_no)
    }

    fn find_certificates(
        &self,
        tenant: &TenantId,
        filter: &madoguchi_store::CertificateFilter,
    ) -> StoreResult<Vec<madoguchi_store::CertificateEntry>> {
        self.0.find_certificates(tenant, filter)
    }

    fn count_certificates_by_item(
        &self,
        tenant: &TenantId,
        from: chrono::DateTime<chrono::Utc>,
        to: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<Vec<(String, u64)>> {
        self.0.count_certificates_by_item(tenant, from, to)
    }

    fn take_reception_number(&self, tenant: &TenantId, day: chrono::NaiveDate) -> StoreResult<u32> {
        self.0.take_reception_number(tenant, day)
    }

    fn revoke_certificate(
        &self,
        tenant: &TenantId,
        revocation: &madoguchi_store::Revocation,
        audit: &AuditEvent,
    ) -> StoreResult<madoguchi_store::CertificateRecord> {
        self.0.revoke_certificate(tenant, revocation, audit)
    }
}

impl LinkageStore for BenchStore {
    fn import_support_measures(
        &self,
        tenant: &TenantId,
        meta: &madoguchi_store::ImportMeta,
        records: &[madoguchi_store::SupportMeasureRecord],
    ) -> StoreResult<madoguchi_store::ImportApplied> {
        self.0.import_support_measures(tenant, meta, records)
    }

    fn import_qualifications(
        &self,
        tenant: &TenantId,
        meta: &madoguchi_store::ImportMeta,
        changes: &[madoguchi_store::QualificationChange],
    ) -> StoreResult<madoguchi_store::ImportApplied> {
        self.0.import_qualifications(tenant, meta, changes)
    }

    fn qualifications(
        &self,
        tenant: &TenantId,
        atena_nos: &[madoguchi_core::ids::AtenaNo],
    ) -> StoreResult<Vec<madoguchi_store::QualificationRecord>> {
        self.0.qualifications(tenant, atena_nos)
    }

    fn import_seal_registrations(
        &self,
        tenant: &TenantId,
        meta: &madoguchi_store::ImportMeta,
        changes: &[madoguchi_store::SealRegistrationChange],
    ) -> StoreResult<madoguchi_store::ImportApplied> {
        self.0.import_seal_registrations(tenant, meta, changes)
    }

    fn seal_registration(
        &self,
        tenant: &TenantId,
        atena_no: &madoguchi_core::ids::AtenaNo,
    ) -> StoreResult<Option<madoguchi_store::SealRegistration>> {
        self.0.seal_registration(tenant, atena_no)
    }

    fn import_tax_records(
        &self,
        tenant: &TenantId,
        meta: &madoguchi_store::ImportMeta,
        changes: &[madoguchi_store::TaxChange],
    ) -> StoreResult<madoguchi_store::ImportApplied> {
        self.0.import_tax_records(tenant, meta, changes)
    }

    fn tax_record(
        &self,
        tenant: &TenantId,
        atena_no: &madoguchi_core::ids::AtenaNo,
        year: i32,
    ) -> StoreResult<Option<madoguchi_store::TaxRecord>> {
        self.0.tax_record(tenant, atena_no, year)
    }

    fn import_card_serials(
        &self,
        tenant: &TenantId,
        meta: &madoguchi_store::ImportMeta,
        changes: &[madoguchi_store::CardSerialChange],
    ) -> StoreResult<madoguchi_store::ImportApplied> {
        self.0.import_card_serials(tenant, meta, changes)
    }

    fn resident_by_card_serial(
        &self,
        tenant: &TenantId,
        serial: &str,
    ) -> StoreResult<Option<madoguchi_store::CardSerial>> {
        self.0.resident_by_card_serial(tenant, serial)
    }

    fn active_seal_registrations(
        &self,
        tenant: &TenantId,
    ) -> StoreResult<Vec<madoguchi_core::ids::AtenaNo>> {
        self.0.active_seal_registrations(tenant)
    }

    fn record_linkage_file(
        &self,
        tenant: &TenantId,
        file: &madoguchi_store::LinkageFile,
    ) -> StoreResult<()> {
        self.0.record_linkage_file(tenant, file)
    }

    fn linkage_files(
        &self,
        tenant: &TenantId,
        feed: Option<&str>,
        limit: usize,
    ) -> StoreResult<Vec<madoguchi_store::LinkageFile>> {
        self.0.linkage_files(tenant, feed, limit)
    }

    fn outbound_candidates(
        &self,
        tenant: &TenantId,
        kind: &str,
        statuses: &[&str],
        limit: usize,
    ) -> StoreResult<Vec<madoguchi_store::CaseRecord>> {
        self.0.outbound_candidates(tenant, kind, statuses, limit)
    }

    fn add_outbound_batch(
        &self,
        tenant: &TenantId,
        batch: &madoguchi_store::OutboundBatch,
        audit: &AuditEvent,
    ) -> StoreResult<i64> {
        self.0.add_outbound_batch(tenant, batch, audit)
    }

    fn mark_outbound_delivered(
        &self,
        tenant: &TenantId,
        kind: &str,
        batch_no: i64,
        at: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<bool> {
        self.0.mark_outbound_delivered(tenant, kind, batch_no, at)
    }

    fn outbound_batches(
        &self,
        tenant: &TenantId,
        kind: Option<&str>,
        undelivered_only: bool,
        limit: usize,
    ) -> StoreResult<Vec<madoguchi_store::OutboundBatch>> {
        self.0
            .outbound_batches(tenant, kind, undelivered_only, limit)
    }
}

impl HandoverStore for BenchStore {
    fn all_seal_registrations(
        &self,
        tenant: &TenantId,
    ) -> StoreResult<Vec<madoguchi_store::SealRegistration>> {
        self.0.all_seal_registrations(tenant)
    }

    fn all_card_serials(&self, tenant: &TenantId) -> StoreResult<Vec<madoguchi_store::CardSerial>> {
        self.0.all_card_serials(tenant)
    }

    fn all_tax_records(&self, tenant: &TenantId) -> StoreResult<Vec<madoguchi_store::TaxRecord>> {
        self.0.all_tax_records(tenant)
    }

    fn for_each_certificate(
        &self,
        tenant: &TenantId,
        each: &mut dyn FnMut(madoguchi_store::CertificateRecord) -> StoreResult<()>,
    ) -> StoreResult<u64> {
        self.0.for_each_certificate(tenant, each)
    }

    fn certificate_counters(
        &self,
        tenant: &TenantId,
    ) -> StoreResult<madoguchi_store::CertificateCounters> {
        self.0.certificate_counters(tenant)
    }

    fn restore_certificates(
        &self,
        tenant: &TenantId,
        certificates: &[madoguchi_store::CertificateRecord],
        counters: &madoguchi_store::CertificateCounters,
        audit: &AuditEvent,
    ) -> StoreResult<()> {
        self.0
            .restore_certificates(tenant, certificates, counters, audit)
    }

    fn for_each_resident(
        &self,
        tenant: &TenantId,
        each: &mut dyn FnMut(madoguchi_core::resident::Resident) -> StoreResult<()>,
    ) -> StoreResult<u64> {
        self.0.for_each_resident(tenant, each)
    }

    fn all_support_measures(
        &self,
        tenant: &TenantId,
    ) -> StoreResult<Vec<madoguchi_store::SupportMeasureRecord>> {
        self.0.all_support_measures(tenant)
    }

    fn all_qualifications(
        &self,
        tenant: &TenantId,
    ) -> StoreResult<Vec<madoguchi_store::QualificationRecord>> {
        self.0.all_qualifications(tenant)
    }

    fn case_ids(&self, tenant: &TenantId) -> StoreResult<Vec<String>> {
        self.0.case_ids(tenant)
    }

    fn tenant_settings(&self, tenant: &TenantId) -> StoreResult<Vec<(String, String)>> {
        self.0.tenant_settings(tenant)
    }

    fn incoming_moves(&self, tenant: &TenantId) -> StoreResult<Vec<madoguchi_store::IncomingMove>> {
        self.0.incoming_moves(tenant)
    }

    fn all_reservations(
        &self,
        tenant: &TenantId,
    ) -> StoreResult<Vec<madoguchi_store::Reservation>> {
        self.0.all_reservations(tenant)
    }

    fn all_pre_applications(
        &self,
        tenant: &TenantId,
    ) -> StoreResult<Vec<madoguchi_store::PreApplication>> {
        self.0.all_pre_applications(tenant)
    }

    fn restore_case(
        &self,
        tenant: &TenantId,
        case: &madoguchi_store::CaseRecord,
        history: &[madoguchi_store::CaseEntry],
        subjects: &[String],
        procedures: &[String],
        audit: &AuditEvent,
    ) -> StoreResult<()> {
        self.0
            .restore_case(tenant, case, history, subjects, procedures, audit)
    }

    fn delete_tenant(
        &self,
        tenant: &TenantId,
        audit: &AuditEvent,
    ) -> StoreResult<Vec<(String, u64)>> {
        self.0.delete_tenant(tenant, audit)
    }
}

impl AuditStore for BenchStore {
    fn append_read_audit(&self, event: &AuditEvent) -> StoreResult<()> {
        match self.1 {
            ReadAudit::Skip => Ok(()),
            ReadAudit::Synced => self.0.append_audit(event).map(|_| ()),
        }
    }

    fn append_audit(&self, event: &AuditEvent) -> StoreResult<i64> {
        self.0.append_audit(event)
    }

    fn purge_audit_before(&self, before: DateTime<Utc>) -> StoreResult<u64> {
        self.0.purge_audit_before(before)
    }

    fn verify_audit(&self) -> StoreResult<AuditCheck> {
        self.0.verify_audit()
    }

    fn audit_state(&self, ids: &[i64]) -> StoreResult<madoguchi_store::AuditState> {
        self.0.audit_state(ids)
    }

    fn audit_records(
        &self,
        tenant: &TenantId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<AuditRecord>> {
        self.0.audit_records(tenant, from, to)
    }

    fn search_audit(
        &self,
        tenant: &TenantId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        filter: &madoguchi_store::AuditFilter,
        page: madoguchi_store::AuditPage,
    ) -> StoreResult<Vec<AuditRecord>> {
        self.0.search_audit(tenant, from, to, filter, page)
    }
}

impl NoticeStore for BenchStore {
    fn save_notice(
        &self,
        tenant: &TenantId,
        notice: &madoguchi_store::NoticeRecord,
        expected_revision: Option<i64>,
        audit: &AuditEvent,
    ) -> StoreResult<i64> {
        self.0.save_notice(tenant, notice, expected_revision, audit)
    }

    fn notices(&self, tenant: &TenantId) -> StoreResult<Vec<madoguchi_store::NoticeRecord>> {
        self.0.notices(tenant)
    }

    fn mark_notice_read(
        &self,
        tenant: &TenantId,
        notice_id: &str,
        login: &str,
        at: DateTime<Utc>,
        audit: &AuditEvent,
    ) -> StoreResult<()> {
        self.0.mark_notice_read(tenant, notice_id, login, at, audit)
    }

    fn notices_read(&self, tenant: &TenantId, login: &str) -> StoreResult<Vec<String>> {
        self.0.notices_read(tenant, login)
    }
}

impl ArrivalStore for BenchStore {
    fn import_arrivals(
        &self,
        tenant: &TenantId,
        meta: &ImportMeta,
        notices: &[madoguchi_store::IncomingMove],
        changes: &[madoguchi_store::ReservationChange],
    ) -> StoreResult<ImportApplied> {
        self.0.import_arrivals(tenant, meta, notices, changes)
    }

    fn incoming_move(
        &self,
        tenant: &TenantId,
        notice_no: &str,
    ) -> StoreResult<Option<madoguchi_store::IncomingMove>> {
        self.0.incoming_move(tenant, notice_no)
    }

    fn put_reservation(
        &self,
        tenant: &TenantId,
        reservation: &madoguchi_store::Reservation,
        audit: &AuditEvent,
    ) -> StoreResult<()> {
        self.0.put_reservation(tenant, reservation, audit)
    }

    fn reservation(
        &self,
        tenant: &TenantId,
        notice_no: &str,
    ) -> StoreResult<Option<madoguchi_store::Reservation>> {
        self.0.reservation(tenant, notice_no)
    }

    fn reservations_on(
        &self,
        tenant: &TenantId,
        day: NaiveDate,
    ) -> StoreResult<Vec<madoguchi_store::Reservation>> {
        self.0.reservations_on(tenant, day)
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
        self.0
            .set_reservation_state(tenant, notice_no, status, prepared_case_id, problem, audit)
    }
}

impl PreApplicationStore for BenchStore {
    fn send_pre_application(
        &self,
        tenant: &TenantId,
        sent: &madoguchi_store::PreApplication,
        today: NaiveDate,
        audit: &AuditEvent,
    ) -> StoreResult<Option<madoguchi_store::PreApplication>> {
        self.0.send_pre_application(tenant, sent, today, audit)
    }

    fn pre_application(
        &self,
        tenant: &TenantId,
        number: &str,
    ) -> StoreResult<Option<madoguchi_store::PreApplication>> {
        self.0.pre_application(tenant, number)
    }

    fn delete_pre_application(
        &self,
        tenant: &TenantId,
        number: &str,
        birth: NaiveDate,
        audit: &AuditEvent,
    ) -> StoreResult<bool> {
        self.0.delete_pre_application(tenant, number, birth, audit)
    }

    fn purge_pre_applications(&self, tenant: &TenantId, today: NaiveDate) -> StoreResult<u64> {
        self.0.purge_pre_applications(tenant, today)
    }
}

impl PortalStore for BenchStore {
    fn put_portal_applications(
        &self,
        tenant: &TenantId,
        applications: &[madoguchi_store::NewPortalApplication],
        at: DateTime<Utc>,
        audit: &AuditEvent,
    ) -> StoreResult<Vec<String>> {
        self.0
            .put_portal_applications(tenant, applications, at, audit)
    }

    fn portal_applications(
        &self,
        tenant: &TenantId,
        status: Option<&str>,
    ) -> StoreResult<Vec<madoguchi_store::PortalApplication>> {
        self.0.portal_applications(tenant, status)
    }

    fn portal_application(
        &self,
        tenant: &TenantId,
        application_no: &str,
    ) -> StoreResult<Option<madoguchi_store::PortalApplication>> {
        self.0.portal_application(tenant, application_no)
    }

    fn portal_attachment(
        &self,
        tenant: &TenantId,
        application_no: &str,
        index: i64,
    ) -> StoreResult<Option<madoguchi_store::PortalAttachment>> {
        self.0.portal_attachment(tenant, application_no, index)
    }

    fn set_portal_status(
        &self,
        tenant: &TenantId,
        application_no: &str,
        change: &madoguchi_store::PortalStatusChange,
        audit: &AuditEvent,
    ) -> StoreResult<()> {
        self.0
            .set_portal_status(tenant, application_no, change, audit)
    }

    fn mark_portal_status_sent(
        &self,
        tenant: &TenantId,
        application_no: &str,
        status: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<bool> {
        self.0
            .mark_portal_status_sent(tenant, application_no, status, at)
    }
}
