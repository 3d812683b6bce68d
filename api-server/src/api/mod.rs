//! HTTP API: routes, wire types and the OpenAPI document.
//!
//! **Architecture invariant:** every route is declared in one table with its access (public, any session,
//! or a permission); the router is built from that table. Handlers reach storage only through
//! [`madoguchi_store::Store`] on a blocking thread.

mod accounts;
mod admin;
pub mod arrivals;
mod audit_verification;
mod audit_viewer;
mod case_forms;
mod case_permissions;
pub mod cases;
pub mod certificate_history;
pub mod certificate_settings;
pub mod certificates;
mod city_texts;
mod error;
pub mod extract;
pub mod fees;
mod form_backgrounds;
mod form_editor;
mod form_preview;
pub mod forms;
mod guide;
pub mod issuance;
pub mod issuance_rules;
pub mod jpki;
pub mod linkage;
mod maintenance;
pub mod navigation;
pub mod navigation_editor;
pub mod navigation_lang;
pub mod notices;
pub mod portal;
mod portal_case;
pub mod portal_connector;
pub mod pre_applications;
pub mod print_agent;
pub mod public_quota;
mod public_towns;
pub mod qr;
mod query;
pub mod residents;
mod session;
pub mod station_hours;
pub mod station_setup;
mod statistics;
pub mod sync;
mod terminal_devices;
mod terminals;
pub mod updates;

use std::time::Instant;

