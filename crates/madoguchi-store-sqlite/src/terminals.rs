//! Enrolled terminals (Security II point 9).

use madoguchi_store::{StoreError, StoreResult, TenantId, TerminalRecord};
use rusqlite::{Connection, OptionalExtension, params};

use crate::sql::{be, parse_ts, ts};

const COLUMNS: &str = "id, name, public_key, counters, registered_at, registered_by";

fn row(
    r: &rusqlite::Row<'_>,
) -> rusqlite::Result<(String, String, Vec<u8>, String, String, String)> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
    ))
}

fn record(
    (id, name, key, counters, at, by): (String, String, Vec<u8>, String, String, String),
) -> StoreResult<TerminalRecord> {
    Ok(TerminalRecord {
        id,
        name,
        public_key: key
            .try_into()
            .map_err(|_| StoreError::Backend("bad terminal key in store".into()))?,
        counters: counters
            .split(',')
            .filter(|c| !c.is_empty())
            .map(str::to_owned)
            .collect(),
        registered_at: parse_ts(&at)?,
        registered_by: by,
    })
}

pub fn put(tx: &Connection, tenant: &TenantId, t: &TerminalRecord) -> StoreResult<()> {
    for code in &t.counters {
        let known: Option<i64> = tx
            .query_row(
                "SELECT 1 FROM counters WHERE tenant_id = ?1 AND code = ?2",
                params![tenant.as_str(), code],
                |r| r.get(0),
            )
            .optional()
            .map_err(be)?;
        if known.is_none() {
            return Err(StoreError::NotFound(format!("counter {code}")));
        }
    }
    let before = find(tx, tenant, &t.id)?;
    tx.execute(
        "INSERT INTO terminals (tenant_id, id, name, public_key, counters, registered_at, registered_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (tenant_id, id) DO UPDATE SET name = excluded.name,
             public_key = excluded.public_key, counters = excluded.counters,
             registered_at = excluded.registered_at, registered_by = excluded.registered_by",
        params![
            tenant.as_str(),
            t.id,
            t.name,
            &t.public_key[..],
            t.counters.join(","),
            ts(t.registered_at),
            t.registered_by
        ],
    )
    .map_err(crate::sql::constraint("tenant missing"))?;
    if before.is_some_and(|b| !t.keeps_sessions_of(&b)) {
        end_sessions(tx, tenant, &t.id)?;
    }
    Ok(())
}

fn end_sessions(tx: &Connection, tenant: &TenantId, id: &str) -> StoreResult<()> {
    tx.execute(
        "DELETE FROM sessions WHERE terminal = ?2
           AND user_id IN (SELECT id FROM users WHERE tenant_id = ?1)",
        params![tenant.as_str(), id],
    )
    .map_err(be)?;
    Ok(())
}

pub fn find(c: &Connection, tenant: &TenantId, id: &str) -> StoreResult<Option<TerminalRecord>> {
    c.query_row(
        &format!("SELECT {COLUMNS} FROM terminals WHERE tenant_id = ?1 AND id = ?2"),
        params![tenant.as_str(), id],
        row,
    )
    .optional()
    .map_err(be)?
    .map(record)
    .transpose()
}

pub fn list(c: &Connection, tenant: &TenantId) -> StoreResult<Vec<TerminalRecord>> {
    let mut stmt = c
        .prepare(&format!(
            "SELECT {COLUMNS} FROM terminals WHERE tenant_id = ?1 ORDER BY id"
        ))
        .map_err(be)?;
    let rows = stmt.query_map([tenant.as_str()], row).map_err(be)?;
    rows.map(|r| r.map_err(be).and_then(record)).collect()
}

pub fn remove(tx: &Connection, tenant: &TenantId, id: &str) -> StoreResult<bool> {
    let n = tx
        .execute(
            "DELETE FROM terminals WHERE tenant_id = ?1 AND id = ?2",
            params![tenant.as_str(), id],
        )
        .map_err(be)?;
    if n > 0 {
        end_sessions(tx, tenant, id)?;
    }
    Ok(n > 0)
}
