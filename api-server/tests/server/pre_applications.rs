//! 事前申請 (issue 21 point 3): entries signed into QR codes on the public route, read back at the
//! counter.

use axum::http::{Method, StatusCode};
use madoguchi_testkit::app::{TestApp, json_req, req};
use serde_json::{Value, json};

pub fn entries() -> Value {
    json!({
        "event": "転入", "detail": "国内", "language": "vi",
        "answers": {},
        "members": [
            {"name": "桜野 一郎", "kana": "サクラノ イチロウ", "birth": "1990-05-01", "sex": "男", "relation": "世帯主"},
            {"name": "桜野 花子", "kana": "サクラノ ハナコ", "birth": "1992-07-07", "sex": "女", "relation": "妻"},
        ],
        "old_address": "東京都千代田区霞が関1-1-1",
        "new_address": {"town": "本町", "banchi": "1-2-3", "katagaki": "さくらハイツ101"},
    })
}

/// The symbols of a 事前申請 signed by tenant `t1`'s key 31 days ago (expired); the key must exist.
pub fn expired_symbols(app: &TestApp) -> Vec<String> {
    let t1 = madoguchi_store::TenantId("t1".into());
    let signer = madoguchi_server::api::qr::stored_signer(app.store.as_ref(), &t1)
        .expect("signer")
        .expect("a key exists");
    let today = madoguchi_server::api::today_jst();
    let old =
        json!({"tenant": "t1", "issued": today - chrono::Days::new(31), "entries": entries()});
    signer
        .encode(
            madoguchi_qr_payload::Kind::PreApplication,
            &old.to_string(),
            300,
        )
        .expect("encoded")
}

pub async fn sign(app: &TestApp, tenant: &str, entries: &Value) -> (StatusCode, Value) {
    app.send(json_req(
        Method::POST,
        &format!("/api/v1/pre-applications/sign?tenant={tenant}"),
        None,
        &json!({ "entries": entries }),
    ))
    .await
}

#[tokio::test]
async fn a_resident_gets_signed_qr_codes_for_the_entries_without_login() {
    let app = TestApp::new();
    let (s, v) = sign(&app, "t1", &entries()).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let symbols = v["symbols"].as_array().expect("symbols");
    let svgs = v["svgs"].as_array().expect("svgs");
    assert!(!symbols.is_empty());
    assert_eq!(symbols.len(), svgs.len());
    assert!(svgs[0].as_str().expect("test value").starts_with("<svg"));
    let today = madoguchi_server::api::today_jst();
    assert_eq!(v["issued"], json!(today));
    assert_eq!(v["expires"], json!(today + chrono::Days::new(30)));
    // Nothing personal audited (at most the city's first QR key).
    let actions: Vec<String> = crate::common::recent_audit(&app, "t1")
        .into_iter()
        .map(|r| r.event.action)
        .filter(|a| a != "qr_key.create" && !a.starts_with("user.") && !a.starts_with("group."))
        .collect();
    assert!(
        !actions.iter().any(|a| a.contains("pre_application")),
        "{actions:?}"
    );
    // The counter reads the same entries back, signed for this city today.
    let token = app.login("t1").await;
    let (s, r, _) = app
        .call(req(
            Method::POST,
            "/api/v1/qr/resolve",
            &token,
            &json!({ "symbols": symbols }),
        ))
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    let body: Value = serde_json::from_str(r["body"].as_str().expect("body")).expect("json");
    assert_eq!(body["tenant"], "t1");
    assert_eq!(body["issued"], json!(today));
    assert_eq!(body["entries"]["members"][1]["name"], "桜野 花子");
}

#[tokio::test]
async fn bad_entries_and_unknown_cities_are_refused_in_japanese() {
    let app = TestApp::new();
    let mut e = entries();
    e["members"] = json!([]);
    let (s, v) = sign(&app, "t1", &e).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(v["error"]["code"], "invalid_entries");
    assert_eq!(
        v["error"]["message"],
        "申請する人を1人以上入力してください。"
    );
    let mut e = entries();
    e["members"][0]["birth"] = json!("2999-01-01");
    let (s, v) = sign(&app, "t1", &e).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(
        v["error"]["message"],
        "生年月日が未来の日付になっています。"
    );
    let (s, v) = sign(&app, "no-such-city", &entries()).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{v}");
    assert!(
        v["error"]["message"]
            .as_str()
            .expect("test value")
            .contains("団体")
    );
}

async fn send(app: &TestApp, write_id: &str, entries: &Value) -> (StatusCode, Value) {
    app.send(json_req(
        Method::POST,
        "/api/v1/pre-applications/send?tenant=t1",
        None,
        &json!({ "write_id": write_id, "entries": entries }),
    ))
    .await
}

async fn delete(app: &TestApp, number: &str, birth: &str) -> (StatusCode, Value) {
    app.send(json_req(
        Method::POST,
        &format!("/api/v1/pre-applications/{number}/delete?tenant=t1"),
        None,
        &json!({ "birth": birth }),
    ))
    .await
}

