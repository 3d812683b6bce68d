//! [`ResidentStore`] on PostgreSQL.

use madoguchi_store::prelude::*;

use crate::*;

impl ResidentStore for PostgresStore {
    fn import_residents(
        &self,
        tenant: &TenantId,
        meta: &ImportMeta,
        body: &mut dyn FnMut(&mut dyn ResidentSink) -> StoreResult<ImportDecision>,
    ) -> StoreResult<ImportApplied> {
        let mut conn = self.pool.get()?;
        let mut tx = conn.transaction().map_err(be)?;
        set_tenant(&mut tx, tenant)?;
        let (applied, changed) = Self::import_in_transaction(&mut tx, tenant, meta, body)?;
        match applied {
            ImportApplied::Committed(_) => tx.commit().map_err(be)?,
            _ => tx.rollback().map_err(be)?,
        }
        if changed >= ANALYZE_AFTER_ROWS {
            // Fresh statistics for the planner and the GIN index's pending entries merged; both need
            // the tables' owner, so a store connected as another role leaves them to autovacuum.
            if let Err(e) = conn.batch_execute(
                "ANALYZE residents; ANALYZE resident_search;
                 SELECT gin_clean_pending_list('resident_search_grams'::regclass)",
            ) {
                tracing::warn!(error = %crate::sql::describe(&e), "statistics not refreshed after a large import");
            }
        }
        Ok(applied)
    }

    fn search_residents(
        &self,
        tenant: &TenantId,
        query: &ResidentQuery,
    ) -> StoreResult<Vec<Resident>> {
        self.with_tenant(tenant, |tx| rows::search(tx, tenant, query))
    }

    fn get_resident(&self, tenant: &TenantId, atena_no: &AtenaNo) -> StoreResult<Option<Resident>> {
        let q = ResidentQuery {
            atena_no: Some(atena_no.clone()),
            limit: 1,
            ..Default::default()
        };
        Ok(self.search_residents(tenant, &q)?.into_iter().next())
    }

    fn household_members(
        &self,
        tenant: &TenantId,
        household_no: &AtenaNo,
    ) -> StoreResult<Vec<Resident>> {
        self.with_tenant(tenant, |tx| rows::household(tx, tenant, household_no))
    }

    fn count_residents(&self, tenant: &TenantId) -> StoreResult<u64> {
        self.with_tenant(tenant, |tx| {
            let n: i64 = tx
                .query_one(
                    "SELECT count(*) FROM residents WHERE tenant_id = $1",
                    &[&tenant.as_str()],
                )
                .map_err(be)?
                .get(0);
            Ok(u64::try_from(n).unwrap_or(0))
        })
    }

    fn protected_households(
        &self,
        tenant: &TenantId,
        household_nos: &[AtenaNo],
    ) -> StoreResult<HashSet<AtenaNo>> {
        if household_nos.is_empty() {
            return Ok(HashSet::new());
        }
        let wanted: Vec<&str> = household_nos.iter().map(AtenaNo::as_str).collect();
        self.with_tenant(tenant, |tx| {
            let rows = tx
                .query(
                    "SELECT DISTINCT r.household_no FROM residents r
                     WHERE r.tenant_id = $1 AND r.household_no = ANY($2)
                       AND (r.support_measure <> 0
                            OR EXISTS (SELECT 1 FROM support_measures s
                                       WHERE s.tenant_id = r.tenant_id AND s.atena_no = r.atena_no))",
                    &[&tenant.as_str(), &wanted],
                )
                .map_err(be)?;
            let found: HashSet<String> = rows.iter().map(|r| r.get(0)).collect();
            Ok(household_nos
                .iter()
                .filter(|h| found.contains(h.as_str()))
                .cloned()
                .collect())
        })
    }

    fn towns(&self, tenant: &TenantId) -> StoreResult<Vec<Town>> {
        self.with_tenant(tenant, |tx| cases::towns(tx, tenant))
    }
}
