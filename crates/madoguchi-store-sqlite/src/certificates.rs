//! Certificates and their 発行番号 in SQLite.

use madoguchi_core::certificate::IssueNo;
use madoguchi_store::{
    BuildCertificate, CertificateEntry, CertificateFilter, CertificateIssue, CertificateRecord,
    Revocation, StoreError, StoreResult, TenantId,
};
use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::sql::{be, constraint, parse_ts, ts};

pub(crate) const COLUMNS: &str =
    "issue_no, fiscal_year, serial, write_id, seq, case_id, item, template, subjects,
     snapshot, digest, qr, place, issued_by, issued_at, revoked_at, revoked_by, revoke_reason";

pub(crate) fn record(r: &Row<'_>) -> rusqlite::Result<[Option<String>; 18]> {
    let mut out: [Option<String>; 18] = Default::default();
    for (i, slot) in out.iter_mut().enumerate() {
        *slot = match i {
            1 | 2 | 4 => r.get::<_, Option<i64>>(i)?.map(|n| n.to_string()),
            _ => r.get::<_, Option<String>>(i)?,
        };
    }
    Ok(out)
}

pub(crate) fn parse(row: [Option<String>; 18]) -> StoreResult<CertificateRecord> {
    let [
        issue_no,
        fiscal_year,
        serial,
        write_id,
        seq,
        case_id,
        item,
        template,
        subjects,
        snapshot,
        digest,
        qr,
        place,
        issued_by,
        issued_at,
        revoked_at,
        revoked_by,
        revoke_reason,
    ] = row;
    let text = |v: Option<String>| v.unwrap_or_default();
    let num = |v: Option<String>| {
        v.and_then(|n| n.parse::<i64>().ok())
            .ok_or_else(|| StoreError::Backend("bad number in certificates".into()))
    };
    Ok(CertificateRecord {
        issue_no: text(issue_no),
        fiscal_year: num(fiscal_year)? as i32,
        serial: num(serial)? as u32,
        write_id: text(write_id),
        seq: num(seq)? as u32,
        case_id,
        item: text(item),
        template: text(template),
        subjects: text(subjects)
            .split_whitespace()
            .map(str::to_owned)
            .collect(),
        snapshot: text(snapshot),
        digest: text(digest),
        qr: text(qr),
        place: text(place),
        issued_by: text(issued_by),
        issued_at: parse_ts(&text(issued_at))?,
        revoked_at: revoked_at.as_deref().map(parse_ts).transpose()?,
        revoked_by,
        revoke_reason,
    })
}

/// The certificates of one issue, in order.
pub(crate) fn of_write(
    c: &Connection,
    tenant: &TenantId,
    write_id: &str,
) -> StoreResult<Vec<CertificateRecord>> {
    let mut stmt = c
        .prepare(&format!(
            "SELECT {COLUMNS} FROM certificates WHERE tenant_id = ?1 AND write_id = ?2 ORDER BY seq"
        ))
        .map_err(be)?;
    let rows = stmt
        .query_map(params![tenant.as_str(), write_id], record)
        .map_err(be)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(be)?;
    rows.into_iter().map(parse).collect()
}

pub(crate) fn get(
    c: &Connection,
    tenant: &TenantId,
    issue_no: &str,
) -> StoreResult<Option<CertificateRecord>> {
    c.query_row(
        &format!("SELECT {COLUMNS} FROM certificates WHERE tenant_id = ?1 AND issue_no = ?2"),
        params![tenant.as_str(), issue_no],
        record,
    )
    .optional()
    .map_err(be)?
    .map(parse)
    .transpose()
}

/// Takes the numbers and records the certificates inside the caller's (immediate) transaction.
pub(crate) fn issue(
    c: &Connection,
    tenant: &TenantId,
    issue: &CertificateIssue,
    build: &mut BuildCertificate<'_>,
) -> StoreResult<Vec<CertificateRecord>> {
    let t = tenant.as_str();
    let last: i64 = c
        .query_row(
            "SELECT last_serial FROM certificate_numbers WHERE tenant_id = ?1 AND fiscal_year = ?2",
            params![t, issue.fiscal_year],
            |r| r.get(0),
        )
        .optional()
        .map_err(be)?
        .unwrap_or(0);
    let next = last + issue.count as i64;
    c.execute(
        "INSERT INTO certificate_numbers (tenant_id, fiscal_year, last_serial) VALUES (?1, ?2, ?3)
         ON CONFLICT (tenant_id, fiscal_year) DO UPDATE SET last_serial = excluded.last_serial",
        params![t, issue.fiscal_year, next],
    )
    .map_err(be)?;
    for seq in 0..issue.count {
        let no = IssueNo::new(issue.fiscal_year, (last + 1 + seq as i64) as u32);
        let cert = build(seq, no)?;
        c.execute(
            &format!(
                "INSERT INTO certificates (tenant_id, {COLUMNS})
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, NULL, NULL, NULL)"
            ),
            params![
                t,
                no.to_string(),
                no.fiscal_year,
                no.serial,
                issue.write_id,
                seq as i64,
                issue.case_id,
                cert.item,
                cert.template,
                cert.subjects.join(" "),
                cert.snapshot,
                cert.digest,
                cert.qr,
                issue.place,
                issue.issued_by,
                ts(issue.issued_at),
            ],
        )
        .map_err(constraint("certificate"))?;
    }
    of_write(c, tenant, &issue.write_id)
}

