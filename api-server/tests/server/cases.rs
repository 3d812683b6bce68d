//! Cases over the API: saved once per client write id, history kept by the server, resumed at another
//! counter, searched by date, staff and procedure; printed from the case as saved; 転出証明書情報 and
//! the 町字 list for 転入.

use axum::http::{Method, StatusCode};
use madoguchi_store::TenantId;
use madoguchi_testkit::app::{TestApp, req};
use madoguchi_testkit::residents::{atena, today};
use madoguchi_testkit::staff::{PASSWORD, TEST_COUNTERS};
use madoguchi_testkit::terminal::TestDevice;
use serde_json::{Value, json};

use crate::common::{case_document, pdf_text};

/// The usual server, with the demo city's 転出証明書情報 notices in `t1`.
fn app() -> TestApp {
    TestApp::builder()
        .setup(|store| {
            madoguchi_server::seed::demo_incoming_moves(store, &TenantId("t1".into()), today())
                .expect("notices");
        })
        .build()
}

/// Logs in as `staff` at `counter` from an enrolled terminal (`term-2` at counter `1`, else `term-1`).
async fn login(app: &TestApp, tenant: &str, counter: &str) -> String {
    let terminal = if counter == "1" { "term-2" } else { "term-1" };
    let device = TestDevice::enroll(
        app.store.as_ref(),
        &madoguchi_store::TenantId(tenant.into()),
        terminal,
        TEST_COUNTERS,
    );
    app.login_with(&device.login(tenant, "staff", PASSWORD, counter))
        .await
}

fn save(write_id: &str, revision: Option<i64>, status: &str, doc: &Value) -> Value {
    json!({"write_id": write_id, "revision": revision, "status": status, "document": doc})
}

