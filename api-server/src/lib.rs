//! Madoguchi counter server as a library: the axum router, its services, and the CLI's building blocks.
//! The binary (`main.rs`) only parses arguments and calls into here.
//!
//! Layers, each importing only those below it (no import cycle, `xtask/tests/tidy.rs`): `api` (HTTP:
//! routes, extractors, wire views, `ApiError`) → services (`auth`, `audit`, `search`, `linkage`,
//! `handover`, `seed`, `import`, `printing`, `privacy`, …, each with its own errors) → `madoguchi-store`
//! and `madoguchi-core`. `state` is what the HTTP layer shares; `tasks` and `clock` serve every layer.

pub mod accounts;
pub mod api;
pub mod arrivals;
pub mod audit;
pub mod audit_anchor;
pub mod auth;
pub mod case_history_export;
pub mod case_statistics;
pub mod certificate_history;
pub mod certificates;
pub mod city_settings;
pub mod clock;
pub mod config;
pub mod csv_text;
pub mod enrollment;
pub mod handover;
pub mod handover_seal;
pub mod import;
pub mod incoming_moves;
pub mod issuance;
pub mod jpki;
pub mod jpki_challenges;
pub mod linkage;
pub mod local_rules;
pub mod login_backoff;
pub mod notices;
pub mod portal;
pub mod printing;
pub mod privacy;
pub mod requester;
pub mod search;
pub mod seed;
pub mod staff_import;
pub mod state;
pub mod station_setup;
pub mod statistics_csv;
pub mod tasks;
pub mod terminal_devices;
pub mod tls;

pub use state::AppState;
pub use tasks::blocking;
