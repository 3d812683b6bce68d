//! Cases (案件), 転出証明書情報 notices and the city's 町字 list.

use chrono::{DateTime, Utc};
use madoguchi_store::{
    CaseEntry, CaseFilter, CaseRecord, CaseSaved, CaseWrite, IncomingMove, StoreError, StoreResult,
    TenantId, Town,
};
use postgres::types::ToSql;
use postgres::{Row, Transaction};

use crate::sql::be;

/// Applies a case write inside the caller's transaction (which has the tenant set).
pub fn save(tx: &mut Transaction<'_>, tenant: &TenantId, w: &CaseWrite) -> StoreResult<CaseSaved> {
    let t = tenant.as_str();
    // The row lock makes concurrent writes to one case take turns (revision check, then update).
    let existing: Option<(i64, i64)> = tx
        .query_opt(
            "SELECT seq, revision FROM cases WHERE tenant_id = $1 AND id = $2 FOR UPDATE",
            &[&t, &w.case_id],
        )
        .map_err(be)?
        .map(|r| (r.get(0), r.get(1)));
    if let Some((seq, revision)) = existing {
        let seen = tx
            .query_opt(
                "SELECT 1 FROM case_entries WHERE tenant_id = $1 AND case_seq = $2 AND write_id = $3",
                &[&t, &seq, &w.entry.write_id],
            )
            .map_err(be)?;
        if seen.is_some() {
            return Ok(CaseSaved::AlreadyApplied(revision));
        }
    }
    let at = w.entry.at;
    let mut before = None;
    let (seq, revision) = match (existing, w.expected_revision) {
        (Some(_), None) => return Err(StoreError::Conflict("case id exists".into())),
        (None, Some(_)) => return Err(StoreError::NotFound("case".into())),
        (Some((_, current)), Some(expected)) if current != expected => {
            return Err(StoreError::Conflict(format!(
                "case revision is {current}, not {expected}"
            )));
        }
        (None, None) => {
            let row = tx
                .query_opt(
                    "INSERT INTO cases (tenant_id, id, revision, status, title, opened_at, opened_by,
                         opened_counter, updated_at, updated_by, updated_counter, document)
                     VALUES ($1, $2, 1, $3, $4, $5, $6, $7, $5, $6, $7, $8)
                     ON CONFLICT (tenant_id, id) DO NOTHING
                     RETURNING seq",
                    &[
                        &t,
                        &w.case_id,
                        &w.status,
                        &w.title,
                        &at,
                        &w.entry.user,
                        &w.entry.counter,
                        &w.document,
                    ],
                )
                .map_err(be)?;
            // Created by a concurrent write since the check above.
            let row = row.ok_or_else(|| StoreError::Conflict("case id exists".into()))?;
            (row.get::<_, i64>(0), 1)
        }
        (Some((seq, current)), Some(_)) => {
            before = Some(crate::case_summary::before_write(tx, tenant, seq)?);
            tx.execute(
                "UPDATE cases SET revision = $3, status = $4, title = $5, updated_at = $6,
                     updated_by = $7, updated_counter = $8, document = $9
                 WHERE tenant_id = $1 AND seq = $2",
                &[
                    &t,
                    &seq,
                    &(current + 1),
                    &w.status,
                    &w.title,
                    &at,
                    &w.entry.user,
                    &w.entry.counter,
                    &w.document,
                ],
            )
            .map_err(be)?;
            tx.execute(
                "DELETE FROM case_procedures WHERE tenant_id = $1 AND case_seq = $2",
                &[&t, &seq],
            )
            .map_err(be)?;
            tx.execute(
                "DELETE FROM case_subjects WHERE tenant_id = $1 AND case_seq = $2",
                &[&t, &seq],
            )
            .map_err(be)?;
            (seq, current + 1)
        }
    };
    summarize(tx, tenant, w, before.as_ref())?;
    tx.execute(
        "INSERT INTO case_procedures (tenant_id, case_seq, code)
         SELECT $1, $2, code FROM unnest($3::text[]) AS p(code) ON CONFLICT DO NOTHING",
        &[&t, &seq, &w.procedures],
    )
    .map_err(be)?;
    tx.execute(
        "INSERT INTO case_subjects (tenant_id, case_seq, atena_no)
         SELECT $1, $2, atena_no FROM unnest($3::text[]) AS s(atena_no) ON CONFLICT DO NOTHING",
        &[&t, &seq, &w.subjects],
    )
    .map_err(be)?;
    tx.execute(
        "INSERT INTO case_entries (tenant_id, case_seq, write_id, at, user_login, counter, terminal, lines)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        &[
            &t,
            &seq,
            &w.entry.write_id,
            &at,
            &w.entry.user,
            &w.entry.counter,
            &w.entry.terminal,
            &w.entry.lines,
        ],
    )
    .map_err(be)?;
    Ok(CaseSaved::Applied(revision))
}