use axum::extract::{DefaultBodyLimit, FromRequestParts, MatchedPath, Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{MethodRouter, delete, get, post, put};
use axum::{Json, Router};
use madoguchi_core::permission::Permission;
use serde::Serialize;
use tower_http::catch_panic::CatchPanicLayer;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

pub use crate::clock::today_jst;
pub use error::{ApiError, Denial};
pub use madoguchi_api::{ErrorBody, ErrorDetail};
pub use query::QueryMap;

use crate::AppState;
use crate::audit;
use crate::auth::Session;

#[derive(OpenApi)]
#[openapi(
    info(title = "Madoguchi API", description = "書かない窓口 counter server"),
    paths(
        health,
        session::login,
        session::counters,
        session::logout,
        session::me,
        session::change_password,
        residents::search_residents,
        residents::get_resident,
        residents::disclose_address,
        residents::get_household,
        residents::import_residents,
        linkage::status,
        linkage::export,
        linkage::confirm,
        navigation_lang::evaluate,
        guide::guide_evaluate,
        public_towns::public_towns,
        pre_applications::sign::sign,
        pre_applications::send::send,
        pre_applications::send::delete,
        pre_applications::counter::get,
        pre_applications::kiosk::read,
        navigation::procedures,
        fees::quote,
        fees::get_table,
        fees::put_table,
        city_texts::get_fees,
        city_texts::put_fees,
        city_texts::get_memo_phrases,
        city_texts::put_memo_phrases,
        navigation::put_rules,
        navigation_editor::editor,
        navigation_editor::check,
        navigation_editor::trial,
        navigation_editor::save_draft,
        navigation_editor::publish,
        navigation_lang::translation_gaps,
        forms::print_forms,
        forms::list_templates,
        forms::add_template,
        form_preview::preview_template,
        form_backgrounds::list_backgrounds,
        form_backgrounds::upload_background,
        form_editor::template_source,
        form_editor::publish_template,
        accounts::list_users,
        accounts::create_user,
        accounts::edit_user,
        accounts::unlock_user,
        accounts::reset_password,
        accounts::import_users,
        accounts::export_users,
        accounts::list_permissions,
        accounts::list_groups,
        accounts::put_group,
        accounts::list_counters,
        accounts::put_counter,
        admin::export_audit,
        notices::list_notices,
        notices::list_notice_audiences,
        notices::create_notice,
        notices::update_notice,
        notices::my_notices,
        notices::mark_notice_read,
        notices::public_maintenance,
        portal::list_applications,
        portal::get_application,
        portal::get_attachment,
        portal::import,
        portal::set_status,
        portal::make_case,
        portal_connector::connector_status,
        portal_connector::run_connector,
        audit_viewer::search_audit,
        audit_viewer::search_audit_csv,
        audit_verification::verify_audit,
        terminals::list,
        terminals::put,
        terminals::remove,
        terminals::set_browser,
        cases::save_case,
        cases::get_case,
        cases::disclose_case,
        cases::list_cases,
        cases::vocabulary,
        cases::print_case,
        certificates::issue_from_case,
        certificate_settings::get_settings,
        certificate_settings::put_settings,
        certificate_settings::preview,
        certificate_settings::get_counter_certificates,
        certificate_settings::put_counter_certificates,
        certificate_settings::own_counter_certificates,
        certificates::verify_certificate,
        certificates::revoke,
        certificate_history::list_certificates,
        certificate_history::certificate_statistics,
        certificate_history::certificate_statistics_csv,
        certificate_history::reprint_certificate,
        issuance::station_status,
        issuance::identify,
        issuance::put_request,
        issuance::list_requests,
        issuance::act,
        print_agent::claim,
        station_setup::list_station_setups,
        station_setup::put_station_setup,
        station_hours::get_station_hours,
        station_hours::put_station_hours,
        issuance_rules::get_issuance_rules,
        issuance_rules::put_issuance_rules,
        cases::towns,
        cases::search_incoming,
        arrivals::list_arrivals,
        arrivals::get_arrival,
        arrivals::prepare_arrival,
        arrivals::prepare_arrivals,
        jpki::challenge,
        jpki::verify,
        jpki::put_crl,
        sync::upload,
        sync::manifest,
        sync::reference,
        terminal_devices::put_devices,
        updates::signed_update,
        qr::resolve,
        statistics::case_statistics,
        statistics::case_statistics_csv,
        statistics::case_history_csv,
    ),
    components(schemas(
        ErrorBody,
        ErrorDetail,
        Health,
        // The 事前申請 entries the resident app builds (its routes take them).
        madoguchi_core::pre_application::Entries
    )),
    modifiers(&BearerAuth),
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// No session needed (login, the counter list for the login screen, health, the API document, the
    /// terminals' signed update file).
    Public,
    /// Any logged-in staff member (their own session and password).
    Authenticated,
    /// A logged-in staff member whose groups *and* counter allow this function.
    Requires(Permission),
    /// A logged-in user with at least one of these permissions (the handler narrows what each allows,
    /// e.g. a kiosk account may only create its own cases). A denial names the first.
    RequiresAny(&'static [Permission]),
    /// No session, but a number of requests per client address and window (the resident's phone app
    /// and the public 手続きガイド): 429 beyond it ([`public_quota`]).
    PublicQuota(public_quota::Quota),
}

/// One route of the API and the access it declares.
#[derive(Debug, Clone)]
pub struct RouteSpec {
    pub method: Method,
    /// Path template as in the OpenAPI document, e.g. `/api/v1/residents/{atena_no}`.
    pub path: &'static str,
    pub access: Access,
}

/// Every route the server has, with its access. The router is built from this table only, so a route
/// cannot exist without declaring who may call it; the API tests check the table against the OpenAPI
/// document and probe every route without the permission.
fn routes() -> Vec<(RouteSpec, MethodRouter<AppState>)> {
    use Access::{Authenticated, Public, PublicQuota, Requires, RequiresAny};
    use Permission as P;
    let r =
        |method: Method, path: &'static str, access: Access, handler: MethodRouter<AppState>| {
            (
                RouteSpec {
                    method,
                    path,
                    access,
                },
                handler,
            )
        };
    vec![
        r(Method::GET, "/", Public, get(index)),
        r(Method::GET, "/healthz", Public, get(health)),
        r(Method::GET, "/api/openapi.json", Public, get(openapi_json)),
        r(
            Method::POST,
            "/api/v1/auth/login",
            Public,
            post(session::login),
        ),
        r(
            Method::GET,
            "/api/v1/auth/counters",
            Public,
            get(session::counters),
        ),
        r(
            Method::POST,
            "/api/v1/auth/logout",
            Authenticated,
            post(session::logout),
        ),
        r(
            Method::GET,
            "/api/v1/auth/me",
            Authenticated,
            get(session::me),
        ),
        r(
            Method::POST,
            "/api/v1/auth/password",
            Authenticated,
            post(session::change_password),
        ),
        r(
            Method::GET,
            "/api/v1/residents",
            Requires(P::Search),
            get(residents::search_residents),
        ),
        r(
            Method::GET,
            "/api/v1/residents/{atena_no}",
            Requires(P::Search),
            get(residents::get_resident),
        ),
        r(
            Method::POST,
            "/api/v1/residents/{atena_no}/address-disclosure",
            Requires(P::OverrideSupportMeasure),
            post(residents::disclose_address),
        ),
        r(
            Method::GET,
            "/api/v1/households/{household_no}",
            Requires(P::Search),
            get(residents::get_household),
        ),
        r(
            Method::POST,
            "/api/v1/imports/residents",
            Requires(P::ImportData),
            // The handler streams the upload to a temporary file and enforces its own size limit.
            post(residents::import_residents).layer(DefaultBodyLimit::disable()),
        ),
        r(
            Method::GET,
            "/api/v1/linkage/status",
            RequiresAny(&[P::Admin, P::ImportData]),
            get(linkage::status),
        ),
        r(
            Method::POST,
            "/api/v1/linkage/export",
            Requires(P::ExportData),
            post(linkage::export),
        ),
        r(
            Method::POST,
            "/api/v1/linkage/confirm",
            Requires(P::Admin),
            post(linkage::confirm),
        ),
        r(
            Method::POST,
            "/api/v1/navigation/evaluate",
            RequiresAny(&[P::AcceptNotification, P::KioskApply]),
            post(navigation_lang::evaluate),
        ),
        r(
            Method::POST,
            "/api/v1/fees/quote",
            Requires(P::RequestCertificate),
            post(fees::quote),
        ),
        r(
            Method::GET,
            "/api/v1/fees/table",
            Requires(P::RequestCertificate),
            get(fees::get_table),
        ),
        r(
            Method::GET,
            "/api/v1/procedures",
            Authenticated,
            get(navigation::procedures),
        ),
        r(
            Method::POST,
            "/api/v1/forms/print",
            Requires(P::PrintForms),
            // Case data with signature strokes can exceed the JSON limit.
            post(forms::print_forms).layer(DefaultBodyLimit::max(1 << 20)),
        ),
        r(
            Method::GET,
            "/api/v1/admin/certificate-settings",
            Requires(P::Admin),
            get(certificate_settings::get_settings),
        ),
        r(
            Method::PUT,
            "/api/v1/admin/certificate-settings",
            Requires(P::Admin),
            put(certificate_settings::put_settings).layer(DefaultBodyLimit::max(512 * 1024)),
        ),
        r(
            Method::POST,
            "/api/v1/admin/certificate-settings/preview",
            Requires(P::Admin),
            post(certificate_settings::preview),
        ),
        r(
            Method::GET,
            "/api/v1/admin/counter-certificates",
            Requires(P::Admin),
            get(certificate_settings::get_counter_certificates),
        ),
        r(
            Method::PUT,
            "/api/v1/admin/counter-certificates",
            Requires(P::Admin),
            put(certificate_settings::put_counter_certificates),
        ),
        r(
            Method::GET,
            "/api/v1/counter/certificates",
            Requires(P::RequestCertificate),
            get(certificate_settings::own_counter_certificates),
        ),
        r(
            Method::PUT,
            "/api/v1/admin/fee-table",
            Requires(P::Admin),
            put(fees::put_table),
        ),
        r(
            Method::GET,
            "/api/v1/admin/fees",
            Requires(P::Admin),
            get(city_texts::get_fees),
        ),
        r(
            Method::PUT,
            "/api/v1/admin/fees",
            Requires(P::Admin),
            put(city_texts::put_fees),
        ),
        r(
            Method::GET,
            "/api/v1/admin/memo-phrases",
            Requires(P::Admin),
            get(city_texts::get_memo_phrases),
        ),
        r(
            Method::PUT,
            "/api/v1/admin/memo-phrases",
            Requires(P::Admin),
            put(city_texts::put_memo_phrases),
        ),
        r(
            Method::PUT,
            "/api/v1/admin/navigation-rules",
            Requires(P::Admin),
            put(navigation::put_rules).layer(DefaultBodyLimit::max(1 << 20)),
        ),
        r(
            Method::GET,
            "/api/v1/admin/navigation/editor",
            Requires(P::Admin),
            get(navigation_editor::editor),
        ),
        r(
            Method::GET,
            "/api/v1/admin/navigation/translations",
            Requires(P::Admin),
            get(navigation_lang::translation_gaps),
        ),
        r(
            Method::POST,
            "/api/v1/admin/navigation/check",
            Requires(P::Admin),
            post(navigation_editor::check).layer(DefaultBodyLimit::max(1 << 20)),
        ),
        r(
            Method::POST,
            "/api/v1/admin/navigation/trial",
            Requires(P::Admin),
            post(navigation_editor::trial).layer(DefaultBodyLimit::max(1 << 20)),
        ),
        r(
            Method::PUT,
            "/api/v1/admin/navigation/draft",
            Requires(P::Admin),
            put(navigation_editor::save_draft).layer(DefaultBodyLimit::max(1 << 20)),
        ),
        r(
            Method::POST,
            "/api/v1/admin/navigation/publish",
            Requires(P::Admin),
            post(navigation_editor::publish).layer(DefaultBodyLimit::max(1 << 20)),
        ),
        r(
            Method::GET,
            "/api/v1/admin/form-templates",
            Requires(P::Admin),
            get(forms::list_templates),
        ),
        r(
            Method::POST,
            "/api/v1/admin/form-templates",
            Requires(P::Admin),
            post(forms::add_template).layer(DefaultBodyLimit::max(256 << 10)),
        ),
        r(
            Method::POST,
            "/api/v1/admin/form-templates/preview",
            Requires(P::Admin),
            post(form_preview::preview_template).layer(DefaultBodyLimit::max(256 << 10)),
        ),
        r(
            Method::POST,
            "/api/v1/admin/form-templates/publish",
            Requires(P::Admin),
            post(form_editor::publish_template).layer(DefaultBodyLimit::max(256 << 10)),
        ),
        r(
            Method::GET,
            "/api/v1/admin/form-backgrounds",
            Requires(P::Admin),
            get(form_backgrounds::list_backgrounds),
        ),
        r(
            Method::POST,
            "/api/v1/admin/form-backgrounds",
            Requires(P::Admin),
            post(form_backgrounds::upload_background)
                .layer(DefaultBodyLimit::max(form_backgrounds::MAX_UPLOAD_BODY)),
        ),
        r(
            Method::GET,
            "/api/v1/admin/form-templates/{id}/{version}",
            Requires(P::Admin),
            get(form_editor::template_source),
        ),
        r(
            Method::GET,
            "/api/v1/admin/users",
            Requires(P::Admin),
            get(accounts::list_users),
        ),
        r(
            Method::POST,
            "/api/v1/admin/users",
            Requires(P::Admin),
            post(accounts::create_user),
        ),
        r(
            Method::PUT,
            "/api/v1/admin/users/{login}",
            Requires(P::Admin),
            put(accounts::edit_user),
        ),
        r(
            Method::POST,
            "/api/v1/admin/users/{login}/unlock",
            Requires(P::Admin),
            post(accounts::unlock_user),
        ),
        r(
            Method::POST,
            "/api/v1/admin/users/{login}/password-reset",
            Requires(P::Admin),
            post(accounts::reset_password),
        ),
        r(
            Method::POST,
            "/api/v1/admin/users/import",
            Requires(P::Admin),
            post(accounts::import_users).layer(DefaultBodyLimit::max(2 << 20)),
        ),
        r(
            Method::GET,
            "/api/v1/admin/users.csv",
            Requires(P::Admin),
            get(accounts::export_users),
        ),
        r(
            Method::GET,
            "/api/v1/admin/permissions",
            Requires(P::Admin),
            get(accounts::list_permissions),
        ),
        r(
            Method::GET,
            "/api/v1/admin/groups",
            Requires(P::Admin),
            get(accounts::list_groups),
        ),
        r(
            Method::PUT,
            "/api/v1/admin/groups/{code}",
            Requires(P::Admin),
            put(accounts::put_group),
        ),
        r(
            Method::GET,
            "/api/v1/admin/counters",
            Requires(P::Admin),
            get(accounts::list_counters),
        ),
        r(
            Method::PUT,
            "/api/v1/admin/counters/{code}",
            Requires(P::Admin),
            put(accounts::put_counter),
        ),
        r(
            Method::GET,
            "/api/v1/admin/terminals",
            Requires(P::Admin),
            get(terminals::list),
        ),
        r(
            Method::PUT,
            "/api/v1/admin/terminals/{id}",
            Requires(P::Admin),
            put(terminals::put),
        ),
        r(
            Method::DELETE,
            "/api/v1/admin/terminals/{id}",
            Requires(P::Admin),
            delete(terminals::remove),
        ),
        r(
            Method::PUT,
            "/api/v1/admin/counters/{code}/browser",
            Requires(P::Admin),
            put(terminals::set_browser),
        ),
        r(
            Method::GET,
            "/api/v1/cases",
            Requires(P::AcceptNotification),
            get(cases::list_cases),
        ),
        r(
            Method::GET,
            "/api/v1/cases/{case_id}",
            Requires(P::AcceptNotification),
            get(cases::get_case),
        ),
        r(
            Method::PUT,
            "/api/v1/cases/{case_id}",
            Requires(P::AcceptNotification),
            // A pen signature can be a few hundred kilobytes of samples.
            put(cases::save_case).layer(DefaultBodyLimit::max(1 << 20)),
        ),
        r(
            Method::POST,
            "/api/v1/cases/{case_id}/disclosure",
            Requires(P::OverrideSupportMeasure),
            post(cases::disclose_case),
        ),
        r(
            Method::POST,
            "/api/v1/cases/{case_id}/print",
            RequiresAny(&[P::PrintForms, P::KioskApply]),
            post(cases::print_case),
        ),
        r(
            Method::POST,
            "/api/v1/cases/{case_id}/certificates",
            Requires(P::IssueCertificates),
            post(certificates::issue_from_case),
        ),
        r(
            Method::POST,
            "/api/v1/certificates/verify",
            Requires(P::IssueCertificates),
            post(certificates::verify_certificate),
        ),
        r(
            Method::POST,
            "/api/v1/certificates/{issue_no}/revoke",
            Requires(P::IssueCertificates),
            post(certificates::revoke),
        ),
        r(
            Method::GET,
            "/api/v1/certificates",
            Requires(P::IssueCertificates),
            get(certificate_history::list_certificates),
        ),
        r(
            Method::GET,
            "/api/v1/certificates/statistics",
            Requires(P::IssueCertificates),
            get(certificate_history::certificate_statistics),
        ),
        r(
            Method::GET,
            "/api/v1/certificates/statistics.csv",
            Requires(P::IssueCertificates),
            get(certificate_history::certificate_statistics_csv),
        ),
        r(
            Method::POST,
            "/api/v1/certificates/{issue_no}/reprint",
            Requires(P::IssueCertificates),
            post(certificate_history::reprint_certificate),
        ),
        r(
            Method::GET,
            "/api/v1/issuance/station/status",
            Requires(P::StationApply),
            get(issuance::station_status),
        ),
        r(
            Method::POST,
            "/api/v1/issuance/station/identify",
            Requires(P::StationApply),
            post(issuance::identify),
        ),
        r(
            Method::PUT,
            "/api/v1/issuance/requests/{request_id}",
            Requires(P::StationApply),
            put(issuance::put_request),
        ),
        r(
            Method::GET,
            "/api/v1/admin/station-hours",
            Requires(P::Admin),
            get(station_hours::get_station_hours),
        ),
        r(
            Method::PUT,
            "/api/v1/admin/station-hours",
            Requires(P::Admin),
            put(station_hours::put_station_hours),
        ),
        r(
            Method::GET,
            "/api/v1/admin/issuance-rules",
            Requires(P::Admin),
            get(issuance_rules::get_issuance_rules),
        ),
        r(
            Method::PUT,
            "/api/v1/admin/issuance-rules",
            Requires(P::Admin),
            put(issuance_rules::put_issuance_rules),
        ),
        r(
            Method::GET,
            "/api/v1/issuance/requests",
            Requires(P::IssueCertificates),
            get(issuance::list_requests),
        ),
        r(
            Method::POST,
            "/api/v1/issuance/requests/{request_id}/actions",
            Requires(P::IssueCertificates),
            post(issuance::act),
        ),
        r(
            Method::POST,
            "/api/v1/issuance/print-jobs/claim",
            Requires(P::IssueCertificates),
            post(print_agent::claim),
        ),
        r(
            Method::GET,
            "/api/v1/admin/stations",
            Requires(P::Admin),
            get(station_setup::list_station_setups),
        ),
        r(
            Method::PUT,
            "/api/v1/admin/stations/{terminal}",
            Requires(P::Admin),
            put(station_setup::put_station_setup),
        ),
        r(
            Method::GET,
            "/api/v1/cases-vocabulary",
            Authenticated,
            get(cases::vocabulary),
        ),
        r(
            Method::GET,
            "/api/v1/towns",
            RequiresAny(&[P::AcceptNotification, P::KioskApply]),
            get(cases::towns),
        ),
        r(
            Method::GET,
            "/api/v1/incoming-moves",
            Requires(P::Search),
            get(cases::search_incoming),
        ),
        r(
            Method::GET,
            "/api/v1/arrivals",
            Requires(P::AcceptNotification),
            get(arrivals::list_arrivals),
        ),
        r(
            Method::POST,
            "/api/v1/arrivals/prepare",
            Requires(P::AcceptNotification),
            post(arrivals::prepare_arrivals),
        ),
        r(
            Method::GET,
            "/api/v1/arrivals/{notice_no}",
            Requires(P::AcceptNotification),
            get(arrivals::get_arrival),
        ),
        r(
            Method::POST,
            "/api/v1/arrivals/{notice_no}/prepare",
            Requires(P::AcceptNotification),
            post(arrivals::prepare_arrival),
        ),
        r(
            Method::POST,
            "/api/v1/qr/resolve",
            Requires(P::AcceptNotification),
            post(qr::resolve),
        ),
        r(
            Method::POST,
            "/api/v1/jpki/challenge",
            Authenticated,
            post(jpki::challenge),
        ),
        r(
            Method::POST,
            "/api/v1/jpki/verify",
            Authenticated,
            post(jpki::verify),
        ),
        r(
            Method::PUT,
            "/api/v1/admin/jpki-crl",
            Requires(P::Admin),
            put(jpki::put_crl).layer(DefaultBodyLimit::max(8 << 20)),
        ),
        r(
            Method::POST,
            "/api/v1/sync/upload",
            RequiresAny(&[P::AcceptNotification, P::KioskApply]),
            // Up to 100 case saves, each with its pen signature.
            post(sync::upload).layer(DefaultBodyLimit::max(16 << 20)),
        ),
        r(
            Method::GET,
            "/api/v1/sync/manifest",
            Authenticated,
            get(sync::manifest),
        ),
        r(
            Method::GET,
            "/api/v1/sync/reference/{kind}",
            Authenticated,
            get(sync::reference),
        ),
        r(
            Method::PUT,
            "/api/v1/terminal/devices",
            // Any session; the handler takes only one opened on an enrolled terminal, for itself.
            Authenticated,
            put(terminal_devices::put_devices),
        ),
        r(
            Method::GET,
            "/api/v1/terminal/update/{platform}",
            // Signed by IT and verified by the terminal; asked before anyone logs in.
            Public,
            get(updates::signed_update),
        ),
        r(
            Method::GET,
            "/api/v1/audit",
            Requires(P::ViewAudit),
            get(admin::export_audit),
        ),
        r(
            Method::GET,
            "/api/v1/admin/notices",
            Requires(P::Admin),
            get(notices::list_notices),
        ),
        r(
            Method::POST,
            "/api/v1/admin/notices",
            Requires(P::Admin),
            post(notices::create_notice),
        ),
        r(
            Method::PUT,
            "/api/v1/admin/notices/{id}",
            Requires(P::Admin),
            put(notices::update_notice),
        ),
        r(
            Method::GET,
            "/api/v1/admin/notice-audiences",
            Requires(P::Admin),
            get(notices::list_notice_audiences),
        ),
        r(
            Method::GET,
            "/api/v1/notices",
            Authenticated,
            get(notices::my_notices),
        ),
        r(
            Method::POST,
            "/api/v1/notices/{id}/read",
            Authenticated,
            post(notices::mark_notice_read),
        ),
        r(
            Method::POST,
            "/api/v1/guide/evaluate",
            // The public 手続きガイド: the evaluation without staff texts; nothing stored.
            PublicQuota(public_quota::Quota::ResidentRequests),
            post(guide::guide_evaluate).layer(DefaultBodyLimit::max(64 << 10)),
        ),
        r(
            Method::POST,
            "/api/v1/pre-applications/sign",
            // The resident's phone: the entries signed into QR codes; nothing stored.
            PublicQuota(public_quota::Quota::ResidentRequests),
            post(pre_applications::sign::sign).layer(DefaultBodyLimit::max(64 << 10)),
        ),
        r(
            Method::POST,
            "/api/v1/pre-applications/send",
            // The resident's phone: stored under a 受付番号 for 30 days; audited with the number only.
            PublicQuota(public_quota::Quota::ResidentRequests),
            post(pre_applications::send::send).layer(DefaultBodyLimit::max(64 << 10)),
        ),
        r(
            Method::POST,
            "/api/v1/pre-applications/{number}/delete",
            // The resident, with the applicant's birth date; a wrong one answers as a wrong number.
            PublicQuota(public_quota::Quota::ResidentDeletes),
            post(pre_applications::send::delete),
        ),
        r(
            Method::GET,
            "/api/v1/pre-applications/{number}",
            Requires(P::AcceptNotification),
            get(pre_applications::counter::get),
        ),
        r(
            Method::POST,
            "/api/v1/kiosk/pre-application",
            // The kiosk reads a 事前申請 (QR symbols, or 受付番号 + birth date); its body only.
            Requires(P::KioskApply),
            post(pre_applications::kiosk::read),
        ),
        r(
            Method::GET,
            "/api/v1/guide/towns",
            // The resident's phone app: the city's 町字 and postcodes, nothing about any person.
            Public,
            get(public_towns::public_towns),
        ),
        r(
            Method::GET,
            "/api/v1/portal/applications",
            Requires(P::AcceptNotification),
            get(portal::list_applications),
        ),
        r(
            Method::GET,
            "/api/v1/portal/applications/{application_no}",
            Requires(P::AcceptNotification),
            get(portal::get_application),
        ),
        r(
            Method::GET,
            "/api/v1/portal/applications/{application_no}/attachments/{index}",
            Requires(P::AcceptNotification),
            get(portal::get_attachment),
        ),
        r(
            Method::POST,
            "/api/v1/portal/imports",
            Requires(P::AcceptNotification),
            post(portal::import).layer(DefaultBodyLimit::max(256 << 20)),
        ),
        r(
            Method::PUT,
            "/api/v1/portal/applications/{application_no}/status",
            Requires(P::AcceptNotification),
            put(portal::set_status),
        ),
        r(
            Method::POST,
            "/api/v1/portal/applications/{application_no}/case",
            Requires(P::AcceptNotification),
            post(portal::make_case),
        ),
        r(
            Method::GET,
            "/api/v1/admin/portal/connector",
            Requires(P::Admin),
            get(portal_connector::connector_status),
        ),
        r(
            Method::POST,
            "/api/v1/admin/portal/connector/run",
            Requires(P::Admin),
            post(portal_connector::run_connector),
        ),
        r(
            Method::GET,
            "/api/v1/status/maintenance",
            // The public status page: maintenance notices only, nothing internal.
            Public,
            get(notices::public_maintenance),
        ),
        r(
            Method::GET,
            "/api/v1/admin/statistics",
            Requires(P::Admin),
            get(statistics::case_statistics),
        ),
        r(
            Method::GET,
            "/api/v1/admin/statistics.csv",
            Requires(P::Admin),
            get(statistics::case_statistics_csv),
        ),
        r(
            Method::GET,
            "/api/v1/admin/case-history.csv",
            Requires(P::Admin),
            get(statistics::case_history_csv),
        ),
        r(
            Method::GET,
            "/api/v1/audit/records",
            Requires(P::ViewAudit),
            get(audit_viewer::search_audit),
        ),
        r(
            Method::GET,
            "/api/v1/audit/records.csv",
            Requires(P::ViewAudit),
            get(audit_viewer::search_audit_csv),
        ),
        r(
            Method::GET,
            "/api/v1/audit/verification",
            Requires(P::ViewAudit),
            get(audit_verification::verify_audit),
        ),
    ]
}

