//! The issuance station (証明書発行端末) over the API, with a TEST JPKI PKI (`madoguchi_virtual_card::
//! jpki_test_pki`): a resident's card answers the server's challenge, the `cards` feed names the
//! resident, the station takes a request with a 受付番号, and staff print, call, hand over or cancel it.

mod more;

use std::sync::Arc;

use axum::http::{Method, StatusCode};
use base64::Engine;
use chrono::Utc;
use madoguchi_core::ids::AtenaNo;
use madoguchi_store::{
    AuditEvent, CardSerial, CardSerialChange, CounterRecord, GroupRecord, ImportMeta, ImportMode,
    PermissionSet, Store, TenantId,
};
use madoguchi_testkit::app::{TestApp, req};
use madoguchi_testkit::residents::atena;
use madoguchi_testkit::staff::{PASSWORD, setup_event};
use madoguchi_testkit::terminal::TestDevice;
use madoguchi_virtual_card::{CardProfile, TestPki, jpki_test_pki};
use serde_json::{Value, json};

use crate::common::call;

const SERIAL: &str = "4d0001";
const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

fn tenant() -> TenantId {
    TenantId("t1".into())
}

/// The card's serial names resident `seq` (a `cards` feed delta).
fn map_card(store: &dyn Store, seq: u64, file: &str) {
    let t = tenant();
    let meta = ImportMeta {
        mode: ImportMode::Delta,
        sha256: format!("{file:0>64}"),
        source_name: file.into(),
        started_at: Utc::now(),
        audit: Some(AuditEvent {
            ..setup_event(&t, "linkage.cards")
        }),
    };
    let change = CardSerialChange::Put(CardSerial {
        atena_no: AtenaNo::parse(&atena(seq)).expect("atena"),
        serial: SERIAL.into(),
        revoked_on: None,
    });
    store
        .import_card_serials(&t, &meta, &[change])
        .expect("card serial");
}

/// The station's group, counter (browser allowed, for the test) and account `station`.
fn station_account(store: &dyn Store) {
    let t = tenant();
    let perms = PermissionSet::parse("station_apply").expect("perms");
    let group = GroupRecord {
        code: "station".into(),
        name: "証明書発行端末".into(),
        permissions: perms,
    };
    store
        .put_group(&t, &group, &setup_event(&t, "group.put"))
        .expect("group");
    let counter = CounterRecord {
        code: "station".into(),
        name: "発行端末".into(),
        permissions: perms,
        browser_allowed: true,
    };
    store
        .put_counter(&t, &counter, &setup_event(&t, "counter.put"))
        .expect("counter");
    let spec = madoguchi_server::auth::AccountSpec {
        login: "station",
        display_name: "発行端末 1",
        password: PASSWORD,
        groups: vec!["station".into()],
        valid_until: None,
    };
    madoguchi_server::auth::create_user(store, &t, &spec, &setup_event(&t, "user.create"))
        .expect("user");
}

fn put_crl(store: &dyn Store, pki: &TestPki) {
    let t = tenant();
    store
        .put_tenant_setting(
            &t,
            "jpki_crl",
            &B64.encode(&pki.crl_der),
            &setup_event(&t, "jpki_crl.put"),
        )
        .expect("crl");
}

/// A server trusting the test PKI's CA, with the station account and (`crl`) the CA's current CRL.
fn app(pki: &TestPki, crl: bool, card_of: Option<u64>) -> TestApp {
    let anchor = pki.ca_der.clone();
    let pki2 = pki.clone();
    TestApp::builder()
        .state(move |s| s.jpki_anchors = Arc::new(vec![anchor]))
        .setup(move |store| {
            station_account(store);
            if crl {
                put_crl(store, &pki2);
            }
            if let Some(seq) = card_of {
                map_card(store, seq, "cards-1");
            }
        })
        .build()
}

async fn login(app: &TestApp, user: &str, counter: &str) -> String {
    let device = TestDevice::enroll(
        app.store.as_ref(),
        &tenant(),
        &format!("term-{user}"),
        &[counter],
    );
    app.login_with(&device.login("t1", user, PASSWORD, counter))
        .await
}

