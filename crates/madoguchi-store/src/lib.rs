//! The server's storage boundary.
//!
//! **Architecture invariant:** the server talks to storage only through [`Store`]. Each backend lives in
//! its own crate (`madoguchi-store-sqlite`, later `madoguchi-store-postgres`) with its own append-only
//! migrations, and every backend must pass the conformance suite (`madoguchi_testkit::conformance::run_all`,
//! in the backends' tests).
//!
//! The trait is synchronous: backends are called from `tokio::task::spawn_blocking` in the server.
//! Every method is scoped by a [`TenantId`]; a backend must never return another tenant's rows.

pub mod audit;
pub mod case_summary;
mod error;
mod import;
pub mod prelude;
mod records;
mod roles;
mod search_keys;
mod tenant;

pub use madoguchi_core::permission::{Permission, PermissionSet};

pub use audit::{AuditCheck, AuditEvent, AuditFilter, AuditPage, AuditRecord, AuditState};
pub use error::{StoreError, StoreResult};
pub use import::{
    ImportApplied, ImportCounts, ImportDecision, ImportMeta, ImportMode, PutOutcome, ResidentSink,
};
pub use records::FormBackground;
pub use records::NoticeRecord;
pub use records::PreApplication;
pub use records::{CardSerial, CardSerialChange};
pub use records::{
    CaseEntry, CaseFilter, CaseHistoryRow, CaseRecord, CaseSaved, CaseWrite, IncomingMove,
};
pub use records::{
    CertificateCounters, CertificateEntry, CertificateFilter, CertificateIssue, CertificateRecord,
    CertificatesIssued, NewCertificate, Revocation,
};
pub use records::{
    CounterRecord, GroupRecord, NewUser, SessionRecord, TerminalRecord, UpsertCounts, UserEdit,
    UserRecord,
};
pub use records::{LinkageFile, LinkageOutcome, OutboundBatch};
pub use records::{
    NOT_IN_PROTECTED_HOUSEHOLD, QualificationChange, QualificationRecord, ResidentQuery,
    SupportMeasureRecord, Town,
};
pub use records::{
    NewPortalApplication, PORTAL_ATTACHMENT_MAX_BYTES, PORTAL_STATUSES, PortalApplication,
    PortalAttachment, PortalAttachmentMeta, PortalStatusChange,
};
pub use records::{Reservation, ReservationChange, ReservationSource, ReservationStatus};
pub use records::{SealRegistration, SealRegistrationChange};
pub use records::{TaxChange, TaxRecord};
pub use roles::{
    AccountStore, ArrivalStore, AuditIssue, AuditStore, BuildCertificate, CaseStore,
    CertificateStore, HandoverStore, LinkageStore, NoticeStore, PortalStore, PreApplicationStore,
    ResidentStore, SessionStore, Store, TenantStore,
};
pub use search_keys::SearchKeys;
pub use tenant::TenantId;
