//! Applications received through マイナポータル and their attachments.

use chrono::{DateTime, Utc};

use crate::{
    AuditEvent, NewPortalApplication, PortalApplication, PortalAttachment, PortalStatusChange,
    StoreResult, TenantId,
};

/// マイナポータル applications (申請管理), per tenant, each kept once by its application number.
pub trait PortalStore {
    /// Stores the applications that are new (by application number) with their attachments, all in
    /// one transaction (all or nothing), status `unprocessed`, `imported_at` = `at`. Applications
    /// already stored are left as they are. `Conflict` if an attachment exceeds
    /// [`crate::PORTAL_ATTACHMENT_MAX_BYTES`] (nothing stored). Returns the application numbers
    /// stored now, in the given order. Audited in the same transaction.
    fn put_portal_applications(
        &self,
        tenant: &TenantId,
        applications: &[NewPortalApplication],
        at: DateTime<Utc>,
        audit: &AuditEvent,
    ) -> StoreResult<Vec<String>>;
    /// The tenant's applications (optionally of one status), the latest received first, without
    /// their attachments.
    fn portal_applications(
        &self,
        tenant: &TenantId,
        status: Option<&str>,
    ) -> StoreResult<Vec<PortalApplication>>;
    /// One application with its attachments' names, types and sizes.
    fn portal_application(
        &self,
        tenant: &TenantId,
        application_no: &str,
    ) -> StoreResult<Option<PortalApplication>>;
    /// One attachment with its content.
    fn portal_attachment(
        &self,
        tenant: &TenantId,
        application_no: &str,
        index: i64,
    ) -> StoreResult<Option<PortalAttachment>>;
    /// Sets the status (and the case when given); the status is then not yet reported to the portal.
    /// `NotFound` if there is no such application. Audited in the same transaction.
    fn set_portal_status(
        &self,
        tenant: &TenantId,
        application_no: &str,
        change: &PortalStatusChange,
        audit: &AuditEvent,
    ) -> StoreResult<()>;
    /// Records that the portal now has `status` for the application — only if that is still its
    /// status (a change in between stays unreported). Returns whether it was recorded.
    fn mark_portal_status_sent(
        &self,
        tenant: &TenantId,
        application_no: &str,
        status: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<bool>;
}
