//! The n-gram search index: every 1- and 2-character substring of each folded search key, tagged by
//! the key it comes from, plus the first one and two characters of every name after the first (旧氏,
//! 通称, foreign names; the first, 氏名, has a B-tree of its own) for "name prefix first". Characters
//! are Unicode scalar values, never bytes or UTF-16 units, so 𠮷 is one character.
//!
//! A partial match of a query of any length is found by the grams that cover it (a necessary
//! condition, answered by the GIN index) and then checked exactly with `strpos` on the stored key.

use std::collections::BTreeSet;

use madoguchi_store::SearchKeys;

/// Tag of grams of [`SearchKeys::names`] (氏名, 旧氏, 通称, foreign names).
pub const NAMES: char = 'n';
/// Tag of grams of [`SearchKeys::kana_all`] (every reading).
pub const KANA: char = 'k';
/// Tag of grams of [`SearchKeys::address`].
pub const ADDRESS: char = 'a';
/// Tag of the first one and two characters of each name in [`SearchKeys::names`] but the first.
pub const NAME_HEAD: char = '^';

fn tagged(tag: char, chars: &[char]) -> String {
    let mut s = String::with_capacity(1 + chars.len() * 4);
    s.push(tag);
    s.extend(chars);
    s
}

/// Adds every 1- and 2-character substring of `key`, tagged.
fn all_grams(tag: char, key: &str, out: &mut BTreeSet<String>) {
    let chars: Vec<char> = key.chars().collect();
    for i in 0..chars.len() {
        out.insert(tagged(tag, &chars[i..=i]));
        if i + 1 < chars.len() {
            out.insert(tagged(tag, &chars[i..i + 2]));
        }
    }
}

/// The first name of [`SearchKeys::names`] (氏名), indexed by a B-tree for prefix search.
pub fn first_name(keys: &SearchKeys) -> &str {
    keys.names.split(' ').next().unwrap_or_default()
}

/// The grams stored for one resident, sorted and without duplicates.
pub fn of_keys(keys: &SearchKeys) -> Vec<String> {
    let mut out = BTreeSet::new();
    all_grams(NAMES, &keys.names, &mut out);
    all_grams(KANA, &keys.kana_all, &mut out);
    all_grams(ADDRESS, &keys.address, &mut out);
    for name in keys.names.split(' ').skip(1) {
        let chars: Vec<char> = name.chars().take(2).collect();
        if !chars.is_empty() {
            out.insert(tagged(NAME_HEAD, &chars[..1]));
        }
        if chars.len() == 2 {
            out.insert(tagged(NAME_HEAD, &chars));
        }
    }
    out.into_iter().collect()
}

/// Grams that every key containing `query` has: the query itself when it is one or two characters,
/// otherwise 2-character pieces that together cover it. Empty for an empty query.
pub fn covering(tag: char, query: &str) -> Vec<String> {
    let chars: Vec<char> = query.chars().collect();
    match chars.len() {
        0 => Vec::new(),
        1 | 2 => vec![tagged(tag, &chars)],
        n => {
            let mut out: Vec<String> = (0..n - 1)
                .step_by(2)
                .map(|i| tagged(tag, &chars[i..i + 2]))
                .collect();
            if n % 2 == 1 {
                out.push(tagged(tag, &chars[n - 2..]));
            }
            out
        }
    }
}

/// The gram every name but the first that starts with `query` has (its first one or two characters).
pub fn name_head(query: &str) -> Option<String> {
    let chars: Vec<char> = query.chars().take(2).collect();
    (!chars.is_empty()).then(|| tagged(NAME_HEAD, &chars))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(names: &str, kana_all: &str, address: &str) -> SearchKeys {
        SearchKeys {
            kana: String::new(),
            kana_all: kana_all.into(),
            names: names.into(),
            address: address.into(),
        }
    }

    #[test]
    fn characters_not_bytes() {
        let g = of_keys(&keys("𠮷田健", "", ""));
        for want in ["n𠮷", "n𠮷田", "n田健", "n健"] {
            assert!(g.contains(&want.to_owned()), "{want} in {g:?}");
        }
        assert_eq!(covering(NAMES, "𠮷"), ["n𠮷"]);
    }

    #[test]
    fn every_name_has_its_head() {
        let g = of_keys(&keys("高橋花子 佐藤", "タカハシハナコ", "本町"));
        assert!(g.contains(&"^佐藤".to_owned()));
        assert!(g.contains(&"^佐".to_owned()));
        assert!(
            !g.contains(&"^高橋".to_owned()),
            "the first name has its B-tree"
        );
        assert!(!g.contains(&"^花子".to_owned()));
        assert!(
            g.contains(&"n子 ".to_owned()),
            "grams span the separator as the key does"
        );
        assert!(g.contains(&"kハナ".to_owned()));
        assert!(g.contains(&"a本町".to_owned()));
    }

    #[test]
    fn covering_grams_are_in_every_matching_key() {
        for (key, query) in [
            ("渡辺さくら", "渡辺さくら"),
            ("渡辺さくら", "辺さく"),
            ("高橋太郎", "橋太郎"),
            ("abcdefg", "cdef"),
        ] {
            let stored = of_keys(&keys(key, "", ""));
            for g in covering(NAMES, query) {
                assert!(stored.contains(&g), "{g} of {query} in {key}");
            }
        }
        assert_eq!(covering(NAMES, "abcde"), ["nab", "ncd", "nde"]);
        assert_eq!(covering(NAMES, "abcd"), ["nab", "ncd"]);
        assert!(covering(NAMES, "").is_empty());
        assert_eq!(name_head("高橋太郎").as_deref(), Some("^高橋"));
        assert_eq!(name_head("中").as_deref(), Some("^中"));
        assert_eq!(name_head(""), None);
    }
}
