//! 手続きナビ: from a life event and the household before and after it, every procedure the household
//! needs, each with the reason it was added, and the questions whose answers could still add one.
//!
//! The catalogue is data (`crates/madoguchi-core/data/procedures/*.toml`): procedures, the questions they may ask, rules in
//! a small checked language ([`expr`]) and example cases that run as tests. Pure: the caller passes the
//! file texts and the event date.

pub mod expr;
pub mod i18n;
pub mod local;

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::age::{SchoolGrade, age_on, school_grade};
use expr::{Cmp, Expr, Rule, Set, Type};

/// The standard catalogue files, compiled in.
pub const STANDARD_FILES: &[(&str, &str)] = &[
    ("juki.toml", include_str!("../../data/procedures/juki.toml")),
    (
        "hoken.toml",
        include_str!("../../data/procedures/hoken.toml"),
    ),
    (
        "kosodate.toml",
        include_str!("../../data/procedures/kosodate.toml"),
    ),
    (
        "fukushi.toml",
        include_str!("../../data/procedures/fukushi.toml"),
    ),
    (
        "sonota.toml",
        include_str!("../../data/procedures/sonota.toml"),
    ),
    (
        "scenarios.toml",
        include_str!("../../data/procedures/scenarios.toml"),
    ),
];

/// A catalogue file that cannot be used: which file, where, and why (Japanese).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub reason: String,
}

impl std::fmt::Display for CatalogError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {}行{}列: {}",
            self.file, self.line, self.column, self.reason
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    YesNo,
    Choice,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub id: String,
    /// Asked to the resident or staff (Japanese).
    pub text: String,
    pub kind: QuestionKind,
    #[serde(default)]
    pub options: Vec<String>,
}

/// An answer given: `true`/`false` for yes/no questions, the option text for choices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum Answer {
    YesNo(bool),
    Choice(String),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleDoc {
    when: toml::Spanned<String>,
    reason: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProcedureDoc {
    code: String,
    name: String,
    department: String,
    counter: String,
    on_the_spot: bool,
    guidance: String,
    legal_basis: String,
    explanation: String,
    #[serde(default)]
    bring: Vec<String>,
    #[serde(default)]
    forms: Vec<String>,
    #[serde(default)]
    pamphlets: Vec<String>,
    permission: String,
    valid_from: NaiveDate,
    #[serde(default)]
    valid_until: Option<NaiveDate>,
    rules: Vec<RuleDoc>,
}

/// A household member as the counter knows them (and as an example or the API describes them).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MemberInput {
    /// ISO date.
    pub birth: NaiveDate,
    #[serde(default)]
    pub sex: String,
    /// 続柄 (世帯主, 妻, 子 …).
    #[serde(default)]
    pub relation: String,
    /// Subject of the event (who moves, is born, dies, marries): marked in the household after the event,
    /// or in the household before it when the event takes them out (転出, 死亡).
    #[serde(default)]
    pub mover: bool,
    #[serde(default)]
    pub foreign: bool,
    /// In 国民健康保険.
    #[serde(default)]
    pub kokuho: bool,
    /// In 後期高齢者医療.
    #[serde(default)]
    pub kouki: bool,
    /// 介護保険 被保険者 (65+).
    #[serde(default)]
    pub kaigo: bool,
    /// 国民年金: `1号`, `2号`, `3号`, `受給`, or empty.
    #[serde(default)]
    pub pension: String,
    /// Receives 児童手当.
    #[serde(default)]
    pub jidou_teate: bool,
    #[serde(default)]
    pub pregnant: bool,
    #[serde(default)]
    pub name_changed: bool,
    #[serde(default)]
    pub mynumber_card: bool,
    /// Has a registered seal (印鑑登録).
    #[serde(default)]
    pub inkan: bool,
    /// 手帳: `身体`, `療育`, `精神`.
    #[serde(default)]
    pub techou: Vec<String>,
}

