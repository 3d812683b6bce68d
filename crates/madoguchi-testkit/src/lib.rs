//! **Test support, never shipped**: what the workspace's tests share, so that no production crate carries
//! a test harness and no test file carries its own copy of one. Only `[dev-dependencies]` name this crate
//! (and the PostgreSQL store's benchmark example); each part is a feature, so a crate's tests build only
//! what they use.
//!
//! * [`conformance`] (feature `conformance`): the suite every `madoguchi_store::Store` backend passes
//!   (`run_all`), and its record builders (`resident`, `audit_event`).
//! * [`throwaway`] (feature `throwaway`): a private PostgreSQL server from Debian's binaries in a temporary
//!   directory, with the owner and application roles of production.
//! * [`moto`] (feature `moto`): moto's S3-compatible server on a free loopback port.
//! * [`app`] (feature `app`): [`app::TestApp`], the server's router in-process over a store (tenants, staff
//!   and residents of the tests, settings, a chosen store), driven with `tower::oneshot`; request helpers
//!   and logins. With it: [`residents`] (resident CSV files built from column overrides, the small city of
//!   the tests), [`staff`] (the staff, group and counters every test tenant has), [`terminal`] (enrolled
//!   terminals that sign their logins) and [`logs`] (what the server logs during the tests).
//! * [`process`]: free ports and child processes killed when dropped, for tests that run the server's
//!   binary.

#[cfg(feature = "app")]
pub mod app;
#[cfg(feature = "conformance")]
pub mod conformance;
#[cfg(feature = "app")]
pub mod logs;
#[cfg(feature = "moto")]
pub mod moto;
pub mod process;
#[cfg(feature = "app")]
pub mod residents;
#[cfg(feature = "app")]
pub mod staff;
#[cfg(feature = "app")]
pub mod terminal;
#[cfg(feature = "throwaway")]
pub mod throwaway;
