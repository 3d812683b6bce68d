//! `madoguchi-virtual-card --port PORT CARD.json` (or `--example` for [`CardProfile::example`]):
//! **test double.** Presents a virtual My Number card
//! to the `vsmartcard-vpcd` reader on `127.0.0.1:PORT` (pcscd's "Virtual PCD"), and presents it again
//! whenever the reader comes back (pcscd restarted). Exits when the card is "pulled" (`pull_after_apdus`).

use std::time::Duration;

use madoguchi_virtual_card::vpcd::{self, Ended};
use madoguchi_virtual_card::{CardProfile, VirtualCard};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (port, file) = match args.as_slice() {
        [flag, port, file] if flag == "--port" => (port.parse::<u16>()?, file),
        _ => anyhow::bail!(
            "usage: madoguchi-virtual-card --port PORT (CARD.json | --example)   (test double)"
        ),
    };
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
