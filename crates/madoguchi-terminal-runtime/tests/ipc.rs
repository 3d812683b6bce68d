//! The desktop app's IPC contract, checked from three sides: the TypeScript of the IPC types is the one
//! the Rust types derive (`ui/src/backend/ipc.generated.ts`), and `docs/terminal-commands.md`, the app
//! (`src-tauri`) and the UI's adapter (`ui/src/backend/tauri.ts`) name the same commands, arguments and
//! events.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use madoguchi_mynumber::{DeviceState, ReaderStatus};
use madoguchi_terminal_runtime::ipc;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn the_ipc_types_match_the_committed_typescript() {
    let generated = ipc::typescript().unwrap_or_else(|e| panic!("{e}"));
    let path = root().join(ipc::GENERATED_FILE);
    if std::env::var_os("UPDATE_IPC_TYPES").is_some() {
        std::fs::write(&path, &generated).expect("write the generated TypeScript");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    let first_difference = committed
        .lines()
        .zip(generated.lines())
        .position(|(c, g)| c != g)
        .unwrap_or_else(|| committed.lines().count().min(generated.lines().count()));
    assert!(
        committed == generated,
        "{} is out of date with the Rust IPC types (from line {}: {:?}, the Rust types give {:?}); run `UPDATE_IPC_TYPES=1 cargo test -p madoguchi-terminal-runtime --test ipc` and check the UI still compiles (`cd ui && npx tsc --noEmit`)",
        ipc::GENERATED_FILE,
        first_difference + 1,
        committed
            .lines()
            .nth(first_difference)
            .unwrap_or("<end of file>"),
        generated
            .lines()
            .nth(first_difference)
            .unwrap_or("<end of file>"),
    );
}

/// The card reader's state is declared from a mirror of the driver's type: both serialize alike.
#[test]
fn the_card_status_mirror_serializes_as_the_driver_does() {
    let states = [
        DeviceState::NoReader,
        DeviceState::NoCard,
        DeviceState::CardError,
        DeviceState::Ready,
    ];
    for state in states {
        let mut status = ReaderStatus::new(state, Some("Virtual Reader 0".into()));
        for (text, auth, blocked) in [
            (None, None, false),
            (Some(3), Some(1), false),
            (Some(0), Some(0), true),
        ] {
            status.text_pin_retries = text;
            status.auth_pin_retries = auth;
            status.blocked = blocked;
            assert_eq!(
                serde_json::to_value(&status).expect("json"),
                serde_json::to_value(ipc::CardStatus::from(&status)).expect("json"),
                "{state:?}"
            );
        }
    }
    let none = ReaderStatus::new(DeviceState::NoReader, None);
    assert_eq!(
        serde_json::to_value(&none).expect("json"),
        serde_json::to_value(ipc::CardStatus::from(&none)).expect("json")
    );
}

/// A command as `src-tauri/src/commands/` declares it: its arguments as the webview names them
/// (camelCase, `?` when optional) with their Rust types, and its Rust result type.
#[derive(Debug)]
struct Command {
    args: Vec<(String, String)>,
    result: String,
}

/// `text` split at the `close` that balances an `open` just before `text`: (inside, after).
fn balanced(text: &str, open: char, close: char) -> Option<(&str, &str)> {
    let mut depth = 1;
    for (i, c) in text.char_indices() {
        if c == open {
            depth += 1;
        } else if c == close {
            depth -= 1;
            if depth == 0 {
                return Some((&text[..i], &text[i + c.len_utf8()..]));
            }
        }
    }
    None
}

/// Splits on `sep` outside `<>`, `()`, `[]` and `{}`.
fn split_top(text: &str, sep: char) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut part = String::new();
    for c in text.chars() {
        match c {
            '<' | '(' | '[' | '{' => depth += 1,
            '>' | ')' | ']' | '}' => depth -= 1,
            _ => {}
        }
        if c == sep && depth == 0 {
            out.push(part.trim().to_owned());
            part.clear();
        } else {
            part.push(c);
        }
    }
    if !part.trim().is_empty() {
        out.push(part.trim().to_owned());
    }
    out
}

