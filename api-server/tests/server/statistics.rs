//! The case statistics over the API (統計) and the 対応履歴 export: cases saved at the counter are
//! counted by day, hour, weekday, counter, staff, channel, 届出 and procedure, with handling time,
//! certificates and the comparison periods; the CSV writes counts under 5 as `<5`; the export names
//! residents by 宛名番号 only, never by name; bad periods, other tenants and staff without `admin` are
//! refused; every read is audited.

use axum::http::{Method, StatusCode, header};
use chrono::{Datelike, Duration};
use madoguchi_core::permission::Permission;
use madoguchi_store::TenantId;
use madoguchi_testkit::app::{TestApp, req};
use madoguchi_testkit::residents::atena;
use madoguchi_testkit::staff::{PASSWORD, TEST_COUNTERS};
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

async fn get(app: &TestApp, token: &str, uri: &str) -> (StatusCode, Value) {
    let (s, v, _) = app.call(req(Method::GET, uri, token, &Value::Null)).await;
    (s, v)
}

async fn text(app: &TestApp, token: &str, uri: &str) -> (StatusCode, String, String) {
    let res = app
        .response(req(Method::GET, uri, token, &Value::Null))
        .await;
    let status = res.status();
    let kind = res
        .headers()
        .get(header::CONTENT_DISPOSITION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .expect("body");
    (
        status,
        kind,
        String::from_utf8(body.to_vec()).expect("utf-8"),
    )
}

fn count_of(v: &Value, key: &str) -> Option<u64> {
    v.as_array()?
        .iter()
        .find(|c| c["key"] == key)
        .and_then(|c| c["count"].as_u64())
}

/// Closes case `id` step by step (申請済, 審査済, 完了: revisions 2 to 4).
async fn close(app: &TestApp, token: &str, id: &str, doc: Value) {
    let uri = format!("/api/v1/cases/{id}");
    for (revision, status) in [(1, "applied"), (2, "reviewed"), (3, "closed")] {
        let body = json!({"write_id": format!("{status}-{id}"), "revision": revision,
            "status": status, "document": doc});
        let (s, v, _) = app.call(req(Method::PUT, &uri, token, &body)).await;
        assert_eq!(s, StatusCode::OK, "{v}");
    }
}

#[tokio::test]
async fn cases_are_counted_by_every_dimension_and_exported() {
    let app = TestApp::builder().build();
    let token = login(&app, "t1").await;
    for i in 1..=6 {
        let doc = case_document(&atena(i), "髙橋\u{3000}太郎");
        save_case(&app, &token, &format!("case-stat-{i:04}"), doc).await;
    }
    close(
        &app,
        &token,
        "case-stat-0001",
        case_document(&atena(1), "髙橋\u{3000}太郎"),
    )
    .await;
    let today = madoguchi_server::clock::today_jst();
    let (s, v) = get(
        &app,
        &token,
        &format!("/api/v1/admin/statistics?from={today}&to={today}"),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["total"], 6);
    assert_eq!(count_of(&v["by_day"], &today.to_string()), Some(6));
    let hours: u64 = v["by_hour"]
        .as_array()
        .expect("hours")
        .iter()
        .map(|c| c["count"].as_u64().expect("n"))
        .sum();
    assert_eq!(hours, 6);
    let weekday = today.weekday().number_from_monday().to_string();
    assert_eq!(count_of(&v["by_weekday"], &weekday), Some(6));
    assert_eq!(count_of(&v["by_counter"], "市民課1番"), Some(6));
    assert_eq!(count_of(&v["by_staff"], "staff"), Some(6));
    assert_eq!(count_of(&v["by_channel"], "counter"), Some(6));
    assert_eq!(count_of(&v["by_channel"], "kiosk"), Some(0));
    assert_eq!(count_of(&v["by_notification"], "転居"), Some(6));
    assert_eq!(count_of(&v["by_procedure"], "JUKI-TENKYO"), Some(6));
    assert_eq!(count_of(&v["by_procedure"], "KOKUHO-JUSHO"), Some(6));
    assert_eq!(
        (
            v["procedures_found"].as_u64(),
            v["cases_with_procedures"].as_u64()
        ),
        (Some(12), Some(6))
    );
    assert_eq!(v["handling"]["closed"], 1);
    assert_eq!(v["handling"]["median_minutes"], 0);
    assert_eq!(count_of(&v["handling"]["buckets"], "0"), Some(1));
    assert_eq!(v["certificates_issued"], 0);
    let comparison = v["comparison"].as_array().expect("comparison");
    assert_eq!(comparison.len(), 2);
    assert_eq!(comparison[0]["to"], (today - Duration::days(1)).to_string());
    assert_eq!(comparison[0]["total"], 0);
    assert_eq!(comparison[1]["key"], "last_year");

    // The CSV: exact counts from 5 up, `<5` below, 0 as 0.
    let uri = format!("/api/v1/admin/statistics.csv?from={today}&to={today}");
    let (s, name, csv) = text(&app, &token, &uri).await;
    assert_eq!(s, StatusCode::OK, "{csv}");
    assert_eq!(
        name,
        format!("attachment; filename=\"statistics-{today}-{today}.csv\"")
    );
    assert!(csv.starts_with("\u{FEFF}区分,キー,項目,件数\r\n"), "{csv}");
    assert!(
        csv.contains(&format!("合計,{today}..{today},案件数,6\r\n")),
        "{csv}"
    );
    assert!(csv.contains("届出別,転居,転居,6\r\n"), "{csv}");
    assert!(
        csv.contains("処理時間,closed,完了した案件数,<5\r\n"),
        "{csv}"
    );
    assert!(csv.contains("受付経路別,kiosk,キオスク端末,0\r\n"), "{csv}");

    // The 対応履歴 export: one row per entry, 宛名番号 and never a name.
    let uri = format!("/api/v1/admin/case-history.csv?from={today}&to={today}");
    let (s, name, csv) = text(&app, &token, &uri).await;
    assert_eq!(s, StatusCode::OK, "{csv}");
    assert_eq!(
        name,
        format!("attachment; filename=\"case-history-{today}-{today}.csv\"")
    );
    let lines: Vec<&str> = csv.trim_end().split("\r\n").collect();
    assert_eq!(
        lines[0],
        "\u{FEFF}日時,案件ID,窓口,窓口名,端末,職員,宛名番号,内容"
    );
    assert_eq!(lines.len(), 1 + 9, "six creations and three status changes");
    assert!(
        lines.iter().any(|l| l.contains("case-stat-0001")
            && l.contains(&atena(1))
            && l.contains("状態を変更: 審査済 → 完了")),
        "{csv}"
    );
    assert!(!csv.contains("髙橋"), "no names: {csv}");

    let audited: Vec<String> = recent_audit(&app, "t1")
        .into_iter()
        .filter(|r| r.event.subject.as_deref() == Some(&*format!("period:{today}..{today}")))
        .map(|r| r.event.action)
        .collect();
    assert_eq!(
        audited,
        [
            "statistics.read",
            "statistics.export",
            "case_history.export"
        ]
    );
}

#[tokio::test]
async fn bad_periods_other_tenants_and_staff_without_admin_are_refused() {
    let app = TestApp::builder().build();
    let token = login(&app, "t1").await;
    save_case(
        &app,
        &token,
        "case-stat-0001",
        case_document(&atena(1), "髙橋\u{3000}太郎"),
    )
    .await;
    let today = madoguchi_server::clock::today_jst();
    for route in ["statistics", "statistics.csv", "case-history.csv"] {
        for (bad, word) in [
            (
                format!("from={}&to={today}", today - Duration::days(366)),
                "366日",
            ),
            (
                format!("from={today}&to={}", today - Duration::days(1)),
                "開始日",
            ),
            ("from=2026-13-01".to_owned(), "年-月-日"),
        ] {
            let (s, v) = get(&app, &token, &format!("/api/v1/admin/{route}?{bad}")).await;
            assert_eq!(s, StatusCode::BAD_REQUEST, "{route} {bad}: {v}");
            assert!(
                v["error"]["message"]
                    .as_str()
                    .is_some_and(|m| m.contains(word)),
                "{v}"
            );
        }
    }
    let other = login(&app, "t2").await;
    let (s, v) = get(&app, &other, "/api/v1/admin/statistics").await;
    assert_eq!((s, v["total"].as_u64()), (StatusCode::OK, Some(0)), "{v}");
    let (_, _, csv) = text(&app, &other, "/api/v1/admin/case-history.csv").await;
    assert!(!csv.contains("case-stat-0001"), "{csv}");

    user_without(&app, "noadmin", Permission::Admin);
    let denied = app.login_as("t1", "noadmin", "1").await;
    for route in ["statistics", "statistics.csv", "case-history.csv"] {
        let (s, v) = get(&app, &denied, &format!("/api/v1/admin/{route}")).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{route}: {v}");
    }
}
