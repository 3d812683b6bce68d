//! Appending to the audit log from request handlers. Records hold identifiers only (宛名番号, 世帯番号,
//! file hashes), never names or addresses. An action whose audit record cannot be written fails.

use chrono::Utc;
use madoguchi_store::{AuditEvent, Store, TenantId};

use crate::auth::Session;

/// An audit record that could not be written (the action it records must then fail).
#[derive(Debug)]
pub struct AuditFailed(pub String);

impl std::fmt::Display for AuditFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "audit record not written: {}", self.0)
    }
}

impl std::error::Error for AuditFailed {}

impl From<crate::tasks::TaskFailed> for AuditFailed {
    fn from(e: crate::tasks::TaskFailed) -> Self {
        failed(e)
    }
}

fn failed(e: impl std::fmt::Display) -> AuditFailed {
    AuditFailed(e.to_string())
}

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

fn append(store: &dyn Store, event: &AuditEvent) -> Result<(), AuditFailed> {
    store.append_audit(event).map(|_| ()).map_err(failed)
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
) -> Result<(), AuditFailed> {
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
) -> Result<(), AuditFailed> {
    store
        .append_read_audit(&event_for(session, action, subject, result))
        .map_err(failed)
}

/// Appends a record for the logged-in staff member of `session`.
pub fn by_session(
    store: &dyn Store,
    session: &Session,
    action: &str,
    subject: Option<String>,
    result: &str,
) -> Result<(), AuditFailed> {
    append(store, &event_for(session, action, subject, result))
}

/// Midnight at the start of `d` in Japan, as UTC.
pub fn jst_midnight(d: chrono::NaiveDate) -> chrono::DateTime<Utc> {
    d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc() - chrono::Duration::hours(9)
}

/// Audit records as CSV for a PIA review (header in Japanese, times in Japan time), one line each; cells
/// neutralised against spreadsheet formulas ([`crate::csv_text`]).
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
                .map(|c| crate::csv_text::cell(c))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push('\n');
    }
    out
}

/// Tenant setting holding the key of [`query_digest`] (created on first use, never sent anywhere).
const QUERY_KEY: &str = "audit_query_key";

/// The tenant's key for digests of search texts, created on first use.
/// `created` is the audit event of its creation.
pub fn query_key(
    store: &dyn Store,
    tenant: &TenantId,
    created: &AuditEvent,
) -> anyhow::Result<[u8; 32]> {
    use base64::Engine;
    let engine = base64::engine::general_purpose::STANDARD;
    let text = match store.tenant_setting(tenant, QUERY_KEY)? {
        Some(t) => t,
        None => {
            let mut secret = [0u8; 32];
            ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut secret)
                .map_err(|_| anyhow::anyhow!("no randomness"))?;
            store.put_tenant_setting(tenant, QUERY_KEY, &engine.encode(secret), created)?;
            // Two first searches at once: both use whichever key was stored last.
            store
                .tenant_setting(tenant, QUERY_KEY)?
                .ok_or_else(|| anyhow::anyhow!("query key vanished"))?
        }
    };
    let bytes = engine.decode(text.trim())?;
    bytes
        .try_into()
        .map_err(|_| anyhow::anyhow!("stored query key has the wrong length"))
}

/// `query:` and 32 hex digits of HMAC-SHA256 over a search's trimmed texts: recorded with every search
/// (the text itself holds names and addresses and stays out of the log), so that an investigation can
/// ask whether a given text was searched (`madoguchi-server audit query-digest`).
pub fn query_digest(key: &[u8; 32], params: &crate::search::SearchParams) -> String {
    let k = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, key);
    let mut ctx = ring::hmac::Context::with_key(&k);
    for (name, v) in [
        ("q", &params.q),
        ("birth", &params.birth),
        ("address", &params.address),
    ] {
        let v = v.as_deref().map(str::trim).unwrap_or_default();
        ctx.update(name.as_bytes());
        ctx.update(&(v.len() as u32).to_be_bytes());
        ctx.update(v.as_bytes());
    }
    let tag = ctx.sign();
    format!("query:{}", crate::import::hex(&tag.as_ref()[..16]))
}
