//! The storage roles on SQLite, one file per role (`madoguchi_store::roles`).

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
