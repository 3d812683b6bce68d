//! Translations of the 手続きナビ catalogue for residents (issue 21 point 6): procedure names,
//! departments, counters, explanations, things to bring, question texts and options, and the rules'
//! reasons, in the languages of [`LANGUAGES`].
//!
//! One file per language, `data/procedures/i18n/<lang>.toml`, compiled in (see `build.rs`):
//!
//! ```toml
//! [procedures.JUKI-TENNYU]
//! name = "…"          # every field optional
//! department = "…"
//! counter = "…"
//! explanation = "…"
//! bring = ["…"]       # same count and order as the Japanese `bring`
//! [questions.inkan_register]
//! text = "…"
//! options = ["…"]     # choice questions only: same count and order as the Japanese options
//! [reasons]
//! "市外から引っ越してきたため" = "…"   # a reason of the standard catalogue's rules, as written there
//! ```
//!
//! A translation is of the *standard* catalogue's Japanese text: a field is shown translated only
//! while the procedure's (or question's) Japanese field is the standard one, and a reason only while
//! its Japanese text is one of the standard catalogue's reasons (the table is keyed by that text). A
//! tenant that edits a text or a reason, or adds a procedure, gets that text in Japanese (a visible
//! fallback, listed by [`missing`]) until it gives its own translation. Answers stay Japanese: a translated option is only a label
//! for the Japanese option at the same place.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::{Catalog, CatalogError, Procedure, Question};

mod generated {
    include!(concat!(env!("OUT_DIR"), "/translations.rs"));
}

/// The translation files compiled in: (language code, text).
pub use generated::TRANSLATION_FILES;

/// The languages residents may choose besides Japanese (`ja`), as the UI codes them: やさしい日本語,
/// English, 简体中文, 한국어, Tiếng Việt, Português, नेपाली, Filipino, Bahasa Indonesia.
pub const LANGUAGES: &[&str] = &["easy", "en", "zh", "ko", "vi", "pt", "ne", "fil", "id"];

