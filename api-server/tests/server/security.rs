//! The security baseline through the HTTP API: every route's declared access is enforced (403 and an
//! audit record for each denial), counters limit what groups allow, tenants never see each other (404),
//! 支援措置 addresses stay masked everywhere but the audited disclosure, hostile names come back exactly as
//! typed, and internal errors never leak.

mod audit_anchor;
mod enrollment;
mod files;
mod limits;
mod support_measure;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use madoguchi_core::permission::{Permission, PermissionSet};
use madoguchi_server::api::{Access, route_table};
use madoguchi_server::auth::AccountSpec;
use madoguchi_server::config::Settings;
use madoguchi_server::import::import_residents;
use madoguchi_store::{CounterRecord, GroupRecord, ImportMode, Store, TenantId};
use madoguchi_store_sqlite::SqliteStore;
use madoguchi_testkit::app::{TestApp, enc, get, json_req};
use madoguchi_testkit::residents::*;
use madoguchi_testkit::staff::*;
use madoguchi_testkit::terminal::TestDevice;
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::common::*;

fn t(id: &str) -> TenantId {
    TenantId(id.into())
}

/// The usual server on `store`, with case `case-t1-0001` about resident 1 of `t1`.
fn app_on(store: SqliteStore) -> TestApp {
    TestApp::builder()
        .store(store)
        .setup(|store| seed_case(store, "t1", "case-t1-0001", &atena(1)))
        .build()
}

fn app() -> TestApp {
    app_on(SqliteStore::open_in_memory().expect("store"))
}

/// Adds an account `login` in tenant `tenant` whose only group has `perms`.
fn user_with(store: &dyn Store, tenant: &str, login: &str, perms: PermissionSet) {
    let tenant = t(tenant);
    let group = format!("g-{login}");
    store
        .put_group(
            &tenant,
            &GroupRecord {
                code: group.clone(),
                name: group.clone(),
                permissions: perms,
            },
            &setup_event(&tenant, "group.put"),
        )
        .expect("group");
    let spec = AccountSpec {
        login,
        display_name: "試験 職員",
        password: "correct-horse-battery",
        groups: vec![group],
        valid_until: None,
    };
    madoguchi_server::auth::create_user(
        store,
        &tenant,
        &spec,
        &setup_event(&tenant, "user.create"),
    )
    .expect("user");
}

