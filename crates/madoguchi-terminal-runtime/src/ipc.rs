//! The types that cross the desktop app's IPC (`src-tauri`'s commands, `docs/terminal-commands.md`) as
//! TypeScript, derived with ts-rs from the Rust types themselves (feature `ts`). [`typescript`] renders
//! `ui/src/backend/ipc.generated.ts`; `tests/ipc.rs` fails when the committed copy differs and rewrites
//! it with `UPDATE_IPC_TYPES=1`.
//!
//! Two types here are mirrors: the card reader's state comes from the My Number driver
//! (`madoguchi_mynumber::ReaderStatus`), which does not depend on ts-rs. [`CardStatus`]'s
//! `From<&ReaderStatus>` names each of its fields and states, so that a change there stops this from
//! compiling, and the test checks that both serialize alike.

use madoguchi_mynumber::{DeviceState, ReaderStatus};
use serde::Serialize;
use ts_rs::{Config, TS};

use crate::config::Role;
use crate::runtime::{
    AdminUnlock, ApiAnswer, CardPersonView, CaseSaveResult, CommandError, FileAnswer, KioskReceipt,
    KioskSubmission, PdfAnswer, Printed, Signalled, StationSubmission, StationTicket, TerminalInfo,
    TerminalStatus, Verified,
};
use crate::update::UpdateOffer;

/// Where the rendered file is committed, from the workspace root.
pub const GENERATED_FILE: &str = "ui/src/backend/ipc.generated.ts";

const HEADER: &str = "\
// The types that cross the desktop app's IPC (docs/terminal-commands.md), generated with ts-rs from
// the Rust types (crates/madoguchi-terminal-runtime/src/ipc.rs). Do not edit: change the Rust types,
// then regenerate with
//   UPDATE_IPC_TYPES=1 cargo test -p madoguchi-terminal-runtime --test ipc
// Field names are the wire's (snake_case). `terminal.ts` re-exports these for the UI.
";

/// The card reader's state (`card_status`, `TerminalStatus.card`): the driver's `ReaderStatus` as it
/// serializes. No card data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CardStatus {
    pub state: CardState,
    /// The reader's name, when there is one.
    pub reader: Option<String>,
    /// 券面事項入力補助 PIN tries left, when a My Number card is present.
    pub text_pin_retries: Option<u8>,
    /// 利用者証明用 (JPKI user authentication) PIN tries left.
    pub auth_pin_retries: Option<u8>,
    /// A PIN is blocked (0 tries).
    pub blocked: bool,
    /// Japanese, for the screen.
    pub message: String,
}

/// The driver's `DeviceState` as it serializes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CardState {
    NoReader,
    NoCard,
    CardError,
    Ready,
}

impl From<&ReaderStatus> for CardStatus {
    fn from(r: &ReaderStatus) -> Self {
        let ReaderStatus {
            state,
            reader,
            text_pin_retries,
            auth_pin_retries,
            blocked,
            message,
        } = r.clone();
        CardStatus {
            state: match state {
                DeviceState::NoReader => CardState::NoReader,
                DeviceState::NoCard => CardState::NoCard,
                DeviceState::CardError => CardState::CardError,
                DeviceState::Ready => CardState::Ready,
            },
            reader,
            text_pin_retries,
            auth_pin_retries,
            blocked,
            message,
        }
    }
}

/// The TypeScript file: every IPC type, in this order, each after a comment naming its Rust type.
/// Large integers (`u64`, `i64`) are `number`: counts, sizes and revisions stay far below 2^53.
/// Fails when a type refers to one not declared here (add it to the list).
pub fn typescript() -> Result<String, String> {
    let mut file = File {
        cfg: Config::new().with_large_int("number"),
        text: HEADER.to_owned(),
        declared: Vec::new(),
        used: Vec::new(),
    };
    // What the commands answer, in the order of docs/terminal-commands.md, and the event payloads.
    file.declare::<TerminalInfo>("runtime::TerminalInfo");
    file.declare::<Role>("config::Role");
    file.declare::<TerminalStatus>("runtime::TerminalStatus");
    file.declare::<UpdateOffer>("update::UpdateOffer");
    file.declare::<CardStatus>("ipc::CardStatus (madoguchi_mynumber::ReaderStatus)");
    file.declare::<CardState>("ipc::CardState (madoguchi_mynumber::DeviceState)");
    file.declare::<ApiAnswer>("runtime::ApiAnswer");
    file.declare::<PdfAnswer>("runtime::PdfAnswer");
    file.declare::<FileAnswer>("runtime::FileAnswer");
    file.declare::<CaseSaveResult>("runtime::CaseSaveResult");
    file.declare::<CardPersonView>("runtime::CardPersonView");
    file.declare::<Verified>("runtime::Verified");
    file.declare::<KioskSubmission>("runtime::KioskSubmission");
    file.declare::<KioskReceipt>("runtime::KioskReceipt");
    file.declare::<StationSubmission>("runtime::StationSubmission");
    file.declare::<StationTicket>("runtime::StationTicket");
    file.declare::<Printed>("runtime::Printed");
    file.declare::<Signalled>("runtime::Signalled");
    file.declare::<AdminUnlock>("runtime::AdminUnlock");
    // What every command rejects with.
    file.declare::<CommandError>("runtime::CommandError");
    let missing: Vec<String> = file
        .used
        .iter()
        .filter(|(_, dep)| !file.declared.contains(dep))
        .map(|(by, dep)| format!("{by} uses {dep}, which ipc::typescript does not declare"))
        .collect();
    if missing.is_empty() {
        Ok(file.text)
    } else {
        Err(missing.join("\n"))
    }
}

