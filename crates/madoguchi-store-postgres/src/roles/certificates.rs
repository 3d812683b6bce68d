//! [`CertificateStore`] on PostgreSQL.

use madoguchi_store::prelude::*;
use madoguchi_store::{
    AuditIssue, BuildCertificate, CertificateEntry, CertificateFilter, CertificateIssue,
    CertificateRecord, CertificatesIssued, Revocation,
};

use crate::*;

impl CertificateStore for PostgresStore {
    fn issue_certificates(
        &self,
        tenant: &TenantId,
        issue: &CertificateIssue,
        build: &mut BuildCertificate<'_>,
        audit: &AuditIssue<'_>,
    ) -> StoreResult<CertificatesIssued> {
        self.transact(Some(tenant), |tx| {
            // One issue of a write_id at a time: a concurrent retry waits, then finds the first.
            tx.execute(
                "SELECT pg_advisory_xact_lock(hashtextextended('madoguchi.certificate:' || $1 || ':' || $2, 0))",
                &[&tenant.as_str(), &issue.write_id],
            )
            .map_err(be)?;
            let existing = certificates::of_write(tx, tenant, &issue.write_id)?;
            if !existing.is_empty() {
                return Ok((CertificatesIssued::Existing(existing), false));
            }
            let records = certificates::issue(tx, tenant, issue, build)?;
            append_audit_in(tx, &audit(&records))?;
            Ok((CertificatesIssued::New(records), true))
        })
    }

    fn get_certificate(
        &self,
        tenant: &TenantId,
        issue_no: &str,
    ) -> StoreResult<Option<CertificateRecord>> {
        self.with_tenant(tenant, |tx| certificates::get(tx, tenant, issue_no))
    }

    fn find_certificates(
        &self,
        tenant: &TenantId,
        filter: &CertificateFilter,
    ) -> StoreResult<Vec<CertificateEntry>> {
        self.with_tenant(tenant, |tx| certificates::find(tx, tenant, filter))
    }

    fn count_certificates_by_item(
        &self,
        tenant: &TenantId,
        from: chrono::DateTime<chrono::Utc>,
        to: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<Vec<(String, u64)>> {
        self.with_tenant(tenant, |tx| {
            certificates::count_by_item(tx, tenant, from, to)
        })
    }

    fn take_reception_number(&self, tenant: &TenantId, day: chrono::NaiveDate) -> StoreResult<u32> {
        self.with_tenant(tenant, |tx| cards::take_reception_number(tx, tenant, day))
    }

    fn revoke_certificate(
        &self,
        tenant: &TenantId,
        revocation: &Revocation,
        audit: &AuditEvent,
    ) -> StoreResult<CertificateRecord> {
        self.audited(tenant, audit, |tx| {
            certificates::revoke(tx, tenant, revocation)
        })
    }
}
