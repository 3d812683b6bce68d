//! Cases (案件), 転出証明書情報 notices and the city's 町字 list in SQLite.

use chrono::{DateTime, Utc};
use madoguchi_store::{
    CaseEntry, CaseFilter, CaseRecord, CaseSaved, CaseWrite, IncomingMove, OutboundBatch,
    StoreError, StoreResult, TenantId, Town,
};
use rusqlite::{Connection, OptionalExtension, params};

use crate::sql::{be, parse_ts, ts};

/// Applies a case write inside the caller's transaction.
pub(crate) fn save(c: &Connection, tenant: &TenantId, w: &CaseWrite) -> StoreResult<CaseSaved> {
    let existing: Option<(i64, i64)> = c
        .query_row(
            "SELECT rowid, revision FROM cases WHERE tenant_id = ?1 AND id = ?2",
            params![tenant.as_str(), w.case_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()
        .map_err(be)?;
    if let Some((rowid, revision)) = existing {
        let seen = c
            .query_row(
                "SELECT 1 FROM case_entries WHERE case_rowid = ?1 AND write_id = ?2",
                params![rowid, w.entry.write_id],
                |_| Ok(()),
            )
            .optional()
            .map_err(be)?;
        if seen.is_some() {
            return Ok(CaseSaved::AlreadyApplied(revision));
        }
    }
    let at = ts(w.entry.at);
    let mut before = None;
    let (rowid, revision) = match (existing, w.expected_revision) {
        (Some(_), None) => return Err(StoreError::Conflict("case id exists".into())),
        (None, Some(_)) => return Err(StoreError::NotFound("case".into())),
        (Some((_, current)), Some(expected)) if current != expected => {
            return Err(StoreError::Conflict(format!(
                "case revision is {current}, not {expected}"
            )));
        }
        (None, None) => {
            c.execute(
                "INSERT INTO cases (tenant_id, id, revision, status, title, opened_at, opened_by,
                     opened_counter, updated_at, updated_by, updated_counter, document)
                 VALUES (?1, ?2, 1, ?3, ?4, ?5, ?6, ?7, ?5, ?6, ?7, ?8)",
                params![
                    tenant.as_str(),
                    w.case_id,
                    w.status,
                    w.title,
                    at,
                    w.entry.user,
                    w.entry.counter,
                    w.document
                ],
            )
            .map_err(be)?;
            (c.last_insert_rowid(), 1)
        }
        (Some((rowid, current)), Some(_)) => {
            before = Some(crate::case_summary::before_write(c, rowid)?);
            c.execute(
                "UPDATE cases SET revision = ?2, status = ?3, title = ?4, updated_at = ?5,
                     updated_by = ?6, updated_counter = ?7, document = ?8
                 WHERE rowid = ?1",
                params![
                    rowid,
                    current + 1,
                    w.status,
                    w.title,
                    at,
                    w.entry.user,
                    w.entry.counter,
                    w.document
                ],
            )
            .map_err(be)?;
            c.execute("DELETE FROM case_procedures WHERE case_rowid = ?1", [rowid])
                .map_err(be)?;
            c.execute("DELETE FROM case_subjects WHERE case_rowid = ?1", [rowid])
                .map_err(be)?;
            (rowid, current + 1)
        }
    };
    summarize(c, tenant, w, before.as_ref())?;
    for code in &w.procedures {
        c.execute(
            "INSERT OR IGNORE INTO case_procedures (case_rowid, code) VALUES (?1, ?2)",
            params![rowid, code],
        )
        .map_err(be)?;
    }
    for atena in &w.subjects {
        c.execute(
            "INSERT OR IGNORE INTO case_subjects (case_rowid, atena_no) VALUES (?1, ?2)",
            params![rowid, atena],
        )
        .map_err(be)?;
    }
    c.execute(
        "INSERT INTO case_entries (case_rowid, write_id, at, user_login, counter, terminal, lines)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            rowid,
            w.entry.write_id,
            at,
            w.entry.user,
            w.entry.counter,
            w.entry.terminal,
            w.entry.lines.join("\n")
        ],
    )
    .map_err(be)?;
    Ok(CaseSaved::Applied(revision))
}

/// Moves the case's counts in the summary from how it was counted (`before`: the row before the
/// write, and whether it was counted) to the write.
fn summarize(
    c: &Connection,
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
    crate::case_summary::add(c, tenant, &changes)
}

pub(crate) const CASE_COLUMNS: &str =
    "c.rowid, c.id, c.revision, c.status, c.title, c.opened_at, c.opened_by,
    c.opened_counter, c.updated_at, c.updated_by, c.updated_counter, c.document";

