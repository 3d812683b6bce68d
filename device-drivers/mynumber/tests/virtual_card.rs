//! The reader's protocol against the virtual card in-process (the same card the PC/SC tests put on
//! vpcd): PINs and their counters, long records, a card pulled mid-read, JPKI signatures.

use madoguchi_mynumber::apdu::sha256_digest_info;
use madoguchi_mynumber::{CardError, MyNumberCard, Pin, Transport, TransportError};
use madoguchi_virtual_card::{CardProfile, VirtualCard};

/// The virtual card as a transport; `pull_after` makes the card disappear after that many APDUs.
struct InProcess {
    card: VirtualCard,
    pull_after: Option<usize>,
    sent: usize,
}

impl Transport for InProcess {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        if self.pull_after.is_some_and(|n| self.sent >= n) {
            return Err(TransportError::CardRemoved);
        }
        self.sent += 1;
        Ok(self.card.transmit(command))
    }
}

fn profile() -> CardProfile {
    CardProfile::example()
}

fn card(p: &CardProfile) -> MyNumberCard<InProcess> {
    MyNumberCard::new(InProcess {
        card: VirtualCard::new(p).expect("card"),
        pull_after: None,
        sent: 0,
    })
}

fn pin(s: &str) -> Pin {
    Pin::four_digits(s).expect("pin")
}

#[test]
fn reads_basic4_and_the_my_number_with_the_pin() {
    let mut c = card(&profile());
    let (b, my_number) = c.read_text(&pin("1234"), true, false).expect("read");
    assert_eq!(b.name, "山田\u{3000}太郎");
    assert_eq!(b.address, "東京都千代田区千代田１－１");
    assert_eq!(my_number.as_deref(), Some("123456789018"));
    let person = b.person(my_number);
    assert_eq!(person.birth_wareki, "昭和55年1月1日");
    assert_eq!(person.sex, "男");
    // Without the right to it, the My Number is not even read.
    let mut c = card(&profile());
    let (_, none) = c.read_text(&pin("1234"), false, false).expect("read");
    assert_eq!(none, None);
}

#[test]
fn a_wrong_pin_counts_down_stops_before_blocking_and_a_right_one_resets() {
    let mut c = card(&profile());
    assert_eq!(
        c.read_text(&pin("0000"), false, false).map(|_| ()),
        Err(CardError::WrongPin { retries_left: 2 })
    );
    assert_eq!(c.pin_retries(madoguchi_mynumber::Application::Text), Ok(2));
    assert_eq!(
        c.read_text(&pin("0000"), false, false).map(|_| ()),
        Err(CardError::WrongPin { retries_left: 1 })
    );
    // One try left: the reader does not send a PIN that could block the card unless told to.
    assert_eq!(
        c.read_text(&pin("1234"), false, false).map(|_| ()),
        Err(CardError::LastTry)
    );
    assert!(c.read_text(&pin("1234"), false, true).is_ok());
    assert_eq!(c.pin_retries(madoguchi_mynumber::Application::Text), Ok(3));
    assert!(
        CardError::WrongPin { retries_left: 2 }
            .message_ja()
            .contains("あと2回")
    );
}

#[test]
fn a_blocked_card_is_reported_and_not_tried() {
    let mut p = profile();
    p.text_pin_retries = 1;
    let mut c = card(&p);
    assert_eq!(
        c.read_text(&pin("0000"), false, true).map(|_| ()),
        Err(CardError::Blocked)
    );
    assert_eq!(c.pin_retries(madoguchi_mynumber::Application::Text), Ok(0));
    let before = c.apdus();
    assert_eq!(
        c.read_text(&pin("1234"), false, true).map(|_| ()),
        Err(CardError::Blocked)
    );
    // Only the retry query was sent, no VERIFY.
    assert_eq!(c.apdus() - before, 3);
}

#[test]
fn a_long_address_comes_whole_through_long_form_lengths_and_several_reads() {
    let mut p = profile();
    p.address = format!(
        "北海道札幌市中央区{}一丁目1番1号　{}",
        "大通西".repeat(20),
        "マンション".repeat(10)
    );
    assert!(p.address.len() > 256);
    let mut c = card(&p);
    let (b, _) = c.read_text(&pin("1234"), false, false).expect("read");
    assert_eq!(b.address, p.address);
    assert_eq!(b.person(None).city, "札幌市");
}

#[test]
fn a_card_pulled_mid_read_is_an_error_not_a_half_record() {
    let mut whole = card(&profile());
    whole.read_text(&pin("1234"), true, false).expect("read");
    let total = whole.apdus();
    assert_eq!(total, 10, "VERIFY (4) + 基本4情報 (3) + 個人番号 (3)");
    for n in 0..total {
        let mut c = MyNumberCard::new(InProcess {
            card: VirtualCard::new(&profile()).expect("card"),
            pull_after: Some(n),
            sent: 0,
        });
        assert_eq!(
            c.read_text(&pin("1234"), true, false).map(|_| ()),
            Err(CardError::Transport(TransportError::CardRemoved)),
            "pulled after {n} APDUs"
        );
    }
}

#[test]
fn jpki_signs_a_challenge_with_the_authentication_key() {
    use rsa::pkcs8::EncodePrivateKey;
    let key = rsa::RsaPrivateKey::new(&mut rand_core_os(), 2048).expect("key");
    let mut p = profile();
    p.auth_key = Some(CardProfile::encode(
        key.to_pkcs8_der().expect("pkcs8").as_bytes(),
    ));
    p.auth_certificate = Some(CardProfile::encode(&[0x30, 0x03, 0x02, 0x01, 0x07]));
    let mut c = card(&p);
    assert_eq!(
        c.read_auth_certificate().expect("certificate"),
        [0x30, 0x03, 0x02, 0x01, 0x07]
    );
    let hash = [7u8; 32];
    let digest_info = sha256_digest_info(&hash);
    assert_eq!(
        c.sign_auth(&pin("0000"), &digest_info, false).map(|_| ()),
        Err(CardError::WrongPin { retries_left: 2 })
    );
    let signature = c
        .sign_auth(&pin("5678"), &digest_info, false)
        .expect("signature");
    assert_eq!(signature.len(), 256);
    rsa::RsaPublicKey::from(&key)
        .verify(
            rsa::Pkcs1v15Sign::new_unprefixed(),
            &digest_info,
            &signature,
        )
        .expect("valid PKCS#1 v1.5 signature over the DigestInfo");
}

fn rand_core_os() -> rsa::rand_core::OsRng {
    rsa::rand_core::OsRng
}
