//! The case summary (daily counts for the statistics, see `madoguchi_store::case_summary`) in SQLite:
//! adjusted inside every case write, read by period, and the cases stored before it counted on the
//! first read.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use madoguchi_store::case_summary::{SummarizedCase, SummaryCount, delta};
use madoguchi_store::{StoreResult, TenantId};
use rusqlite::{Connection, params};

use crate::sql::{be, parse_ts};

/// Pending cases counted per transaction.
const BATCH: i64 = 5_000;

/// A case row as the summary reads it: status, opened at, by, counter, updated at, document.
pub(crate) struct CaseRow {
    status: String,
    opened_at: DateTime<Utc>,
    opened_by: String,
    opened_counter: String,
    updated_at: DateTime<Utc>,
    document: String,
}

impl CaseRow {
    pub(crate) fn summarized(&self) -> SummarizedCase<'_> {
        SummarizedCase {
            status: &self.status,
            opened_at: self.opened_at,
            opened_by: &self.opened_by,
            opened_counter: &self.opened_counter,
            updated_at: self.updated_at,
            document: &self.document,
        }
    }
}

fn case_row(r: &rusqlite::Row<'_>, first: usize) -> rusqlite::Result<[String; 6]> {
    Ok([
        r.get(first)?,
        r.get(first + 1)?,
        r.get(first + 2)?,
        r.get(first + 3)?,
        r.get(first + 4)?,
        r.get(first + 5)?,
    ])
}

fn to_case_row(f: [String; 6]) -> StoreResult<CaseRow> {
    let [
        status,
        opened_at,
        opened_by,
        opened_counter,
        updated_at,
        document,
    ] = f;
    Ok(CaseRow {
        status,
        opened_at: parse_ts(&opened_at)?,
        opened_by,
        opened_counter,
        updated_at: parse_ts(&updated_at)?,
        document,
    })
}

const ROW_COLUMNS: &str =
    "c.status, c.opened_at, c.opened_by, c.opened_counter, c.updated_at, c.document";

/// The case as it is before a write changes it, and whether the summary counts it already (a
/// pending case is then no longer pending: the write counts it).
pub(crate) fn before_write(c: &Connection, rowid: i64) -> StoreResult<(CaseRow, bool)> {
    let pending = c
        .execute(
            "DELETE FROM case_summary_pending WHERE case_rowid = ?1",
            [rowid],
        )
        .map_err(be)?;
    let f = c
        .query_row(
            &format!("SELECT {ROW_COLUMNS} FROM cases c WHERE c.rowid = ?1"),
            [rowid],
            |r| case_row(r, 0),
        )
        .map_err(be)?;
    Ok((to_case_row(f)?, pending == 0))
}

type Delta = BTreeMap<(NaiveDate, &'static str, String), (String, i64)>;

/// Adds `changes` to the tenant's daily counts.
pub(crate) fn add(c: &Connection, tenant: &TenantId, changes: &Delta) -> StoreResult<()> {
    let mut stmt = c
        .prepare_cached(
            "INSERT INTO case_daily_counts (tenant_id, day, dim, key, label, count)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (tenant_id, day, dim, key) DO UPDATE SET count = count + excluded.count",
        )
        .map_err(be)?;
    for ((day, dim, key), (label, n)) in changes {
        stmt.execute(params![
            tenant.as_str(),
            day.to_string(),
            dim,
            key,
            label,
            n
        ])
        .map_err(be)?;
    }
    Ok(())
}

/// Whether the tenant has cases not counted yet.
pub(crate) fn has_pending(c: &Connection, tenant: &TenantId) -> StoreResult<bool> {
    c.query_row(
        "SELECT EXISTS (SELECT 1 FROM case_summary_pending WHERE tenant_id = ?1)",
        [tenant.as_str()],
        |r| r.get(0),
    )
    .map_err(be)
}

/// Counts up to one batch of the tenant's pending cases (inside the caller's write transaction);
/// how many were counted.
pub(crate) fn count_pending(c: &Connection, tenant: &TenantId) -> StoreResult<usize> {
    let mut stmt = c
        .prepare_cached(&format!(
            "SELECT p.case_rowid, {ROW_COLUMNS} FROM case_summary_pending p
             LEFT JOIN cases c ON c.rowid = p.case_rowid
             WHERE p.tenant_id = ?1 ORDER BY p.case_rowid LIMIT ?2"
        ))
        .map_err(be)?;
    let rows = stmt
        .query_map(params![tenant.as_str(), BATCH], |r| {
            Ok((r.get::<_, i64>(0)?, case_row(r, 1).ok()))
        })
        .map_err(be)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(be)?;
    let mut changes = Delta::new();
    for (_, fields) in &rows {
        // A case deleted since (its tenant's data removed) counts nothing.
        let Some(f) = fields else { continue };
        let row = to_case_row(f.clone())?;
        for (k, (label, n)) in delta(None, &row.summarized()) {
            changes.entry(k).or_insert((label, 0)).1 += n;
        }
    }
    add(c, tenant, &changes)?;
    let last = rows.last().map_or(0, |(id, _)| *id);
    c.execute(
        "DELETE FROM case_summary_pending WHERE tenant_id = ?1 AND case_rowid <= ?2",
        params![tenant.as_str(), last],
    )
    .map_err(be)?;
    Ok(rows.len())
}

/// The summed counts of the days `from..=to`.
pub(crate) fn read(
    c: &Connection,
    tenant: &TenantId,
    from: NaiveDate,
    to: NaiveDate,
) -> StoreResult<Vec<SummaryCount>> {
    let mut stmt = c
        .prepare_cached(
            "SELECT dim, key, max(label), sum(count) FROM case_daily_counts
             WHERE tenant_id = ?1 AND day >= ?2 AND day <= ?3
             GROUP BY dim, key HAVING sum(count) <> 0",
        )
        .map_err(be)?;
    let rows = stmt
        .query_map(
            params![tenant.as_str(), from.to_string(), to.to_string()],
            |r| {
                Ok(SummaryCount {
                    dim: r.get(0)?,
                    key: r.get(1)?,
                    label: r.get(2)?,
                    count: r.get(3)?,
                })
            },
        )
        .map_err(be)?;
    rows.map(|r| r.map_err(be)).collect()
}