/// What the engine is asked.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Input {
    /// 転入, 転出, 転居, 世帯変更, 出生, 死亡, 婚姻, 離婚, or 個別 (no event).
    pub event: String,
    /// 国内 / 国外 for 転入 and 転出; 分離 / 合併 / 世帯主変更 for 世帯変更.
    #[serde(default)]
    pub detail: String,
    pub date: NaiveDate,
    #[serde(default)]
    pub before: Vec<MemberInput>,
    #[serde(default)]
    pub after: Vec<MemberInput>,
    #[serde(default)]
    pub answers: BTreeMap<String, Answer>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExampleDoc {
    name: String,
    event: String,
    #[serde(default)]
    detail: String,
    date: NaiveDate,
    #[serde(default)]
    before: Vec<MemberInput>,
    #[serde(default)]
    after: Vec<MemberInput>,
    #[serde(default)]
    answers: BTreeMap<String, Answer>,
    #[serde(default)]
    expect: Vec<String>,
    #[serde(default)]
    expect_not: Vec<String>,
    #[serde(default)]
    expect_questions: Option<Vec<String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDoc {
    #[serde(default)]
    questions: Vec<Question>,
    #[serde(default)]
    procedures: Vec<ProcedureDoc>,
    #[serde(default)]
    examples: Vec<ExampleDoc>,
}

pub const EVENTS: &[&str] = &[
    "転入",
    "転出",
    "転居",
    "世帯変更",
    "出生",
    "死亡",
    "婚姻",
    "離婚",
    "個別",
];

/// A procedure of the catalogue.
#[derive(Debug, Clone, PartialEq)]
pub struct Procedure {
    pub code: String,
    pub name: String,
    pub department: String,
    pub counter: String,
    /// Done at the counter that found it, or referred to `counter`.
    pub on_the_spot: bool,
    /// For staff.
    pub guidance: String,
    pub legal_basis: String,
    /// For the resident.
    pub explanation: String,
    pub bring: Vec<String>,
    /// Form template ids (`forms/templates`).
    pub forms: Vec<String>,
    pub pamphlets: Vec<String>,
    /// Permission code needed to accept it.
    pub permission: String,
    pub valid_from: NaiveDate,
    pub valid_until: Option<NaiveDate>,
    rules: Vec<(Rule, String)>,
}

impl Procedure {
    pub fn in_force_on(&self, d: NaiveDate) -> bool {
        d >= self.valid_from && self.valid_until.is_none_or(|u| d < u)
    }

    /// Ids of the questions its rules may ask.
    pub fn questions(&self) -> BTreeSet<&str> {
        self.rules
            .iter()
            .flat_map(|(r, _)| r.questions.iter().map(String::as_str))
            .collect()
    }

    /// The reasons of its rules (Japanese), in catalogue order.
    pub fn reasons(&self) -> impl Iterator<Item = &str> {
        self.rules.iter().map(|(_, reason)| reason.as_str())
    }
}

/// An example case of a catalogue file.
#[derive(Debug, Clone)]
pub struct Example {
    pub file: String,
    pub name: String,
    pub input: Input,
    pub expect: Vec<String>,
    pub expect_not: Vec<String>,
    pub expect_questions: Option<Vec<String>>,
}

/// The loaded catalogue, procedures in dependency order.
#[derive(Debug, Clone)]
pub struct Catalog {
    pub questions: Vec<Question>,
    pub procedures: Vec<Procedure>,
    pub examples: Vec<Example>,
    /// For each procedure, the rank of its counter (counters in order of first appearance).
    counter_rank: Vec<usize>,
}

struct ScopeImpl<'a> {
    questions: &'a [Question],
    codes: &'a BTreeSet<String>,
}

