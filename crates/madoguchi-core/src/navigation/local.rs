//! A city's own procedures as the admin screen edits them: the city's catalogue file as data
//! ([`LocalCatalog`], the same format as `data/procedures/*.toml`), checked field by field as it is typed
//! ([`check`]), compared with what is in force ([`diff`]), and published from a date ([`publish`]).
//!
//! Publishing never rewrites the past: a procedure changed from a date keeps its earlier version until
//! the day before (the loader accepts versions of one code whose periods do not overlap), so a case
//! evaluated for an earlier event date finds what was in force then — on the server and on a terminal
//! offline alike, since both read the one published file.
//!
//! ```
//! use chrono::NaiveDate;
//! use madoguchi_core::navigation::local::{LocalCatalog, publish, draft_of};
//! let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
//! let mut draft = LocalCatalog::from_toml(r#"
//! [[procedures]]
//! code = "SAKURA-GOMI"
//! name = "ごみ収集カレンダーの配布"
//! department = "環境課"
//! counter = "市民課"
//! on_the_spot = true
//! guidance = ""
//! legal_basis = ""
//! explanation = "ごみの出し方の案内をお渡しします。"
//! permission = "accept_notification"
//! valid_from = "2000-01-01"
//! [[procedures.rules]]
//! when = 'event.kind == "転入"'
//! reason = "転入されたため"
//! "#).unwrap();
//! let published = publish(&LocalCatalog::default(), &draft, d("2026-12-08"));
//! assert_eq!(published.procedures[0].valid_from, d("2026-12-08"));
//! // A change from a later date closes the first version the day before.
//! draft.procedures[0].name = "ごみ分別アプリの案内".into();
//! let again = publish(&published, &draft, d("2027-01-01"));
//! assert_eq!(again.procedures.len(), 2);
//! assert_eq!(again.procedures[0].valid_until, Some(d("2027-01-01")));
//! assert_eq!(draft_of(&again, d("2026-12-20")).procedures[0].name, "ごみ分別アプリの案内");
//! ```

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::expr::{self, Type};
use super::{Answer, Catalog, EVENTS, Input, MemberInput, Question, QuestionKind, STANDARD_FILES};
use crate::permission::Permission;

/// The city's catalogue file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LocalCatalog {
    #[serde(default)]
    pub questions: Vec<Question>,
    #[serde(default)]
    pub procedures: Vec<LocalProcedure>,
    #[serde(default)]
    pub examples: Vec<LocalExample>,
}

/// One procedure (one version of it) as written in a catalogue file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LocalProcedure {
    pub code: String,
    pub name: String,
    pub department: String,
    pub counter: String,
    pub on_the_spot: bool,
    pub guidance: String,
    pub legal_basis: String,
    pub explanation: String,
    #[serde(default)]
    pub bring: Vec<String>,
    #[serde(default)]
    pub forms: Vec<String>,
    #[serde(default)]
    pub pamphlets: Vec<String>,
    pub permission: String,
    /// 施行日.
    pub valid_from: NaiveDate,
    /// 廃止日: the first day it no longer applies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<NaiveDate>,
    pub rules: Vec<LocalRule>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LocalRule {
    /// The condition (`docs` of [`super::expr`]).
    pub when: String,
    /// Shown with the procedure when the condition holds.
    pub reason: String,
}

/// An example case: a household and an event, and the procedures it must (not) find.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LocalExample {
    pub name: String,
    pub event: String,
    #[serde(default)]
    pub detail: String,
    pub date: NaiveDate,
    #[serde(default)]
    pub expect: Vec<String>,
    #[serde(default)]
    pub expect_not: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expect_questions: Option<Vec<String>>,
    #[serde(default)]
    pub answers: BTreeMap<String, Answer>,
    #[serde(default)]
    pub before: Vec<MemberInput>,
    #[serde(default)]
    pub after: Vec<MemberInput>,
}

/// The file name the city's catalogue loads under.
pub const FILE: &str = "local.toml";

impl LocalCatalog {
    pub fn from_toml(text: &str) -> Result<LocalCatalog, String> {
        toml::from_str(text).map_err(|e| e.message().to_owned())
    }

    pub fn to_toml(&self) -> String {
        toml::to_string(self).unwrap_or_default()
    }

    /// The standard catalogue with this file.
    pub fn load(&self) -> Result<Catalog, super::CatalogError> {
        let text = self.to_toml();
        let mut files: Vec<(&str, &str)> = STANDARD_FILES.to_vec();
        files.push((FILE, &text));
        Catalog::load(&files)
    }
}

