//! The issuance history over the API (発行履歴・発行統計): certificates issued through a case are
//! listed without an address, counted by item, day, hour and counter, exported as CSV for a
//! spreadsheet, and reprinted byte-identical with a reason; revoked ones, other tenants' and staff
//! without the permission are refused.

use axum::http::{Method, StatusCode, header};
use chrono::{Duration, FixedOffset, NaiveDate, Timelike};
use madoguchi_core::ids::AtenaNo;
use madoguchi_core::permission::Permission;
use madoguchi_store::{CounterRecord, PermissionSet, TenantId};
use madoguchi_testkit::app::{TestApp, req};
use madoguchi_testkit::residents::atena;
use madoguchi_testkit::staff::{PASSWORD, TEST_COUNTERS, setup_event};
use madoguchi_testkit::terminal::TestDevice;
use serde_json::{Value, json};

use crate::common::{case_document, recent_audit, save_case, user_without};

async fn login(app: &TestApp, tenant: &str) -> String {
    let device = TestDevice::enroll(
        app.store.as_ref(),
        &TenantId(tenant.into()),
        "term-1",
        TEST_COUNTERS,
    );
    app.login_with(&device.login(tenant, "staff", PASSWORD, "市民課1番"))
        .await
}

/// Saves case `id` about resident 1 with `copies` 住民票の写し and issues them: the numbers and PDF.
async fn issue(app: &TestApp, token: &str, id: &str, copies: u32) -> (Vec<String>, Vec<u8>) {
    let mut doc = case_document(&atena(1), "髙橋\u{3000}太郎");
    doc["certificates"] = json!([{"item": "JUMINHYO", "copies": copies}]);
    save_case(app, token, id, doc).await;
    let uri = format!("/api/v1/cases/{id}/certificates");
    let body = json!({"write_id": format!("issue-{id}")});
    let res = app.response(req(Method::POST, &uri, token, &body)).await;
    assert_eq!(res.status(), StatusCode::OK);
    let numbers = res.headers()["x-madoguchi-issue-numbers"]
        .to_str()
        .expect("header")
        .split(',')
        .map(str::to_owned)
        .collect();
    let pdf = axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .expect("body");
    (numbers, pdf.to_vec())
}

async fn get(app: &TestApp, token: &str, uri: &str) -> (StatusCode, Value) {
    let (s, v, _) = app.call(req(Method::GET, uri, token, &Value::Null)).await;
    (s, v)
}

fn numbers_of(v: &Value) -> Vec<&str> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|c| c["issue_no"].as_str().expect("issue_no"))
        .collect()
}

fn counts(v: &Value) -> Vec<(String, String, u64)> {
    v.as_array()
        .expect("counts")
        .iter()
        .map(|c| {
            let text = |k: &str| c[k].as_str().expect("text").to_owned();
            (
                text("key"),
                text("label"),
                c["count"].as_u64().expect("count"),
            )
        })
        .collect()
}

fn today() -> NaiveDate {
    madoguchi_server::clock::today_jst()
}

