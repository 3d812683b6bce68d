//! Certificates Madoguchi issued: one record per 発行番号 (one per copy), with what was printed.

use chrono::{DateTime, Utc};

/// One issue (a request of one or more certificates), identified by the client's `write_id`.
#[derive(Debug, Clone)]
pub struct CertificateIssue {
    pub write_id: String,
    /// The 年度 the numbers are taken from.
    pub fiscal_year: i32,
    /// How many certificates (numbers) the issue makes.
    pub count: usize,
    pub case_id: Option<String>,
    /// Where it was issued: the counter code (or the station's).
    pub place: String,
    /// Login of the staff member.
    pub issued_by: String,
    pub issued_at: DateTime<Utc>,
}

/// A certificate to record, built once its 発行番号 is known.
#[derive(Debug, Clone)]
pub struct NewCertificate {
    /// Fee-table item (`JUMINHYO` …).
    pub item: String,
    /// `template-id@version`.
    pub template: String,
    /// 宛名番号 of the people it is about.
    pub subjects: Vec<String>,
    /// The template data as printed, canonical JSON (a reprint renders it again).
    pub snapshot: String,
    /// SHA-256 (hex) of the snapshot and template: what the verification QR carries.
    pub digest: String,
    /// The verification QR's text.
    pub qr: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateRecord {
    /// 発行番号 as printed (`R08-000123`).
    pub issue_no: String,
    pub fiscal_year: i32,
    pub serial: u32,
    pub write_id: String,
    /// Position in its issue, from 0.
    pub seq: u32,
    pub case_id: Option<String>,
    pub item: String,
    pub template: String,
    pub subjects: Vec<String>,
    pub snapshot: String,
    pub digest: String,
    pub qr: String,
    pub place: String,
    pub issued_by: String,
    pub issued_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoked_by: Option<String>,
    pub revoke_reason: Option<String>,
}

/// What [`crate::CertificateStore::issue_certificates`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CertificatesIssued {
    /// New numbers were taken and the certificates recorded (with the audit record).
    New(Vec<CertificateRecord>),
    /// The `write_id` was issued before: its certificates, unchanged (a retry or a reprint).
    Existing(Vec<CertificateRecord>),
}

impl CertificatesIssued {
    pub fn records(&self) -> &[CertificateRecord] {
        match self {
            CertificatesIssued::New(r) | CertificatesIssued::Existing(r) => r,
        }
    }
}

/// A revocation (失効).
#[derive(Debug, Clone)]
pub struct Revocation {
    pub issue_no: String,
    pub at: DateTime<Utc>,
    pub by: String,
    pub reason: String,
}

/// What [`crate::CertificateStore::find_certificates`] returns: certificates issued in a period.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CertificateFilter {
    /// Issued at or after.
    pub from: Option<DateTime<Utc>>,
    /// Issued before.
    pub to: Option<DateTime<Utc>>,
    /// Exactly this 発行番号.
    pub issue_no: Option<String>,
    /// At most this many entries.
    pub limit: usize,
}

/// A certificate in a history or a statistic: its record without what was printed (a year of a
/// city is about 50,000 of them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateEntry {
    pub issue_no: String,
    pub case_id: Option<String>,
    pub item: String,
    pub subjects: Vec<String>,
    pub place: String,
    pub issued_by: String,
    pub issued_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoke_reason: Option<String>,
}

/// A tenant's number counters, as a hand-over carries them: the last 発行番号 serial taken per 年度 and
/// the last 受付番号 given per day. A restore sets them so that the new system never gives a number
/// twice.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CertificateCounters {
    /// (年度, last serial), by 年度.
    pub issue_numbers: Vec<(i32, u32)>,
    /// (day, last 受付番号), by day.
    pub reception_numbers: Vec<(chrono::NaiveDate, u32)>,
}
