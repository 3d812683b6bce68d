//! 手続きナビ without the server: the same evaluation the server runs (`core::navigation` with the
//! standard catalogue and the city's own rule file from the reference cache), answering the same JSON as
//! `POST /api/v1/navigation/evaluate`, so that the kiosk's touch questions go on while the server is
//! unreachable. A test compares both answers for the same request.

use std::collections::BTreeMap;

use madoguchi_core::navigation::{self, Answer, Catalog, Input, MemberInput, QuestionKind};
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EvaluateRequest {
    event: String,
    #[serde(default)]
    detail: String,
    event_date: String,
    #[serde(default)]
    household_before: Vec<MemberInput>,
    #[serde(default)]
    household_after: Vec<MemberInput>,
    #[serde(default)]
    answers: BTreeMap<String, Answer>,
}

/// The catalogue: the standard files plus the city's rule file when the cache holds one.
pub fn catalog(local_rules: Option<&str>) -> Result<Catalog, String> {
    let mut files: Vec<(&str, &str)> = navigation::STANDARD_FILES.to_vec();
    if let Some(text) = local_rules {
        files.push(("local.toml", text));
    }
    Catalog::load(&files).map_err(|e| e.to_string())
}

/// Evaluates a request body; `Err` is a Japanese reason (the server's wording).
pub fn evaluate(catalog: &Catalog, body: &Value) -> Result<Value, String> {
    let req: EvaluateRequest = serde_json::from_value(body.clone())
        .map_err(|_| "手続きナビへの入力が正しくありません。".to_owned())?;
    let date = madoguchi_core::wareki::parse_date(&req.event_date).map_err(|e| e.message_ja())?;
    let input = Input {
        event: req.event,
        detail: req.detail,
        date,
        before: req.household_before,
        after: req.household_after,
        answers: req.answers,
    };
    catalog.check_input(&input).map_err(|e| e.message_ja())?;
    let out = navigation::evaluate(catalog, &input);
    let procedures: Vec<Value> = out
        .procedures
        .into_iter()
        .map(|n| {
            let p = n.procedure;
            json!({
                "code": p.code, "name": p.name, "department": p.department, "counter": p.counter,
                "on_the_spot": p.on_the_spot, "reasons": n.reasons, "forms": p.forms, "bring": p.bring,
                "explanation": p.explanation, "guidance": p.guidance, "legal_basis": p.legal_basis,
                "pamphlets": p.pamphlets, "questions": p.questions(), "permission": p.permission,
                "valid_from": p.valid_from, "valid_until": p.valid_until,
            })
        })
        .collect();
    let next_questions: Vec<Value> = out
        .next_questions
        .into_iter()
        .map(|q| {
            json!({
                "id": q.id, "text": q.text,
                "kind": match q.kind { QuestionKind::YesNo => "yes_no", QuestionKind::Choice => "choice" },
                "options": q.options,
            })
        })
        .collect();
    Ok(json!({ "procedures": procedures, "next_questions": next_questions }))
}
