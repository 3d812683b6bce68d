//! Certificates and their 発行番号 in PostgreSQL.

use chrono::{DateTime, Utc};
use madoguchi_core::certificate::IssueNo;
use madoguchi_store::{
    BuildCertificate, CertificateEntry, CertificateFilter, CertificateIssue, CertificateRecord,
    Revocation, StoreError, StoreResult, TenantId,
};
use postgres::types::ToSql;
use postgres::{Row, Transaction};

use crate::sql::{be, constraint};

pub(crate) const COLUMNS: &str =
    "issue_no, fiscal_year, serial, write_id, seq, case_id, item, template, subjects,
     snapshot, digest, qr, place, issued_by, issued_at, revoked_at, revoked_by, revoke_reason";

pub(crate) fn record(r: &Row) -> CertificateRecord {
    CertificateRecord {
        issue_no: r.get(0),
        fiscal_year: r.get(1),
        serial: r.get::<_, i64>(2) as u32,
        write_id: r.get(3),
        seq: r.get::<_, i32>(4) as u32,
        case_id: r.get(5),
        item: r.get(6),
        template: r.get(7),
        subjects: r
            .get::<_, String>(8)
            .split_whitespace()
            .map(str::to_owned)
            .collect(),
        snapshot: r.get(9),
        digest: r.get(10),
        qr: r.get(11),
        place: r.get(12),
        issued_by: r.get(13),
        issued_at: r.get::<_, DateTime<Utc>>(14),
        revoked_at: r.get(15),
        revoked_by: r.get(16),
        revoke_reason: r.get(17),
    }
}

/// The certificates of one issue, in order.
pub fn of_write(
    tx: &mut Transaction<'_>,
    tenant: &TenantId,
    write_id: &str,
) -> StoreResult<Vec<CertificateRecord>> {
    Ok(tx
        .query(
            &format!(
                "SELECT {COLUMNS} FROM certificates WHERE tenant_id = $1 AND write_id = $2 ORDER BY seq"
            ),
            &[&tenant.as_str(), &write_id],
        )
        .map_err(be)?
        .iter()
        .map(record)
        .collect())
}

pub fn get(
    tx: &mut Transaction<'_>,
    tenant: &TenantId,
    issue_no: &str,
) -> StoreResult<Option<CertificateRecord>> {
    Ok(tx
        .query_opt(
            &format!("SELECT {COLUMNS} FROM certificates WHERE tenant_id = $1 AND issue_no = $2"),
            &[&tenant.as_str(), &issue_no],
        )
        .map_err(be)?
        .as_ref()
        .map(record))
}

/// Takes the numbers (the counter's row lock orders concurrent issues) and records the certificates
/// inside the caller's transaction.
pub fn issue(
    tx: &mut Transaction<'_>,
    tenant: &TenantId,
    issue: &CertificateIssue,
    build: &mut BuildCertificate<'_>,
) -> StoreResult<Vec<CertificateRecord>> {
    let t = tenant.as_str();
    let count = issue.count as i64;
    let next: i64 = tx
        .query_one(
            "INSERT INTO certificate_numbers (tenant_id, fiscal_year, last_serial) VALUES ($1, $2, $3)
             ON CONFLICT (tenant_id, fiscal_year)
             DO UPDATE SET last_serial = certificate_numbers.last_serial + $3
             RETURNING last_serial",
            &[&t, &issue.fiscal_year, &count],
        )
        .map_err(be)?
        .get(0);
    let first = next - count + 1;
    for seq in 0..issue.count {
        let serial = first + seq as i64;
        let no = IssueNo::new(issue.fiscal_year, serial as u32);
        let cert = build(seq, no)?;
        tx.execute(
            &format!(
                "INSERT INTO certificates (tenant_id, {COLUMNS})
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, NULL, NULL, NULL)"
            ),
            &[
                &t,
                &no.to_string(),
                &issue.fiscal_year,
                &serial,
                &issue.write_id,
                &(seq as i32),
                &issue.case_id,
                &cert.item,
                &cert.template,
                &cert.subjects.join(" "),
                &cert.snapshot,
                &cert.digest,
                &cert.qr,
                &issue.place,
                &issue.issued_by,
                &issue.issued_at,
            ],
        )
        .map_err(constraint("certificate"))?;
    }
    of_write(tx, tenant, &issue.write_id)
}