#[tokio::test]
async fn a_sent_application_gets_one_number_and_is_read_at_the_counter() {
    let app = TestApp::new();
    let (s, v) = send(&app, "phone-1", &entries()).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let number = v["number"].as_str().expect("number").to_owned();
    assert_eq!(number.len(), 8);
    assert!(madoguchi_core::pre_application::number::normalize(&number).is_some());
    // Sent again (the phone retried): the same number, one application, one audit record.
    let (s, again) = send(&app, "phone-1", &entries()).await;
    assert_eq!(
        (s, again["number"].as_str()),
        (StatusCode::OK, Some(number.as_str()))
    );
    let sends: Vec<_> = crate::common::recent_audit(&app, "t1")
        .into_iter()
        .filter(|r| r.event.action == "pre_application.send")
        .collect();
    assert_eq!(sends.len(), 1);
    assert_eq!(
        sends[0].event.subject.as_deref(),
        Some(format!("pre-application:{number}").as_str())
    );
    // The counter reads it by the number, typed with a hyphen.
    let token = app.login("t1").await;
    let typed = format!("{}-{}", &number[..4], &number[4..]);
    let (s, r, _) = app
        .call(req(
            Method::GET,
            &format!("/api/v1/pre-applications/{typed}"),
            &token,
            &Value::Null,
        ))
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["body"]["tenant"], "t1");
    assert_eq!(r["body"]["entries"]["language"], "vi");
    assert!(
        crate::common::recent_audit(&app, "t1")
            .iter()
            .any(|a| a.event.action == "pre_application.read"
                && a.event.subject.as_deref() == Some(&format!("pre-application:{number}")))
    );
    // A mistyped number is caught by its check digit; another city does not see it.
    let mut typo: Vec<u8> = number.clone().into_bytes();
    typo[3] = if typo[3] == b'9' { b'0' } else { typo[3] + 1 };
    let typo = String::from_utf8(typo).expect("test value");
    let (s, r, _) = app
        .call(req(
            Method::GET,
            &format!("/api/v1/pre-applications/{typo}"),
            &token,
            &Value::Null,
        ))
        .await;
    assert_eq!(
        (s, r["error"]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_number"))
    );
    let other = app.login("t2").await;
    let (s, _, _) = app
        .call(req(
            Method::GET,
            &format!("/api/v1/pre-applications/{number}"),
            &other,
            &Value::Null,
        ))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // Deleting: a wrong birth date answers as a wrong number; the right one deletes.
    let (s, wrong_birth) = delete(&app, &number, "1990-05-02").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, wrong_number) = delete(&app, "12345678", "1990-05-01").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(wrong_birth, wrong_number, "no way to tell a number exists");
    let (s, _) = delete(&app, &number, "1990-05-01").await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, _, _) = app
        .call(req(
            Method::GET,
            &format!("/api/v1/pre-applications/{number}"),
            &token,
            &Value::Null,
        ))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_staff_read_needs_the_permission() {
    let app = TestApp::new();
    let (_, v) = send(&app, "phone-2", &entries()).await;
    let number = v["number"].as_str().expect("test value");
    crate::common::user_without(
        &app,
        "no-accept",
        madoguchi_core::permission::Permission::AcceptNotification,
    );
    let token = app.login_as("t1", "no-accept", "市民課1番").await;
    let (s, _, _) = app
        .call(req(
            Method::GET,
            &format!("/api/v1/pre-applications/{number}"),
            &token,
            &Value::Null,
        ))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn expired_foreign_and_tampered_codes_are_refused_at_the_counter() {
    let app = TestApp::new();
    let token = app.login("t1").await;
    let resolve = |symbols: Value| {
        let token = token.clone();
        let app = &app;
        async move {
            let (s, v, _) = app
                .call(req(
                    Method::POST,
                    "/api/v1/qr/resolve",
                    &token,
                    &json!({ "symbols": symbols }),
                ))
                .await;
            (
                s,
                v["error"]["code"].as_str().unwrap_or_default().to_owned(),
            )
        }
    };
    // Another city's code: told so, not called forged.
    let (_, theirs) = sign(&app, "t2", &entries()).await;
    assert_eq!(
        resolve(theirs["symbols"].clone()).await,
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            "pre_application_other_city".into()
        )
    );
    // Altered: refused as such.
    let (_, ours) = sign(&app, "t1", &entries()).await;
    let mut symbols: Vec<String> =
        serde_json::from_value(ours["symbols"].clone()).expect("test value");
    // One character well inside the body of the first symbol (past the city's id; still base64).
    let first = symbols.first_mut().expect("test value");
    let chunk = first.match_indices('.').nth(3).expect("four dots").0 + 1;
    let at = chunk + 200;
    assert!(first.len() > at + 1, "a body long enough to alter");
    let flip = if &first[at..=at] == "A" { "B" } else { "A" };
    first.replace_range(at..=at, flip);
    assert_eq!(
        resolve(json!(symbols)).await,
        (StatusCode::UNPROCESSABLE_ENTITY, "qr_bad_signature".into())
    );
    // Half scanned: the "n of m" message (a long household needs several symbols).
    let mut big = entries();
    big["members"] = json!((0..8).map(|i| json!({"name": format!("桜野 子{i}"), "kana": "サクラノ コドモ", "birth": "2010-01-01", "relation": "子"})).collect::<Vec<_>>());
    let (_, many) = sign(&app, "t1", &big).await;
    let many: Vec<String> = serde_json::from_value(many["symbols"].clone()).expect("test value");
    assert!(many.len() > 1, "{}", many.len());
    assert_eq!(
        resolve(json!([many[0]])).await,
        (StatusCode::UNPROCESSABLE_ENTITY, "qr_incomplete".into())
    );
    assert_eq!(resolve(json!(many)).await.0, StatusCode::OK);
    // Signed 31 days ago: expired.
    let old = expired_symbols(&app);
    assert_eq!(
        resolve(json!(old)).await,
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            "pre_application_expired".into()
        )
    );
    // A sent one past its day: expired too.
    let t1 = madoguchi_store::TenantId("t1".into());
    let today = madoguchi_server::api::today_jst();
    let stale = madoguchi_store::PreApplication {
        number: madoguchi_core::pre_application::number::from_random(4242),
        write_id: "stale".into(),
        birth: chrono::NaiveDate::from_ymd_opt(1990, 5, 1).expect("test value"),
        body:
            json!({"tenant": "t1", "issued": today - chrono::Days::new(40), "entries": entries()})
                .to_string(),
        expires: today - chrono::Days::new(1),
        sent_at: chrono::Utc::now(),
    };
    let ev = madoguchi_server::audit::event(&t1, None, None, "pre_application.send", None, "ok");
    app.store
        .send_pre_application(&t1, &stale, today - chrono::Days::new(10), &ev)
        .expect("stored");
    let (s, v, _) = app
        .call(req(
            Method::GET,
            &format!("/api/v1/pre-applications/{}", stale.number),
            &token,
            &Value::Null,
        ))
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("pre_application_expired")
        )
    );
}

