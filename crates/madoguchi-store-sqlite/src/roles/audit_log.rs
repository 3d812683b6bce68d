//! [`AuditStore`] on SQLite.

use madoguchi_store::prelude::*;

use crate::*;

impl AuditStore for SqliteStore {
    fn append_audit(&self, event: &AuditEvent) -> StoreResult<i64> {
        self.with_writer(|c| {
            let tx = c
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
                .map_err(be)?;
            let id = append_audit_in(&tx, event)?;
            tx.commit().map_err(be)?;
            Ok(id)
        })
    }

    fn append_read_audit(&self, event: &AuditEvent) -> StoreResult<()> {
        self.spool
            .lock()
            .map_err(|_| StoreError::Backend("spool lock poisoned".into()))?
            .push(event)
    }

    fn purge_audit_before(&self, before: DateTime<Utc>) -> StoreResult<u64> {
        self.with_writer(|c| {
            let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(be)?;
            // The purgeable prefix ends just before the first record at or after `before`.
            let first_kept: Option<i64> = tx
                .query_row("SELECT min(id) FROM audit_log WHERE at >= ?1", [audit_ts(before)], |r| r.get(0))
                .map_err(be)?;
            let last_purged: Option<(i64, Vec<u8>)> = tx
                .query_row(
                    "SELECT id, hash FROM audit_log WHERE id < coalesce(?1, 9223372036854775807) ORDER BY id DESC LIMIT 1",
                    [first_kept],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()
                .map_err(be)?;
            let Some((last_id, last_hash)) = last_purged else { return Ok(0) };
            let n = tx.execute("DELETE FROM audit_log WHERE id <= ?1", [last_id]).map_err(be)?;
            tx.execute(
                "UPDATE audit_head SET base_id = ?1, base_hash = ?2 WHERE singleton = 1",
                params![last_id, last_hash],
            )
            .map_err(be)?;
            tx.commit().map_err(be)?;
            Ok(n as u64)
        })
    }

    fn verify_audit(&self) -> StoreResult<AuditCheck> {
        self.with_writer(|_| Ok(()))?; // spooled read audits first
        self.with_reader(|c| {
            let head: Option<(i64, Vec<u8>, i64, Vec<u8>)> = c
                .query_row(
                    "SELECT last_id, last_hash, base_id, base_hash FROM audit_head WHERE singleton = 1",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )
                .optional()
                .map_err(be)?;
            let (head, base) = match head {
                Some((id, h, base_id, base_hash)) => (Some((id, hash32(&h)?)), (base_id, hash32(&base_hash)?)),
                None => (None, (0, madoguchi_store::audit::GENESIS)),
            };
            let mut stmt = c
                .prepare(&format!("{AUDIT_SELECT} ORDER BY id"))
                .map_err(be)?;
            let records = stmt
                .query_map([], audit_row)
                .map_err(be)?
                .collect::<Result<Vec<_>, _>>()
                .map_err(be)?;
            Ok(madoguchi_store::audit::verify_chain(records, base, head))
        })
    }

    fn audit_state(&self, ids: &[i64]) -> StoreResult<madoguchi_store::AuditState> {
        self.with_writer(|_| Ok(()))?; // spooled read audits first
        self.with_reader(|c| {
            let base: Option<(i64, Vec<u8>)> = c
                .query_row(
                    "SELECT base_id, base_hash FROM audit_head WHERE singleton = 1",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()
                .map_err(be)?;
            let base = match base {
                Some((id, h)) => (id, hash32(&h)?),
                None => (0, madoguchi_store::audit::GENESIS),
            };
            let head: Option<(i64, Vec<u8>, String)> = c
                .query_row(
                    "SELECT id, hash, at FROM audit_log ORDER BY id DESC LIMIT 1",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()
                .map_err(be)?;
            let head = match head {
                Some((id, h, at)) => {
                    let at = DateTime::parse_from_rfc3339(&at)
                        .map_err(|_| StoreError::Backend("audit time unreadable".into()))?
                        .with_timezone(&Utc);
                    Some((id, hash32(&h)?, at))
                }
                None => None,
            };
            let mut hashes = std::collections::BTreeMap::new();
            let mut stmt = c
                .prepare_cached("SELECT hash FROM audit_log WHERE id = ?1")
                .map_err(be)?;
            for id in ids {
                let h: Option<Vec<u8>> =
                    stmt.query_row([id], |r| r.get(0)).optional().map_err(be)?;
                if let Some(h) = h {
                    hashes.insert(*id, hash32(&h)?);
                }
            }
            Ok(madoguchi_store::AuditState { base, head, hashes })
        })
    }

    fn audit_records(
        &self,
        tenant: &TenantId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<AuditRecord>> {
        self.with_writer(|_| Ok(()))?; // spooled read audits first
        self.with_reader(|c| {
            let mut stmt = c
                .prepare(&format!(
                    "{AUDIT_SELECT} WHERE tenant_id = ?1 AND at >= ?2 AND at < ?3 ORDER BY id"
                ))
                .map_err(be)?;
            let rows = stmt
                .query_map(
                    params![tenant.as_str(), audit_ts(from), audit_ts(to)],
                    audit_row,
                )
                .map_err(be)?;
            rows.collect::<Result<Vec<_>, _>>().map_err(be)
        })
    }

    fn search_audit(
        &self,
        tenant: &TenantId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        filter: &madoguchi_store::AuditFilter,
        page: madoguchi_store::AuditPage,
    ) -> StoreResult<Vec<AuditRecord>> {
        use rusqlite::types::Value;
        self.with_writer(|_| Ok(()))?; // spooled read audits first
        let mut sql = format!("{AUDIT_SELECT} WHERE tenant_id = ? AND at >= ? AND at < ?");
        let mut args: Vec<Value> = vec![
            Value::from(tenant.as_str().to_owned()),
            Value::from(audit_ts(from)),
            Value::from(audit_ts(to)),
        ];
        for (column, v) in [
            ("user_login", &filter.user),
            ("counter", &filter.counter),
            ("terminal", &filter.terminal),
        ] {
            if let Some(v) = v {
                sql.push_str(&format!(" AND {column} = ?"));
                args.push(Value::from(v.clone()));
            }
        }
        if !filter.actions.is_empty() {
            let marks = vec!["?"; filter.actions.len()].join(", ");
            sql.push_str(&format!(" AND action IN ({marks})"));
            args.extend(filter.actions.iter().cloned().map(Value::from));
        }
        if let Some(v) = &filter.subject {
            sql.push_str(" AND instr(subject, ?) > 0");
            args.push(Value::from(v.clone()));
        }
        // (tenant_id, at) indexes the rowid too: the order is the index's, read backwards.
        sql.push_str(" ORDER BY at DESC, id DESC LIMIT ? OFFSET ?");
        args.push(Value::from(i64::from(page.limit)));
        args.push(Value::from(i64::try_from(page.offset).unwrap_or(i64::MAX)));
        self.with_reader(|c| {
            let mut stmt = c.prepare(&sql).map_err(be)?;
            let rows = stmt
                .query_map(rusqlite::params_from_iter(args), audit_row)
                .map_err(be)?;
            rows.collect::<Result<Vec<_>, _>>().map_err(be)
        })
    }
}
