//! The issuance stations' setups (発行端末の設定, `core::certificate::station_setup`), one tenant setting
//! per station terminal (`station_setup:<terminal id>`, JSON), so that two administrators editing two
//! stations never overwrite each other. No HTTP here: the routes are in `api/station_setup.rs`.

use madoguchi_core::certificate::station_setup::StationSetup;
use madoguchi_store::{AuditEvent, Store, StoreError, TenantId};

use crate::issuance::DEFAULT_OFFERS;

fn key(terminal: &str) -> String {
    format!("station_setup:{terminal}")
}

/// The setup of `terminal` as stored, or `None` when the city never set it up (a stored value that
/// no longer parses counts as none, logged).
pub fn stored(
    store: &dyn Store,
    tenant: &TenantId,
    terminal: &str,
) -> Result<Option<StationSetup>, StoreError> {
    let Some(text) = store.tenant_setting(tenant, &key(terminal))? else {
        return Ok(None);
    };
    Ok(serde_json::from_str(&text)
        .inspect_err(|e| tracing::error!("stored station setup no longer parses: {e}"))
        .ok())
}

/// The setup `terminal` works with: its own, or the default ([`DEFAULT_OFFERS`], printed by hand).
pub fn setup_of(
    store: &dyn Store,
    tenant: &TenantId,
    terminal: &str,
) -> Result<StationSetup, StoreError> {
    Ok(stored(store, tenant, terminal)?
        .unwrap_or_else(|| StationSetup::default_for(&DEFAULT_OFFERS)))
}

/// Stores a checked setup for `terminal` (audited through `event`).
pub fn put(
    store: &dyn Store,
    tenant: &TenantId,
    terminal: &str,
    setup: &StationSetup,
    event: &AuditEvent,
) -> Result<(), StoreError> {
    let text = serde_json::to_string(setup).map_err(|e| StoreError::Backend(e.to_string()))?;
    store.put_tenant_setting(tenant, &key(terminal), &text, event)
}