/// A concrete request for every route in the table, aimed at tenant t1's data. A route without one
/// fails the test, so a new route cannot skip the permission and tenant probes.
fn sample(method: &Method, path: &str, token: Option<&str>) -> Request<Body> {
    let resident = atena(1);
    let household = atena(100);
    let (uri, body): (String, Option<Value>) = match (method.as_str(), path) {
        ("GET", "/") | ("GET", "/healthz") | ("GET", "/api/openapi.json") => (path.into(), None),
        ("POST", "/api/v1/auth/login") => (
            path.into(),
            Some(json!({"tenant": "t1", "user": "x", "password": "y", "counter": "1"})),
        ),
        ("GET", "/api/v1/auth/counters") => (format!("{path}?tenant=t1"), None),
        ("POST", "/api/v1/auth/logout") | ("GET", "/api/v1/auth/me") => (path.into(), None),
        ("POST", "/api/v1/auth/password") => (
            path.into(),
            Some(
                json!({"current_password": "correct-horse-battery", "new_password": "another-long-secret-9"}),
            ),
        ),
        ("GET", "/api/v1/residents") => (format!("{path}?q=%E3%82%BF"), None),
        ("GET", "/api/v1/residents/{atena_no}") => (format!("/api/v1/residents/{resident}"), None),
        ("POST", "/api/v1/residents/{atena_no}/address-disclosure") => (
            format!("/api/v1/residents/{}/address-disclosure", atena(8)),
            Some(json!({"reason": "本人からの申出による交付"})),
        ),
        ("GET", "/api/v1/households/{household_no}") => {
            (format!("/api/v1/households/{household}"), None)
        }
        ("POST", "/api/v1/imports/residents") => {
            let mut b = Request::post("/api/v1/imports/residents?mode=delta");
            if let Some(token) = token {
                b = b.header(header::AUTHORIZATION, format!("Bearer {token}"));
            }
            return b.body(Body::from(csv(&[]))).expect("request");
        }
        ("POST", "/api/v1/forms/print") => (path.into(), Some(print_body(&[&resident], None))),
        ("POST", "/api/v1/navigation/evaluate") => (
            path.into(),
            Some(
                json!({"event": "転入", "detail": "国内", "event_date": "2026-11-20",
                        "household_after": [{"birth": "1990-01-01", "relation": "世帯主", "mover": true}]}),
            ),
        ),
        ("GET", "/api/v1/procedures") => (format!("{path}?date=2026-11-23"), None),
        ("POST", "/api/v1/fees/quote") => (
            path.into(),
            Some(
                json!({"items": [{"item": "JUMINHYO", "copies": 2}, {"item": "KOSEKI-ZENBU", "copies": 1, "exemption": "JIDOU-FUYOU"}]}),
            ),
        ),
        ("PUT", "/api/v1/admin/fee-table") | ("PUT", "/api/v1/admin/navigation-rules") => {
            let body = if path.ends_with("fee-table") {
                CITY_FEES
            } else {
                LOCAL_RULES
            };
            let mut b = Request::put(path).header(header::CONTENT_TYPE, "text/plain");
            if let Some(token) = token {
                b = b.header(header::AUTHORIZATION, format!("Bearer {token}"));
            }
            return b.body(Body::from(body)).expect("request");
        }
        ("GET", "/api/v1/admin/navigation/editor") => (path.into(), None),
        ("GET", "/api/v1/admin/navigation/translations") => (path.into(), None),
        ("POST", "/api/v1/admin/navigation/check") => (path.into(), Some(json!({"draft": {}}))),
        ("POST", "/api/v1/admin/navigation/trial") => (
            path.into(),
            Some(
                json!({"draft": {}, "household": {"event": "転入", "event_date": "2026-11-20",
                        "household_after": [{"birth": "1990-01-01", "mover": true}]}}),
            ),
        ),
        ("PUT", "/api/v1/admin/navigation/draft") => {
            (path.into(), Some(json!({"draft": {}, "revision": "stale"})))
        }
        ("POST", "/api/v1/admin/navigation/publish") => (
            path.into(),
            Some(json!({"draft": {}, "from": "2099-01-01", "revision": "stale"})),
        ),
        ("GET", "/api/v1/admin/form-templates") => (path.into(), None),
        ("GET", "/api/v1/admin/form-backgrounds") => (path.into(), None),
        ("POST", "/api/v1/admin/form-backgrounds") => {
            (format!("{path}?name=x.pdf"), Some(json!({})))
        }
        ("POST", "/api/v1/admin/form-templates/preview") => {
            (path.into(), Some(json!({ "source": NEW_TEMPLATE })))
        }
        ("POST", "/api/v1/admin/form-templates/publish") => (
            path.into(),
            Some(
                json!({ "source": NEW_TEMPLATE, "version": "2027-05", "valid_from": "2027-05-01" }),
            ),
        ),
        ("GET", "/api/v1/admin/form-templates/{id}/{version}") => (
            "/api/v1/admin/form-templates/uketsukehyo/2026-04".into(),
            None,
        ),
        ("POST", "/api/v1/admin/form-templates") => {
            let mut b = Request::post(path).header(header::CONTENT_TYPE, "text/plain");
            if let Some(token) = token {
                b = b.header(header::AUTHORIZATION, format!("Bearer {token}"));
            }
            return b.body(Body::from(NEW_TEMPLATE)).expect("request");
        }
        ("GET", "/api/v1/admin/fees") | ("GET", "/api/v1/admin/memo-phrases") => {
            (path.into(), None)
        }
        ("PUT", "/api/v1/admin/fees") => (
            path.into(),
            Some(
                json!({"city": "さくら野市", "items": [{"code": "JUMINHYO", "name": "住民票の写し", "yen": 300}],
                        "exemptions": [], "revision": "stale"}),
            ),
        ),
        ("PUT", "/api/v1/admin/memo-phrases") => (
            path.into(),
            Some(json!({"phrases": ["委任状を確認済み"], "revision": "stale"})),
        ),
        ("GET", "/api/v1/admin/users")
        | ("GET", "/api/v1/admin/users.csv")
        | ("GET", "/api/v1/admin/permissions")
        | ("GET", "/api/v1/admin/groups")
        | ("GET", "/api/v1/admin/counters") => (path.into(), None),
        ("POST", "/api/v1/admin/users") => (
            path.into(),
            Some(json!({"login": "newbie", "display_name": "新人 一郎", "groups": []})),
        ),
        ("PUT", "/api/v1/admin/users/{login}") => (
            "/api/v1/admin/users/t1only".into(),
            Some(
                json!({"display_name": "一郎", "groups": [], "valid_until": null,
                        "disabled": false, "revision": 999}),
            ),
        ),
        ("POST", "/api/v1/admin/users/{login}/password-reset") => {
            ("/api/v1/admin/users/t1only/password-reset".into(), None)
        }
        ("POST", "/api/v1/admin/users/import") => (
            path.into(),
            // `ユーザーID,氏名\nt1only,一郎\n`, base64
            Some(
                json!({"file_base64": "44Om44O844K244O8SUQs5rCP5ZCNCnQxb25seSzkuIDpg44K", "encoding": "utf-8"}),
            ),
        ),
        ("PUT", "/api/v1/admin/groups/{code}") => (
            "/api/v1/admin/groups/newgroup".into(),
            Some(json!({"name": "新しいグループ", "permissions": ["search"]})),
        ),
        ("PUT", "/api/v1/admin/counters/{code}") => (
            "/api/v1/admin/counters/newdesk".into(),
            Some(
                json!({"name": "新しい窓口", "permissions": ["search"], "browser_allowed": false}),
            ),
        ),
        ("GET", "/api/v1/linkage/status") => (path.into(), None),
        ("POST", "/api/v1/linkage/export") => (path.into(), None),
        ("POST", "/api/v1/linkage/confirm") => (
            path.into(),
            Some(json!({"feed": "001o006", "file": "full_000002.csv"})),
        ),
        ("POST", "/api/v1/admin/users/{login}/unlock") => {
            ("/api/v1/admin/users/t1only/unlock".into(), None)
        }
        ("PUT", "/api/v1/admin/terminals/{id}") => (
            "/api/v1/admin/terminals/t1-pc".into(),
            Some(
                json!({"enrollment_code": TestDevice::new("t1-pc").enrollment_code(),
                        "counters": ["1"]}),
            ),
        ),
        ("GET", "/api/v1/admin/terminals") => (path.into(), None),
        ("DELETE", "/api/v1/admin/terminals/{id}") => {
            ("/api/v1/admin/terminals/t1-pc".into(), None)
        }
        ("PUT", "/api/v1/admin/counters/{code}/browser") => (
            "/api/v1/admin/counters/kokuho/browser".into(),
            Some(json!({"allowed": true})),
        ),
        ("GET", "/api/v1/audit") => (format!("{path}?from=2026-01-01&to=2026-12-31"), None),
        ("GET", "/api/v1/admin/statistics")
        | ("GET", "/api/v1/admin/statistics.csv")
        | ("GET", "/api/v1/admin/case-history.csv") => {
            (format!("{path}?from=2026-12-01&to=2026-12-07"), None)
        }
        ("GET", "/api/v1/audit/records" | "/api/v1/audit/records.csv") => (
            format!("{path}?from=2026-01-01&to=2026-12-31&user=demo"),
            None,
        ),
        ("GET", "/api/v1/audit/verification") => (path.into(), None),
        ("GET", "/api/v1/cases") => (format!("{path}?from=2026-01-01&staff=staff"), None),
        ("GET", "/api/v1/cases/{case_id}") => ("/api/v1/cases/case-t1-0001".into(), None),
        ("PUT", "/api/v1/cases/{case_id}") => (
            "/api/v1/cases/case-t1-0001".into(),
            Some(
                json!({"write_id": "w-sample-0001", "revision": 1, "status": "open",
                "document": case_document(&resident, "髙橋\u{3000}太郎")}),
            ),
        ),
        ("POST", "/api/v1/cases/{case_id}/disclosure") => (
            "/api/v1/cases/case-t1-0001/disclosure".into(),
            Some(json!({"reason": "本人からの申出による確認"})),
        ),
        ("POST", "/api/v1/cases/{case_id}/certificates") => (
            "/api/v1/cases/case-t1-0001/certificates".into(),
            Some(json!({"write_id": "c-sample-0001"})),
        ),
        ("GET", "/api/v1/admin/certificate-settings")
        | ("POST", "/api/v1/admin/certificate-settings/preview") => (path.into(), None),
        ("PUT", "/api/v1/admin/certificate-settings") => (
            path.into(),
            Some(json!({"mayor": "さくら野市長　見本　太郎"})),
        ),
        ("POST", "/api/v1/certificates/verify") => (
            path.into(),
            Some(json!({"symbols": ["MDG1.1.1.AAAAAA.AAAA"]})),
        ),
        ("POST", "/api/v1/certificates/{issue_no}/revoke") => (
            "/api/v1/certificates/R08-000001/revoke".into(),
            Some(json!({"reason": "記載誤り"})),
        ),
        ("GET", "/api/v1/certificates") => (format!("{path}?issue_no=R08-000001"), None),
        ("GET", "/api/v1/certificates/statistics")
        | ("GET", "/api/v1/certificates/statistics.csv") => {
            (format!("{path}?from=2026-12-01&to=2026-12-07"), None)
        }
        ("POST", "/api/v1/certificates/{issue_no}/reprint") => (
            "/api/v1/certificates/R08-000001/reprint".into(),
            Some(json!({"reason": "用紙詰まりのため"})),
        ),
        ("GET", "/api/v1/issuance/station/status") | ("GET", "/api/v1/issuance/requests") => {
            (path.into(), None)
        }
        ("GET", "/api/v1/admin/station-hours") => (path.into(), None),
        ("GET", "/api/v1/admin/notices")
        | ("GET", "/api/v1/admin/notice-audiences")
        | ("GET", "/api/v1/notices") => (path.into(), None),
        ("POST", "/api/v1/admin/notices") | ("PUT", "/api/v1/admin/notices/{id}") => (
            path.replace("{id}", "n-sample"),
            Some(
                json!({"kind": "notice", "audience": "all", "text_ja": "本日の伝達事項",
                        "starts_at": "2026-12-07T09:00:00+09:00", "ends_at": "2026-12-08T09:00:00+09:00",
                        "revision": 1}),
            ),
        ),
        ("POST", "/api/v1/notices/{id}/read") => ("/api/v1/notices/n-sample/read".into(), None),
        ("GET", "/api/v1/status/maintenance") => (format!("{path}?tenant=t1"), None),
        ("GET", "/api/v1/portal/applications") => (path.into(), None),
        ("GET", "/api/v1/admin/portal/connector")
        | ("POST", "/api/v1/admin/portal/connector/run") => (path.into(), None),
        ("POST", "/api/v1/portal/imports") => (path.into(), Some(json!({"zip_base64": ""}))),
        ("GET", "/api/v1/portal/applications/{application_no}")
        | ("GET", "/api/v1/portal/applications/{application_no}/attachments/{index}") => (
            path.replace("{application_no}", "1000000000000")
                .replace("{index}", "0"),
            None,
        ),
        ("PUT", "/api/v1/portal/applications/{application_no}/status") => (
            path.replace("{application_no}", "1000000000000"),
            Some(json!({"status": "done"})),
        ),
        ("POST", "/api/v1/portal/applications/{application_no}/case") => (
            path.replace("{application_no}", "1000000000000"),
            Some(json!({})),
        ),
        ("GET", "/api/v1/guide/towns") => (format!("{path}?tenant=t1"), None),
        ("POST", "/api/v1/guide/evaluate") => (
            format!("{path}?tenant=t1"),
            Some(json!({"event": "転居", "event_date": "2026-12-01"})),
        ),
        ("POST", "/api/v1/pre-applications/sign") => (
            format!("{path}?tenant=t1"),
            Some(
                json!({"entries": {"event": "転居", "members": [{"name": "桜野 一郎", "birth": "1990-05-01"}]}}),
            ),
        ),
        ("PUT", "/api/v1/admin/station-hours") => (
            path.into(),
            Some(
                json!({"enabled": false, "days": [1, 2, 3, 4, 5], "open": "08:30", "close": "17:15",
                        "closed_days": ["2026-12-29", "2027-01-01"]}),
            ),
        ),
        ("GET", "/api/v1/admin/issuance-rules") => (path.into(), None),
        ("PUT", "/api/v1/admin/issuance-rules") => (
            path.into(),
            Some(json!({"support_measure_at_station": "refuse"})),
        ),
        ("GET", "/api/v1/admin/counter-certificates") | ("GET", "/api/v1/counter/certificates") => {
            (path.into(), None)
        }
        ("PUT", "/api/v1/admin/counter-certificates") => (
            path.into(),
            Some(json!({"counters": [{"code": "kokuho", "items": ["JUMINHYO"]}]})),
        ),
        ("GET", "/api/v1/admin/stations") => (path.into(), None),
        ("PUT", "/api/v1/admin/stations/{terminal}") => (
            "/api/v1/admin/stations/t1-pc".into(),
            Some(
                json!({"offers": ["JUMINHYO"], "auto_print": true, "tower": false, "show_fees": true}),
            ),
        ),
        ("POST", "/api/v1/issuance/print-jobs/claim") => (path.into(), None),
        ("POST", "/api/v1/issuance/station/identify") => {
            (path.into(), Some(json!({"verification_id": "none"})))
        }
        ("PUT", "/api/v1/issuance/requests/{request_id}") => (
            "/api/v1/issuance/requests/case-t1-0001".into(),
            Some(json!({"verification_id": "none",
                "lines": [{"item": "JUMINHYO", "copies": 1}]})),
        ),
        ("POST", "/api/v1/issuance/requests/{request_id}/actions") => (
            "/api/v1/issuance/requests/case-t1-0001/actions".into(),
            Some(json!({"write_id": "a-sample-0001", "action": "call"})),
        ),
        ("POST", "/api/v1/cases/{case_id}/print") => (
            "/api/v1/cases/case-t1-0001/print".into(),
            Some(json!({"write_id": "p-sample-0001"})),
        ),
        ("POST", "/api/v1/sync/upload") => (
            path.into(),
            Some(
                json!({"items": [{"case_id": "case-t1-0002", "save": {"write_id": "w-sample-0002",
                "revision": null, "status": "open",
                "document": case_document(&resident, "髙橋\u{3000}太郎")}}]}),
            ),
        ),
        ("GET", "/api/v1/sync/reference/{kind}") => {
            ("/api/v1/sync/reference/towns?limit=10".into(), None)
        }
        ("PUT", "/api/v1/terminal/devices") => (
            path.into(),
            Some(
                json!({"app_version": "0.9.0", "card_state": "no_reader", "receipt_paper_out": false}),
            ),
        ),
        ("GET", "/api/v1/terminal/update/{platform}") => {
            ("/api/v1/terminal/update/windows-x86_64".into(), None)
        }
        ("GET", "/api/v1/sync/manifest")
        | ("GET", "/api/v1/cases-vocabulary")
        | ("GET", "/api/v1/towns")
        | ("GET", "/api/v1/fees/table") => (path.into(), None),
        ("POST", "/api/v1/jpki/challenge") => (path.into(), None),
        ("POST", "/api/v1/qr/resolve") => (
            path.into(),
            Some(json!({"symbols": ["MDG1.1.1.abcdef.AAAA"]})),
        ),
        ("POST", "/api/v1/jpki/verify") => (
            path.into(),
            Some(json!({"challenge_id": "none", "certificate": "AA==", "signature": "AA=="})),
        ),
        ("PUT", "/api/v1/admin/jpki-crl") => {
            let mut b = Request::put(path).header(header::CONTENT_TYPE, "text/plain");
            if let Some(token) = token {
                b = b.header(header::AUTHORIZATION, format!("Bearer {token}"));
            }
            return b.body(Body::from("")).expect("request");
        }
        ("GET", "/api/v1/arrivals") | ("POST", "/api/v1/arrivals/prepare") => {
            (format!("{path}?date=2026-12-08"), None)
        }
        ("GET", "/api/v1/arrivals/{notice_no}")
        | ("POST", "/api/v1/arrivals/{notice_no}/prepare") => {
            (path.replace("{notice_no}", "T-SAMPLE-1"), None)
        }
        ("POST", "/api/v1/pre-applications/send") => (
            format!("{path}?tenant=t1"),
            Some(
                json!({"write_id": "w-sample", "entries": {"event": "転居", "members": [{"name": "桜野 一郎", "birth": "1990-05-01"}]}}),
            ),
        ),
        ("POST", "/api/v1/pre-applications/{number}/delete") => (
            format!("{}?tenant=t1", path.replace("{number}", "12345671")),
            Some(json!({"birth": "1990-05-01"})),
        ),
        ("POST", "/api/v1/kiosk/pre-application") => (
            path.into(),
            Some(json!({"number": "12345671", "birth": "1990-05-01"})),
        ),
        ("GET", "/api/v1/pre-applications/{number}") => {
            // A well-formed 受付番号 (its check digit right) that nobody was given.
            (path.replace("{number}", "12345671"), None)
        }
        ("GET", "/api/v1/incoming-moves") => {
            (format!("{path}?q=%E3%83%A4%E3%83%9E%E3%83%80"), None)
        }
        _ => panic!("no sample request for {method} {path}: add one to tests/server/security.rs"),
    };
    let mut b = Request::builder().method(method.clone()).uri(uri);
    if let Some(token) = token {
        b = b.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    match body {
        Some(v) => b
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(v.to_string())),
        None => b.body(Body::empty()),
    }
    .expect("request")
}