/// The route table (for tests and documentation).
pub fn route_table() -> Vec<RouteSpec> {
    routes().into_iter().map(|(spec, _)| spec).collect()
}

/// Largest JSON request body: no API request but an import upload needs more.
const MAX_JSON_BODY: usize = 64 * 1024;

/// The server's whole router.
pub fn router(state: AppState) -> Router {
    let mut app = Router::new();
    for (spec, handler) in routes() {
        let path = spec.path;
        let handler = match spec.access {
            Access::Public => handler,
            Access::PublicQuota(quota) => handler.route_layer(middleware::from_fn_with_state(
                public_quota::QuotaGuard {
                    state: state.clone(),
                    quota,
                },
                public_quota::limit,
            )),
            access => handler.route_layer(middleware::from_fn_with_state(
                Guard {
                    state: state.clone(),
                    access,
                    spec,
                },
                guard,
            )),
        };
        app = app.route(path, handler);
    }
    let limits = (
        state.settings.request_timeout,
        state.settings.upload_timeout,
        state.settings.max_concurrent_requests,
    );
    app.fallback(static_or_not_found)
        .layer(DefaultBodyLimit::max(MAX_JSON_BODY))
        .layer(middleware::from_fn(move |req, next| {
            time_limit(limits.0, limits.1, req, next)
        }))
        .layer(tower::limit::ConcurrencyLimitLayer::new(limits.2.max(1)))
        .layer(middleware::from_fn(security_headers))
        .layer(CatchPanicLayer::custom(
            |_: Box<dyn std::any::Any + Send>| {
                ApiError::internal("handler panicked").into_response()
            },
        ))
        .layer(middleware::from_fn(access_log))
        .with_state(state)
}