impl expr::Scope for ScopeImpl<'_> {
    fn question(&self, id: &str) -> Option<Type> {
        self.questions
            .iter()
            .find(|q| q.id == id)
            .map(|q| match q.kind {
                QuestionKind::YesNo => Type::Bool,
                QuestionKind::Choice => Type::Str,
            })
    }
    fn procedure_exists(&self, code: &str) -> bool {
        self.codes.contains(code)
    }
}

/// Why an evaluation request cannot be evaluated (the server answers it as a 400, a terminal offline the
/// same).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputError {
    UnknownEvent,
    UnknownQuestion(String),
    /// The answer does not fit the question (its text).
    InvalidAnswer(String),
}

impl InputError {
    /// Stable code for the API.
    pub fn code(&self) -> &'static str {
        match self {
            InputError::UnknownEvent => "invalid_event",
            InputError::UnknownQuestion(_) => "unknown_question",
            InputError::InvalidAnswer(_) => "invalid_answer",
        }
    }

    pub fn message_ja(&self) -> String {
        match self {
            InputError::UnknownEvent => format!(
                "届出の種類は {} のどれかにしてください。",
                EVENTS.join("・")
            ),
            InputError::UnknownQuestion(id) => format!("質問「{id}」はありません。"),
            InputError::InvalidAnswer(text) => {
                format!("質問「{text}」への回答の形式が正しくありません。")
            }
        }
    }
}

impl Catalog {
    /// Checks what a request asks before it is evaluated: a known event, and answers only to this
    /// catalogue's questions, each of the question's kind (a choice among its options).
    pub fn check_input(&self, input: &Input) -> Result<(), InputError> {
        if !EVENTS.contains(&input.event.as_str()) {
            return Err(InputError::UnknownEvent);
        }
        for (id, answer) in &input.answers {
            let Some(q) = self.questions.iter().find(|q| &q.id == id) else {
                return Err(InputError::UnknownQuestion(id.clone()));
            };
            let fits = match (q.kind, answer) {
                (QuestionKind::YesNo, Answer::YesNo(_)) => true,
                (QuestionKind::Choice, Answer::Choice(c)) => q.options.contains(c),
                _ => false,
            };
            if !fits {
                return Err(InputError::InvalidAnswer(q.text.clone()));
            }
        }
        Ok(())
    }

    /// The compiled-in standard catalogue.
    pub fn standard() -> Result<Catalog, CatalogError> {
        Catalog::load(STANDARD_FILES)
    }

    /// Loads catalogue files (name, text). Unknown fields, type errors in rules, unknown questions or
    /// procedures and cycles between procedures are refused with the file position.
    pub fn load(files: &[(&str, &str)]) -> Result<Catalog, CatalogError> {
        let mut docs = Vec::new();
        for (name, text) in files {
            let doc: FileDoc = toml::from_str(text).map_err(|e| {
                file_error(
                    name,
                    text,
                    e.span().map(|s| s.start),
                    format!("書式が正しくありません: {}", e.message()),
                )
            })?;
            docs.push((*name, *text, doc));
        }
        let (questions, codes) = declarations(&docs)?;
        let scope = ScopeImpl {
            questions: &questions,
            codes: &codes,
        };
        let mut procedures = Vec::new();
        let mut examples = Vec::new();
        for (name, text, doc) in docs {
            for p in doc.procedures {
                procedures.push(procedure(name, text, p, &scope)?);
            }
            for e in doc.examples {
                examples.push(example(name, text, e)?);
            }
        }
        let procedures = order(procedures).map_err(|cycle| CatalogError {
            file: String::new(),
            line: 0,
            column: 0,
            reason: format!("手続きの条件が循環しています: {}", cycle.join(" → ")),
        })?;
        let counter_rank = counter_ranks(&procedures);
        Ok(Catalog {
            questions,
            procedures,
            examples,
            counter_rank,
        })
    }

    /// The procedures in force on `date`.
    pub fn in_force(&self, date: NaiveDate) -> impl Iterator<Item = &Procedure> {
        self.procedures.iter().filter(move |p| p.in_force_on(date))
    }
}

