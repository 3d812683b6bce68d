//! 事前申請 at the kiosk (issue 21 point 3): the kiosk account reads a resident's QR symbols or
//! 受付番号 + birth date and gets the entries only — never a case or a certificate.

use axum::http::{Method, StatusCode};
use madoguchi_server::seed::{DEMO_KIOSK_COUNTER, DEMO_KIOSK_LOGIN, DEMO_KIOSK_PASSWORD};
use madoguchi_store::TenantId;
use madoguchi_testkit::app::{TestApp, json_req, req};
use madoguchi_testkit::staff::TEST_COUNTERS;
use madoguchi_testkit::terminal::TestDevice;
use serde_json::{Value, json};

use crate::pre_applications::{entries, sign};

const ROUTE: &str = "/api/v1/kiosk/pre-application";

/// Tenants `t1` (with the demo city's kiosk account and the kiosk terminal `kiosk-term-1`) and `t2`.
fn app() -> TestApp {
    TestApp::bare()
        .tenant("t1", "さくら野市")
        .setup(|store| {
            madoguchi_server::seed::demo_staff(
                store,
                &TenantId("t1".into()),
                "demo",
                "sakurano-madoguchi",
            )
            .expect("demo staff and kiosk");
        })
        .staff("t1")
        .setup(|store| {
            let mut counters = TEST_COUNTERS.to_vec();
            counters.push(DEMO_KIOSK_COUNTER);
            TestDevice::enroll(store, &TenantId("t1".into()), "kiosk-term-1", &counters);
        })
        .tenant("t2", "もみじ町")
        .staff("t2")
        .build()
}

/// The kiosk account logged in on its terminal.
async fn kiosk(app: &TestApp) -> String {
    app.login_with(&TestDevice::new("kiosk-term-1").login(
        "t1",
        DEMO_KIOSK_LOGIN,
        DEMO_KIOSK_PASSWORD,
        DEMO_KIOSK_COUNTER,
    ))
    .await
}

async fn read(app: &TestApp, token: &str, body: Value) -> (StatusCode, Value) {
    let (s, v, _) = app.call(req(Method::POST, ROUTE, token, &body)).await;
    (s, v)
}

fn code(v: &Value) -> &str {
    v["error"]["code"].as_str().unwrap_or_default()
}

fn symbols(v: &Value) -> Vec<String> {
    serde_json::from_value(v["symbols"].clone()).expect("symbols")
}

/// The most recent audit record of `action` in `t1`.
fn last_audit(app: &TestApp, action: &str) -> madoguchi_store::AuditRecord {
    crate::common::recent_audit(app, "t1")
        .into_iter()
        .rfind(|r| r.event.action == action)
        .expect("audited")
}

#[tokio::test]
async fn the_kiosk_reads_a_signed_qr_code_into_the_entries_only() {
    let app = app();
    let token = kiosk(&app).await;
    let (_, signed) = sign(&app, "t1", &entries()).await;
    let (s, v) = read(&app, &token, json!({ "symbols": symbols(&signed) })).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["number"], Value::Null);
    assert_eq!(v["body"]["tenant"], "t1");
    assert_eq!(v["body"]["entries"]["event"], "転入");
    assert_eq!(v["body"]["entries"]["members"][1]["name"], "桜野 花子");
    assert_eq!(v["body"]["entries"]["new_address"]["banchi"], "1-2-3");
    assert!(v.get("case_id").is_none(), "{v}");
    let audited = last_audit(&app, "qr.resolve");
    assert_eq!(
        (
            audited.event.subject.as_deref(),
            audited.event.result.as_str()
        ),
        (Some("pre_application"), "ok")
    );
}

#[tokio::test]
async fn a_code_in_several_symbols_tells_how_many_are_read() {
    let app = app();
    let token = kiosk(&app).await;
    let mut big = entries();
    big["members"] = json!(
        (0..8)
            .map(
                |i| json!({"name": format!("桜野 子{i}"), "kana": "サクラノ コドモ",
        "birth": "2010-01-01", "relation": "子"})
            )
            .collect::<Vec<_>>()
    );
    let (_, signed) = sign(&app, "t1", &big).await;
    let many = symbols(&signed);
    assert!(many.len() > 1, "{}", many.len());
    let (s, v) = read(&app, &token, json!({ "symbols": [many[0]] })).await;
    assert_eq!(
        (s, code(&v)),
        (StatusCode::UNPROCESSABLE_ENTITY, "qr_incomplete")
    );
    let message = v["error"]["message"].as_str().expect("message");
    assert!(
        message.contains(&format!(
            "{}枚に分かれています（1枚読み取り済み）",
            many.len()
        )),
        "{message}"
    );
    // All parts, in any order.
    let mut reversed = many.clone();
    reversed.reverse();
    let (s, v) = read(&app, &token, json!({ "symbols": reversed })).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["body"]["entries"]["members"][7]["name"], "桜野 子7");
    let (s, v) = read(&app, &token, json!({ "symbols": [] })).await;
    assert_eq!((s, code(&v)), (StatusCode::BAD_REQUEST, "invalid_symbols"));
}