pub fn revoke(
    tx: &mut Transaction<'_>,
    tenant: &TenantId,
    r: &Revocation,
) -> StoreResult<CertificateRecord> {
    let updated = tx
        .execute(
            "UPDATE certificates SET revoked_at = $3, revoked_by = $4, revoke_reason = $5
             WHERE tenant_id = $1 AND issue_no = $2 AND revoked_at IS NULL",
            &[&tenant.as_str(), &r.issue_no, &r.at, &r.by, &r.reason],
        )
        .map_err(be)?;
    let record =
        get(tx, tenant, &r.issue_no)?.ok_or_else(|| StoreError::NotFound("certificate".into()))?;
    if updated == 0 {
        return Err(StoreError::Conflict("certificate already revoked".into()));
    }
    Ok(record)
}

const ENTRY_COLUMNS: &str = "issue_no, case_id, item, subjects, place, issued_by, issued_at,
     revoked_at, revoke_reason";

fn entry(r: &Row) -> CertificateEntry {
    CertificateEntry {
        issue_no: r.get(0),
        case_id: r.get(1),
        item: r.get(2),
        subjects: r
            .get::<_, String>(3)
            .split_whitespace()
            .map(str::to_owned)
            .collect(),
        place: r.get(4),
        issued_by: r.get(5),
        issued_at: r.get::<_, DateTime<Utc>>(6),
        revoked_at: r.get(7),
        revoke_reason: r.get(8),
    }
}

/// Certificates issued in `[from, to)` per item.
pub fn count_by_item(
    tx: &mut Transaction<'_>,
    tenant: &TenantId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> StoreResult<Vec<(String, u64)>> {
    tx.query(
        "SELECT item, count(*) FROM certificates
         WHERE tenant_id = $1 AND issued_at >= $2 AND issued_at < $3 GROUP BY item ORDER BY item",
        &[&tenant.as_str(), &from, &to],
    )
    .map_err(be)?
    .iter()
    .map(|r| {
        let n: i64 = r.try_get(1).map_err(be)?;
        Ok((r.try_get(0).map_err(be)?, u64::try_from(n).unwrap_or(0)))
    })
    .collect()
}

/// Certificates issued in the filter's period, by issue time then number.
pub fn find(
    tx: &mut Transaction<'_>,
    tenant: &TenantId,
    f: &CertificateFilter,
) -> StoreResult<Vec<CertificateEntry>> {
    let mut args: Vec<Box<dyn ToSql + Sync>> = vec![Box::new(tenant.as_str().to_owned())];
    let mut sql = format!("SELECT {ENTRY_COLUMNS} FROM certificates WHERE tenant_id = $1");
    let mut push = |sql: &mut String, clause: &str, v: Box<dyn ToSql + Sync>| {
        args.push(v);
        sql.push_str(&clause.replace('?', &format!("${}", args.len())));
    };
    if let Some(from) = f.from {
        push(&mut sql, " AND issued_at >= ?", Box::new(from));
    }
    if let Some(to) = f.to {
        push(&mut sql, " AND issued_at < ?", Box::new(to));
    }
    if let Some(no) = &f.issue_no {
        push(&mut sql, " AND issue_no = ?", Box::new(no.clone()));
    }
    let limit = i64::try_from(f.limit).unwrap_or(i64::MAX);
    sql.push_str(&format!(" ORDER BY issued_at, issue_no LIMIT {limit}"));
    let refs: Vec<&(dyn ToSql + Sync)> = args.iter().map(|b| b.as_ref()).collect();
    Ok(tx
        .query(&sql, &refs)
        .map_err(be)?
        .iter()
        .map(entry)
        .collect())
}
