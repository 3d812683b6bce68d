//! The 交付請求書's data: every certificate line of a case (what, for whom, which 記載事項, how many,
//! the fee and the 使用目的), and the tick boxes of the form's 記載事項 ticked when any line asks for
//! the item.

use serde_json::{Value, json};

use super::{CaseDocument, CertificateLine};
use crate::certificate::{Item, Scope, items};

/// Whom a line is about, as the form prints it: the visitor, a member of a 届出 of the case by 宛名番号,
/// or 「同一世帯の方」 (a household member the case does not name).
fn subject_name(doc: &CaseDocument, line: &CertificateLine) -> String {
    let visitor = doc.visitor.atena_no.as_deref();
    match line.subject.as_deref() {
        None => doc.visitor.name.clone(),
        Some(id) if Some(id) == visitor => doc.visitor.name.clone(),
        Some(id) => doc
            .notifications
            .iter()
            .flat_map(|n| &n.members)
            .find(|m| m.atena_no.as_deref() == Some(id))
            .map_or_else(|| "同一世帯の方".to_owned(), |m| m.name.clone()),
    }
}

/// A 住民票 line's 記載事項 as printed: 「続柄・本籍・筆頭者」, or 「省略」 when none is asked for.
fn items_text(line: &CertificateLine) -> String {
    let asked = items(line.items.as_deref()).unwrap_or_default();
    if asked.is_empty() {
        return "省略".into();
    }
    asked
        .iter()
        .map(|i| i.label_ja())
        .collect::<Vec<_>>()
        .join("・")
}

fn is_juminhyo(line: &CertificateLine) -> bool {
    matches!(line.item.as_str(), "JUMINHYO" | "KISAI-JIKOU")
}

/// One row of the form's table of lines.
fn row(doc: &CaseDocument, line: &CertificateLine) -> Value {
    let juminhyo = is_juminhyo(line);
    let scope = if line.item == "JUMINHYO" {
        Scope::parse(line.scope.as_deref()).map_or("", Scope::label_ja)
    } else {
        ""
    };
    let year = line.year.map(crate::wareki::nendo_ja);
    json!({
        "name": line.name,
        "person": subject_name(doc, line),
        "scope": scope,
        "items": if juminhyo { items_text(line) } else { year.unwrap_or_default() },
        "copies": line.copies,
        "fee": line.yen,
        "purpose": line.purpose.clone().unwrap_or_default(),
    })
}

/// The `request` object of the template data, `None` without certificate lines.
///
/// ```
/// use madoguchi_core::case_document::{CaseDocument, certificate_request};
/// let doc: CaseDocument = serde_json::from_value(serde_json::json!({
///     "visitor": {"kind": "本人", "name": "山田　太郎", "atena_no": "000000000000001"},
///     "certificates": [
///         {"item": "JUMINHYO", "copies": 2, "scope": "本人のみ", "items": ["relation", "honseki"],
///          "purpose": "年金の手続き", "name": "住民票の写し", "yen": 600},
///         {"item": "INKAN-SHOMEI", "copies": 1, "name": "印鑑登録証明書", "yen": 300}],
///     "fee_total": 900,
/// })).unwrap();
/// let r = certificate_request(&doc, chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap()).unwrap();
/// assert_eq!(r["lines"][0]["items"], "続柄・本籍・筆頭者");
/// assert_eq!(r["lines"][0]["person"], "山田　太郎");
/// assert_eq!(r["lines"][0]["scope"], "本人のみ");
/// assert_eq!(r["include"]["honseki"], true);
/// assert_eq!(r["include"]["juminhyo_code"], false);
/// assert_eq!(r["copies"], 3);
/// assert_eq!(r["purpose"], "年金の手続き");
/// assert_eq!(r["scope"], "一部");
/// ```
pub fn certificate_request(doc: &CaseDocument, today: chrono::NaiveDate) -> Option<Value> {
    let first = doc.certificates.first()?;
    let asked = |item: Item| {
        doc.certificates
            .iter()
            .filter(|c| is_juminhyo(c))
            .any(|c| items(c.items.as_deref()).is_ok_and(|i| i.contains(&item)))
    };
    let juminhyo = doc.certificates.iter().find(|c| c.item == "JUMINHYO");
    // The form's 世帯全員 / 世帯の一部 boxes: the first 住民票の写し line's scope.
    let scope = juminhyo.map(|c| match Scope::parse(c.scope.as_deref()) {
        Some(Scope::Person) => "一部",
        _ => "世帯全員",
    });
    let mut persons: Vec<String> = Vec::new();
    for c in &doc.certificates {
        let name = subject_name(doc, c);
        if !persons.contains(&name) {
            persons.push(name);
        }
    }
    let purposes: Vec<&str> = doc
        .certificates
        .iter()
        .filter_map(|c| c.purpose.as_deref().filter(|p| !p.trim().is_empty()))
        .collect();
    let mut distinct: Vec<&str> = Vec::new();
    for p in purposes {
        if !distinct.contains(&p) {
            distinct.push(p);
        }
    }
    Some(json!({
        "date": today.to_string(),
        "certificate": first.name,
        "scope": scope.unwrap_or(""),
        "persons": persons.join("、"),
        "include": {
            "head_relation": asked(Item::Relation),
            "honseki": asked(Item::Honseki),
            "juminhyo_code": asked(Item::JuminhyoCode),
            "previous_address": asked(Item::PreviousAddress),
            "my_number": false,
        },
        "lines": doc.certificates.iter().map(|c| row(doc, c)).collect::<Vec<_>>(),
        "copies": doc.certificates.iter().map(|c| c.copies).sum::<u32>(),
        "id_document": doc.visitor.id_document,
        "fee": doc.fee_total,
        "purpose": distinct.join("、"),
    }))
}
