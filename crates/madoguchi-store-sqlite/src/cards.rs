//! The card feed (`cards`: serials of 利用者証明用電子証明書) and the 受付番号 of the day, in SQLite.

use std::collections::HashSet;

use chrono::NaiveDate;
use madoguchi_core::ids::AtenaNo;
use madoguchi_store::{
    CardSerial, CardSerialChange, ImportCounts, ImportMode, StoreError, StoreResult, TenantId,
};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use crate::feeds::{date, parse_date};
use crate::sql::be;

/// The stored columns of a serial besides the key, as compared and written.
type CardRow = (String, Option<String>);

pub fn put_card_serials(
    tx: &Transaction<'_>,
    tenant: &TenantId,
    mode: ImportMode,
    changes: &[CardSerialChange],
) -> StoreResult<ImportCounts> {
    let t = tenant.as_str();
    let mut counts = ImportCounts::default();
    let mut keep: HashSet<&str> = HashSet::new();
    let mut find = tx
        .prepare_cached(
            "SELECT atena_no, revoked_on FROM card_serials WHERE tenant_id = ?1 AND serial = ?2",
        )
        .map_err(be)?;
    let mut upsert = tx
        .prepare_cached(
            "INSERT INTO card_serials (tenant_id, serial, atena_no, revoked_on) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (tenant_id, serial) DO UPDATE SET atena_no = excluded.atena_no,
                 revoked_on = excluded.revoked_on",
        )
        .map_err(be)?;
    let mut delete = tx
        .prepare_cached("DELETE FROM card_serials WHERE tenant_id = ?1 AND serial = ?2")
        .map_err(be)?;
    for change in changes {
        match change {
            CardSerialChange::Put(r) => {
                keep.insert(r.serial.as_str());
                let now: CardRow = (r.atena_no.as_str().to_owned(), date(r.revoked_on));
                let before: Option<CardRow> = find
                    .query_row(params![t, r.serial], |row| Ok((row.get(0)?, row.get(1)?)))
                    .optional()
                    .map_err(be)?;
                match before {
                    Some(b) if b == now => {
                        counts.unchanged += 1;
                        continue;
                    }
                    Some(_) => counts.updated += 1,
                    None => counts.inserted += 1,
                }
                upsert
                    .execute(params![t, r.serial, now.0, now.1])
                    .map_err(be)?;
            }
            CardSerialChange::Remove { serial } => {
                counts.removed += delete.execute(params![t, serial]).map_err(be)? as u64;
            }
        }
    }
    if mode == ImportMode::Full {
        let stored: Vec<String> = tx
            .prepare("SELECT serial FROM card_serials WHERE tenant_id = ?1")
            .map_err(be)?
            .query_map([t], |r| r.get(0))
            .map_err(be)?
            .collect::<Result<_, _>>()
            .map_err(be)?;
        for serial in stored.iter().filter(|s| !keep.contains(s.as_str())) {
            counts.removed += delete.execute(params![t, serial]).map_err(be)? as u64;
        }
    }
    Ok(counts)
}

pub fn resident_by_card_serial(
    c: &Connection,
    tenant: &TenantId,
    serial: &str,
) -> StoreResult<Option<CardSerial>> {
    let row: Option<CardRow> = c
        .prepare_cached(
            "SELECT atena_no, revoked_on FROM card_serials WHERE tenant_id = ?1 AND serial = ?2",
        )
        .map_err(be)?
        .query_row(params![tenant.as_str(), serial], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()
        .map_err(be)?;
    row.map(|(atena, revoked)| {
        Ok(CardSerial {
            atena_no: AtenaNo::parse(&atena)
                .map_err(|_| StoreError::Backend("bad 宛名番号 in store".into()))?,
            serial: serial.to_owned(),
            revoked_on: parse_date(revoked)?,
        })
    })
    .transpose()
}

/// Takes the next 受付番号 of `day` in one immediate transaction (SQLite has one writer at a time).
pub fn take_reception_number(
    c: &mut Connection,
    tenant: &TenantId,
    day: NaiveDate,
) -> StoreResult<u32> {
    let tx = c
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(be)?;
    let next: i64 = tx
        .query_row(
            "INSERT INTO reception_numbers (tenant_id, day, last_no) VALUES (?1, ?2, 1)
             ON CONFLICT (tenant_id, day) DO UPDATE SET last_no = last_no + 1
             RETURNING last_no",
            params![tenant.as_str(), date(Some(day))],
            |r| r.get(0),
        )
        .map_err(|e| match e {
            rusqlite::Error::SqliteFailure(f, _)
                if f.code == rusqlite::ErrorCode::ConstraintViolation =>
            {
                StoreError::NotFound("tenant".into())
            }
            e => be(e),
        })?;
    tx.commit().map_err(be)?;
    u32::try_from(next).map_err(|_| StoreError::Backend("bad reception number in store".into()))
}

/// Every serial of the tenant, by 宛名番号 then serial.
pub fn all_card_serials(c: &Connection, tenant: &TenantId) -> StoreResult<Vec<CardSerial>> {
    let mut stmt = c
        .prepare(
            "SELECT atena_no, serial, revoked_on FROM card_serials WHERE tenant_id = ?1
             ORDER BY atena_no, serial",
        )
        .map_err(be)?;
    let rows = stmt
        .query_map([tenant.as_str()], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
            ))
        })
        .map_err(be)?;
    rows.map(|r| {
        let (atena, serial, revoked) = r.map_err(be)?;
        Ok(CardSerial {
            atena_no: AtenaNo::parse(&atena)
                .map_err(|_| StoreError::Backend("bad 宛名番号 in store".into()))?,
            serial,
            revoked_on: parse_date(revoked)?,
        })
    })
    .collect()
}
