//! The case document (案件): what the counter records of one visit — who came and how they were
//! identified, the 届出 with their households, 手続きナビ's answers and procedures, certificates requested,
//! the memo and the resident's signature. It is the product's central object: the terminals send it, the
//! server checks it ([`check_document`]), stores it ([`stored`], with a schema version), prints from it
//! ([`form_data`]) and exports it to the core systems.
//!
//! The wire type of the HTTP API is this type itself, its OpenAPI schema generated from it (feature
//! `openapi`); the stored form is [`stored::write`]'s, which adds the schema version.

mod check;
mod form_data;
mod model;
pub mod permissions;
mod request_data;
pub mod stored;
mod summary;

pub use check::{DocumentError, check_document};
pub use form_data::{default_templates, form_data};
pub use model::{
    CardFace, CaseDocument, CaseMember, CaseProcedure, CertificateLine, IncomingMoveView,
    JpkiCheck, NewAddress, Notification, Payment, PointWire, SignatureWire, StationRequest,
    Visitor,
};
pub use request_data::certificate_request;
pub use summary::{facts, title};