pub(crate) fn case_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(i64, [String; 11])> {
    Ok((
        r.get(0)?,
        [
            r.get(1)?,
            r.get::<_, i64>(2)?.to_string(),
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
            r.get(6)?,
            r.get(7)?,
            r.get(8)?,
            r.get(9)?,
            r.get(10)?,
            r.get(11)?,
        ],
    ))
}

pub(crate) fn to_record(f: [String; 11]) -> StoreResult<CaseRecord> {
    let [
        id,
        revision,
        status,
        title,
        opened_at,
        opened_by,
        opened_counter,
        updated_at,
        updated_by,
        updated_counter,
        document,
    ] = f;
    Ok(CaseRecord {
        id,
        revision: revision
            .parse()
            .map_err(|_| StoreError::Backend("bad case revision".into()))?,
        status,
        title,
        opened_at: parse_ts(&opened_at)?,
        opened_by,
        opened_counter,
        updated_at: parse_ts(&updated_at)?,
        updated_by,
        updated_counter,
        document,
    })
}

pub(crate) fn get(
    c: &Connection,
    tenant: &TenantId,
    id: &str,
) -> StoreResult<Option<(CaseRecord, Vec<CaseEntry>)>> {
    let row = c
        .query_row(
            &format!("SELECT {CASE_COLUMNS} FROM cases c WHERE c.tenant_id = ?1 AND c.id = ?2"),
            params![tenant.as_str(), id],
            case_row,
        )
        .optional()
        .map_err(be)?;
    let Some((rowid, fields)) = row else {
        return Ok(None);
    };
    let mut stmt = c
        .prepare_cached(
            "SELECT write_id, at, user_login, counter, terminal, lines FROM case_entries
             WHERE case_rowid = ?1 ORDER BY at, rowid",
        )
        .map_err(be)?;
    let entries = stmt
        .query_map([rowid], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, String>(5)?,
            ))
        })
        .map_err(be)?
        .map(|r| {
            let (write_id, at, user, counter, terminal, lines) = r.map_err(be)?;
            Ok(CaseEntry {
                write_id,
                at: parse_ts(&at)?,
                user,
                counter,
                terminal,
                lines: lines.lines().map(str::to_owned).collect(),
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    Ok(Some((to_record(fields)?, entries)))
}

pub(crate) fn find(
    c: &Connection,
    tenant: &TenantId,
    f: &CaseFilter,
) -> StoreResult<Vec<CaseRecord>> {
    let mut sql = format!("SELECT {CASE_COLUMNS} FROM cases c WHERE c.tenant_id = ?1");
    let mut args: Vec<String> = vec![tenant.as_str().to_owned()];
    let mut arg = |sql: &mut String, clause: &str, value: String| {
        args.push(value);
        sql.push_str(&clause.replace('?', &format!("?{}", args.len())));
    };
    if let Some(from) = f.from {
        arg(&mut sql, " AND c.opened_at >= ?", ts(from));
    }
    if let Some(to) = f.to {
        arg(&mut sql, " AND c.opened_at < ?", ts(to));
    }
    if let Some(status) = &f.status {
        arg(&mut sql, " AND c.status = ?", status.clone());
    }
    if let Some(user) = &f.user {
        arg(
            &mut sql,
            " AND EXISTS (SELECT 1 FROM case_entries e WHERE e.case_rowid = c.rowid AND e.user_login = ?)",
            user.clone(),
        );
    }
    if let Some(code) = &f.procedure {
        arg(
            &mut sql,
            " AND EXISTS (SELECT 1 FROM case_procedures p WHERE p.case_rowid = c.rowid AND p.code = ?)",
            code.clone(),
        );
    }
    sql.push_str(&format!(
        " ORDER BY c.opened_at DESC, c.rowid DESC LIMIT {}",
        f.limit.clamp(1, 500)
    ));
    let mut stmt = c.prepare(&sql).map_err(be)?;
    let rows = stmt
        .query_map(rusqlite::params_from_iter(args.iter()), case_row)
        .map_err(be)?;
    rows.map(|r| to_record(r.map_err(be)?.1)).collect()
}

pub(crate) fn put_incoming(c: &Connection, tenant: &TenantId, m: &IncomingMove) -> StoreResult<()> {
    c.execute(
        "INSERT INTO incoming_moves (tenant_id, notice_no, received_at, search_keys, document)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (tenant_id, notice_no) DO UPDATE SET received_at = excluded.received_at,
             search_keys = excluded.search_keys, document = excluded.document",
        params![
            tenant.as_str(),
            m.notice_no,
            ts(m.received_at),
            format!(" {} ", m.search_keys.join(" ")),
            m.document
        ],
    )
    .map_err(crate::sql::constraint("tenant missing"))?;
    Ok(())
}

pub(crate) fn search_incoming(
    c: &Connection,
    tenant: &TenantId,
    key: &str,
    limit: usize,
) -> StoreResult<Vec<IncomingMove>> {
    // Keys are stored between spaces: a key matching at a word start is a name prefix.
    let mut stmt = c
        .prepare_cached(
            "SELECT notice_no, received_at, search_keys, document FROM incoming_moves
             WHERE tenant_id = ?1 AND instr(search_keys, ?2) > 0
             ORDER BY received_at DESC, notice_no LIMIT ?3",
        )
        .map_err(be)?;
    let rows = stmt
        .query_map(
            params![
                tenant.as_str(),
                format!(" {key}"),
                limit.clamp(1, 100) as i64
            ],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                ))
            },
        )
        .map_err(be)?;
    rows.map(|r| {
        let (notice_no, received_at, keys, document) = r.map_err(be)?;
        Ok(IncomingMove {
            notice_no,
            received_at: parse_ts(&received_at)?,
            search_keys: keys.split_whitespace().map(str::to_owned).collect(),
            document,
        })
    })
    .collect()
}

