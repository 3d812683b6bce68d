//! [`AuditStore`] on PostgreSQL.

use madoguchi_store::prelude::*;

use crate::*;

impl AuditStore for PostgresStore {
    fn append_audit(&self, event: &AuditEvent) -> StoreResult<i64> {
        self.transact(None, |tx| Ok((append_audit_in(tx, event)?, true)))
    }

    fn append_read_audit(&self, event: &AuditEvent) -> StoreResult<()> {
        self.transact(None, |tx| {
            // In the chain at once; durable within the WAL writer's delay rather than before return.
            tx.batch_execute("SET LOCAL synchronous_commit = off")
                .map_err(be)?;
            append_audit_in(tx, event)?;
            Ok(((), true))
        })
    }

    fn purge_audit_before(&self, before: DateTime<Utc>) -> StoreResult<u64> {
        // As the owner, through the function migration 3 defines (the application role may not delete).
        self.transact(None, |tx| {
            let n: i64 = tx
                .query_one("SELECT audit_purge_before($1)", &[&before])
                .map_err(be)?
                .get(0);
            Ok((n as u64, true))
        })
    }

    fn verify_audit(&self) -> StoreResult<AuditCheck> {
        let mut conn = self.pool.get()?;
        // One snapshot for the head and the records: an append during the check is not half-seen.
        let mut tx = conn
            .build_transaction()
            .isolation_level(IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .map_err(be)?;
        let head = tx
            .query_opt(
                "SELECT last_id, last_hash, base_id, base_hash FROM audit_head WHERE singleton",
                &[],
            )
            .map_err(be)?;
        let (head, base) = match head {
            Some(h) => (
                Some((
                    h.try_get(0).map_err(be)?,
                    hash32(h.try_get(1).map_err(be)?)?,
                )),
                (
                    h.try_get(2).map_err(be)?,
                    hash32(h.try_get(3).map_err(be)?)?,
                ),
            ),
            None => (None, (0, GENESIS)),
        };
        let mut records = Vec::new();
        let mut it = tx
            .query_raw(
                &format!("{AUDIT_SELECT} ORDER BY id"),
                std::iter::empty::<&str>(),
            )
            .map_err(be)?;
        while let Some(row) = it.next().map_err(be)? {
            records.push(audit_row(&row)?);
        }
        drop(it);
        tx.commit().map_err(be)?;
        Ok(verify_chain(records, base, head))
    }

    fn audit_state(&self, ids: &[i64]) -> StoreResult<madoguchi_store::AuditState> {
        let mut conn = self.pool.get()?;
        let mut tx = conn
            .build_transaction()
            .isolation_level(IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .map_err(be)?;
        let base = match tx
            .query_opt(
                "SELECT base_id, base_hash FROM audit_head WHERE singleton",
                &[],
            )
            .map_err(be)?
        {
            Some(h) => (
                h.try_get(0).map_err(be)?,
                hash32(h.try_get(1).map_err(be)?)?,
            ),
            None => (0, GENESIS),
        };
        let head = match tx
            .query_opt(
                "SELECT id, hash, at FROM audit_log ORDER BY id DESC LIMIT 1",
                &[],
            )
            .map_err(be)?
        {
            Some(r) => Some((
                r.try_get(0).map_err(be)?,
                hash32(r.try_get(1).map_err(be)?)?,
                r.try_get(2).map_err(be)?,
            )),
            None => None,
        };
        let mut hashes = std::collections::BTreeMap::new();
        for r in tx
            .query("SELECT id, hash FROM audit_log WHERE id = ANY($1)", &[&ids])
            .map_err(be)?
        {
            hashes.insert(
                r.try_get(0).map_err(be)?,
                hash32(r.try_get(1).map_err(be)?)?,
            );
        }
        tx.commit().map_err(be)?;
        Ok(madoguchi_store::AuditState { base, head, hashes })
    }

    fn audit_records(
        &self,
        tenant: &TenantId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<AuditRecord>> {
        self.transact(None, |tx| {
            let records = tx
                .query(
                    &format!(
                        "{AUDIT_SELECT} WHERE tenant_id = $1 AND at >= $2 AND at < $3 ORDER BY id"
                    ),
                    &[&tenant.as_str(), &from, &to],
                )
                .map_err(be)?
                .iter()
                .map(audit_row)
                .collect::<StoreResult<Vec<_>>>()?;
            Ok((records, false))
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
        type Arg = Box<dyn postgres::types::ToSql + Sync>;
        let mut sql = format!("{AUDIT_SELECT} WHERE tenant_id = $1 AND at >= $2 AND at < $3");
        let mut args: Vec<Arg> = vec![
            Box::new(tenant.as_str().to_owned()),
            Box::new(from),
            Box::new(to),
        ];
        for (column, v) in [
            ("user_login", &filter.user),
            ("counter", &filter.counter),
            ("terminal", &filter.terminal),
        ] {
            if let Some(v) = v {
                args.push(Box::new(v.clone()));
                sql.push_str(&format!(" AND {column} = ${}", args.len()));
            }
        }
        if !filter.actions.is_empty() {
            args.push(Box::new(filter.actions.clone()));
            sql.push_str(&format!(" AND action = ANY(${})", args.len()));
        }
        if let Some(v) = &filter.subject {
            args.push(Box::new(v.clone()));
            sql.push_str(&format!(" AND strpos(subject, ${}) > 0", args.len()));
        }
        args.push(Box::new(i64::from(page.limit)));
        args.push(Box::new(i64::try_from(page.offset).unwrap_or(i64::MAX)));
        sql.push_str(&format!(
            " ORDER BY at DESC, id DESC LIMIT ${} OFFSET ${}",
            args.len() - 1,
            args.len()
        ));
        self.transact(None, |tx| {
            let refs: Vec<&(dyn postgres::types::ToSql + Sync)> =
                args.iter().map(|a| a.as_ref()).collect();
            let records = tx
                .query(&sql, &refs)
                .map_err(be)?
                .iter()
                .map(audit_row)
                .collect::<StoreResult<Vec<_>>>()?;
            Ok((records, false))
        })
    }
}
