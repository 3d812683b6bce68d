//! 事前申請 sent under a 受付番号 (`pre_applications`), in PostgreSQL.

use chrono::{DateTime, NaiveDate, Utc};
use madoguchi_store::{PreApplication, StoreResult, TenantId};
use postgres::Transaction;

use crate::sql::be;

const COLUMNS: &str = "number, write_id, birth, body, expires, sent_at";

fn to_record(r: &postgres::Row) -> PreApplication {
    PreApplication {
        number: r.get(0),
        write_id: r.get(1),
        birth: r.get::<_, NaiveDate>(2),
        body: r.get(3),
        expires: r.get::<_, NaiveDate>(4),
        sent_at: r.get::<_, DateTime<Utc>>(5),
    }
}

fn one(
    tx: &mut Transaction<'_>,
    tenant: &TenantId,
    column: &str,
    value: &str,
) -> StoreResult<Option<PreApplication>> {
    Ok(tx
        .query_opt(
            &format!(
                "SELECT {COLUMNS} FROM pre_applications WHERE tenant_id = $1 AND {column} = $2"
            ),
            &[&tenant.as_str(), &value],
        )
        .map_err(be)?
        .map(|r| to_record(&r)))
}

/// One application by its 受付番号.
pub fn by_number(
    tx: &mut Transaction<'_>,
    tenant: &TenantId,
    number: &str,
) -> StoreResult<Option<PreApplication>> {
    one(tx, tenant, "number", number)
}

/// Every application of the tenant, by 受付番号 (the hand-over).
pub fn all(tx: &mut Transaction<'_>, tenant: &TenantId) -> StoreResult<Vec<PreApplication>> {
    Ok(tx
        .query(
            &format!("SELECT {COLUMNS} FROM pre_applications WHERE tenant_id = $1 ORDER BY number"),
            &[&tenant.as_str()],
        )
        .map_err(be)?
        .iter()
        .map(to_record)
        .collect())
}

/// Deletes the tenant's applications that expired before `today`.
pub fn purge(tx: &mut Transaction<'_>, tenant: &TenantId, today: NaiveDate) -> StoreResult<u64> {
    tx.execute(
        "DELETE FROM pre_applications WHERE tenant_id = $1 AND expires < $2",
        &[&tenant.as_str(), &today],
    )
    .map_err(be)
}

/// Stores `sent` unless its write id was sent before (that one) or its number is taken (`None`);
/// `true` when it was inserted.
pub fn send(
    tx: &mut Transaction<'_>,
    tenant: &TenantId,
    sent: &PreApplication,
) -> StoreResult<(Option<PreApplication>, bool)> {
    // Two sendings of one write id at once: the second waits for the first's row.
    let inserted = tx
        .execute(
            &format!(
                "INSERT INTO pre_applications (tenant_id, {COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)
                 ON CONFLICT DO NOTHING"
            ),
            &[
                &tenant.as_str(),
                &sent.number,
                &sent.write_id,
                &sent.birth,
                &sent.body,
                &sent.expires,
                &sent.sent_at,
            ],
        )
        .map_err(crate::sql::constraint("tenant missing"))?
        > 0;
    if inserted {
        return Ok((Some(sent.clone()), true));
    }
    Ok((one(tx, tenant, "write_id", &sent.write_id)?, false))
}

/// Deletes `number` when its applicant was born on `birth`.
pub fn delete(
    tx: &mut Transaction<'_>,
    tenant: &TenantId,
    number: &str,
    birth: NaiveDate,
) -> StoreResult<bool> {
    let n = tx
        .execute(
            "DELETE FROM pre_applications WHERE tenant_id = $1 AND number = $2 AND birth = $3",
            &[&tenant.as_str(), &number, &birth],
        )
        .map_err(be)?;
    Ok(n > 0)
}
