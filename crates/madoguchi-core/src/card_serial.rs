//! Serial numbers of the My Number card's 利用者証明用電子証明書, as the JPKI user authentication gives
//! them and as the core system's `cards` feed writes them.
//!
//! The server reads a serial as the lowercase hex of the certificate's raw DER serial bytes, which
//! may start with a `00` byte; the core system may write it in capitals, with separators or with
//! leading zeros. [`normalize`] gives both one form, so that they compare as strings.

/// The most significant hex digits a serial may have: RFC 5280 allows 20 octets. Leading zeros do
/// not count, so that a 20-octet serial whose DER encoding starts with a `00` byte (42 digits as the
/// server reads it) is accepted.
pub const MAX_HEX_DIGITS: usize = 40;

/// A serial in its one stored form: lowercase hex without leading zeros (`"0"` for zero).
///
/// Surrounding white space is trimmed; hex digits may be in any case and separated by `:` or
/// spaces. `None` when no digit is given, when another character appears, or when there are more
/// than [`MAX_HEX_DIGITS`] digits once leading zeros are stripped.
///
/// ```
/// use madoguchi_core::card_serial::normalize;
///
/// assert_eq!(normalize("00:A1:B2").as_deref(), Some("a1b2"));
/// assert_eq!(normalize(" 4D 01 23 ").as_deref(), Some("4d0123"));
/// assert_eq!(normalize("000").as_deref(), Some("0"));
/// assert_eq!(normalize("12g4"), None);
/// assert_eq!(normalize("  "), None);
/// ```
pub fn normalize(s: &str) -> Option<String> {
    let mut digits = String::with_capacity(s.len());
    for c in s.trim().chars() {
        match c {
            ':' | ' ' => {}
            c if c.is_ascii_hexdigit() => digits.push(c.to_ascii_lowercase()),
            _ => return None,
        }
    }
    if digits.is_empty() {
        return None;
    }
    let significant = digits.trim_start_matches('0');
    match significant.len() {
        0 => Some("0".to_owned()),
        n if n > MAX_HEX_DIGITS => None,
        _ => Some(significant.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowercases_and_strips_leading_zeros() {
        assert_eq!(normalize("00FF").as_deref(), Some("ff"));
        assert_eq!(normalize("0a0B").as_deref(), Some("a0b"));
        assert_eq!(
            normalize("4d000000000000019").as_deref(),
            Some("4d000000000000019")
        );
        assert_eq!(normalize("0").as_deref(), Some("0"));
        assert_eq!(normalize("00:00").as_deref(), Some("0"));
    }

    #[test]
    fn accepts_separators_and_trims() {
        assert_eq!(normalize("\t01:23:ab\n").as_deref(), Some("123ab"));
        assert_eq!(normalize("01 23 AB").as_deref(), Some("123ab"));
        assert_eq!(normalize("01:23 ab").as_deref(), Some("123ab"));
    }

    #[test]
    fn refuses_empty_and_invalid() {
        for bad in [
            "",
            "   ",
            ":",
            " : ",
            "0x12",
            "12-34",
            "１２",
            "g",
            "12\u{3000}34",
        ] {
            assert_eq!(normalize(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn at_most_forty_digits() {
        let forty = "1".repeat(40);
        assert_eq!(normalize(&forty), Some(forty.clone()));
        assert_eq!(normalize(&format!("1{forty}")), None);
        // A 20-octet serial with its high bit set is 21 DER bytes, the first 00.
        let der = format!("00{}", "f".repeat(40));
        assert_eq!(normalize(&der), Some("f".repeat(40)));
        let separated: Vec<String> = (0..20).map(|_| "ab".to_owned()).collect();
        assert_eq!(normalize(&separated.join(":")), Some("ab".repeat(20)));
        assert_eq!(normalize(&format!("{}:ab", separated.join(":"))), None);
    }

    #[test]
    fn matches_the_server_form_of_der_bytes() {
        // The server gives the raw DER bytes as lowercase hex, a leading 00 kept.
        let der = [0x00u8, 0x8f, 0x01];
        let hex: String = der.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(normalize(&hex).as_deref(), Some("8f01"));
        assert_eq!(normalize("8F:01").as_deref(), normalize(&hex).as_deref());
    }
}
