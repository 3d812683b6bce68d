//! The kiosk's devices for real: the virtual My Number card (TEST DOUBLE) on vsmartcard-vpcd through the
//! real pcscd, read by the terminal runtime as the app's commands do — card state, 基本4情報 with the
//! PIN, a wrong PIN counted down, JPKI user authentication answered to the server's challenge and
//! verified by the server against its trust anchor — then an application from the card's data whose
//! printed 手続き案内書 carries a QR code that opens the case for staff (and nobody else).
//!
//! One pcscd per machine: this file holds one test.

mod common;

use common::*;
use madoguchi_mynumber::DeviceState;
use madoguchi_server::seed::DEMO_KIOSK_LOGIN;
use madoguchi_store::prelude::*;
use madoguchi_terminal_runtime::Terminal;
use madoguchi_terminal_runtime::client::Client;
use madoguchi_terminal_runtime::runtime::{CardPersonView, KioskReceipt, KioskSubmission};
use madoguchi_virtual_card::CardProfile;
use madoguchi_virtual_card::harness::{Pcscd, insert};
use serde_json::json;

const VPCD_PORT: u16 = 35_971;

/// A test CA (DER), a card profile whose user-authentication certificate it issued (serial 4242), and
/// the CA's current CRL revoking nothing (the server refuses to vouch for a card without one).
fn card_with_jpki() -> (Vec<u8>, CardProfile, Vec<u8>) {
    let pki = madoguchi_virtual_card::jpki_test_pki("1092", CardProfile::example());
    (pki.ca_der, pki.profile, pki.crl_der)
}

/// QR texts on one page of a PDF (poppler renders it in grey at 150 dpi).
fn qr_on_page(pdf: &std::path::Path, page: u32) -> Vec<String> {
    let out = std::process::Command::new("pdftoppm")
        .args([
            "-r",
            "150",
            "-gray",
            "-f",
            &page.to_string(),
            "-l",
            &page.to_string(),
        ])
        .arg(pdf)
        .output()
        .expect("pdftoppm (poppler-utils)");
    madoguchi_qr::symbol::decode_pgm(&out.stdout)
}