struct File {
    cfg: Config,
    text: String,
    declared: Vec<String>,
    /// (declaring type, type it refers to by name)
    used: Vec<(String, String)>,
}

impl File {
    fn declare<T: TS + 'static>(&mut self, rust: &str) {
        let name = T::ident(&self.cfg);
        self.text.push_str(&format!("\n// Rust: {rust}\n"));
        if let Some(docs) = T::docs() {
            self.text.push_str(&doc_comment(&docs, ""));
        }
        self.text.push_str("export ");
        self.text.push_str(&pretty(&T::decl(&self.cfg)));
        self.text.push('\n');
        for dep in T::dependencies(&self.cfg) {
            self.used.push((name.clone(), dep.ts_name));
        }
        self.declared.push(name);
    }
}

/// ts-rs's declaration laid out one field a line: `type X = { a: A, /** doc */ b: B, };` becomes
/// `type X = {` and `  a: A;` … `};`. Anything else (a union, nested braces) is kept as it came.
fn pretty(decl: &str) -> String {
    let fallback = || {
        decl.lines()
            .map(str::trim_end)
            .collect::<Vec<_>>()
            .join("\n")
    };
    let Some((head, body)) = decl.split_once("= {") else {
        return fallback();
    };
    let Some(body) = body.trim_end().strip_suffix("};") else {
        return fallback();
    };
    let Some(items) = fields(body) else {
        return fallback();
    };
    let mut out = format!("{}= {{\n", head);
    for (docs, field) in items {
        if let Some(docs) = docs {
            out.push_str(&doc_comment(&docs, "  "));
        }
        out.push_str(&format!("  {field};\n"));
    }
    out.push_str("};");
    out
}

/// The fields of an object type's body, each with its doc comment; `None` when the body nests braces
/// or does not split cleanly.
fn fields(body: &str) -> Option<Vec<(Option<String>, String)>> {
    let mut items = Vec::new();
    let mut docs: Option<String> = None;
    let mut rest = body.trim_start();
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("/**") {
            let end = after.find("*/")?;
            docs = Some(format!("/**{}*/", &after[..end]));
            rest = after[end + 2..].trim_start();
            continue;
        }
        let mut depth = 0i32;
        let mut quoted = false;
        let mut end = None;
        for (i, c) in rest.char_indices() {
            match c {
                '"' => quoted = !quoted,
                '{' if !quoted => return None,
                '<' | '(' | '[' if !quoted => depth += 1,
                '>' | ')' | ']' if !quoted => depth -= 1,
                ',' if !quoted && depth == 0 => {
                    end = Some(i);
                    break;
                }
                _ => {}
            }
        }
        let end = end?;
        let field = rest[..end].trim();
        if field.is_empty() {
            return None;
        }
        items.push((docs.take(), field.to_owned()));
        rest = rest[end + 1..].trim_start();
    }
    Some(items)
}

/// A JSDoc comment (`/** … */` as ts-rs writes it) indented by `indent`: on one line when its text is.
fn doc_comment(docs: &str, indent: &str) -> String {
    let text: Vec<&str> = docs
        .trim()
        .trim_start_matches("/**")
        .trim_end_matches("*/")
        .lines()
        .map(|l| l.trim().trim_start_matches('*').trim_end())
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .filter(|l| !l.is_empty())
        .collect();
    match text.as_slice() {
        [] => String::new(),
        [one] => format!("{indent}/** {one} */\n"),
        many => {
            let mut out = format!("{indent}/**\n");
            for l in many {
                out.push_str(&format!("{indent} * {l}\n"));
            }
            out.push_str(&format!("{indent} */\n"));
            out
        }
    }
}
