//! 事前申請 sent under a 受付番号 (`pre_applications`), in SQLite.

use chrono::NaiveDate;
use madoguchi_store::{PreApplication, StoreError, StoreResult, TenantId};
use rusqlite::{Connection, OptionalExtension, params};

use crate::sql::{be, parse_ts, ts};

const COLUMNS: &str = "number, write_id, birth, body, expires, sent_at";

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn parse_day(s: &str) -> StoreResult<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| StoreError::Backend("bad pre-application date in store".into()))
}

type Row = (String, String, String, String, String, String);

fn read_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
    ))
}

fn to_record(
    (number, write_id, birth, body, expires, sent_at): Row,
) -> StoreResult<PreApplication> {
    Ok(PreApplication {
        number,
        write_id,
        birth: parse_day(&birth)?,
        body,
        expires: parse_day(&expires)?,
        sent_at: parse_ts(&sent_at)?,
    })
}

fn one(
    c: &Connection,
    tenant: &TenantId,
    column: &str,
    value: &str,
) -> StoreResult<Option<PreApplication>> {
    c.query_row(
        &format!("SELECT {COLUMNS} FROM pre_applications WHERE tenant_id = ?1 AND {column} = ?2"),
        params![tenant.as_str(), value],
        read_row,
    )
    .optional()
    .map_err(be)?
    .map(to_record)
    .transpose()
}

/// One application by its 受付番号.
pub fn by_number(
    c: &Connection,
    tenant: &TenantId,
    number: &str,
) -> StoreResult<Option<PreApplication>> {
    one(c, tenant, "number", number)
}

/// Every application of the tenant, by 受付番号 (the hand-over).
pub fn all(c: &Connection, tenant: &TenantId) -> StoreResult<Vec<PreApplication>> {
    let mut stmt = c
        .prepare(&format!(
            "SELECT {COLUMNS} FROM pre_applications WHERE tenant_id = ?1 ORDER BY number"
        ))
        .map_err(be)?;
    let rows = stmt
        .query_map(params![tenant.as_str()], read_row)
        .map_err(be)?;
    rows.map(|r| to_record(r.map_err(be)?)).collect()
}

/// Deletes the tenant's applications that expired before `today`.
pub fn purge(c: &Connection, tenant: &TenantId, today: NaiveDate) -> StoreResult<u64> {
    let n = c
        .execute(
            "DELETE FROM pre_applications WHERE tenant_id = ?1 AND expires < ?2",
            params![tenant.as_str(), day(today)],
        )
        .map_err(be)?;
    Ok(n as u64)
}

/// What a sending finds: the application already sent under its write id, a number taken by
/// another, or room to store it.
pub enum Existing {
    Sent(PreApplication),
    NumberTaken,
    None,
}

/// Looks for the write id's application and the number's owner.
pub fn existing(c: &Connection, tenant: &TenantId, sent: &PreApplication) -> StoreResult<Existing> {
    if let Some(found) = one(c, tenant, "write_id", &sent.write_id)? {
        return Ok(Existing::Sent(found));
    }
    if by_number(c, tenant, &sent.number)?.is_some() {
        return Ok(Existing::NumberTaken);
    }
    Ok(Existing::None)
}

/// Inserts a new application.
pub fn insert(c: &Connection, tenant: &TenantId, p: &PreApplication) -> StoreResult<()> {
    c.execute(
        &format!(
            "INSERT INTO pre_applications (tenant_id, {COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
        ),
        params![
            tenant.as_str(),
            p.number,
            p.write_id,
            day(p.birth),
            p.body,
            day(p.expires),
            ts(p.sent_at)
        ],
    )
    .map_err(crate::sql::constraint("tenant missing"))?;
    Ok(())
}

/// Deletes `number` when its applicant was born on `birth`.
pub fn delete(
    c: &Connection,
    tenant: &TenantId,
    number: &str,
    birth: NaiveDate,
) -> StoreResult<bool> {
    let n = c
        .execute(
            "DELETE FROM pre_applications WHERE tenant_id = ?1 AND number = ?2 AND birth = ?3",
            params![tenant.as_str(), number, day(birth)],
        )
        .map_err(be)?;
    Ok(n > 0)
}
