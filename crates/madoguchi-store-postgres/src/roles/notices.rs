//! [`NoticeStore`] on PostgreSQL.

use madoguchi_store::NoticeRecord;
use madoguchi_store::prelude::*;

use crate::*;

const COLUMNS: &str = "id, kind, audience, text_ja, text_en, starts_at, ends_at, window_start, \
                       window_end, revision, updated_by, updated_at";

fn record(r: &Row) -> StoreResult<NoticeRecord> {
    Ok(NoticeRecord {
        id: r.try_get(0).map_err(be)?,
        kind: r.try_get(1).map_err(be)?,
        audience: r.try_get(2).map_err(be)?,
        text_ja: r.try_get(3).map_err(be)?,
        text_en: r.try_get(4).map_err(be)?,
        starts_at: r.try_get(5).map_err(be)?,
        ends_at: r.try_get(6).map_err(be)?,
        window_start: r.try_get(7).map_err(be)?,
        window_end: r.try_get(8).map_err(be)?,
        revision: r.try_get(9).map_err(be)?,
        updated_by: r.try_get(10).map_err(be)?,
        updated_at: r.try_get(11).map_err(be)?,
    })
}

/// The notice's revision, its row locked until the transaction ends.
fn stored_revision(
    tx: &mut Transaction<'_>,
    tenant: &TenantId,
    id: &str,
) -> StoreResult<Option<i64>> {
    Ok(tx
        .query_opt(
            "SELECT revision FROM notices WHERE tenant_id = $1 AND id = $2 FOR UPDATE",
            &[&tenant.as_str(), &id],
        )
        .map_err(be)?
        .map(|r| r.get(0)))
}

impl NoticeStore for PostgresStore {
    fn save_notice(
        &self,
        tenant: &TenantId,
        n: &NoticeRecord,
        expected_revision: Option<i64>,
        audit: &AuditEvent,
    ) -> StoreResult<i64> {
        self.audited(tenant, audit, |tx| {
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
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
                 ON CONFLICT (tenant_id, id) DO UPDATE SET kind = excluded.kind,
                     audience = excluded.audience, text_ja = excluded.text_ja, text_en = excluded.text_en,
                     starts_at = excluded.starts_at, ends_at = excluded.ends_at,
                     window_start = excluded.window_start, window_end = excluded.window_end,
                     revision = excluded.revision, updated_by = excluded.updated_by,
                     updated_at = excluded.updated_at",
                &[
                    &tenant.as_str(),
                    &n.id,
                    &n.kind,
                    &n.audience,
                    &n.text_ja,
                    &n.text_en,
                    &n.starts_at,
                    &n.ends_at,
                    &n.window_start,
                    &n.window_end,
                    &revision,
                    &n.updated_by,
                    &n.updated_at,
                ],
            )
            .map_err(constraint("notice exists or tenant missing"))?;
            Ok(revision)
        })
    }

    fn notices(&self, tenant: &TenantId) -> StoreResult<Vec<NoticeRecord>> {
        self.with_tenant(tenant, |tx| {
            tx.query(
                &format!(
                    "SELECT {COLUMNS} FROM notices WHERE tenant_id = $1 ORDER BY starts_at DESC, id"
                ),
                &[&tenant.as_str()],
            )
            .map_err(be)?
            .iter()
            .map(record)
            .collect()
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
        self.audited(tenant, audit, |tx| {
            let exists = tx
                .query_opt(
                    "SELECT 1 FROM notices WHERE tenant_id = $1 AND id = $2",
                    &[&tenant.as_str(), &notice_id],
                )
                .map_err(be)?
                .is_some();
            if !exists {
                return Err(StoreError::NotFound("notice".into()));
            }
            tx.execute(
                "INSERT INTO notice_reads (tenant_id, notice_id, user_login, read_at)
                 VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                &[&tenant.as_str(), &notice_id, &login, &at],
            )
            .map_err(be)?;
            Ok(())
        })
    }

    fn notices_read(&self, tenant: &TenantId, login: &str) -> StoreResult<Vec<String>> {
        self.with_tenant(tenant, |tx| {
            tx.query(
                "SELECT notice_id FROM notice_reads WHERE tenant_id = $1 AND user_login = $2
                 ORDER BY notice_id",
                &[&tenant.as_str(), &login],
            )
            .map_err(be)?
            .iter()
            .map(|r| r.try_get(0).map_err(be))
            .collect()
        })
    }
}