/// The tenant's audit records of the last hour.
fn recent_audit(store: &dyn Store, tenant: &TenantId) -> Vec<madoguchi_store::AuditRecord> {
    store
        .audit_records(
            tenant,
            chrono::Utc::now() - chrono::Duration::hours(1),
            chrono::Utc::now() + chrono::Duration::hours(1),
        )
        .expect("records")
}

/// A city's own fee table.
const CITY_FEES: &str =
    "city = \"さくら野市\"\n[[items]]\ncode = \"JUMINHYO\"\nname = \"住民票の写し\"\nyen = 200\n";

/// A city's own procedure.
const LOCAL_RULES: &str = r#"
[[procedures]]
code = "LOCAL-GOMI-BUKURO"
name = "指定ごみ袋の配布"
department = "環境課"
counter = "環境課 窓口"
on_the_spot = true
guidance = "転入世帯に指定ごみ袋を1セット渡す。"
legal_basis = "さくら野市要綱"
explanation = "転入された世帯に指定ごみ袋をお渡しします。"
permission = "accept_notification"
valid_from = "2026-04-01"
[[procedures.rules]]
when = 'event.kind == "転入"'
reason = "転入された世帯のため"
"#;

/// A tenant's own template: a later 受付票 version.
const NEW_TEMPLATE: &str = r#"
id = "uketsukehyo"
name = "受付票"
version = "2027-04"
valid_from = "2027-04-01"
[page]
size = "roll80"
height_mm = 60
[[elements]]
kind = "text"
x = 4
y = 4
w = 72
h = 20
bind = "case.reception_no"
size = 40
align = "center"
"#;

