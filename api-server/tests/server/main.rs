//! The server's integration tests in one test binary (the whole server is linked once, not once per
//! area), one module per area. They share the process: nothing here changes the environment or the
//! working directory, each in-process server has its own store and limits, and what servers log goes to
//! one capture for the process (`madoguchi_testkit::logs`). Shared support is in `madoguchi_testkit`;
//! `common` holds the case fixtures of these tests.
//!
//! * `accounts`: the admin console's accounts, groups and counters (temporary passwords, revisions,
//!   the last administrator, the staff CSV).
//! * `arrivals`: 転入予約 — the `tenshutsu` feed, the 来庁予定者 routes and the evening preparation.
//! * `api`: search, households, import, sessions, logs, updates, login limits, over the in-process API.
//! * `audit_viewer`: the audit viewer's search, CSV and chain verification.
//! * `case_permissions`: per-procedure permissions on a case save (route and upload).
//! * `cases`: cases saved once per write id with their history, past-case search, printing, 転入 notices.
//! * `city_texts`: the city's fee table and memo 定型文 edited on the admin screen.
//! * `cli`: the real `madoguchi-server` binary — import, seeding, staff CSV, audit, serving over TCP,
//!   demo, PostgreSQL chosen by the URL, hand-over commands.
//! * `form_backgrounds`: background PDFs under a city's templates, and the preview with a chosen case.
//! * `form_editor`: the form template editor's source, live preview with sample data, and publishing.
//! * `guide`: the public 手続きガイド (no login, no staff texts, nothing stored).
//! * `handover`: a tenant's export, import and deletion.
//! * `import`: the resident importer's bad input.
//! * `issuance`: the issuance station's requests (JPKI, the cards feed, 受付番号) and staff's actions.
//! * `jpki`: JPKI user authentication, the verifier and over the API.
//! * `kiosk_pre_applications`: 事前申請 read at the kiosk (QR symbols or 受付番号 + birth date), the
//!   entries only.
//! * `linkage`: the core-system linkage job on a folder and on moto's S3, and its status for admins.
//! * `notices`: notices to staff, read marks, maintenance notices and the 503 during a window.
//! * `portal`: 申請管理 — a マイナポータル ZIP imported once, candidates, the 支援措置 gate, one-key cases.
//! * `portal_connector`: the connector against the portal simulator (500s, recovery, the proxy).
//! * `pre_applications`: 事前申請 — entries signed into QR codes, sent under a 受付番号, read at the
//!   counter.
//! * `security`: every route's access and audited denials, tenants, 支援措置, and Security II by point
//!   (`security/`).
//! * `sync`: the terminals' outbox upload and reference downloads.
//! * `terminal_devices`: the devices terminals report, shown to administrators.
//! * `tls`: the binary over HTTPS with a test CA, plain HTTP off loopback, trusted proxies.

mod accounts;
mod api;
mod arrivals;
mod audit_viewer;
mod case_permissions;
mod cases;
mod certificates;
mod city_texts;
mod cli;
mod common;
mod form_backgrounds;
mod form_editor;
mod guide;
mod handover;
mod import;
mod issuance;
mod jpki;
mod kiosk_pre_applications;
mod languages;
mod linkage;
mod navigation_editor;
mod notices;
mod portal;
mod portal_connector;
mod portal_reservations;
mod pre_applications;
mod public_towns;
mod security;
mod statistics;
mod sync;
mod terminal_devices;
mod tls;