fn camel_case(snake: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The last segment of a Rust path (`madoguchi_mynumber::ReaderStatus` → `ReaderStatus`).
fn last_segment(path: &str) -> String {
    path.rsplit("::").next().unwrap_or(path).trim().to_owned()
}

/// The `#[tauri::command]` functions of `src-tauri/src/commands/mod.rs`.
fn declared_commands() -> BTreeMap<String, Command> {
    let source = read("src-tauri/src/commands/mod.rs");
    let mut out = BTreeMap::new();
    for chunk in source.split("#[tauri::command]").skip(1) {
        let after_fn = chunk
            .split_once(" fn ")
            .expect("fn after #[tauri::command]")
            .1;
        let name_end = after_fn
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .expect("fn name");
        let name = &after_fn[..name_end];
        let open = after_fn.find('(').expect("parameters");
        let (params, rest) = balanced(&after_fn[open + 1..], '(', ')').expect("parameters close");
        let args = split_top(params, ',')
            .into_iter()
            .filter_map(|p| {
                let (arg, ty) = p.split_once(':')?;
                let ty = ty.trim();
                // What tauri injects rather than the webview sends.
                if ty.starts_with("WebviewWindow") || ty.starts_with("State<") {
                    return None;
                }
                Some(
                    match ty.strip_prefix("Option<").and_then(|t| t.strip_suffix('>')) {
                        Some(inner) => (format!("{}?", camel_case(arg.trim())), inner.to_owned()),
                        None => (camel_case(arg.trim()), ty.to_owned()),
                    },
                )
            })
            .collect();
        let result = rest
            .split_once("-> Result<")
            .and_then(|(_, r)| r.split_once(" {"))
            .map(|(r, _)| r.trim().trim_end_matches('>').to_owned())
            .unwrap_or_else(|| panic!("{name}: no `-> Result<…>`"));
        out.insert(name.to_owned(), Command { args, result });
    }
    assert!(
        out.len() > 10,
        "commands found in src-tauri/src/commands/mod.rs"
    );
    out
}

/// The commands `src-tauri/src/lib.rs` hands to `generate_handler!`.
fn registered_commands() -> BTreeSet<String> {
    let lib = read("src-tauri/src/lib.rs");
    let list = lib
        .split_once("generate_handler![")
        .and_then(|(_, r)| r.split_once(']'))
        .expect("generate_handler! in src-tauri/src/lib.rs")
        .0;
    split_top(list, ',')
        .iter()
        .map(|c| last_segment(c))
        .collect()
}

/// The commands `src-tauri/build.rs` declares for the capability files.
fn build_script_commands() -> BTreeSet<String> {
    let build = read("src-tauri/build.rs");
    let list = build
        .split_once("const COMMANDS: &[&str] = &[")
        .and_then(|(_, r)| r.split_once("];"))
        .expect("COMMANDS in src-tauri/build.rs")
        .0;
    split_top(list, ',')
        .iter()
        .map(|c| c.trim_matches('"').to_owned())
        .collect()
}

/// The cells of a Markdown table row, `|` inside backticks kept.
fn cells(row: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cell = String::new();
    let mut code = false;
    for c in row
        .trim()
        .trim_start_matches('|')
        .trim_end_matches('|')
        .chars()
    {
        match c {
            '`' => {
                code = !code;
                cell.push(c);
            }
            '|' if !code => {
                out.push(cell.trim().to_owned());
                cell.clear();
            }
            _ => cell.push(c),
        }
    }
    out.push(cell.trim().to_owned());
    out
}

/// What a cell starts with: its leading backticked text, else its first word (`–`).
fn code(cell: &str) -> String {
    match cell.strip_prefix('`') {
        Some(rest) => rest.split('`').next().unwrap_or(rest).to_owned(),
        None => cell.split_whitespace().next().unwrap_or("").to_owned(),
    }
}

/// The rows (first column's code → the other cells) of the table in `docs/terminal-commands.md` under
/// `heading` (`None`: the first table).
fn docs_table(heading: Option<&str>) -> BTreeMap<String, Vec<String>> {
    let docs = read("docs/terminal-commands.md");
    let section = match heading {
        Some(h) => {
            docs.split_once(&format!("\n## {h}\n"))
                .unwrap_or_else(|| panic!("## {h} in docs/terminal-commands.md"))
                .1
        }
        None => docs.as_str(),
    };
    let section = section.split("\n## ").next().unwrap_or(section);
    let mut rows = BTreeMap::new();
    for line in section.lines().filter(|l| l.starts_with("| `")) {
        let mut c = cells(line);
        let name = code(&c.remove(0));
        assert!(
            rows.insert(name.clone(), c).is_none(),
            "{name} twice in docs/terminal-commands.md"
        );
    }
    rows
}

/// The TypeScript name of each Rust type in the generated file (`// Rust: path (driver path)` above
/// `export type Name`), by the Rust type's last path segment.
fn typescript_names() -> BTreeMap<String, String> {
    let generated = ipc::typescript().expect("typescript");
    let mut out = BTreeMap::new();
    let mut rust: Vec<String> = Vec::new();
    for line in generated.lines() {
        if let Some(r) = line.strip_prefix("// Rust: ") {
            rust = r
                .split(['(', ')'])
                .map(last_segment)
                .filter(|s| !s.is_empty())
                .collect();
        } else if let Some(decl) = line.strip_prefix("export type ") {
            let name = decl.split([' ', '=', '<']).next().expect("type name");
            for r in rust.drain(..) {
                out.insert(r, name.to_owned());
            }
        }
    }
    out
}

/// Each string literal that follows `marker` (and an optional `<…>`) as the first argument of a call in
/// `text`: `.command<T>('name'` → `name`.
fn called_with(text: &str, marker: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (_, rest) in text
        .match_indices(marker)
        .map(|(i, m)| text.split_at(i + m.len()))
    {
        let rest = match rest.strip_prefix('<') {
            Some(r) => balanced(r, '<', '>').map_or("", |(_, after)| after),
            None => rest,
        };
        if let Some(name) = rest
            .strip_prefix("('")
            .and_then(|r| r.split_once('\''))
            .map(|(name, _)| name)
        {
            out.insert(name.to_owned());
        }
    }
    out
}

/// docs/terminal-commands.md lists exactly the commands the app registers (`generate_handler!`, the
/// capabilities' `build.rs` list) and the UI calls, with the arguments the commands take and, as the
/// result, the TypeScript name of the type each command answers with.
#[test]
fn the_documented_commands_are_the_registered_ones() {
    let declared = declared_commands();
    let registered = registered_commands();
    let docs = docs_table(None);
    let documented: BTreeSet<String> = docs.keys().cloned().collect();
    let names: BTreeSet<String> = declared.keys().cloned().collect();
    assert_eq!(
        registered, names,
        "src-tauri/src/lib.rs's generate_handler! and the #[tauri::command]s of src-tauri/src/commands/mod.rs"
    );
    assert_eq!(
        build_script_commands(),
        registered,
        "src-tauri/build.rs's COMMANDS (what capabilities may grant) and generate_handler!"
    );
    assert_eq!(
        documented, registered,
        "docs/terminal-commands.md's command table and src-tauri's registered commands"
    );
    let tauri_ts = read("ui/src/backend/tauri.ts");
    let called: BTreeSet<String> = called_with(&tauri_ts, ".command")
        .union(&called_with(&tauri_ts, ".invoke"))
        .cloned()
        .collect();
    assert_eq!(
        called, registered,
        "the commands ui/src/backend/tauri.ts calls and src-tauri's registered commands"
    );

    let ts_names = typescript_names();
    let ts_name = |rust: &str| ts_names.get(&last_segment(rust)).cloned();
    for (name, command) in &declared {
        let row = &docs[name];
        let (args_cell, result_cell) = (&row[0], &row[1]);
        let documented_args: Vec<(String, String)> = if args_cell.trim() == "–" {
            Vec::new()
        } else {
            split_top(args_cell.trim_matches('`'), ',')
                .iter()
                .map(|a| {
                    let (n, t) = a.split_once(':').unwrap_or((a, ""));
                    (n.trim().to_owned(), t.trim().to_owned())
                })
                .collect()
        };
        let expected: Vec<&String> = command.args.iter().map(|(n, _)| n).collect();
        let got: Vec<&String> = documented_args.iter().map(|(n, _)| n).collect();
        assert_eq!(
            got, expected,
            "{name}: docs/terminal-commands.md's arguments and the command's parameters (camelCase, `?`: Option)"
        );
        for ((arg, rust), (_, documented)) in command.args.iter().zip(&documented_args) {
            if let Some(ts) = ts_name(rust) {
                assert_eq!(documented, &ts, "{name}: the type of `{arg}`");
            }
        }
        let result = code(result_cell);
        let expected = if command.result == "()" {
            "–".to_owned()
        } else {
            ts_name(&command.result).unwrap_or_else(|| {
                panic!(
                    "{name} answers with {}, which is not in {}: add it to ipc::typescript",
                    command.result,
                    ipc::GENERATED_FILE
                )
            })
        };
        assert_eq!(
            result, expected,
            "{name}: docs/terminal-commands.md's result and the TypeScript of the command's result type"
        );
    }
}

/// docs/terminal-commands.md lists exactly the events the app emits and the UI listens to.
#[test]
fn the_documented_events_are_the_emitted_ones() {
    let lib = read("src-tauri/src/lib.rs");
    let emitted: BTreeSet<String> = lib
        .match_indices(".emit(\"")
        .filter_map(|(i, m)| {
            lib[i + m.len()..]
                .split_once('"')
                .map(|(n, _)| n.to_owned())
        })
        .collect();
    assert!(!emitted.is_empty(), "events found in src-tauri/src/lib.rs");
    let table = docs_table(Some("Events"));
    let documented: BTreeSet<String> = table.keys().cloned().collect();
    assert_eq!(
        documented, emitted,
        "docs/terminal-commands.md's events and what src-tauri/src/lib.rs emits"
    );
    let declared: BTreeSet<String> = typescript_names().into_values().collect();
    for (event, row) in &table {
        let payload = code(&row[0]);
        assert!(
            payload == "string" || declared.contains(&payload),
            "{event}: payload {payload} is neither `string` nor a type of {}",
            ipc::GENERATED_FILE
        );
    }
    let listened = called_with(&read("ui/src/backend/tauri.ts"), ".subscribe");
    assert_eq!(
        listened, emitted,
        "the events ui/src/backend/tauri.ts subscribes to and what src-tauri emits"
    );
}