/// A print job of one 受付票 about `subjects`.
fn print_body(subjects: &[&str], reason: Option<&str>) -> Value {
    json!({
        "date": "2026-11-23",
        "subjects": subjects,
        "override_reason": reason,
        "forms": [{"template": "uketsukehyo", "data": {
            "city": {"name": "さくら野市役所"},
            "case": {"reception_no": "042", "date": "2026-11-23", "counter_guide": "1番窓口", "qr": "madoguchi:case:1"}
        }}]
    })
}

fn denials(store: &dyn Store, tenant: &str) -> Vec<(String, String)> {
    recent_audit(store, &t(tenant))
        .into_iter()
        .filter(|r| r.event.action == "permission_denied")
        .map(|r| (r.event.subject.unwrap_or_default(), r.event.result.clone()))
        .collect()
}

#[tokio::test]
async fn every_route_enforces_its_declared_access_and_audits_denials() {
    let app = app();
    let table = route_table();
    assert!(table.len() >= 15, "the table lists every route");
    for spec in &table {
        let (s, v) = app.send(sample(&spec.method, spec.path, None)).await;
        match spec.access {
            Access::Public | Access::PublicQuota(_) => assert!(
                v["error"]["code"] != "unauthorized" && s != StatusCode::FORBIDDEN,
                "{} {} is public: {s} {v}",
                spec.method,
                spec.path
            ),
            _ => assert_eq!(
                (s, v["error"]["code"].as_str()),
                (StatusCode::UNAUTHORIZED, Some("unauthorized")),
                "{} {} without a session",
                spec.method,
                spec.path
            ),
        }
    }
    // For each permission a route requires: an account with every other permission is refused with 403,
    // and the refusal is audited with the route and the missing permission.
    let mut tokens: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    for spec in &table {
        let needed: Vec<Permission> = match spec.access {
            Access::Requires(p) => vec![p],
            Access::RequiresAny(ps) => ps.to_vec(),
            _ => continue,
        };
        let p = needed[0];
        let login = format!(
            "no-{}",
            needed
                .iter()
                .map(|q| q.code().replace('_', "-"))
                .collect::<Vec<_>>()
                .join("-")
        );
        if app
            .store
            .find_user(&t("t1"), &login)
            .expect("find")
            .is_none()
        {
            let others: PermissionSet = Permission::ALL
                .into_iter()
                .filter(|q| !needed.contains(q))
                .collect();
            user_with(app.store.as_ref(), "t1", &login, others);
        }
        // One session per account: more logins than the per-account limit would be refused.
        let token = match tokens.get(&login) {
            Some(token) => token.clone(),
            None => {
                let token = app.login_as("t1", &login, "1").await;
                tokens.insert(login.clone(), token.clone());
                token
            }
        };
        let before = denials(app.store.as_ref(), "t1").len();
        let (s, v) = app
            .send(sample(&spec.method, spec.path, Some(&token)))
            .await;
        assert_eq!(
            (s, v["error"]["code"].as_str()),
            (StatusCode::FORBIDDEN, Some("forbidden")),
            "{} {} without {p}",
            spec.method,
            spec.path
        );
        assert!(
            v["error"]["message"]
                .as_str()
                .is_some_and(|m| m.contains(p.label_ja())),
            "{v}"
        );
        let after = denials(app.store.as_ref(), "t1");
        assert_eq!(
            after.len(),
            before + 1,
            "{} {} audited",
            spec.method,
            spec.path
        );
        assert_eq!(
            after.last().cloned(),
            Some((
                format!("{} {}", spec.method, spec.path),
                format!("denied:{}", p.code())
            ))
        );
    }
    // And with the permission, the same requests pass the guard.
    let token = app.login_as("t1", "staff", "1").await;
    for spec in table
        .iter()
        .filter(|s| !matches!(s.access, Access::Public | Access::PublicQuota(_)))
        .filter(|s| s.path != "/api/v1/auth/logout" && s.path != "/api/v1/auth/password")
    {
        let (s, v) = app
            .send(sample(&spec.method, spec.path, Some(&token)))
            .await;
        assert!(
            s != StatusCode::FORBIDDEN && s != StatusCode::UNAUTHORIZED && !s.is_server_error(),
            "{} {} with every permission: {s} {v}",
            spec.method,
            spec.path
        );
    }
}

#[tokio::test]
async fn the_counter_limits_what_the_groups_allow() {
    let app = app();
    let t1 = t("t1");
    app.store
        .put_counter(
            &t1,
            &CounterRecord {
                code: "kokuho".into(),
                name: "国保年金課".into(),
                permissions: PermissionSet::parse("view_qualifications,print_forms").expect("p"),
                browser_allowed: true,
            },
            &setup_event(&t1, "counter.put"),
        )
        .expect("counter");
    // The same account, with every permission in its groups, cannot search at a counter that does not
    // allow searching (出雲 A5: 受付する窓口によって権限を切り替え).
    let token = app.login_as("t1", "staff", "kokuho").await;
    let (s, me) = app.send(get("/api/v1/auth/me", &token)).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        (me["counter_name"].as_str(), me["permissions"].clone()),
        (
            Some("国保年金課"),
            json!(["view_qualifications", "print_forms"])
        )
    );
    let (s, _) = app.send(get("/api/v1/residents?q=%E3%82%BF", &token)).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let token = app.login_as("t1", "staff", "市民課1番").await;
    let (s, _) = app.send(get("/api/v1/residents?q=%E3%82%BF", &token)).await;
    assert_eq!(s, StatusCode::OK);
    // A counter that is not registered cannot be logged in at.
    let body = json!({"tenant": "t1", "user": "staff", "password": "correct-horse-battery", "counter": "どこか"});
    let (s, v) = app
        .send(json_req(Method::POST, "/api/v1/auth/login", None, &body))
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("unknown_counter"))
    );
    // The login screen lists the counters of a tenant, names only.
    let (s, list) = app
        .send(
            Request::get("/api/v1/auth/counters?tenant=t1")
                .body(Body::empty())
                .expect("req"),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let codes: Vec<&str> = list
        .as_array()
        .expect("list")
        .iter()
        .map(|c| c["code"].as_str().expect("code"))
        .collect();
    assert_eq!(codes, ["1", "kokuho", "市民課1番"]);
    assert!(list[0].get("permissions").is_none());
}