/// An error at `byte` of `file` (line and column counted from the text), or in the file as a whole.
fn file_error(file: &str, text: &str, byte: Option<usize>, reason: String) -> CatalogError {
    let (line, column) = byte.map_or((0, 0), |b| crate::text::line_column(text, b));
    CatalogError {
        file: file.to_owned(),
        line,
        column,
        reason,
    }
}

/// The questions and procedure codes every file declares, each question once and each code once — or
/// as versions whose periods do not overlap (a city's change published from a date): rules may name any
/// of them, whichever file they are in.
fn declarations(
    docs: &[(&str, &str, FileDoc)],
) -> Result<(Vec<Question>, BTreeSet<String>), CatalogError> {
    let mut questions: Vec<Question> = Vec::new();
    let mut periods: BTreeMap<String, Vec<(NaiveDate, Option<NaiveDate>)>> = BTreeMap::new();
    for (name, text, doc) in docs {
        for q in &doc.questions {
            if questions.iter().any(|x| x.id == q.id) {
                return Err(file_error(
                    name,
                    text,
                    None,
                    format!("質問「{}」が重複しています。", q.id),
                ));
            }
            if (q.kind == QuestionKind::Choice) == q.options.is_empty() {
                return Err(file_error(
                    name,
                    text,
                    None,
                    format!(
                        "質問「{}」: choice には options が必要で、yes_no には不要です。",
                        q.id
                    ),
                ));
            }
            questions.push(q.clone());
        }
        for p in &doc.procedures {
            let period = (p.valid_from, p.valid_until);
            let versions = periods.entry(p.code.clone()).or_default();
            if versions.iter().any(|v| overlap(*v, period)) {
                return Err(file_error(
                    name,
                    text,
                    None,
                    format!(
                        "手続き「{}」が重複しています（同じコードの版は期間が重ならないようにしてください）。",
                        p.code
                    ),
                ));
            }
            versions.push(period);
        }
    }
    Ok((questions, periods.into_keys().collect()))
}

/// Whether two validity periods (from, first day no longer valid) share a day.
fn overlap(
    (a_from, a_until): (NaiveDate, Option<NaiveDate>),
    (b_from, b_until): (NaiveDate, Option<NaiveDate>),
) -> bool {
    a_until.is_none_or(|u| b_from < u) && b_until.is_none_or(|u| a_from < u)
}

/// A procedure of file `name`, its permission known and its rules parsed against `scope`.
fn procedure(
    name: &str,
    text: &str,
    p: ProcedureDoc,
    scope: &ScopeImpl<'_>,
) -> Result<Procedure, CatalogError> {
    if crate::permission::Permission::from_code(&p.permission).is_none() {
        return Err(file_error(
            name,
            text,
            None,
            format!(
                "手続き「{}」: 権限「{}」はありません。",
                p.code, p.permission
            ),
        ));
    }
    if p.rules.is_empty() {
        return Err(file_error(
            name,
            text,
            None,
            format!("手続き「{}」に rules がありません。", p.code),
        ));
    }
    let mut rules = Vec::new();
    for r in p.rules {
        let span = r.when.span();
        let src = r.when.into_inner();
        let rule = expr::parse(&src, scope).map_err(|e| {
            // The string's opening quote, then the offending character.
            let byte = src
                .char_indices()
                .nth(e.offset)
                .map_or(src.len(), |(b, _)| b);
            file_error(
                name,
                text,
                Some(span.start + 1 + byte),
                format!("手続き「{}」の条件: {}", p.code, e.reason),
            )
        })?;
        rules.push((rule, r.reason));
    }
    Ok(Procedure {
        code: p.code,
        name: p.name,
        department: p.department,
        counter: p.counter,
        on_the_spot: p.on_the_spot,
        guidance: p.guidance,
        legal_basis: p.legal_basis,
        explanation: p.explanation,
        bring: p.bring,
        forms: p.forms,
        pamphlets: p.pamphlets,
        permission: p.permission,
        valid_from: p.valid_from,
        valid_until: p.valid_until,
        rules,
    })
}

