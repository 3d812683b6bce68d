//! The station's other certificates, opted in on 発行端末の設定: a 所得・課税証明書 for a 課税年度 the
//! `tax` feed loaded for the card holder (offered by identification, checked again on the request),
//! a 住民票記載事項証明書 for the holder or the whole household, and a 住民票の写し with 本籍・筆頭者 and
//! 住民票コード — each printed by staff as asked.

use std::sync::Arc;

use axum::http::{Method, StatusCode};
use chrono::{Datelike, Utc};
use madoguchi_core::certificate::tax::{TaxAmounts, TaxYear};
use madoguchi_core::ids::AtenaNo;
use madoguchi_core::wareki::nendo_ja;
use madoguchi_store::{ImportMeta, ImportMode, Store, TaxChange, TaxRecord};
use madoguchi_testkit::app::{TestApp, req};
use madoguchi_testkit::residents::{atena, header, row};
use madoguchi_testkit::staff::setup_event;
use madoguchi_virtual_card::{CardProfile, TestPki, jpki_test_pki};
use serde_json::{Value, json};

use super::{
    SERIAL, call, login, map_card, put_crl, request, station_account, tenant, verification,
};
use crate::common::pdf_text;

const HONSEKI: &str = "群馬県さくら野市本町一丁目１番地";
const CODE: &str = "12345678901";
const PREVIOUS: &str = "東京都千代田区千代田１番１号";

/// A household of two: resident 1 (the card holder) with every registry item, resident 2 with none.
fn city() -> String {
    let mut cols = header();
    cols.extend(["本籍", "筆頭者", "住民票コード", "前住所"]);
    let mut s = cols.join(",");
    s.push('\n');
    let one = row(1, 100, &[("氏名", "髙橋\u{3000}太郎"), ("氏", "髙橋")]);
    s.push_str(&format!(
        "{one},{HONSEKI},髙橋\u{3000}太郎,{CODE},{PREVIOUS}\n"
    ));
    let two = row(
        2,
        100,
        &[
            ("氏名", "髙橋\u{3000}花子"),
            ("氏", "髙橋"),
            ("名", "花子"),
            ("性別", "女"),
            ("続柄表記", "妻"),
            ("生年月日", "1978-03-03"),
        ],
    );
    s.push_str(&format!("{two},,,,\n"));
    s
}

/// The `tax` feed's 課税 of resident `seq` for `year` (a salary of 4,200,000 yen).
fn load_tax(store: &dyn Store, seq: u64, year: i32) {
    let t = tenant();
    let meta = ImportMeta {
        mode: ImportMode::Delta,
        sha256: format!("{:0>64}", format!("{seq}{year}")),
        source_name: format!("tax-{seq}-{year}"),
        started_at: Utc::now(),
        audit: Some(setup_event(&t, "linkage.tax")),
    };
    let change = TaxChange::Put(TaxRecord {
        atena_no: AtenaNo::parse(&atena(seq)).expect("atena"),
        tax: TaxYear {
            year,
            taxable: true,
            dependents: 1,
            amounts: TaxAmounts {
                salary_income: 4_200_000,
                salary: 2_980_000,
                total_income: 2_980_000,
                ..TaxAmounts::default()
            },
        },
    });
    store.import_tax_records(&t, &meta, &[change]).expect("tax");
}

/// The year the `tax` feed delivered for the holder: last year's (this year's is not loaded).
fn loaded_year() -> i32 {
    madoguchi_server::clock::today_jst().year() - 1
}

fn app(pki: &TestPki) -> TestApp {
    let anchor = pki.ca_der.clone();
    let pki = pki.clone();
    TestApp::bare()
        .tenant("t1", "さくら野市")
        .staff("t1")
        .residents("t1", &city())
        .state(move |s| s.jpki_anchors = Arc::new(vec![anchor]))
        .setup(move |store| {
            station_account(store);
            put_crl(store, &pki);
            map_card(store, 1, "cards-1");
            load_tax(store, 1, loaded_year());
        })
        .build()
}

/// The administrator sets the station up to offer `offers`.
async fn offer(app: &TestApp, admin: &str, offers: &[&str]) {
    let setup = json!({"offers": offers, "auto_print": false, "tower": false, "show_fees": true});
    let uri = "/api/v1/admin/stations/term-station";
    let (s, v) = call(app, Method::PUT, uri, admin, setup).await;
    assert_eq!(s, StatusCode::OK, "{v}");
}