/// JPKI user authentication as the station's runtime does it: the server's challenge signed with the
/// card's key. Answers the verification id.
async fn authenticate(app: &TestApp, token: &str, pki: &TestPki) -> (StatusCode, Value) {
    let (s, c) = call(
        app,
        Method::POST,
        "/api/v1/jpki/challenge",
        token,
        Value::Null,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{c}");
    let challenge = B64
        .decode(c["challenge"].as_str().expect("challenge"))
        .expect("b64");
    let key = ring::signature::RsaKeyPair::from_pkcs8(&pki.auth_key_pkcs8).expect("key");
    let mut signature = vec![0u8; key.public().modulus_len()];
    key.sign(
        &ring::signature::RSA_PKCS1_SHA256,
        &ring::rand::SystemRandom::new(),
        &challenge,
        &mut signature,
    )
    .expect("sign");
    let answer = json!({"challenge_id": c["challenge_id"], "certificate": B64.encode(&pki.auth_cert_der),
        "signature": B64.encode(&signature)});
    call(app, Method::POST, "/api/v1/jpki/verify", token, answer).await
}

async fn verification(app: &TestApp, token: &str, pki: &TestPki) -> String {
    let (s, v) = authenticate(app, token, pki).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v["verification_id"].as_str().expect("id").to_owned()
}

fn juminhyo(copies: u32) -> Value {
    json!([{"item": "JUMINHYO", "copies": copies, "scope": "世帯全員", "items": ["relation"]}])
}

async fn request(
    app: &TestApp,
    token: &str,
    id: &str,
    vid: &str,
    lines: Value,
) -> (StatusCode, Value) {
    let uri = format!("/api/v1/issuance/requests/{id}");
    call(
        app,
        Method::PUT,
        &uri,
        token,
        json!({"verification_id": vid, "lines": lines}),
    )
    .await
}

async fn act(app: &TestApp, token: &str, id: &str, body: Value) -> (StatusCode, Value) {
    let uri = format!("/api/v1/issuance/requests/{id}/actions");
    call(app, Method::POST, &uri, token, body).await
}

#[tokio::test]
async fn a_resident_requests_at_the_station_and_staff_print_call_and_hand_over() {
    let pki = jpki_test_pki(SERIAL, CardProfile::example());
    let app = app(&pki, true, Some(1));
    let station = login(&app, "station", "station").await;
    let (s, status) = call(
        &app,
        Method::GET,
        "/api/v1/issuance/station/status",
        &station,
        Value::Null,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{status}");
    assert_eq!(status["available"], true);
    assert_eq!(status["offers"][0]["name"], "住民票の写し");

    let vid = verification(&app, &station, &pki).await;
    let (s, who) = call(
        &app,
        Method::POST,
        "/api/v1/issuance/station/identify",
        &station,
        json!({"verification_id": vid}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{who}");
    assert_eq!(who["name"], "髙橋\u{3000}太郎");
    assert_eq!(who["household_size"], 5);
    assert_eq!(who["offers"][0]["available"], true);
    // No 印鑑登録 in this city's data: refused gently, before anything is asked for.
    assert_eq!(who["offers"][1]["available"], false);
    assert_eq!(
        who["offers"][1]["reason"],
        "印鑑登録がないため、印鑑登録証明書は発行できません。"
    );
    assert!(
        !who.to_string().contains("花子"),
        "nobody else's name: {who}"
    );

    let (s, receipt) = request(&app, &station, "st-req-0001", &vid, juminhyo(2)).await;
    assert_eq!(s, StatusCode::OK, "{receipt}");
    assert_eq!(receipt["reception_label"], "0001");
    assert_eq!(receipt["fee_total"], 600);
    assert!(
        !receipt.to_string().contains("髙橋"),
        "the receipt carries no name: {receipt}"
    );
    // The same request again (a retry): the same number, none taken.
    let (s, again) = request(&app, &station, "st-req-0001", &vid, juminhyo(2)).await;
    assert_eq!(
        (s, &again["reception_label"]),
        (StatusCode::OK, &json!("0001"))
    );
    // The verification is used up: another request needs the card again.
    let (s, e) = request(&app, &station, "st-req-0002", &vid, juminhyo(1)).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    let vid2 = verification(&app, &station, &pki).await;
    let (_, second) = request(&app, &station, "st-req-0002", &vid2, juminhyo(1)).await;
    assert_eq!(second["reception_label"], "0002");
    // The station's account reads nothing else.
    for uri in [
        "/api/v1/residents?q=%E9%AB%99",
        "/api/v1/issuance/requests",
        "/api/v1/cases/st-req-0001",
    ] {
        let (s, _) = call(&app, Method::GET, uri, &station, Value::Null).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{uri}");
    }

    // Staff scan the 受付票's QR: it opens the request's case.
    let staff = login(&app, "staff", "市民課1番").await;
    let (s, v) = call(
        &app,
        Method::POST,
        "/api/v1/qr/resolve",
        &staff,
        json!({"symbols": [receipt["qr"]]}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        (&v["kind"], &v["case_id"]),
        (&json!("case"), &json!("st-req-0001"))
    );

    staff_side(&app).await;
}

/// Staff: the queue, print (numbers), call, hand over with the fee, cancel — each only when it may.
async fn staff_side(app: &TestApp) {
    let staff = login(app, "staff", "市民課1番").await;
    let (s, list) = call(
        app,
        Method::GET,
        "/api/v1/issuance/requests",
        &staff,
        Value::Null,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{list}");
    let states: Vec<&str> = list
        .as_array()
        .expect("list")
        .iter()
        .map(|r| r["state"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(states, ["queued", "queued"]);
    assert_eq!(list[0]["name"], "髙橋\u{3000}太郎");
    // A station never set up prints by hand: a print agent finds nothing to claim.
    let (s, v) = claim(app, &staff).await;
    assert_eq!((s, &v["request"]), (StatusCode::OK, &Value::Null), "{v}");
    let (s, e) = act(
        app,
        &staff,
        "st-req-0001",
        json!({"write_id": "a-00000001", "action": "hand_over"}),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    assert_eq!(e["error"]["message"], "先に証明書を印刷してください。");

    let print = json!({"write_id": "p-st-req-0001"});
    let res = app
        .response(req(
            Method::POST,
            "/api/v1/cases/st-req-0001/certificates",
            &staff,
            &print,
        ))
        .await;
    if res.status() != StatusCode::OK {
        let body = axum::body::to_bytes(res.into_body(), 1 << 20)
            .await
            .expect("body");
        panic!("{}", String::from_utf8_lossy(&body));
    }
    let numbers = res.headers()["x-madoguchi-issue-numbers"]
        .to_str()
        .expect("h")
        .to_owned();
    assert_eq!(numbers.split(',').count(), 2, "{numbers}");
    let (_, v) = act(
        app,
        &staff,
        "st-req-0001",
        json!({"write_id": "a-00000002", "action": "call"}),
    )
    .await;
    assert_eq!(v["state"], "called");
    let short = json!({"write_id": "a-00000003", "action": "hand_over",
        "payment": {"method": "cash", "yen": 0, "received": 500}});
    let (s, e) = act(app, &staff, "st-req-0001", short).await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("600円"),
        "{e}"
    );
    let paid = json!({"write_id": "a-00000004", "action": "hand_over",
        "payment": {"method": "cash", "yen": 0, "received": 1000}});
    let (s, v) = act(app, &staff, "st-req-0001", paid.clone()).await;
    assert_eq!(
        (s, &v["state"]),
        (StatusCode::OK, &json!("handed_over")),
        "{v}"
    );
    assert_eq!(v["payment"]["received"], 1000);
    // The same action again changes nothing; printing again is refused.
    let (s, _) = act(app, &staff, "st-req-0001", paid).await;
    assert_eq!(s, StatusCode::OK);
    let again = json!({"write_id": "p-st-req-0001-again"});
    let (s, _, _) = app
        .call(req(
            Method::POST,
            "/api/v1/cases/st-req-0001/certificates",
            &staff,
            &again,
        ))
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    let (_, case) = call(
        app,
        Method::GET,
        "/api/v1/cases/st-req-0001",
        &staff,
        Value::Null,
    )
    .await;
    assert_eq!(case["status"], "closed");
    let history = case["history"].to_string();
    assert!(
        history.contains("証明書発行端末で申込み（受付番号 0001）"),
        "{history}"
    );
    assert!(
        history.contains("交付（受付番号 0001）: 手数料 600円 現金 お預かり 1000円"),
        "{history}"
    );

    let (s, e) = act(
        app,
        &staff,
        "st-req-0002",
        json!({"write_id": "a-00000005", "action": "cancel"}),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT, "a reason is needed: {e}");
    // Printed, then cancelled: its certificate is revoked with the cancellation's reason.
    let print = json!({"write_id": "p-st-req-0002"});
    let uri = "/api/v1/cases/st-req-0002/certificates";
    let res = app.response(req(Method::POST, uri, &staff, &print)).await;
    assert_eq!(res.status(), StatusCode::OK);
    let number = res.headers()["x-madoguchi-issue-numbers"]
        .to_str()
        .expect("h")
        .to_owned();
    let cancel =
        json!({"write_id": "a-00000006", "action": "cancel", "reason": "本人が不要と申出"});
    let (_, v) = act(app, &staff, "st-req-0002", cancel.clone()).await;
    assert_eq!(
        (&v["state"], &v["cancel_reason"]),
        (&json!("cancelled"), &json!("本人が不要と申出"))
    );
    // The same cancellation again changes nothing.
    let (s, _) = act(app, &staff, "st-req-0002", cancel).await;
    assert_eq!(s, StatusCode::OK);
    let uri = format!("/api/v1/certificates?issue_no={number}");
    let (_, list) = call(app, Method::GET, &uri, &staff, Value::Null).await;
    assert!(list[0]["revoked_at"].is_string(), "{list}");
    assert_eq!(
        list[0]["revoke_reason"],
        "発行端末の申込みの取消: 本人が不要と申出"
    );
}

#[tokio::test]
async fn the_station_takes_nothing_without_a_current_crl_for_an_unknown_card_or_a_protected_person()
{
    let pki = jpki_test_pki(SERIAL, CardProfile::example());
    let app = app(&pki, false, None);
    let station = login(&app, "station", "station").await;
    // No CRL: the station says it is not available, and the card check fails closed.
    let (_, status) = call(
        &app,
        Method::GET,
        "/api/v1/issuance/station/status",
        &station,
        Value::Null,
    )
    .await;
    assert_eq!(status["available"], false);
    assert!(
        status["message"]
            .as_str()
            .unwrap_or("")
            .contains("ご利用いただけません")
    );
    let (s, _) = authenticate(&app, &station, &pki).await;
    assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE);

    put_crl(app.store.as_ref(), &pki);
    let vid = verification(&app, &station, &pki).await;
    // A card the city's data does not know.
    let (s, e) = call(
        &app,
        Method::POST,
        "/api/v1/issuance/station/identify",
        &station,
        json!({"verification_id": vid}),
    )
    .await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("card_unknown"))
    );
    let (s, _) = request(&app, &station, "st-req-0101", &vid, juminhyo(1)).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);

    // The card of a person under 支援措置: refused at the station with the gentle text, no number taken.
    map_card(app.store.as_ref(), 8, "cards-2");
    let vid = verification(&app, &station, &pki).await;
    let (s, e) = request(&app, &station, "st-req-0102", &vid, juminhyo(1)).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let message = e["error"]["message"].as_str().unwrap_or("");
    assert!(message.contains("窓口でお尋ねください"), "{message}");
    assert!(
        !message.contains("支援措置") && !message.contains("ハイツ"),
        "{message}"
    );
    // Bad input: an item the station does not issue, too many copies.
    map_card(app.store.as_ref(), 1, "cards-3");
    let vid = verification(&app, &station, &pki).await;
    for lines in [json!([{"item": "KOSEKI-ZENBU", "copies": 1}]), juminhyo(9)] {
        let (s, e) = request(&app, &station, "st-req-0103", &vid, lines).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    }
    // Outside the city's opening hours (here: no weekday open) the station says so and takes nothing.
    let admin = login(&app, "staff", "市民課1番").await;
    let uri = "/api/v1/admin/station-hours";
    let backwards = json!({"enabled": true, "days": [1, 2], "open": "17:15", "close": "08:30", "closed_days": []});
    let (s, e) = call(&app, Method::PUT, uri, &admin, backwards).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    let closed =
        json!({"enabled": true, "days": [], "open": "08:30", "close": "17:15", "closed_days": []});
    let (s, v) = call(&app, Method::PUT, uri, &admin, closed).await;
    assert_eq!((s, &v["enabled"]), (StatusCode::OK, &json!(true)), "{v}");
    let status_uri = "/api/v1/issuance/station/status";
    let (_, status) = call(&app, Method::GET, status_uri, &station, Value::Null).await;
    assert_eq!(status["available"], false);
    let message = status["message"].as_str().unwrap_or("");
    assert!(message.contains("休止"), "{status}");
    let (s, e) = request(&app, &station, "st-req-0103", &vid, juminhyo(1)).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["code"], "station_closed");
    let open = json!({"enabled": false, "days": [1, 2, 3, 4, 5], "open": "08:30", "close": "17:15", "closed_days": []});
    let (_, v) = call(&app, Method::PUT, uri, &admin, open).await;
    assert_eq!(v["enabled"], false);

    let (s, receipt) = request(&app, &station, "st-req-0103", &vid, juminhyo(1)).await;
    assert_eq!(s, StatusCode::OK, "{receipt}");
    assert_eq!(
        receipt["reception_label"], "0001",
        "refusals took no number"
    );
}

async fn claim(app: &TestApp, token: &str) -> (StatusCode, Value) {
    let uri = "/api/v1/issuance/print-jobs/claim";
    call(app, Method::POST, uri, token, Value::Null).await
}

async fn issue(app: &TestApp, token: &str, id: &str, write_id: &str) -> (StatusCode, String) {
    let uri = format!("/api/v1/cases/{id}/certificates");
    let res = app
        .response(req(
            Method::POST,
            &uri,
            token,
            &json!({"write_id": write_id}),
        ))
        .await;
    let numbers = res
        .headers()
        .get("x-madoguchi-issue-numbers")
        .and_then(|h| h.to_str().ok())
        .unwrap_or("")
        .to_owned();
    (res.status(), numbers)
}

#[tokio::test]
async fn a_station_set_up_for_automatic_printing_is_printed_once_by_one_agent_and_a_failure_waits_for_staff()
 {
    let pki = jpki_test_pki(SERIAL, CardProfile::example());
    let app = app(&pki, true, Some(1));
    let station = login(&app, "station", "station").await;
    let agent = login(&app, "staff", "市民課1番").await;
    // The admin sets up the station: 住民票 only, automatic printing, the signal tower, no fees shown.
    let setup =
        json!({"offers": ["JUMINHYO"], "auto_print": true, "tower": true, "show_fees": false});
    let uri = "/api/v1/admin/stations/term-station";
    let (s, e) = call(
        &app,
        Method::PUT,
        uri,
        &agent,
        json!({"offers": ["KOSEKI"], "auto_print": true, "tower": false, "show_fees": true}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    let (s, e) = call(
        &app,
        Method::PUT,
        "/api/v1/admin/stations/nowhere",
        &agent,
        setup.clone(),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{e}");
    let (s, v) = call(&app, Method::PUT, uri, &agent, setup).await;
    assert_eq!((s, &v["configured"]), (StatusCode::OK, &json!(true)), "{v}");
    let (_, all) = call(
        &app,
        Method::GET,
        "/api/v1/admin/stations",
        &agent,
        Value::Null,
    )
    .await;
    let row = all["stations"]
        .as_array()
        .expect("stations")
        .iter()
        .find(|r| r["terminal"] == "term-station")
        .cloned();
    assert_eq!(
        row.as_ref().map(|r| r["auto_print"].clone()),
        Some(json!(true)),
        "{all}"
    );
    assert_eq!(all["items"][2]["name"], "印鑑登録証明書");
    let (_, status) = call(
        &app,
        Method::GET,
        "/api/v1/issuance/station/status",
        &station,
        Value::Null,
    )
    .await;
    assert_eq!(
        status["offers"].as_array().map(Vec::len),
        Some(1),
        "{status}"
    );
    assert_eq!(status["show_fees"], false);

    let vid = verification(&app, &station, &pki).await;
    let inkan = json!([{"item": "INKAN-SHOMEI", "copies": 1}]);
    let (s, e) = request(&app, &station, "st-auto-0", &vid, inkan).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "not offered here: {e}");
    for id in ["st-auto-1", "st-auto-2"] {
        let vid = verification(&app, &station, &pki).await;
        let (s, v) = request(&app, &station, id, &vid, juminhyo(1)).await;
        assert_eq!(s, StatusCode::OK, "{v}");
    }

    // Two print agents: each request is claimed by one of them.
    let device = TestDevice::enroll(app.store.as_ref(), &tenant(), "term-agent2", &["市民課1番"]);
    let agent2 = app
        .login_with(&device.login("t1", "staff", PASSWORD, "市民課1番"))
        .await;
    let (_, first) = claim(&app, &agent).await;
    let first = &first["request"];
    assert_eq!(
        (&first["request_id"], &first["state"]),
        (&json!("st-auto-1"), &json!("printing")),
        "{first}"
    );
    assert_eq!(
        (&first["claimed_by"], &first["tower"]),
        (&json!("term-staff"), &json!(true))
    );
    assert_eq!(first["state_label"], "自動印刷中");
    let (_, second) = claim(&app, &agent2).await;
    assert_eq!(second["request"]["request_id"], "st-auto-2", "{second}");
    let (_, none) = claim(&app, &agent2).await;
    assert_eq!(none["request"], Value::Null);

    // While agent 1 prints, nobody else prints it; agent 1 issues it and it stays 自動印刷中 until confirmed.
    let (s, _) = issue(&app, &agent2, "st-auto-1", "p-st-auto-1").await;
    assert_eq!(s, StatusCode::CONFLICT);
    let (s, numbers) = issue(&app, &agent, "st-auto-1", "p-st-auto-1").await;
    assert_eq!(s, StatusCode::OK);
    let (_, list) = call(
        &app,
        Method::GET,
        "/api/v1/issuance/requests",
        &agent,
        Value::Null,
    )
    .await;
    assert_eq!(list[0]["state"], "printing", "{list}");
    let confirm = json!({"write_id": "a-confirm-1", "action": "confirm"});
    let (s, e) = act(&app, &agent2, "st-auto-1", confirm.clone()).await;
    assert_eq!(
        s,
        StatusCode::CONFLICT,
        "only the agent that claimed it: {e}"
    );
    let (_, v) = act(&app, &agent, "st-auto-1", confirm).await;
    assert_eq!(v["state"], "printed", "{v}");

    // Agent 2's printer fails: the request waits for staff and is never claimed again.
    let (s, _) = issue(&app, &agent2, "st-auto-2", "p-st-auto-2").await;
    assert_eq!(s, StatusCode::OK);
    let fail = json!({"write_id": "a-fail-2", "action": "fail", "reason": "用紙切れ"});
    let (_, v) = act(&app, &agent2, "st-auto-2", fail).await;
    assert_eq!(
        (&v["state"], &v["print_error"]),
        (&json!("print_failed"), &json!("用紙切れ")),
        "{v}"
    );
    let (_, none) = claim(&app, &agent).await;
    assert_eq!(none["request"], Value::Null);
    // Staff check the printer and print it by hand: the same 発行番号 again, nothing new issued.
    let (_, first_numbers) = (0, numbers);
    let (s, again) = issue(&app, &agent, "st-auto-2", "p-st-auto-2").await;
    assert_eq!(s, StatusCode::OK);
    assert!(!again.is_empty() && again != first_numbers, "{again}");
    let (_, list) = call(
        &app,
        Method::GET,
        "/api/v1/issuance/requests",
        &agent,
        Value::Null,
    )
    .await;
    assert_eq!(list[1]["state"], "printed", "{list}");
    assert_eq!(list[1]["print_error"], Value::Null);
    let (_, history) = call(
        &app,
        Method::GET,
        "/api/v1/certificates",
        &agent,
        Value::Null,
    )
    .await;
    assert_eq!(
        history.as_array().map(Vec::len),
        Some(2),
        "one certificate each, never two: {history}"
    );
}

#[tokio::test]
async fn a_city_may_take_a_protected_persons_request_for_staff_to_print_with_a_stated_reason() {
    let pki = jpki_test_pki(SERIAL, CardProfile::example());
    // Resident 8 is under 支援措置; the station prints automatically (the agent must leave it alone).
    let app = app(&pki, true, Some(8));
    let station = login(&app, "station", "station").await;
    let staff = login(&app, "staff", "市民課1番").await;
    let setup =
        json!({"offers": ["JUMINHYO"], "auto_print": true, "tower": false, "show_fees": true});
    let uri = "/api/v1/admin/stations/term-station";
    let (s, v) = call(&app, Method::PUT, uri, &staff, setup).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let rules = "/api/v1/admin/issuance-rules";
    let (_, v) = call(&app, Method::GET, rules, &staff, Value::Null).await;
    assert_eq!(v["support_measure_at_station"], "refuse", "the default");
    let vid = verification(&app, &station, &pki).await;
    let (s, e) = request(&app, &station, "st-dv-000", &vid, juminhyo(1)).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");

    // The city takes such requests: the resident's receipt is like anyone's.
    let choice = json!({"support_measure_at_station": "staff_check"});
    let (s, v) = call(&app, Method::PUT, rules, &staff, choice).await;
    assert_eq!(
        (s, &v["support_measure_at_station"]),
        (StatusCode::OK, &json!("staff_check"))
    );
    let audit = crate::common::recent_audit(&app, "t1");
    assert!(audit.iter().any(|a| a.event.action == "issuance_rules.put"));
    let vid = verification(&app, &station, &pki).await;
    let (s, receipt) = request(&app, &station, "st-dv-001", &vid, juminhyo(1)).await;
    assert_eq!(s, StatusCode::OK, "{receipt}");
    assert!(!receipt.to_string().contains("支援"), "{receipt}");

    // Never printed automatically: staff see it held, and print it only with the override and a reason.
    let (_, none) = claim(&app, &staff).await;
    assert_eq!(none["request"], Value::Null, "{none}");
    let (_, list) = call(
        &app,
        Method::GET,
        "/api/v1/issuance/requests",
        &staff,
        Value::Null,
    )
    .await;
    assert_eq!(
        (&list[0]["staff_check"], &list[0]["state"]),
        (&json!(true), &json!("queued")),
        "{list}"
    );
    let print = |token: String, reason: Value| {
        let app = &app;
        async move {
            let body = json!({"write_id": "p-st-dv-001", "override_reason": reason});
            let (s, v, _) = app
                .call(req(
                    Method::POST,
                    "/api/v1/cases/st-dv-001/certificates",
                    &token,
                    &body,
                ))
                .await;
            (s, v)
        }
    };
    let (s, e) = print(staff.clone(), Value::Null).await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("support_measure_protected"))
    );
    crate::common::user_without(
        &app,
        "clerk",
        madoguchi_core::permission::Permission::OverrideSupportMeasure,
    );
    let clerk = login(&app, "clerk", "市民課1番").await;
    let (s, _) = print(clerk, json!("本人が来庁、本人確認済み")).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "no override permission");
    let (s, numbers) = {
        let body =
            json!({"write_id": "p-st-dv-001", "override_reason": "本人が来庁、本人確認済み"});
        let res = app
            .response(req(
                Method::POST,
                "/api/v1/cases/st-dv-001/certificates",
                &staff,
                &body,
            ))
            .await;
        let numbers = res
            .headers()
            .get("x-madoguchi-issue-numbers")
            .map(|h| h.to_str().unwrap_or("").to_owned());
        (res.status(), numbers)
    };
    assert_eq!(s, StatusCode::OK);
    assert!(numbers.is_some_and(|n| !n.is_empty()));
    let (_, list) = call(
        &app,
        Method::GET,
        "/api/v1/issuance/requests",
        &staff,
        Value::Null,
    )
    .await;
    assert_eq!(list[0]["state"], "printed", "{list}");
    let audit = crate::common::recent_audit(&app, "t1");
    let issued = audit
        .iter()
        .find(|a| a.event.action == "certificate.issue" && a.event.result == "ok");
    assert_eq!(
        issued.and_then(|a| a.event.reason.as_deref()),
        Some("本人が来庁、本人確認済み")
    );
}

#[tokio::test]
async fn a_station_is_closed_on_the_citys_closed_days_and_may_keep_its_own_hours() {
    use chrono::Datelike;
    let pki = jpki_test_pki(SERIAL, CardProfile::example());
    let app = app(&pki, true, Some(1));
    let station = login(&app, "station", "station").await;
    let admin = login(&app, "staff", "市民課1番").await;
    let hours_uri = "/api/v1/admin/station-hours";
    let status_uri = "/api/v1/issuance/station/status";
    let today = madoguchi_server::clock::today_jst();
    let tomorrow = today + chrono::Duration::days(1);

    // A bad date is refused with the reason.
    let bad = json!({"enabled": false, "days": [], "open": "08:30", "close": "17:15",
        "closed_days": ["2026-02-30"]});
    let (s, e) = call(&app, Method::PUT, hours_uri, &admin, bad).await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_closed_days"))
    );
    assert!(
        e["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("2026-02-30")),
        "{e}"
    );

    // Today is a closed day (休日); without hours the station opens again at tomorrow's start.
    let holiday = json!({"enabled": false, "days": [1, 2, 3, 4, 5], "open": "08:30", "close": "17:15",
        "closed_days": [today.to_string(), "2020-01-01", today.to_string()]});
    let (s, v) = call(&app, Method::PUT, hours_uri, &admin, holiday).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        v["closed_days"],
        json!(["2020-01-01", today.to_string()]),
        "sorted, once"
    );
    let (_, again) = call(&app, Method::GET, hours_uri, &admin, Value::Null).await;
    assert_eq!(again["closed_days"], v["closed_days"]);
    let (_, status) = call(&app, Method::GET, status_uri, &station, Value::Null).await;
    assert_eq!(status["available"], false, "{status}");
    let day = ["月", "火", "水", "木", "金", "土", "日"]
        [tomorrow.weekday().num_days_from_monday() as usize];
    let next = format!("{}月{}日（{day}）0時00分", tomorrow.month(), tomorrow.day());
    let message = status["message"].as_str().unwrap_or_default();
    assert!(message.starts_with("本日は休日のため"), "{message}");
    assert!(message.contains(&next), "{message} names {next}");
    let vid = verification(&app, &station, &pki).await;
    let (s, e) = request(&app, &station, "st-holiday-1", &vid, juminhyo(1)).await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("station_closed"))
    );
    let audited = crate::common::recent_audit(&app, "t1")
        .iter()
        .any(|r| r.event.action == "station_closed_days.put");
    assert!(audited);

    // No closed day; the city's hours open no weekday: the station is closed…
    let city_closed = json!({"enabled": true, "days": [], "open": "08:30", "close": "17:15",
        "closed_days": []});
    let (s, v) = call(&app, Method::PUT, hours_uri, &admin, city_closed).await;
    assert_eq!((s, &v["closed_days"]), (StatusCode::OK, &json!([])), "{v}");
    let (_, status) = call(&app, Method::GET, status_uri, &station, Value::Null).await;
    assert!(
        status["message"]
            .as_str()
            .is_some_and(|m| m.contains("休止")),
        "{status}"
    );
    // …unless its own hours (every day, all day) say otherwise.
    let setup_uri = "/api/v1/admin/stations/term-station";
    let setup = |hours: Value| {
        json!({"offers": ["JUMINHYO", "INKAN-SHOMEI"], "auto_print": false, "tower": false,
            "show_fees": true, "hours": hours})
    };
    let backwards = setup(json!({"days": [6], "open": "12:00", "close": "09:00"}));
    let (s, e) = call(&app, Method::PUT, setup_uri, &admin, backwards).await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_setup"))
    );
    let own = json!({"days": [1, 2, 3, 4, 5, 6, 7], "open": "00:00", "close": "23:59"});
    let (s, v) = call(&app, Method::PUT, setup_uri, &admin, setup(own.clone())).await;
    assert_eq!((s, &v["hours"]), (StatusCode::OK, &own), "{v}");
    let (_, all) = call(
        &app,
        Method::GET,
        "/api/v1/admin/stations",
        &admin,
        Value::Null,
    )
    .await;
    let row = all["stations"]
        .as_array()
        .and_then(|rows| {
            rows.iter()
                .find(|r| r["terminal"] == "term-station")
                .cloned()
        })
        .expect("row");
    assert_eq!(row["hours"], own);
    let (_, status) = call(&app, Method::GET, status_uri, &station, Value::Null).await;
    // (Its hours end at 23:59: in that last minute of the day it is closed too.)
    let last_minute = madoguchi_server::clock::now_jst()
        .format("%H:%M")
        .to_string()
        == "23:59";
    if !last_minute {
        assert_eq!(
            (&status["available"], &status["message"]),
            (&json!(true), &Value::Null),
            "{status}"
        );
    }
    // Back to the city's hours: closed again.
    let (_, v) = call(&app, Method::PUT, setup_uri, &admin, setup(Value::Null)).await;
    assert_eq!(v["hours"], Value::Null);
    let (_, status) = call(&app, Method::GET, status_uri, &station, Value::Null).await;
    assert_eq!(status["available"], false, "{status}");
}