#[tokio::test]
async fn a_case_is_saved_once_per_write_and_keeps_its_history() {
    let app = app();
    let token = login(&app, "t1", "市民課1番").await;
    let doc = case_document(&atena(1), "髙橋\u{3000}太郎");
    let uri = "/api/v1/cases/case-0000-0001";
    let (s, v, _) = app
        .call(req(
            Method::PUT,
            uri,
            &token,
            &save("write-0001", None, "open", &doc),
        ))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["revision"], 1);
    assert_eq!(v["status_label"], "受付中");
    assert_eq!(v["title"], "転居 髙橋\u{3000}太郎");
    assert_eq!(
        v["history"][0]["lines"],
        json!([
            "案件を作成",
            "状態: 受付中",
            "届出を追加: 転居",
            "手続を追加: 転居届、国民健康保険 住所変更"
        ])
    );
    assert_eq!(v["history"][0]["terminal"], "term-1");
    // The same write sent again (the answer was lost) is not applied twice.
    let (s, v, _) = app
        .call(req(
            Method::PUT,
            uri,
            &token,
            &save("write-0001", None, "open", &doc),
        ))
        .await;
    assert_eq!((s, v["revision"].as_i64()), (StatusCode::OK, Some(1)));
    assert_eq!(v["history"].as_array().map(Vec::len), Some(1));
    // A new case with an existing id, or a save on a stale revision, is a conflict.
    let (s, v, _) = app
        .call(req(
            Method::PUT,
            uri,
            &token,
            &save("write-0002", None, "open", &doc),
        ))
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("case_conflict"))
    );

    // Resumed at the second counter: certificates with their fee, a memo, a status change.
    let second = login(&app, "t1", "1").await;
    let (s, v, _) = app.call(req(Method::GET, uri, &second, &Value::Null)).await;
    assert_eq!(s, StatusCode::OK);
    let mut doc = v["document"].clone();
    doc["certificates"] =
        json!([{"item": "JUMINHYO", "copies": 2}, {"item": "INKAN-SHOMEI", "copies": 1}]);
    doc["memo"] = json!("本人確認済み（マイナンバーカード）");
    doc["procedures"][1]["state"] = json!("accepted");
    let (s, v, _) = app
        .call(req(
            Method::PUT,
            uri,
            &second,
            &save("write-0003", Some(1), "applied", &doc),
        ))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["revision"], 2);
    assert_eq!(v["updated_counter"], "1");
    assert_eq!(v["opened_counter"], "市民課1番");
    assert_eq!(
        v["document"]["fee_total"], 900,
        "fees come from the fee table: {v}"
    );
    assert_eq!(v["document"]["certificates"][0]["name"], "住民票の写し");
    let lines = &v["history"][1]["lines"];
    assert_eq!(
        lines,
        &json!([
            "状態を変更: 受付中 → 申請済",
            "国民健康保険 住所変更: 未 → 受付済",
            "証明書を請求: 住民票の写し 2通、印鑑登録証明書 1通（手数料 900円）",
            "メモを更新"
        ])
    );
    // The first counter's stale save is refused, and nothing it typed is lost on the client's side.
    let (s, _, _) = app
        .call(req(
            Method::PUT,
            uri,
            &token,
            &save("write-0004", Some(1), "open", &doc),
        ))
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    // Status moves one step at a time.
    let (s, v, _) = app
        .call(req(
            Method::PUT,
            uri,
            &token,
            &save("write-0005", Some(2), "closed", &doc),
        ))
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("invalid_status_change")
        )
    );
    // Bad input: a proxy without a 委任状, an unknown certificate, a bad case id.
    let mut proxy = doc.clone();
    proxy["visitor"]["kind"] = json!("代理人");
    let (s, v, _) = app
        .call(req(
            Method::PUT,
            uri,
            &token,
            &save("write-0006", Some(2), "applied", &proxy),
        ))
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("proxy_letter_required"))
    );
    let mut cert = doc.clone();
    cert["certificates"] = json!([{"item": "NOSUCH", "copies": 1}]);
    let (s, v, _) = app
        .call(req(
            Method::PUT,
            uri,
            &token,
            &save("write-0007", Some(2), "applied", &cert),
        ))
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_certificate"))
    );
    let (s, _, _) = app
        .call(req(
            Method::PUT,
            "/api/v1/cases/x",
            &token,
            &save("write-0008", None, "open", &doc),
        ))
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    // An unfinished 転居 (no new address yet) can be saved while 受付中, not applied.
    let mut unfinished = case_document(&atena(2), "髙橋\u{3000}花子");
    unfinished["notifications"][0]["new_address"] = Value::Null;
    let draft_uri = "/api/v1/cases/case-0000-0002";
    let (s, v, _) = app
        .call(req(
            Method::PUT,
            draft_uri,
            &token,
            &save("write-0009", None, "open", &unfinished),
        ))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, v, _) = app
        .call(req(
            Method::PUT,
            draft_uri,
            &token,
            &save("write-0010", Some(1), "applied", &unfinished),
        ))
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("address_required"))
    );
    // Another tenant does not see it.
    let other = login(&app, "t2", "市民課1番").await;
    let (s, _, _) = app.call(req(Method::GET, uri, &other, &Value::Null)).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // Every save is in the audit log with the case id, no names.
    let records = app
        .store
        .audit_records(
            &TenantId("t1".into()),
            chrono::Utc::now() - chrono::Duration::hours(1),
            chrono::Utc::now() + chrono::Duration::hours(1),
        )
        .expect("audit");
    let saves: Vec<_> = records
        .iter()
        .filter(|r| r.event.action.starts_with("case."))
        .collect();
    assert!(saves.iter().any(|r| r.event.action == "case.create"));
    assert!(
        saves
            .iter()
            .any(|r| r.event.action == "case.update" && r.event.counter.as_deref() == Some("1"))
    );
    assert!(
        saves
            .iter()
            .all(|r| !r.event.subject.clone().unwrap_or_default().contains("髙橋"))
    );
}

