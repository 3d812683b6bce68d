//! `madoguchi-virtual-card --port PORT CARD.json` (or `--example` for [`CardProfile::example`]):
//! **test double.** Presents a virtual My Number card
//! to the `vsmartcard-vpcd` reader on `127.0.0.1:PORT` (pcscd's "Virtual PCD"), and presents it again
//! whenever the reader comes back (pcscd restarted). Exits when the card is "pulled" (`pull_after_apdus`).
//!
//! `madoguchi-virtual-card jpki-test-card --serial HEX --out DIR [BASE_PROFILE.json]`: writes a TEST
//! JPKI PKI whose 利用者証明用電子証明書 has the serial HEX ([`madoguchi_virtual_card::pki`]):
//! `DIR/anchors/ca.der`, `DIR/crl.txt`, `DIR/card.json` (the base profile, or the example, with the
//! JPKI material), `DIR/auth-key.pk8.pem` and `DIR/auth-cert.der`.

use std::path::Path;
use std::time::Duration;

use madoguchi_virtual_card::pki::serial_bytes;
use madoguchi_virtual_card::vpcd::{self, Ended};
use madoguchi_virtual_card::{CardProfile, VirtualCard, jpki_test_pki};

const USAGE: &str = "usage: madoguchi-virtual-card --port PORT (CARD.json | --example)
       madoguchi-virtual-card jpki-test-card --serial HEX --out DIR [BASE_PROFILE.json]
(test double)";

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [flag, port, file] if flag == "--port" => present(port.parse::<u16>()?, file),
        [command, rest @ ..] if command == "jpki-test-card" => jpki_test_card(rest),
        _ => anyhow::bail!("{USAGE}"),
    }
}

/// Writes the TEST JPKI PKI of `jpki-test-card`.
fn jpki_test_card(args: &[String]) -> anyhow::Result<()> {
    let (mut serial, mut out, mut base) = (None, None, None);
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--serial" => serial = it.next(),
            "--out" => out = it.next(),
            file if base.is_none() && !file.starts_with("--") => base = Some(file),
            _ => anyhow::bail!("{USAGE}"),
        }
    }
    let (Some(serial), Some(out)) = (serial, out) else {
        anyhow::bail!("{USAGE}");
    };
    serial_bytes(serial)?;
    let base = match base {
        Some(file) => CardProfile::from_json(&std::fs::read_to_string(file)?)?,
        None => CardProfile::example(),
    };
    let pki = jpki_test_pki(serial, base);
    pki.write_to(Path::new(out))?;
    eprintln!("TEST JPKI card (TEST DOUBLE) with serial {serial} written to {out}");
    Ok(())
}

/// Presents the card to vpcd until it is pulled.
fn present(port: u16, file: &str) -> anyhow::Result<()> {
    let profile = if file == "--example" {
        CardProfile::example()
    } else {
        CardProfile::from_json(&std::fs::read_to_string(file)?)?
    };
    let mut card = VirtualCard::new(&profile)?;
    eprintln!("virtual card (TEST DOUBLE): presenting to vpcd on port {port}");
    loop {
        let mut stream = vpcd::connect(port, Duration::from_secs(3600))?;
        card.reset();
        match vpcd::serve(&mut stream, &mut card, profile.pull_after_apdus)? {
            Ended::Pulled => {
                eprintln!("virtual card: pulled away after {} APDUs", card.apdus);
                return Ok(());
            }
            Ended::ReaderGone => std::thread::sleep(Duration::from_millis(200)),
        }
    }
}
