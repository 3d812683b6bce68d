//! 申請管理 (issue 21 point 4): a downloaded マイナポータル ZIP imported once, listed with counts,
//! opened with its candidates (by name and birth date: one, several, none; 支援措置 masked), turned
//! into a case with one key, its status set (差戻し needs a reason), other tenants kept out.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use chrono::{NaiveDate, TimeZone, Utc};
use madoguchi_server::portal::adapter::Applicant;
use madoguchi_server::portal::sample;
use madoguchi_testkit::app::{TestApp, get, req};
use madoguchi_testkit::residents::{row, small_city};
use serde_json::{Value, json};

fn applicant(name: &str, kana: &str, birth: (i32, u32, u32)) -> Applicant {
    Applicant {
        name: name.into(),
        kana: kana.into(),
        birth_date: NaiveDate::from_ymd_opt(birth.0, birth.1, birth.2).expect("date"),
        address: "群馬県さくら野市本町100番地".into(),
        postal_code: Some("376-0001".into()),
        phone: None,
        visit_on: None,
        notice_no: None,
    }
}

/// Four applications: 髙橋 太郎 (one resident), 渡邉 さくら (支援措置), someone unknown, and
/// 山田 太郎 (two residents of that name and birth date).
fn zip() -> Vec<u8> {
    let base = Utc
        .with_ymd_and_hms(2026, 12, 7, 9, 0, 0)
        .single()
        .expect("time");
    let who = [
        Some(applicant(
            "髙橋\u{3000}太郎",
            "タカハシ タロウ",
            (1975, 1, 1),
        )),
        Some(applicant(
            "渡邉\u{3000}さくら",
            "ワタナベ サクラ",
            (1990, 5, 5),
        )),
        None,
        Some(applicant("山田\u{3000}太郎", "ヤマダ タロウ", (1975, 1, 1))),
    ];
    let mut apps: Vec<_> = who
        .into_iter()
        .enumerate()
        .map(|(i, w)| sample::application(i, base, w))
        .collect();
    for a in &mut apps {
        a.document.jpki_serial = None;
    }
    sample::zip(&apps)
}

fn app() -> TestApp {
    let mut city = small_city();
    city.push_str(&row(9, 500, &[]));
    city.push('\n');
    city.push_str(&row(10, 600, &[]));
    city.push('\n');
    TestApp::bare()
        .tenant("t1", "さくら野市")
        .staff("t1")
        .tenant("t2", "もみじ町")
        .staff("t2")
        .residents("t1", &city)
        .build()
}

fn upload(token: &str, bytes: Vec<u8>) -> Request<Body> {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD.encode(bytes);
    req(
        Method::POST,
        "/api/v1/portal/imports",
        token,
        &json!({ "zip_base64": b64 }),
    )
}

fn no(i: u64) -> String {
    format!("{:013}", 1_000_000_000_000u64 + i)
}

async fn open(app: &TestApp, token: &str, i: u64) -> Value {
    let (s, v) = app
        .send(get(
            &format!("/api/v1/portal/applications/{}", no(i)),
            token,
        ))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v
}

#[tokio::test]
async fn a_zip_is_imported_once_and_listed_with_counts() {
    let app = app();
    let token = app.login("t1").await;
    let (s, v) = app.send(upload(&token, zip())).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        (v["total"].clone(), v["added"].clone()),
        (json!(4), json!(4))
    );
    let (s, v) = app.send(upload(&token, zip())).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        (v["added"].clone(), v["already"].clone()),
        (json!(0), json!(4))
    );
    let (s, v) = app.send(get("/api/v1/portal/applications", &token)).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["counts"]["unprocessed"], 4);
    assert_eq!(v["items"].as_array().expect("items").len(), 4);
    assert_eq!(v["items"][0]["form_name"], "児童手当 認定請求");
    let (s, v) = app
        .send(get("/api/v1/portal/applications?status=done", &token))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["items"].as_array().expect("items").len(), 0);
    assert_eq!(v["counts"]["unprocessed"], 4, "counts ignore the filter");
    let (s, v) = app
        .send(get("/api/v1/portal/applications?status=nope", &token))
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    // Another city sees none of them.
    let other = app.login("t2").await;
    let (_, v) = app.send(get("/api/v1/portal/applications", &other)).await;
    assert_eq!(v["items"].as_array().expect("items").len(), 0);
    let (s, _) = app
        .send(get(
            &format!("/api/v1/portal/applications/{}", no(0)),
            &other,
        ))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn bad_zips_are_refused_in_japanese() {
    let app = app();
    let token = app.login("t1").await;
    let whole = zip();
    let (s, v) = app
        .send(upload(&token, whole[..whole.len() / 2].to_vec()))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(
        v["error"]["message"]
            .as_str()
            .expect("msg")
            .contains("ZIP ファイルを読めません")
    );
    let (_, v) = app.send(get("/api/v1/portal/applications", &token)).await;
    assert_eq!(v["items"].as_array().expect("items").len(), 0);
}