/// Where a problem of a draft is: a procedure's field (its rule by index), a question, an example, or
/// the file as a whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DraftProblem {
    /// Index of the procedure in the draft.
    pub procedure: Option<usize>,
    /// Index of the rule in that procedure.
    pub rule: Option<usize>,
    pub question: Option<usize>,
    pub example: Option<usize>,
    /// The field (`code`, `when`, `permission`, `valid_until` …); empty for the whole file.
    pub field: String,
    /// Character offset in a rule's condition where it goes wrong.
    pub offset: Option<usize>,
    /// Why (Japanese).
    pub message: String,
}

/// What an example found against the draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExampleOutcome {
    pub name: String,
    pub passed: bool,
    /// Codes found.
    pub found: Vec<String>,
    /// Expected but not found.
    pub missing: Vec<String>,
    /// Found though `expect_not` names them.
    pub unexpected: Vec<String>,
}

/// The check of a draft.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DraftReport {
    pub problems: Vec<DraftProblem>,
    pub examples: Vec<ExampleOutcome>,
}

impl DraftReport {
    /// Publishable: no problem and every example holds.
    pub fn ok(&self) -> bool {
        self.problems.is_empty() && self.examples.iter().all(|e| e.passed)
    }
}

/// A problem of `field` (empty: the whole file), placed nowhere yet (set `procedure`, `rule` … on it).
pub fn problem(field: &str, message: String) -> DraftProblem {
    DraftProblem {
        procedure: None,
        rule: None,
        question: None,
        example: None,
        field: field.into(),
        offset: None,
        message,
    }
}

struct DraftScope<'a> {
    questions: BTreeMap<&'a str, Type>,
    codes: BTreeSet<&'a str>,
}

impl expr::Scope for DraftScope<'_> {
    fn question(&self, id: &str) -> Option<Type> {
        self.questions.get(id).copied()
    }
    fn procedure_exists(&self, code: &str) -> bool {
        self.codes.contains(code)
    }
}

/// Checks a draft against the standard catalogue: every field of every procedure (each rule parsed and
/// typed, with the offset of an error), the questions and examples, then the whole file loaded; and, when
/// it loads, runs the examples.
pub fn check(draft: &LocalCatalog, standard: &Catalog) -> DraftReport {
    let mut problems = Vec::new();
    let standard_codes: BTreeSet<&str> = standard
        .procedures
        .iter()
        .map(|p| p.code.as_str())
        .collect();
    let mut scope = DraftScope {
        questions: BTreeMap::new(),
        codes: standard_codes.clone(),
    };
    for q in standard.questions.iter().chain(&draft.questions) {
        let t = match q.kind {
            QuestionKind::YesNo => Type::Bool,
            QuestionKind::Choice => Type::Str,
        };
        scope.questions.insert(q.id.as_str(), t);
    }
    problems.extend(check_questions(draft, standard));
    let mut seen = BTreeSet::new();
    for (i, p) in draft.procedures.iter().enumerate() {
        let at = |field: &str, message: String| DraftProblem {
            procedure: Some(i),
            ..problem(field, message)
        };
        if !valid_code(&p.code) {
            problems.push(at(
                "code",
                "コードは英大文字・数字・ハイフンで入力してください（例: SAKURA-GOMI）。".into(),
            ));
        } else if standard_codes.contains(p.code.as_str()) {
            problems.push(at(
                "code",
                format!("コード「{}」は標準の手続きで使われています。", p.code),
            ));
        } else if !seen.insert(p.code.as_str()) {
            problems.push(at(
                "code",
                format!("コード「{}」が重複しています。", p.code),
            ));
        }
        scope.codes.insert(p.code.as_str());
    }
    for (i, p) in draft.procedures.iter().enumerate() {
        problems.extend(check_procedure(i, p, &scope));
    }
    for (i, e) in draft.examples.iter().enumerate() {
        if !EVENTS.contains(&e.event.as_str()) {
            problems.push(DraftProblem {
                example: Some(i),
                ..problem(
                    "event",
                    format!(
                        "届出の種類は {} のどれかにしてください。",
                        EVENTS.join("・")
                    ),
                )
            });
        }
    }
    if !problems.is_empty() {
        return DraftReport {
            problems,
            examples: Vec::new(),
        };
    }
    match draft.load() {
        Err(e) => DraftReport {
            problems: vec![problem("", e.reason)],
            examples: Vec::new(),
        },
        Ok(catalog) => DraftReport {
            problems,
            examples: draft
                .examples
                .iter()
                .map(|e| run_example(&catalog, e))
                .collect(),
        },
    }
}

fn valid_code(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= 40
        && code
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
}