/// An example of file `name`, for the catalogue's executable examples.
fn example(name: &str, text: &str, e: ExampleDoc) -> Result<Example, CatalogError> {
    if !EVENTS.contains(&e.event.as_str()) {
        return Err(file_error(
            name,
            text,
            None,
            format!("例「{}」: 届出「{}」はありません。", e.name, e.event),
        ));
    }
    Ok(Example {
        file: name.to_owned(),
        name: e.name,
        input: Input {
            event: e.event,
            detail: e.detail,
            date: e.date,
            before: e.before,
            after: e.after,
            answers: e.answers,
        },
        expect: e.expect,
        expect_not: e.expect_not,
        expect_questions: e.expect_questions,
    })
}

/// Each procedure's counter as a rank: counters in the order their first procedure comes.
fn counter_ranks(procedures: &[Procedure]) -> Vec<usize> {
    let mut counters: Vec<&str> = Vec::new();
    procedures
        .iter()
        .map(|p| match counters.iter().position(|c| *c == p.counter) {
            Some(i) => i,
            None => {
                counters.push(&p.counter);
                counters.len() - 1
            }
        })
        .collect()
}

/// Orders procedures so that each comes after those its rules ask `selected(…)` of; a cycle is an error
/// naming it.
fn order(procs: Vec<Procedure>) -> Result<Vec<Procedure>, Vec<String>> {
    // Every version of a code, so that a rule asking `selected(code)` comes after all of them.
    let mut index: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, p) in procs.iter().enumerate() {
        index.entry(p.code.as_str()).or_default().push(i);
    }
    let deps: Vec<Vec<usize>> = procs
        .iter()
        .map(|p| {
            p.rules
                .iter()
                .flat_map(|(r, _)| r.selected.iter())
                .filter_map(|c| index.get(c.as_str()))
                .flatten()
                .copied()
                .collect()
        })
        .collect();
    // 0 unvisited, 1 on the stack, 2 done.
    let mut state = vec![0u8; procs.len()];
    let mut out = Vec::new();
    fn visit(
        i: usize,
        deps: &[Vec<usize>],
        state: &mut [u8],
        out: &mut Vec<usize>,
        stack: &mut Vec<usize>,
    ) -> Result<(), Vec<usize>> {
        match state[i] {
            2 => return Ok(()),
            1 => {
                let from = stack.iter().position(|s| *s == i).unwrap_or(0);
                let mut cycle = stack[from..].to_vec();
                cycle.push(i);
                return Err(cycle);
            }
            _ => {}
        }
        state[i] = 1;
        stack.push(i);
        for d in &deps[i] {
            visit(*d, deps, state, out, stack)?;
        }
        stack.pop();
        state[i] = 2;
        out.push(i);
        Ok(())
    }
    for i in 0..procs.len() {
        let mut stack = Vec::new();
        visit(i, &deps, &mut state, &mut out, &mut stack)
            .map_err(|c| c.iter().map(|i| procs[*i].code.clone()).collect::<Vec<_>>())?;
    }
    let mut slots: Vec<Option<Procedure>> = procs.into_iter().map(Some).collect();
    Ok(out.into_iter().filter_map(|i| slots[i].take()).collect())
}

/// Three-valued truth: a rule that depends on an unanswered question is unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tri {
    True,
    False,
    Unknown,
}

