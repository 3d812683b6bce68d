use madoguchi_core::resident::Resident;
use madoguchi_core::text::search_key;

/// The folded keys a backend indexes for one resident. Computed here, once, so that every backend
/// matches exactly the same way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchKeys {
    /// Folded reading of 氏名 (prefix search, ordering).
    pub kana: String,
    /// Folded readings of every name form, separated by a space (partial kana search).
    pub kana_all: String,
    /// Folded 氏名, 旧氏, 通称 and foreign names separated by a space (partial name search).
    pub names: String,
    /// Folded one-line address including 方書.
    pub address: String,
}

impl SearchKeys {
    pub fn of(r: &Resident) -> Self {
        let n = &r.name;
        let kana = n.kana.as_deref().map(search_key).unwrap_or_default();
        let kana_all = join_keys([
            n.kana.as_deref(),
            n.former_surname_kana.as_deref(),
            n.alias_kana.as_deref(),
        ]);
        let names = join_keys([
            Some(n.full.as_str()),
            n.former_surname.as_deref(),
            n.alias.as_deref(),
            n.foreign_romaji.as_deref(),
            n.foreign_kanji.as_deref(),
        ]);
        let address = search_key(&r.address.one_line());
        SearchKeys {
            kana,
            kana_all,
            names,
            address,
        }
    }
}

fn join_keys<'a>(parts: impl IntoIterator<Item = Option<&'a str>>) -> String {
    let mut out = String::new();
    for p in parts.into_iter().flatten() {
        let k = search_key(p);
        if k.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&k);
    }
    out
}
