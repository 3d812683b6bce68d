//! Appending to the audit log from request handlers. Records hold identifiers only (宛名番号, 世帯番号,
//! file hashes), never names or addresses. An action whose audit record cannot be written fails.

use chrono::Utc;
use madoguchi_store::{AuditEvent, Store, TenantId};

use crate::api::ApiError;
use crate::auth::Session;

/// An event happening now, with no terminal (set it for sessions and commands that have one).
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
        reason: None,
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
    AuditEvent {
        terminal: r.terminal.clone(),
        ..event(
            &r.tenant,
            Some(&r.login),
            Some(&r.counter),
            action,
            subject,
            result,
        )
    }
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

/// Appends the record of a read (search results, a resident or household shown) for the staff member of
/// `session`; see [`Store::append_read_audit`] for when it reaches the disk.
pub fn read_by_session(
    store: &dyn Store,
    session: &Session,
    action: &str,
    subject: Option<String>,
    result: &str,
) -> Result<(), ApiError> {
    store
        .append_read_audit(&event_for(session, action, subject, result))
        .map_err(ApiError::internal)
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

/// Midnight at the start of `d` in Japan, as UTC.
pub fn jst_midnight(d: chrono::NaiveDate) -> chrono::DateTime<Utc> {
    d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc() - chrono::Duration::hours(9)
}

fn csv_cell(v: &str) -> String {
    if v.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v.to_owned()
    }
}

/// Audit records as CSV for a PIA review (header in Japanese, times in Japan time), one line each.
pub fn to_csv(records: &[madoguchi_store::AuditRecord]) -> String {
    let jst = chrono::FixedOffset::east_opt(9 * 3600);
    let mut out = String::from("記録番号,日時,ユーザー,窓口,端末,操作,対象,結果,理由,ハッシュ\n");
    for r in records {
        let e = &r.event;
        let cells = [
            r.id.to_string(),
            jst.map_or_else(
                || e.at.to_rfc3339(),
                |z| e.at.with_timezone(&z).to_rfc3339(),
            ),
            e.user.clone().unwrap_or_default(),
            e.counter.clone().unwrap_or_default(),
            e.terminal.clone().unwrap_or_default(),
            e.action.clone(),
            e.subject.clone().unwrap_or_default(),
            e.result.clone(),
            e.reason.clone().unwrap_or_default(),
            crate::import::hex(&r.hash),
        ];
        out.push_str(
            &cells
                .iter()
                .map(|c| csv_cell(c))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push('\n');
    }
    out
}
