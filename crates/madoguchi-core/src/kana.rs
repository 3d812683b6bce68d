//! Kana readings (フリガナ): normalisation for storage and folding for search.

use std::fmt;

/// A reading that is not kana.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KanaError {
    /// The first offending character.
    pub found: char,
}

impl fmt::Display for KanaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("reading contains a non-kana character")
    }
}

impl std::error::Error for KanaError {}

impl KanaError {
    pub fn message_ja(&self) -> String {
        format!(
            "フリガナはカタカナで入力してください（「{}」は使えません）。",
            self.found
        )
    }
}

fn is_hiragana(c: char) -> bool {
    ('\u{3041}'..='\u{3096}').contains(&c) || c == 'ゝ' || c == 'ゞ'
}

fn is_katakana(c: char) -> bool {
    ('\u{30A1}'..='\u{30FA}').contains(&c) || matches!(c, 'ー' | 'ヽ' | 'ヾ' | '・')
}

fn is_halfwidth_kana(c: char) -> bool {
    ('\u{FF61}'..='\u{FF9F}').contains(&c)
}

/// Hiragana → katakana; everything else unchanged.
pub fn to_katakana(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{3041}'..='\u{3096}' | 'ゝ' | 'ゞ' => char::from_u32(c as u32 + 0x60).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// Katakana → hiragana (where a hiragana exists); everything else unchanged.
pub fn to_hiragana(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{30A1}'..='\u{30F6}' | 'ヽ' | 'ヾ' => char::from_u32(c as u32 - 0x60).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// Half-width katakana table, U+FF61.. in order.
const HALF: &[char] = &[
    '。', '「', '」', '、', '・', 'ヲ', 'ァ', 'ィ', 'ゥ', 'ェ', 'ォ', 'ャ', 'ュ', 'ョ', 'ッ', 'ー',
    'ア', 'イ', 'ウ', 'エ', 'オ', 'カ', 'キ', 'ク', 'ケ', 'コ', 'サ', 'シ', 'ス', 'セ', 'ソ', 'タ',
    'チ', 'ツ', 'テ', 'ト', 'ナ', 'ニ', 'ヌ', 'ネ', 'ノ', 'ハ', 'ヒ', 'フ', 'ヘ', 'ホ', 'マ', 'ミ',
    'ム', 'メ', 'モ', 'ヤ', 'ユ', 'ヨ', 'ラ', 'リ', 'ル', 'レ', 'ロ', 'ワ', 'ン', '\u{309B}',
    '\u{309C}',
];

fn voiced(c: char) -> Option<char> {
    // カ→ガ etc.: the voiced form is the next code point for these rows; ウ→ヴ, ワ→ヷ are special.
    match c {
        'ウ' => Some('ヴ'),
        'カ' | 'キ' | 'ク' | 'ケ' | 'コ' | 'サ' | 'シ' | 'ス' | 'セ' | 'ソ' | 'タ' | 'チ'
        | 'ツ' | 'テ' | 'ト' | 'ハ' | 'ヒ' | 'フ' | 'ヘ' | 'ホ' => {
            char::from_u32(c as u32 + 1)
        }
        'ワ' => Some('ヷ'),
        'ヲ' => Some('ヺ'),
        'ヽ' => Some('ヾ'),
        _ => None,
    }
}

fn semi_voiced(c: char) -> Option<char> {
    match c {
        'ハ' | 'ヒ' | 'フ' | 'ヘ' | 'ホ' => char::from_u32(c as u32 + 2),
        _ => None,
    }
}

/// Half-width kana → full-width (joining ﾞ/ﾟ and combining marks with the preceding kana), hiragana →
/// katakana. Other characters pass through.
fn widen(s: &str) -> String {
    let mut out: Vec<char> = Vec::with_capacity(s.len());
    for c in s.chars() {
        let c = if is_halfwidth_kana(c) {
            HALF[(c as u32 - 0xFF61) as usize]
        } else {
            c
        };
        let c = match c {
            '\u{3041}'..='\u{3096}' | 'ゝ' | 'ゞ' => char::from_u32(c as u32 + 0x60).unwrap_or(c),
            _ => c,
        };
        let joined = match c {
            '\u{309B}' | '\u{3099}' => out.last().and_then(|p| voiced(*p)),
            '\u{309C}' | '\u{309A}' => out.last().and_then(|p| semi_voiced(*p)),
            _ => None,
        };
        match joined {
            Some(j) => {
                out.pop();
                out.push(j);
            }
            None => out.push(c),
        }
    }
    out.into_iter().collect()
}

/// Normalises a reading for storage: full-width katakana, one ideographic space between parts, trimmed.
/// Small kana are kept as written. Fails on anything that is not kana.
pub fn normalize_reading(s: &str) -> Result<String, KanaError> {
    let wide = widen(s);
    let mut out = String::with_capacity(wide.len());
    let mut pending_space = false;
    for c in wide.chars() {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if !is_katakana(c) {
            return Err(KanaError { found: c });
        }
        if pending_space {
            out.push('\u{3000}');
            pending_space = false;
        }
        out.push(c);
    }
    Ok(out)
}

/// The search form of kana: widened katakana, small kana made large, ヴ→ブ rows, ヂ→ジ, ヅ→ズ, ヰ→イ,
/// ヱ→エ, ヲ→オ, long-vowel marks, middle dots and all whitespace removed. Never fails: non-kana pass
/// through unchanged.
pub fn fold_for_search(s: &str) -> String {
    let wide = widen(s);
    let mut out = String::with_capacity(wide.len());
    let mut chars = wide.chars().peekable();
    while let Some(c) = chars.next() {
        let folded = match c {
            'ァ' => 'ア',
            'ィ' => 'イ',
            'ゥ' => 'ウ',
            'ェ' => 'エ',
            'ォ' => 'オ',
            'ッ' => 'ツ',
            'ャ' => 'ヤ',
            'ュ' => 'ユ',
            'ョ' => 'ヨ',
            'ヮ' => 'ワ',
            'ヵ' => 'カ',
            'ヶ' => 'ケ',
            'ヂ' => 'ジ',
            'ヅ' => 'ズ',
            'ヰ' => 'イ',
            'ヱ' => 'エ',
            'ヲ' => 'オ',
            'ヷ' => 'バ',
            'ヸ' => 'ビ',
            'ヹ' => 'ベ',
            'ヺ' => 'ボ',
            'ヴ' => {
                // ヴァ→バ, ヴィ→ビ, ヴェ→ベ, ヴォ→ボ, ヴ→ブ
                let next = chars.peek().copied();
                let v = match next {
                    Some('ァ' | 'ア') => Some('バ'),
                    Some('ィ' | 'イ') => Some('ビ'),
                    Some('ェ' | 'エ') => Some('ベ'),
                    Some('ォ' | 'オ') => Some('ボ'),
                    _ => None,
                };
                if let Some(v) = v {
                    chars.next();
                    v
                } else {
                    'ブ'
                }
            }
            'ー' | '・' | '･' => continue,
            c if c.is_whitespace() => continue,
            c => c,
        };
        out.push(folded);
    }
    out
}

/// True iff non-empty and every character is kana (full or half width), ー, ・ or whitespace, with at
/// least one kana letter.
pub fn is_kana(s: &str) -> bool {
    let mut letters = 0;
    for c in s.chars() {
        if is_hiragana(c)
            || is_halfwidth_kana(c)
            || ('\u{30A1}'..='\u{30FA}').contains(&c)
            || matches!(c, 'ヽ' | 'ヾ')
        {
            letters += 1;
        } else if !(c.is_whitespace()
            || matches!(
                c,
                'ー' | '・' | '\u{3099}' | '\u{309A}' | '\u{309B}' | '\u{309C}'
            ))
        {
            return false;
        }
    }
    letters > 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn katakana_hiragana_round_trip() {
        assert_eq!(to_katakana("やまだ たろう"), "ヤマダ タロウ");
        assert_eq!(to_hiragana("ヤマダ　タロウ"), "やまだ　たろう");
        assert_eq!(to_katakana("ゔぁ"), "ヴァ");
        assert_eq!(to_katakana("山田abc"), "山田abc");
    }

    #[test]
    fn readings_are_normalised_for_storage() {
        assert_eq!(
            normalize_reading("ﾔﾏﾀﾞ ﾀﾛｳ"),
            Ok("ヤマダ\u{3000}タロウ".into())
        );
        assert_eq!(
            normalize_reading("やまだ　　たろう "),
            Ok("ヤマダ\u{3000}タロウ".into())
        );
        assert_eq!(normalize_reading("ﾊﾟﾋﾟﾌﾟﾍﾟﾎﾟ"), Ok("パピプペポ".into()));
        assert_eq!(normalize_reading("ｳﾞｨｸﾄﾘｱ"), Ok("ヴィクトリア".into()));
        assert_eq!(
            normalize_reading("カ\u{3099}ッコウ"),
            Ok("ガッコウ".into()),
            "combining dakuten"
        );
        assert_eq!(
            normalize_reading("キャット"),
            Ok("キャット".into()),
            "small kana kept"
        );
        assert_eq!(
            normalize_reading("グエン・バン・アン"),
            Ok("グエン・バン・アン".into())
        );
        assert_eq!(normalize_reading("  "), Ok(String::new()));
        let err = normalize_reading("Yamada").expect_err("latin");
        assert_eq!(err.found, 'Y');
        assert!(err.message_ja().contains("カタカナ"));
        assert!(normalize_reading("山田").is_err());
    }

    #[test]
    fn search_folding_matches_spelling_variants() {
        for s in ["ｻｲﾄｳ", "さいとう", "サイトウ", "サイ トウ"] {
            assert_eq!(fold_for_search(s), "サイトウ", "{s}");
        }
        assert_eq!(
            fold_for_search("ヴィクトリア"),
            fold_for_search("ビクトリア")
        );
        assert_eq!(fold_for_search("ヴァイオリン"), "バイオリン");
        assert_eq!(fold_for_search("ヴ"), "ブ");
        assert_eq!(fold_for_search("キャット"), "キヤツト");
        assert_eq!(fold_for_search("ちぢみ"), "チジミ");
        assert_eq!(fold_for_search("つづき"), "ツズキ");
        assert_eq!(fold_for_search("コーヒー"), "コヒ");
        assert_eq!(fold_for_search("グエン・バン"), "グエンバン");
        assert_eq!(fold_for_search("ﾔﾏﾀﾞ"), "ヤマダ");
        assert_eq!(fold_for_search("ヲ"), "オ");
        assert_eq!(fold_for_search("髙橋"), "髙橋", "kanji pass through");
    }

    #[test]
    fn kana_detection() {
        assert!(is_kana("たかはし"));
        assert!(is_kana("ﾀｶﾊｼ ﾀﾛｳ"));
        assert!(is_kana("タカハシ　タロウ"));
        assert!(is_kana("コーヒー"));
        assert!(!is_kana("ー"));
        assert!(!is_kana(""));
        assert!(!is_kana("高橋"));
        assert!(!is_kana("タカハシ1"));
    }
}