#[tokio::test]
async fn tenants_cannot_read_update_or_search_each_other() {
    let app = app();
    let t1 = t("t1");
    let spec = AccountSpec {
        login: "t1only",
        display_name: "一号 職員",
        password: "correct-horse-battery",
        groups: vec!["all".into()],
        valid_until: None,
    };
    madoguchi_server::auth::create_user(
        app.store.as_ref(),
        &t1,
        &spec,
        &setup_event(&t1, "user.create"),
    )
    .expect("user");
    // t2's staff member has every permission in t2, and probes t1's identifiers on every route.
    let token = app.login_as("t2", "staff", "1").await;
    // (`{kind}` of the reference download names a kind of data, not a record: checked below;
    // `{platform}` of the terminal update names a platform: one signed file for every tenant;
    // enrolling a terminal `{id}` creates it in the caller's tenant: ids are per tenant; so does a
    // station's request `{request_id}`, and so do a group `{code}` and a counter `{code}`; a form
    // template `{id}/{version}` may be a standard version every tenant shares: a tenant's own version
    // is checked across tenants in `form_editor`.)
    for spec in route_table().iter().filter(|s| {
        s.path.contains('{')
            && s.path != "/api/v1/sync/reference/{kind}"
            && s.path != "/api/v1/terminal/update/{platform}"
            && s.path != "/api/v1/admin/form-templates/{id}/{version}"
            && !(s.method == Method::PUT && s.path == "/api/v1/admin/terminals/{id}")
            && !(s.method == Method::PUT && s.path == "/api/v1/issuance/requests/{request_id}")
            && !(s.method == Method::PUT && s.path == "/api/v1/admin/groups/{code}")
            && !(s.method == Method::PUT && s.path == "/api/v1/admin/counters/{code}")
    }) {
        let (s, v) = app
            .send(sample(&spec.method, spec.path, Some(&token)))
            .await;
        assert_eq!(
            (s, v["error"]["code"].as_str()),
            (StatusCode::NOT_FOUND, Some("not_found")),
            "{} {} across tenants",
            spec.method,
            spec.path
        );
    }
    // A terminal of t2 caches t2's 町字, none of t1's.
    let (s, v) = app.send(get("/api/v1/sync/reference/towns", &token)).await;
    assert_eq!((s, v["total"].as_u64()), (StatusCode::OK, Some(0)), "{v}");
    // Searches and lists see nothing of t1.
    for q in ["q=%E3%82%BF", "q=000000000000019", "birth=1975-01-01"] {
        let (s, v) = app
            .send(get(&format!("/api/v1/residents?{q}"), &token))
            .await;
        assert_eq!((s, v["count"].as_u64()), (StatusCode::OK, Some(0)), "{q}");
    }
    let (_, users) = app.send(get("/api/v1/admin/users", &token)).await;
    let logins: Vec<&str> = users
        .as_array()
        .expect("users")
        .iter()
        .map(|u| u["login"].as_str().expect("login"))
        .collect();
    assert_eq!(logins, ["staff"]);
    // t1's audit trail is not in t2's export, and the unlock attempt changed nothing in t1.
    let today = madoguchi_server::api::today_jst();
    let (s, csv) = app
        .send(get(
            &format!("/api/v1/audit?from={today}&to={today}"),
            &token,
        ))
        .await;
    assert_eq!(s, StatusCode::OK);
    let csv = csv.as_str().expect("csv");
    // (t2's own probes are in it, with the identifiers it tried and `not_found`.)
    assert!(!csv.contains("t1only"), "{csv}");
    assert!(
        csv.contains(",resident.read,000000000000019,not_found,"),
        "{csv}"
    );
    // Every probe was recorded in t2's log; t1's log holds only its own setup.
    let t1_log = recent_audit(app.store.as_ref(), &t1);
    assert!(
        t1_log
            .iter()
            .all(|r| r.event.terminal.as_deref() == Some("test-setup")),
        "{t1_log:?}"
    );
}

#[tokio::test]
async fn support_measure_addresses_are_disclosed_only_with_permission_and_a_reason() {
    let app = app();
    let protected = atena(8);
    let disclose = |token: &str, reason: &str| {
        json_req(
            Method::POST,
            &format!("/api/v1/residents/{protected}/address-disclosure"),
            Some(token),
            &json!({ "reason": reason }),
        )
    };
    // A 仮支援措置 (requested, not yet decided) protects a household just the same.
    let text = csv(&[row(
        20,
        2000,
        &[
            ("氏名", "小林\u{3000}明美"),
            ("氏名_フリガナ", "コバヤシ\u{3000}アケミ"),
            ("性別", "女"),
            ("仮支援措置", "1"),
        ],
    )]);
    let r = import_residents(
        app.store.as_ref(),
        &t("t1"),
        text.as_bytes(),
        &options(ImportMode::Delta, text.as_bytes()),
    )
    .expect("import");
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    let probe = app.login_as("t1", "staff", "1").await;
    let (_, h) = app
        .send(get(&format!("/api/v1/households/{}", atena(2000)), &probe))
        .await;
    assert_eq!(
        (
            h["address"].clone(),
            h["members"][0]["support_measure"].clone(),
            h["members"][0]["support_measure_label"].clone()
        ),
        (Value::Null, json!(true), json!("仮支援措置")),
        "{h}"
    );
    let (_, r) = app
        .send(get(&format!("/api/v1/residents/{protected}"), &probe))
        .await;
    assert_eq!(r["support_measure_label"], json!("支援措置"));

    // A clerk without the override sees the warning and no address, and is refused the disclosure.
    user_with(
        app.store.as_ref(),
        "t1",
        "clerk",
        PermissionSet::parse("search,print_forms").expect("p"),
    );
    let clerk = app.login_as("t1", "clerk", "1").await;
    let (_, r) = app
        .send(get(&format!("/api/v1/residents/{protected}"), &clerk))
        .await;
    assert_eq!(
        (r["support_measure"].clone(), r["address"].clone()),
        (json!(true), Value::Null)
    );
    let (s, _) = app.send(disclose(&clerk, "本人からの申出による交付")).await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    let staff = app.login_as("t1", "staff", "1").await;
    let (s, v) = app.send(disclose(&staff, " ")).await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("reason_required"))
    );
    let (s, v) = app.send(disclose(&staff, "本人からの申出による交付")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["protected"], json!(true));
    assert!(
        v["address"]["full"]
            .as_str()
            .is_some_and(|a| a.contains("さくら野ハイツ201号")),
        "{v}"
    );
    let records = recent_audit(app.store.as_ref(), &t("t1"));
    let d = records
        .iter()
        .rfind(|r| r.event.action == "resident.address_disclosure")
        .expect("audited");
    assert_eq!(
        (
            d.event.user.as_deref(),
            d.event.subject.as_deref(),
            d.event.reason.as_deref(),
            d.event.result.as_str()
        ),
        (
            Some("staff"),
            Some(protected.as_str()),
            Some("本人からの申出による交付"),
            "ok"
        )
    );
    // The reason is part of the export for the PIA review; the address never is.
    let today = madoguchi_server::api::today_jst();
    let (_, csv) = app
        .send(get(
            &format!("/api/v1/audit?from={today}&to={today}"),
            &staff,
        ))
        .await;
    let csv = csv.as_str().expect("csv");
    assert!(csv.contains("本人からの申出による交付"), "{csv}");
    assert!(!csv.contains("さくら野ハイツ"), "{csv}");
    // Search results keep the address masked even for the staff member with the override.
    let (_, found) = app
        .send(get(
            "/api/v1/residents?q=%E3%83%AF%E3%82%BF%E3%83%8A%E3%83%99",
            &staff,
        ))
        .await;
    assert!(
        found["results"]
            .as_array()
            .expect("results")
            .iter()
            .all(|r| r["address"].is_null() && r["address_masked"] == json!(true)),
        "{found}"
    );
}

