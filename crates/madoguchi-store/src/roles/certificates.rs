//! Certificates issued by Madoguchi (住民票の写し …): their 発行番号, what each printed, and 失効.

use madoguchi_core::certificate::IssueNo;

use crate::{
    AuditEvent, CertificateEntry, CertificateFilter, CertificateIssue, CertificateRecord,
    CertificatesIssued, NewCertificate, Revocation, StoreResult, TenantId,
};

/// Builds the certificate at position `seq` once its number is known (it prints the number).
pub type BuildCertificate<'a> = dyn FnMut(usize, IssueNo) -> StoreResult<NewCertificate> + 'a;

/// Makes the audit record of an issue from what was recorded (its numbers).
pub type AuditIssue<'a> = dyn Fn(&[CertificateRecord]) -> AuditEvent + 'a;

/// Certificates issued by Madoguchi.
pub trait CertificateStore {
    /// Takes `issue.count` consecutive 発行番号 of the tenant's 年度 and records the certificates `build`
    /// makes with them, with the audit record, in one transaction: numbers are never skipped nor
    /// given twice, whatever runs concurrently. A `write_id` issued before takes nothing and returns
    /// its certificates (`Existing`), so a retry prints the same numbers.
    fn issue_certificates(
        &self,
        tenant: &TenantId,
        issue: &CertificateIssue,
        build: &mut BuildCertificate<'_>,
        audit: &AuditIssue<'_>,
    ) -> StoreResult<CertificatesIssued>;
    /// A certificate by its 発行番号.
    fn get_certificate(
        &self,
        tenant: &TenantId,
        issue_no: &str,
    ) -> StoreResult<Option<CertificateRecord>>;
    /// Certificates issued in `[filter.from, filter.to)` (and with `filter.issue_no`), by issue time
    /// then 発行番号, at most `filter.limit`: the light entries, without what was printed.
    fn find_certificates(
        &self,
        tenant: &TenantId,
        filter: &CertificateFilter,
    ) -> StoreResult<Vec<CertificateEntry>>;
    /// How many certificates were issued in `[from, to)` per fee-table item (revoked ones included),
    /// counted in the database (the statistics of a year).
    fn count_certificates_by_item(
        &self,
        tenant: &TenantId,
        from: chrono::DateTime<chrono::Utc>,
        to: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<Vec<(String, u64)>>;
    /// The next 受付番号 of `day` for the tenant: 1 for the day's first call, then consecutive. One
    /// transaction: two concurrent callers never get the same number and none is skipped.
    fn take_reception_number(&self, tenant: &TenantId, day: chrono::NaiveDate) -> StoreResult<u32>;
    /// Marks a certificate revoked (失効), with the audit record. `NotFound` for an unknown number,
    /// `Conflict` when it is revoked already.
    fn revoke_certificate(
        &self,
        tenant: &TenantId,
        revocation: &Revocation,
        audit: &AuditEvent,
    ) -> StoreResult<CertificateRecord>;
}
