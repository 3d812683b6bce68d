//! The hand-over files of two core-system feeds: the `cards` feed's 利用者証明用電子証明書 serials and
//! the `tax` feed's 課税. Each is restored as one full import of its feed; a package written before
//! they were handed over has neither, and its import leaves them empty.

use std::collections::BTreeMap;

use madoguchi_core::certificate::tax::{AMOUNT_FIELDS, AMOUNTS, TaxAmounts, TaxYear};
use madoguchi_store::{
    CardSerial, CardSerialChange, ImportMeta, Store, TaxChange, TaxRecord, TenantId,
};

use super::package::{
    HandoverError, ImportSummary, Result, Writer, applied, date, parse_atena, parse_date, table,
};

/// The hand-over file of the `cards` feed.
pub(super) const CARDS_FILE: &str = "card_serials.csv";
const CARD_COLUMNS: [&str; 3] = ["宛名番号", "シリアル番号", "失効年月日"];

/// The hand-over file of the `tax` feed.
pub(super) const TAX_FILE: &str = "tax_records.csv";

/// The tax file's columns: the key, 非課税区分 and 扶養人数, then the amounts as the feed names them.
fn tax_columns() -> Vec<&'static str> {
    let mut c = vec!["宛名番号", "年度", "非課税区分", "扶養人数"];
    c.extend(AMOUNT_FIELDS.iter().map(|(ja, _)| *ja));
    c
}

pub(super) fn export_card_serials(
    w: &mut Writer<'_>,
    store: &dyn Store,
    tenant: &TenantId,
) -> Result<()> {
    let rows = store
        .all_card_serials(tenant)?
        .iter()
        .map(|c| {
            vec![
                c.atena_no.as_str().into(),
                c.serial.clone(),
                date(c.revoked_on),
            ]
        })
        .collect();
    w.file(CARDS_FILE, &CARD_COLUMNS, rows)
}

pub(super) fn export_tax(w: &mut Writer<'_>, store: &dyn Store, tenant: &TenantId) -> Result<()> {
    let rows = store
        .all_tax_records(tenant)?
        .iter()
        .map(|r| {
            let mut row = vec![
                r.atena_no.as_str().into(),
                r.tax.year.to_string(),
                if r.tax.taxable { "1" } else { "2" }.into(),
                r.tax.dependents.to_string(),
            ];
            row.extend(r.tax.amounts.to_array().iter().map(i64::to_string));
            row
        })
        .collect();
    w.file(TAX_FILE, &tax_columns(), rows)
}

/// The serials as one full import of the `cards` feed.
pub(super) fn import_card_serials(
    store: &dyn Store,
    tenant: &TenantId,
    files: &BTreeMap<String, Vec<u8>>,
    meta: &dyn Fn(&str, &[u8]) -> ImportMeta,
    summary: &mut ImportSummary,
) -> Result<()> {
    if !files.contains_key(CARDS_FILE) {
        return Ok(());
    }
    let t = table(files, CARDS_FILE)?;
    let mut changes = Vec::new();
    for r in &t.rows {
        let serial = t.get(r, "シリアル番号")?;
        let normalized = madoguchi_core::card_serial::normalize(serial)
            .filter(|n| n == serial)
            .ok_or_else(|| {
                HandoverError::invalid(format!("{CARDS_FILE} のシリアル番号が正しくありません。"))
            })?;
        changes.push(CardSerialChange::Put(CardSerial {
            atena_no: parse_atena(&t, t.get(r, "宛名番号")?)?,
            serial: normalized,
            revoked_on: parse_date(&t, t.get(r, "失効年月日")?)?,
        }));
    }
    applied(store.import_card_serials(tenant, &meta(CARDS_FILE, &files[CARDS_FILE]), &changes)?)?;
    summary
        .counts
        .push(("利用者証明用電子証明書シリアル番号", changes.len() as u64));
    Ok(())
}

/// The 課税 as one full import of the `tax` feed (every 年度 the file carries).
pub(super) fn import_tax(
    store: &dyn Store,
    tenant: &TenantId,
    files: &BTreeMap<String, Vec<u8>>,
    meta: &dyn Fn(&str, &[u8]) -> ImportMeta,
    summary: &mut ImportSummary,
) -> Result<()> {
    if !files.contains_key(TAX_FILE) {
        return Ok(());
    }
    let t = table(files, TAX_FILE)?;
    let bad =
        |what: &str| HandoverError::invalid(format!("{TAX_FILE} の{what}が正しくありません。"));
    let mut changes = Vec::new();
    for r in &t.rows {
        let mut amounts = [0i64; AMOUNTS];
        for (slot, (ja, _)) in amounts.iter_mut().zip(AMOUNT_FIELDS) {
            *slot = t.get(r, ja)?.parse().map_err(|_| bad(ja))?;
        }
        changes.push(TaxChange::Put(TaxRecord {
            atena_no: parse_atena(&t, t.get(r, "宛名番号")?)?,
            tax: TaxYear {
                year: t.get(r, "年度")?.parse().map_err(|_| bad("年度"))?,
                taxable: match t.get(r, "非課税区分")? {
                    "1" => true,
                    "2" => false,
                    _ => return Err(bad("非課税区分")),
                },
                dependents: t.get(r, "扶養人数")?.parse().map_err(|_| bad("扶養人数"))?,
                amounts: TaxAmounts::from_array(amounts),
            },
        }));
    }
    applied(store.import_tax_records(tenant, &meta(TAX_FILE, &files[TAX_FILE]), &changes)?)?;
    summary.counts.push(("課税情報", changes.len() as u64));
    Ok(())
}
