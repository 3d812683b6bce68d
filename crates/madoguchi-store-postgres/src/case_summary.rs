//! The case summary (daily counts for the statistics, see `madoguchi_store::case_summary`) in
//! PostgreSQL: adjusted inside every case write, read by period, and the cases stored before it counted
//! on the first read.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use madoguchi_store::case_summary::{SummarizedCase, SummaryCount, delta};
use madoguchi_store::{StoreResult, TenantId};
use postgres::{Row, Transaction};

use crate::sql::be;

/// Pending cases counted per transaction.
const BATCH: i64 = 5_000;

/// A case row as the summary reads it.
pub struct CaseRow {
    status: String,
    opened_at: DateTime<Utc>,
    opened_by: String,
    opened_counter: String,
    updated_at: DateTime<Utc>,
    document: String,
}

impl CaseRow {
    pub fn summarized(&self) -> SummarizedCase<'_> {
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

const ROW_COLUMNS: &str =
    "c.status, c.opened_at, c.opened_by, c.opened_counter, c.updated_at, c.document";

fn case_row(r: &Row, first: usize) -> Result<CaseRow, postgres::Error> {
    Ok(CaseRow {
        status: r.try_get(first)?,
        opened_at: r.try_get(first + 1)?,
        opened_by: r.try_get(first + 2)?,
        opened_counter: r.try_get(first + 3)?,
        updated_at: r.try_get(first + 4)?,
        document: r.try_get(first + 5)?,
    })
}

/// The case as it is before a write changes it (the caller holds its row lock), and whether the
/// summary counts it already (a pending case is then no longer pending: the write counts it).
pub fn before_write(
    tx: &mut Transaction<'_>,
    tenant: &TenantId,
    seq: i64,
) -> StoreResult<(CaseRow, bool)> {
    let t = tenant.as_str();
    let pending = tx
        .execute(
            "DELETE FROM case_summary_pending WHERE tenant_id = $1 AND case_seq = $2",
            &[&t, &seq],
        )
        .map_err(be)?;
    let row = tx
        .query_one(
            &format!("SELECT {ROW_COLUMNS} FROM cases c WHERE c.tenant_id = $1 AND c.seq = $2"),
            &[&t, &seq],
        )
        .map_err(be)?;
    Ok((case_row(&row, 0).map_err(be)?, pending == 0))
}

type Delta = BTreeMap<(NaiveDate, &'static str, String), (String, i64)>;

/// Adds `changes` to the tenant's daily counts (one statement).
pub fn add(tx: &mut Transaction<'_>, tenant: &TenantId, changes: &Delta) -> StoreResult<()> {
    if changes.is_empty() {
        return Ok(());
    }
    let (mut days, mut dims, mut keys, mut labels, mut counts) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for ((day, dim, key), (label, n)) in changes {
        days.push(*day);
        dims.push(*dim);
        keys.push(key.as_str());
        labels.push(label.as_str());
        counts.push(*n);
    }
    tx.execute(
        "INSERT INTO case_daily_counts (tenant_id, day, dim, key, label, count)
         SELECT $1, d, m, k, l, n
         FROM unnest($2::date[], $3::text[], $4::text[], $5::text[], $6::bigint[]) AS u(d, m, k, l, n)
         ON CONFLICT (tenant_id, day, dim, key)
         DO UPDATE SET count = case_daily_counts.count + excluded.count",
        &[&tenant.as_str(), &days, &dims, &keys, &labels, &counts],
    )
    .map_err(be)?;
    Ok(())
}

/// Counts up to one batch of the tenant's pending cases (inside the caller's transaction); how many
/// were counted.
pub fn count_pending(tx: &mut Transaction<'_>, tenant: &TenantId) -> StoreResult<usize> {
    let t = tenant.as_str();
    // Locking the case rows makes a concurrent write to one of them wait (or be waited for).
    let rows = tx
        .query(
            &format!(
                "SELECT p.case_seq, {ROW_COLUMNS} FROM case_summary_pending p
                 JOIN cases c ON c.tenant_id = p.tenant_id AND c.seq = p.case_seq
                 WHERE p.tenant_id = $1 ORDER BY p.case_seq LIMIT $2 FOR UPDATE"
            ),
            &[&t, &BATCH],
        )
        .map_err(be)?;
    let mut changes = Delta::new();
    let mut seqs: Vec<i64> = Vec::with_capacity(rows.len());
    for r in &rows {
        seqs.push(r.try_get(0).map_err(be)?);
        let row = case_row(r, 1).map_err(be)?;
        for (k, (label, n)) in delta(None, &row.summarized()) {
            changes.entry(k).or_insert((label, 0)).1 += n;
        }
    }
    add(tx, tenant, &changes)?;
    tx.execute(
        "DELETE FROM case_summary_pending WHERE tenant_id = $1 AND case_seq = ANY($2)",
        &[&t, &seqs],
    )
    .map_err(be)?;
    Ok(rows.len())
}

/// Whether the tenant has cases not counted yet.
pub fn has_pending(tx: &mut Transaction<'_>, tenant: &TenantId) -> StoreResult<bool> {
    tx.query_one(
        "SELECT EXISTS (SELECT 1 FROM case_summary_pending WHERE tenant_id = $1)",
        &[&tenant.as_str()],
    )
    .and_then(|r| r.try_get(0))
    .map_err(be)
}

/// The summed counts of the days `from..=to`.
pub fn read(
    tx: &mut Transaction<'_>,
    tenant: &TenantId,
    from: NaiveDate,
    to: NaiveDate,
) -> StoreResult<Vec<SummaryCount>> {
    tx.query(
        "SELECT dim, key, max(label), sum(count)::bigint FROM case_daily_counts
         WHERE tenant_id = $1 AND day >= $2 AND day <= $3
         GROUP BY dim, key HAVING sum(count) <> 0",
        &[&tenant.as_str(), &from, &to],
    )
    .map_err(be)?
    .iter()
    .map(|r| {
        Ok(SummaryCount {
            dim: r.try_get(0).map_err(be)?,
            key: r.try_get(1).map_err(be)?,
            label: r.try_get(2).map_err(be)?,
            count: r.try_get(3).map_err(be)?,
        })
    })
    .collect()
}