#[test]
fn the_kiosk_reads_the_card_authenticates_it_and_prints_a_guide_sheet_staff_can_scan() {
    let dir = tempfile::tempdir().expect("dir");
    let (ca, profile, crl) = card_with_jpki();
    let db = dir.path().join("server.db");
    TestServer::create(&db);
    put_crl(&db, &crl);
    let server = TestServer::serve_with(&db, None, vec![ca]);
    let pcscd = Pcscd::start(VPCD_PORT).expect("pcscd (cargo xtask test installs it)");
    let t = kiosk(&format!("http://{}", server.addr), dir.path());

    // No card yet, then the card on the reader with every PIN try left. A loaded machine may take
    // some seconds before pcscd lists vpcd's reader.
    let mut state = t.card_status();
    for _ in 0..300 {
        if state.state == DeviceState::NoCard {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
        state = t.card_status();
    }
    assert_eq!(
        state.state,
        DeviceState::NoCard,
        "{state:?}; pcscd printed: {}",
        pcscd.log()
    );
    let card = insert(&profile, VPCD_PORT).expect("card on the reader");
    for _ in 0..300 {
        state = t.card_status();
        if state.state == DeviceState::Ready {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert_eq!(
        (state.state, state.text_pin_retries),
        (DeviceState::Ready, Some(3))
    );

    let person = read_with_pin(&t);
    authenticate_with_jpki(&t);
    let (receipt, symbols) = submit_and_print(&t, &person, dir.path());
    staff_open_the_case_by_its_qr(&format!("http://{}", server.addr), &symbols, &receipt);
    // The kiosk window cannot use the QR code to read the case: the runtime's allow-list stops it
    // before the server would (Security II point 14).
    let kiosk_resolve = t
        .api_request(
            "POST",
            "/api/v1/qr/resolve",
            Some(&json!({ "symbols": symbols })),
        )
        .expect_err("outside the kiosk's allow-list");
    assert_eq!(kiosk_resolve.code, "not_allowed");

    card.pull();
    pcscd.stop();
}

/// The CA's CRL in the server's tenant settings (the server refuses to vouch for a card without one).
fn put_crl(db: &std::path::Path, crl: &[u8]) {
    use base64::Engine;
    let store = madoguchi_store_sqlite::SqliteStore::open(db).expect("store");
    let tenant = madoguchi_store::TenantId(TENANT.into());
    TenantStore::put_tenant_setting(
        &store,
        &tenant,
        "jpki_crl",
        &base64::engine::general_purpose::STANDARD.encode(crl),
        &madoguchi_server::audit::event(&tenant, None, None, "jpki_crl.put", None, "ok"),
    )
    .expect("CRL");
}

/// A wrong PIN is counted, with a Japanese message; the right one reads the 基本4情報.
fn read_with_pin(t: &Terminal) -> CardPersonView {
    let e = t.card_read("9999", false).expect_err("wrong PIN");
    assert_eq!((e.code.as_str(), e.tries_left), ("wrong_pin", Some(2)));
    assert!(e.message.contains("あと2回"), "{}", e.message);
    let person = t.card_read("1234", false).expect("read");
    assert_eq!(person.name, "山田\u{3000}太郎");
    assert_eq!(person.birth_wareki, "昭和55年1月1日");
    assert_eq!(person.prefecture, "東京都");
    assert_eq!(
        t.card_status().text_pin_retries,
        Some(3),
        "a good PIN resets the count"
    );
    person
}

/// JPKI: the server's challenge signed by the card, verified by the server.
fn authenticate_with_jpki(t: &Terminal) {
    let verified = t.card_authenticate("5678", false).expect("authenticated");
    assert!(verified.verified);
    assert_eq!(
        verified.serial.trim_start_matches('0'),
        "1092",
        "serial 4242 in hex"
    );
    let e = t
        .card_authenticate("0000", false)
        .expect_err("wrong JPKI PIN");
    assert_eq!(e.code, "wrong_pin");
}

/// An application from the card's data, sent at once: the guide sheet comes out of the (mock)
/// printer with the case's signed QR code. Answers the receipt and the QR code's symbols.
fn submit_and_print(
    t: &Terminal,
    person: &CardPersonView,
    dir: &std::path::Path,
) -> (KioskReceipt, Vec<String>) {
    let mut document = kiosk_document(1);
    let name = json!(person.name);
    document["visitor"]["name"] = name.clone();
    document["notifications"][0]["head_name"] = name.clone();
    document["notifications"][0]["old_address"] = json!(person.address);
    document["notifications"][0]["members"][0]["name"] = name;
    document["notifications"][0]["members"][0]["facts"]["birth"] = json!(person.birth);
    let receipt = t
        .kiosk_submit(KioskSubmission {
            case_id: "case-card-00001".into(),
            write_id: "write-card-00001".into(),
            document,
            language: Some("ja".into()),
        })
        .expect("submitted");
    assert!(receipt.uploaded);
    assert_eq!(receipt.printed, ["guide"]);
    let printed: Vec<_> = std::fs::read_dir(dir.join("printed"))
        .expect("printed")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    assert_eq!(printed.len(), 1);
    // Page 1 is the 申請内容票, page 2 the 手続き案内書 with the QR code.
    let symbols = qr_on_page(&printed[0], 2);
    assert_eq!(symbols.len(), 1, "{symbols:?}");
    (receipt, symbols)
}

/// Staff resolve the guide sheet's QR code to the case the kiosk opened, with the receipt number in
/// its memo.
fn staff_open_the_case_by_its_qr(server: &str, symbols: &[String], receipt: &KioskReceipt) {
    let client = Client::new(server);
    let staff = client
        .json(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(
                &json!({"tenant": TENANT, "user": "demo", "password": "sakurano-madoguchi",
                "counter": "shimin-1"}),
            ),
        )
        .expect("staff login");
    let token = staff["token"].as_str().expect("token");
    let resolved = client
        .json(
            "POST",
            "/api/v1/qr/resolve",
            Some(token),
            Some(&json!({ "symbols": symbols })),
        )
        .expect("resolved");
    assert_eq!(resolved["case_id"], "case-card-00001");
    let case = client
        .json("GET", "/api/v1/cases/case-card-00001", Some(token), None)
        .expect("case");
    assert_eq!(case["opened_by"], DEMO_KIOSK_LOGIN);
    assert_eq!(case["document"]["visitor"]["name"], "山田\u{3000}太郎");
    assert!(
        case["document"]["memo"]
            .as_str()
            .is_some_and(|m| m.contains(&receipt.receipt_no))
    );
}
