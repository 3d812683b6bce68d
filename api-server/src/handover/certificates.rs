//! The hand-over files of the certificates Madoguchi issued — each with what it printed (the snapshot
//! a reprint renders again and the verification checks) and its 失効 — and of the number counters (発行番号
//! per 年度, 受付番号 per day), so that the new system reprints and verifies the old certificates and
//! never gives a number twice. A package written before they were handed over has none of these files.

use std::collections::BTreeMap;

use madoguchi_core::certificate::IssueNo;
use madoguchi_store::{AuditEvent, CertificateCounters, CertificateRecord, Store, TenantId};

use super::package::{ImportSummary, Result, Table, Writer, parse_date, parse_time, table, time};

/// The hand-over file of the certificates.
pub(super) const CERTIFICATES_FILE: &str = "certificates.csv";
const CERTIFICATE_COLUMNS: [&str; 16] = [
    "発行番号",
    "書込ID",
    "順番",
    "案件ID",
    "証明書",
    "テンプレート",
    "対象者",
    "発行日時",
    "発行者",
    "発行場所",
    "失効日時",
    "失効者",
    "失効理由",
    "ダイジェスト",
    "QR",
    "印字内容",
];
/// The hand-over files of the counters.
pub(super) const ISSUE_NUMBERS_FILE: &str = "certificate_numbers.csv";
pub(super) const RECEPTION_NUMBERS_FILE: &str = "reception_numbers.csv";

fn certificate_row(c: CertificateRecord) -> Vec<String> {
    vec![
        c.issue_no,
        c.write_id,
        c.seq.to_string(),
        c.case_id.unwrap_or_default(),
        c.item,
        c.template,
        c.subjects.join(" "),
        time(c.issued_at),
        c.issued_by,
        c.place,
        c.revoked_at.map(time).unwrap_or_default(),
        c.revoked_by.unwrap_or_default(),
        c.revoke_reason.unwrap_or_default(),
        c.digest,
        c.qr,
        c.snapshot,
    ]
}

/// Certificates and the counters.
pub(super) fn export(w: &mut Writer<'_>, store: &dyn Store, tenant: &TenantId) -> Result<()> {
    let mut rows = Vec::new();
    store.for_each_certificate(tenant, &mut |c| {
        rows.push(certificate_row(c));
        Ok(())
    })?;
    w.file(CERTIFICATES_FILE, &CERTIFICATE_COLUMNS, rows)?;
    let counters = store.certificate_counters(tenant)?;
    w.file(
        ISSUE_NUMBERS_FILE,
        &["年度", "最終連番"],
        counters
            .issue_numbers
            .iter()
            .map(|(year, last)| vec![year.to_string(), last.to_string()])
            .collect(),
    )?;
    w.file(
        RECEPTION_NUMBERS_FILE,
        &["受付日", "最終受付番号"],
        counters
            .reception_numbers
            .iter()
            .map(|(day, last)| vec![super::package::date(Some(*day)), last.to_string()])
            .collect(),
    )
}

fn certificate(t: &Table, r: &[String]) -> Result<CertificateRecord> {
    let issue_no = t.get(r, "発行番号")?;
    let no = IssueNo::parse(issue_no).ok_or_else(|| t.invalid("発行番号"))?;
    let revoked_at = t.get(r, "失効日時")?;
    Ok(CertificateRecord {
        issue_no: issue_no.into(),
        fiscal_year: no.fiscal_year,
        serial: no.serial,
        write_id: t.get(r, "書込ID")?.into(),
        seq: t.get(r, "順番")?.parse().map_err(|_| t.invalid("順番"))?,
        case_id: t.optional(r, "案件ID")?,
        item: t.get(r, "証明書")?.into(),
        template: t.get(r, "テンプレート")?.into(),
        subjects: t
            .get(r, "対象者")?
            .split_whitespace()
            .map(str::to_owned)
            .collect(),
        snapshot: t.get(r, "印字内容")?.into(),
        digest: t.get(r, "ダイジェスト")?.into(),
        qr: t.get(r, "QR")?.into(),
        place: t.get(r, "発行場所")?.into(),
        issued_by: t.get(r, "発行者")?.into(),
        issued_at: parse_time(t, t.get(r, "発行日時")?)?,
        revoked_at: (!revoked_at.is_empty())
            .then(|| parse_time(t, revoked_at))
            .transpose()?,
        revoked_by: t.optional(r, "失効者")?,
        revoke_reason: t.optional(r, "失効理由")?,
    })
}

fn counters(files: &BTreeMap<String, Vec<u8>>) -> Result<CertificateCounters> {
    let mut out = CertificateCounters::default();
    if files.contains_key(ISSUE_NUMBERS_FILE) {
        let t = table(files, ISSUE_NUMBERS_FILE)?;
        for r in &t.rows {
            out.issue_numbers.push((
                t.get(r, "年度")?.parse().map_err(|_| t.invalid("年度"))?,
                t.get(r, "最終連番")?
                    .parse()
                    .map_err(|_| t.invalid("最終連番"))?,
            ));
        }
    }
    if files.contains_key(RECEPTION_NUMBERS_FILE) {
        let t = table(files, RECEPTION_NUMBERS_FILE)?;
        for r in &t.rows {
            out.reception_numbers.push((
                parse_date(&t, t.get(r, "受付日")?)?.ok_or_else(|| t.invalid("受付日"))?,
                t.get(r, "最終受付番号")?
                    .parse()
                    .map_err(|_| t.invalid("最終受付番号"))?,
            ));
        }
    }
    Ok(out)
}

/// Certificates and counters, restored in one transaction.
pub(super) fn import(
    store: &dyn Store,
    tenant: &TenantId,
    files: &BTreeMap<String, Vec<u8>>,
    event: &dyn Fn(&str) -> AuditEvent,
    summary: &mut ImportSummary,
) -> Result<()> {
    let mut records = Vec::new();
    if files.contains_key(CERTIFICATES_FILE) {
        let t = table(files, CERTIFICATES_FILE)?;
        for r in &t.rows {
            records.push(certificate(&t, r)?);
        }
    }
    let counters = counters(files)?;
    if records.is_empty() && counters == CertificateCounters::default() {
        return Ok(());
    }
    store.restore_certificates(tenant, &records, &counters, &event("certificate.restore"))?;
    summary
        .counts
        .push(("発行した証明書", records.len() as u64));
    Ok(())
}
