//! Every storage role, for code that calls them on a concrete backend: `use madoguchi_store::prelude::*;`.

pub use crate::roles::{
    AccountStore, ArrivalStore, AuditStore, CaseStore, CertificateStore, HandoverStore,
    LinkageStore, NoticeStore, PortalStore, PreApplicationStore, ResidentStore, SessionStore,
    Store, TenantStore,
};
