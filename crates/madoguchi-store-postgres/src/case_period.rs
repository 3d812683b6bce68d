//! The cases and history entries of a period, for statistics and the 対応履歴 export.

use chrono::{DateTime, Utc};
use madoguchi_store::{CaseEntry, CaseHistoryRow, CaseRecord, StoreResult, TenantId};
use postgres::Transaction;

use crate::cases::{CASE_COLUMNS, case_row};
use crate::sql::be;

/// Every case opened in `[from, to)`, oldest first.
pub fn opened_between(
    tx: &mut Transaction<'_>,
    tenant: &TenantId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> StoreResult<Vec<CaseRecord>> {
    tx.query(
        &format!(
            "SELECT {CASE_COLUMNS} FROM cases c
             WHERE c.tenant_id = $1 AND c.opened_at >= $2 AND c.opened_at < $3
             ORDER BY c.opened_at, c.seq"
        ),
        &[&tenant.as_str(), &from, &to],
    )
    .map_err(be)?
    .iter()
    .map(|r| case_row(r).map(|(_, c)| c))
    .collect()
}

/// How many cases were opened in `[from, to)`.
pub fn count_opened_between(
    tx: &mut Transaction<'_>,
    tenant: &TenantId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> StoreResult<u64> {
    let n: i64 = tx
        .query_one(
            "SELECT count(*) FROM cases WHERE tenant_id = $1 AND opened_at >= $2 AND opened_at < $3",
            &[&tenant.as_str(), &from, &to],
        )
        .and_then(|r| r.try_get(0))
        .map_err(be)?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// Every history entry recorded in `[from, to)`, oldest first, with its case's id and subjects.
pub fn history_between(
    tx: &mut Transaction<'_>,
    tenant: &TenantId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> StoreResult<Vec<CaseHistoryRow>> {
    tx.query(
        "SELECT c.id, e.write_id, e.at, e.user_login, e.counter, e.terminal, e.lines,
                ARRAY(SELECT s.atena_no FROM case_subjects s
                      WHERE s.tenant_id = c.tenant_id AND s.case_seq = c.seq ORDER BY s.atena_no)
         FROM case_entries e JOIN cases c ON c.seq = e.case_seq
         WHERE e.tenant_id = $1 AND c.tenant_id = $1 AND e.at >= $2 AND e.at < $3
         ORDER BY e.at, c.id, e.seq",
        &[&tenant.as_str(), &from, &to],
    )
    .map_err(be)?
    .iter()
    .map(|r| {
        Ok(CaseHistoryRow {
            case_id: r.try_get(0).map_err(be)?,
            subjects: r.try_get(7).map_err(be)?,
            entry: CaseEntry {
                write_id: r.try_get(1).map_err(be)?,
                at: r.try_get(2).map_err(be)?,
                user: r.try_get(3).map_err(be)?,
                counter: r.try_get(4).map_err(be)?,
                terminal: r.try_get(5).map_err(be)?,
                lines: r.try_get(6).map_err(be)?,
            },
        })
    })
    .collect()
}
