//! Kanji variant folding for search (髙→高, 﨑→崎, 邉/邊→辺, 齋/齊→斎, 𠮷→吉 …), from the data table
//! `crates/madoguchi-core/data/kanji-variants.tsv`. Variation selectors (IVS) are dropped so that MJ glyph variants match
//! their base character.

use std::collections::HashMap;
use std::sync::OnceLock;

fn table() -> &'static HashMap<char, char> {
    static TABLE: OnceLock<HashMap<char, char>> = OnceLock::new();
    TABLE.get_or_init(|| parse(include_str!("../data/kanji-variants.tsv")))
}

fn parse(text: &str) -> HashMap<char, char> {
    let mut map = HashMap::new();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let mut cols = line.split('\t').map(|c| c.trim().chars());
        if let (Some(mut v), Some(mut s)) = (cols.next(), cols.next())
            && let (Some(v), None, Some(s), None) = (v.next(), v.next(), s.next(), s.next())
        {
            map.insert(v, s);
        }
    }
    map
}

fn is_variation_selector(c: char) -> bool {
    ('\u{FE00}'..='\u{FE0F}').contains(&c) || ('\u{E0100}'..='\u{E01EF}').contains(&c)
}

/// Replaces each variant with its standard form and drops variation selectors.
pub fn fold_variants(s: &str) -> String {
    let t = table();
    s.chars()
        .filter(|c| !is_variation_selector(*c))
        .map(|c| *t.get(&c).unwrap_or(&c))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_common_name_variants() {
        assert_eq!(fold_variants("髙橋"), "高橋");
        assert_eq!(fold_variants("山﨑"), "山崎");
        assert_eq!(fold_variants("渡邉"), "渡辺");
        assert_eq!(fold_variants("渡邊"), "渡辺");
        assert_eq!(fold_variants("齋藤"), "斎藤");
        assert_eq!(fold_variants("齊藤"), "斎藤");
        assert_eq!(fold_variants("𠮷田"), "吉田");
        assert_eq!(fold_variants("濵田"), "浜田");
        assert_eq!(fold_variants("葛\u{E0100}飾"), "葛飾", "IVS dropped");
        assert_eq!(fold_variants("高橋"), "高橋");
    }

    #[test]
    fn table_is_large_and_has_no_chains() {
        let t = table();
        assert!(t.len() >= 60, "only {} pairs", t.len());
        for (v, s) in t {
            assert_ne!(v, s);
            assert!(!t.contains_key(s), "{v}→{s} chains into {s}→{}", t[s]);
        }
    }
}