async fn identify(app: &TestApp, station: &str, pki: &TestPki) -> Value {
    let vid = verification(app, station, pki).await;
    let uri = "/api/v1/issuance/station/identify";
    let (s, who) = call(
        app,
        Method::POST,
        uri,
        station,
        json!({"verification_id": vid}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{who}");
    who
}

/// A request with a fresh card verification.
async fn ask(
    app: &TestApp,
    station: &str,
    pki: &TestPki,
    id: &str,
    lines: Value,
) -> (StatusCode, Value) {
    let vid = verification(app, station, pki).await;
    request(app, station, id, &vid, lines).await
}

/// Staff print request `id`: the PDF's text.
async fn print(app: &TestApp, staff: &str, id: &str) -> String {
    let uri = format!("/api/v1/cases/{id}/certificates");
    let body = json!({"write_id": format!("p-{id}")});
    let (s, v, pdf) = app.call(req(Method::POST, &uri, staff, &body)).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    pdf_text(&pdf)
}

#[tokio::test]
async fn the_tax_certificate_is_offered_for_the_years_loaded_and_another_year_is_refused_gently() {
    let pki = jpki_test_pki(SERIAL, CardProfile::example());
    let app = app(&pki);
    let station = login(&app, "station", "station").await;
    let staff = login(&app, "staff", "市民課1番").await;
    let year = loaded_year();

    // A station never set up offers the 住民票の写し and the 印鑑登録証明書 only, and refuses the rest.
    let status_uri = "/api/v1/issuance/station/status";
    let (_, status) = call(&app, Method::GET, status_uri, &station, Value::Null).await;
    let items: Vec<&str> = status["offers"]
        .as_array()
        .expect("offers")
        .iter()
        .filter_map(|o| o["item"].as_str())
        .collect();
    assert_eq!(items, ["JUMINHYO", "INKAN-SHOMEI"], "{status}");
    let tax = |year: Option<i32>| json!([{"item": "SHOTOKU-SHOMEI", "copies": 1, "year": year}]);
    let (s, e) = ask(&app, &station, &pki, "st-tax-0000", tax(Some(year))).await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_lines")),
        "not offered here: {e}"
    );
    // The administrator's screen lists every certificate a station can offer, in the tiles' order.
    let (_, all) = call(
        &app,
        Method::GET,
        "/api/v1/admin/stations",
        &staff,
        Value::Null,
    )
    .await;
    let names: Vec<&str> = all["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["name"].as_str())
        .collect();
    assert_eq!(
        names,
        [
            "住民票の写し",
            "住民票記載事項証明書",
            "印鑑登録証明書",
            "所得・課税証明書"
        ]
    );
    offer(&app, &staff, &["JUMINHYO", "SHOTOKU-SHOMEI"]).await;

    // Identification offers the years loaded for the holder, and no amount.
    let who = identify(&app, &station, &pki).await;
    let shotoku = &who["offers"][1];
    assert_eq!(shotoku["item"], "SHOTOKU-SHOMEI", "{who}");
    assert_eq!(
        (&shotoku["available"], &shotoku["years"]),
        (&json!(true), &json!([year])),
        "{who}"
    );
    assert_eq!(who["offers"][0].get("years"), None, "{who}");
    for amount in ["4200000", "4,200,000", "2980000"] {
        assert!(!who.to_string().contains(amount), "{who}");
    }

    // A year not loaded (this year's, or one older than the feed keeps): the tax refusal's gentle text.
    for (id, other) in [("st-tax-0001", year + 1), ("st-tax-0002", year - 10)] {
        let (s, e) = ask(&app, &station, &pki, id, tax(Some(other))).await;
        assert_eq!(
            (s, e["error"]["code"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("tax_not_loaded")),
            "{other}: {e}"
        );
        assert_eq!(
            e["error"]["message"],
            "ご希望の年度の所得・課税証明書は、まだ発行できません。お手数ですが、窓口でお尋ねください。"
        );
    }
    // No year, or the household's: a wrong request.
    let household =
        json!([{"item": "SHOTOKU-SHOMEI", "copies": 1, "year": year, "scope": "世帯全員"}]);
    let year_on_juminhyo = json!([{"item": "JUMINHYO", "copies": 1, "year": year}]);
    for lines in [tax(None), household, year_on_juminhyo] {
        let (s, e) = ask(&app, &station, &pki, "st-tax-0003", lines).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    }

    let (s, receipt) = ask(&app, &station, &pki, "st-tax-0004", tax(Some(year))).await;
    assert_eq!(s, StatusCode::OK, "{receipt}");
    assert_eq!(
        receipt["reception_label"], "0001",
        "refusals took no number"
    );
    assert_eq!(receipt["fee_total"], 300);
    let name = format!("所得・課税証明書（{}）", nendo_ja(year));
    assert_eq!(receipt["lines"][0]["name"], name.as_str(), "{receipt}");
    let (_, queue) = call(
        &app,
        Method::GET,
        "/api/v1/issuance/requests",
        &staff,
        Value::Null,
    )
    .await;
    assert_eq!(queue[0]["lines"][0]["name"], name.as_str(), "{queue}");

    let text = print(&app, &staff, "st-tax-0004").await;
    for want in [
        "所得・課税証明書",
        "髙橋",
        nendo_ja(year).as_str(),
        "4,200,000",
    ] {
        assert!(text.contains(want), "{want} in {text}");
    }
}

#[tokio::test]
async fn the_juminhyo_items_and_a_kisai_certificate_for_the_household_are_printed_as_asked() {
    let pki = jpki_test_pki(SERIAL, CardProfile::example());
    let app = app(&pki);
    let station = login(&app, "station", "station").await;
    let staff = login(&app, "staff", "市民課1番").await;
    offer(&app, &staff, &["JUMINHYO", "KISAI-JIKOU"]).await;
    let who = identify(&app, &station, &pki).await;
    assert_eq!(
        (&who["offers"][1]["item"], &who["offers"][1]["available"]),
        (&json!("KISAI-JIKOU"), &json!(true)),
        "{who}"
    );

    // 住民票の写し of the holder with 本籍・筆頭者 and 住民票コード: printed; 前住所 not asked: 「省略」.
    let juminhyo = json!([{"item": "JUMINHYO", "copies": 1, "scope": "本人のみ",
        "items": ["relation", "honseki", "juminhyo_code"]}]);
    let (s, v) = ask(&app, &station, &pki, "st-items-001", juminhyo).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let text = print(&app, &staff, "st-items-001").await;
    for want in [HONSEKI, "筆頭者 髙橋 太郎", CODE, "前住所 省略"] {
        assert!(text.contains(want), "{want} in {text}");
    }
    assert!(!text.contains(PREVIOUS), "{text}");

    // 住民票記載事項証明書 of the whole household, 2 copies, only the 続柄 asked: one sheet a copy
    // listing both, the other items 「省略」.
    let kisai =
        json!([{"item": "KISAI-JIKOU", "copies": 2, "scope": "世帯全員", "items": ["relation"]}]);
    let (s, receipt) = ask(&app, &station, &pki, "st-items-002", kisai).await;
    assert_eq!(s, StatusCode::OK, "{receipt}");
    assert_eq!(receipt["fee_total"], 600);
    assert_eq!(receipt["lines"][0]["name"], "住民票記載事項証明書");
    let text = print(&app, &staff, "st-items-002").await;
    for want in [
        "住民票記載事項証明書",
        "髙橋 太郎",
        "髙橋 花子",
        "世帯主",
        "妻",
        "上記の事項は、世帯全員の住民票の原本と相違ないことを証明する。",
    ] {
        assert!(text.contains(want), "{want} in {text}");
    }
    for absent in [HONSEKI, CODE, PREVIOUS] {
        assert!(!text.contains(absent), "{absent} not asked: {text}");
    }
    let uri = "/api/v1/cases/st-items-002";
    let (_, case) = call(&app, Method::GET, uri, &staff, Value::Null).await;
    assert!(
        case["history"]
            .to_string()
            .contains("住民票記載事項証明書 2通（発行番号"),
        "{case}"
    );

    // The holder's own 住民票記載事項証明書 (本人のみ), with the 前住所.
    let own = json!([{"item": "KISAI-JIKOU", "copies": 1, "scope": "本人のみ",
        "items": ["previous_address"]}]);
    let (s, v) = ask(&app, &station, &pki, "st-items-003", own).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let text = print(&app, &staff, "st-items-003").await;
    assert!(
        text.contains(PREVIOUS) && !text.contains("髙橋 花子"),
        "{text}"
    );

    // 個人番号 is no item at a station (Madoguchi does not hold it): refused, no number taken.
    let mynumber =
        json!([{"item": "JUMINHYO", "copies": 1, "scope": "本人のみ", "items": ["kojin_bango"]}]);
    let (s, e) = ask(&app, &station, &pki, "st-items-004", mynumber).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let (_, queue) = call(
        &app,
        Method::GET,
        "/api/v1/issuance/requests",
        &staff,
        Value::Null,
    )
    .await;
    assert_eq!(queue.as_array().map(Vec::len), Some(3), "{queue}");
}