#[tokio::test]
async fn past_cases_are_found_by_date_staff_procedure_and_status() {
    let app = app();
    let token = login(&app, "t1", "市民課1番").await;
    let doc = case_document(&atena(1), "髙橋\u{3000}太郎");
    for (i, status) in ["open", "open"].iter().enumerate() {
        let uri = format!("/api/v1/cases/case-find-000{i}");
        let (s, v, _) = app
            .call(req(
                Method::PUT,
                &uri,
                &token,
                &save(&format!("w-find-000{i}"), None, status, &doc),
            ))
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
    }
    let today = madoguchi_server::api::today_jst(); // cases are opened now, and the filter is by day in Japan
    let list = |q: String| {
        let app = &app;
        let token = token.clone();
        async move {
            let (s, v, _) = app
                .call(req(
                    Method::GET,
                    &format!("/api/v1/cases?{q}"),
                    &token,
                    &Value::Null,
                ))
                .await;
            assert_eq!(s, StatusCode::OK, "{v}");
            v.as_array()
                .expect("list")
                .iter()
                .map(|c| c["id"].as_str().expect("id").to_owned())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        list(format!("from={today}&to={today}")).await,
        vec!["case-find-0001", "case-find-0000"]
    );
    assert!(
        list(format!("to={}", today - chrono::Duration::days(1)))
            .await
            .is_empty()
    );
    assert_eq!(
        list("staff=staff&procedure=JUKI-TENKYO".into()).await.len(),
        2
    );
    assert!(list("staff=someone".into()).await.is_empty());
    assert!(list("procedure=INKAN-TOROKU".into()).await.is_empty());
    assert!(list("status=applied".into()).await.is_empty());
    let (s, v, _) = app
        .call(req(
            Method::GET,
            "/api/v1/cases?from=きのう",
            &token,
            &Value::Null,
        ))
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_date"))
    );
}

#[tokio::test]
async fn a_case_prints_its_forms_from_the_saved_case_and_records_it() {
    let app = app();
    let token = login(&app, "t1", "市民課1番").await;
    let uri = "/api/v1/cases/case-print-0001";
    let doc = case_document(&atena(1), "髙橋\u{3000}太郎");
    let (s, _, _) = app
        .call(req(
            Method::PUT,
            uri,
            &token,
            &save("w-print-0001", None, "open", &doc),
        ))
        .await;
    assert_eq!(s, StatusCode::OK);
    let print_uri = format!("{uri}/print");
    let (s, v, pdf) = app
        .call(req(
            Method::POST,
            &print_uri,
            &token,
            &json!({"write_id": "p-print-0001"}),
        ))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let text = pdf_text(&pdf);
    assert!(text.contains("住民異動届"), "{text}");
    assert!(text.contains("手続きのご案内"), "{text}");
    assert!(text.contains("髙橋"), "{text}");
    assert!(text.contains("本町二丁目3番4号"), "{text}");
    assert!(
        text.contains("国民健康保険"),
        "the referred procedure's form is printed for the resident to take: {text}"
    );
    // Every procedure whose form was printed is 申請書印刷済; the history names the forms.
    let (_, v, _) = app.call(req(Method::GET, uri, &token, &Value::Null)).await;
    assert_eq!(v["document"]["procedures"][0]["state"], "printed");
    assert_eq!(v["document"]["procedures"][1]["state"], "printed");
    let last = v["history"]
        .as_array()
        .expect("history")
        .last()
        .cloned()
        .expect("entry");
    assert_eq!(
        last["lines"][0],
        "印刷: 住民異動届、国民健康保険異動届、手続き案内書"
    );
    assert_eq!(last["lines"][1], "転居届: 未 → 申請書印刷済");
    assert_eq!(v["revision"], 2);
    // Forms can be chosen: only the guide sheet this time.
    let body = json!({"write_id": "p-print-0002", "templates": ["tetsuzuki-annai"]});
    let (s, _, pdf) = app.call(req(Method::POST, &print_uri, &token, &body)).await;
    assert_eq!(s, StatusCode::OK);
    assert!(!pdf_text(&pdf).contains("住民異動届"));
    // The guide sheet's QR code, scanned from the printed page, opens this case — and only here.
    let symbols = qr_symbols_on_first_page(&pdf);
    assert_eq!(symbols.len(), 1, "one QR code on the guide sheet");
    assert!(symbols[0].starts_with("MDG1.1.1."), "{symbols:?}");
    let scan = json!({ "symbols": symbols });
    let (s, v, _) = app
        .call(req(Method::POST, "/api/v1/qr/resolve", &token, &scan))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        (v["kind"].as_str(), v["case_id"].as_str()),
        (Some("case"), Some("case-print-0001"))
    );
    // Security II point 8: the audit names the case the code opened.
    let resolved = app
        .store
        .audit_records(
            &TenantId("t1".into()),
            chrono::Utc::now() - chrono::Duration::hours(1),
            chrono::Utc::now() + chrono::Duration::hours(1),
        )
        .expect("audit")
        .into_iter()
        .rfind(|r| r.event.action == "qr.resolve")
        .expect("audited");
    assert_eq!(
        (
            resolved.event.subject.as_deref(),
            resolved.event.result.as_str()
        ),
        (Some("case:case-print-0001"), "ok")
    );
    let mut forged = symbols[0].clone();
    forged.replace_range(forged.len() - 40..forged.len() - 39, "A");
    forged.replace_range(forged.len() - 41..forged.len() - 40, "B");
    let (s, v, _) = app
        .call(req(
            Method::POST,
            "/api/v1/qr/resolve",
            &token,
            &json!({ "symbols": [forged] }),
        ))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let other = login(&app, "t2", "市民課1番").await;
    let (s, v, _) = app
        .call(req(Method::POST, "/api/v1/qr/resolve", &other, &scan))
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("qr_bad_signature"))
    );
    // A retried print renders again but does not add to the history.
    let body = json!({"write_id": "p-print-0001"});
    let (s, _, _) = app.call(req(Method::POST, &print_uri, &token, &body)).await;
    assert_eq!(s, StatusCode::OK);
    let (_, v, _) = app.call(req(Method::GET, uri, &token, &Value::Null)).await;
    assert_eq!(v["revision"], 3);
    assert_eq!(v["history"].as_array().map(Vec::len), Some(3));
}