#[tokio::test]
async fn hostile_names_come_back_exactly_as_typed() {
    let app = app();
    let hostile = [
        "<script>alert(1)</script>",
        "'; DROP TABLE residents; --",
        "\" OR 1=1 --",
        "山田'); DELETE FROM users; --",
        "<img src=x onerror=alert(1)>",
        "\u{202E}逆向き\u{202C}",
    ];
    let rows: Vec<String> = hostile
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let seq = 500 + i as u64;
            row(
                seq,
                seq,
                &[
                    ("氏名", name),
                    ("氏", ""),
                    ("名", ""),
                    ("氏名_フリガナ", "テスト\u{3000}タロウ"),
                ],
            )
        })
        .collect();
    let text = csv(&rows);
    let r = import_residents(
        app.store.as_ref(),
        &t("t1"),
        text.as_bytes(),
        &options(ImportMode::Delta, text.as_bytes()),
    )
    .expect("import");
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    let token = app.login_as("t1", "staff", "1").await;
    for (i, name) in hostile.iter().enumerate() {
        let res = app
            .router
            .clone()
            .oneshot(get(
                &format!("/api/v1/residents/{}", atena(500 + i as u64)),
                &token,
            ))
            .await
            .expect("response");
        assert_eq!(
            res.headers()[header::CONTENT_TYPE],
            "application/json",
            "served as data, never as a page"
        );
        assert_eq!(res.headers()["x-content-type-options"], "nosniff");
        let bytes = res.into_body().collect().await.expect("body").to_bytes();
        let v: Value = serde_json::from_slice(&bytes).expect("json");
        assert_eq!(v["name"].as_str(), Some(*name));
    }
    // Searching with the same strings finds them and breaks nothing. (Text with digits is read as a
    // date, so those get a clear 400.)
    for (i, name) in hostile.iter().enumerate().take(5) {
        let q: String = enc(name);
        let (s, v) = app
            .send(get(&format!("/api/v1/residents?q={q}"), &token))
            .await;
        if name.chars().any(|c| c.is_ascii_digit()) {
            assert_eq!(
                (s, v["error"]["code"].as_str()),
                (StatusCode::BAD_REQUEST, Some("invalid_birth")),
                "{name}"
            );
            continue;
        }
        assert_eq!(s, StatusCode::OK, "{name}: {v}");
        let found: Vec<&str> = v["results"]
            .as_array()
            .expect("results")
            .iter()
            .filter_map(|r| r["atena_no"].as_str())
            .collect();
        assert!(
            found.contains(&atena(500 + i as u64).as_str()),
            "{name}: {v}"
        );
    }
    // The tables the strings name are intact.
    assert!(app.store.count_residents(&t("t1")).expect("count") >= 14);
    assert!(
        app.store
            .find_user(&t("t1"), "staff")
            .expect("users")
            .is_some()
    );
    // A hostile login name is just a wrong login.
    let body =
        json!({"tenant": "t1", "user": "' OR '1'='1", "password": "' OR '1'='1", "counter": "1"});
    let (s, _) = app
        .send(json_req(Method::POST, "/api/v1/auth/login", None, &body))
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn internal_errors_answer_a_generic_message() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("m.sqlite3");
    let app = app_on(SqliteStore::open(&db).expect("store"));
    let token = app.login_as("t1", "staff", "1").await;
    // Break the database under the running server.
    rusqlite::Connection::open(&db)
        .expect("raw")
        .execute_batch("ALTER TABLE residents RENAME TO residents_gone;")
        .expect("break");
    let (s, v) = app
        .send(get(&format!("/api/v1/residents/{}", atena(1)), &token))
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::INTERNAL_SERVER_ERROR, Some("internal"))
    );
    let body = v.to_string();
    for leak in ["residents", "sqlite", "SQL", "no such", "table"] {
        assert!(!body.contains(leak), "{leak} leaked: {body}");
    }
}

