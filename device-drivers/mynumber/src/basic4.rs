//! The card's 基本4情報 (EF 0002 of the 券面事項入力補助AP) and 個人番号 (EF 0001), decoded and mapped
//! into what the counter fills forms with.

use chrono::NaiveDate;
use madoguchi_core::ids::my_number_check_digit;
use madoguchi_core::resident::Sex;
use serde::Serialize;

use crate::tlv;

/// 基本4情報 exactly as the card holds them.
#[derive(Clone, PartialEq, Eq)]
pub struct Basic4 {
    /// Family and given name separated by U+3000.
    pub name: String,
    pub address: String,
    pub birth: NaiveDate,
    /// ISO 5218: `None` for 0 (unknown) and 9 (not applicable).
    pub sex: Option<Sex>,
}

impl std::fmt::Debug for Basic4 {
    // Personal data never reaches a log through Debug.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Basic4(…)")
    }
}

/// Why card data could not be decoded (no content in the message).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("card data is not well-formed TLV")]
    Tlv(#[from] tlv::TlvError),
    #[error("card data lacks the field {0:#06X}")]
    Missing(u32),
    #[error("card field {0:#06X} has an invalid value")]
    Invalid(u32),
    #[error("the My Number's check digit does not match")]
    CheckDigit,
}

fn text(tag: u32, v: &[u8]) -> Result<String, DecodeError> {
    String::from_utf8(v.to_vec()).map_err(|_| DecodeError::Invalid(tag))
}

/// Decodes EF 0002: `FF 20 { DF21 offsets, DF22 name, DF23 address, DF24 YYYYMMDD, DF25 sex }`.
pub fn decode_basic4(ef: &[u8]) -> Result<Basic4, DecodeError> {
    let (outer, _) = tlv::parse(ef)?;
    if outer.tag != 0xFF20 {
        return Err(DecodeError::Missing(0xFF20));
    }
    let fields = tlv::children(outer.value)?;
    let get = |tag: u32| {
        fields
            .iter()
            .find(|t| t.tag == tag)
            .map(|t| t.value)
            .ok_or(DecodeError::Missing(tag))
    };
    let birth_text = text(0xDF24, get(0xDF24)?)?;
    let birth = NaiveDate::parse_from_str(&birth_text, "%Y%m%d")
        .map_err(|_| DecodeError::Invalid(0xDF24))?;
    let sex = match get(0xDF25)? {
        b"1" => Some(Sex::Male),
        b"2" => Some(Sex::Female),
        b"0" | b"9" => None,
        _ => return Err(DecodeError::Invalid(0xDF25)),
    };
    Ok(Basic4 {
        name: text(0xDF22, get(0xDF22)?)?,
        address: text(0xDF23, get(0xDF23)?)?,
        birth,
        sex,
    })
}

/// Decodes EF 0001 (`FF 10 0C <12 digits>`, two filler bytes after it) and checks the check digit.
pub fn decode_my_number(ef: &[u8]) -> Result<String, DecodeError> {
    let (t, _) = tlv::parse(ef)?;
    if t.tag != 0xFF10 {
        return Err(DecodeError::Missing(0xFF10));
    }
    let digits = text(0xFF10, t.value)?;
    if digits.len() != 12 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(DecodeError::Invalid(0xFF10));
    }
    let check = my_number_check_digit(&digits[..11]).ok_or(DecodeError::Invalid(0xFF10))?;
    if digits.as_bytes()[11] - b'0' != check {
        return Err(DecodeError::CheckDigit);
    }
    Ok(digits)
}

/// A resident as read from a card, in the shape the counter fills forms with.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct CardPerson {
    pub name: String,
    /// Name with the ideographic space as written on the card; `family` / `given` split at it.
    pub family_name: String,
    pub given_name: String,
    pub address: String,
    pub prefecture: String,
    pub city: String,
    /// The rest of the address after 都道府県 and 市区町村.
    pub address_rest: String,
    pub birth: NaiveDate,
    /// 生年月日 in 和暦 (`昭和55年1月1日`).
    pub birth_wareki: String,
    /// `男`, `女` or empty.
    pub sex: String,
    /// Only when the caller has the right to read it.
    pub my_number: Option<String>,
}

