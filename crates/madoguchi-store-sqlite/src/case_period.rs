//! The cases and history entries of a period, for statistics and the 対応履歴 export.

use chrono::{DateTime, Utc};
use madoguchi_store::{CaseEntry, CaseHistoryRow, CaseRecord, StoreResult, TenantId};
use rusqlite::Connection;

use crate::cases::{CASE_COLUMNS, case_row, to_record};
use crate::sql::{be, parse_ts, ts};

/// Every case opened in `[from, to)`, oldest first.
pub(crate) fn opened_between(
    c: &Connection,
    tenant: &TenantId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> StoreResult<Vec<CaseRecord>> {
    let mut stmt = c
        .prepare_cached(&format!(
            "SELECT {CASE_COLUMNS} FROM cases c
             WHERE c.tenant_id = ?1 AND c.opened_at >= ?2 AND c.opened_at < ?3
             ORDER BY c.opened_at, c.rowid"
        ))
        .map_err(be)?;
    let rows = stmt
        .query_map(
            rusqlite::params![tenant.as_str(), ts(from), ts(to)],
            case_row,
        )
        .map_err(be)?;
    rows.map(|r| to_record(r.map_err(be)?.1)).collect()
}

/// How many cases were opened in `[from, to)`.
pub(crate) fn count_opened_between(
    c: &Connection,
    tenant: &TenantId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> StoreResult<u64> {
    let n: i64 = c
        .prepare_cached(
            "SELECT count(*) FROM cases WHERE tenant_id = ?1 AND opened_at >= ?2 AND opened_at < ?3",
        )
        .and_then(|mut s| {
            s.query_row(rusqlite::params![tenant.as_str(), ts(from), ts(to)], |r| r.get(0))
        })
        .map_err(be)?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// Every history entry recorded in `[from, to)`, oldest first, with its case's id and subjects.
pub(crate) fn history_between(
    c: &Connection,
    tenant: &TenantId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> StoreResult<Vec<CaseHistoryRow>> {
    let mut stmt = c
        .prepare_cached(
            "SELECT c.id, e.write_id, e.at, e.user_login, e.counter, e.terminal, e.lines,
                    (SELECT group_concat(s.atena_no, ' ') FROM
                        (SELECT atena_no FROM case_subjects WHERE case_rowid = c.rowid ORDER BY atena_no) s)
             FROM case_entries e JOIN cases c ON c.rowid = e.case_rowid
             WHERE c.tenant_id = ?1 AND e.at >= ?2 AND e.at < ?3
             ORDER BY e.at, c.id, e.rowid",
        )
        .map_err(be)?;
    let rows = stmt
        .query_map(rusqlite::params![tenant.as_str(), ts(from), ts(to)], |r| {
            Ok((
                r.get::<_, String>(0)?,
                [
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(6)?,
                ],
                r.get::<_, Option<String>>(5)?,
                r.get::<_, Option<String>>(7)?,
            ))
        })
        .map_err(be)?;
    rows.map(|r| {
        let (case_id, [write_id, at, user, counter, lines], terminal, subjects) = r.map_err(be)?;
        Ok(CaseHistoryRow {
            case_id,
            subjects: subjects
                .map(|s| s.split(' ').map(str::to_owned).collect())
                .unwrap_or_default(),
            entry: CaseEntry {
                write_id,
                at: parse_ts(&at)?,
                user,
                counter,
                terminal,
                lines: lines.lines().map(str::to_owned).collect(),
            },
        })
    })
    .collect()
}
