//! Appending to the audit log from request handlers. Records hold identifiers only (宛名番号, 世帯番号,
//! file hashes), never names or addresses. An action whose audit record cannot be written fails.

use chrono::Utc;
use madoguchi_store::{AuditEvent, Store, TenantId};

use crate::api::ApiError;
use crate::auth::Session;

/// An event happening now. `terminal` is left empty until terminals identify themselves.
pub fn event(
    tenant: &TenantId,
    user: Option<&str>,
    counter: Option<&str>,
    action: &str,
    subject: Option<String>,
    result: &str,
) -> AuditEvent {
    AuditEvent {
        tenant: tenant.clone(),
        at: Utc::now(),
        user: user.map(str::to_owned),
        counter: counter.map(str::to_owned),
        terminal: None,
        action: action.to_owned(),
        subject,
        result: result.to_owned(),
    }
}

/// The event of a staff member's action (for stores that append it inside their own transaction).
pub fn event_for(
    session: &Session,
    action: &str,
    subject: Option<String>,
    result: &str,
) -> AuditEvent {
    let r = &session.record;
    event(
        &r.tenant,
        Some(&r.login),
        Some(&r.counter),
        action,
        subject,
        result,
    )
}

fn append(store: &dyn Store, event: &AuditEvent) -> Result<(), ApiError> {
    store
        .append_audit(event)
        .map(|_| ())
        .map_err(ApiError::internal)
}

/// Appends one record; a failure becomes a 500 (the action must not proceed unaudited).
pub fn record(
    store: &dyn Store,
    tenant: &TenantId,
    user: Option<&str>,
    counter: Option<&str>,
    action: &str,
    subject: Option<String>,
    result: &str,
) -> Result<(), ApiError> {
    append(
        store,
        &event(tenant, user, counter, action, subject, result),
    )
}

/// Appends a record for the logged-in staff member of `session`.
pub fn by_session(
    store: &dyn Store,
    session: &Session,
    action: &str,
    subject: Option<String>,
    result: &str,
) -> Result<(), ApiError> {
    append(store, &event_for(session, action, subject, result))
}
