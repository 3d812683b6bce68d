//! The card feed (`cards`: serials of 利用者証明用電子証明書) and the 受付番号 of the day, in PostgreSQL.

use chrono::NaiveDate;
use madoguchi_core::ids::AtenaNo;
use madoguchi_store::{
    CardSerial, CardSerialChange, ImportCounts, ImportMode, StoreError, StoreResult, TenantId,
};
use postgres::Transaction;

use crate::sql::be;

fn atena(s: &str) -> StoreResult<AtenaNo> {
    AtenaNo::parse(s).map_err(|_| StoreError::Backend("bad 宛名番号 in store".into()))
}

pub fn put_card_serials(
    tx: &mut Transaction<'_>,
    tenant: &TenantId,
    mode: ImportMode,
    changes: &[CardSerialChange],
) -> StoreResult<ImportCounts> {
    let t = tenant.as_str();
    let mut counts = ImportCounts::default();
    let mut keep: Vec<&str> = Vec::new();
    for change in changes {
        match change {
            CardSerialChange::Put(r) => {
                keep.push(r.serial.as_str());
                match resident_by_card_serial(tx, tenant, &r.serial)? {
                    Some(before) if before == *r => {
                        counts.unchanged += 1;
                        continue;
                    }
                    Some(_) => counts.updated += 1,
                    None => counts.inserted += 1,
                }
                tx.execute(
                    "INSERT INTO card_serials (tenant_id, serial, atena_no, revoked_on)
                     VALUES ($1, $2, $3, $4)
                     ON CONFLICT (tenant_id, serial) DO UPDATE SET atena_no = excluded.atena_no,
                         revoked_on = excluded.revoked_on",
                    &[&t, &r.serial, &r.atena_no.as_str(), &r.revoked_on],
                )
                .map_err(be)?;
            }
            CardSerialChange::Remove { serial } => {
                counts.removed += tx
                    .execute(
                        "DELETE FROM card_serials WHERE tenant_id = $1 AND serial = $2",
                        &[&t, serial],
                    )
                    .map_err(be)?;
            }
        }
    }
    if mode == ImportMode::Full {
        counts.removed += tx
            .execute(
                "DELETE FROM card_serials WHERE tenant_id = $1 AND NOT (serial = ANY($2))",
                &[&t, &keep],
            )
            .map_err(be)?;
    }
    Ok(counts)
}

pub fn resident_by_card_serial(
    tx: &mut Transaction<'_>,
    tenant: &TenantId,
    serial: &str,
) -> StoreResult<Option<CardSerial>> {
    tx.query_opt(
        "SELECT atena_no, revoked_on FROM card_serials WHERE tenant_id = $1 AND serial = $2",
        &[&tenant.as_str(), &serial],
    )
    .map_err(be)?
    .map(|row| {
        Ok(CardSerial {
            atena_no: atena(&row.try_get::<_, String>(0).map_err(be)?)?,
            serial: serial.to_owned(),
            revoked_on: row.try_get(1).map_err(be)?,
        })
    })
    .transpose()
}

/// Takes the next 受付番号 of `day`: the upsert locks the day's row until the caller's transaction
/// ends, so concurrent callers wait for each other and get consecutive numbers.
pub fn take_reception_number(
    tx: &mut Transaction<'_>,
    tenant: &TenantId,
    day: NaiveDate,
) -> StoreResult<u32> {
    let next: i32 = tx
        .query_one(
            "INSERT INTO reception_numbers (tenant_id, day, last_no) VALUES ($1, $2, 1)
             ON CONFLICT (tenant_id, day)
             DO UPDATE SET last_no = reception_numbers.last_no + 1
             RETURNING last_no",
            &[&tenant.as_str(), &day],
        )
        .map_err(|e| match e.code() {
            Some(c) if c.code() == "23503" => StoreError::NotFound("tenant".into()),
            _ => be(e),
        })?
        .try_get(0)
        .map_err(be)?;
    u32::try_from(next).map_err(|_| StoreError::Backend("bad reception number in store".into()))
}

/// Every serial of the tenant, by 宛名番号 then serial.
pub fn all_card_serials(
    tx: &mut Transaction<'_>,
    tenant: &TenantId,
) -> StoreResult<Vec<CardSerial>> {
    tx.query(
        "SELECT atena_no, serial, revoked_on FROM card_serials WHERE tenant_id = $1
         ORDER BY atena_no, serial",
        &[&tenant.as_str()],
    )
    .map_err(be)?
    .iter()
    .map(|row| {
        Ok(CardSerial {
            atena_no: atena(&row.try_get::<_, String>(0).map_err(be)?)?,
            serial: row.try_get(1).map_err(be)?,
            revoked_on: row.try_get(2).map_err(be)?,
        })
    })
    .collect()
}
