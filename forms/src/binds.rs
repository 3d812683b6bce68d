//! Binds a template's data never has: a path checked against the form's sample data (`examples`), so
//! that a typo (`applicant.nmae`) is refused before a form silently prints nothing there.

use serde_json::Value;

use crate::data::Path as DataPath;
use crate::template::{Element, Template};

/// A bind whose path is not in the data, with the element it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownBind {
    /// The element, e.g. `3番目の要素（field「氏名」）`.
    pub element: String,
    pub bind: String,
}

impl std::fmt::Display for UnknownBind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}の bind「{}」は、この様式のデータにありません。",
            self.element, self.bind
        )
    }
}

/// Every bind of `t` that resolves to nothing in `data` (inside `rows`: in none of the list's items).
/// `$page`/`$pages` always resolve.
pub fn unknown_binds(t: &Template, data: &Value) -> Vec<UnknownBind> {
    let mut out = Vec::new();
    for (i, e) in t.elements.iter().enumerate() {
        let name = describe(i, e);
        check(e, &[data], &name, &mut out);
        if let Element::Rows { bind, elements, .. } = e {
            let items: Vec<&Value> = lookup(bind, data)
                .and_then(Value::as_array)
                .map(|a| a.iter().collect())
                .unwrap_or_default();
            if items.is_empty() {
                continue;
            }
            for (j, inner) in elements.iter().enumerate() {
                let inner_name = format!("{name}の中の{}", describe(j, inner));
                check(inner, &items, &inner_name, &mut out);
            }
        }
    }
    out
}

fn lookup<'a>(bind: &str, data: &'a Value) -> Option<&'a Value> {
    DataPath::parse(bind).ok()?.lookup(data)
}

/// Reports each bind of `e` found in none of `scopes`.
fn check(e: &Element, scopes: &[&Value], name: &str, out: &mut Vec<UnknownBind>) {
    for bind in binds(e) {
        if bind.trim_start().starts_with('$') {
            continue;
        }
        if !scopes.iter().any(|s| lookup(bind, s).is_some()) {
            out.push(UnknownBind {
                element: name.to_owned(),
                bind: bind.to_owned(),
            });
        }
    }
}

/// The binds of one element (not those inside `rows`).
fn binds(e: &Element) -> Vec<&str> {
    match e {
        Element::Line { .. } | Element::Rect { .. } => vec![],
        Element::Text { bind, .. } | Element::Pattern { bind, .. } => {
            bind.as_deref().into_iter().collect()
        }
        Element::Image {
            bind,
            size_w_bind,
            size_h_bind,
            ..
        } => std::iter::once(bind.as_str())
            .chain(size_w_bind.as_deref())
            .chain(size_h_bind.as_deref())
            .collect(),
        Element::Field { bind, .. }
        | Element::Boxes { bind, .. }
        | Element::Check { bind, .. }
        | Element::Choice { bind, .. }
        | Element::Strokes { bind, .. }
        | Element::Qr { bind, .. }
        | Element::Rows { bind, .. } => vec![bind.as_str()],
    }
}

/// `3番目の要素（field「氏名」）`: position from 1, kind and label (or fixed text) when it has one.
pub fn describe(index: usize, e: &Element) -> String {
    let (kind, label) = match e {
        Element::Line { .. } => ("line", None),
        Element::Rect { .. } => ("rect", None),
        Element::Text { text, .. } => ("text", text.as_deref()),
        Element::Field { label, .. } => ("field", Some(label.as_str())),
        Element::Boxes { .. } => ("boxes", None),
        Element::Check { label, .. } => ("check", label.as_deref()),
        Element::Choice { .. } => ("choice", None),
        Element::Strokes { .. } => ("strokes", None),
        Element::Image { .. } => ("image", None),
        Element::Qr { .. } => ("qr", None),
        Element::Pattern { .. } => ("pattern", None),
        Element::Rows { .. } => ("rows", None),
    };
    match label {
        Some(l) if !l.is_empty() => format!("{}番目の要素（{kind}「{l}」）", index + 1),
        _ => format!("{}番目の要素（{kind}）", index + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::STANDARD;

    #[test]
    fn standard_templates_bind_only_what_their_examples_have() {
        for (name, source) in STANDARD {
            let t = Template::parse(source).expect("parses");
            let data = crate::examples::example(&t.id).expect("example");
            assert_eq!(unknown_binds(&t, &data), [], "{name}");
        }
    }

    #[test]
    fn a_typo_names_the_element_and_the_bind() {
        let source =
            STANDARD[0]
                .1
                .replacen("bind = \"applicant.name\"", "bind = \"applicant.nmae\"", 1);
        let t = Template::parse(&source).expect("parses");
        let data = crate::examples::example(&t.id).expect("example");
        let unknown = unknown_binds(&t, &data);
        assert_eq!(unknown.len(), 1, "{unknown:?}");
        let message = unknown[0].to_string();
        assert!(
            message.contains("番目の要素") && message.contains("applicant.nmae"),
            "{message}"
        );
    }
}
