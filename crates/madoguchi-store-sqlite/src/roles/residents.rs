//! [`ResidentStore`] on SQLite.

use madoguchi_store::prelude::*;

use crate::*;

impl ResidentStore for SqliteStore {
    fn import_residents(
        &self,
        tenant: &TenantId,
        meta: &ImportMeta,
        body: &mut dyn FnMut(&mut dyn ResidentSink) -> StoreResult<ImportDecision>,
    ) -> StoreResult<ImportApplied> {
        self.with_writer(|c| {
            // A large import touches far more pages than the everyday cache holds.
            c.pragma_update(None, "cache_size", IMPORT_CACHE_KIB)
                .map_err(be)?;
            let result = import_in_transaction(c, tenant, meta, body);
            c.pragma_update(None, "cache_size", CACHE_KIB).map_err(be)?;
            result
        })
    }

    fn search_residents(
        &self,
        tenant: &TenantId,
        query: &ResidentQuery,
    ) -> StoreResult<Vec<Resident>> {
        self.with_reader(|c| rows::search(c, tenant, query))
    }

    fn get_resident(&self, tenant: &TenantId, atena_no: &AtenaNo) -> StoreResult<Option<Resident>> {
        self.with_reader(|c| {
            let q = ResidentQuery {
                atena_no: Some(atena_no.clone()),
                limit: 1,
                ..Default::default()
            };
            Ok(rows::search(c, tenant, &q)?.into_iter().next())
        })
    }

    fn household_members(
        &self,
        tenant: &TenantId,
        household_no: &AtenaNo,
    ) -> StoreResult<Vec<Resident>> {
        self.with_reader(|c| rows::household(c, tenant, household_no))
    }

    fn protected_households(
        &self,
        tenant: &TenantId,
        household_nos: &[AtenaNo],
    ) -> StoreResult<std::collections::HashSet<AtenaNo>> {
        self.with_reader(|c| {
            let mut out = std::collections::HashSet::new();
            let mut stmt = c
                .prepare_cached(
                    "SELECT 1 FROM residents r WHERE r.tenant_id = ?1 AND r.household_no = ?2 AND (r.support_measure <> 0
                       OR EXISTS (SELECT 1 FROM support_measures s WHERE s.tenant_id = r.tenant_id AND s.atena_no = r.atena_no))
                     LIMIT 1",
                )
                .map_err(be)?;
            for h in household_nos {
                if !out.contains(h) && stmt.exists(params![tenant.as_str(), h.as_str()]).map_err(be)? {
                    out.insert(h.clone());
                }
            }
            Ok(out)
        })
    }

    fn count_residents(&self, tenant: &TenantId) -> StoreResult<u64> {
        self.with_reader(|c| {
            let n: i64 = c
                .query_row(
                    "SELECT count(*) FROM residents WHERE tenant_id = ?1",
                    [tenant.as_str()],
                    |r| r.get(0),
                )
                .map_err(be)?;
            Ok(n as u64)
        })
    }

    fn towns(&self, tenant: &TenantId) -> StoreResult<Vec<Town>> {
        self.with_reader(|c| cases::towns(c, tenant))
    }
}
