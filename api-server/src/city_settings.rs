//! A city's own settings edited on the admin screen as a whole (the fee table, the memo's 定型文), with
//! optimistic concurrency: each answer carries the revision of what was read — a digest of the stored
//! text — and a save names it; a save on an older revision is refused and nothing is written.
//!
//! The check and the write are two store calls: two saves in the very same instant could both pass.
//! What it guards against is the real case — an administrator saving over a change another made
//! while their screen was open.

use madoguchi_store::{AuditEvent, Store, StoreError, TenantId};

/// The revision of a setting: a digest of its stored text; `standard` when the city has none yet.
pub fn revision(stored: Option<&str>) -> String {
    match stored {
        None => "standard".into(),
        Some(text) => {
            let d = ring::digest::digest(&ring::digest::SHA256, text.as_bytes());
            d.as_ref()[..12]
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect()
        }
    }
}

/// Why a save was not made.
#[derive(Debug)]
pub enum SaveError {
    /// Someone saved since `expected` was read.
    Stale,
    Store(StoreError),
}

impl From<StoreError> for SaveError {
    fn from(e: StoreError) -> Self {
        SaveError::Store(e)
    }
}

/// Stores `value` under `key` if the setting is still at `expected`; the new revision.
pub fn save(
    store: &dyn Store,
    tenant: &TenantId,
    key: &str,
    value: &str,
    expected: &str,
    audit: &AuditEvent,
) -> Result<String, SaveError> {
    let current = store.tenant_setting(tenant, key)?;
    if revision(current.as_deref()) != expected {
        return Err(SaveError::Stale);
    }
    store.put_tenant_setting(tenant, key, value, audit)?;
    Ok(revision(Some(value)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revisions_follow_the_text() {
        assert_eq!(revision(None), "standard");
        assert_eq!(revision(Some("a")), revision(Some("a")));
        assert_ne!(revision(Some("a")), revision(Some("b")));
        assert_eq!(revision(Some("a")).len(), 24);
    }
}
