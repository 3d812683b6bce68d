//! The one normalisation all name and address matching uses.

use crate::kana::{fold_for_search, is_kana};
use crate::variants::fold_variants;

/// Folds full-width ASCII to ASCII (letters lower-cased), widens half-width kana, folds kana
/// ([`fold_for_search`]) and kanji variants ([`fold_variants`]), and removes whitespace and the
/// separators ・ ･ - ‐ －. Kanji stay kanji. Idempotent.
/// 1-based line and column (in characters) of a byte offset in `text`: how errors in data files name
/// their place.
pub fn line_column(text: &str, byte: usize) -> (usize, usize) {
    let before = text.get(..byte.min(text.len())).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .map_or(1, |l| l.chars().count() + 1);
    (line, column)
}

pub fn search_key(s: &str) -> String {
    let ascii: String = s
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .map(|c| c.to_ascii_lowercase())
        .filter(|c| !matches!(c, '-' | '‐' | '－' | '・' | '･') && !c.is_whitespace())
        .collect();
    fold_variants(&fold_for_search(&ascii))
}

/// True when the text is a kana reading (hiragana or katakana, any width).
pub fn is_kana_query(s: &str) -> bool {
    is_kana(s.trim())
}

/// Full-width digits (０–９) to ASCII, surrounding whitespace trimmed; other characters unchanged.
pub fn fold_digits(s: &str) -> String {
    s.trim()
        .chars()
        .map(|c| {
            if ('０'..='９').contains(&c) {
                char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
            } else {
                c
            }
        })
        .collect()
}

/// True when the text is non-empty and only digits (ASCII or full-width), ignoring surrounding space.
pub fn is_digits(s: &str) -> bool {
    let t = fold_digits(s);
    !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {

    #[test]
    fn line_column_counts_characters_not_bytes() {
        let t = "一行目\n二行目の𠮷x";
        assert_eq!(line_column(t, 0), (1, 1));
        let x = t.find('x').expect("x");
        assert_eq!(line_column(t, x), (2, 6));
        assert_eq!(line_column(t, 10_000), (2, 7), "past the end");
    }

    use super::*;

    #[test]
    fn keys_ignore_width_script_and_variants() {
        assert_eq!(search_key("髙橋　太郎"), "高橋太郎");
        assert_eq!(search_key("たかはし たろう"), "タカハシタロウ");
        assert_eq!(search_key("ﾀｶﾊｼ"), "タカハシ");
        assert_eq!(search_key("ＮＧＵＹＥＮ Van"), "nguyenvan");
        assert_eq!(search_key("𠮷田"), "吉田");
        assert_eq!(search_key("1丁目2-3"), "1丁目23");
        assert_eq!(search_key("グエン・バン"), "グエンバン");
        assert_eq!(search_key("   "), "");
    }

    #[test]
    fn key_is_idempotent() {
        for s in [
            "髙橋　太郎",
            "ｳﾞｨｸﾄﾘｱ",
            "キャット",
            "ＡＢＣ",
            "𠮷田 さくら",
            "コーヒー",
            "さくら野ハイツ２０１号",
        ] {
            let k = search_key(s);
            assert_eq!(search_key(&k), k, "{s}");
        }
    }

    #[test]
    fn query_kinds() {
        assert!(is_kana_query(" たかはし "));
        assert!(!is_kana_query("高橋"));
        assert!(is_digits("１２３"));
        assert!(is_digits(" 123 "));
        assert!(!is_digits("12a"));
        assert!(!is_digits(""));
        assert_eq!(fold_digits(" １２3 "), "123");
    }
}