/// Moves the case's counts in the summary from how it was counted (`before`: the row before the
/// write, and whether it was counted) to the write.
fn summarize(
    tx: &mut Transaction<'_>,
    tenant: &TenantId,
    w: &CaseWrite,
    before: Option<&(crate::case_summary::CaseRow, bool)>,
) -> StoreResult<()> {
    let was = before.map(|(row, _)| row.summarized());
    let new = madoguchi_store::case_summary::SummarizedCase {
        status: &w.status,
        opened_at: was.as_ref().map_or(w.entry.at, |o| o.opened_at),
        opened_by: was.as_ref().map_or(&w.entry.user, |o| o.opened_by),
        opened_counter: was.as_ref().map_or(&w.entry.counter, |o| o.opened_counter),
        updated_at: w.entry.at,
        document: &w.document,
    };
    let counted = was.as_ref().filter(|_| before.is_some_and(|(_, c)| *c));
    let changes = madoguchi_store::case_summary::delta(counted, &new);
    crate::case_summary::add(tx, tenant, &changes)
}

pub(crate) const CASE_COLUMNS: &str =
    "c.seq, c.id, c.revision, c.status, c.title, c.opened_at, c.opened_by,
    c.opened_counter, c.updated_at, c.updated_by, c.updated_counter, c.document";

pub(crate) fn case_row(r: &Row) -> StoreResult<(i64, CaseRecord)> {
    let g = |e: postgres::Error| be(e);
    Ok((
        r.try_get(0).map_err(g)?,
        CaseRecord {
            id: r.try_get(1).map_err(g)?,
            revision: r.try_get(2).map_err(g)?,
            status: r.try_get(3).map_err(g)?,
            title: r.try_get(4).map_err(g)?,
            opened_at: r.try_get(5).map_err(g)?,
            opened_by: r.try_get(6).map_err(g)?,
            opened_counter: r.try_get(7).map_err(g)?,
            updated_at: r.try_get(8).map_err(g)?,
            updated_by: r.try_get(9).map_err(g)?,
            updated_counter: r.try_get(10).map_err(g)?,
            document: r.try_get(11).map_err(g)?,
        },
    ))
}

