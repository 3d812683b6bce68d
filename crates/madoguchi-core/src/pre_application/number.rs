//! 受付番号 of a sent 事前申請: eight digits, read aloud and typed as `1234-5678`.
//!
//! The first seven digits are random (the first never 0), the eighth is a Damm check digit: every
//! single mistyped digit and every swap of two neighbouring digits is caught before anything is looked
//! up. Typed numbers may carry spaces, hyphens and full-width digits.

/// Digits in a 受付番号, the check digit included.
pub const DIGITS: usize = 8;

/// The Damm algorithm's quasigroup of order 10 (weakly totally anti-symmetric).
const DAMM: [[u8; 10]; 10] = [
    [0, 3, 1, 7, 5, 9, 8, 6, 4, 2],
    [7, 0, 9, 2, 1, 5, 4, 8, 6, 3],
    [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
    [1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
    [6, 1, 2, 3, 0, 4, 5, 9, 7, 8],
    [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
    [5, 8, 6, 9, 7, 2, 0, 1, 3, 4],
    [8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
    [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
    [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
];

fn damm(digits: &[u8]) -> u8 {
    digits
        .iter()
        .fold(0u8, |interim, d| DAMM[interim as usize][*d as usize])
}

/// The 受付番号 (8 digits, no separator) made from a random value: its seven digits and the check
/// digit.
pub fn from_random(random: u32) -> String {
    let body = 1_000_000 + random % 9_000_000;
    let digits: Vec<u8> = body.to_string().bytes().map(|b| b - b'0').collect();
    let check = damm(&digits);
    format!("{body}{check}")
}

/// A typed 受付番号 in its stored form (8 ASCII digits), or `None` when it is not one (wrong length,
/// letters, or a check digit that does not match: a typing mistake).
pub fn normalize(typed: &str) -> Option<String> {
    let mut digits = Vec::with_capacity(DIGITS);
    for ch in typed.chars() {
        match ch {
            '0'..='9' => digits.push(ch as u8 - b'0'),
            '０'..='９' => digits.push((ch as u32 - '０' as u32) as u8),
            ' ' | '　' | '-' | '－' | 'ー' | '‐' => {}
            _ => return None,
        }
    }
    if digits.len() != DIGITS || digits[0] == 0 || damm(&digits) != 0 {
        return None;
    }
    Some(digits.iter().map(|d| char::from(b'0' + d)).collect())
}

/// The number as shown and read aloud: `1234-5678`.
pub fn display(number: &str) -> String {
    if number.len() == DIGITS && number.is_ascii() {
        format!("{}-{}", &number[..4], &number[4..])
    } else {
        number.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_check_themselves() {
        for r in [0u32, 1, 42, 8_999_999, u32::MAX] {
            let n = from_random(r);
            assert_eq!(n.len(), DIGITS);
            assert_eq!(normalize(&n).as_deref(), Some(n.as_str()));
            assert_eq!(normalize(&display(&n)).as_deref(), Some(n.as_str()));
        }
    }

    #[test]
    fn typing_mistakes_are_caught() {
        let n = from_random(1_234_567);
        let digits: Vec<char> = n.chars().collect();
        for i in 0..DIGITS {
            for d in '0'..='9' {
                if d == digits[i] {
                    continue;
                }
                let mut typo = digits.clone();
                typo[i] = d;
                let typo: String = typo.into_iter().collect();
                assert_eq!(normalize(&typo), None, "{typo}");
            }
        }
        for i in 0..DIGITS - 1 {
            let mut swapped = digits.clone();
            if swapped[i] == swapped[i + 1] {
                continue;
            }
            swapped.swap(i, i + 1);
            let swapped: String = swapped.into_iter().collect();
            assert_eq!(normalize(&swapped), None, "{swapped}");
        }
    }

    #[test]
    fn typed_forms_are_accepted_and_junk_is_not() {
        let n = from_random(7);
        let wide: String = display(&n)
            .chars()
            .map(|c| match c {
                '0'..='9' => {
                    char::from_u32(c as u32 - '0' as u32 + '０' as u32).expect("test value")
                }
                _ => 'ー',
            })
            .collect();
        assert_eq!(normalize(&wide).as_deref(), Some(n.as_str()));
        assert_eq!(normalize("abc"), None);
        assert_eq!(normalize("1234567"), None);
        assert_eq!(normalize(""), None);
    }
}
