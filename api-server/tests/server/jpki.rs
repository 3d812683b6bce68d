//! JPKI user authentication with a test CA generated here: the virtual My Number card (test double)
//! signs the server's challenge through the reader protocol, and the server accepts it only for a
//! trusted, valid, unrevoked certificate and a genuine signature.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use base64::Engine;
use chrono::Utc;
use madoguchi_mynumber::apdu::sha256_digest_info;
use madoguchi_mynumber::{MyNumberCard, Pin, Transport, TransportError};
use madoguchi_server::jpki::{CrlSet, JpkiError, verify_auth};
use madoguchi_store::TenantId;
use madoguchi_testkit::app::TestApp;
use madoguchi_testkit::residents::atena;
use madoguchi_testkit::terminal::TestDevice;
use madoguchi_virtual_card::{CardProfile, VirtualCard};
use rcgen::{
    BasicConstraints, CertificateParams, CertificateRevocationListParams, DistinguishedName,
    DnType, IsCa, KeyIdMethod, KeyPair, KeyUsagePurpose, PKCS_RSA_SHA256, RevokedCertParams,
    SerialNumber, date_time_ymd,
};
use rsa::pkcs8::EncodePrivateKey;
use serde_json::{Value, json};

use crate::common::case_document;

struct Key {
    pkcs8: Vec<u8>,
    pair: KeyPair,
}

fn rsa_key() -> Key {
    let key = rsa::RsaPrivateKey::new(&mut rsa::rand_core::OsRng, 2048).expect("RSA key");
    let pkcs8 = key.to_pkcs8_der().expect("pkcs8").as_bytes().to_vec();
    let pair = KeyPair::from_pkcs8_der_and_sign_algo(&pkcs8.clone().into(), &PKCS_RSA_SHA256)
        .expect("key pair");
    Key { pkcs8, pair }
}

fn name(ou: &str) -> DistinguishedName {
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CountryName, "JP");
    dn.push(DnType::OrganizationName, "JPKI (TEST)");
    dn.push(DnType::OrganizationalUnitName, ou);
    dn
}

struct Ca {
    cert: rcgen::Certificate,
    key: Key,
}

fn new_ca(ou: &str) -> Ca {
    let key = rsa_key();
    let mut p = CertificateParams::default();
    p.distinguished_name = name(ou);
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    p.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    p.not_before = date_time_ymd(2023, 1, 1);
    p.not_after = date_time_ymd(2033, 7, 15);
    let cert = p.self_signed(&key.pair).expect("CA");
    Ca { cert, key }
}

fn user_cert(ca: &Ca, key: &Key, serial: u64, until: (i32, u8, u8)) -> Vec<u8> {
    let mut p = CertificateParams::default();
    p.distinguished_name = name("JPKI for user authentication (TEST)");
    p.serial_number = Some(SerialNumber::from(serial));
    p.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    // rcgen writes the extensions (key usage included) only with another one: basic constraints.
    p.is_ca = IsCa::ExplicitNoCa;
    p.not_before = date_time_ymd(2024, 4, 1);
    p.not_after = date_time_ymd(until.0, until.1, until.2);
    p.signed_by(&key.pair, &ca.cert, &ca.key.pair)
        .expect("user certificate")
        .der()
        .to_vec()
}

/// The day `days` from today (year, month, day).
fn day_from_now(days: i64) -> (i32, u8, u8) {
    use chrono::Datelike;
    let d = Utc::now() + chrono::Duration::days(days);
    (d.year(), d.month() as u8, d.day() as u8)
}

/// A current CRL of `ca` revoking the given serial numbers (DER): issued yesterday, next update in a month.
fn signed_crl(ca: &Ca, revoked: &[u64]) -> Vec<u8> {
    crl_until(ca, revoked, day_from_now(30))
}

/// A CRL of `ca` whose next update is `next_update`.
fn crl_until(ca: &Ca, revoked: &[u64], next_update: (i32, u8, u8)) -> Vec<u8> {
    let ymd = |(y, m, d): (i32, u8, u8)| date_time_ymd(y, m, d);
    CertificateRevocationListParams {
        this_update: ymd(day_from_now(-40)),
        next_update: ymd(next_update),
        crl_number: SerialNumber::from(1u64),
        issuing_distribution_point: None,
        revoked_certs: revoked
            .iter()
            .map(|serial| RevokedCertParams {
                serial_number: SerialNumber::from(*serial),
                revocation_time: ymd(day_from_now(-39)),
                reason_code: None,
                invalidity_date: None,
            })
            .collect(),
        key_identifier_method: KeyIdMethod::Sha256,
    }
    .signed_by(&ca.cert, &ca.key.pair)
    .expect("CRL")
    .der()
    .to_vec()
}

