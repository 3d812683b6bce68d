//! Compiles in the standard catalogue's translations: every `data/procedures/i18n/<lang>.toml` present
//! (a language without its file simply has no translation, and its texts fall back to Japanese).
//! Generated at build time so that adding a language's file needs no code change.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/procedures/i18n");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<(String, String)> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .filter_map(|p| {
                let lang = p.file_stem()?.to_str()?.to_owned();
                println!("cargo:rerun-if-changed={}", p.display());
                Some((lang, p.display().to_string()))
            })
            .collect(),
        Err(_) => Vec::new(),
    };
    files.sort();
    let mut out = String::from("pub const TRANSLATION_FILES: &[(&str, &str)] = &[\n");
    for (lang, path) in files {
        writeln!(out, "    ({lang:?}, include_str!({path:?})),").expect("write");
    }
    out.push_str("];\n");
    let target = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("translations.rs");
    std::fs::write(target, out).expect("write translations.rs");
}