/// Rebuilds the tenant's 町字 list from its residents (inside the import's transaction).
pub(crate) fn rebuild_towns(c: &Connection, tenant: &TenantId) -> StoreResult<()> {
    c.execute("DELETE FROM towns WHERE tenant_id = ?1", [tenant.as_str()])
        .map_err(be)?;
    c.execute(
        "INSERT INTO towns (tenant_id, town, town_code, prefecture, city, postal_code)
         SELECT tenant_id, town, min(town_code), min(prefecture), min(city), min(postal_code)
         FROM residents WHERE tenant_id = ?1 AND status = 1 GROUP BY town",
        [tenant.as_str()],
    )
    .map_err(be)?;
    Ok(())
}

/// Adds the towns not yet listed (a delta import's residents).
pub(crate) fn add_towns(
    c: &Connection,
    tenant: &TenantId,
    towns: &std::collections::BTreeMap<String, Town>,
) -> StoreResult<()> {
    let mut stmt = c
        .prepare_cached(
            "INSERT INTO towns (tenant_id, town, town_code, prefecture, city, postal_code)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (tenant_id, town) DO NOTHING",
        )
        .map_err(be)?;
    for t in towns.values() {
        stmt.execute(params![
            tenant.as_str(),
            t.town,
            t.town_code,
            t.prefecture,
            t.city,
            t.postal_code
        ])
        .map_err(be)?;
    }
    Ok(())
}

pub(crate) fn towns(c: &Connection, tenant: &TenantId) -> StoreResult<Vec<Town>> {
    let mut stmt = c
        .prepare_cached(
            "SELECT town, town_code, prefecture, city, postal_code FROM towns WHERE tenant_id = ?1
             ORDER BY town_code IS NULL, town_code, town",
        )
        .map_err(be)?;
    let rows = stmt
        .query_map([tenant.as_str()], |r| {
            Ok(Town {
                town: r.get(0)?,
                town_code: r.get(1)?,
                prefecture: r.get(2)?,
                city: r.get(3)?,
                postal_code: r.get(4)?,
            })
        })
        .map_err(be)?;
    rows.map(|r| r.map_err(be)).collect()
}

pub(crate) fn outbound_candidates(
    c: &Connection,
    tenant: &TenantId,
    kind: &str,
    statuses: &[&str],
    limit: usize,
) -> StoreResult<Vec<CaseRecord>> {
    if statuses.is_empty() {
        return Ok(Vec::new());
    }
    let marks: Vec<String> = (0..statuses.len()).map(|i| format!("?{}", i + 4)).collect();
    let sql = format!(
        "SELECT {CASE_COLUMNS} FROM cases c WHERE c.tenant_id = ?1 AND c.status IN ({})
           AND NOT EXISTS (SELECT 1 FROM outbound_cases o
                           WHERE o.tenant_id = c.tenant_id AND o.kind = ?2 AND o.case_id = c.id)
         ORDER BY c.updated_at, c.rowid LIMIT ?3",
        marks.join(", ")
    );
    let mut args: Vec<rusqlite::types::Value> = vec![
        tenant.as_str().to_owned().into(),
        kind.to_owned().into(),
        (limit.clamp(1, 100_000) as i64).into(),
    ];
    args.extend(statuses.iter().map(|s| (*s).to_owned().into()));
    let mut stmt = c.prepare(&sql).map_err(be)?;
    let rows = stmt
        .query_map(rusqlite::params_from_iter(args.iter()), case_row)
        .map_err(be)?;
    rows.map(|r| to_record(r.map_err(be)?.1)).collect()
}