/// The texts of the QR codes on the PDF's first page (rendered at 150 dpi in grey by poppler).
fn qr_symbols_on_first_page(pdf: &[u8]) -> Vec<String> {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("page.pdf");
    std::fs::write(&path, pdf).expect("write");
    let out = std::process::Command::new("pdftoppm")
        .args(["-r", "150", "-gray", "-f", "1", "-l", "1"])
        .arg(&path)
        .output()
        .expect("pdftoppm (poppler-utils)");
    madoguchi_qr::symbol::decode_pgm(&out.stdout)
}

#[tokio::test]
async fn a_case_about_a_support_measure_household_prints_only_with_a_reason() {
    let app = app();
    let token = login(&app, "t1", "市民課1番").await;
    // Resident 8 is under 支援措置.
    let uri = "/api/v1/cases/case-dv-00001";
    let doc = case_document(&atena(8), "渡邉\u{3000}さくら");
    let (s, _, _) = app
        .call(req(
            Method::PUT,
            uri,
            &token,
            &save("w-dv-00001", None, "open", &doc),
        ))
        .await;
    assert_eq!(s, StatusCode::OK);
    let print_uri = format!("{uri}/print");
    let (s, v, _) = app
        .call(req(
            Method::POST,
            &print_uri,
            &token,
            &json!({"write_id": "p-dv-00001"}),
        ))
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("support_measure_protected"))
    );
    let (_, v, _) = app.call(req(Method::GET, uri, &token, &Value::Null)).await;
    assert_eq!(v["revision"], 1, "a refused print changes nothing");
    let (s, _, _) = app
        .call(req(
            Method::POST,
            &print_uri,
            &token,
            &json!({"write_id": "p-dv-00002", "override_reason": "本人からの申出により本人に交付"}),
        ))
        .await;
    assert_eq!(s, StatusCode::OK);
}

