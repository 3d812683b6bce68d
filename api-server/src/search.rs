//! What a staff member's search text means: 宛名番号, a birth date, a kana reading, or a name.

use madoguchi_core::ids::{AtenaNo, IdError};
use madoguchi_core::text::{fold_digits, is_digits, is_kana_query, search_key};
use madoguchi_core::wareki::parse_date;
use madoguchi_store::ResidentQuery;

/// A search the service refuses: a stable code and the reason in Japanese for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchError {
    pub code: &'static str,
    pub message: String,
}

impl std::fmt::Display for SearchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for SearchError {}

fn refused(code: &'static str, message: impl Into<String>) -> SearchError {
    SearchError {
        code,
        message: message.into(),
    }
}

pub const DEFAULT_LIMIT: usize = 20;
pub const MAX_LIMIT: usize = 100;
/// Longest accepted search text, in characters.
pub const MAX_QUERY_CHARS: usize = 100;

/// Raw search parameters as received.
#[derive(Debug, Default, Clone)]
pub struct SearchParams {
    pub q: Option<String>,
    pub birth: Option<String>,
    pub address: Option<String>,
    pub limit: Option<String>,
}

fn non_empty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn check_len(s: &str, what: &str) -> Result<(), SearchError> {
    if s.chars().count() > MAX_QUERY_CHARS {
        return Err(refused(
            "query_too_long",
            format!("{what}が長すぎます（{MAX_QUERY_CHARS}文字以内で入力してください）。"),
        ));
    }
    Ok(())
}

/// Whether a folded key has anything to match on (letters, kana, kanji or digits).
fn searchable(key: &str) -> bool {
    key.chars().any(char::is_alphanumeric)
}

/// Turns the parameters into a structured store query, or a 400 with a Japanese message.
pub fn interpret(p: &SearchParams) -> Result<ResidentQuery, SearchError> {
    let limit = match non_empty(&p.limit) {
        None => DEFAULT_LIMIT,
        Some(l) => match l.parse::<usize>() {
            Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
            _ => {
                return Err(refused(
                    "invalid_limit",
                    format!("件数は1から{MAX_LIMIT}までの数字で指定してください。"),
                ));
            }
        },
    };
    let mut q = ResidentQuery {
        limit,
        ..Default::default()
    };
    if let Some(b) = non_empty(&p.birth) {
        check_len(b, "生年月日")?;
        q.birth = Some(parse_date(b).map_err(|e| refused("invalid_birth", e.message_ja()))?);
    }
    if let Some(a) = non_empty(&p.address) {
        check_len(a, "住所")?;
        let key = search_key(a);
        if !searchable(&key) {
            return Err(refused("empty_query", "住所に検索できる文字がありません。"));
        }
        q.address = Some(key);
    }
    if let Some(text) = non_empty(&p.q) {
        check_len(text, "検索語")?;
        if is_digits(text) {
            let digits = fold_digits(text);
            match AtenaNo::parse(&digits) {
                Ok(a) => q.atena_no = Some(a),
                Err(err) => match parse_date(&digits) {
                    // 19750101 or a legacy 7-digit 元号コード date.
                    Ok(d) if digits.len() == 8 || digits.len() == 7 => q.birth = Some(d),
                    _ => {
                        let msg = match err {
                            IdError::CheckDigit { .. } => {
                                "宛名番号のチェックデジットが正しくありません。"
                            }
                            IdError::Format => "宛名番号は15桁以内の数字で入力してください。",
                        };
                        return Err(refused("invalid_atena_no", msg));
                    }
                },
            }
        } else if text
            .chars()
            .any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
        {
            // Names carry no digits: this is meant as a date (S50.1.1, 昭和50年1月1日, 1975-01-01).
            q.birth = Some(parse_date(text).map_err(|e| refused("invalid_birth", e.message_ja()))?);
        } else {
            let key = search_key(text);
            if !searchable(&key) {
                return Err(refused(
                    "empty_query",
                    "検索語に検索できる文字がありません。",
                ));
            }
            if is_kana_query(text) {
                q.kana = Some(key);
            } else {
                q.name = Some(key);
            }
        }
    }
    if q.atena_no.is_none()
        && q.birth.is_none()
        && q.kana.is_none()
        && q.name.is_none()
        && q.address.is_none()
    {
        return Err(refused("empty_query", "検索条件を入力してください。"));
    }
    Ok(q)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn p(q: &str) -> SearchParams {
        SearchParams {
            q: Some(q.into()),
            ..Default::default()
        }
    }

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    #[test]
    fn recognises_each_kind_of_query() {
        assert_eq!(
            interpret(&p("19")).expect("atena").atena_no,
            Some(AtenaNo::from_sequence(1))
        );
        assert_eq!(
            interpret(&p("１９")).expect("full-width atena").atena_no,
            Some(AtenaNo::from_sequence(1))
        );
        assert_eq!(interpret(&p("S50.1.1")).expect("date").birth, d(1975, 1, 1));
        assert_eq!(
            interpret(&p("昭和50年1月1日")).expect("date").birth,
            d(1975, 1, 1)
        );
        assert_eq!(interpret(&p("R1.5.1")).expect("date").birth, d(2019, 5, 1));
        assert_eq!(
            interpret(&p("1975-01-01")).expect("date").birth,
            d(1975, 1, 1)
        );
        assert_eq!(
            interpret(&p("19750101")).expect("8 digits = date").birth,
            d(1975, 1, 1)
        );
        assert_eq!(
            interpret(&p("ﾀｶﾊｼ")).expect("kana").kana.as_deref(),
            Some("タカハシ")
        );
        assert_eq!(
            interpret(&p("たかはし")).expect("kana").kana.as_deref(),
            Some("タカハシ")
        );
        assert_eq!(
            interpret(&p("髙橋 太郎")).expect("name").name.as_deref(),
            Some("高橋太郎")
        );
    }

    #[test]
    fn rejects_bad_input_with_japanese_messages() {
        for (input, code) in [
            ("18", "invalid_atena_no"),
            ("平成32年1月1日", "invalid_birth"),
            ("1975-13-01", "invalid_birth"),
            ("   ", "empty_query"),
            ("・・・", "empty_query"),
        ] {
            let err = interpret(&p(input)).map(|_| ()).expect_err(input);
            assert_eq!(err.code, code, "{input}: {err:?}");
            assert!(!err.message.is_ascii(), "Japanese message for {input}");
        }
        let long = "あ".repeat(1000);
        assert_eq!(
            interpret(&p(&long)).map(|_| ()).expect_err("long").code,
            "query_too_long"
        );
        let bad_birth = SearchParams {
            birth: Some("平成32年1月1日".into()),
            ..Default::default()
        };
        assert_eq!(
            interpret(&bad_birth).map(|_| ()).expect_err("birth").code,
            "invalid_birth"
        );
        let bad_limit = SearchParams {
            q: Some("ア".into()),
            limit: Some("0".into()),
            ..Default::default()
        };
        assert_eq!(
            interpret(&bad_limit).map(|_| ()).expect_err("limit").code,
            "invalid_limit"
        );
    }
}