struct InProcess(VirtualCard);

impl Transport for InProcess {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        Ok(self.0.transmit(command))
    }
}

/// The card's answer to `challenge`: its certificate (read without a PIN) and its signature.
fn card_answer(cert: &[u8], key: &Key, challenge: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let profile = CardProfile {
        auth_certificate: Some(CardProfile::encode(cert)),
        auth_key: Some(CardProfile::encode(&key.pkcs8)),
        ..CardProfile::example()
    };
    let mut card = MyNumberCard::new(InProcess(VirtualCard::new(&profile).expect("card")));
    let certificate = card.read_auth_certificate().expect("certificate");
    let hash = ring::digest::digest(&ring::digest::SHA256, challenge);
    let mut h = [0u8; 32];
    h.copy_from_slice(hash.as_ref());
    let signature = card
        .sign_auth(
            &Pin::four_digits("5678").expect("pin"),
            &sha256_digest_info(&h),
            false,
        )
        .expect("signature");
    (certificate, signature)
}

#[test]
fn point_16_the_server_accepts_only_a_trusted_valid_unrevoked_certificate_and_a_genuine_signature()
{
    let ca = new_ca("JPKI for user authentication (TEST CA)");
    let anchors = vec![ca.cert.der().to_vec()];
    let now = Utc::now();
    let challenge = b"server challenge 0123456789abcdef";
    // A current CRL of the CA that revokes nothing.
    let none = CrlSet::load(&[signed_crl(&ca, &[])], &anchors).expect("CRL");

    // A good card.
    let key = rsa_key();
    let cert = user_cert(&ca, &key, 1001, (2031, 3, 31));
    let (certificate, signature) = card_answer(&cert, &key, challenge);
    let ok =
        verify_auth(&certificate, &signature, challenge, &anchors, &none, now).expect("verified");
    assert_eq!(ok.serial_hex, "03e9");
    // The same signature does not answer another challenge.
    assert_eq!(
        verify_auth(
            &certificate,
            &signature,
            b"another challenge",
            &anchors,
            &none,
            now
        ),
        Err(JpkiError::BadSignature)
    );

    // Forged: signed with a key that is not the certificate's.
    let other = rsa_key();
    let (_, forged) = card_answer(&cert, &other, challenge);
    assert_eq!(
        verify_auth(&certificate, &forged, challenge, &anchors, &none, now),
        Err(JpkiError::BadSignature)
    );

    // Expired.
    let expired = user_cert(&ca, &key, 1002, (2025, 3, 31));
    let (c, s) = card_answer(&expired, &key, challenge);
    assert_eq!(
        verify_auth(&c, &s, challenge, &anchors, &none, now),
        Err(JpkiError::Expired)
    );

    // Issued by a CA the server does not trust (same name, other key: matched by signature).
    let rogue = new_ca("JPKI for user authentication (TEST CA)");
    let foreign = user_cert(&rogue, &key, 1003, (2031, 3, 31));
    let (c, s) = card_answer(&foreign, &key, challenge);
    assert_eq!(
        verify_auth(&c, &s, challenge, &anchors, &none, now),
        Err(JpkiError::UnknownIssuer)
    );
    assert_eq!(
        verify_auth(&c, &s, challenge, &[], &none, now),
        Err(JpkiError::NotConfigured)
    );
    assert_eq!(
        verify_auth(b"not a certificate", &s, challenge, &anchors, &none, now),
        Err(JpkiError::BadCertificate)
    );

    // Revoked: the city loads the CA's CRL.
    let crl = signed_crl(&ca, &[1001]);
    let crls =
        CrlSet::load(std::slice::from_ref(&crl), &anchors).expect("CRL signed by the anchor");
    assert_eq!(
        verify_auth(&certificate, &signature, challenge, &anchors, &crls, now),
        Err(JpkiError::Revoked)
    );
    // A CRL not signed by a trusted CA is refused, not believed.
    let forged_crl = signed_crl(&rogue, &[]);
    assert_eq!(
        CrlSet::load(&[forged_crl], &anchors).map(|_| ()),
        Err(JpkiError::BadCrl)
    );
    assert!(JpkiError::Revoked.message_ja().contains("失効"));

    // Security II point 16: revocation fails closed — no CRL of the issuer, or only a stale one, is
    // refused, never taken as "not revoked".
    assert_eq!(
        verify_auth(
            &certificate,
            &signature,
            challenge,
            &anchors,
            &CrlSet::default(),
            now
        ),
        Err(JpkiError::NoCrl)
    );
    let stale = CrlSet::load(&[crl_until(&ca, &[], day_from_now(-1))], &anchors).expect("CRL");
    assert_eq!(
        verify_auth(&certificate, &signature, challenge, &anchors, &stale, now),
        Err(JpkiError::StaleCrl)
    );
    // A certificate without the key usage extension is refused (it must allow digital signatures).
    let mut p = CertificateParams::default();
    p.distinguished_name = name("JPKI for user authentication (TEST)");
    p.serial_number = Some(SerialNumber::from(1004u64));
    p.not_before = date_time_ymd(2024, 4, 1);
    p.not_after = date_time_ymd(2031, 3, 31);
    let bare = p
        .signed_by(&key.pair, &ca.cert, &ca.key.pair)
        .expect("certificate")
        .der()
        .to_vec();
    let (c, s) = card_answer(&bare, &key, challenge);
    assert_eq!(
        verify_auth(&c, &s, challenge, &anchors, &none, now),
        Err(JpkiError::WrongKeyUsage)
    );
}

