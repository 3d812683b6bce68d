//! The reader through the real PC/SC stack: Debian's `pcscd` with `vsmartcard-vpcd`, and the virtual
//! My Number card (test double) connecting to vpcd's socket as a card would. The harness starts pcscd
//! with its own reader configuration (its own vpcd port), and stops it by PID. One pcscd per machine:
//! the scenarios run in order inside one test.

use std::process::{Command, Stdio};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use madoguchi_card_pcsc::{Monitor, ReaderEvent, Readers};
use madoguchi_mynumber::{CardError, DeviceState, Pin, TransportError};
use madoguchi_virtual_card::CardProfile;
use madoguchi_virtual_card::harness::{self, Inserted, Pcscd};

/// vpcd's port in this test's reader configuration (not the system default 0x8C7B).
const PORT: u16 = 0x9CBB;

fn start_pcscd() -> Pcscd {
    let pcscd = Pcscd::start(PORT).expect("pcscd");
    wait_for(
        || Readers::new(None).list().is_ok_and(|l| !l.is_empty()),
        "pcscd lists the vpcd readers",
    );
    pcscd
}

fn wait_for(mut ok: impl FnMut() -> bool, what: &str) {
    let started = Instant::now();
    while !ok() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "timed out waiting until {what}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn insert(profile: &CardProfile) -> Inserted {
    insert_at(profile, PORT, "Virtual PCD 00 00")
}

/// vpcd serves two readers: `Virtual PCD 00 00` on `PORT` and `Virtual PCD 00 01` on `PORT + 1`.
fn insert_at(profile: &CardProfile, port: u16, reader: &str) -> Inserted {
    let card = harness::insert(profile, port).expect("vpcd listens");
    let mut last = None;
    let started = Instant::now();
    loop {
        let status = Readers::new(Some(reader.to_owned())).status();
        if status.state == DeviceState::Ready {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the card is not ready: {last:?}"
        );
        last = Some(status);
        std::thread::sleep(Duration::from_millis(100));
    }
    card
}

fn profile() -> CardProfile {
    CardProfile {
        name: "髙橋\u{3000}𠮷子".into(),
        // Long enough (over 256 bytes) for long-form TLV lengths and several READ BINARY commands.
        address: format!(
            "群馬県さくら野市本町一丁目2番3号　{}",
            "さくら野グランドレジデンス".repeat(8)
        ),
        birth: "19900505".into(),
        sex: "2".into(),
        auth_certificate: Some(CardProfile::encode(&[0x30, 0x03, 0x02, 0x01, 0x05])),
        ..CardProfile::example()
    }
}

fn pin(s: &str) -> Pin {
    Pin::four_digits(s).expect("pin")
}

fn next_event(rx: &Receiver<ReaderEvent>, want: impl Fn(&ReaderEvent) -> bool, what: &str) {
    let started = Instant::now();
    loop {
        let left = Duration::from_secs(15).saturating_sub(started.elapsed());
        match rx.recv_timeout(left) {
            Ok(e) if want(&e) => return,
            Ok(_) => {}
            Err(_) => panic!("no event: {what}"),
        }
    }
}