impl Tri {
    fn from(b: bool) -> Tri {
        if b { Tri::True } else { Tri::False }
    }
    fn and(self, o: Tri) -> Tri {
        match (self, o) {
            (Tri::False, _) | (_, Tri::False) => Tri::False,
            (Tri::True, Tri::True) => Tri::True,
            _ => Tri::Unknown,
        }
    }
    fn or(self, o: Tri) -> Tri {
        match (self, o) {
            (Tri::True, _) | (_, Tri::True) => Tri::True,
            (Tri::False, Tri::False) => Tri::False,
            _ => Tri::Unknown,
        }
    }
    fn not(self) -> Tri {
        match self {
            Tri::True => Tri::False,
            Tri::False => Tri::True,
            Tri::Unknown => Tri::Unknown,
        }
    }
}

/// A value while evaluating; strings borrow from the rule, the household or the answers.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Val<'a> {
    Bool(Tri),
    Int(Option<i64>),
    Str(Option<&'a str>),
}

/// A member with the values rules read, computed on the event date.
#[derive(Debug, Clone)]
struct Member<'a> {
    input: &'a MemberInput,
    age: i64,
    age_months: i64,
    school: &'static str,
}

fn member(m: &MemberInput, date: NaiveDate) -> Member<'_> {
    let age = age_on(m.birth, date).map_or(-1, i64::from);
    let months = {
        use chrono::Datelike;
        let mut n =
            (date.year() - m.birth.year()) * 12 + date.month() as i32 - m.birth.month() as i32;
        if date.day() < m.birth.day() {
            n -= 1;
        }
        i64::from(n.max(-1))
    };
    let school = match school_grade(m.birth, date) {
        SchoolGrade::Preschool { .. } => "未就学",
        SchoolGrade::Elementary(_) => "小学生",
        SchoolGrade::JuniorHigh(_) => "中学生",
        SchoolGrade::HighSchool(_) => "高校生",
        SchoolGrade::Adult => "成人",
    };
    Member {
        input: m,
        age,
        age_months: months,
        school,
    }
}

struct Env<'a> {
    input: &'a Input,
    before: Vec<Member<'a>>,
    after: Vec<Member<'a>>,
    movers: Vec<Member<'a>>,
    selected: BTreeMap<&'a str, Tri>,
}

impl Env<'_> {
    fn set(&self, s: Set) -> &[Member<'_>] {
        match s {
            Set::Before => &self.before,
            Set::After => &self.after,
            Set::Movers => &self.movers,
        }
    }
}

fn field<'a>(m: &'a Member<'a>, name: &str) -> Val<'a> {
    let i = m.input;
    let b = |v: bool| Val::Bool(Tri::from(v));
    let s = |v: &'a str| Val::Str(Some(v));
    match name {
        "age" => Val::Int(Some(m.age)),
        "age_months" => Val::Int(Some(m.age_months)),
        "school" => s(m.school),
        "sex" => s(&i.sex),
        "relation" => s(&i.relation),
        "foreign" => b(i.foreign),
        "head" => b(i.relation == "世帯主"),
        "kokuho" => b(i.kokuho),
        "kouki" => b(i.kouki),
        "kaigo" => b(i.kaigo),
        "pension" => s(&i.pension),
        "jidou_teate" => b(i.jidou_teate),
        "pregnant" => b(i.pregnant),
        "name_changed" => b(i.name_changed),
        "mynumber_card" => b(i.mynumber_card),
        "inkan" => b(i.inkan),
        _ => Val::Bool(Tri::Unknown),
    }
}