/// A request of this test (JSON, or the CRL as text) and its answer: status and JSON (`null` if none).
async fn call(
    app: &TestApp,
    method: &str,
    uri: &str,
    token: Option<&str>,
    body: Body,
    json_body: bool,
) -> (StatusCode, Value) {
    let mut b = Request::builder().method(method).uri(uri);
    if json_body {
        b = b.header(header::CONTENT_TYPE, "application/json");
    } else {
        b = b.header(header::CONTENT_TYPE, "text/plain");
    }
    if let Some(t) = token {
        b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    let (status, v, _) = app.call(b.body(body).expect("request")).await;
    (status, v)
}

#[tokio::test]
async fn point_16_a_terminal_authenticates_a_card_holder_over_the_api_and_the_case_records_it() {
    let ca = new_ca("JPKI for user authentication (TEST CA)");
    let anchor = ca.cert.der().to_vec();
    let app = TestApp::bare()
        .tenant("t1", "さくら野市")
        .staff("t1")
        .state(move |state| state.jpki_anchors = Arc::new(vec![anchor]))
        .build();
    let tenant = TenantId("t1".into());
    let login = TestDevice::enroll(app.store.as_ref(), &tenant, "kiosk-1", &["1"]).login(
        "t1",
        "staff",
        "correct-horse-battery",
        "1",
    );
    let (s, v) = call(
        &app,
        "POST",
        "/api/v1/auth/login",
        None,
        Body::from(login.to_string()),
        true,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let token = v["token"].as_str().expect("token").to_owned();

    let key = rsa_key();
    let cert = user_cert(&ca, &key, 4242, (2031, 3, 31));
    let b64 = base64::engine::general_purpose::STANDARD;
    // Without a CRL the check fails closed (point 16); the city loads its CA's current CRL.
    let (s, c) = call(
        &app,
        "POST",
        "/api/v1/jpki/challenge",
        Some(&token),
        Body::empty(),
        true,
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let early = {
        let challenge = b64
            .decode(c["challenge"].as_str().expect("challenge"))
            .expect("base64");
        let (certificate, signature) = card_answer(&cert, &key, &challenge);
        json!({"challenge_id": c["challenge_id"], "certificate": b64.encode(certificate), "signature": b64.encode(signature)})
    };
    let (s, v) = call(
        &app,
        "POST",
        "/api/v1/jpki/verify",
        Some(&token),
        Body::from(early.to_string()),
        true,
    )
    .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::SERVICE_UNAVAILABLE, Some("jpki_no_crl"))
    );
    let (s, v) = call(
        &app,
        "PUT",
        "/api/v1/admin/jpki-crl",
        Some(&token),
        Body::from(b64.encode(signed_crl(&ca, &[]))),
        false,
    )
    .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    let answer = |challenge_id: &str, challenge: &[u8]| {
        let (certificate, signature) = card_answer(&cert, &key, challenge);
        json!({"challenge_id": challenge_id, "certificate": b64.encode(certificate), "signature": b64.encode(signature)})
    };
    let (s, c) = call(
        &app,
        "POST",
        "/api/v1/jpki/challenge",
        Some(&token),
        Body::empty(),
        true,
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let id = c["challenge_id"].as_str().expect("id").to_owned();
    let challenge = b64
        .decode(c["challenge"].as_str().expect("challenge"))
        .expect("base64");
    assert_eq!(challenge.len(), 32);
    let body = answer(&id, &challenge);
    let (s, v) = call(
        &app,
        "POST",
        "/api/v1/jpki/verify",
        Some(&token),
        Body::from(body.to_string()),
        true,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["serial"], "1092");
    let verification = v["verification_id"]
        .as_str()
        .expect("verification id")
        .to_owned();
    // A challenge answers once.
    let (s, v) = call(
        &app,
        "POST",
        "/api/v1/jpki/verify",
        Some(&token),
        Body::from(body.to_string()),
        true,
    )
    .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("jpki_challenge_invalid"))
    );

    // The city loads a CRL revoking the certificate: the next authentication is refused.
    let crl = signed_crl(&ca, &[4242]);
    let (s, v) = call(
        &app,
        "PUT",
        "/api/v1/admin/jpki-crl",
        Some(&token),
        Body::from(b64.encode(&crl)),
        false,
    )
    .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    let (s, v) = call(
        &app,
        "PUT",
        "/api/v1/admin/jpki-crl",
        Some(&token),
        Body::from("bm90IGEgQ1JM"),
        false,
    )
    .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("jpki_bad_crl"))
    );
    let (_, c) = call(
        &app,
        "POST",
        "/api/v1/jpki/challenge",
        Some(&token),
        Body::empty(),
        true,
    )
    .await;
    let id = c["challenge_id"].as_str().expect("id").to_owned();
    let challenge = b64
        .decode(c["challenge"].as_str().expect("challenge"))
        .expect("base64");
    let (s, v) = call(
        &app,
        "POST",
        "/api/v1/jpki/verify",
        Some(&token),
        Body::from(answer(&id, &challenge).to_string()),
        true,
    )
    .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("jpki_revoked"))
    );
    assert!(
        v["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("失効"))
    );
    // Both attempts are in the audit log with the terminal, the certificate's serial and the outcome.
    let records = app
        .store
        .audit_records(
            &tenant,
            Utc::now() - chrono::Duration::hours(1),
            Utc::now() + chrono::Duration::hours(1),
        )
        .expect("audit");
    let jpki: Vec<(&str, Option<&str>)> = records
        .iter()
        .filter(|r| r.event.action == "jpki.verify")
        .map(|r| (r.event.result.as_str(), r.event.terminal.as_deref()))
        .collect();
    assert_eq!(
        jpki,
        vec![
            ("jpki_no_crl", Some("kiosk-1")),
            ("ok", Some("kiosk-1")),
            ("jpki_revoked", Some("kiosk-1"))
        ]
    );

    // Point 16: the check is bound to the case by the server's verification record. A case naming it
    // carries the server's record; a client's own claim is ignored; an unknown id is refused.
    let mut doc = case_document(&atena(1), "髙橋\u{3000}太郎");
    doc["visitor"]["jpki"] = json!({"serial": "ffff", "verified_at": "2026-01-01T00:00:00Z"});
    let save = |_case: &str, write: &str, doc: &Value| {
        json!({"write_id": write, "revision": null, "status": "open", "document": doc}).to_string()
    };
    let (s, v) = call(
        &app,
        "PUT",
        "/api/v1/cases/case-jpki-0001",
        Some(&token),
        Body::from(save("case-jpki-0001", "w-jpki-0001", &doc)),
        true,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        v["document"]["visitor"]["jpki"],
        Value::Null,
        "a client's claim is not believed"
    );
    doc["visitor"]["jpki_verification"] = json!(verification);
    let (s, v) = call(
        &app,
        "PUT",
        "/api/v1/cases/case-jpki-0002",
        Some(&token),
        Body::from(save("case-jpki-0002", "w-jpki-0002", &doc)),
        true,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["document"]["visitor"]["jpki"]["serial"], "1092");
    assert!(
        v["document"]["visitor"].get("jpki_verification").is_none(),
        "the id is not stored"
    );
    assert!(
        v["history"][0]["lines"]
            .to_string()
            .contains("公的個人認証"),
        "{}",
        v["history"]
    );
    // The same verification cannot vouch for another case.
    let (s, v) = call(
        &app,
        "PUT",
        "/api/v1/cases/case-jpki-0003",
        Some(&token),
        Body::from(save("case-jpki-0003", "w-jpki-0003", &doc)),
        true,
    )
    .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("jpki_verification_invalid"))
    );
    // Challenges are limited per session.
    let mut statuses = Vec::new();
    for _ in 0..4 {
        let (s, _) = call(
            &app,
            "POST",
            "/api/v1/jpki/challenge",
            Some(&token),
            Body::empty(),
            true,
        )
        .await;
        statuses.push(s);
    }
    assert_eq!(
        statuses,
        [
            StatusCode::OK,
            StatusCode::OK,
            StatusCode::OK,
            StatusCode::TOO_MANY_REQUESTS
        ]
    );
}
