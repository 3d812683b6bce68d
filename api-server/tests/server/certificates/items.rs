//! The 住民票's optional items over the API: residents loaded with 本籍, 筆頭者, 住民票コード and 前住所;
//! a 住民票の写し prints the items chosen and 「省略」 for the others; the 住民票記載事項証明書; and a
//! protected person's 前住所 never leaves without the 支援措置 reason.

use axum::http::{Method, StatusCode};
use madoguchi_store::TenantId;
use madoguchi_testkit::app::{TestApp, req};
use madoguchi_testkit::residents::{atena, header, row};
use madoguchi_testkit::staff::{PASSWORD, TEST_COUNTERS};
use madoguchi_testkit::terminal::TestDevice;
use serde_json::{Value, json};

use crate::common::{case_document, pdf_text, save_case};

const HONSEKI: &str = "群馬県さくら野市本町一丁目１番地";
const CODE: &str = "12345678901";
const PREVIOUS: &str = "東京都千代田区千代田１番１号";
const HIDDEN_PREVIOUS: &str = "埼玉県秘匿市隠町９番９号";

/// Two households: resident 1 with every item, resident 8 under 支援措置 with a 前住所.
fn city() -> String {
    let mut cols = header();
    cols.extend(["本籍", "筆頭者", "住民票コード", "前住所"]);
    let mut s = cols.join(",");
    s.push('\n');
    let one = row(1, 100, &[("氏名", "髙橋\u{3000}太郎"), ("氏", "髙橋")]);
    s.push_str(&format!(
        "{one},{HONSEKI},髙橋\u{3000}太郎,{CODE},{PREVIOUS}\n"
    ));
    let eight = row(
        8,
        800,
        &[
            ("氏名", "渡邉\u{3000}さくら"),
            ("氏", "渡邉"),
            ("支援措置", "1"),
        ],
    );
    s.push_str(&format!("{eight},,,,{HIDDEN_PREVIOUS}\n"));
    s
}

async fn setup() -> (TestApp, String) {
    let app = TestApp::bare()
        .tenant("t1", "さくら野市")
        .staff("t1")
        .residents("t1", &city())
        .build();
    let device = TestDevice::enroll(
        app.store.as_ref(),
        &TenantId("t1".into()),
        "term-1",
        TEST_COUNTERS,
    );
    let token = app
        .login_with(&device.login("t1", "staff", PASSWORD, "市民課1番"))
        .await;
    (app, token)
}

/// Saves case `id` about resident `seq` with `lines` and issues it (with `reason`, the 支援措置 override).
async fn issue(
    app: &TestApp,
    token: &str,
    id: &str,
    seq: u64,
    lines: Value,
    reason: Option<&str>,
) -> (StatusCode, Value, Vec<u8>) {
    let mut doc = case_document(&atena(seq), "髙橋\u{3000}太郎");
    doc["certificates"] = lines;
    save_case(app, token, id, doc).await;
    let mut body = json!({"write_id": format!("issue-{id}")});
    if let Some(r) = reason {
        body["override_reason"] = json!(r);
    }
    app.call(req(
        Method::POST,
        &format!("/api/v1/cases/{id}/certificates"),
        token,
        &body,
    ))
    .await
}

#[tokio::test]
async fn a_juminhyo_prints_the_items_chosen_and_omitted_for_the_others() {
    let (app, token) = setup().await;
    let line = json!([{"item": "JUMINHYO", "copies": 1, "scope": "本人のみ",
        "items": ["relation", "honseki", "juminhyo_code"]}]);
    let (s, v, pdf) = issue(&app, &token, "case-items-1", 1, line, None).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let text = pdf_text(&pdf);
    for want in [HONSEKI, "筆頭者 髙橋 太郎", CODE, "前住所 省略"] {
        assert!(text.contains(want), "{want} in {text}");
    }
    assert!(!text.contains(PREVIOUS), "前住所 not chosen: {text}");

    let line = json!([{"item": "JUMINHYO", "copies": 1, "scope": "世帯全員"}]);
    let (s, v, pdf) = issue(&app, &token, "case-items-2", 1, line, None).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let text = pdf_text(&pdf);
    assert!(text.contains("省略"), "{text}");
    for absent in [HONSEKI, CODE, PREVIOUS] {
        assert!(!text.contains(absent), "{absent} not chosen: {text}");
    }
}

#[tokio::test]
async fn a_kisai_jiko_certificate_prints_the_person_and_the_items_chosen() {
    let (app, token) = setup().await;
    let line = json!([{"item": "KISAI-JIKOU", "copies": 1, "items": ["previous_address"]}]);
    let (s, v, pdf) = issue(&app, &token, "case-kisai-1", 1, line, None).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let text = pdf_text(&pdf);
    for want in [
        "住民票記載事項証明書",
        "髙橋 太郎",
        "昭和50年1月1日",
        "群馬県さくら野市本町100番地",
        PREVIOUS,
        "上記の事項は、住民票の原本と相違ないことを証明する。",
        "さくら野市長",
    ] {
        assert!(text.contains(want), "{want} in {text}");
    }
    assert!(!text.contains(CODE) && !text.contains(HONSEKI), "{text}");
}

#[tokio::test]
async fn a_protected_persons_previous_address_needs_the_support_measure_reason() {
    let (app, token) = setup().await;
    for (id, line) in [
        (
            "case-dv-items-1",
            json!([{"item": "JUMINHYO", "copies": 1, "scope": "本人のみ", "items": ["previous_address"]}]),
        ),
        (
            "case-dv-items-2",
            json!([{"item": "KISAI-JIKOU", "copies": 1, "items": ["previous_address"]}]),
        ),
    ] {
        let (s, v, pdf) = issue(&app, &token, id, 8, line.clone(), None).await;
        assert_eq!(
            (s, v["error"]["code"].as_str()),
            (StatusCode::FORBIDDEN, Some("support_measure_protected")),
            "{id}"
        );
        assert!(!String::from_utf8_lossy(&pdf).contains(HIDDEN_PREVIOUS));
        assert!(!v.to_string().contains(HIDDEN_PREVIOUS));
        let reason = Some("本人が来庁し本人確認済み");
        let (s, v, pdf) = issue(&app, &token, &format!("{id}-ok"), 8, line, reason).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert!(pdf_text(&pdf).contains(HIDDEN_PREVIOUS), "{id}");
    }
}
