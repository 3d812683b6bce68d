//! The tenant: every stored row belongs to one.

/// A municipality (or other isolated data owner). All data is partitioned by tenant.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TenantId(pub String);

impl TenantId {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}
