//! The rule language of the procedure catalogue: small, typed, checked when loaded, evaluated with
//! three values (true, false, unknown while a question is unanswered).
//!
//! ```text
//! expr    := or
//! or      := and ("or" and)*
//! and     := not ("and" not)*
//! not     := "not" not | compare
//! compare := atom (("==" | "!=" | "<" | "<=" | ">" | ">=") atom | "in" list)?
//! atom    := INT | STRING | "true" | "false" | path | call | "(" expr ")"
//! list    := "[" (atom ("," atom)*)? "]"
//! path    := event.kind | event.detail | m.FIELD          (m: the member inside any/all/count)
//! call    := any(SET, expr) | all(SET, expr) | count(SET, expr) | size(SET)
//!          | answer("question") | selected("CODE") | has(m.techou, "身体")
//! SET     := before | after | movers
//! ```

use std::collections::BTreeSet;

/// What an expression yields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    Bool,
    Int,
    Str,
}

/// A member field and its type.
pub const MEMBER_FIELDS: &[(&str, Type)] = &[
    ("age", Type::Int),
    ("age_months", Type::Int),
    ("school", Type::Str),
    ("sex", Type::Str),
    ("relation", Type::Str),
    ("foreign", Type::Bool),
    ("head", Type::Bool),
    ("kokuho", Type::Bool),
    ("kouki", Type::Bool),
    ("kaigo", Type::Bool),
    ("pension", Type::Str),
    ("jidou_teate", Type::Bool),
    ("pregnant", Type::Bool),
    ("name_changed", Type::Bool),
    ("mynumber_card", Type::Bool),
    ("inkan", Type::Bool),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Set {
    Before,
    After,
    Movers,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// A checked expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Bool(bool),
    Int(i64),
    Str(String),
    EventKind,
    EventDetail,
    Field(&'static str),
    Answer(String),
    Selected(String),
    Not(Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Compare(Cmp, Box<Expr>, Box<Expr>),
    In(Box<Expr>, Vec<Expr>),
    Any(Set, Box<Expr>),
    All(Set, Box<Expr>),
    Count(Set, Box<Expr>),
    Size(Set),
    Has(String),
}

/// A rule that cannot be used: where in the text (character offset) and why (Japanese).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExprError {
    pub offset: usize,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Int(i64),
    Str(String),
    Ident(String),
    Sym(&'static str),
}

fn lex(src: &str) -> Result<Vec<(usize, Tok)>, ExprError> {
    let chars: Vec<(usize, char)> = src.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let err = |offset: usize, reason: &str| ExprError {
        offset,
        reason: reason.into(),
    };
    while i < chars.len() {
        let (at, c) = chars[i];
        let char_at = src[..at].chars().count();
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].1.is_ascii_digit() {
                i += 1;
            }
            let text: String = chars[start..i].iter().map(|(_, c)| c).collect();
            let n = text
                .parse()
                .map_err(|_| err(char_at, "数が大きすぎます。"))?;
            out.push((char_at, Tok::Int(n)));
        } else if c == '"' {
            i += 1;
            let start = i;
            while i < chars.len() && chars[i].1 != '"' {
                i += 1;
            }
            if i >= chars.len() {
                return Err(err(char_at, "文字列の \" が閉じていません。"));
            }
            out.push((
                char_at,
                Tok::Str(chars[start..i].iter().map(|(_, c)| c).collect()),
            ));
            i += 1;
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].1.is_alphanumeric() || chars[i].1 == '_') {
                i += 1;
            }
            out.push((
                char_at,
                Tok::Ident(chars[start..i].iter().map(|(_, c)| c).collect()),
            ));
        } else {
            let two: String = chars[i..(i + 2).min(chars.len())]
                .iter()
                .map(|(_, c)| c)
                .collect();
            let sym = ["==", "!=", "<=", ">="]
                .into_iter()
                .find(|s| *s == two)
                .or_else(|| {
                    ["<", ">", "(", ")", ",", ".", "[", "]"]
                        .into_iter()
                        .find(|s| s.starts_with(c))
                })
                .ok_or_else(|| err(char_at, &format!("「{c}」は使えません。")))?;
            i += sym.chars().count();
            out.push((char_at, Tok::Sym(sym)));
        }
    }
    Ok(out)
}

/// What the parser needs to know about the catalogue: question types and procedure codes.
pub trait Scope {
    fn question(&self, id: &str) -> Option<Type>;
    fn procedure_exists(&self, code: &str) -> bool;
}

struct Parser<'s> {
    toks: Vec<(usize, Tok)>,
    pos: usize,
    end: usize,
    scope: &'s dyn Scope,
    in_member: bool,
    /// Questions and procedures the expression refers to.
    questions: BTreeSet<String>,
    selected: BTreeSet<String>,
}

/// A parsed, type-checked rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub expr: Expr,
    pub questions: BTreeSet<String>,
    pub selected: BTreeSet<String>,
}