fn check_questions(draft: &LocalCatalog, standard: &Catalog) -> Vec<DraftProblem> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for (i, q) in draft.questions.iter().enumerate() {
        let at = |field: &str, message: String| DraftProblem {
            question: Some(i),
            ..problem(field, message)
        };
        if q.id.is_empty()
            || !q
                .id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            out.push(at(
                "id",
                "質問のIDは英小文字・数字・_ で入力してください（例: has_bicycle）。".into(),
            ));
        } else if standard.questions.iter().any(|s| s.id == q.id) || !seen.insert(q.id.as_str()) {
            out.push(at("id", format!("質問「{}」が重複しています。", q.id)));
        }
        if q.text.trim().is_empty() {
            out.push(at("text", "質問の文を入力してください。".into()));
        }
        if (q.kind == QuestionKind::Choice) == q.options.is_empty() {
            out.push(at(
                "options",
                "選択肢の質問には選択肢が必要で、はい・いいえの質問には不要です。".into(),
            ));
        }
    }
    out
}

fn check_procedure(i: usize, p: &LocalProcedure, scope: &DraftScope<'_>) -> Vec<DraftProblem> {
    let mut out = Vec::new();
    let at = |field: &str, message: String| DraftProblem {
        procedure: Some(i),
        ..problem(field, message)
    };
    for (field, value, label) in [
        ("name", &p.name, "手続きの名前"),
        ("department", &p.department, "担当課"),
        ("counter", &p.counter, "窓口"),
    ] {
        if value.trim().is_empty() {
            out.push(at(field, format!("{label}を入力してください。")));
        }
    }
    if Permission::from_code(&p.permission).is_none() {
        out.push(at(
            "permission",
            format!("権限「{}」はありません。", p.permission),
        ));
    }
    if p.valid_until.is_some_and(|u| u <= p.valid_from) {
        out.push(at(
            "valid_until",
            "廃止日は施行日より後の日にしてください。".into(),
        ));
    }
    if p.rules.is_empty() {
        out.push(at("rules", "条件を1つ以上入力してください。".into()));
    }
    for (r, rule) in p.rules.iter().enumerate() {
        if let Err(e) = expr::parse(&rule.when, scope) {
            out.push(DraftProblem {
                rule: Some(r),
                offset: Some(e.offset),
                ..at("when", e.reason)
            });
        }
        if rule.reason.trim().is_empty() {
            out.push(DraftProblem {
                rule: Some(r),
                ..at("reason", "条件に当てはまる理由を入力してください。".into())
            });
        }
    }
    out
}

/// Runs one example against a catalogue.
pub fn run_example(catalog: &Catalog, e: &LocalExample) -> ExampleOutcome {
    let input = Input {
        event: e.event.clone(),
        detail: e.detail.clone(),
        date: e.date,
        before: e.before.clone(),
        after: e.after.clone(),
        answers: e.answers.clone(),
    };
    let found: Vec<String> = match catalog.check_input(&input) {
        Err(_) => Vec::new(),
        Ok(()) => super::evaluate(catalog, &input)
            .procedures
            .iter()
            .map(|n| n.procedure.code.clone())
            .collect(),
    };
    let missing: Vec<String> = e
        .expect
        .iter()
        .filter(|c| !found.contains(c))
        .cloned()
        .collect();
    let unexpected: Vec<String> = e
        .expect_not
        .iter()
        .filter(|c| found.contains(c))
        .cloned()
        .collect();
    ExampleOutcome {
        name: e.name.clone(),
        passed: missing.is_empty() && unexpected.is_empty(),
        found,
        missing,
        unexpected,
    }
}

/// Whether two versions say the same (everything but their period).
fn same_content(a: &LocalProcedure, b: &LocalProcedure) -> bool {
    let strip = |p: &LocalProcedure| LocalProcedure {
        valid_from: NaiveDate::MIN,
        valid_until: None,
        ..p.clone()
    };
    strip(a) == strip(b)
}

/// The editable view of a published file on `today`: per code its latest version that has not ended,
/// with the file's questions and examples.
pub fn draft_of(published: &LocalCatalog, today: NaiveDate) -> LocalCatalog {
    let mut latest: BTreeMap<&str, &LocalProcedure> = BTreeMap::new();
    for p in &published.procedures {
        if p.valid_until.is_some_and(|u| u <= today) {
            continue;
        }
        let newer = latest
            .get(p.code.as_str())
            .is_none_or(|q| q.valid_from < p.valid_from);
        if newer {
            latest.insert(p.code.as_str(), p);
        }
    }
    let mut order: Vec<&str> = Vec::new();
    for p in &published.procedures {
        if latest.contains_key(p.code.as_str()) && !order.contains(&p.code.as_str()) {
            order.push(p.code.as_str());
        }
    }
    LocalCatalog {
        questions: published.questions.clone(),
        procedures: order.iter().map(|c| latest[c].clone()).collect(),
        examples: published.examples.clone(),
    }
}