fn eval<'a>(
    e: &'a Expr,
    env: &'a Env<'a>,
    answers: &'a BTreeMap<String, Answer>,
    m: Option<&'a Member<'a>>,
) -> Val<'a> {
    let tri = |v: Val| match v {
        Val::Bool(t) => t,
        _ => Tri::Unknown,
    };
    match e {
        Expr::Bool(b) => Val::Bool(Tri::from(*b)),
        Expr::Int(n) => Val::Int(Some(*n)),
        Expr::Str(s) => Val::Str(Some(s)),
        Expr::EventKind => Val::Str(Some(&env.input.event)),
        Expr::EventDetail => Val::Str(Some(&env.input.detail)),
        Expr::Field(f) => m.map_or(Val::Bool(Tri::Unknown), |m| field(m, f)),
        Expr::Has(kind) => Val::Bool(Tri::from(
            m.is_some_and(|m| m.input.techou.iter().any(|t| t == kind)),
        )),
        Expr::Answer(id) => match answers.get(id) {
            None => Val::Str(None),
            Some(Answer::YesNo(b)) => Val::Bool(Tri::from(*b)),
            Some(Answer::Choice(s)) => Val::Str(Some(s)),
        },
        Expr::Selected(code) => Val::Bool(
            env.selected
                .get(code.as_str())
                .copied()
                .unwrap_or(Tri::False),
        ),
        Expr::Not(x) => Val::Bool(tri(eval(x, env, answers, m)).not()),
        Expr::And(a, b) => {
            Val::Bool(tri(eval(a, env, answers, m)).and(tri(eval(b, env, answers, m))))
        }
        Expr::Or(a, b) => {
            Val::Bool(tri(eval(a, env, answers, m)).or(tri(eval(b, env, answers, m))))
        }
        Expr::Compare(op, a, b) => {
            let (l, r) = (eval(a, env, answers, m), eval(b, env, answers, m));
            let ord = match (&l, &r) {
                (Val::Int(Some(x)), Val::Int(Some(y))) => Some(x.cmp(y)),
                (Val::Str(Some(x)), Val::Str(Some(y))) => Some(x.cmp(y)),
                (Val::Bool(x), Val::Bool(y)) if *x != Tri::Unknown && *y != Tri::Unknown => {
                    Some((*x == Tri::True).cmp(&(*y == Tri::True)))
                }
                _ => None,
            };
            Val::Bool(ord.map_or(Tri::Unknown, |o| {
                Tri::from(match op {
                    Cmp::Eq => o.is_eq(),
                    Cmp::Ne => o.is_ne(),
                    Cmp::Lt => o.is_lt(),
                    Cmp::Le => o.is_le(),
                    Cmp::Gt => o.is_gt(),
                    Cmp::Ge => o.is_ge(),
                })
            }))
        }
        Expr::In(x, items) => {
            let v = eval(x, env, answers, m);
            let mut acc = Tri::False;
            for it in items {
                let w = eval(it, env, answers, m);
                let t = match (&v, &w) {
                    (Val::Int(Some(a)), Val::Int(Some(b))) => Tri::from(a == b),
                    (Val::Str(Some(a)), Val::Str(Some(b))) => Tri::from(a == b),
                    _ => Tri::Unknown,
                };
                acc = acc.or(t);
            }
            Val::Bool(acc)
        }
        Expr::Any(s, body) => Val::Bool(env.set(*s).iter().fold(Tri::False, |acc, mm| {
            acc.or(tri(eval(body, env, answers, Some(mm))))
        })),
        Expr::All(s, body) => Val::Bool(env.set(*s).iter().fold(Tri::True, |acc, mm| {
            acc.and(tri(eval(body, env, answers, Some(mm))))
        })),
        Expr::Count(s, body) => {
            let mut n = 0;
            for mm in env.set(*s) {
                match tri(eval(body, env, answers, Some(mm))) {
                    Tri::True => n += 1,
                    Tri::False => {}
                    Tri::Unknown => return Val::Int(None),
                }
            }
            Val::Int(Some(n))
        }
        Expr::Size(s) => Val::Int(Some(env.set(*s).len() as i64)),
    }
}

/// A procedure the household needs, with why.
#[derive(Debug, Clone, PartialEq)]
pub struct Needed<'c> {
    pub procedure: &'c Procedure,
    pub reasons: Vec<String>,
}

/// The engine's answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation<'c> {
    /// Grouped by counter (counters in catalogue order), then in catalogue order.
    pub procedures: Vec<Needed<'c>>,
    /// Questions whose answer could add a procedure, in catalogue order.
    pub next_questions: Vec<&'c Question>,
}

