//! `cargo xtask bench qr`: decoding a Madoguchi QR symbol (a case id, and a 350-character part of a
//! 事前申請) in a 1280×720 camera frame with `rqrr` (what the terminals use), against `quircs` (a port
//! of the quirc C decoder) on the same frames in the same run.

use std::time::{Duration, Instant};

use madoguchi_qr::symbol::{decode_frame, render};
use madoguchi_qr_payload::{Kind, Signer};

use crate::report::{machine, ms, percentile};

const W: usize = 1280;
const H: usize = 720;
const RUNS: usize = 200;

fn frame(text: &str) -> Vec<u8> {
    let img = render(text, 5).unwrap_or_else(|_| render("x", 5).expect("tiny symbol"));
    let mut frame: Vec<u8> = (0..W * H).map(|i| 140 + ((i * 7919) % 31) as u8).collect();
    let (x, y) = (400, 120);
    for row in 0..img.height.min(H - y) {
        for col in 0..img.width.min(W - x) {
            frame[(y + row) * W + x + col] = img.pixels[row * img.width + col];
        }
    }
    frame
}

fn time(mut f: impl FnMut() -> usize) -> (Vec<Duration>, usize) {
    let mut found = 0;
    let mut t: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let started = Instant::now();
            found += f();
            started.elapsed()
        })
        .collect();
    t.sort();
    (t, found)
}

pub fn bench_qr() -> anyhow::Result<()> {
    let signer = Signer::new(&[(1, b"benchmark key, 32 bytes or more....")], 1);
    let case = signer.encode(Kind::Case, "case-3b1279e1-f80c-4e4b-9bc3-18cae27f7b35", 350)?;
    let long = signer.encode(
        Kind::PreApplication,
        &"群馬県さくら野市本町一丁目2番3号 𠮷田花子".repeat(12),
        350,
    )?;
    println!("machine: {}", machine());
    println!("frame {W}×{H}, {RUNS} decodes per figure");
    for (label, text) in [
        ("case id (1 symbol)", &case[0]),
        ("事前申請, part 1 of several (350 chars)", &long[0]),
    ] {
        let f = frame(text);
        let (ours, found) = time(|| decode_frame(W, H, &f).len());
        anyhow::ensure!(
            found == RUNS,
            "rqrr did not find the symbol every time ({found}/{RUNS})"
        );
        let mut decoder = quircs::Quirc::default();
        let (base, found) = time(|| {
            decoder
                .identify(W, H, &f)
                .filter_map(|c| c.ok().and_then(|c| c.decode().ok()))
                .count()
        });
        let p50 = percentile(&ours, 0.5);
        let p99 = percentile(&ours, 0.99);
        let b50 = percentile(&base, 0.5);
        println!(
            "{label}: rqrr p50 {:.2} ms, p99 {:.2} ms; quircs p50 {:.2} ms ({found}/{RUNS} found); ratio {:.2}× (goal p99 < 30 ms: {})",
            ms(p50),
            ms(p99),
            ms(b50),
            ms(p50) / ms(b50).max(0.001),
            if ms(p99) < 30.0 { "met" } else { "not met" }
        );
    }
    Ok(())
}