#[derive(Clone)]
struct Guard {
    state: AppState,
    access: Access,
    spec: RouteSpec,
}

/// Enforces a route's declared access: a session for every non-public route, and the permission of
/// the user at their counter. A denial is audited and answered with 403.
async fn guard(State(g): State<Guard>, req: Request, next: Next) -> Response {
    let (mut parts, body) = req.into_parts();
    let session = match Session::from_request_parts(&mut parts, &g.state).await {
        Ok(s) => s,
        Err(e) => return e.into_response(),
    };
    // A password set by an administrator is changed before anything else is done with the session.
    if session.record.must_change_password
        && matches!(g.access, Access::Requires(_) | Access::RequiresAny(_))
    {
        return ApiError::new(
            StatusCode::FORBIDDEN,
            "password_change_required",
            "パスワードの変更が必要です。新しいパスワードを設定してください。",
        )
        .into_response();
    }
    if let Some(res) = maintenance::refusal(&g.state, &session, g.spec.path).await {
        return res;
    }
    let denied = match g.access {
        Access::Requires(p) => (!session.permissions().contains(p)).then_some(p),
        Access::RequiresAny(ps) => (!ps.iter().any(|p| session.permissions().contains(*p)))
            .then(|| ps.first().copied())
            .flatten(),
        Access::Public | Access::PublicQuota(_) | Access::Authenticated => None,
    };
    if let Some(p) = denied {
        tracing::warn!(
            route = g.spec.path,
            permission = p.code(),
            "permission denied"
        );
        let store = g.state.store.clone();
        let subject = format!("{} {}", g.spec.method, g.spec.path);
        let audited = crate::blocking(move || {
            audit::by_session(
                store.as_ref(),
                &session,
                "permission_denied",
                Some(subject),
                &format!("denied:{}", p.code()),
            )
        })
        .await;
        if let Err(e) = audited {
            return ApiError::from(e).into_response();
        }
        return ApiError::forbidden(p).into_response().audited_denial();
    }
    let res = next.run(Request::from_parts(parts, body)).await;
    // A denial raised inside the handler (a kiosk account changing a case, a 支援措置 print without the
    // override …) is audited here unless the handler audited it with more detail.
    if let Some(d) = res.extensions().get::<Denial>().copied()
        && !d.audited
    {
        let store = g.state.store.clone();
        let subject = format!("{} {}", g.spec.method, g.spec.path);
        let audited = crate::blocking(move || {
            audit::by_session(
                store.as_ref(),
                &session,
                "permission_denied",
                Some(subject),
                &format!("denied:{}", d.code),
            )
        })
        .await;
        if let Err(e) = audited {
            return ApiError::from(e).into_response();
        }
    }
    res
}