pub fn get(
    tx: &mut Transaction<'_>,
    tenant: &TenantId,
    id: &str,
) -> StoreResult<Option<(CaseRecord, Vec<CaseEntry>)>> {
    let t = tenant.as_str();
    let row = tx
        .query_opt(
            &format!("SELECT {CASE_COLUMNS} FROM cases c WHERE c.tenant_id = $1 AND c.id = $2"),
            &[&t, &id],
        )
        .map_err(be)?;
    let Some(row) = row else {
        return Ok(None);
    };
    let (seq, record) = case_row(&row)?;
    let entries = tx
        .query(
            "SELECT write_id, at, user_login, counter, terminal, lines FROM case_entries
             WHERE tenant_id = $1 AND case_seq = $2 ORDER BY at, seq",
            &[&t, &seq],
        )
        .map_err(be)?
        .iter()
        .map(|r| {
            Ok(CaseEntry {
                write_id: r.try_get(0).map_err(be)?,
                at: r.try_get(1).map_err(be)?,
                user: r.try_get(2).map_err(be)?,
                counter: r.try_get(3).map_err(be)?,
                terminal: r.try_get(4).map_err(be)?,
                lines: r.try_get(5).map_err(be)?,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    Ok(Some((record, entries)))
}

pub fn find(
    tx: &mut Transaction<'_>,
    tenant: &TenantId,
    f: &CaseFilter,
) -> StoreResult<Vec<CaseRecord>> {
    let mut args: Vec<Box<dyn ToSql + Sync>> = vec![Box::new(tenant.as_str().to_owned())];
    let mut sql = format!("SELECT {CASE_COLUMNS} FROM cases c WHERE c.tenant_id = $1");
    let mut push = |sql: &mut String, clause: &str, v: Box<dyn ToSql + Sync>| {
        args.push(v);
        sql.push_str(&clause.replace('?', &format!("${}", args.len())));
    };
    let ts = |t: DateTime<Utc>| -> Box<dyn ToSql + Sync> { Box::new(t) };
    if let Some(from) = f.from {
        push(&mut sql, " AND c.opened_at >= ?", ts(from));
    }
    if let Some(to) = f.to {
        push(&mut sql, " AND c.opened_at < ?", ts(to));
    }
    if let Some(status) = &f.status {
        push(&mut sql, " AND c.status = ?", Box::new(status.clone()));
    }
    if let Some(user) = &f.user {
        push(
            &mut sql,
            " AND EXISTS (SELECT 1 FROM case_entries e WHERE e.tenant_id = c.tenant_id
                          AND e.case_seq = c.seq AND e.user_login = ?)",
            Box::new(user.clone()),
        );
    }
    if let Some(code) = &f.procedure {
        push(
            &mut sql,
            " AND EXISTS (SELECT 1 FROM case_procedures p WHERE p.tenant_id = c.tenant_id
                          AND p.case_seq = c.seq AND p.code = ?)",
            Box::new(code.clone()),
        );
    }
    sql.push_str(&format!(
        " ORDER BY c.opened_at DESC, c.seq DESC LIMIT {}",
        f.limit.clamp(1, 500)
    ));
    let refs: Vec<&(dyn ToSql + Sync)> = args.iter().map(|b| b.as_ref()).collect();
    tx.query(&sql, &refs)
        .map_err(be)?
        .iter()
        .map(|r| case_row(r).map(|(_, c)| c))
        .collect()
}

pub fn put_incoming(
    tx: &mut Transaction<'_>,
    tenant: &TenantId,
    m: &IncomingMove,
) -> StoreResult<()> {
    tx.execute(
        "INSERT INTO incoming_moves (tenant_id, notice_no, received_at, search_keys, document)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (tenant_id, notice_no) DO UPDATE SET received_at = excluded.received_at,
             search_keys = excluded.search_keys, document = excluded.document",
        &[
            &tenant.as_str(),
            &m.notice_no,
            &m.received_at,
            &m.search_keys,
            &m.document,
        ],
    )
    .map_err(crate::sql::constraint("tenant missing"))?;
    Ok(())
}

pub fn search_incoming(
    tx: &mut Transaction<'_>,
    tenant: &TenantId,
    key: &str,
    limit: usize,
) -> StoreResult<Vec<IncomingMove>> {
    if key.contains('\0') {
        return Ok(Vec::new());
    }
    // A member's name or kana key that starts with the query.
    tx.query(
        "SELECT notice_no, received_at, search_keys, document FROM incoming_moves m
         WHERE tenant_id = $1 AND EXISTS (SELECT 1 FROM unnest(m.search_keys) AS k(key)
                                          WHERE starts_with(k.key, $2))
         ORDER BY received_at DESC, notice_no COLLATE \"C\" LIMIT $3",
        &[&tenant.as_str(), &key, &(limit.clamp(1, 100) as i64)],
    )
    .map_err(be)?
    .iter()
    .map(|r| {
        Ok(IncomingMove {
            notice_no: r.try_get(0).map_err(be)?,
            received_at: r.try_get(1).map_err(be)?,
            search_keys: r.try_get(2).map_err(be)?,
            document: r.try_get(3).map_err(be)?,
        })
    })
    .collect()
}

/// Rebuilds the tenant's 町字 list from its residents (inside the import's transaction).
pub fn rebuild_towns(tx: &mut Transaction<'_>, tenant: &TenantId) -> StoreResult<()> {
    let t = tenant.as_str();
    tx.execute("DELETE FROM towns WHERE tenant_id = $1", &[&t])
        .map_err(be)?;
    tx.execute(
        "INSERT INTO towns (tenant_id, town, town_code, prefecture, city, postal_code)
         SELECT tenant_id, town, min(town_code), min(prefecture COLLATE \"C\"), min(city COLLATE \"C\"),
                min(postal_code COLLATE \"C\")
         FROM residents WHERE tenant_id = $1 AND status = 1 GROUP BY tenant_id, town",
        &[&t],
    )
    .map_err(be)?;
    Ok(())
}

pub fn towns(tx: &mut Transaction<'_>, tenant: &TenantId) -> StoreResult<Vec<Town>> {
    tx.query(
        "SELECT town, town_code, prefecture, city, postal_code FROM towns WHERE tenant_id = $1
         ORDER BY town_code IS NULL, town_code, town",
        &[&tenant.as_str()],
    )
    .map_err(be)?
    .iter()
    .map(|r| {
        Ok(Town {
            town: r.try_get(0).map_err(be)?,
            town_code: r.try_get(1).map_err(be)?,
            prefecture: r.try_get(2).map_err(be)?,
            city: r.try_get(3).map_err(be)?,
            postal_code: r.try_get(4).map_err(be)?,
        })
    })
    .collect()
}

pub fn outbound_candidates(
    tx: &mut Transaction<'_>,
    tenant: &TenantId,
    kind: &str,
    statuses: &[&str],
    limit: usize,
) -> StoreResult<Vec<CaseRecord>> {
    if statuses.is_empty() {
        return Ok(Vec::new());
    }
    let limit = i64::try_from(limit.clamp(1, 100_000)).unwrap_or(100_000);
    tx.query(
        &format!(
            "SELECT {CASE_COLUMNS} FROM cases c WHERE c.tenant_id = $1 AND c.status = ANY($3)
               AND NOT EXISTS (SELECT 1 FROM outbound_cases o
                               WHERE o.tenant_id = c.tenant_id AND o.kind = $2 AND o.case_id = c.id)
             ORDER BY c.updated_at, c.seq LIMIT $4"
        ),
        &[&tenant.as_str(), &kind, &statuses, &limit],
    )
    .map_err(be)?
    .iter()
    .map(|r| Ok(case_row(r)?.1))
    .collect()
}

pub fn case_ids(tx: &mut Transaction<'_>, tenant: &TenantId) -> StoreResult<Vec<String>> {
    tx.query(
        "SELECT id FROM cases WHERE tenant_id = $1 ORDER BY opened_at, seq",
        &[&tenant.as_str()],
    )
    .map_err(be)?
    .iter()
    .map(|r| r.try_get(0).map_err(be))
    .collect()
}

pub fn all_incoming(tx: &mut Transaction<'_>, tenant: &TenantId) -> StoreResult<Vec<IncomingMove>> {
    tx.query(
        "SELECT notice_no, received_at, search_keys, document FROM incoming_moves
         WHERE tenant_id = $1 ORDER BY received_at, notice_no COLLATE \"C\"",
        &[&tenant.as_str()],
    )
    .map_err(be)?
    .iter()
    .map(|r| {
        Ok(IncomingMove {
            notice_no: r.try_get(0).map_err(be)?,
            received_at: r.try_get(1).map_err(be)?,
            search_keys: r.try_get(2).map_err(be)?,
            document: r.try_get(3).map_err(be)?,
        })
    })
    .collect()
}

/// Writes a case as another system had it, with its history and search keys.
pub fn restore(
    tx: &mut Transaction<'_>,
    tenant: &TenantId,
    case: &CaseRecord,
    history: &[CaseEntry],
    subjects: &[String],
    procedures: &[String],
) -> StoreResult<()> {
    let t = tenant.as_str();
    if tx
        .query_opt(
            "SELECT 1 FROM cases WHERE tenant_id = $1 AND id = $2",
            &[&t, &case.id],
        )
        .map_err(be)?
        .is_some()
    {
        return Err(StoreError::Conflict("case id exists".into()));
    }
    let seq: i64 = tx
        .query_one(
            "INSERT INTO cases (tenant_id, id, revision, status, title, opened_at, opened_by, opened_counter,
                 updated_at, updated_by, updated_counter, document)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING seq",
            &[
                &t,
                &case.id,
                &case.revision,
                &case.status,
                &case.title,
                &case.opened_at,
                &case.opened_by,
                &case.opened_counter,
                &case.updated_at,
                &case.updated_by,
                &case.updated_counter,
                &case.document,
            ],
        )
        .map_err(crate::sql::constraint("tenant missing"))?
        .try_get(0)
        .map_err(be)?;
    // Counted in the statistics' summary on its first read.
    tx.execute(
        "INSERT INTO case_summary_pending (case_seq, tenant_id) VALUES ($1, $2)",
        &[&seq, &t],
    )
    .map_err(be)?;
    for code in procedures {
        tx.execute(
            "INSERT INTO case_procedures (tenant_id, case_seq, code) VALUES ($1, $2, $3)
             ON CONFLICT DO NOTHING",
            &[&t, &seq, code],
        )
        .map_err(be)?;
    }
    for a in subjects {
        tx.execute(
            "INSERT INTO case_subjects (tenant_id, case_seq, atena_no) VALUES ($1, $2, $3)
             ON CONFLICT DO NOTHING",
            &[&t, &seq, a],
        )
        .map_err(be)?;
    }
    for e in history {
        tx.execute(
            "INSERT INTO case_entries (tenant_id, case_seq, write_id, at, user_login, counter, terminal, lines)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            &[&t, &seq, &e.write_id, &e.at, &e.user, &e.counter, &e.terminal, &e.lines],
        )
        .map_err(be)?;
    }
    Ok(())
}