/// Whether `lang` is Japanese or one of [`LANGUAGES`].
pub fn is_language(lang: &str) -> bool {
    lang == "ja" || LANGUAGES.contains(&lang)
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProcedureText {
    pub name: Option<String>,
    pub department: Option<String>,
    pub counter: Option<String>,
    pub explanation: Option<String>,
    pub bring: Option<Vec<String>>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionText {
    pub text: Option<String>,
    pub options: Option<Vec<String>>,
}

/// One language's translations.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Translations {
    #[serde(default)]
    pub procedures: BTreeMap<String, ProcedureText>,
    #[serde(default)]
    pub questions: BTreeMap<String, QuestionText>,
    /// The standard catalogue's Japanese reason → its translation.
    #[serde(default)]
    pub reasons: BTreeMap<String, String>,
}

/// Parses one language's file (`file` names it in errors).
pub fn parse(file: &str, text: &str) -> Result<Translations, CatalogError> {
    toml::from_str(text).map_err(|e| {
        let (line, column) = e
            .span()
            .map(|s| line_column(text, s.start))
            .unwrap_or((0, 0));
        CatalogError {
            file: file.to_owned(),
            line,
            column,
            reason: e.message().to_owned(),
        }
    })
}

fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Every compiled-in language's translations, checked against the standard catalogue: a file that
/// does not parse, names an unknown procedure, question or reason, or whose `bring`/`options` counts differ
/// from the Japanese is an error (never a silent mismatch).
pub fn standard(catalog: &Catalog) -> Result<BTreeMap<String, Translations>, Vec<String>> {
    let mut out = BTreeMap::new();
    let mut errors = Vec::new();
    for (lang, text) in TRANSLATION_FILES {
        let file = format!("i18n/{lang}.toml");
        if !LANGUAGES.contains(lang) {
            errors.push(format!("{file}: 言語コード「{lang}」は使えません。"));
            continue;
        }
        match parse(&file, text) {
            Ok(t) => {
                errors.extend(check(&file, &t, catalog));
                out.insert((*lang).to_owned(), t);
            }
            Err(e) => errors.push(e.to_string()),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// What is wrong in a translation file against `catalog` (Japanese, one line per problem).
pub fn check(file: &str, t: &Translations, catalog: &Catalog) -> Vec<String> {
    let mut errors = Vec::new();
    for (code, pt) in &t.procedures {
        let Some(p) = catalog.procedures.iter().find(|p| &p.code == code) else {
            errors.push(format!(
                "{file}: 手続き「{code}」は標準の一覧にありません。"
            ));
            continue;
        };
        if let Some(b) = &pt.bring
            && b.len() != p.bring.len()
        {
            errors.push(format!(
                "{file}: 手続き「{code}」の bring は {} 個ですが、日本語は {} 個です。",
                b.len(),
                p.bring.len()
            ));
        }
    }
    for (id, qt) in &t.questions {
        let Some(q) = catalog.questions.iter().find(|q| &q.id == id) else {
            errors.push(format!("{file}: 質問「{id}」は標準の一覧にありません。"));
            continue;
        };
        if let Some(o) = &qt.options
            && o.len() != q.options.len()
        {
            errors.push(format!(
                "{file}: 質問「{id}」の options は {} 個ですが、日本語は {} 個です。",
                o.len(),
                q.options.len()
            ));
        }
    }
    for text in t.reasons.keys() {
        if !is_standard_reason(text, catalog) {
            errors.push(format!("{file}: 理由「{text}」は標準の一覧にありません。"));
        }
    }
    errors
}

/// Whether `text` is, word for word, the reason of a rule of the `standard` catalogue.
fn is_standard_reason(text: &str, standard: &Catalog) -> bool {
    standard
        .procedures
        .iter()
        .flat_map(Procedure::reasons)
        .any(|r| r == text)
}

/// A rule's reason in the language of `t`: its translation while `text` is a reason of the `standard`
/// catalogue as written there; `None` (show the Japanese) otherwise, for a tenant's own or edited
/// reason, or when the language has no translation of it.
///
/// ```
/// use madoguchi_core::navigation::{Catalog, i18n};
/// let standard = Catalog::standard().expect("catalogue");
/// let en = i18n::parse("en.toml", r#"
/// [reasons]
/// "市外から引っ越してきたため" = "Because you moved here from outside the city"
/// "#).expect("parse");
/// assert_eq!(
///     i18n::reason("市外から引っ越してきたため", &standard, Some(&en)),
///     Some("Because you moved here from outside the city")
/// );
/// // Not the standard text (a tenant's edit), or no translation of it: Japanese.
/// assert_eq!(i18n::reason("本町の外から引っ越してきたため", &standard, Some(&en)), None);
/// assert_eq!(i18n::reason("市内で引っ越したため", &standard, Some(&en)), None);
/// assert_eq!(i18n::reason("市外から引っ越してきたため", &standard, None), None);
/// ```
pub fn reason<'t>(text: &str, standard: &Catalog, t: Option<&'t Translations>) -> Option<&'t str> {
    let translated = t?.reasons.get(text)?;
    is_standard_reason(text, standard).then_some(translated.as_str())
}

/// Reasons found by an evaluation in the language of `t`, each translated or left in Japanese (as
/// [`reason`]), and whether one was left in Japanese.
///
/// ```
/// use madoguchi_core::navigation::{Catalog, i18n};
/// let standard = Catalog::standard().expect("catalogue");
/// let vi = i18n::parse("vi.toml", r#"
/// [reasons]
/// "お子さんが生まれたため" = "Vì có em bé mới sinh"
/// "#).expect("parse");
/// let found = ["お子さんが生まれたため".to_owned(), "転入された世帯のため".to_owned()];
/// assert_eq!(
///     i18n::reasons(&found, &standard, Some(&vi)),
///     (vec!["Vì có em bé mới sinh".to_owned(), "転入された世帯のため".to_owned()], true)
/// );
/// assert_eq!(i18n::reasons(&found[..1], &standard, Some(&vi)).1, false);
/// ```
pub fn reasons(
    texts: &[String],
    standard: &Catalog,
    t: Option<&Translations>,
) -> (Vec<String>, bool) {
    let mut japanese = false;
    let shown = texts
        .iter()
        .map(|text| match reason(text, standard, t) {
            Some(translated) => translated.to_owned(),
            None => {
                japanese = true;
                text.clone()
            }
        })
        .collect();
    (shown, japanese)
}

/// A procedure's resident-facing texts in a language; `japanese` names the fields left in Japanese.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranslatedProcedure {
    pub name: String,
    pub department: String,
    pub counter: String,
    pub explanation: String,
    pub bring: Vec<String>,
    pub japanese: Vec<&'static str>,
}

/// A question's texts in a language; `options` are labels for the Japanese options at the same place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranslatedQuestion {
    pub text: String,
    pub options: Vec<String>,
    pub japanese: Vec<&'static str>,
}

