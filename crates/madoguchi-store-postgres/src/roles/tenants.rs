//! [`TenantStore`] on PostgreSQL.

use madoguchi_store::FormBackground;
use madoguchi_store::prelude::*;

use crate::*;

impl TenantStore for PostgresStore {
    fn ensure_tenant(&self, tenant: &TenantId, name: &str) -> StoreResult<bool> {
        self.with_tenant(tenant, |tx| {
            let n = tx
                .execute(
                    "INSERT INTO tenants (id, name) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING",
                    &[&tenant.as_str(), &name],
                )
                .map_err(be)?;
            Ok(n == 1)
        })
    }

    fn tenant_name(&self, tenant: &TenantId) -> StoreResult<Option<String>> {
        self.with_tenant(tenant, |tx| {
            Ok(tx
                .query_opt(
                    "SELECT name FROM tenants WHERE id = $1",
                    &[&tenant.as_str()],
                )
                .map_err(be)?
                .map(|r| r.get(0)))
        })
    }

    fn add_form_template(
        &self,
        tenant: &TenantId,
        template_id: &str,
        version: &str,
        source: &str,
        audit: &AuditEvent,
    ) -> StoreResult<()> {
        self.audited(tenant, audit, |tx| {
            tx.execute(
                "INSERT INTO form_templates (tenant_id, template_id, version, source)
                 VALUES ($1, $2, $3, $4)",
                &[&tenant.as_str(), &template_id, &version, &source],
            )
            .map_err(constraint("template version exists or tenant missing"))?;
            Ok(())
        })
    }

    fn form_templates(&self, tenant: &TenantId) -> StoreResult<Vec<String>> {
        self.with_tenant(tenant, |tx| {
            tx.query(
                "SELECT source FROM form_templates WHERE tenant_id = $1 ORDER BY id",
                &[&tenant.as_str()],
            )
            .map_err(be)?
            .iter()
            .map(|r| r.try_get(0).map_err(be))
            .collect()
        })
    }

    fn put_tenant_setting(
        &self,
        tenant: &TenantId,
        key: &str,
        value: &str,
        audit: &AuditEvent,
    ) -> StoreResult<()> {
        self.audited(tenant, audit, |tx| {
            tx.execute(
                "INSERT INTO tenant_settings (tenant_id, key, value) VALUES ($1, $2, $3)
                 ON CONFLICT (tenant_id, key) DO UPDATE SET value = excluded.value, updated_at = now()",
                &[&tenant.as_str(), &key, &value],
            )
            .map_err(constraint("tenant missing"))?;
            Ok(())
        })
    }

    fn tenant_setting(&self, tenant: &TenantId, key: &str) -> StoreResult<Option<String>> {
        self.with_tenant(tenant, |tx| {
            Ok(tx
                .query_opt(
                    "SELECT value FROM tenant_settings WHERE tenant_id = $1 AND key = $2",
                    &[&tenant.as_str(), &key],
                )
                .map_err(be)?
                .map(|r| r.get(0)))
        })
    }

    fn add_form_background(
        &self,
        tenant: &TenantId,
        name: &str,
        pdf: &[u8],
        pages: u32,
        audit: &AuditEvent,
    ) -> StoreResult<()> {
        self.audited(tenant, audit, |tx| {
            tx.execute(
                "INSERT INTO form_backgrounds (tenant_id, name, pdf, pages) VALUES ($1, $2, $3, $4)",
                &[&tenant.as_str(), &name, &pdf, &(pages as i32)],
            )
            .map_err(constraint("background exists or tenant missing"))?;
            Ok(())
        })
    }

    fn form_backgrounds(&self, tenant: &TenantId) -> StoreResult<Vec<FormBackground>> {
        self.with_tenant(tenant, |tx| {
            tx.query(
                "SELECT name, octet_length(pdf)::bigint, pages, created_at FROM form_backgrounds
                 WHERE tenant_id = $1 ORDER BY name",
                &[&tenant.as_str()],
            )
            .map_err(be)?
            .iter()
            .map(|r| {
                Ok(FormBackground {
                    name: r.try_get(0).map_err(be)?,
                    size: r.try_get::<_, i64>(1).map_err(be)? as u64,
                    pages: r.try_get::<_, i32>(2).map_err(be)? as u32,
                    created_at: r.try_get(3).map_err(be)?,
                })
            })
            .collect()
        })
    }

    fn form_background(&self, tenant: &TenantId, name: &str) -> StoreResult<Option<Vec<u8>>> {
        self.with_tenant(tenant, |tx| {
            Ok(tx
                .query_opt(
                    "SELECT pdf FROM form_backgrounds WHERE tenant_id = $1 AND name = $2",
                    &[&tenant.as_str(), &name],
                )
                .map_err(be)?
                .map(|r| r.get(0)))
        })
    }
}
