//! `cargo xtask bench card`: time from a My Number card put on the reader to its 基本4情報 decoded, and
//! the APDUs exchanged, through real pcscd + vsmartcard-vpcd with the virtual card (test double);
//! baseline in the same run: the same reads with the card in-process (no PC/SC, no socket).

use std::time::{Duration, Instant};

use madoguchi_card_pcsc::Readers;
use madoguchi_mynumber::{DeviceState, MyNumberCard, Pin, Transport, TransportError};
use madoguchi_virtual_card::harness::{self, Pcscd};
use madoguchi_virtual_card::{CardProfile, VirtualCard};

const PORT: u16 = 0x9CCB;
const RUNS: usize = 10;

struct InProcess(VirtualCard);

impl Transport for InProcess {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        Ok(self.0.transmit(command))
    }
}

fn profile() -> CardProfile {
    CardProfile {
        address: "群馬県さくら野市本町一丁目2番3号　さくら野ハイツ201号".into(),
        ..CardProfile::example()
    }
}

fn p50(mut v: Vec<Duration>) -> f64 {
    v.sort();
    v[v.len() / 2].as_secs_f64() * 1000.0
}

fn main() -> anyhow::Result<()> {
    let pin = Pin::four_digits("1234").ok_or_else(|| anyhow::anyhow!("pin"))?;
    let pcscd = Pcscd::start(PORT)?;
    let reader = Some("Virtual PCD 00 00".to_owned());
    let started = Instant::now();
    while Readers::new(reader.clone())
        .list()
        .map_or(true, |l| l.is_empty())
    {
        anyhow::ensure!(started.elapsed() < Duration::from_secs(20), "no readers");
        std::thread::sleep(Duration::from_millis(50));
    }
    // Put on → decoded: includes pcscd noticing the card (it polls vpcd every 400 ms).
    let (mut present, mut connected, mut apdus) = (Vec::new(), Vec::new(), 0);
    for _ in 0..RUNS {
        let card = harness::insert(&profile(), PORT)?;
        let t0 = Instant::now();
        let mut readers = Readers::new(reader.clone());
        let (basic4, n, from_connect) = loop {
            anyhow::ensure!(
                t0.elapsed() < Duration::from_secs(20),
                "the card did not become ready"
            );
            if readers.status().state == DeviceState::Ready {
                let t1 = Instant::now();
                let mut c = readers.connect()?;
                let (b, _) = c.read_text(&pin, false, false)?;
                break (b, c.apdus(), t1.elapsed());
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        anyhow::ensure!(basic4.name == "山田\u{3000}太郎", "read the card");
        present.push(t0.elapsed());
        connected.push(from_connect);
        apdus = n;
        card.pull();
        let t2 = Instant::now();
        while Readers::new(reader.clone()).status().state != DeviceState::NoCard {
            anyhow::ensure!(
                t2.elapsed() < Duration::from_secs(20),
                "the card did not go away"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        eprint!(".");
        // vpcd accepts the next card only after its presence poll saw the slot empty.
        std::thread::sleep(Duration::from_millis(1000));
    }
    pcscd.stop();
    let baseline: Vec<Duration> = (0..RUNS * 10)
        .map(|_| {
            let t = Instant::now();
            let mut c = MyNumberCard::new(InProcess(VirtualCard::new(&profile()).expect("card")));
            let _ = c.read_text(&pin, false, false);
            t.elapsed()
        })
        .collect();
    let (p_present, p_connected, p_base) = (p50(present), p50(connected), p50(baseline));
    println!("runs: {RUNS}; APDUs per read of 基本4情報 (PIN verify included): {apdus}");
    println!(
        "card put on → 基本4情報 decoded: p50 {p_present:.1} ms (includes pcscd's presence polling)"
    );
    println!(
        "connect → 基本4情報 decoded over PC/SC: p50 {p_connected:.2} ms ({:.3} ms per APDU); in-process baseline p50 {p_base:.3} ms; ratio {:.0}×",
        p_connected / apdus as f64,
        p_connected / p_base.max(0.001)
    );
    Ok(())
}