impl std::fmt::Debug for CardPerson {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CardPerson(…)")
    }
}

impl Basic4 {
    pub fn person(&self, my_number: Option<String>) -> CardPerson {
        let (family_name, given_name) = match self.name.split_once(['\u{3000}', ' ']) {
            Some((f, g)) => (f.to_owned(), g.trim().to_owned()),
            None => (self.name.clone(), String::new()),
        };
        let (prefecture, city, rest) = split_address(&self.address);
        CardPerson {
            name: self.name.clone(),
            family_name,
            given_name,
            address: self.address.clone(),
            prefecture,
            city,
            address_rest: rest,
            birth: self.birth,
            birth_wareki: madoguchi_core::wareki::to_wareki(self.birth)
                .map(|w| w.to_string())
                .unwrap_or_else(|_| self.birth.format("%Y年%-m月%-d日").to_string()),
            sex: self
                .sex
                .map(|s| s.label_ja().to_owned())
                .unwrap_or_default(),
            my_number,
        }
    }
}

/// 都道府県, 市区町村 and the rest: `東京都千代田区千代田１－１` → (東京都, 千代田区, 千代田１－１);
/// a 政令指定都市 keeps its ward in the rest (`さいたま市` / `浦和区高砂…`); 郡 stays with its 町村.
pub fn split_address(address: &str) -> (String, String, String) {
    let chars: Vec<char> = address.chars().collect();
    // 北海道 and 東京都 by name (京都府 has a 都 before its 府); every other prefecture ends in 府 or 県
    // within its first four characters.
    let pref_end = if address.starts_with("北海道") || address.starts_with("東京都") {
        3
    } else {
        chars
            .iter()
            .take(4)
            .position(|c| matches!(c, '府' | '県'))
            .map_or(0, |i| i + 1)
    };
    let after: String = chars[pref_end..].iter().collect();
    let city_len = if let Some(gun) = after.find('郡') {
        // 郡 + 町/村
        after[gun..]
            .char_indices()
            .find(|(_, c)| matches!(c, '町' | '村'))
            .map_or(0, |(i, c)| gun + i + c.len_utf8())
    } else {
        after
            .char_indices()
            .find(|(_, c)| matches!(c, '市' | '区' | '町' | '村'))
            .map_or(0, |(i, c)| i + c.len_utf8())
    };
    (
        chars[..pref_end].iter().collect(),
        after[..city_len].to_owned(),
        after[city_len..].to_owned(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The synthetic EF from the reference notes (§3.4), byte for byte.
    const EF0002: &[u8] = &[
        0xFF, 0x20, 0x56, 0xDF, 0x21, 0x08, 0x00, 0x0E, 0x00, 0x20, 0x00, 0x4A, 0x00, 0x55, 0xDF,
        0x22, 0x0F, 0xE5, 0xB1, 0xB1, 0xE7, 0x94, 0xB0, 0xE3, 0x80, 0x80, 0xE5, 0xA4, 0xAA, 0xE9,
        0x83, 0x8E, 0xDF, 0x23, 0x27, 0xE6, 0x9D, 0xB1, 0xE4, 0xBA, 0xAC, 0xE9, 0x83, 0xBD, 0xE5,
        0x8D, 0x83, 0xE4, 0xBB, 0xA3, 0xE7, 0x94, 0xB0, 0xE5, 0x8C, 0xBA, 0xE5, 0x8D, 0x83, 0xE4,
        0xBB, 0xA3, 0xE7, 0x94, 0xB0, 0xEF, 0xBC, 0x91, 0xEF, 0xBC, 0x8D, 0xEF, 0xBC, 0x91, 0xDF,
        0x24, 0x08, 0x31, 0x39, 0x38, 0x30, 0x30, 0x31, 0x30, 0x31, 0xDF, 0x25, 0x01, 0x31,
    ];

    #[test]
    fn decodes_the_reference_record() {
        let b = decode_basic4(EF0002).expect("basic4");
        assert_eq!(b.name, "山田\u{3000}太郎");
        assert_eq!(b.address, "東京都千代田区千代田１－１");
        assert_eq!(b.birth, NaiveDate::from_ymd_opt(1980, 1, 1).expect("date"));
        assert_eq!(b.sex, Some(Sex::Male));
        let p = b.person(None);
        assert_eq!(
            (p.family_name.as_str(), p.given_name.as_str()),
            ("山田", "太郎")
        );
        assert_eq!(p.birth_wareki, "昭和55年1月1日");
        assert_eq!(
            (
                p.prefecture.as_str(),
                p.city.as_str(),
                p.address_rest.as_str()
            ),
            ("東京都", "千代田区", "千代田１－１")
        );
        assert_eq!(format!("{b:?} {p:?}"), "Basic4(…) CardPerson(…)");
    }

    #[test]
    fn my_number_check_digit_is_verified() {
        let ef = [
            0xFF, 0x10, 0x0C, b'1', b'2', b'3', b'4', b'5', b'6', b'7', b'8', b'9', b'0', b'1',
            b'8', 0xFF, 0xFF,
        ];
        assert_eq!(decode_my_number(&ef).as_deref(), Ok("123456789018"));
        let mut bad = ef;
        bad[14] = b'7';
        assert_eq!(decode_my_number(&bad), Err(DecodeError::CheckDigit));
    }

    #[test]
    fn addresses_split_into_prefecture_city_and_rest() {
        let s = |a: &str| {
            let (p, c, r) = split_address(a);
            format!("{p}|{c}|{r}")
        };
        assert_eq!(
            s("北海道札幌市中央区北一条西2丁目"),
            "北海道|札幌市|中央区北一条西2丁目"
        );
        assert_eq!(
            s("埼玉県さいたま市浦和区高砂三丁目1番2号"),
            "埼玉県|さいたま市|浦和区高砂三丁目1番2号"
        );
        assert_eq!(
            s("山梨県南都留郡道志村1234番地"),
            "山梨県|南都留郡道志村|1234番地"
        );
        assert_eq!(s("京都府京都市北区"), "京都府|京都市|北区");
        assert_eq!(
            s("群馬県みどり市大間々町大間々1511"),
            "群馬県|みどり市|大間々町大間々1511"
        );
    }

    #[test]
    fn malformed_records_are_errors_not_panics() {
        assert!(decode_basic4(&EF0002[..40]).is_err());
        assert!(decode_basic4(&[0xFF, 0x20, 0x00]).is_err());
        let mut bad_sex = EF0002.to_vec();
        let last = bad_sex.len() - 1;
        bad_sex[last] = b'7';
        assert_eq!(decode_basic4(&bad_sex), Err(DecodeError::Invalid(0xDF25)));
    }

    proptest::proptest! {
        /// Whatever a card (or a broken reader) answers, decoding ends in a value or an error.
        #[test]
        fn any_bytes_decode_or_fail_cleanly(data in proptest::collection::vec(proptest::num::u8::ANY, 0..400)) {
            let _ = decode_basic4(&data);
            let _ = decode_my_number(&data);
            let _ = crate::apdu::Response::parse(&data);
        }

        /// The reference record with bytes changed decodes or fails, never panics.
        #[test]
        fn mutated_records_decode_or_fail_cleanly(flips in proptest::collection::vec((0usize..89, proptest::num::u8::ANY), 1..6)) {
            let mut ef = EF0002.to_vec();
            for (at, b) in flips {
                ef[at] = b;
            }
            if let Ok(b) = decode_basic4(&ef) {
                let _ = b.person(None);
            }
        }
    }
}
