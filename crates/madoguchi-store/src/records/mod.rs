//! The records the storage roles read and write, by area.

mod accounts;
mod arrivals;
mod cards;
mod cases;
mod certificates;
mod forms;
mod linkage;
mod notices;
mod portal;
mod pre_applications;
mod residents;
mod seals;
mod tax;

pub use accounts::{
    CounterRecord, GroupRecord, NewUser, SessionRecord, TerminalRecord, UpsertCounts, UserEdit,
    UserRecord,
};
pub use arrivals::{Reservation, ReservationChange, ReservationSource, ReservationStatus};
pub use cards::{CardSerial, CardSerialChange};
pub use cases::{
    CaseEntry, CaseFilter, CaseHistoryRow, CaseRecord, CaseSaved, CaseWrite, IncomingMove,
};
pub use certificates::{
    CertificateCounters, CertificateEntry, CertificateFilter, CertificateIssue, CertificateRecord,
    CertificatesIssued, NewCertificate, Revocation,
};
pub use forms::FormBackground;
pub use linkage::{LinkageFile, LinkageOutcome, OutboundBatch};
pub use notices::NoticeRecord;
pub use portal::{
    NewPortalApplication, PORTAL_ATTACHMENT_MAX_BYTES, PORTAL_STATUSES, PortalApplication,
    PortalAttachment, PortalAttachmentMeta, PortalStatusChange,
};
pub use pre_applications::PreApplication;
pub use residents::{
    NOT_IN_PROTECTED_HOUSEHOLD, QualificationChange, QualificationRecord, ResidentQuery,
    SupportMeasureRecord, Town,
};
pub use seals::{SealRegistration, SealRegistrationChange};
pub use tax::{TaxChange, TaxRecord};