#[tokio::test]
async fn incoming_moves_and_towns_feed_a_transfer_in() {
    let app = app();
    let token = login(&app, "t1", "市民課1番").await;
    let (s, v, _) = app
        .call(req(
            Method::GET,
            "/api/v1/incoming-moves?q=%E3%82%84%E3%81%BE%E3%81%A0",
            &token,
            &Value::Null,
        ))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let found = v.as_array().expect("list");
    assert_eq!(found.len(), 1, "{v}");
    assert_eq!(found[0]["members"].as_array().map(Vec::len), Some(4));
    assert_eq!(found[0]["members"][3]["name"], "山田\u{3000}さくら");
    let (s, v, _) = app
        .call(req(
            Method::GET,
            "/api/v1/incoming-moves?q=",
            &token,
            &Value::Null,
        ))
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_query"))
    );
    let other = login(&app, "t2", "市民課1番").await;
    let (_, v, _) = app
        .call(req(
            Method::GET,
            "/api/v1/incoming-moves?q=%E3%83%A4%E3%83%9E%E3%83%80",
            &other,
            &Value::Null,
        ))
        .await;
    assert_eq!(v, json!([]), "tenant-scoped");
    let (s, v, _) = app
        .call(req(Method::GET, "/api/v1/towns", &token, &Value::Null))
        .await;
    assert_eq!(s, StatusCode::OK);
    let towns = v.as_array().expect("towns");
    assert!(!towns.is_empty());
    assert!(towns.iter().all(|t| {
        t["full"]
            .as_str()
            .is_some_and(|f| f.ends_with(t["town"].as_str().unwrap_or("?")))
    }));
}

#[tokio::test]
async fn a_transfer_in_from_a_notice_prints_for_people_not_yet_residents() {
    let app = app();
    let token = login(&app, "t1", "市民課1番").await;
    let (_, found, _) = app
        .call(req(
            Method::GET,
            "/api/v1/incoming-moves?q=%E3%83%A4%E3%83%9E%E3%83%80",
            &token,
            &Value::Null,
        ))
        .await;
    let notice = &found[0];
    let doc = json!({
        "visitor": {"kind": "本人", "name": notice["head_name"], "id_document": "マイナンバーカード"},
        "notifications": [{
            "kind": "転入", "detail": "国内", "event_date": today().to_string(), "notice_no": notice["notice_no"],
            "old_address": notice["old_address"], "head_name": notice["head_name"], "members": notice["members"],
            "new_address": {"town": "本町", "banchi": "一丁目2番3号", "full": "群馬県さくら野市本町一丁目2番3号"}
        }],
        "procedures": [{"code": "JUKI-TENNYU", "name": "転入届", "counter": "市民課", "on_the_spot": true,
            "state": "pending", "forms": ["ido-todoke"]}]
    });
    let uri = "/api/v1/cases/case-tennyu-0001";
    let (s, v, _) = app
        .call(req(
            Method::PUT,
            uri,
            &token,
            &save("w-tennyu-0001", None, "open", &doc),
        ))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["title"], "転入 山田\u{3000}太郎 ほか3名");
    let body = json!({"write_id": "p-tennyu-0001"});
    let (s, v, pdf) = app
        .call(req(Method::POST, &format!("{uri}/print"), &token, &body))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let text = pdf_text(&pdf);
    for name in ["山田 太郎", "山田 花子", "山田 一郎", "山田 さくら"] {
        assert!(
            text.replace('\u{3000}', " ").contains(name),
            "{name}: {text}"
        );
    }
    // The raw print route still refuses personal forms that name no resident.
    let raw = json!({"subjects": [], "forms": [{"template": "ido-todoke", "data": {}}]});
    let (s, v, _) = app
        .call(req(Method::POST, "/api/v1/forms/print", &token, &raw))
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("subjects_required"))
    );
}

