//! Identifiers with check digits: 宛名番号 / 世帯番号 (Modulus 11, weights 2–7) and 個人番号 (My Number).

use std::fmt;

/// Why an identifier was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdError {
    /// Empty, too long, or contains something other than ASCII digits.
    Format,
    /// The last digit does not match the computed check digit.
    CheckDigit { expected: u8, found: u8 },
}

impl fmt::Display for IdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IdError::Format => f.write_str("invalid identifier format"),
            IdError::CheckDigit { expected, found } => {
                write!(
                    f,
                    "check digit mismatch (expected {expected}, found {found})"
                )
            }
        }
    }
}

impl std::error::Error for IdError {}

/// Maximum length of a 宛名番号 / 世帯番号 (zero-padded to 15 digits in 標準準拠 linkage files).
pub const ATENA_LEN: usize = 15;

/// Modulus 11, weights 2–7 (cycling from the rightmost digit of `body`).
/// Remainder 0 → 0; a result of 10 (remainder 1) → 0, as the data standard leaves it open.
/// Returns `None` if `body` is empty or not all ASCII digits.
pub fn mod11_w27(body: &str) -> Option<u8> {
    if body.is_empty() || !body.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sum: u32 = body
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| u32::from(b - b'0') * (2 + (i as u32 % 6)))
        .sum();
    let r = sum % 11;
    Some(if r <= 1 { 0 } else { (11 - r) as u8 })
}

/// A 宛名番号 or 世帯番号: 2–15 ASCII digits whose last digit is the Modulus-11 check digit.
/// Stored zero-padded to 15 digits so that the same number from different sources compares equal.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AtenaNo(String);

impl AtenaNo {
    /// Parses and verifies a number; leading zeros are added up to 15 digits.
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let s = input.trim();
        if s.len() < 2 || s.len() > ATENA_LEN || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(IdError::Format);
        }
        let (body, check) = s.split_at(s.len() - 1);
        let expected = mod11_w27(body).ok_or(IdError::Format)?;
        let found = check.as_bytes()[0] - b'0';
        if expected != found {
            return Err(IdError::CheckDigit { expected, found });
        }
        Ok(AtenaNo(format!("{s:0>15}")))
    }

    /// Builds a number from a sequence value (below 10^14) by appending its check digit.
    pub fn from_sequence(seq: u64) -> Self {
        // 14 digits of sequence plus the check digit fill the 15-digit field.
        let body = (seq % 100_000_000_000_000).to_string();
        let cd = mod11_w27(&body).unwrap_or(0);
        AtenaNo(format!("{:0>15}", format!("{body}{cd}")))
    }

    /// The 15-digit zero-padded form.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AtenaNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Check digit of a 12-digit 個人番号 from its first 11 digits
/// (番号法施行令 第8条: Σ Pn×Qn with Qn = n+1 for n ≤ 6, n−5 for n ≥ 7; remainder ≤ 1 → 0).
pub fn my_number_check_digit(first11: &str) -> Option<u8> {
    if first11.len() != 11 || !first11.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sum: u32 = first11
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let n = i as u32 + 1;
            let q = if n <= 6 { n + 1 } else { n - 5 };
            u32::from(b - b'0') * q
        })
        .sum();
    let r = sum % 11;
    Some(if r <= 1 { 0 } else { (11 - r) as u8 })
}

/// A verified 12-digit 個人番号. Its `Debug` output is redacted so it never reaches a log by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct MyNumber(String);

impl MyNumber {
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let s: String = input.chars().filter(|c| *c != ' ' && *c != '-').collect();
        if s.len() != 12 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(IdError::Format);
        }
        let expected = my_number_check_digit(&s[..11]).ok_or(IdError::Format)?;
        let found = s.as_bytes()[11] - b'0';
        if expected != found {
            return Err(IdError::CheckDigit { expected, found });
        }
        Ok(MyNumber(s))
    }

    /// The 12 digits. Callers must hold the right to see them.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for MyNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MyNumber(****)")
    }
}

/// Whether a 6-digit 全国地方公共団体コード has a valid check digit (JIS X 0401/0402: for the first five
/// digits, s = d1×6 + d2×5 + d3×4 + d4×3 + d5×2; check = (11 − s mod 11) mod 10).
pub fn is_valid_city_code(code: &str) -> bool {
    let b = code.as_bytes();
    if b.len() != 6 || !b.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let s: u32 = b[..5]
        .iter()
        .zip([6u32, 5, 4, 3, 2])
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    (11 - s % 11) % 10 == u32::from(b[5] - b'0')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mod11_known_values() {
        // 1*7 + 2*6 + 3*5 + 4*4 + 5*3 + 6*2 = 77 → r = 0 → 0
        assert_eq!(mod11_w27("123456"), Some(0));
        // 1*2 = 2 → 11 - 2 = 9
        assert_eq!(mod11_w27("1"), Some(9));
        // 5*2 = 10 → r = 10 → 1
        assert_eq!(mod11_w27("5"), Some(1));
        // 6*2 = 12 → r = 1 → 10 → 0
        assert_eq!(mod11_w27("6"), Some(0));
        // weights cycle: 7 digits of 1 → 2+3+4+5+6+7+2 = 29 → r = 7 → 4
        assert_eq!(mod11_w27("1111111"), Some(4));
        assert_eq!(mod11_w27(""), None);
        assert_eq!(mod11_w27("12a"), None);
    }

    #[test]
    fn city_codes_of_the_seed_municipalities() {
        for code in ["131016", "102121", "322032", "032051", "102024", "194239"] {
            assert!(is_valid_city_code(code), "{code}");
        }
        for bad in ["131017", "10212", "1021211", "10212a", ""] {
            assert!(!is_valid_city_code(bad), "{bad}");
        }
    }

    #[test]
    fn atena_parse_pads_and_verifies() {
        let a = AtenaNo::parse("19").expect("valid");
        assert_eq!(a.as_str(), "000000000000019");
        assert_eq!(AtenaNo::parse("000000000000019"), Ok(a));
        assert_eq!(
            AtenaNo::parse("18"),
            Err(IdError::CheckDigit {
                expected: 9,
                found: 8
            })
        );
        assert_eq!(AtenaNo::parse("1"), Err(IdError::Format));
        assert_eq!(AtenaNo::parse("1234567890123456"), Err(IdError::Format));
        assert_eq!(AtenaNo::parse("１９"), Err(IdError::Format));
    }

    #[test]
    fn atena_from_sequence_round_trips() {
        for seq in [1u64, 6, 42, 123_456, 99_999_999_999_999] {
            let a = AtenaNo::from_sequence(seq);
            assert_eq!(a.as_str().len(), 15);
            assert_eq!(AtenaNo::parse(a.as_str()), Ok(a.clone()), "seq {seq}");
        }
    }

    #[test]
    fn my_number_check_digit_examples() {
        // Worked example: 12345678901 → Σ = 1*6+2*5+3*4+4*3+5*2+6*7+7*6+8*5+9*4+0*3+1*2 = 212; 212 % 11 = 3 → 8
        assert_eq!(my_number_check_digit("12345678901"), Some(8));
        assert!(MyNumber::parse("123456789018").is_ok());
        assert!(MyNumber::parse("1234 5678 9018").is_ok());
        assert_eq!(
            MyNumber::parse("123456789010"),
            Err(IdError::CheckDigit {
                expected: 8,
                found: 0
            })
        );
        assert_eq!(
            format!("{:?}", MyNumber::parse("123456789018").expect("valid")),
            "MyNumber(****)"
        );
    }
}