#[test]
fn my_number_card_over_pcscd_and_vpcd() {
    // No service at all: the reader is absent, and the monitor says the service is down.
    let mut readers = Readers::new(None);
    assert_eq!(
        readers.status().state,
        DeviceState::NoReader,
        "no pcscd yet"
    );
    let (monitor, events) = Monitor::start(Duration::from_millis(200));
    next_event(&events, |e| *e == ReaderEvent::ServiceDown, "service down");

    let pcscd = start_pcscd();
    next_event(
        &events,
        |e| matches!(e, ReaderEvent::ReadersChanged(r) if !r.is_empty()),
        "readers appear",
    );
    let status = readers.status();
    assert_eq!(status.state, DeviceState::NoCard);
    assert_eq!(status.reader.as_deref(), Some("Virtual PCD 00 00"));
    assert_eq!(
        Readers::new(Some("No Such Reader".into())).status().state,
        DeviceState::NoReader
    );

    // Card on the reader: ready, tries left queryable; 基本4情報 and the My Number read.
    let card = insert(&profile());
    next_event(
        &events,
        |e| matches!(e, ReaderEvent::CardInserted(_)),
        "card inserted",
    );
    let status = readers.status();
    assert_eq!(
        (
            status.text_pin_retries,
            status.auth_pin_retries,
            status.blocked
        ),
        (Some(3), Some(3), false)
    );
    let mut c = readers.connect().expect("connect");
    let (b, my_number) = c
        .read_text(&pin("1234"), true, false)
        .expect("read over PC/SC");
    assert_eq!(b.name, "髙橋\u{3000}𠮷子");
    assert_eq!(b.address, profile().address);
    assert!(b.address.len() > 256);
    assert_eq!(my_number.as_deref(), Some("123456789018"));
    assert_eq!(c.apdus(), 11, "the long address takes one more READ BINARY");
    assert_eq!(
        c.read_auth_certificate().expect("certificate"),
        [0x30, 0x03, 0x02, 0x01, 0x05]
    );
    drop(c);
    // The diagnostics CLI for IT: status as JSON, a read that prints no card data by default.
    let cli = env!("CARGO_BIN_EXE_madoguchi-card");
    let out = Command::new(cli)
        .arg("status")
        .output()
        .expect("madoguchi-card status");
    let status_json = String::from_utf8_lossy(&out.stdout);
    assert!(
        status_json.contains("\"state\":\"ready\"")
            && status_json.contains("\"text_pin_retries\":3"),
        "{status_json}"
    );
    let mut child = Command::new(cli)
        .args(["read", "--my-number"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("madoguchi-card read");
    std::io::Write::write_all(child.stdin.as_mut().expect("stdin"), b"1234\n").expect("pin");
    let out = child.wait_with_output().expect("output");
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && printed.contains("検査数字一致"),
        "{printed}"
    );
    assert!(
        !printed.contains("髙橋") && !printed.contains("123456789018"),
        "no card data without --show: {printed}"
    );
    // Interoperability: OpenSC's own JPKI driver (Debian `opensc`) recognises the virtual card and
    // lists its JPKI certificates and PINs.
    let out = Command::new("pkcs15-tool")
        .args([
            "--reader",
            "Virtual PCD 00 00",
            "--list-certificates",
            "--list-pins",
        ])
        .output()
        .expect("pkcs15-tool (opensc) is installed by cargo xtask test");
    let listed = String::from_utf8_lossy(&out.stdout);
    assert!(
        listed.contains("User Authentication Certificate"),
        "{listed}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(listed.contains("User Authentication PIN"), "{listed}");
    let mut c = readers.connect().expect("connect");
    // A wrong PIN counts down, visible in the status.
    assert_eq!(
        c.read_text(&pin("9999"), false, false).map(|_| ()),
        Err(CardError::WrongPin { retries_left: 2 })
    );
    drop(c);
    assert_eq!(readers.status().text_pin_retries, Some(2));
    card.pull();
    next_event(
        &events,
        |e| matches!(e, ReaderEvent::CardRemoved(_)),
        "card removed",
    );
    assert_eq!(readers.status().state, DeviceState::NoCard);

    // Pulled in the middle of a read: an error, never half a record. (The first 6 APDUs answer the
    // readiness probe; the card goes away at the 7th APDU of the read.) On vpcd's second reader: vpcd
    // 3.3 does not accept a new card on a slot whose card vanished mid-command.
    let mut p = profile();
    p.pull_after_apdus = Some(12);
    let mut second = Readers::new(Some("Virtual PCD 00 01".into()));
    let card = insert_at(&p, PORT + 1, "Virtual PCD 00 01");
    let mut c = second.connect().expect("connect");
    let pulled = c.read_text(&pin("1234"), true, false).map(|_| c.apdus());
    assert!(
        matches!(
            pulled,
            Err(CardError::Transport(
                TransportError::CardRemoved | TransportError::NoReader | TransportError::Service(_)
            ))
        ),
        "{pulled:?}"
    );
    drop(c);
    card.pull();
    wait_for(
        || second.status().state == DeviceState::NoCard,
        "the pulled card is gone",
    );

    // A blocked card is reported as such.
    let mut p = profile();
    p.text_pin_retries = 0;
    let card = insert(&p);
    let status = readers.status();
    assert!(status.blocked);
    assert_eq!(status.text_pin_retries, Some(0));
    let mut c = readers.connect().expect("connect");
    assert_eq!(
        c.read_text(&pin("1234"), false, true).map(|_| ()),
        Err(CardError::Blocked)
    );
    drop(c);
    card.pull();

    // pcscd restarts: readers go, the monitor reports it and recovers when the service is back.
    pcscd.stop();
    next_event(
        &events,
        |e| *e == ReaderEvent::ServiceDown,
        "service down after pcscd stopped",
    );
    assert_eq!(readers.status().state, DeviceState::NoReader);
    let pcscd = start_pcscd();
    next_event(
        &events,
        |e| matches!(e, ReaderEvent::ReadersChanged(r) if !r.is_empty()),
        "readers back",
    );
    let card = insert(&profile());
    assert_eq!(readers.status().state, DeviceState::Ready);
    card.pull();

    // The monitor stops promptly (its waits are bounded).
    let started = Instant::now();
    monitor.stop();
    assert!(started.elapsed() < Duration::from_secs(3));
    pcscd.stop();
}