#[tokio::test]
async fn a_pen_signature_is_checked_on_save_and_printed_on_the_application_summary() {
    let app = app();
    let token = login(&app, "t1", "市民課1番").await;
    let uri = "/api/v1/cases/case-sign-0001";
    let mut doc = case_document(&atena(1), "髙橋\u{3000}太郎");
    // A pen with pressure: one stroke across the box.
    let stroke: Vec<Value> = (0..40)
        .map(|i| json!({"x": 10.0 + f64::from(i) * 9.0, "y": 60.0 + (f64::from(i) / 3.0).sin() * 30.0, "t": f64::from(i) * 12.0, "pressure": 0.2 + f64::from(i) / 60.0}))
        .collect();
    doc["signature"] = json!({"width": 400.0, "height": 120.0, "strokes": [stroke]});
    let (s, v, _) = app
        .call(req(
            Method::PUT,
            uri,
            &token,
            &save("w-sign-0001", None, "open", &doc),
        ))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let body = json!({"write_id": "p-sign-0001", "templates": ["shinsei-naiyou"]});
    let (s, v, pdf) = app
        .call(req(Method::POST, &format!("{uri}/print"), &token, &body))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let text = pdf_text(&pdf);
    assert!(text.contains("申請内容"), "the application summary printed");
    assert!(
        text.contains("転居届"),
        "it lists the applications taken here: {text}"
    );
    // An empty or impossible signature is refused with the reason.
    let mut bad = doc.clone();
    bad["signature"] = json!({"width": 0.0, "height": 120.0, "strokes": []});
    let (s, v, _) = app
        .call(req(
            Method::PUT,
            "/api/v1/cases/case-sign-0002",
            &token,
            &save("w-sign-0002", None, "open", &bad),
        ))
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_signature"))
    );
    assert!(
        v["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("署名"))
    );
}

#[tokio::test]
async fn the_request_form_lists_every_certificate_line_with_its_purpose_and_the_requesters_address()
{
    let app = app();
    let token = login(&app, "t1", "市民課1番").await;
    let uri = "/api/v1/cases/case-koufu-0001";
    let resident = app
        .store
        .get_resident(
            &TenantId("t1".into()),
            &madoguchi_core::ids::AtenaNo::parse(&atena(1)).expect("atena"),
        )
        .expect("store")
        .expect("resident 1");
    let mut doc = json!({
        "visitor": {"kind": "本人", "atena_no": atena(1), "name": resident.name.full, "id_document": "マイナンバーカード"},
        "certificates": [
            {"item": "JUMINHYO", "copies": 2, "scope": "本人のみ", "items": ["relation", "honseki"], "purpose": "年金の手続き"},
            {"item": "INKAN-SHOMEI", "copies": 1, "purpose": "自動車の登録"}
        ]
    });
    let too_long = {
        let mut d = doc.clone();
        d["certificates"][1]["purpose"] = json!("目".repeat(101));
        d
    };
    let (s, v, _) = app
        .call(req(
            Method::PUT,
            uri,
            &token,
            &save("w-koufu-0000", None, "open", &too_long),
        ))
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_purpose")),
        "{v}"
    );
    doc["fee_total"] = json!(0);
    let (s, v, _) = app
        .call(req(
            Method::PUT,
            uri,
            &token,
            &save("w-koufu-0001", None, "open", &doc),
        ))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let body = json!({"write_id": "p-koufu-0001", "templates": ["koufu-seikyu"]});
    let (s, v, pdf) = app
        .call(req(Method::POST, &format!("{uri}/print"), &token, &body))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let text = pdf_text(&pdf).replace([' ', '\u{3000}'], "");
    for expected in [
        "住民票の写し",
        "印鑑登録証明書",
        "年金の手続き",
        "自動車の登録",
        "続柄・本籍・筆頭者",
        "本人のみ",
    ] {
        assert!(text.contains(expected), "{expected} on the form: {text}");
    }
    let town = resident.address.town.replace([' ', '\u{3000}'], "");
    assert!(
        text.contains(&town),
        "the requester's registered address ({town}): {text}"
    );
}
