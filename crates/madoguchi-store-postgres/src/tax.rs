//! The 課税 feed (`tax`: income and 住民税 per resident and 課税年度), in PostgreSQL.

use madoguchi_core::certificate::tax::{AMOUNT_FIELDS, AMOUNTS, TaxAmounts, TaxYear};
use madoguchi_core::ids::AtenaNo;
use madoguchi_store::{
    ImportCounts, ImportMode, StoreError, StoreResult, TaxChange, TaxRecord, TenantId,
};
use postgres::Transaction;
use postgres::types::ToSql;

use crate::sql::be;

/// The columns after the key: 非課税区分, 扶養人数, then the amounts in [`AMOUNT_FIELDS`] order.
fn columns() -> String {
    let mut c = vec!["taxable", "dependents"];
    c.extend(AMOUNT_FIELDS.iter().map(|(_, key)| *key));
    c.join(", ")
}

fn tax_from_row(year: i32, row: &postgres::Row) -> StoreResult<TaxYear> {
    tax_from_row_at(year, row, 0)
}

/// A 課税 from [`columns`] starting at column `first` of the row.
fn tax_from_row_at(year: i32, row: &postgres::Row, first: usize) -> StoreResult<TaxYear> {
    let mut amounts = [0i64; AMOUNTS];
    for (i, a) in amounts.iter_mut().enumerate() {
        *a = row.try_get(first + 2 + i).map_err(be)?;
    }
    Ok(TaxYear {
        year,
        taxable: row.try_get(first).map_err(be)?,
        dependents: u32::try_from(row.try_get::<_, i32>(first + 1).map_err(be)?).unwrap_or(0),
        amounts: TaxAmounts::from_array(amounts),
    })
}

fn stored(
    tx: &mut Transaction<'_>,
    tenant: &TenantId,
    atena: &str,
    year: i32,
) -> StoreResult<Option<TaxYear>> {
    tx.query_opt(
        &format!(
            "SELECT {} FROM tax_records WHERE tenant_id = $1 AND atena_no = $2 AND year = $3",
            columns()
        ),
        &[&tenant.as_str(), &atena, &year],
    )
    .map_err(be)?
    .map(|row| tax_from_row(year, &row))
    .transpose()
}

fn upsert(tx: &mut Transaction<'_>, tenant: &TenantId, r: &TaxRecord) -> StoreResult<()> {
    let placeholders: Vec<String> = (4..4 + 2 + AMOUNTS).map(|i| format!("${i}")).collect();
    let updates: Vec<String> = columns()
        .split(", ")
        .map(|c| format!("{c} = excluded.{c}"))
        .collect();
    let sql = format!(
        "INSERT INTO tax_records (tenant_id, atena_no, year, {}) VALUES ($1, $2, $3, {})
         ON CONFLICT (tenant_id, atena_no, year) DO UPDATE SET {}",
        columns(),
        placeholders.join(", "),
        updates.join(", ")
    );
    let (t, a) = (tenant.as_str(), r.atena_no.as_str());
    let dependents = i32::try_from(r.tax.dependents).unwrap_or(i32::MAX);
    let amounts = r.tax.amounts.to_array();
    let mut params: Vec<&(dyn ToSql + Sync)> =
        vec![&t, &a, &r.tax.year, &r.tax.taxable, &dependents];
    params.extend(amounts.iter().map(|v| v as &(dyn ToSql + Sync)));
    tx.execute(&sql, &params).map_err(be)?;
    Ok(())
}

pub fn put_tax_records(
    tx: &mut Transaction<'_>,
    tenant: &TenantId,
    mode: ImportMode,
    changes: &[TaxChange],
) -> StoreResult<ImportCounts> {
    let t = tenant.as_str();
    let mut counts = ImportCounts::default();
    let mut keep: Vec<(&str, i32)> = Vec::new();
    for change in changes {
        match change {
            TaxChange::Put(r) => {
                let (a, year) = (r.atena_no.as_str(), r.tax.year);
                keep.push((a, year));
                match stored(tx, tenant, a, year)? {
                    Some(before) if before == r.tax => {
                        counts.unchanged += 1;
                        continue;
                    }
                    Some(_) => counts.updated += 1,
                    None => counts.inserted += 1,
                }
                upsert(tx, tenant, r)?;
            }
            TaxChange::Remove { atena_no, year } => {
                counts.removed += tx
                    .execute(
                        "DELETE FROM tax_records WHERE tenant_id = $1 AND atena_no = $2 AND year = $3",
                        &[&t, &atena_no.as_str(), year],
                    )
                    .map_err(be)?;
            }
        }
    }
    if mode == ImportMode::Full {
        let mut years: Vec<i32> = keep.iter().map(|(_, y)| *y).collect();
        years.sort_unstable();
        years.dedup();
        for year in years {
            let atenas: Vec<&str> = keep
                .iter()
                .filter(|(_, y)| *y == year)
                .map(|(a, _)| *a)
                .collect();
            counts.removed += tx
                .execute(
                    "DELETE FROM tax_records
                     WHERE tenant_id = $1 AND year = $2 AND NOT (atena_no = ANY($3))",
                    &[&t, &year, &atenas],
                )
                .map_err(be)?;
        }
    }
    Ok(counts)
}

pub fn tax_record(
    tx: &mut Transaction<'_>,
    tenant: &TenantId,
    atena_no: &AtenaNo,
    year: i32,
) -> StoreResult<Option<TaxRecord>> {
    Ok(
        stored(tx, tenant, atena_no.as_str(), year)?.map(|tax| TaxRecord {
            atena_no: atena_no.clone(),
            tax,
        }),
    )
}

/// Every 課税 of the tenant, by 宛名番号 then 年度.
pub fn all_tax_records(tx: &mut Transaction<'_>, tenant: &TenantId) -> StoreResult<Vec<TaxRecord>> {
    tx.query(
        &format!(
            "SELECT atena_no, year, {} FROM tax_records WHERE tenant_id = $1 ORDER BY atena_no, year",
            columns()
        ),
        &[&tenant.as_str()],
    )
    .map_err(be)?
    .iter()
    .map(|row| {
        let atena: String = row.try_get(0).map_err(be)?;
        Ok(TaxRecord {
            atena_no: AtenaNo::parse(&atena)
                .map_err(|_| StoreError::Backend("bad 宛名番号 in store".into()))?,
            tax: tax_from_row_at(row.try_get(1).map_err(be)?, row, 2)?,
        })
    })
    .collect()
}