pub(crate) fn add_outbound_batch(
    c: &Connection,
    tenant: &TenantId,
    b: &OutboundBatch,
) -> StoreResult<i64> {
    let no: i64 = c
        .query_row(
            "SELECT coalesce(max(batch_no), 0) + 1 FROM outbound_batches WHERE tenant_id = ?1 AND kind = ?2",
            params![tenant.as_str(), b.kind],
            |r| r.get(0),
        )
        .map_err(be)?;
    c.execute(
        "INSERT INTO outbound_batches (tenant_id, kind, batch_no, file_name, content, sha256, records, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            tenant.as_str(),
            b.kind,
            no,
            b.file_name,
            b.content,
            b.sha256,
            b.records as i64,
            ts(b.created_at)
        ],
    )
    .map_err(|e| match e {
        rusqlite::Error::SqliteFailure(f, _)
            if f.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            StoreError::NotFound("tenant".into())
        }
        e => be(e),
    })?;
    let mut ins = c
        .prepare_cached(
            "INSERT INTO outbound_cases (tenant_id, kind, case_id, batch_no) VALUES (?1, ?2, ?3, ?4)",
        )
        .map_err(be)?;
    for id in &b.case_ids {
        ins.execute(params![tenant.as_str(), b.kind, id, no])
            .map_err(|e| match e {
                rusqlite::Error::SqliteFailure(f, _)
                    if f.code == rusqlite::ErrorCode::ConstraintViolation =>
                {
                    StoreError::Conflict("case already exported for this kind".into())
                }
                e => be(e),
            })?;
    }
    Ok(no)
}

pub(crate) fn mark_outbound_delivered(
    c: &Connection,
    tenant: &TenantId,
    kind: &str,
    batch_no: i64,
    at: DateTime<Utc>,
) -> StoreResult<bool> {
    let n = c
        .execute(
            "UPDATE outbound_batches SET delivered_at = coalesce(delivered_at, ?4)
             WHERE tenant_id = ?1 AND kind = ?2 AND batch_no = ?3",
            params![tenant.as_str(), kind, batch_no, ts(at)],
        )
        .map_err(be)?;
    Ok(n > 0)
}

pub(crate) fn outbound_batches(
    c: &Connection,
    tenant: &TenantId,
    kind: Option<&str>,
    undelivered_only: bool,
    limit: usize,
) -> StoreResult<Vec<OutboundBatch>> {
    let mut stmt = c
        .prepare_cached(
            "SELECT kind, batch_no, file_name, content, sha256, records, created_at, delivered_at
             FROM outbound_batches WHERE tenant_id = ?1 AND (?2 IS NULL OR kind = ?2)
               AND (?3 = 0 OR delivered_at IS NULL)
             ORDER BY created_at DESC, kind, batch_no DESC LIMIT ?4",
        )
        .map_err(be)?;
    let rows = stmt
        .query_map(
            params![
                tenant.as_str(),
                kind,
                undelivered_only,
                limit.clamp(1, 10_000) as i64
            ],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Vec<u8>>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, i64>(5)?,
                    r.get::<_, String>(6)?,
                    r.get::<_, Option<String>>(7)?,
                ))
            },
        )
        .map_err(be)?;
    let mut ids = c
        .prepare_cached(
            "SELECT case_id FROM outbound_cases WHERE tenant_id = ?1 AND kind = ?2 AND batch_no = ?3
             ORDER BY case_id",
        )
        .map_err(be)?;
    let mut out = Vec::new();
    for row in rows {
        let (kind, batch_no, file_name, content, sha256, records, created, delivered) =
            row.map_err(be)?;
        let case_ids = ids
            .query_map(params![tenant.as_str(), kind, batch_no], |r| r.get(0))
            .map_err(be)?
            .collect::<Result<Vec<String>, _>>()
            .map_err(be)?;
        out.push(OutboundBatch {
            kind,
            batch_no,
            file_name,
            content,
            sha256,
            records: records as u64,
            case_ids,
            created_at: parse_ts(&created)?,
            delivered_at: delivered.as_deref().map(parse_ts).transpose()?,
        });
    }
    Ok(out)
}
