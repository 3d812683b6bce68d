//! Certificates and their number counters read out and restored as another system had them (tenant
//! hand-over), in SQLite.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use madoguchi_store::{CertificateCounters, CertificateRecord, StoreError, StoreResult, TenantId};
use rusqlite::{Connection, params};

use crate::certificates::{COLUMNS, parse, record};
use crate::feeds::{date, parse_date};
use crate::sql::{be, constraint, ts};

/// Every certificate of the tenant in 発行番号 order, streamed to `each`.
pub(crate) fn for_each(
    c: &Connection,
    tenant: &TenantId,
    each: &mut dyn FnMut(CertificateRecord) -> StoreResult<()>,
) -> StoreResult<u64> {
    let mut stmt = c
        .prepare(&format!(
            "SELECT {COLUMNS} FROM certificates WHERE tenant_id = ?1 ORDER BY fiscal_year, serial"
        ))
        .map_err(be)?;
    let mut rows = stmt.query([tenant.as_str()]).map_err(be)?;
    let mut n = 0;
    while let Some(row) = rows.next().map_err(be)? {
        each(parse(record(row).map_err(be)?)?)?;
        n += 1;
    }
    Ok(n)
}

fn number(n: i64) -> StoreResult<u32> {
    u32::try_from(n).map_err(|_| StoreError::Backend("bad counter in store".into()))
}

pub(crate) fn counters(c: &Connection, tenant: &TenantId) -> StoreResult<CertificateCounters> {
    let t = tenant.as_str();
    let mut stmt = c
        .prepare(
            "SELECT fiscal_year, last_serial FROM certificate_numbers WHERE tenant_id = ?1
             ORDER BY fiscal_year",
        )
        .map_err(be)?;
    let issue_numbers = stmt
        .query_map([t], |r| Ok((r.get::<_, i32>(0)?, r.get::<_, i64>(1)?)))
        .map_err(be)?
        .map(|r| {
            let (year, last) = r.map_err(be)?;
            Ok((year, number(last)?))
        })
        .collect::<StoreResult<Vec<_>>>()?;
    let mut stmt = c
        .prepare("SELECT day, last_no FROM reception_numbers WHERE tenant_id = ?1 ORDER BY day")
        .map_err(be)?;
    let reception_numbers = stmt
        .query_map([t], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))
        .map_err(be)?
        .map(|r| {
            let (day, last) = r.map_err(be)?;
            let day = parse_date(Some(day))?
                .ok_or_else(|| StoreError::Backend("bad date in store".into()))?;
            Ok((day, number(last)?))
        })
        .collect::<StoreResult<Vec<_>>>()?;
    Ok(CertificateCounters {
        issue_numbers,
        reception_numbers,
    })
}

/// Inserts the certificates as they were and raises the counters, inside the caller's transaction.
pub(crate) fn restore(
    c: &Connection,
    tenant: &TenantId,
    certificates: &[CertificateRecord],
    counters: &CertificateCounters,
) -> StoreResult<()> {
    let t = tenant.as_str();
    let mut insert = c
        .prepare(&format!(
            "INSERT INTO certificates (tenant_id, {COLUMNS})
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)"
        ))
        .map_err(be)?;
    let mut last: BTreeMap<i32, u32> = counters.issue_numbers.iter().copied().collect();
    for r in certificates {
        insert
            .execute(params![
                t,
                r.issue_no,
                r.fiscal_year,
                r.serial,
                r.write_id,
                r.seq,
                r.case_id,
                r.item,
                r.template,
                r.subjects.join(" "),
                r.snapshot,
                r.digest,
                r.qr,
                r.place,
                r.issued_by,
                ts(r.issued_at),
                r.revoked_at.map(ts),
                r.revoked_by,
                r.revoke_reason,
            ])
            .map_err(constraint("certificate exists (or tenant missing)"))?;
        let year = last.entry(r.fiscal_year).or_default();
        *year = (*year).max(r.serial);
    }
    for (year, serial) in last {
        c.execute(
            "INSERT INTO certificate_numbers (tenant_id, fiscal_year, last_serial) VALUES (?1, ?2, ?3)
             ON CONFLICT (tenant_id, fiscal_year)
             DO UPDATE SET last_serial = max(last_serial, excluded.last_serial)",
            params![t, year, serial],
        )
        .map_err(constraint("tenant missing"))?;
    }
    for (day, no) in &counters.reception_numbers {
        raise_reception(c, t, *day, *no)?;
    }
    Ok(())
}

fn raise_reception(c: &Connection, tenant: &str, day: NaiveDate, no: u32) -> StoreResult<()> {
    c.execute(
        "INSERT INTO reception_numbers (tenant_id, day, last_no) VALUES (?1, ?2, ?3)
         ON CONFLICT (tenant_id, day) DO UPDATE SET last_no = max(last_no, excluded.last_no)",
        params![tenant, date(Some(day)), no],
    )
    .map_err(constraint("tenant missing"))?;
    Ok(())
}