#[tokio::test]
async fn password_change_follows_the_policy_and_ends_sessions() {
    let app = app();
    let token = app.login_as("t1", "staff", "1").await;
    let change = |current: &str, new: &str| {
        json_req(
            Method::POST,
            "/api/v1/auth/password",
            Some(&token),
            &json!({"current_password": current, "new_password": new}),
        )
    };
    let (s, _) = app
        .send(change("wrong-password-1", "another-long-secret-9"))
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    for weak in ["short-1", "onlyletterslongenough", "staff-is-my-name-1"] {
        let (s, v) = app.send(change("correct-horse-battery", weak)).await;
        assert_eq!(
            (s, v["error"]["code"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("password_policy")),
            "{weak}: {v}"
        );
    }
    let (s, _) = app
        .send(change("correct-horse-battery", "another-long-secret-9"))
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert_eq!(
        app.send(get("/api/v1/auth/me", &token)).await.0,
        StatusCode::UNAUTHORIZED,
        "sessions end with a new password"
    );
    let body = json!({"tenant": "t1", "user": "staff", "password": "another-long-secret-9", "counter": "1"});
    let (s, _) = app
        .send(json_req(Method::POST, "/api/v1/auth/login", None, &body))
        .await;
    assert_eq!(s, StatusCode::OK);
}

#[tokio::test]
async fn login_attempts_are_limited_per_account() {
    let app = app();
    // Wrong passwords from "many addresses" (in-process requests carry none) still count per account;
    // lockout comes first at 5, then the account limit refuses even the unlock-and-retry path.
    let attempt = |user: &str, password: &str| {
        json_req(
            Method::POST,
            "/api/v1/auth/login",
            None,
            &json!({"tenant": "t2", "user": user, "password": password, "counter": "1"}),
        )
    };
    for _ in 0..10 {
        let (s, _) = app.send(attempt("staff", "correct-horse-battery")).await;
        assert_eq!(s, StatusCode::OK);
    }
    let (s, v) = app.send(attempt("staff", "correct-horse-battery")).await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::TOO_MANY_REQUESTS, Some("too_many_attempts"))
    );
    // Other accounts are not affected.
    let (s, _) = app.send(attempt("nobody", "x")).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn request_bodies_are_limited() {
    let app = app();
    let big =
        json!({"tenant": "t1", "user": "staff", "password": "x".repeat(100_000), "counter": "1"});
    let (s, _) = app
        .send(json_req(Method::POST, "/api/v1/auth/login", None, &big))
        .await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn audit_records_name_the_terminal_of_the_session() {
    let app = app();
    let body = TestDevice::enroll(app.store.as_ref(), &t("t1"), "kiosk-01", &["1"]).login(
        "t1",
        "staff",
        "correct-horse-battery",
        "1",
    );
    let (s, v) = app
        .send(json_req(Method::POST, "/api/v1/auth/login", None, &body))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let token = v["token"].as_str().expect("token").to_owned();
    let (s, _) = app
        .send(get(&format!("/api/v1/residents/{}", atena(1)), &token))
        .await;
    assert_eq!(s, StatusCode::OK);
    let records = recent_audit(app.store.as_ref(), &t("t1"));
    let mine: Vec<(&str, Option<&str>)> = records
        .iter()
        .filter(|r| r.event.user.as_deref() == Some("staff"))
        .map(|r| (r.event.action.as_str(), r.event.terminal.as_deref()))
        .collect();
    assert_eq!(
        mine,
        [
            ("login", Some("kiosk-01")),
            ("resident.read", Some("kiosk-01"))
        ]
    );
    // A terminal id the request names without a proof is not recorded: the login is a browser's.
    let claimed = json!({"tenant": "t1", "user": "staff", "password": "correct-horse-battery",
                     "counter": "1", "terminal": "kiosk-01"});
    let (s, v) = app
        .send(json_req(Method::POST, "/api/v1/auth/login", None, &claimed))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let last = recent_audit(app.store.as_ref(), &t("t1"));
    let login = last
        .iter()
        .rev()
        .find(|r| r.event.action == "login")
        .expect("login");
    assert_eq!(login.event.terminal, None);
}

async fn print(
    app: &TestApp,
    token: &str,
    body: &Value,
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let res = app
        .response(json_req(
            Method::POST,
            "/api/v1/forms/print",
            Some(token),
            body,
        ))
        .await;
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes()
        .to_vec();
    (status, headers, bytes)
}

fn error_code(bytes: &[u8]) -> String {
    serde_json::from_slice::<Value>(bytes).map_or_else(
        |_| String::from_utf8_lossy(bytes).into_owned(),
        |v| v["error"]["code"].as_str().unwrap_or("").to_owned(),
    )
}

#[tokio::test]
async fn forms_print_for_this_tenants_residents_with_the_version_in_force() {
    let app = app();
    let token = app.login_as("t1", "staff", "1").await;
    let (s, h, pdf) = print(&app, &token, &print_body(&[&atena(1)], None)).await;
    assert_eq!(s, StatusCode::OK, "{}", error_code(&pdf));
    assert!(pdf.starts_with(b"%PDF-"));
    assert_eq!(h[header::CONTENT_TYPE], "application/pdf");
    assert_eq!(h["x-madoguchi-pages"], "1");
    assert_eq!(h["x-madoguchi-template-versions"], "uketsukehyo@2026-04");
    // Before the template's 施行日 there is no version to print.
    let mut early = print_body(&[&atena(1)], None);
    early["date"] = json!("2026-03-31");
    let (s, _, body) = print(&app, &token, &early).await;
    assert_eq!(
        (s, error_code(&body)),
        (StatusCode::NOT_FOUND, "not_found".into())
    );
    // A value that does not fit is refused, or printed on request with the count of problems.
    let mut long = print_body(&[&atena(1)], None);
    long["forms"][0]["data"]["case"]["counter_guide"] = json!("窓".repeat(300));
    let (s, _, body) = print(&app, &token, &long).await;
    assert_eq!(
        (s, error_code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "form_problems".into())
    );
    long["allow_problems"] = json!(true);
    let (s, h, _) = print(&app, &token, &long).await;
    assert_eq!(
        (s, &h["x-madoguchi-problems"]),
        (StatusCode::OK, &"1".parse().expect("h"))
    );
    // A form with personal data cannot be printed without naming whom it is about (支援措置 check).
    let anonymous = json!({"subjects": [], "forms": [{"template": "ido-todoke", "data": {}}]});
    let (s, _, body) = print(&app, &token, &anonymous).await;
    assert_eq!(
        (s, error_code(&body)),
        (StatusCode::BAD_REQUEST, "subjects_required".into())
    );
    let receipt = json!({"subjects": [], "forms": [{"template": "uketsukehyo", "data": {}}]});
    let (s, _, _) = print(&app, &token, &receipt).await;
    assert_eq!(s, StatusCode::OK, "a 受付票 carries no personal data");
    // Another tenant's resident does not exist for this session.
    let t2 = app.login_as("t2", "staff", "1").await;
    let (s, _, body) = print(&app, &t2, &print_body(&[&atena(1)], None)).await;
    assert_eq!(
        (s, error_code(&body)),
        (StatusCode::NOT_FOUND, "not_found".into())
    );
    let prints: Vec<(String, String)> = recent_audit(app.store.as_ref(), &t("t1"))
        .into_iter()
        .filter(|r| r.event.action == "form.print")
        .map(|r| (r.event.subject.unwrap_or_default(), r.event.result))
        .collect();
    assert_eq!(
        prints.first().cloned(),
        Some((format!("{} uketsukehyo@2026-04", atena(1)), "ok".into()))
    );
}

#[tokio::test]
async fn forms_about_a_support_measure_household_need_the_override_and_a_reason() {
    let app = app();
    let protected = atena(8);
    user_with(
        app.store.as_ref(),
        "t1",
        "clerk",
        PermissionSet::parse("search,print_forms").expect("p"),
    );
    let clerk = app.login_as("t1", "clerk", "1").await;
    let (s, _, body) = print(&app, &clerk, &print_body(&[&protected], None)).await;
    assert_eq!(
        (s, error_code(&body)),
        (StatusCode::FORBIDDEN, "support_measure_protected".into())
    );
    let (s, _, body) = print(&app, &clerk, &print_body(&[&protected], Some("本人の申出"))).await;
    assert_eq!(
        (s, error_code(&body)),
        (StatusCode::FORBIDDEN, "forbidden".into())
    );
    let staff = app.login_as("t1", "staff", "1").await;
    let (s, _, body) = print(&app, &staff, &print_body(&[&protected], Some("本人の申出"))).await;
    assert_eq!(s, StatusCode::OK, "{}", error_code(&body));
    let prints: Vec<(Option<String>, String, Option<String>)> =
        recent_audit(app.store.as_ref(), &t("t1"))
            .into_iter()
            .filter(|r| r.event.action == "form.print")
            .map(|r| (r.event.user, r.event.result, r.event.reason))
            .collect();
    assert_eq!(
        prints,
        [
            (Some("clerk".into()), "refused_support_measure".into(), None),
            (
                Some("clerk".into()),
                "denied:override_support_measure".into(),
                Some("本人の申出".into())
            ),
            (Some("staff".into()), "ok".into(), Some("本人の申出".into())),
        ]
    );
}

#[tokio::test]
async fn admins_add_template_versions_that_print_from_their_date() {
    let app = app();
    let token = app.login_as("t1", "staff", "1").await;
    let post = |body: &str| {
        Request::post("/api/v1/admin/form-templates")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::from(body.to_owned()))
            .expect("request")
    };
    // A bad template is refused with its position (the element's table; serde cannot point inside an
    // internally tagged element) and reason.
    let broken = NEW_TEMPLATE.replace("size = 40", "size = \"big\"");
    let (s, v) = app.send(post(&broken)).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(
        v["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("9行1列") && m.contains("書式")),
        "{v}"
    );
    let (s, v) = app.send(post(NEW_TEMPLATE)).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(
        (v["version"].as_str(), v["origin"].as_str()),
        (Some("2027-04"), Some("tenant"))
    );
    let (s, _) = app.send(post(NEW_TEMPLATE)).await;
    assert_eq!(s, StatusCode::CONFLICT, "versions never change");
    let (_, list) = app.send(get("/api/v1/admin/form-templates", &token)).await;
    let versions: Vec<(String, Option<String>)> = list
        .as_array()
        .expect("list")
        .iter()
        .filter(|t| t["id"] == "uketsukehyo")
        .map(|t| {
            (
                t["version"].as_str().unwrap_or("").to_owned(),
                t["valid_until"].as_str().map(str::to_owned),
            )
        })
        .collect();
    assert_eq!(
        versions,
        [
            ("2026-04".to_owned(), Some("2027-04-01".to_owned())),
            ("2027-04".to_owned(), None)
        ]
    );
    // Cases print with the version in force on their date, or again with the version first used.
    let mut job = print_body(&[&atena(1)], None);
    job["date"] = json!("2027-05-01");
    let (s, h, _) = print(&app, &token, &job).await;
    assert_eq!(
        (s, &h["x-madoguchi-template-versions"]),
        (StatusCode::OK, &"uketsukehyo@2027-04".parse().expect("h"))
    );
    job["forms"][0]["version"] = json!("2026-04");
    let (s, h, _) = print(&app, &token, &job).await;
    assert_eq!(
        (s, &h["x-madoguchi-template-versions"]),
        (StatusCode::OK, &"uketsukehyo@2026-04".parse().expect("h"))
    );
    // Another tenant still prints the standard version.
    let t2 = app.login_as("t2", "staff", "1").await;
    let (_, list) = app.send(get("/api/v1/admin/form-templates", &t2)).await;
    assert!(
        list.as_array()
            .expect("list")
            .iter()
            .all(|t| t["origin"] == "standard"),
        "{list}"
    );
}

#[tokio::test]
async fn navigation_finds_procedures_with_reasons_and_asks_what_matters() {
    let app = app();
    let token = app.login_as("t1", "staff", "1").await;
    let family = json!({
        "event": "転入", "detail": "国内", "event_date": "R8.11.20",
        "household_after": [
            {"birth": "1988-04-01", "relation": "世帯主", "mover": true},
            {"birth": "1990-06-01", "relation": "妻", "mover": true},
            {"birth": "2019-05-05", "relation": "子", "mover": true},
            {"birth": "2024-02-02", "relation": "子", "mover": true}
        ],
        "answers": {"kokuho_other_insurance": true}
    });
    let (s, v) = app
        .send(json_req(
            Method::POST,
            "/api/v1/navigation/evaluate",
            Some(&token),
            &family,
        ))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let procs = v["procedures"].as_array().expect("procedures");
    let find = |code: &str| procs.iter().find(|p| p["code"] == code).cloned();
    let jidou = find("JIDOU-TEATE-NINTEI").expect("児童手当");
    assert_eq!(
        jidou["reasons"],
        json!(["高校生年代までのお子さんがいるため"])
    );
    assert_eq!(jidou["forms"], json!(["jidou-teate"]));
    assert!(find("JUKI-TENNYU").is_some() && find("KOKUHO-KANYU").is_none());
    let questions: Vec<&str> = v["next_questions"]
        .as_array()
        .expect("questions")
        .iter()
        .filter_map(|q| q["id"].as_str())
        .collect();
    assert!(questions.contains(&"nursery_wanted"), "{questions:?}");
    assert!(
        !questions.contains(&"kokuho_other_insurance"),
        "already answered"
    );
    assert!(
        !questions.contains(&"school_district_change"),
        "cannot change anything for a 転入"
    );

    for (body, code) in [
        (
            json!({"event": "引越し", "event_date": "2026-11-20"}),
            "invalid_event",
        ),
        (
            json!({"event": "転入", "event_date": "平成32年1月1日"}),
            "invalid_date",
        ),
        (
            json!({"event": "転入", "event_date": "2026-11-20", "answers": {"nosuch": true}}),
            "unknown_question",
        ),
        (
            json!({"event": "転入", "event_date": "2026-11-20", "answers": {"has_dog": "はい"}}),
            "invalid_answer",
        ),
    ] {
        let (s, v) = app
            .send(json_req(
                Method::POST,
                "/api/v1/navigation/evaluate",
                Some(&token),
                &body,
            ))
            .await;
        assert_eq!(
            (s, v["error"]["code"].as_str()),
            (StatusCode::BAD_REQUEST, Some(code)),
            "{body}"
        );
    }
    let (s, v) = app
        .send(get("/api/v1/procedures?date=2026-11-23", &token))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(v.as_array().expect("catalogue").len() >= 40);
}

#[tokio::test]
async fn certificate_fees_total_with_exemptions() {
    let app = app();
    let token = app.login_as("t1", "staff", "1").await;
    let body = json!({"items": [
        {"item": "JUMINHYO", "copies": 2},
        {"item": "INKAN-SHOMEI", "copies": 1},
        {"item": "KOSEKI-ZENBU", "copies": 1, "exemption": "JIDOU-FUYOU"}
    ]});
    let (s, v) = app
        .send(json_req(
            Method::POST,
            "/api/v1/fees/quote",
            Some(&token),
            &body,
        ))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["total_yen"], json!(900));
    assert_eq!(v["lines"][2]["yen"], json!(0));
    assert!(
        v["lines"][2]["exemption_reason"]
            .as_str()
            .is_some_and(|r| r.contains("児童扶養手当"))
    );
    let bad = json!({"items": [{"item": "INKAN-SHOMEI", "copies": 1, "exemption": "NENKIN"}]});
    let (s, v) = app
        .send(json_req(
            Method::POST,
            "/api/v1/fees/quote",
            Some(&token),
            &bad,
        ))
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_fee_request"))
    );
    assert!(
        v["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("対象外")),
        "{v}"
    );
}

