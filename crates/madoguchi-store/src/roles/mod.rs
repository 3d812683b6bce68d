//! The storage roles: one trait per concern, each a file, and [`Store`], their sum, which every backend
//! is. Code that needs one concern may ask for that role alone (`&dyn ResidentStore`).

mod accounts;
mod arrivals;
mod audit_log;
mod cases;
mod certificates;
mod handover;
mod linkage;
mod notices;
mod portal;
mod pre_applications;
mod residents;
mod sessions;
mod tenants;

pub use accounts::AccountStore;
pub use arrivals::ArrivalStore;
pub use audit_log::AuditStore;
pub use cases::CaseStore;
pub use certificates::{AuditIssue, BuildCertificate, CertificateStore};
pub use handover::HandoverStore;
pub use linkage::LinkageStore;
pub use notices::NoticeStore;
pub use portal::PortalStore;
pub use pre_applications::PreApplicationStore;
pub use residents::ResidentStore;
pub use sessions::SessionStore;
pub use tenants::TenantStore;

/// Server storage: every role. See the crate docs for the invariants.
pub trait Store:
    TenantStore
    + ResidentStore
    + AccountStore
    + SessionStore
    + CaseStore
    + CertificateStore
    + LinkageStore
    + HandoverStore
    + AuditStore
    + NoticeStore
    + PortalStore
    + ArrivalStore
    + PreApplicationStore
    + Send
    + Sync
    + 'static
{
}

impl<T> Store for T where
    T: TenantStore
        + ResidentStore
        + AccountStore
        + SessionStore
        + CaseStore
        + CertificateStore
        + CertificateStore
        + LinkageStore
        + HandoverStore
        + AuditStore
        + NoticeStore
        + PortalStore
        + ArrivalStore
        + PreApplicationStore
        + Send
        + Sync
        + 'static
{
}
