//! The demo city's 印鑑登録, as the core systems' `inkan` feed (`docs/linkage.md`): about 40 % of the
//! residents aged 15 or over, a few of them 廃止. Each 印影 is a small PNG drawn here — a red ring with
//! bars for the last digits of the resident's (fictional) 宛名番号, no name, no font — so that the same
//! options give the same bytes everywhere. The draw for each resident is its own hash of the seed and
//! the 宛名番号, apart from the population's generator: the resident CSV does not change with it.

use chrono::{Days, NaiveDate};
use madoguchi_core::ids::AtenaNo;

/// The columns of the generated `inkan` file.
pub const SEAL_HEADER: &[&str] = &[
    "宛名番号",
    "印鑑登録番号",
    "登録年月日",
    "登録状態",
    "廃止年月日",
    "印影データ",
    "印影_幅mm",
    "印影_高さmm",
];

/// What [`write_seal_csv`] wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SealStats {
    /// Registrations in force.
    pub registered: usize,
    /// 廃止 registrations.
    pub abolished: usize,
}

/// Per mille of residents aged 15 or over with a registration, and of those, abolished.
const REGISTERED_PER_MILLE: u64 = 400;
const ABOLISHED_PER_MILLE: u64 = 60;

/// SplitMix64 finaliser of the seed and a 宛名番号 sequence: the resident's own draws.
pub(crate) fn mix(seed: u64, seq: u64, salt: u64) -> u64 {
    let mut z =
        (seed ^ 0x696E_6B61_6E00_0000 ^ salt).wrapping_add(seq.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The `inkan` row of resident `seq` (born `birth`, resident since `became`), if the draw gives them a
/// registration; counted in `stats`, which also numbers the registrations.
pub(crate) fn seal_row(
    seed: u64,
    today: NaiveDate,
    seq: u64,
    birth: NaiveDate,
    became: NaiveDate,
    stats: &mut SealStats,
) -> Option<[String; 8]> {
    let fifteen = birth.checked_add_months(chrono::Months::new(15 * 12))?;
    if fifteen > today || mix(seed, seq, 1) % 1000 >= REGISTERED_PER_MILLE {
        return None;
    }
    let number = stats.registered + stats.abolished + 1;
    // Registered on a day between coming of age here (15, or moving in) and today.
    let from = fifteen.max(became);
    let span = (today - from).num_days().max(0) as u64;
    let registered = from + Days::new(mix(seed, seq, 2) % (span + 1));
    let abolished =
        (registered < today && mix(seed, seq, 3) % 1000 < ABOLISHED_PER_MILLE).then(|| {
            let span = (today - registered).num_days() as u64;
            registered + Days::new(1 + mix(seed, seq, 4) % span)
        });
    let atena = AtenaNo::from_sequence(seq);
    let side = 105 + mix(seed, seq, 5) % 76; // 10.5–18.0 mm
    let ymd = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    let (state, abolished_on, image, size) = match abolished {
        Some(d) => {
            stats.abolished += 1;
            ("2", ymd(d), String::new(), String::new())
        }
        None => {
            stats.registered += 1;
            (
                "1",
                String::new(),
                base64(&seal_png(atena.as_str())),
                format!("{}.{}", side / 10, side % 10),
            )
        }
    };
    Some([
        atena.as_str().to_owned(),
        format!("{number:08}"),
        ymd(registered),
        state.to_owned(),
        abolished_on,
        image,
        size.clone(),
        size,
    ])
}

/// The side of the demo 印影 in pixels.
const SIDE: usize = 64;

/// A 64×64 two-colour PNG (transparent and 朱色): a ring, and inside it one bar per digit of the last
/// six digits of `atena` (height by the digit).
fn seal_png(atena: &str) -> Vec<u8> {
    let mut ink = [[false; SIDE]; SIDE];
    let c = (SIDE as f64 - 1.0) / 2.0;
    for (y, line) in ink.iter_mut().enumerate() {
        for (x, px) in line.iter_mut().enumerate() {
            let r = ((x as f64 - c).powi(2) + (y as f64 - c).powi(2)).sqrt();
            *px = (27.0..=30.5).contains(&r);
        }
    }
    let digits: Vec<u8> = atena
        .bytes()
        .rev()
        .take(6)
        .rev()
        .map(|b| b - b'0')
        .collect();
    let left = (SIDE - (digits.len() * 5 - 2)) / 2;
    for (i, d) in digits.iter().enumerate() {
        let h = 6 + 3 * usize::from(*d);
        let top = (SIDE - h) / 2;
        for line in ink.iter_mut().skip(top).take(h) {
            for px in line.iter_mut().skip(left + i * 5).take(3) {
                *px = true;
            }
        }
    }
    // Scanlines: filter 0, then 1 bit a pixel, most significant first.
    let mut raw = Vec::with_capacity(SIDE * (1 + SIDE / 8));
    for line in &ink {
        raw.push(0);
        for byte in line.chunks(8) {
            raw.push(byte.iter().fold(0u8, |acc, on| (acc << 1) | u8::from(*on)));
        }
    }
    let mut png = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    let side = (SIDE as u32).to_be_bytes();
    let ihdr = [&side[..], &side[..], &[1, 3, 0, 0, 0]].concat();
    chunk(&mut png, b"IHDR", &ihdr);
    chunk(&mut png, b"PLTE", &[0xFF, 0xFF, 0xFF, 0xD7, 0x2B, 0x1E]);
    chunk(&mut png, b"tRNS", &[0x00, 0xFF]);
    chunk(&mut png, b"IDAT", &zlib_stored(&raw));
    chunk(&mut png, b"IEND", &[]);
    png
}

fn chunk(png: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    png.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let start = png.len();
    png.extend_from_slice(kind);
    png.extend_from_slice(data);
    let crc = crc32(&png[start..]);
    png.extend_from_slice(&crc.to_be_bytes());
}

/// A zlib stream of stored (uncompressed) deflate blocks.
fn zlib_stored(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = data.chunks(0xFFFF).collect();
    for (i, block) in blocks.iter().enumerate() {
        out.push(u8::from(i + 1 == blocks.len()));
        let len = block.len() as u16;
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(block);
    }
    let (mut a, mut b) = (1u32, 0u32);
    for byte in data {
        a = (a + u32::from(*byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    out.extend_from_slice(&((b << 16) | a).to_be_bytes());
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for byte in bytes {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for group in bytes.chunks(3) {
        let n = group
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= group.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc_adler_and_base64_match_their_references() {
        assert_eq!(crc32(b"IEND"), 0xAE42_6082);
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(
            zlib_stored(b"Wikipedia")[16..],
            0x11E6_0398u32.to_be_bytes()
        );
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn the_seal_image_is_a_small_png_of_the_number() {
        let a = seal_png("000000000000019");
        assert!(a.starts_with(&[0x89, b'P', b'N', b'G']));
        assert!(a.len() < 1024, "{} bytes", a.len());
        assert_eq!(&a[12..16], b"IHDR");
        assert_ne!(a, seal_png("000000000000027"), "the bars differ");
        assert_eq!(a, seal_png("000000000000019"));
    }
}
