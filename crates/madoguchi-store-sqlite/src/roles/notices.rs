//! [`NoticeStore`] on SQLite.

use madoguchi_store::NoticeRecord;
use madoguchi_store::prelude::*;

use crate::*;

const COLUMNS: &str = "id, kind, audience, text_ja, text_en, starts_at, ends_at, window_start, \
                       window_end, revision, updated_by, updated_at";

fn opt_ts(t: Option<DateTime<Utc>>) -> Option<String> {
    t.map(ts)
}

fn opt_parse(s: Option<String>) -> StoreResult<Option<DateTime<Utc>>> {
    s.as_deref().map(parse_ts).transpose()
}

type Row = (
    String,
    String,
    String,
    String,
    Option<String>,
    String,
    String,
    Option<String>,
    Option<String>,
    i64,
    String,
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
        r.get(7)?,
        r.get(8)?,
        r.get(9)?,
        r.get(10)?,
        r.get(11)?,
    ))
}

fn record(row: Row) -> StoreResult<NoticeRecord> {
    let (id, kind, audience, text_ja, text_en, starts, ends, ws, we, revision, by, updated) = row;
    Ok(NoticeRecord {
        id,
        kind,
        audience,
        text_ja,
        text_en,
        starts_at: parse_ts(&starts)?,
        ends_at: parse_ts(&ends)?,
        window_start: opt_parse(ws)?,
        window_end: opt_parse(we)?,
        revision,
        updated_by: by,
        updated_at: parse_ts(&updated)?,
    })
}

fn stored_revision(tx: &Connection, tenant: &TenantId, id: &str) -> StoreResult<Option<i64>> {
    tx.query_row(
        "SELECT revision FROM notices WHERE tenant_id = ?1 AND id = ?2",
        params![tenant.as_str(), id],
        |r| r.get(0),
    )
    .optional()
    .map_err(be)
}

impl NoticeStore for SqliteStore {
    fn save_notice(
        &self,
        tenant: &TenantId,
        n: &NoticeRecord,
        expected_revision: Option<i64>,
        audit: &AuditEvent,
    ) -> StoreResult<i64> {
        self.audited(audit, |tx| {
            let stored = stored_revision(tx, tenant, &n.id)?;
            let revision = match (stored, expected_revision) {
                (None, None) => 1,
                (Some(_), None) => return Err(StoreError::Conflict("notice exists".into())),
                (None, Some(_)) => return Err(StoreError::NotFound("notice".into())),
                (Some(s), Some(e)) if s != e => {
                    return Err(StoreError::Conflict("notice saved in between".into()));
                }
                (Some(s), Some(_)) => s + 1,
            };
            tx.execute(
                "INSERT INTO notices (tenant_id, id, kind, audience, text_ja, text_en, starts_at, ends_at,
                                      window_start, window_end, revision, updated_by, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
                 ON CONFLICT (tenant_id, id) DO UPDATE SET kind = excluded.kind,
                     audience = excluded.audience, text_ja = excluded.text_ja, text_en = excluded.text_en,
                     starts_at = excluded.starts_at, ends_at = excluded.ends_at,
                     window_start = excluded.window_start, window_end = excluded.window_end,
                     revision = excluded.revision, updated_by = excluded.updated_by,
                     updated_at = excluded.updated_at",
                params![
                    tenant.as_str(),
                    n.id,
                    n.kind,
                    n.audience,
                    n.text_ja,
                    n.text_en,
                    ts(n.starts_at),
                    ts(n.ends_at),
                    opt_ts(n.window_start),
                    opt_ts(n.window_end),
                    revision,
                    n.updated_by,
                    ts(n.updated_at),
                ],
            )
            .map_err(constraint("tenant missing"))?;
            Ok(revision)
        })
    }

    fn notices(&self, tenant: &TenantId) -> StoreResult<Vec<NoticeRecord>> {
        self.with_reader(|c| {
            let mut stmt = c
                .prepare(&format!(
                    "SELECT {COLUMNS} FROM notices WHERE tenant_id = ?1 ORDER BY starts_at DESC, id"
                ))
                .map_err(be)?;
            let rows = stmt
                .query_map([tenant.as_str()], read_row)
                .map_err(be)?
                .collect::<Result<Vec<_>, _>>()
                .map_err(be)?;
            rows.into_iter().map(record).collect()
        })
    }

    fn mark_notice_read(
        &self,
        tenant: &TenantId,
        notice_id: &str,
        login: &str,
        at: DateTime<Utc>,
        audit: &AuditEvent,
    ) -> StoreResult<()> {
        self.audited(audit, |tx| {
            if stored_revision(tx, tenant, notice_id)?.is_none() {
                return Err(StoreError::NotFound("notice".into()));
            }
            tx.execute(
                "INSERT INTO notice_reads (tenant_id, notice_id, user_login, read_at)
                 VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
                params![tenant.as_str(), notice_id, login, ts(at)],
            )
            .map_err(be)?;
            Ok(())
        })
    }

    fn notices_read(&self, tenant: &TenantId, login: &str) -> StoreResult<Vec<String>> {
        self.with_reader(|c| {
            let mut stmt = c
                .prepare(
                    "SELECT notice_id FROM notice_reads WHERE tenant_id = ?1 AND user_login = ?2
                     ORDER BY notice_id",
                )
                .map_err(be)?;
            let rows = stmt
                .query_map(params![tenant.as_str(), login], |r| r.get(0))
                .map_err(be)?;
            rows.collect::<Result<Vec<_>, _>>().map_err(be)
        })
    }
}
