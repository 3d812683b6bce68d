//! Terminal enrollment (Security II point 9): a counter terminal holds an Ed25519 device key; an
//! administrator registers its public key with the counters it may serve, and every login from the
//! terminal is signed with the key. This module holds the two contracts the terminal and the server
//! share: the **enrollment code** the terminal shows (the public key as people can read it out and
//! type) and the **login message** the terminal signs.
//!
//! The enrollment code is RFC 4648 base32 (A–Z, 2–7) of the 32-byte key followed by one check byte,
//! in groups of four. Reading it back ignores case, spaces and hyphens, and a mistyped character is
//! caught by the check byte:
//!
//! ```
//! use madoguchi_core::enrollment::{enrollment_code, parse_enrollment_code, EnrollmentCodeError};
//! let key = [7u8; 32];
//! let code = enrollment_code(&key);
//! assert_eq!(code.len(), 53 + 13); // 53 characters in 14 groups
//! assert_eq!(parse_enrollment_code(&code.to_lowercase().replace(' ', "-")), Ok(key));
//! let typo = code.replacen('A', "B", 1);
//! assert_eq!(parse_enrollment_code(&typo), Err(EnrollmentCodeError::Mistyped));
//! ```

/// Base32 alphabet (RFC 4648).
const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// How far a login's signing time may be from the server's clock, in seconds.
pub const PROOF_WINDOW_SECONDS: i64 = 120;

/// Why an enrollment code cannot be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnrollmentCodeError {
    /// Not 53 characters of A–Z and 2–7.
    Malformed,
    /// The check byte does not match: a character was mistyped.
    Mistyped,
}

impl EnrollmentCodeError {
    pub fn message_ja(self) -> &'static str {
        match self {
            Self::Malformed => {
                "登録コードの形式が正しくありません。端末に表示された53文字（英大文字と数字2〜7）を入力してください。"
            }
            Self::Mistyped => "登録コードに入力誤りがあります。端末の表示と見比べてください。",
        }
    }
}

impl std::fmt::Display for EnrollmentCodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.message_ja())
    }
}

impl std::error::Error for EnrollmentCodeError {}

/// A check byte that changes with any single changed byte and with two swapped bytes.
fn check_byte(key: &[u8; 32]) -> u8 {
    key.iter().enumerate().fold(0u8, |acc, (i, b)| {
        acc.rotate_left(1) ^ b.wrapping_mul(2 * (i as u8) + 1)
    })
}

/// The enrollment code of a 32-byte public key, e.g. `AAAA BBBB …` (53 characters in groups of four).
pub fn enrollment_code(key: &[u8; 32]) -> String {
    let mut bytes = key.to_vec();
    bytes.push(check_byte(key));
    let mut chars = Vec::with_capacity(53);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            chars.push(ALPHABET[((buffer >> bits) & 31) as usize]);
        }
    }
    if bits > 0 {
        chars.push(ALPHABET[((buffer << (5 - bits)) & 31) as usize]);
    }
    chars
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The public key in an enrollment code as typed by a person.
pub fn parse_enrollment_code(code: &str) -> Result<[u8; 32], EnrollmentCodeError> {
    let chars: Vec<u8> = code
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .map(|c| u8::try_from(c).unwrap_or(0))
        .collect();
    if chars.len() != 53 {
        return Err(EnrollmentCodeError::Malformed);
    }
    let mut bytes = Vec::with_capacity(34);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in chars {
        let value = ALPHABET
            .iter()
            .position(|a| *a == c)
            .ok_or(EnrollmentCodeError::Malformed)?;
        buffer = ((buffer << 5) | value as u32) & 0xffff;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            bytes.push((buffer >> bits) as u8);
        }
    }
    if buffer & ((1 << bits) - 1) != 0 {
        // The unused last bit is always 0 in a code this module wrote.
        return Err(EnrollmentCodeError::Mistyped);
    }
    let key: [u8; 32] = bytes[..32]
        .try_into()
        .map_err(|_| EnrollmentCodeError::Malformed)?;
    if bytes.get(32) != Some(&check_byte(&key)) {
        return Err(EnrollmentCodeError::Mistyped);
    }
    Ok(key)
}

/// The bytes a terminal signs to log in: who logs in where from which terminal, and when (RFC 3339,
/// as sent). Each part is on its own line; a part with a line break cannot be signed.
///
/// ```
/// use madoguchi_core::enrollment::login_message;
/// let m = login_message("demo", "counter-01", "suzuki", "shimin", "2026-12-06T10:00:00Z").unwrap();
/// assert_eq!(m, b"madoguchi-login-v1\ndemo\ncounter-01\nsuzuki\nshimin\n2026-12-06T10:00:00Z");
/// assert!(login_message("demo", "counter-01", "a\nb", "shimin", "2026-12-06T10:00:00Z").is_none());
/// ```
pub fn login_message(
    tenant: &str,
    terminal: &str,
    user: &str,
    counter: &str,
    signed_at: &str,
) -> Option<Vec<u8>> {
    let parts = [tenant, terminal, user, counter, signed_at];
    if parts.iter().any(|p| p.contains(['\n', '\r'])) {
        return None;
    }
    Some(format!("madoguchi-login-v1\n{}", parts.join("\n")).into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_round_trips() {
        for seed in 0..=255u8 {
            let key: [u8; 32] =
                std::array::from_fn(|i| seed.wrapping_mul(31).wrapping_add(i as u8));
            assert_eq!(parse_enrollment_code(&enrollment_code(&key)), Ok(key));
        }
    }

    #[test]
    fn any_single_mistyped_character_is_caught() {
        let key: [u8; 32] = std::array::from_fn(|i| (i as u8) * 7 + 3);
        let code: Vec<char> = enrollment_code(&key).chars().collect();
        for i in (0..code.len()).filter(|i| code[*i] != ' ') {
            for other in ALPHABET
                .iter()
                .map(|b| *b as char)
                .filter(|c| *c != code[i])
            {
                let mut typed = code.clone();
                typed[i] = other;
                let typed: String = typed.into_iter().collect();
                assert_ne!(parse_enrollment_code(&typed), Ok(key), "{typed}");
            }
        }
    }

    #[test]
    fn wrong_lengths_and_letters_are_malformed() {
        let code = enrollment_code(&[1; 32]);
        assert_eq!(
            parse_enrollment_code(&code[..code.len() - 1]),
            Err(EnrollmentCodeError::Malformed)
        );
        assert_eq!(
            parse_enrollment_code(&code.replacen(|c: char| c.is_ascii_alphabetic(), "1", 1)),
            Err(EnrollmentCodeError::Malformed)
        );
        assert_eq!(
            parse_enrollment_code(""),
            Err(EnrollmentCodeError::Malformed)
        );
    }
}