#[tokio::test]
async fn issued_certificates_are_listed_without_an_address_and_filtered() {
    let app = TestApp::builder().build();
    let token = login(&app, "t1").await;
    let (first, _) = issue(&app, &token, "case-hist-0001", 2).await;
    let (second, _) = issue(&app, &token, "case-hist-0002", 1).await;
    let all: Vec<&str> = first.iter().chain(&second).map(String::as_str).collect();

    let (s, v) = get(&app, &token, "/api/v1/certificates").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(numbers_of(&v), all, "today's, by issue time then number");
    let resident = app
        .store
        .get_resident(
            &TenantId("t1".into()),
            &AtenaNo::parse(&atena(1)).expect("atena"),
        )
        .expect("get")
        .expect("resident 1");
    let c = &v[0];
    assert_eq!(c["item"], "JUMINHYO");
    assert_eq!(c["title"], "住民票の写し");
    assert_eq!(c["name"], resident.name.full.as_str());
    assert_eq!(c["place"], "市民課1番");
    assert_eq!(c["place_name"], "市民課1番窓口");
    assert_eq!(c["issued_by"], "staff");
    assert_eq!(c["case_id"], "case-hist-0001");
    assert!(c["revoked_at"].is_null() && c["revoke_reason"].is_null());
    let text = v.to_string();
    assert!(!text.contains(&resident.address.town), "no address: {text}");

    let by_number = format!("/api/v1/certificates?issue_no={}", all[1]);
    assert_eq!(numbers_of(&get(&app, &token, &by_number).await.1), [all[1]]);
    let limited = get(&app, &token, "/api/v1/certificates?limit=2").await.1;
    assert_eq!(numbers_of(&limited), &all[..2]);
    let yesterday = today() - Duration::days(1);
    let past = format!("/api/v1/certificates?from={yesterday}&to={yesterday}");
    assert!(numbers_of(&get(&app, &token, &past).await.1).is_empty());
    let both = format!("/api/v1/certificates?from={yesterday}&to={}", today());
    assert_eq!(numbers_of(&get(&app, &token, &both).await.1), all);
    for bad in [
        "limit=0",
        "limit=1001",
        "from=2026-13-01",
        "from=2999-01-01",
    ] {
        let (s, v) = get(&app, &token, &format!("/api/v1/certificates?{bad}")).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{bad}: {v}");
    }

    // The list is audited with the numbers it showed.
    let audit = recent_audit(&app, "t1");
    let listed = audit
        .iter()
        .find(|r| r.event.action == "certificate.history")
        .expect("certificate.history audited");
    assert_eq!(
        listed.event.subject.as_deref(),
        Some(all.join(" ").as_str())
    );
    assert_eq!(listed.event.result, "ok:3");
}

#[tokio::test]
async fn statistics_count_by_item_day_hour_and_counter_and_export_csv() {
    let app = TestApp::builder().build();
    let token = login(&app, "t1").await;
    issue(&app, &token, "case-hist-0001", 2).await;
    issue(&app, &token, "case-hist-0002", 1).await;
    let (_, listed) = get(&app, &token, "/api/v1/certificates").await;
    let jst = FixedOffset::east_opt(9 * 3600).expect("jst");
    let hours: Vec<u32> = listed
        .as_array()
        .expect("list")
        .iter()
        .map(|c| {
            let at = chrono::DateTime::parse_from_rfc3339(c["issued_at"].as_str().expect("at"))
                .expect("rfc3339");
            at.with_timezone(&jst).hour()
        })
        .collect();

    let (today, yesterday) = (today(), today() - Duration::days(1));
    let uri = format!("/api/v1/certificates/statistics?from={yesterday}&to={today}");
    let (s, v) = get(&app, &token, &uri).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        (v["total"].as_u64(), v["revoked"].as_u64()),
        (Some(3), Some(0))
    );
    assert_eq!(
        (v["from"].as_str(), v["to"].as_str()),
        (Some(&*yesterday.to_string()), Some(&*today.to_string()))
    );
    let label = |d: NaiveDate| format!("{}", d.format("%-m月%-d日"));
    assert_eq!(
        counts(&v["by_item"]),
        [("JUMINHYO".into(), "住民票の写し".into(), 3)]
    );
    assert_eq!(
        counts(&v["by_day"]),
        [
            (yesterday.to_string(), label(yesterday), 0),
            (today.to_string(), label(today), 3)
        ]
    );
    let by_hour = counts(&v["by_hour"]);
    assert_eq!(by_hour.len(), 24);
    for (h, (key, label, n)) in by_hour.iter().enumerate() {
        assert_eq!(
            (key.as_str(), label.as_str()),
            (&*h.to_string(), &*format!("{h}時"))
        );
        let expected = hours.iter().filter(|x| **x as usize == h).count() as u64;
        assert_eq!(*n, expected, "hour {h}");
    }
    assert_eq!(
        counts(&v["by_place"]),
        [("市民課1番".into(), "市民課1番窓口".into(), 3)]
    );
    for bad in [
        format!("from={}&to={today}", today - Duration::days(366)),
        format!("from={today}&to={yesterday}"),
    ] {
        let (s, v) = get(
            &app,
            &token,
            &format!("/api/v1/certificates/statistics?{bad}"),
        )
        .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{bad}: {v}");
        assert!(
            v["error"]["message"]
                .as_str()
                .is_some_and(|m| m.contains("期間")),
            "{v}"
        );
    }

    // A counter whose name looks like a formula is written as text in the CSV.
    app.store
        .put_counter(
            &TenantId("t1".into()),
            &CounterRecord {
                code: "市民課1番".into(),
                name: "=1+1窓口".into(),
                permissions: PermissionSet::all(),
                browser_allowed: true,
            },
            &setup_event(&TenantId("t1".into()), "counter.put"),
        )
        .expect("counter");
    let uri = format!("/api/v1/certificates/statistics.csv?from={today}&to={today}");
    let res = app
        .response(req(Method::GET, &uri, &token, &Value::Null))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        res.headers()[header::CONTENT_TYPE],
        "text/csv; charset=utf-8"
    );
    assert_eq!(
        res.headers()[header::CONTENT_DISPOSITION],
        format!("attachment; filename=\"certificate-statistics-{today}-{today}.csv\"").as_str()
    );
    let body = axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .expect("body");
    let csv = std::str::from_utf8(&body).expect("utf-8");
    let mut expected = String::from("\u{FEFF}日付,時,証明書,窓口,件数\r\n");
    let mut distinct = hours.clone();
    distinct.dedup();
    for h in distinct {
        let n = hours.iter().filter(|x| **x == h).count();
        expected.push_str(&format!("{today},{h},住民票の写し,'=1+1窓口,{n}\r\n"));
    }
    assert_eq!(csv, expected);
    let audited = recent_audit(&app, "t1")
        .iter()
        .filter(|r| r.event.action == "certificate.statistics")
        .count();
    assert_eq!(audited, 2, "the answer and the file, not the refusals");
}

