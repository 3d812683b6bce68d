//! 転入予約 (`arrival_reservations`) and the `tenshutsu` feed's notices, in PostgreSQL.

use chrono::{DateTime, NaiveDate, Utc};
use madoguchi_store::{
    ImportCounts, IncomingMove, Reservation, ReservationChange, ReservationSource,
    ReservationStatus, StoreError, StoreResult, TenantId,
};
use postgres::Transaction;

use crate::sql::be;

const COLUMNS: &str =
    "notice_no, expected_on, source, status, prepared_case_id, problem, updated_at";

/// Stores the file's notices and applies its reservation changes (inside the ledgered transaction).
pub fn apply_file(
    tx: &mut Transaction<'_>,
    tenant: &TenantId,
    notices: &[IncomingMove],
    changes: &[ReservationChange],
) -> StoreResult<ImportCounts> {
    let mut counts = ImportCounts::default();
    for n in notices {
        let existed = incoming_move(tx, tenant, &n.notice_no)?.is_some();
        crate::cases::put_incoming(tx, tenant, n)?;
        if existed {
            counts.updated += 1;
        } else {
            counts.inserted += 1;
        }
    }
    let now = Utc::now();
    for ch in changes {
        match ch {
            ReservationChange::Expect {
                notice_no,
                expected_on,
                source,
            } => {
                tx.execute(
                    "INSERT INTO arrival_reservations (tenant_id, notice_no, expected_on, source,
                         status, updated_at) VALUES ($1, $2, $3, $4, 'planned', $5)
                     ON CONFLICT (tenant_id, notice_no) DO UPDATE SET
                         expected_on = excluded.expected_on, source = excluded.source,
                         updated_at = excluded.updated_at,
                         status = CASE WHEN arrival_reservations.status = 'cancelled' THEN 'planned'
                                       ELSE arrival_reservations.status END",
                    &[
                        &tenant.as_str(),
                        notice_no,
                        expected_on,
                        &source.as_str(),
                        &now,
                    ],
                )
                .map_err(be)?;
            }
            ReservationChange::Cancel { notice_no } => {
                let n = tx
                    .execute(
                        "UPDATE arrival_reservations SET status = 'cancelled', updated_at = $3
                         WHERE tenant_id = $1 AND notice_no = $2",
                        &[&tenant.as_str(), notice_no, &now],
                    )
                    .map_err(be)?;
                counts.removed += n;
            }
        }
    }
    Ok(counts)
}

pub fn incoming_move(
    tx: &mut Transaction<'_>,
    tenant: &TenantId,
    notice_no: &str,
) -> StoreResult<Option<IncomingMove>> {
    let row = tx
        .query_opt(
            "SELECT received_at, search_keys, document FROM incoming_moves
             WHERE tenant_id = $1 AND notice_no = $2",
            &[&tenant.as_str(), &notice_no],
        )
        .map_err(be)?;
    Ok(row.map(|r| IncomingMove {
        notice_no: notice_no.to_owned(),
        received_at: r.get(0),
        search_keys: r.get(1),
        document: r.get(2),
    }))
}

pub fn put_reservation(
    tx: &mut Transaction<'_>,
    tenant: &TenantId,
    r: &Reservation,
) -> StoreResult<()> {
    tx.execute(
        "INSERT INTO arrival_reservations (tenant_id, notice_no, expected_on, source, status,
             prepared_case_id, problem, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (tenant_id, notice_no) DO UPDATE SET expected_on = excluded.expected_on,
             source = excluded.source, status = excluded.status,
             prepared_case_id = excluded.prepared_case_id, problem = excluded.problem,
             updated_at = excluded.updated_at",
        &[
            &tenant.as_str(),
            &r.notice_no,
            &r.expected_on,
            &r.source.as_str(),
            &r.status.as_str(),
            &r.prepared_case_id,
            &r.problem,
            &r.updated_at,
        ],
    )
    .map_err(crate::sql::constraint("tenant missing"))?;
    Ok(())
}

fn to_reservation(r: &postgres::Row) -> StoreResult<Reservation> {
    let bad = |what: &str| StoreError::Backend(format!("bad reservation {what} in store"));
    let source: String = r.get(2);
    let status: String = r.get(3);
    let updated_at: DateTime<Utc> = r.get(6);
    Ok(Reservation {
        notice_no: r.get(0),
        expected_on: r.get(1),
        source: ReservationSource::parse(&source).ok_or_else(|| bad("source"))?,
        status: ReservationStatus::parse(&status).ok_or_else(|| bad("status"))?,
        prepared_case_id: r.get(4),
        problem: r.get(5),
        updated_at,
    })
}

pub fn reservation(
    tx: &mut Transaction<'_>,
    tenant: &TenantId,
    notice_no: &str,
) -> StoreResult<Option<Reservation>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM arrival_reservations WHERE tenant_id = $1 AND notice_no = $2"
    );
    tx.query_opt(&sql, &[&tenant.as_str(), &notice_no])
        .map_err(be)?
        .as_ref()
        .map(to_reservation)
        .transpose()
}

/// Every reservation of the tenant, by notice number (the hand-over).
pub fn all_reservations(
    tx: &mut Transaction<'_>,
    tenant: &TenantId,
) -> StoreResult<Vec<Reservation>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM arrival_reservations WHERE tenant_id = $1 ORDER BY notice_no"
    );
    tx.query(&sql, &[&tenant.as_str()])
        .map_err(be)?
        .iter()
        .map(to_reservation)
        .collect()
}

pub fn reservations_on(
    tx: &mut Transaction<'_>,
    tenant: &TenantId,
    day: NaiveDate,
) -> StoreResult<Vec<Reservation>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM arrival_reservations WHERE tenant_id = $1 AND expected_on = $2
         ORDER BY notice_no"
    );
    tx.query(&sql, &[&tenant.as_str(), &day])
        .map_err(be)?
        .iter()
        .map(to_reservation)
        .collect()
}

pub fn set_state(
    tx: &mut Transaction<'_>,
    tenant: &TenantId,
    notice_no: &str,
    status: ReservationStatus,
    prepared_case_id: Option<&str>,
    problem: Option<&str>,
) -> StoreResult<bool> {
    let n = tx
        .execute(
            "UPDATE arrival_reservations SET status = $3, prepared_case_id = $4, problem = $5,
                 updated_at = $6 WHERE tenant_id = $1 AND notice_no = $2",
            &[
                &tenant.as_str(),
                &notice_no,
                &status.as_str(),
                &prepared_case_id,
                &problem,
                &Utc::now(),
            ],
        )
        .map_err(be)?;
    Ok(n > 0)
}
