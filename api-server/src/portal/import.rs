//! The manual path: a ZIP the staff downloaded from マイナポータル's 申請管理, read whole by the
//! [`super::adapter`] and stored in one transaction — all of it or nothing; an application stored
//! before (same 申請番号) is left as it is, so the same ZIP imported twice is applied once.

use chrono::{DateTime, Utc};
use madoguchi_store::{AuditEvent, NewPortalApplication, Store, StoreError, TenantId};

use super::{IntakeError, adapter};

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    /// Applications in the input.
    pub total: usize,
    /// Their numbers stored now.
    pub added: Vec<String>,
    /// 転入予約 among them now expected on a day (来庁予定者, `super::reservation`).
    pub reserved: usize,
}

impl ImportReport {
    /// Applications of the input stored before.
    pub fn already(&self) -> usize {
        self.total - self.added.len()
    }
}

/// Stores the applications (one transaction, audited with `audit`).
pub fn store_applications(
    store: &dyn Store,
    tenant: &TenantId,
    applications: &[NewPortalApplication],
    at: DateTime<Utc>,
    audit: &AuditEvent,
) -> Result<ImportReport, ImportFailed> {
    let added = store.put_portal_applications(tenant, applications, at, audit)?;
    let reserved = join_reservations(store, tenant, &added, audit)?;
    Ok(ImportReport {
        total: applications.len(),
        added,
        reserved,
    })
}

/// Joins the 転入予約 among the applications `added` to the 来庁予定者; how many now have a day.
pub fn join_reservations(
    store: &dyn Store,
    tenant: &TenantId,
    added: &[String],
    audit: &AuditEvent,
) -> Result<usize, StoreError> {
    let mut reserved = 0;
    for no in added {
        let Some(application) = store.portal_application(tenant, no)? else {
            continue;
        };
        let event = AuditEvent {
            action: "reservation.portal".into(),
            subject: Some(format!("portal:{no}")),
            ..audit.clone()
        };
        if let super::reservation::Joined::Reserved { .. } =
            super::reservation::join(store, tenant, &application, &event)?
        {
            reserved += 1;
        }
    }
    Ok(reserved)
}

/// Reads and stores a downloaded ZIP.
pub fn import_zip(
    store: &dyn Store,
    tenant: &TenantId,
    zip: &[u8],
    at: DateTime<Utc>,
    audit: &AuditEvent,
) -> Result<ImportReport, ImportFailed> {
    let applications = adapter::read_zip(zip)?;
    let mut seen = std::collections::HashSet::new();
    if let Some(dup) = applications
        .iter()
        .find(|a| !seen.insert(a.application_no.as_str()))
    {
        return Err(ImportFailed::Input(IntakeError(format!(
            "ZIP ファイルに申請番号 {} が2回あります。",
            dup.application_no
        ))));
    }
    store_applications(store, tenant, &applications, at, audit)
}

/// Why an import stored nothing.
#[derive(Debug, thiserror::Error)]
pub enum ImportFailed {
    /// The input: a message for staff.
    #[error(transparent)]
    Input(#[from] IntakeError),
    #[error(transparent)]
    Store(#[from] StoreError),
}