/// Picks the translation when there is one and the Japanese text is the standard's, else the Japanese.
fn pick<T: Clone + PartialEq>(
    field: &'static str,
    japanese: &T,
    standard: Option<&T>,
    translated: Option<&T>,
    fell_back: &mut Vec<&'static str>,
) -> T {
    match (standard, translated) {
        (Some(s), Some(t)) if s == japanese => t.clone(),
        _ => {
            fell_back.push(field);
            japanese.clone()
        }
    }
}

/// `p` in the language of `t` (`None`: no translation at all), field by field; `standard` is the
/// standard catalogue (a tenant's edited text has no translation).
pub fn procedure(
    p: &Procedure,
    standard: &Catalog,
    t: Option<&Translations>,
) -> TranslatedProcedure {
    let s = standard.procedures.iter().find(|s| s.code == p.code);
    let pt = t.and_then(|t| t.procedures.get(&p.code));
    let mut japanese = Vec::new();
    let name = pick(
        "name",
        &p.name,
        s.map(|s| &s.name),
        pt.and_then(|x| x.name.as_ref()),
        &mut japanese,
    );
    let department = pick(
        "department",
        &p.department,
        s.map(|s| &s.department),
        pt.and_then(|x| x.department.as_ref()),
        &mut japanese,
    );
    let counter = pick(
        "counter",
        &p.counter,
        s.map(|s| &s.counter),
        pt.and_then(|x| x.counter.as_ref()),
        &mut japanese,
    );
    let explanation = pick(
        "explanation",
        &p.explanation,
        s.map(|s| &s.explanation),
        pt.and_then(|x| x.explanation.as_ref()),
        &mut japanese,
    );
    let bring = if p.bring.is_empty() {
        Vec::new()
    } else {
        let translated = pt
            .and_then(|x| x.bring.as_ref())
            .filter(|b| b.len() == p.bring.len());
        pick(
            "bring",
            &p.bring,
            s.map(|s| &s.bring),
            translated,
            &mut japanese,
        )
    };
    TranslatedProcedure {
        name,
        department,
        counter,
        explanation,
        bring,
        japanese,
    }
}

/// `q` in the language of `t`, as [`procedure`] does.
pub fn question(q: &Question, standard: &Catalog, t: Option<&Translations>) -> TranslatedQuestion {
    let s = standard.questions.iter().find(|s| s.id == q.id);
    let qt = t.and_then(|t| t.questions.get(&q.id));
    let mut japanese = Vec::new();
    let text = pick(
        "text",
        &q.text,
        s.map(|s| &s.text),
        qt.and_then(|x| x.text.as_ref()),
        &mut japanese,
    );
    let options = if q.options.is_empty() {
        Vec::new()
    } else {
        let translated = qt
            .and_then(|x| x.options.as_ref())
            .filter(|o| o.len() == q.options.len());
        pick(
            "options",
            &q.options,
            s.map(|s| &s.options),
            translated,
            &mut japanese,
        )
    };
    TranslatedQuestion {
        text,
        options,
        japanese,
    }
}

/// Every text of `catalog` that a resident would see in Japanese in `lang` (the check): one line per
/// procedure or question, `procedure JUKI-TENNYU: name, bring, reasons` (`reasons`: one of its rules'
/// reasons at least).
pub fn missing(catalog: &Catalog, standard: &Catalog, t: Option<&Translations>) -> Vec<String> {
    let procedures = catalog.procedures.iter().filter_map(|p| {
        let mut j = procedure(p, standard, t).japanese;
        if p.reasons().any(|r| reason(r, standard, t).is_none()) {
            j.push("reasons");
        }
        (!j.is_empty()).then(|| format!("procedure {}: {}", p.code, j.join(", ")))
    });
    let questions = catalog.questions.iter().filter_map(|q| {
        let j = question(q, standard, t).japanese;
        (!j.is_empty()).then(|| format!("question {}: {}", q.id, j.join(", ")))
    });
    procedures.chain(questions).collect()
}

#[cfg(test)]
mod tests;
