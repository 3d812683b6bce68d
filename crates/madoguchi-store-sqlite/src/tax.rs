//! The 課税 feed (`tax`: income and 住民税 per resident and 課税年度), in SQLite.

use std::collections::HashSet;

use madoguchi_core::certificate::tax::{AMOUNT_FIELDS, AMOUNTS, TaxAmounts, TaxYear};
use madoguchi_core::ids::AtenaNo;
use madoguchi_store::{
    ImportCounts, ImportMode, StoreError, StoreResult, TaxChange, TaxRecord, TenantId,
};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Transaction, params, params_from_iter};

use crate::sql::be;

/// The columns after the key, in [`row_values`] order.
fn columns() -> String {
    let mut c = vec!["taxable", "dependents"];
    c.extend(AMOUNT_FIELDS.iter().map(|(_, key)| *key));
    c.join(", ")
}

fn row_values(t: &TaxYear) -> Vec<Value> {
    let mut v = vec![
        Value::Integer(i64::from(t.taxable)),
        Value::Integer(i64::from(t.dependents)),
    ];
    v.extend(t.amounts.to_array().map(Value::Integer));
    v
}

fn tax_from_row(year: i32, row: &rusqlite::Row<'_>) -> rusqlite::Result<TaxYear> {
    tax_from_row_at(year, row, 0)
}

/// A 課税 from [`columns`] starting at column `first` of the row.
fn tax_from_row_at(year: i32, row: &rusqlite::Row<'_>, first: usize) -> rusqlite::Result<TaxYear> {
    let mut amounts = [0i64; AMOUNTS];
    for (i, a) in amounts.iter_mut().enumerate() {
        *a = row.get(first + 2 + i)?;
    }
    Ok(TaxYear {
        year,
        taxable: row.get::<_, i64>(first)? != 0,
        dependents: u32::try_from(row.get::<_, i64>(first + 1)?).unwrap_or(0),
        amounts: TaxAmounts::from_array(amounts),
    })
}

fn stored(
    c: &Connection,
    tenant: &TenantId,
    atena: &str,
    year: i32,
) -> StoreResult<Option<TaxYear>> {
    c.prepare_cached(&format!(
        "SELECT {} FROM tax_records WHERE tenant_id = ?1 AND atena_no = ?2 AND year = ?3",
        columns()
    ))
    .map_err(be)?
    .query_row(params![tenant.as_str(), atena, year], |row| {
        tax_from_row(year, row)
    })
    .optional()
    .map_err(be)
}

pub fn put_tax_records(
    tx: &Transaction<'_>,
    tenant: &TenantId,
    mode: ImportMode,
    changes: &[TaxChange],
) -> StoreResult<ImportCounts> {
    let mut counts = ImportCounts::default();
    let mut keep: HashSet<(&str, i32)> = HashSet::new();
    let placeholders: Vec<String> = (4..4 + 2 + AMOUNTS).map(|i| format!("?{i}")).collect();
    let upsert = format!(
        "INSERT OR REPLACE INTO tax_records (tenant_id, atena_no, year, {}) VALUES (?1, ?2, ?3, {})",
        columns(),
        placeholders.join(", ")
    );
    for change in changes {
        match change {
            TaxChange::Put(r) => {
                let (atena, year) = (r.atena_no.as_str(), r.tax.year);
                keep.insert((atena, year));
                match stored(tx, tenant, atena, year)? {
                    Some(before) if before == r.tax => {
                        counts.unchanged += 1;
                        continue;
                    }
                    Some(_) => counts.updated += 1,
                    None => counts.inserted += 1,
                }
                let mut values = vec![
                    Value::Text(tenant.as_str().to_owned()),
                    Value::Text(atena.to_owned()),
                    Value::Integer(i64::from(year)),
                ];
                values.extend(row_values(&r.tax));
                tx.prepare_cached(&upsert)
                    .map_err(be)?
                    .execute(params_from_iter(values))
                    .map_err(be)?;
            }
            TaxChange::Remove { atena_no, year } => {
                counts.removed += tx
                    .execute(
                        "DELETE FROM tax_records WHERE tenant_id = ?1 AND atena_no = ?2 AND year = ?3",
                        params![tenant.as_str(), atena_no.as_str(), year],
                    )
                    .map_err(be)? as u64;
            }
        }
    }
    if mode == ImportMode::Full {
        let years: HashSet<i32> = keep.iter().map(|(_, y)| *y).collect();
        for year in years {
            let atenas: Vec<String> = tx
                .prepare("SELECT atena_no FROM tax_records WHERE tenant_id = ?1 AND year = ?2")
                .map_err(be)?
                .query_map(params![tenant.as_str(), year], |r| r.get(0))
                .map_err(be)?
                .collect::<Result<_, _>>()
                .map_err(be)?;
            for a in atenas
                .iter()
                .filter(|a| !keep.contains(&(a.as_str(), year)))
            {
                counts.removed += tx
                    .execute(
                        "DELETE FROM tax_records WHERE tenant_id = ?1 AND atena_no = ?2 AND year = ?3",
                        params![tenant.as_str(), a, year],
                    )
                    .map_err(be)? as u64;
            }
        }
    }
    Ok(counts)
}

pub fn tax_record(
    c: &Connection,
    tenant: &TenantId,
    atena_no: &AtenaNo,
    year: i32,
) -> StoreResult<Option<TaxRecord>> {
    Ok(
        stored(c, tenant, atena_no.as_str(), year)?.map(|tax| TaxRecord {
            atena_no: atena_no.clone(),
            tax,
        }),
    )
}

/// Every 課税 of the tenant, by 宛名番号 then 年度.
pub fn all_tax_records(c: &Connection, tenant: &TenantId) -> StoreResult<Vec<TaxRecord>> {
    let mut stmt = c
        .prepare(&format!(
            "SELECT atena_no, year, {} FROM tax_records WHERE tenant_id = ?1 ORDER BY atena_no, year",
            columns()
        ))
        .map_err(be)?;
    let mut rows = stmt.query([tenant.as_str()]).map_err(be)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next().map_err(be)? {
        let atena: String = row.get(0).map_err(be)?;
        let year: i32 = row.get(1).map_err(be)?;
        out.push(TaxRecord {
            atena_no: AtenaNo::parse(&atena)
                .map_err(|_| StoreError::Backend("bad 宛名番号 in store".into()))?,
            tax: tax_from_row_at(year, row, 2).map_err(be)?,
        });
    }
    Ok(out)
}
