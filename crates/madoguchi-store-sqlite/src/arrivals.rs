//! 転入予約 (`arrival_reservations`) and the `tenshutsu` feed's notices, in SQLite.

use chrono::{NaiveDate, Utc};
use madoguchi_store::{
    ImportCounts, IncomingMove, Reservation, ReservationChange, ReservationSource,
    ReservationStatus, StoreError, StoreResult, TenantId,
};
use rusqlite::{Connection, OptionalExtension, params};

use crate::feeds::date;
use crate::sql::{be, parse_ts, ts};

const COLUMNS: &str =
    "notice_no, expected_on, source, status, prepared_case_id, problem, updated_at";

/// Stores the file's notices and applies its reservation changes (inside the ledgered transaction).
pub fn apply_file(
    c: &Connection,
    tenant: &TenantId,
    notices: &[IncomingMove],
    changes: &[ReservationChange],
) -> StoreResult<ImportCounts> {
    let mut counts = ImportCounts::default();
    for n in notices {
        let existed = incoming_move(c, tenant, &n.notice_no)?.is_some();
        crate::cases::put_incoming(c, tenant, n)?;
        if existed {
            counts.updated += 1;
        } else {
            counts.inserted += 1;
        }
    }
    let now = ts(Utc::now());
    for ch in changes {
        match ch {
            ReservationChange::Expect {
                notice_no,
                expected_on,
                source,
            } => {
                c.execute(
                    "INSERT INTO arrival_reservations (tenant_id, notice_no, expected_on, source,
                         status, updated_at) VALUES (?1, ?2, ?3, ?4, 'planned', ?5)
                     ON CONFLICT (tenant_id, notice_no) DO UPDATE SET expected_on = excluded.expected_on,
                         source = excluded.source, updated_at = excluded.updated_at,
                         status = CASE WHEN status = 'cancelled' THEN 'planned' ELSE status END",
                    params![tenant.as_str(), notice_no, date(Some(*expected_on)), source.as_str(), now],
                )
                .map_err(be)?;
            }
            ReservationChange::Cancel { notice_no } => {
                let n = c
                    .execute(
                        "UPDATE arrival_reservations SET status = 'cancelled', updated_at = ?3
                         WHERE tenant_id = ?1 AND notice_no = ?2",
                        params![tenant.as_str(), notice_no, now],
                    )
                    .map_err(be)?;
                counts.removed += n as u64;
            }
        }
    }
    Ok(counts)
}

pub fn incoming_move(
    c: &Connection,
    tenant: &TenantId,
    notice_no: &str,
) -> StoreResult<Option<IncomingMove>> {
    let row = c
        .query_row(
            "SELECT received_at, search_keys, document FROM incoming_moves
             WHERE tenant_id = ?1 AND notice_no = ?2",
            params![tenant.as_str(), notice_no],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            },
        )
        .optional()
        .map_err(be)?;
    row.map(|(at, keys, document)| {
        Ok(IncomingMove {
            notice_no: notice_no.to_owned(),
            received_at: parse_ts(&at)?,
            search_keys: keys.split_whitespace().map(str::to_owned).collect(),
            document,
        })
    })
    .transpose()
}

pub fn put_reservation(c: &Connection, tenant: &TenantId, r: &Reservation) -> StoreResult<()> {
    c.execute(
        "INSERT INTO arrival_reservations (tenant_id, notice_no, expected_on, source, status,
             prepared_case_id, problem, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (tenant_id, notice_no) DO UPDATE SET expected_on = excluded.expected_on,
             source = excluded.source, status = excluded.status,
             prepared_case_id = excluded.prepared_case_id, problem = excluded.problem,
             updated_at = excluded.updated_at",
        params![
            tenant.as_str(),
            r.notice_no,
            date(Some(r.expected_on)),
            r.source.as_str(),
            r.status.as_str(),
            r.prepared_case_id,
            r.problem,
            ts(r.updated_at)
        ],
    )
    .map_err(crate::sql::constraint("tenant missing"))?;
    Ok(())
}

type Row = (
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    String,
);

fn read_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
    ))
}

fn to_reservation(row: Row) -> StoreResult<Reservation> {
    let (notice_no, expected_on, source, status, prepared_case_id, problem, updated_at) = row;
    let bad = |what: &str| StoreError::Backend(format!("bad reservation {what} in store"));
    Ok(Reservation {
        notice_no,
        expected_on: NaiveDate::parse_from_str(&expected_on, "%Y-%m-%d")
            .map_err(|_| bad("date"))?,
        source: ReservationSource::parse(&source).ok_or_else(|| bad("source"))?,
        status: ReservationStatus::parse(&status).ok_or_else(|| bad("status"))?,
        prepared_case_id,
        problem,
        updated_at: parse_ts(&updated_at)?,
    })
}

pub fn reservation(
    c: &Connection,
    tenant: &TenantId,
    notice_no: &str,
) -> StoreResult<Option<Reservation>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM arrival_reservations WHERE tenant_id = ?1 AND notice_no = ?2"
    );
    c.query_row(&sql, params![tenant.as_str(), notice_no], read_row)
        .optional()
        .map_err(be)?
        .map(to_reservation)
        .transpose()
}

/// Every reservation of the tenant, by notice number (the hand-over).
pub fn all_reservations(c: &Connection, tenant: &TenantId) -> StoreResult<Vec<Reservation>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM arrival_reservations WHERE tenant_id = ?1 ORDER BY notice_no"
    );
    let mut stmt = c.prepare(&sql).map_err(be)?;
    let rows = stmt
        .query_map(params![tenant.as_str()], read_row)
        .map_err(be)?;
    rows.map(|r| to_reservation(r.map_err(be)?)).collect()
}

pub fn reservations_on(
    c: &Connection,
    tenant: &TenantId,
    day: NaiveDate,
) -> StoreResult<Vec<Reservation>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM arrival_reservations WHERE tenant_id = ?1 AND expected_on = ?2
         ORDER BY notice_no"
    );
    let mut stmt = c.prepare_cached(&sql).map_err(be)?;
    let rows = stmt
        .query_map(params![tenant.as_str(), date(Some(day))], read_row)
        .map_err(be)?;
    rows.map(|r| to_reservation(r.map_err(be)?)).collect()
}

pub fn set_state(
    c: &Connection,
    tenant: &TenantId,
    notice_no: &str,
    status: ReservationStatus,
    prepared_case_id: Option<&str>,
    problem: Option<&str>,
) -> StoreResult<bool> {
    let n = c
        .execute(
            "UPDATE arrival_reservations SET status = ?3, prepared_case_id = ?4, problem = ?5,
                 updated_at = ?6 WHERE tenant_id = ?1 AND notice_no = ?2",
            params![
                tenant.as_str(),
                notice_no,
                status.as_str(),
                prepared_case_id,
                problem,
                ts(Utc::now())
            ],
        )
        .map_err(be)?;
    Ok(n > 0)
}