#[tokio::test]
async fn a_reprint_is_byte_identical_needs_a_reason_and_not_when_revoked() {
    let app = TestApp::builder().build();
    let token = login(&app, "t1").await;
    let (numbers, pdf) = issue(&app, &token, "case-hist-0001", 1).await;
    let no = numbers[0].clone();
    let uri = format!("/api/v1/certificates/{no}/reprint");
    let body = json!({"reason": "用紙詰まりのため"});
    let res = app.response(req(Method::POST, &uri, &token, &body)).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["x-madoguchi-issue-numbers"], no.as_str());
    assert_eq!(res.headers()[header::CONTENT_TYPE], "application/pdf");
    let again = axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .expect("body");
    assert_eq!(again.to_vec(), pdf, "the same sheet as the first print");
    let reprinted = recent_audit(&app, "t1")
        .into_iter()
        .find(|r| r.event.action == "certificate.reprint")
        .expect("reprint audited");
    assert_eq!(reprinted.event.subject.as_deref(), Some(no.as_str()));
    assert_eq!(reprinted.event.reason.as_deref(), Some("用紙詰まりのため"));

    for body in [
        json!({}),
        json!({"reason": " 汚"}),
        json!({"reason": "あ".repeat(201)}),
    ] {
        let (s, v, _) = app.call(req(Method::POST, &uri, &token, &body)).await;
        assert_eq!(
            (s, v["error"]["code"].as_str()),
            (StatusCode::BAD_REQUEST, Some("invalid_reason")),
            "{body}"
        );
        assert!(
            v["error"]["message"]
                .as_str()
                .is_some_and(|m| m.contains("理由")),
            "{v}"
        );
    }
    let unknown = uri.replace(&no[no.len() - 6..], "000099");
    let (s, v, _) = app.call(req(Method::POST, &unknown, &token, &body)).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{v}");

    let revoke = format!("/api/v1/certificates/{no}/revoke");
    let (s, v, _) = app
        .call(req(
            Method::POST,
            &revoke,
            &token,
            &json!({"reason": "記載誤りのため"}),
        ))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, v, _) = app.call(req(Method::POST, &uri, &token, &body)).await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    assert_eq!(v["error"]["message"], "失効した証明書は再印刷できません。");
    let (_, listed) = get(&app, &token, "/api/v1/certificates").await;
    assert_eq!(listed[0]["revoke_reason"], "記載誤りのため");
    let stats = get(&app, &token, "/api/v1/certificates/statistics").await.1;
    assert_eq!(
        (stats["total"].as_u64(), stats["revoked"].as_u64()),
        (Some(1), Some(1))
    );
}