/// Parses and type-checks `src` as a condition (it must be boolean).
pub fn parse(src: &str, scope: &dyn Scope) -> Result<Rule, ExprError> {
    let toks = lex(src)?;
    let mut p = Parser {
        toks,
        pos: 0,
        end: src.chars().count(),
        scope,
        in_member: false,
        questions: BTreeSet::new(),
        selected: BTreeSet::new(),
    };
    let (expr, ty) = p.or()?;
    if let Some((at, _)) = p.toks.get(p.pos) {
        return Err(ExprError {
            offset: *at,
            reason: "式の後に余分なものがあります。".into(),
        });
    }
    if ty != Type::Bool {
        return Err(ExprError {
            offset: 0,
            reason: "条件は真偽値（比較や and/or）にしてください。".into(),
        });
    }
    Ok(Rule {
        expr,
        questions: p.questions,
        selected: p.selected,
    })
}

impl Parser<'_> {
    fn at(&self) -> usize {
        self.toks.get(self.pos).map_or(self.end, |(a, _)| *a)
    }

    fn err<T>(&self, reason: impl Into<String>) -> Result<T, ExprError> {
        Err(ExprError {
            offset: self.at(),
            reason: reason.into(),
        })
    }

    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|(_, t)| t)
    }

    fn eat_sym(&mut self, s: &str) -> bool {
        if matches!(self.peek(), Some(Tok::Sym(x)) if *x == s) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn eat_word(&mut self, w: &str) -> bool {
        if matches!(self.peek(), Some(Tok::Ident(x)) if x == w) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect_sym(&mut self, s: &str) -> Result<(), ExprError> {
        if self.eat_sym(s) {
            Ok(())
        } else {
            self.err(format!("「{s}」が必要です。"))
        }
    }

    fn bool_operand(&self, ty: Type, at: usize) -> Result<(), ExprError> {
        if ty == Type::Bool {
            Ok(())
        } else {
            Err(ExprError {
                offset: at,
                reason: "and / or / not には真偽値を使ってください。".into(),
            })
        }
    }

    fn or(&mut self) -> Result<(Expr, Type), ExprError> {
        let at = self.at();
        let (mut e, t) = self.and()?;
        while self.eat_word("or") {
            self.bool_operand(t, at)?;
            let at2 = self.at();
            let (r, t2) = self.and()?;
            self.bool_operand(t2, at2)?;
            e = Expr::Or(Box::new(e), Box::new(r));
        }
        Ok((e, t))
    }

    fn and(&mut self) -> Result<(Expr, Type), ExprError> {
        let at = self.at();
        let (mut e, t) = self.not()?;
        while self.eat_word("and") {
            self.bool_operand(t, at)?;
            let at2 = self.at();
            let (r, t2) = self.not()?;
            self.bool_operand(t2, at2)?;
            e = Expr::And(Box::new(e), Box::new(r));
        }
        Ok((e, t))
    }

    fn not(&mut self) -> Result<(Expr, Type), ExprError> {
        if self.eat_word("not") {
            let at = self.at();
            let (e, t) = self.not()?;
            self.bool_operand(t, at)?;
            return Ok((Expr::Not(Box::new(e)), Type::Bool));
        }
        self.compare()
    }

    fn compare(&mut self) -> Result<(Expr, Type), ExprError> {
        let (l, lt) = self.atom()?;
        let op = match self.peek() {
            Some(Tok::Sym("==")) => Some(Cmp::Eq),
            Some(Tok::Sym("!=")) => Some(Cmp::Ne),
            Some(Tok::Sym("<")) => Some(Cmp::Lt),
            Some(Tok::Sym("<=")) => Some(Cmp::Le),
            Some(Tok::Sym(">")) => Some(Cmp::Gt),
            Some(Tok::Sym(">=")) => Some(Cmp::Ge),
            _ => None,
        };
        if let Some(op) = op {
            self.pos += 1;
            let at = self.at();
            let (r, rt) = self.atom()?;
            if lt != rt {
                return Err(ExprError {
                    offset: at,
                    reason: format!("型が違うものは比べられません（{lt:?} と {rt:?}）。"),
                });
            }
            if !matches!(op, Cmp::Eq | Cmp::Ne) && lt != Type::Int {
                return Err(ExprError {
                    offset: at,
                    reason: "大小の比較は数どうしでしてください。".into(),
                });
            }
            return Ok((Expr::Compare(op, Box::new(l), Box::new(r)), Type::Bool));
        }
        if self.eat_word("in") {
            self.expect_sym("[")?;
            let mut items = Vec::new();
            if !self.eat_sym("]") {
                loop {
                    let at = self.at();
                    let (e, t) = self.atom()?;
                    if t != lt {
                        return Err(ExprError {
                            offset: at,
                            reason: "in の一覧は左辺と同じ型にしてください。".into(),
                        });
                    }
                    items.push(e);
                    if self.eat_sym("]") {
                        break;
                    }
                    self.expect_sym(",")?;
                }
            }
            return Ok((Expr::In(Box::new(l), items), Type::Bool));
        }
        Ok((l, lt))
    }

    fn set(&mut self) -> Result<Set, ExprError> {
        let s = match self.peek() {
            Some(Tok::Ident(w)) if w == "before" => Set::Before,
            Some(Tok::Ident(w)) if w == "after" => Set::After,
            Some(Tok::Ident(w)) if w == "movers" => Set::Movers,
            _ => return self.err("before / after / movers のどれかを指定してください。"),
        };
        self.pos += 1;
        Ok(s)
    }

    fn string_arg(&mut self) -> Result<String, ExprError> {
        match self.peek().cloned() {
            Some(Tok::Str(s)) => {
                self.pos += 1;
                Ok(s)
            }
            _ => self.err("文字列（\"…\"）が必要です。"),
        }
    }

    fn atom(&mut self) -> Result<(Expr, Type), ExprError> {
        let at = self.at();
        let Some(tok) = self.peek().cloned() else {
            return self.err("式が途中で終わっています。");
        };
        self.pos += 1;
        match tok {
            Tok::Int(n) => Ok((Expr::Int(n), Type::Int)),
            Tok::Str(s) => Ok((Expr::Str(s), Type::Str)),
            Tok::Sym("(") => {
                let e = self.or()?;
                self.expect_sym(")")?;
                Ok(e)
            }
            Tok::Sym(s) => Err(ExprError {
                offset: at,
                reason: format!("「{s}」はここには置けません。"),
            }),
            Tok::Ident(w) => match w.as_str() {
                "true" => Ok((Expr::Bool(true), Type::Bool)),
                "false" => Ok((Expr::Bool(false), Type::Bool)),
                "event" => {
                    self.expect_sym(".")?;
                    if self.eat_word("kind") {
                        Ok((Expr::EventKind, Type::Str))
                    } else if self.eat_word("detail") {
                        Ok((Expr::EventDetail, Type::Str))
                    } else {
                        self.err("event.kind か event.detail を指定してください。")
                    }
                }
                "m" => {
                    if !self.in_member {
                        return Err(ExprError {
                            offset: at,
                            reason: "m は any / all / count の中でだけ使えます。".into(),
                        });
                    }
                    self.expect_sym(".")?;
                    let field_at = self.at();
                    let Some(Tok::Ident(f)) = self.peek().cloned() else {
                        return self.err("m. の後に項目名が必要です。");
                    };
                    self.pos += 1;
                    match MEMBER_FIELDS.iter().find(|(n, _)| *n == f) {
                        Some((name, ty)) => Ok((Expr::Field(name), *ty)),
                        None => Err(ExprError {
                            offset: field_at,
                            reason: format!(
                                "項目「{f}」はありません（{}）。",
                                MEMBER_FIELDS
                                    .iter()
                                    .map(|(n, _)| *n)
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        }),
                    }
                }
                "any" | "all" | "count" => {
                    self.expect_sym("(")?;
                    let set = self.set()?;
                    self.expect_sym(",")?;
                    if self.in_member {
                        return self.err("any / all / count は入れ子にできません。");
                    }
                    self.in_member = true;
                    let body_at = self.at();
                    let (body, bt) = self.or()?;
                    self.in_member = false;
                    self.bool_operand(bt, body_at)?;
                    self.expect_sym(")")?;
                    let body = Box::new(body);
                    Ok(match w.as_str() {
                        "any" => (Expr::Any(set, body), Type::Bool),
                        "all" => (Expr::All(set, body), Type::Bool),
                        _ => (Expr::Count(set, body), Type::Int),
                    })
                }
                "size" => {
                    self.expect_sym("(")?;
                    let set = self.set()?;
                    self.expect_sym(")")?;
                    Ok((Expr::Size(set), Type::Int))
                }
                "answer" => {
                    self.expect_sym("(")?;
                    let id_at = self.at();
                    let id = self.string_arg()?;
                    self.expect_sym(")")?;
                    let ty = self.scope.question(&id).ok_or(ExprError {
                        offset: id_at,
                        reason: format!("質問「{id}」は定義されていません。"),
                    })?;
                    self.questions.insert(id.clone());
                    Ok((Expr::Answer(id), ty))
                }
                "selected" => {
                    self.expect_sym("(")?;
                    let code_at = self.at();
                    let code = self.string_arg()?;
                    self.expect_sym(")")?;
                    if !self.scope.procedure_exists(&code) {
                        return Err(ExprError {
                            offset: code_at,
                            reason: format!("手続き「{code}」はありません。"),
                        });
                    }
                    self.selected.insert(code.clone());
                    Ok((Expr::Selected(code), Type::Bool))
                }
                "has" => {
                    if !self.in_member {
                        return Err(ExprError {
                            offset: at,
                            reason: "has は any / all / count の中でだけ使えます。".into(),
                        });
                    }
                    self.expect_sym("(")?;
                    if !(self.eat_word("m") && self.eat_sym(".") && self.eat_word("techou")) {
                        return self.err("has(m.techou, \"…\") の形で書いてください。");
                    }
                    self.expect_sym(",")?;
                    let kind = self.string_arg()?;
                    self.expect_sym(")")?;
                    Ok((Expr::Has(kind), Type::Bool))
                }
                other => Err(ExprError {
                    offset: at,
                    reason: format!("「{other}」は使えません。"),
                }),
            },
        }
    }
}