/// A public route's request from client address `ip` (as the server sees it with connection info).
fn from_address(
    ip: [u8; 4],
    mut request: axum::http::Request<axum::body::Body>,
) -> axum::http::Request<axum::body::Body> {
    request
        .extensions_mut()
        .insert(axum::extract::ConnectInfo(std::net::SocketAddr::from((
            ip, 40000,
        ))));
    request
}

#[tokio::test]
async fn the_resident_routes_are_limited_per_address() {
    let app = TestApp::with_settings(madoguchi_server::config::Settings {
        resident_requests_per_address: 3,
        resident_deletes_per_address: 2,
        ..madoguchi_server::config::Settings::default()
    });
    let signing = || {
        json_req(
            Method::POST,
            "/api/v1/pre-applications/sign?tenant=t1",
            None,
            &json!({ "entries": entries() }),
        )
    };
    for _ in 0..3 {
        let (s, v) = app.send(from_address([198, 51, 100, 7], signing())).await;
        assert_eq!(s, StatusCode::OK, "{v}");
    }
    let (s, v) = app.send(from_address([198, 51, 100, 7], signing())).await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::TOO_MANY_REQUESTS, Some("too_many_requests"))
    );
    assert!(
        v["error"]["message"]
            .as_str()
            .expect("message")
            .contains("しばらく時間をおいて")
    );
    // The guide's evaluation draws on the same allowance; another address has its own.
    let guide = json_req(
        Method::POST,
        "/api/v1/guide/evaluate?tenant=t1",
        None,
        &json!({}),
    );
    let (s, _) = app.send(from_address([198, 51, 100, 7], guide)).await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS);
    let (s, v) = app.send(from_address([198, 51, 100, 8], signing())).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    // Guessing a birth date to delete someone's: a few tries, then refused whatever the guess.
    let (_, sent) = send(&app, "phone-quota", &entries()).await;
    let number = sent["number"].as_str().expect("number").to_owned();
    let deleting = |birth: &str| {
        json_req(
            Method::POST,
            &format!("/api/v1/pre-applications/{number}/delete?tenant=t1"),
            None,
            &json!({ "birth": birth }),
        )
    };
    for birth in ["1990-01-01", "1990-01-02"] {
        let (s, _) = app
            .send(from_address([203, 0, 113, 9], deleting(birth)))
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
    }
    let (s, _) = app
        .send(from_address([203, 0, 113, 9], deleting("1990-05-01")))
        .await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS, "the right date, too late");
    let (s, _) = app
        .send(from_address([203, 0, 113, 10], deleting("1990-05-01")))
        .await;
    assert_eq!(
        s,
        StatusCode::NO_CONTENT,
        "the resident, from their own phone"
    );
}
