//! Staff password policy. Length matters most (NIST SP 800-63B); municipal security policies also ask for
//! a mix of character kinds (英数字混在), so two kinds are required. Messages are for the staff member.

/// Shortest accepted password, in characters.
pub const MIN_CHARS: usize = 12;
/// Longest accepted password, in characters (bounds the hashing work an attacker can cause).
pub const MAX_CHARS: usize = 128;

/// Passwords seen in every leaked-password list, refused whatever their length.
const COMMON: &[&str] = &[
    "password1234",
    "password12345",
    "passw0rd1234",
    "123456789012",
    "1234567890ab",
    "qwertyuiop12",
    "qwerty123456",
    "abcd12345678",
    "madoguchi123",
    "madoguchi1234",
    "administrator1",
    "iloveyou1234",
];

/// Checks a new password for `login`. `Err` carries the reason in Japanese.
pub fn check(login: &str, password: &str) -> Result<(), String> {
    let n = password.chars().count();
    if n < MIN_CHARS {
        return Err(format!("パスワードは{MIN_CHARS}文字以上にしてください。"));
    }
    if n > MAX_CHARS {
        return Err(format!("パスワードは{MAX_CHARS}文字以内にしてください。"));
    }
    if password.chars().any(char::is_control) {
        return Err("パスワードに制御文字は使えません。".into());
    }
    let letters = password.chars().any(char::is_alphabetic);
    let digits = password.chars().any(|c| c.is_ascii_digit());
    let others = password
        .chars()
        .any(|c| !c.is_alphabetic() && !c.is_ascii_digit());
    if [letters, digits, others].iter().filter(|k| **k).count() < 2 {
        return Err("パスワードには英字・数字・記号のうち2種類以上を含めてください。".into());
    }
    let lower = password.to_lowercase();
    let login = login.trim().to_lowercase();
    if login.chars().count() >= 3 && lower.contains(&login) {
        return Err("パスワードにユーザーIDを含めないでください。".into());
    }
    if COMMON.contains(&lower.as_str()) {
        return Err("よく使われるパスワードは使えません。".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_long_mixed_passwords() {
        assert_eq!(check("tanaka", "correct-horse-battery"), Ok(()));
        assert_eq!(check("tanaka", "さくら野市の窓口2026"), Ok(()));
    }

    #[test]
    fn refuses_with_a_reason() {
        let cases = [
            ("short1", "12文字以上"),
            ("abcdefghijklmnop", "2種類以上"),
            ("tanaka-2026-04-01", "ユーザーID"),
            ("Password1234", "よく使われる"),
            ("aaaaaaaaaaaaaaaaaaaa1", ""),
            ("line\nbreak-123456", "制御文字"),
        ];
        for (pw, why) in cases {
            let r = check("Tanaka", pw);
            if why.is_empty() {
                assert!(r.is_ok(), "{pw}: {r:?}");
            } else {
                let e = r.expect_err(pw);
                assert!(e.contains(why), "{pw}: {e}");
            }
        }
        assert!(check("t", &"a1".repeat(65)).is_err(), "too long");
        assert!(check("t", "------------").is_err(), "one kind only");
    }
}
