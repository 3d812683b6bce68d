//! The tenant, its settings and its own form templates.

use crate::{AuditEvent, FormBackground, StoreResult, TenantId};

/// The tenant, its settings and its own form templates.
pub trait TenantStore {
    /// Creates the tenant if missing; returns whether it was created.
    fn ensure_tenant(&self, tenant: &TenantId, name: &str) -> StoreResult<bool>;
    fn tenant_name(&self, tenant: &TenantId) -> StoreResult<Option<String>>;
    /// Stores a form template version added by the tenant (`source` is the template text);
    /// `Conflict` if that id and version exist (versions are immutable).
    fn add_form_template(
        &self,
        tenant: &TenantId,
        template_id: &str,
        version: &str,
        source: &str,
        audit: &AuditEvent,
    ) -> StoreResult<()>;
    /// The tenant's own template versions (sources), in the order they were added.
    fn form_templates(&self, tenant: &TenantId) -> StoreResult<Vec<String>>;
    /// Stores a background PDF for the tenant's templates under `name` (`pages`: its page count);
    /// `Conflict` if the name exists (a background never changes under the templates that name it).
    fn add_form_background(
        &self,
        tenant: &TenantId,
        name: &str,
        pdf: &[u8],
        pages: u32,
        audit: &AuditEvent,
    ) -> StoreResult<()>;
    /// The tenant's background PDFs, by name.
    fn form_backgrounds(&self, tenant: &TenantId) -> StoreResult<Vec<FormBackground>>;
    /// The bytes of one background PDF.
    fn form_background(&self, tenant: &TenantId, name: &str) -> StoreResult<Option<Vec<u8>>>;
    /// Replaces a tenant's data file stored under `key` (fee table, local procedure rules).
    fn put_tenant_setting(
        &self,
        tenant: &TenantId,
        key: &str,
        value: &str,
        audit: &AuditEvent,
    ) -> StoreResult<()>;
    fn tenant_setting(&self, tenant: &TenantId, key: &str) -> StoreResult<Option<String>>;
}