trait AuditedDenial {
    fn audited_denial(self) -> Self;
}

impl AuditedDenial for Response {
    /// The guard's own denial, audited before it was answered.
    fn audited_denial(mut self) -> Self {
        if let Some(d) = self.extensions_mut().get_mut::<Denial>() {
            d.audited = true;
        }
        self
    }
}

/// Cuts a request (reading its body included, so slow clients too) that takes longer than its limit:
/// the resident import upload gets `upload`, everything else `request`. A write cut short is safe to
/// retry: every write carries its client id and is applied once.
async fn time_limit(
    request: std::time::Duration,
    upload: std::time::Duration,
    req: Request,
    next: Next,
) -> Response {
    let limit = if req.uri().path() == "/api/v1/imports/residents" {
        upload
    } else {
        request
    };
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(res) => res,
        Err(_) => {
            tracing::warn!(limit_secs = limit.as_secs_f64(), "request timed out");
            ApiError::new(
                StatusCode::REQUEST_TIMEOUT,
                "request_timeout",
                "通信または処理に時間がかかりすぎたため中断しました。もう一度お試しください。",
            )
            .into_response()
        }
    }
}

/// Request log: method, route template (never the concrete path or query, which may hold personal
/// identifiers), status and latency.
async fn access_log(req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "-".to_owned(), |p| p.as_str().to_owned());
    let res = next.run(req).await;
    tracing::info!(
        method = %method,
        route = %route,
        status = res.status().as_u16(),
        latency_ms = started.elapsed().as_secs_f64() * 1000.0,
        "request"
    );
    res
}

