//! The devices each terminal reports (`madoguchi_api::DeviceReport`), one tenant setting per terminal
//! (`terminal_devices:<terminal id>`, JSON with the time the server received it), read by the admin
//! screens (発行端末の設定, 端末管理). No HTTP here: the route is in `api/terminal_devices.rs`.

use madoguchi_api::{DeviceReport, DeviceStatus};
use madoguchi_store::{AuditEvent, Store, StoreError, TenantId};

fn key(terminal: &str) -> String {
    format!("terminal_devices:{terminal}")
}

/// The last report of `terminal`, or `None` when it never reported (a stored value that no longer
/// parses counts as none, logged).
pub fn stored(
    store: &dyn Store,
    tenant: &TenantId,
    terminal: &str,
) -> Result<Option<DeviceStatus>, StoreError> {
    let Some(text) = store.tenant_setting(tenant, &key(terminal))? else {
        return Ok(None);
    };
    Ok(serde_json::from_str(&text)
        .inspect_err(|e| tracing::error!("stored device report no longer parses: {e}"))
        .ok())
}

/// Keeps `report` as `terminal`'s latest, received `now` (audited through `event`).
pub fn put(
    store: &dyn Store,
    tenant: &TenantId,
    terminal: &str,
    report: DeviceReport,
    now: chrono::DateTime<chrono::Utc>,
    event: &AuditEvent,
) -> Result<DeviceStatus, StoreError> {
    let status = DeviceStatus {
        reported_at: now,
        report,
    };
    let text = serde_json::to_string(&status).map_err(|e| StoreError::Backend(e.to_string()))?;
    store.put_tenant_setting(tenant, &key(terminal), &text, event)?;
    Ok(status)
}
