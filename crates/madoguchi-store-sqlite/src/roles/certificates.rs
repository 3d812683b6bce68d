//! [`CertificateStore`] on SQLite.

use madoguchi_store::prelude::*;
use madoguchi_store::{
    AuditIssue, BuildCertificate, CertificateEntry, CertificateFilter, CertificateIssue,
    CertificateRecord, CertificatesIssued, Revocation,
};

use crate::*;

impl CertificateStore for SqliteStore {
    fn issue_certificates(
        &self,
        tenant: &TenantId,
        issue: &CertificateIssue,
        build: &mut BuildCertificate<'_>,
        audit: &AuditIssue<'_>,
    ) -> StoreResult<CertificatesIssued> {
        self.with_writer(|c| {
            let tx = c
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
                .map_err(be)?;
            let existing = certificates::of_write(&tx, tenant, &issue.write_id)?;
            if !existing.is_empty() {
                return Ok(CertificatesIssued::Existing(existing));
            }
            let records = certificates::issue(&tx, tenant, issue, build)?;
            append_audit_in(&tx, &audit(&records))?;
            tx.commit().map_err(be)?;
            Ok(CertificatesIssued::New(records))
        })
    }

    fn get_certificate(
        &self,
        tenant: &TenantId,
        issue_no: &str,
    ) -> StoreResult<Option<CertificateRecord>> {
        self.with_reader(|c| certificates::get(c, tenant, issue_no))
    }

    fn find_certificates(
        &self,
        tenant: &TenantId,
        filter: &CertificateFilter,
    ) -> StoreResult<Vec<CertificateEntry>> {
        self.with_reader(|c| certificates::find(c, tenant, filter))
    }

    fn count_certificates_by_item(
        &self,
        tenant: &TenantId,
        from: chrono::DateTime<chrono::Utc>,
        to: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<Vec<(String, u64)>> {
        self.with_reader(|c| certificates::count_by_item(c, tenant, from, to))
    }

    fn take_reception_number(&self, tenant: &TenantId, day: chrono::NaiveDate) -> StoreResult<u32> {
        self.with_writer(|c| cards::take_reception_number(c, tenant, day))
    }

    fn revoke_certificate(
        &self,
        tenant: &TenantId,
        revocation: &Revocation,
        audit: &AuditEvent,
    ) -> StoreResult<CertificateRecord> {
        self.audited(audit, |tx| certificates::revoke(tx, tenant, revocation))
    }
}