#[tokio::test]
async fn candidates_by_name_and_birth_with_the_gate() {
    let app = app();
    let token = app.login("t1").await;
    assert_eq!(app.send(upload(&token, zip())).await.0, StatusCode::OK);
    let one = open(&app, &token, 0).await;
    assert_eq!(one["matched_by"], "name_birth");
    assert_eq!(one["candidates"].as_array().expect("c").len(), 1);
    assert_eq!(one["candidates"][0]["name"], "髙橋\u{3000}太郎");
    assert_eq!(one["address_masked"], false);
    assert_eq!(one["attachments"][0]["name"], "本人確認書類.pdf");
    assert_eq!(one["procedures"][0], "児童手当の認定請求");
    let protected = open(&app, &token, 1).await;
    assert_eq!(protected["address_masked"], true);
    assert_eq!(
        protected["applicant"]["address"],
        "（支援措置のため非表示）"
    );
    assert!(!protected.to_string().contains("さくら野ハイツ"));
    let none = open(&app, &token, 2).await;
    assert_eq!(none["candidates"].as_array().expect("c").len(), 0);
    let several = open(&app, &token, 3).await;
    assert_eq!(several["candidates"].as_array().expect("c").len(), 2);
    let (s, _, bytes) = app
        .call(get(
            &format!("/api/v1/portal/applications/{}/attachments/0", no(0)),
            &token,
        ))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(bytes.starts_with(b"%PDF"));
}

#[tokio::test]
async fn one_key_makes_a_case_and_status_needs_a_reason_to_return() {
    let app = app();
    let token = app.login("t1").await;
    assert_eq!(app.send(upload(&token, zip())).await.0, StatusCode::OK);
    let one = open(&app, &token, 0).await;
    let atena = one["candidates"][0]["atena_no"].clone();
    let uri = format!("/api/v1/portal/applications/{}/case", no(0));
    let (s, v) = app
        .send(req(Method::POST, &uri, &token, &json!({"atena_no": atena})))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let case_id = v["case_id"].as_str().expect("id").to_owned();
    let (s, again) = app
        .send(req(Method::POST, &uri, &token, &json!({"atena_no": atena})))
        .await;
    assert_eq!(
        (s, again["case_id"].as_str()),
        (StatusCode::OK, Some(case_id.as_str()))
    );
    let (s, case) = app
        .send(get(&format!("/api/v1/cases/{case_id}"), &token))
        .await;
    assert_eq!(s, StatusCode::OK, "{case}");
    assert_eq!(
        case["document"]["procedures"][0]["code"],
        "JIDOU-TEATE-NINTEI"
    );
    assert_eq!(case["document"]["visitor"]["atena_no"], atena);
    let opened = open(&app, &token, 0).await;
    assert_eq!(opened["status"], "in_progress");
    assert_eq!(opened["case_id"], case_id.as_str());
    let status = format!("/api/v1/portal/applications/{}/status", no(2));
    let (s, v) = app
        .send(req(
            Method::PUT,
            &status,
            &token,
            &json!({"status": "returned"}),
        ))
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(v["error"]["message"], "差戻しには理由を入力してください。");
    let body = json!({"status": "returned", "reason": "添付書類が読めません"});
    let (s, v) = app.send(req(Method::PUT, &status, &token, &body)).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["status"], "returned");
    assert_eq!(v["status_sent"], false);
    let (_, list) = app.send(get("/api/v1/portal/applications", &token)).await;
    assert_eq!(list["counts"]["returned"], 1);
    assert_eq!(list["counts"]["in_progress"], 1);
    assert_eq!(list["counts"]["unprocessed"], 2);
}