#[tokio::test]
async fn each_city_has_its_own_fee_table_and_local_rules() {
    let app = app();
    let t1 = app.login_as("t1", "staff", "1").await;
    let t2 = app.login_as("t2", "staff", "1").await;
    let put = |path: &str, token: &str, body: &str| {
        Request::put(path)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::from(body.to_owned()))
            .expect("request")
    };
    let (s, v) = app
        .send(put("/api/v1/admin/fee-table", &t1, "city = 1"))
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_fee_table"))
    );
    let (s, _) = app
        .send(put("/api/v1/admin/fee-table", &t1, CITY_FEES))
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let quote = json!({"items": [{"item": "JUMINHYO", "copies": 2}]});
    let total = |v: Value| v["total_yen"].clone();
    let (_, v) = app
        .send(json_req(
            Method::POST,
            "/api/v1/fees/quote",
            Some(&t1),
            &quote,
        ))
        .await;
    assert_eq!(total(v), json!(400), "t1's own table");
    let (_, v) = app
        .send(json_req(
            Method::POST,
            "/api/v1/fees/quote",
            Some(&t2),
            &quote,
        ))
        .await;
    assert_eq!(total(v), json!(600), "t2 keeps the standard table");

    let broken = LOCAL_RULES.replace("event.kind == \"転入\"", "event.kind == 3");
    let (s, v) = app
        .send(put("/api/v1/admin/navigation-rules", &t1, &broken))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(
        v["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("local.toml") && m.contains("行")),
        "{v}"
    );
    let (s, _) = app
        .send(put("/api/v1/admin/navigation-rules", &t1, LOCAL_RULES))
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let body = json!({"event": "転入", "event_date": "2026-11-20",
                      "household_after": [{"birth": "1990-01-01", "relation": "世帯主", "mover": true}]});
    let codes = |v: &Value| -> Vec<String> {
        v["procedures"]
            .as_array()
            .expect("procedures")
            .iter()
            .filter_map(|p| p["code"].as_str().map(str::to_owned))
            .collect()
    };
    let (_, v) = app
        .send(json_req(
            Method::POST,
            "/api/v1/navigation/evaluate",
            Some(&t1),
            &body,
        ))
        .await;
    assert!(codes(&v).contains(&"LOCAL-GOMI-BUKURO".to_owned()), "{v}");
    let (_, v) = app
        .send(json_req(
            Method::POST,
            "/api/v1/navigation/evaluate",
            Some(&t2),
            &body,
        ))
        .await;
    assert!(!codes(&v).contains(&"LOCAL-GOMI-BUKURO".to_owned()));
}