/// Headers on every response: no framing, no MIME sniffing, a same-origin content policy, no referrer,
/// and no caching of API answers (they carry personal data).
async fn security_headers(req: Request, next: Next) -> Response {
    let is_api = req.uri().path().starts_with("/api/");
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    let set = |h: &mut axum::http::HeaderMap, name: &'static str, value: &'static str| {
        h.insert(name, axum::http::HeaderValue::from_static(value));
    };
    set(
        h,
        "content-security-policy",
        "default-src 'self'; img-src 'self' data: blob:; frame-src 'self' blob:; object-src 'self' blob:; \
         frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    );
    set(h, "x-content-type-options", "nosniff");
    set(h, "x-frame-options", "DENY");
    set(h, "referrer-policy", "no-referrer");
    if is_api {
        set(h, "cache-control", "no-store");
    }
    res
}

async fn not_found() -> ApiError {
    ApiError::not_found("ページが見つかりません。")
}

/// Files of the built web UI (`Settings::ui_dir`) for GET requests outside `/api/`; everything else,
/// and files that do not exist, get the JSON 404.
async fn static_or_not_found(State(state): State<AppState>, req: Request) -> Response {
    let path = req.uri().path();
    let Some(dir) = state.settings.ui_dir.clone() else {
        return not_found().await.into_response();
    };
    if path.starts_with("/api/") || !matches!(*req.method(), Method::GET | Method::HEAD) {
        return not_found().await.into_response();
    }
    let immutable = path.starts_with("/assets/");
    // Compressed (Brotli or gzip, as the browser accepts) — a phone's first load counts its bytes;
    // API answers are not (they carry secrets next to text a client may choose).
    let files = tower_http::compression::Compression::new(tower_http::services::ServeDir::new(dir));
    match tower::ServiceExt::oneshot(files, req).await {
        Ok(res) if res.status().is_success() || res.status() == StatusCode::NOT_MODIFIED => {
            let mut res = res.map(axum::body::Body::new);
            // Vite names built assets by content hash: they never change under the same name.
            let cache = if immutable {
                "public, max-age=31536000, immutable"
            } else {
                "no-cache"
            };
            res.headers_mut().insert(
                header::CACHE_CONTROL,
                axum::http::HeaderValue::from_static(cache),
            );
            res
        }
        _ => not_found().await.into_response(),
    }
}

#[derive(Serialize, ToSchema)]
pub struct Health {
    pub status: String,
    pub version: String,
}

/// Liveness and store reachability.
#[utoipa::path(get, path = "/healthz", responses((status = 200, body = Health), (status = 503, body = ErrorBody)))]
async fn health(State(state): State<AppState>) -> Result<Json<Health>, ApiError> {
    let store = state.store.clone();
    let reachable = crate::blocking::<_, ApiError>(move || {
        Ok(store
            .tenant_name(&madoguchi_store::TenantId(String::new()))
            .is_ok())
    })
    .await?;
    if !reachable {
        tracing::error!("health check: store unavailable");
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "store_unavailable",
            "データベースに接続できません。",
        ));
    }
    Ok(Json(Health {
        status: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
    }))
}

async fn openapi_json() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        ApiDoc::openapi().to_pretty_json().unwrap_or_default(),
    )
}

/// The web UI's page when it is built and configured, else the server's status page.
async fn index(State(state): State<AppState>) -> Response {
    if let Some(dir) = &state.settings.ui_dir {
        match tokio::fs::read_to_string(dir.join("index.html")).await {
            Ok(page) => return ([(header::CACHE_CONTROL, "no-cache")], Html(page)).into_response(),
            Err(e) => tracing::error!(error = %e, "web UI index.html unreadable"),
        }
    }
    Html(include_str!("index.html")).into_response()
}