#[tokio::test]
async fn altered_foreign_expired_and_other_codes_are_refused() {
    let app = app();
    let token = kiosk(&app).await;
    // Altered: one character inside the body of the first symbol.
    let (_, ours) = sign(&app, "t1", &entries()).await;
    let mut altered = symbols(&ours);
    let first = altered.first_mut().expect("a symbol");
    let at = first.match_indices('.').nth(3).expect("four dots").0 + 201;
    let flip = if &first[at..=at] == "A" { "B" } else { "A" };
    first.replace_range(at..=at, flip);
    let (s, v) = read(&app, &token, json!({ "symbols": altered })).await;
    assert_eq!(
        (s, code(&v)),
        (StatusCode::UNPROCESSABLE_ENTITY, "qr_bad_signature")
    );
    // Another city's code.
    let (_, theirs) = sign(&app, "t2", &entries()).await;
    let (s, v) = read(&app, &token, json!({ "symbols": symbols(&theirs) })).await;
    assert_eq!(
        (s, code(&v)),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            "pre_application_other_city"
        )
    );
    // Signed 31 days ago.
    let old = crate::pre_applications::expired_symbols(&app);
    let (s, v) = read(&app, &token, json!({ "symbols": old })).await;
    assert_eq!(
        (s, code(&v)),
        (StatusCode::UNPROCESSABLE_ENTITY, "pre_application_expired")
    );
    // A case's code (the 手続き案内書's) and a certificate's: not for the kiosk, nothing of them shown.
    let signer =
        madoguchi_server::api::qr::stored_signer(app.store.as_ref(), &TenantId("t1".into()))
            .expect("signer")
            .expect("a key exists");
    for (kind, body) in [
        (madoguchi_qr_payload::Kind::Case, "case-t1-0001"),
        (madoguchi_qr_payload::Kind::Certificate, "cert-0001"),
    ] {
        let code_symbols = signer.encode(kind, body, 300).expect("encoded");
        let (s, v) = read(&app, &token, json!({ "symbols": code_symbols })).await;
        assert_eq!(
            (s, code(&v)),
            (StatusCode::UNPROCESSABLE_ENTITY, "qr_not_for_kiosk")
        );
        assert_eq!(
            v["error"]["message"],
            "このQRコードはキオスクでは読み取れません。窓口へお越しください。"
        );
        assert!(!v.to_string().contains(body), "{v}");
    }
    // Not a Madoguchi code at all.
    let (s, v) = read(&app, &token, json!({ "symbols": ["https://example.com"] })).await;
    assert_eq!(
        (s, code(&v)),
        (StatusCode::UNPROCESSABLE_ENTITY, "qr_not_ours")
    );
}

async fn send(app: &TestApp) -> String {
    let (s, v) = app
        .send(json_req(
            Method::POST,
            "/api/v1/pre-applications/send?tenant=t1",
            None,
            &json!({ "write_id": "phone-kiosk-1", "entries": entries() }),
        ))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v["number"].as_str().expect("number").to_owned()
}

#[tokio::test]
async fn a_number_with_the_applicants_birth_date_reads_it_and_a_wrong_date_is_no_oracle() {
    let app = app();
    let token = kiosk(&app).await;
    let number = send(&app).await;
    let typed = format!("{}-{}", &number[..4], &number[4..]);
    let (s, v) = read(
        &app,
        &token,
        json!({"number": typed, "birth": "1990-05-01"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["number"], number.as_str());
    assert_eq!(v["body"]["entries"]["language"], "vi");
    assert_eq!(v["body"]["entries"]["members"][0]["name"], "桜野 一郎");
    let audited = last_audit(&app, "pre_application.read");
    assert_eq!(
        (
            audited.event.subject.as_deref(),
            audited.event.result.as_str()
        ),
        (Some(format!("pre-application:{number}").as_str()), "ok")
    );
    // A wrong birth date answers exactly as a number nobody was given.
    let (s, wrong_birth) = read(
        &app,
        &token,
        json!({"number": number, "birth": "1990-05-02"}),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, unknown) = read(
        &app,
        &token,
        json!({"number": "12345671", "birth": "1990-05-01"}),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(wrong_birth, unknown, "no way to tell a number exists");
    assert_eq!(
        last_audit(&app, "pre_application.read").event.result,
        "not_found"
    );
    // A mistyped number is caught by its check digit.
    let (s, v) = read(
        &app,
        &token,
        json!({"number": "12345678", "birth": "1990-05-01"}),
    )
    .await;
    assert_eq!((s, code(&v)), (StatusCode::BAD_REQUEST, "invalid_number"));
}

#[tokio::test]
async fn a_staff_session_without_the_kiosk_permission_is_refused() {
    let app = app();
    crate::common::user_without(
        &app,
        "no-kiosk",
        madoguchi_core::permission::Permission::KioskApply,
    );
    let token = app.login_as("t1", "no-kiosk", "市民課1番").await;
    let (_, signed) = sign(&app, "t1", &entries()).await;
    let (s, v) = read(&app, &token, json!({ "symbols": symbols(&signed) })).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    let (s, _) = read(
        &app,
        &token,
        json!({"number": "12345671", "birth": "1990-05-01"}),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}
