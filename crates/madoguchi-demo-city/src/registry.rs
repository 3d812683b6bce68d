//! The demo residents' 本籍・筆頭者, 住民票コード and 前住所: drawn from the 宛名 sequence alone (not from
//! the population's random stream), so the rest of the demo city stays as it was.

/// The columns this module fills, after 支援措置.
pub const COLUMNS: [&str; 4] = ["本籍", "筆頭者", "住民票コード", "前住所"];

/// 本籍 in the demo city's own prefecture (most residents) — 市区町村 and 町字.
const HOME_PREFECTURE: &[&str] = &[
    "群馬県さくら野市本町一丁目",
    "群馬県さくら野市大字梅田",
    "群馬県前橋市大手町一丁目",
    "群馬県高崎市高松町",
    "群馬県桐生市織姫町",
];

/// 本籍 or 前住所 elsewhere in Japan.
const ELSEWHERE: &[&str] = &[
    "東京都千代田区千代田",
    "東京都世田谷区太子堂二丁目",
    "埼玉県さいたま市浦和区高砂三丁目",
    "栃木県宇都宮市本町",
    "新潟県新潟市中央区学校町通一番町",
    "大阪府大阪市北区中之島一丁目",
    "北海道札幌市中央区北一条西二丁目",
];

/// SplitMix64 over the sequence and a salt: the same resident always gets the same values.
fn mix(seq: u64, salt: u64) -> u64 {
    let mut z = seq
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(salt.wrapping_mul(0xD1B5_4A32_D192_ED03));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn pick(list: &[&'static str], seq: u64, salt: u64) -> &'static str {
    list[(mix(seq, salt) % list.len() as u64) as usize]
}

/// What the values depend on.
pub struct Person<'a> {
    pub seq: u64,
    pub japanese: bool,
    /// The 筆頭者 printed for this person (the household head, or the person for a 同居人).
    pub hittosha: &'a str,
    /// Moved into the city (住民となった日 after the birth): has a 前住所.
    pub moved_in: bool,
}

/// The values of [`COLUMNS`] for one resident.
pub fn values(p: &Person<'_>) -> [String; 4] {
    let (honseki, hittosha) = if p.japanese {
        let place = if mix(p.seq, 1) % 10 < 7 {
            pick(HOME_PREFECTURE, p.seq, 2)
        } else {
            pick(ELSEWHERE, p.seq, 3)
        };
        (
            format!("{place}{}番地", mix(p.seq, 4) % 2000 + 1),
            p.hittosha.to_owned(),
        )
    } else {
        (String::new(), String::new())
    };
    let code = format!("{:011}", mix(p.seq, 5) % 100_000_000_000);
    let previous = if p.moved_in {
        format!(
            "{}{}番{}号",
            pick(ELSEWHERE, p.seq, 6),
            mix(p.seq, 7) % 30 + 1,
            mix(p.seq, 8) % 20 + 1
        )
    } else {
        String::new()
    };
    [honseki, hittosha, code, previous]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn japanese_have_a_honseki_and_movers_a_previous_address() {
        let v = values(&Person {
            seq: 7,
            japanese: true,
            hittosha: "山田\u{3000}太郎",
            moved_in: true,
        });
        assert!(v[0].ends_with("番地") && v[1] == "山田\u{3000}太郎");
        assert_eq!(v[2].len(), 11);
        assert!(!v[3].is_empty());
        let f = values(&Person {
            seq: 8,
            japanese: false,
            hittosha: "",
            moved_in: false,
        });
        assert!(f[0].is_empty() && f[1].is_empty() && f[3].is_empty());
        assert_eq!(f[2].len(), 11);
    }
}
