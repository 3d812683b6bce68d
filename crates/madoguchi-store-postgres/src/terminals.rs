//! Enrolled terminals (Security II point 9).

use madoguchi_store::{StoreError, StoreResult, TenantId, TerminalRecord};
use postgres::{Row, Transaction};

use crate::sql::be;

const COLUMNS: &str = "id, name, public_key, counters, registered_at, registered_by";

fn record(r: &Row) -> StoreResult<TerminalRecord> {
    let key: Vec<u8> = r.try_get(2).map_err(be)?;
    Ok(TerminalRecord {
        id: r.try_get(0).map_err(be)?,
        name: r.try_get(1).map_err(be)?,
        public_key: key
            .try_into()
            .map_err(|_| StoreError::Backend("bad terminal key in store".into()))?,
        counters: r.try_get(3).map_err(be)?,
        registered_at: r.try_get(4).map_err(be)?,
        registered_by: r.try_get(5).map_err(be)?,
    })
}

pub fn put(tx: &mut Transaction<'_>, tenant: &TenantId, t: &TerminalRecord) -> StoreResult<()> {
    let before = find(tx, tenant, &t.id)?;
    let tenant = tenant.as_str();
    for code in &t.counters {
        let known = tx
            .query_opt(
                "SELECT 1 FROM counters WHERE tenant_id = $1 AND code = $2",
                &[&tenant, code],
            )
            .map_err(be)?;
        if known.is_none() {
            return Err(StoreError::NotFound(format!("counter {code}")));
        }
    }
    tx.execute(
        "INSERT INTO terminals (tenant_id, id, name, public_key, counters, registered_at, registered_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (tenant_id, id) DO UPDATE SET name = excluded.name,
             public_key = excluded.public_key, counters = excluded.counters,
             registered_at = excluded.registered_at, registered_by = excluded.registered_by",
        &[
            &tenant,
            &t.id,
            &t.name,
            &&t.public_key[..],
            &t.counters,
            &t.registered_at,
            &t.registered_by,
        ],
    )
    .map_err(crate::sql::constraint("tenant missing"))?;
    if before.is_some_and(|b| !t.keeps_sessions_of(&b)) {
        end_sessions(tx, tenant, &t.id)?;
    }
    Ok(())
}

fn end_sessions(tx: &mut Transaction<'_>, tenant: &str, id: &str) -> StoreResult<()> {
    tx.execute(
        "DELETE FROM sessions WHERE tenant_id = $1 AND terminal = $2",
        &[&tenant, &id],
    )
    .map_err(be)?;
    Ok(())
}

pub fn find(
    tx: &mut Transaction<'_>,
    tenant: &TenantId,
    id: &str,
) -> StoreResult<Option<TerminalRecord>> {
    tx.query_opt(
        &format!("SELECT {COLUMNS} FROM terminals WHERE tenant_id = $1 AND id = $2"),
        &[&tenant.as_str(), &id],
    )
    .map_err(be)?
    .as_ref()
    .map(record)
    .transpose()
}

pub fn list(tx: &mut Transaction<'_>, tenant: &TenantId) -> StoreResult<Vec<TerminalRecord>> {
    tx.query(
        &format!("SELECT {COLUMNS} FROM terminals WHERE tenant_id = $1 ORDER BY id"),
        &[&tenant.as_str()],
    )
    .map_err(be)?
    .iter()
    .map(record)
    .collect()
}

pub fn remove(tx: &mut Transaction<'_>, tenant: &TenantId, id: &str) -> StoreResult<bool> {
    let n = tx
        .execute(
            "DELETE FROM terminals WHERE tenant_id = $1 AND id = $2",
            &[&tenant.as_str(), &id],
        )
        .map_err(be)?;
    if n > 0 {
        end_sessions(tx, tenant.as_str(), id)?;
    }
    Ok(n > 0)
}