/// The published file after publishing `draft` from `from`: versions that would start on or after
/// `from` are replaced; a procedure unchanged keeps its version; a changed one ends its version the day
/// before `from` and starts the draft's from `from` (or its own later 施行日); one the draft no longer has
/// ends at `from`. Questions are the draft's plus those an earlier version still uses; examples are the
/// draft's.
pub fn publish(published: &LocalCatalog, draft: &LocalCatalog, from: NaiveDate) -> LocalCatalog {
    let mut kept: Vec<LocalProcedure> = published
        .procedures
        .iter()
        .filter(|p| p.valid_from < from)
        .cloned()
        .collect();
    let drafted: BTreeSet<&str> = draft.procedures.iter().map(|p| p.code.as_str()).collect();
    let mut added = Vec::new();
    for d in &draft.procedures {
        let current = kept
            .iter_mut()
            .filter(|p| p.code == d.code)
            .max_by_key(|p| p.valid_from);
        match current {
            Some(c) if same_content(c, d) && c.valid_until.is_none_or(|u| u >= from) => {
                c.valid_until = d.valid_until;
            }
            Some(c) => {
                c.valid_until = Some(c.valid_until.map_or(from, |u| u.min(from)));
                added.push(starting(d, from));
            }
            None => added.push(starting(d, from)),
        }
    }
    for p in kept
        .iter_mut()
        .filter(|p| !drafted.contains(p.code.as_str()))
    {
        p.valid_until = Some(p.valid_until.map_or(from, |u| u.min(from)));
    }
    kept.extend(added);
    let mut questions = draft.questions.clone();
    for q in &published.questions {
        let used = kept.iter().any(|p| {
            p.rules
                .iter()
                .any(|r| r.when.contains(&format!("\"{}\"", q.id)))
        });
        if used && !questions.iter().any(|x| x.id == q.id) {
            questions.push(q.clone());
        }
    }
    LocalCatalog {
        questions,
        procedures: kept,
        examples: draft.examples.clone(),
    }
}

fn starting(d: &LocalProcedure, from: NaiveDate) -> LocalProcedure {
    LocalProcedure {
        valid_from: d.valid_from.max(from),
        ..d.clone()
    }
}

/// One line of the difference between the version in force and the draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DiffLine {
    pub code: String,
    pub name: String,
    /// `added`, `removed` or `changed`.
    pub change: String,
    /// For `changed`: the field (`name`, `rules`, …).
    pub field: String,
    pub before: String,
    pub after: String,
}

/// What publishing the draft would change against what is in force on `today`.
pub fn diff(published: &LocalCatalog, draft: &LocalCatalog, today: NaiveDate) -> Vec<DiffLine> {
    let in_force: Vec<&LocalProcedure> = published
        .procedures
        .iter()
        .filter(|p| today >= p.valid_from && p.valid_until.is_none_or(|u| today < u))
        .collect();
    let mut out = Vec::new();
    let line =
        |p: &LocalProcedure, change: &str, field: &str, before: String, after: String| DiffLine {
            code: p.code.clone(),
            name: p.name.clone(),
            change: change.into(),
            field: field.into(),
            before,
            after,
        };
    for d in &draft.procedures {
        match in_force.iter().find(|p| p.code == d.code) {
            None => out.push(line(d, "added", "", String::new(), String::new())),
            Some(p) => {
                for (field, before, after) in fields(p)
                    .into_iter()
                    .zip(fields(d))
                    .filter_map(|((f, b), (_, a))| (b != a).then_some((f, b, a)))
                {
                    out.push(line(d, "changed", field, before, after));
                }
            }
        }
    }
    for p in in_force
        .iter()
        .filter(|p| !draft.procedures.iter().any(|d| d.code == p.code))
    {
        out.push(line(p, "removed", "", String::new(), String::new()));
    }
    out
}

/// A procedure's fields as text, for comparing.
fn fields(p: &LocalProcedure) -> Vec<(&'static str, String)> {
    let list = |v: &[String]| v.join("\n");
    vec![
        ("name", p.name.clone()),
        ("department", p.department.clone()),
        ("counter", p.counter.clone()),
        ("on_the_spot", p.on_the_spot.to_string()),
        ("guidance", p.guidance.clone()),
        ("legal_basis", p.legal_basis.clone()),
        ("explanation", p.explanation.clone()),
        ("bring", list(&p.bring)),
        ("forms", list(&p.forms)),
        ("pamphlets", list(&p.pamphlets)),
        ("permission", p.permission.clone()),
        (
            "valid_until",
            p.valid_until.map(|d| d.to_string()).unwrap_or_default(),
        ),
        (
            "rules",
            p.rules
                .iter()
                .map(|r| format!("{} — {}", r.when, r.reason))
                .collect::<Vec<_>>()
                .join("\n"),
        ),
    ]
}

#[cfg(test)]
mod tests;
