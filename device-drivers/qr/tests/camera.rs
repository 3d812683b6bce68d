//! Round trip: payload → symbols → images placed in a camera-sized frame → decoded → payload.

use madoguchi_qr::symbol::{decode_frame, render};
use madoguchi_qr_payload::{Assembler, Kind, PayloadError, Signer};

const W: usize = 1280;
const H: usize = 720;

fn signer() -> Signer {
    Signer::new(&[(3, b"the server's QR key for this test, 32+ bytes")], 3)
}

/// A grey, slightly noisy 1280×720 frame with the symbol at (x, y).
fn frame_with(text: &str, x: usize, y: usize) -> Vec<u8> {
    let img = render(text, 4).expect("render");
    let mut frame: Vec<u8> = (0..W * H).map(|i| 150 + ((i * 7919) % 23) as u8).collect();
    for row in 0..img.height {
        for col in 0..img.width {
            frame[(y + row) * W + x + col] = img.pixels[row * img.width + col];
        }
    }
    frame
}

#[test]
fn japanese_payloads_survive_the_camera_round_trip_over_several_symbols() {
    let s = signer();
    let body = "{\"kind\":\"転入\",\"name\":\"𠮷田　花子\",\"kana\":\"ヨシダ　ハナコ\",\"address\":\"群馬県さくら野市本町一丁目2番3号　さくら野ハイツ201号\",\"members\":4}";
    let symbols = s
        .encode(Kind::PreApplication, &body.repeat(4), 350)
        .expect("encode");
    assert!(symbols.len() >= 2, "split over several symbols");
    let mut a = Assembler::default();
    let mut done = None;
    for (i, symbol) in symbols.iter().enumerate() {
        let frame = frame_with(symbol, 100 + 60 * i, 40);
        let texts = decode_frame(W, H, &frame);
        assert_eq!(
            texts,
            vec![symbol.clone()],
            "symbol {i} decoded from the frame"
        );
        match a.push(&texts[0], &s) {
            Ok(p) => done = Some(p),
            Err(PayloadError::Incomplete { .. }) => {}
            Err(e) => panic!("{e}"),
        }
    }
    let payload = done.expect("all parts");
    assert_eq!(payload.body, body.repeat(4));
    assert_eq!(payload.kind, Kind::PreApplication);
}

#[test]
fn damaged_images_are_rejected_cleanly() {
    let s = signer();
    let symbols = s
        .encode(Kind::Case, "case-6c125f05403c", 300)
        .expect("encode");
    let mut frame = frame_with(&symbols[0], 500, 200);
    // Wipe a band through the middle of the symbol: beyond what error correction repairs.
    let img = render(&symbols[0], 4).expect("render");
    for row in 200 + img.height / 3..200 + img.height * 2 / 3 {
        for col in 500..500 + img.width {
            frame[row * W + col] = 255;
        }
    }
    let texts = decode_frame(W, H, &frame);
    for t in &texts {
        // If anything decodes at all, it must not pass as a valid payload.
        assert!(Assembler::default().push(t, &s).is_err());
    }
    // A frame with no symbol, and a truncated buffer, give nothing.
    assert!(decode_frame(W, H, &vec![128; W * H]).is_empty());
    assert!(decode_frame(W, H, &[0; 10]).is_empty());
}

#[test]
fn a_pgm_image_decodes_and_anything_else_gives_nothing() {
    let image = madoguchi_qr::symbol::render("case-pgm-0001", 4).expect("render");
    let mut pgm = format!("P5\n{} {}\n255\n", image.width, image.height).into_bytes();
    pgm.extend_from_slice(&image.pixels);
    assert_eq!(madoguchi_qr::symbol::decode_pgm(&pgm), ["case-pgm-0001"]);
    assert!(madoguchi_qr::symbol::decode_pgm(b"P6\n1 1\n255\n\0\0\0").is_empty());
    assert!(madoguchi_qr::symbol::decode_pgm(b"P5\n").is_empty());
    assert!(madoguchi_qr::symbol::decode_pgm(b"").is_empty());
}
