//! Certificates and their number counters read out and restored as another system had them (tenant
//! hand-over), in PostgreSQL.

use std::collections::BTreeMap;

use madoguchi_store::{CertificateCounters, CertificateRecord, StoreError, StoreResult, TenantId};
use postgres::Transaction;

use crate::certificates::{COLUMNS, record};
use crate::sql::{be, constraint};

/// Every certificate of the tenant in 発行番号 order, streamed to `each` a page at a time.
pub fn for_each(
    tx: &mut Transaction<'_>,
    tenant: &TenantId,
    each: &mut dyn FnMut(CertificateRecord) -> StoreResult<()>,
) -> StoreResult<u64> {
    let sql = format!(
        "SELECT {COLUMNS} FROM certificates WHERE tenant_id = $1 AND (fiscal_year, serial) > ($2, $3)
         ORDER BY fiscal_year, serial LIMIT 1000"
    );
    let (mut year, mut serial) = (i32::MIN, i64::MIN);
    let mut n = 0;
    loop {
        let rows = tx
            .query(sql.as_str(), &[&tenant.as_str(), &year, &serial])
            .map_err(be)?;
        let Some(last) = rows.last() else {
            return Ok(n);
        };
        year = last.try_get(1).map_err(be)?;
        serial = last.try_get(2).map_err(be)?;
        for row in &rows {
            each(record(row))?;
            n += 1;
        }
    }
}

fn number<T: TryInto<u32>>(n: T) -> StoreResult<u32> {
    n.try_into()
        .map_err(|_| StoreError::Backend("bad counter in store".into()))
}

pub fn counters(tx: &mut Transaction<'_>, tenant: &TenantId) -> StoreResult<CertificateCounters> {
    let t = tenant.as_str();
    let issue_numbers = tx
        .query(
            "SELECT fiscal_year, last_serial FROM certificate_numbers WHERE tenant_id = $1
             ORDER BY fiscal_year",
            &[&t],
        )
        .map_err(be)?
        .iter()
        .map(|r| {
            Ok((
                r.try_get(0).map_err(be)?,
                number(r.try_get::<_, i64>(1).map_err(be)?)?,
            ))
        })
        .collect::<StoreResult<Vec<_>>>()?;
    let reception_numbers = tx
        .query(
            "SELECT day, last_no FROM reception_numbers WHERE tenant_id = $1 ORDER BY day",
            &[&t],
        )
        .map_err(be)?
        .iter()
        .map(|r| {
            Ok((
                r.try_get(0).map_err(be)?,
                number(r.try_get::<_, i32>(1).map_err(be)?)?,
            ))
        })
        .collect::<StoreResult<Vec<_>>>()?;
    Ok(CertificateCounters {
        issue_numbers,
        reception_numbers,
    })
}

/// Inserts the certificates as they were and raises the counters, inside the caller's transaction.
pub fn restore(
    tx: &mut Transaction<'_>,
    tenant: &TenantId,
    certificates: &[CertificateRecord],
    counters: &CertificateCounters,
) -> StoreResult<()> {
    let t = tenant.as_str();
    let insert = tx
        .prepare(&format!(
            "INSERT INTO certificates (tenant_id, {COLUMNS})
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)"
        ))
        .map_err(be)?;
    let mut last: BTreeMap<i32, u32> = counters.issue_numbers.iter().copied().collect();
    for r in certificates {
        tx.execute(
            &insert,
            &[
                &t,
                &r.issue_no,
                &r.fiscal_year,
                &i64::from(r.serial),
                &r.write_id,
                &(r.seq as i32),
                &r.case_id,
                &r.item,
                &r.template,
                &r.subjects.join(" "),
                &r.snapshot,
                &r.digest,
                &r.qr,
                &r.place,
                &r.issued_by,
                &r.issued_at,
                &r.revoked_at,
                &r.revoked_by,
                &r.revoke_reason,
            ],
        )
        .map_err(constraint("certificate exists (or tenant missing)"))?;
        let year = last.entry(r.fiscal_year).or_default();
        *year = (*year).max(r.serial);
    }
    for (year, serial) in last {
        tx.execute(
            "INSERT INTO certificate_numbers (tenant_id, fiscal_year, last_serial) VALUES ($1, $2, $3)
             ON CONFLICT (tenant_id, fiscal_year)
             DO UPDATE SET last_serial = GREATEST(certificate_numbers.last_serial, excluded.last_serial)",
            &[&t, &year, &i64::from(serial)],
        )
        .map_err(constraint("tenant missing"))?;
    }
    for (day, no) in &counters.reception_numbers {
        tx.execute(
            "INSERT INTO reception_numbers (tenant_id, day, last_no) VALUES ($1, $2, $3)
             ON CONFLICT (tenant_id, day)
             DO UPDATE SET last_no = GREATEST(reception_numbers.last_no, excluded.last_no)",
            &[&t, day, &number_i32(*no)?],
        )
        .map_err(constraint("tenant missing"))?;
    }
    Ok(())
}

fn number_i32(n: u32) -> StoreResult<i32> {
    i32::try_from(n).map_err(|_| StoreError::Backend("reception number out of range".into()))
}