/// The people the event is about: those marked in the household after it, or — when the event takes
/// them out of it (転出, 死亡) — those marked in the household before. Each person is counted once even
/// when both lists mark them, and two identical people (twins) stay two.
fn movers(input: &Input) -> impl Iterator<Item = &MemberInput> {
    let after: Vec<&MemberInput> = input.after.iter().filter(|m| m.mover).collect();
    let from = if after.is_empty() {
        input.before.iter().filter(|m| m.mover).collect()
    } else {
        after
    };
    from.into_iter()
}

/// Finds every procedure in force on the event date that the household needs.
pub fn evaluate<'c>(catalog: &'c Catalog, input: &Input) -> Evaluation<'c> {
    let date = input.date;
    let mut env = Env {
        input,
        before: input.before.iter().map(|m| member(m, date)).collect(),
        after: input.after.iter().map(|m| member(m, date)).collect(),
        movers: movers(input).map(|m| member(m, date)).collect(),
        selected: BTreeMap::new(),
    };
    let mut found = Vec::new();
    let mut asked: BTreeSet<&str> = BTreeSet::new();
    let mut ranks: Vec<(usize, usize)> = Vec::new();
    for (idx, p) in catalog
        .procedures
        .iter()
        .enumerate()
        .filter(|(_, p)| p.in_force_on(date))
    {
        let mut reasons = Vec::new();
        let mut state = Tri::False;
        let mut open: Vec<&Rule> = Vec::new();
        for (rule, reason) in &p.rules {
            let t = match eval(&rule.expr, &env, &input.answers, None) {
                Val::Bool(t) => t,
                _ => Tri::Unknown,
            };
            match t {
                Tri::True => {
                    state = Tri::True;
                    reasons.push(reason.clone());
                }
                Tri::Unknown => {
                    if state == Tri::False {
                        state = Tri::Unknown;
                    }
                    open.push(rule);
                }
                Tri::False => {}
            }
        }
        if state == Tri::True {
            ranks.push((
                catalog.counter_rank.get(idx).copied().unwrap_or(usize::MAX),
                idx,
            ));
            found.push(Needed {
                procedure: p,
                reasons,
            });
        } else if state == Tri::Unknown {
            // Ask only the questions one of whose answers would make an open rule true.
            for rule in open {
                for q in &rule.questions {
                    if input.answers.contains_key(q) || asked.contains(q.as_str()) {
                        continue;
                    }
                    let Some(question) = catalog.questions.iter().find(|x| &x.id == q) else {
                        continue;
                    };
                    let choices: Vec<Answer> = match question.kind {
                        QuestionKind::YesNo => vec![Answer::YesNo(true), Answer::YesNo(false)],
                        QuestionKind::Choice => question
                            .options
                            .iter()
                            .cloned()
                            .map(Answer::Choice)
                            .collect(),
                    };
                    let matters = choices.into_iter().any(|a| {
                        let mut trial = input.answers.clone();
                        trial.insert(q.clone(), a);
                        eval(&rule.expr, &env, &trial, None) == Val::Bool(Tri::True)
                    });
                    if matters {
                        asked.insert(question.id.as_str());
                    }
                }
            }
        }
        env.selected.insert(p.code.as_str(), state);
    }
    // Group by counter (counters in the order they first appear in the catalogue), then catalogue order.
    let mut keyed: Vec<((usize, usize), Needed<'c>)> = ranks.into_iter().zip(found).collect();
    keyed.sort_by_key(|(k, _)| *k);
    let found: Vec<Needed<'c>> = keyed.into_iter().map(|(_, n)| n).collect();
    let next_questions = catalog
        .questions
        .iter()
        .filter(|q| asked.contains(q.id.as_str()))
        .collect();
    Evaluation {
        procedures: found,
        next_questions,
    }
}

#[cfg(test)]
mod tests;