pub(crate) fn revoke(
    c: &Connection,
    tenant: &TenantId,
    r: &Revocation,
) -> StoreResult<CertificateRecord> {
    let Some(existing) = get(c, tenant, &r.issue_no)? else {
        return Err(StoreError::NotFound("certificate".into()));
    };
    if existing.revoked_at.is_some() {
        return Err(StoreError::Conflict("certificate already revoked".into()));
    }
    c.execute(
        "UPDATE certificates SET revoked_at = ?3, revoked_by = ?4, revoke_reason = ?5
         WHERE tenant_id = ?1 AND issue_no = ?2",
        params![tenant.as_str(), r.issue_no, ts(r.at), r.by, r.reason],
    )
    .map_err(be)?;
    get(c, tenant, &r.issue_no)?.ok_or_else(|| StoreError::NotFound("certificate".into()))
}

const ENTRY_COLUMNS: &str = "issue_no, case_id, item, subjects, place, issued_by, issued_at,
     revoked_at, revoke_reason";

fn entry(r: &Row<'_>) -> rusqlite::Result<[Option<String>; 9]> {
    let mut out: [Option<String>; 9] = Default::default();
    for (i, slot) in out.iter_mut().enumerate() {
        *slot = r.get::<_, Option<String>>(i)?;
    }
    Ok(out)
}

fn parse_entry(row: [Option<String>; 9]) -> StoreResult<CertificateEntry> {
    let [
        issue_no,
        case_id,
        item,
        subjects,
        place,
        issued_by,
        issued_at,
        revoked_at,
        revoke_reason,
    ] = row;
    let text = |v: Option<String>| v.unwrap_or_default();
    Ok(CertificateEntry {
        issue_no: text(issue_no),
        case_id,
        item: text(item),
        subjects: text(subjects)
            .split_whitespace()
            .map(str::to_owned)
            .collect(),
        place: text(place),
        issued_by: text(issued_by),
        issued_at: parse_ts(&text(issued_at))?,
        revoked_at: revoked_at.as_deref().map(parse_ts).transpose()?,
        revoke_reason,
    })
}

/// Certificates issued in `[from, to)` per item.
pub(crate) fn count_by_item(
    c: &Connection,
    tenant: &TenantId,
    from: chrono::DateTime<chrono::Utc>,
    to: chrono::DateTime<chrono::Utc>,
) -> StoreResult<Vec<(String, u64)>> {
    let mut stmt = c
        .prepare_cached(
            "SELECT item, count(*) FROM certificates
             WHERE tenant_id = ?1 AND issued_at >= ?2 AND issued_at < ?3 GROUP BY item ORDER BY item",
        )
        .map_err(be)?;
    let rows = stmt
        .query_map(rusqlite::params![tenant.as_str(), ts(from), ts(to)], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
        })
        .map_err(be)?;
    rows.map(|r| {
        let (item, n) = r.map_err(be)?;
        Ok((item, u64::try_from(n).unwrap_or(0)))
    })
    .collect()
}

/// Certificates issued in the filter's period, by issue time then number.
pub(crate) fn find(
    c: &Connection,
    tenant: &TenantId,
    f: &CertificateFilter,
) -> StoreResult<Vec<CertificateEntry>> {
    let mut sql = format!("SELECT {ENTRY_COLUMNS} FROM certificates WHERE tenant_id = ?1");
    let mut args: Vec<String> = vec![tenant.as_str().to_owned()];
    let mut arg = |sql: &mut String, clause: &str, value: String| {
        args.push(value);
        sql.push_str(&clause.replace('?', &format!("?{}", args.len())));
    };
    if let Some(from) = f.from {
        arg(&mut sql, " AND issued_at >= ?", ts(from));
    }
    if let Some(to) = f.to {
        arg(&mut sql, " AND issued_at < ?", ts(to));
    }
    if let Some(no) = &f.issue_no {
        arg(&mut sql, " AND issue_no = ?", no.clone());
    }
    let limit = i64::try_from(f.limit).unwrap_or(i64::MAX);
    sql.push_str(&format!(" ORDER BY issued_at, issue_no LIMIT {limit}"));
    let mut stmt = c.prepare(&sql).map_err(be)?;
    let rows = stmt
        .query_map(rusqlite::params_from_iter(args.iter()), entry)
        .map_err(be)?;
    rows.map(|r| parse_entry(r.map_err(be)?)).collect()
}
