//! Helpers every conformance check uses: tenants, timestamps, audit events.

use chrono::{DateTime, TimeZone, Utc};
use madoguchi_store::{AuditEvent, Store, TenantId};

pub(super) fn t(id: &str) -> TenantId {
    TenantId(id.to_owned())
}

pub(super) fn at(secs: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(1_790_000_000 + secs, 0)
        .single()
        .expect("valid timestamp")
}

/// An audit event for account changes made by the suite.
pub(super) fn ev(tenant: &TenantId, action: &str) -> AuditEvent {
    AuditEvent {
        tenant: tenant.clone(),
        at: at(0),
        user: Some("admin".into()),
        counter: None,
        terminal: Some("conformance".into()),
        action: action.into(),
        subject: None,
        result: "ok".into(),
        reason: None,
    }
}

pub(super) fn audit_count(s: &dyn Store, tenant: &TenantId) -> usize {
    s.audit_records(tenant, at(-1), at(100_000))
        .expect("records")
        .len()
}