#[tokio::test]
async fn other_tenants_and_staff_without_the_permission_see_nothing() {
    let app = TestApp::builder().build();
    let token = login(&app, "t1").await;
    let (numbers, _) = issue(&app, &token, "case-hist-0001", 1).await;
    let no = &numbers[0];
    let reprint = format!("/api/v1/certificates/{no}/reprint");
    let body = json!({"reason": "用紙詰まりのため"});

    let other = login(&app, "t2").await;
    let (s, v) = get(&app, &other, &format!("/api/v1/certificates?issue_no={no}")).await;
    assert_eq!((s, numbers_of(&v).len()), (StatusCode::OK, 0), "{v}");
    let (s, v) = get(&app, &other, "/api/v1/certificates").await;
    assert_eq!((s, numbers_of(&v).len()), (StatusCode::OK, 0), "{v}");
    let stats = get(&app, &other, "/api/v1/certificates/statistics").await.1;
    assert_eq!(stats["total"].as_u64(), Some(0));
    let (s, v, _) = app.call(req(Method::POST, &reprint, &other, &body)).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{v}");

    // A staff member with every permission but issuing certificates.
    user_without(&app, "nocert", Permission::IssueCertificates);
    let denied = app.login_as("t1", "nocert", "1").await;
    for uri in [
        "/api/v1/certificates",
        "/api/v1/certificates/statistics",
        "/api/v1/certificates/statistics.csv",
    ] {
        let (s, v) = get(&app, &denied, uri).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{uri}: {v}");
    }
    let (s, v, _) = app.call(req(Method::POST, &reprint, &denied, &body)).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
}

/// Adds an account `login` of tenant t1 with every permission but `missing`.
#[tokio::test]
async fn a_certificate_about_a_support_measure_person_is_reprinted_only_with_the_override() {
    let app = TestApp::builder().build();
    let token = login(&app, "t1").await;
    // Resident 8 is under 支援措置: the first issue needed the override and a reason.
    let mut doc = case_document(&atena(8), "渡邉\u{3000}花子");
    doc["certificates"] = json!([{"item": "JUMINHYO", "copies": 1, "scope": "本人のみ"}]);
    let body = json!({"write_id": "save-case-hist-dv01", "revision": null, "status": "open", "document": doc});
    let (s, v, _) = app
        .call(req(
            Method::PUT,
            "/api/v1/cases/case-hist-dv01",
            &token,
            &body,
        ))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let body =
        json!({"write_id": "issue-case-hist-dv01", "override_reason": "本人が来庁し本人確認済み"});
    let res = app
        .response(req(
            Method::POST,
            "/api/v1/cases/case-hist-dv01/certificates",
            &token,
            &body,
        ))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let no = res.headers()["x-madoguchi-issue-numbers"]
        .to_str()
        .expect("header")
        .to_owned();
    let uri = format!("/api/v1/certificates/{no}/reprint");
    let reason = json!({"reason": "用紙詰まりのため"});

    user_without(&app, "nooverride", Permission::OverrideSupportMeasure);
    let limited = app.login_as("t1", "nooverride", "1").await;
    let (s, v, _) = app.call(req(Method::POST, &uri, &limited, &reason)).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    let (s, v, _) = app.call(req(Method::POST, &uri, &token, &reason)).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let outcomes: Vec<(String, Option<String>)> = recent_audit(&app, "t1")
        .into_iter()
        .filter(|r| r.event.action == "certificate.reprint")
        .map(|r| (r.event.result, r.event.reason))
        .collect();
    let reason = Some("用紙詰まりのため".to_owned());
    assert_eq!(
        outcomes,
        [
            ("denied:override_support_measure".to_owned(), reason.clone()),
            ("ok".to_owned(), reason)
        ]
    );
}
