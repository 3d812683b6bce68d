//! [`TenantStore`] on SQLite.

use madoguchi_store::FormBackground;
use madoguchi_store::prelude::*;

use crate::*;

impl TenantStore for SqliteStore {
    fn ensure_tenant(&self, tenant: &TenantId, name: &str) -> StoreResult<bool> {
        self.with_writer(|c| {
            let n = c
                .execute(
                    "INSERT INTO tenants (id, name, created_at) VALUES (?1, ?2, ?3) ON CONFLICT (id) DO NOTHING",
                    params![tenant.as_str(), name, ts(Utc::now())],
                )
                .map_err(be)?;
            Ok(n == 1)
        })
    }

    fn tenant_name(&self, tenant: &TenantId) -> StoreResult<Option<String>> {
        self.with_reader(|c| {
            c.query_row(
                "SELECT name FROM tenants WHERE id = ?1",
                [tenant.as_str()],
                |r| r.get(0),
            )
            .optional()
            .map_err(be)
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
        self.audited(audit, |tx| {
            tx.execute(
                "INSERT INTO form_templates (tenant_id, template_id, version, source, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    tenant.as_str(),
                    template_id,
                    version,
                    source,
                    ts(Utc::now())
                ],
            )
            .map_err(constraint("template version exists or tenant missing"))?;
            Ok(())
        })
    }

    fn put_tenant_setting(
        &self,
        tenant: &TenantId,
        key: &str,
        value: &str,
        audit: &AuditEvent,
    ) -> StoreResult<()> {
        self.audited(audit, |tx| {
            tx.execute(
                "INSERT INTO tenant_settings (tenant_id, key, value, updated_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (tenant_id, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                params![tenant.as_str(), key, value, ts(Utc::now())],
            )
            .map_err(constraint("tenant missing"))?;
            Ok(())
        })
    }

    fn tenant_setting(&self, tenant: &TenantId, key: &str) -> StoreResult<Option<String>> {
        self.with_reader(|c| {
            c.query_row(
                "SELECT value FROM tenant_settings WHERE tenant_id = ?1 AND key = ?2",
                params![tenant.as_str(), key],
                |r| r.get(0),
            )
            .optional()
            .map_err(be)
        })
    }

    fn form_templates(&self, tenant: &TenantId) -> StoreResult<Vec<String>> {
        self.with_reader(|c| {
            let mut stmt = c
                .prepare("SELECT source FROM form_templates WHERE tenant_id = ?1 ORDER BY id")
                .map_err(be)?;
            let rows = stmt
                .query_map([tenant.as_str()], |r| r.get(0))
                .map_err(be)?;
            rows.collect::<Result<Vec<_>, _>>().map_err(be)
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
        self.audited(audit, |tx| {
            tx.execute(
                "INSERT INTO form_backgrounds (tenant_id, name, pdf, pages, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![tenant.as_str(), name, pdf, pages, ts(Utc::now())],
            )
            .map_err(constraint("background exists or tenant missing"))?;
            Ok(())
        })
    }

    fn form_backgrounds(&self, tenant: &TenantId) -> StoreResult<Vec<FormBackground>> {
        self.with_reader(|c| {
            let mut stmt = c
                .prepare(
                    "SELECT name, length(pdf), pages, created_at FROM form_backgrounds
                     WHERE tenant_id = ?1 ORDER BY name",
                )
                .map_err(be)?;
            let rows = stmt
                .query_map([tenant.as_str()], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, i64>(1)?,
                        r.get::<_, i64>(2)?,
                        r.get::<_, String>(3)?,
                    ))
                })
                .map_err(be)?;
            rows.map(|row| {
                let (name, size, pages, at) = row.map_err(be)?;
                Ok(FormBackground {
                    name,
                    size: size as u64,
                    pages: pages as u32,
                    created_at: parse_ts(&at)?,
                })
            })
            .collect()
        })
    }

    fn form_background(&self, tenant: &TenantId, name: &str) -> StoreResult<Option<Vec<u8>>> {
        self.with_reader(|c| {
            c.query_row(
                "SELECT pdf FROM form_backgrounds WHERE tenant_id = ?1 AND name = ?2",
                params![tenant.as_str(), name],
                |r| r.get(0),
            )
            .optional()
            .map_err(be)
        })
    }
}
