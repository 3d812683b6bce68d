//! The module graph of one crate, read from its sources: a node per file (module), an edge from a module to
//! every module one of its paths names (`crate::…`, `super::…`, `self::…`, or a child module by name).
//! Declaring a child (`mod child;`) is not an edge; naming an item the child defines is.
//!
//! Deliberately simple — no macro expansion, no `#[path]` — which is enough for the project's plain code.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

pub type Module = Vec<String>;

/// The first segment of a path that leaves the crate (a name re-exported from another crate).
const EXTERN: &str = "::extern";

/// Modules of the library (or the only binary) whose root is `src/lib.rs` or `src/main.rs`. Other binaries
/// (`src/bin/…`, and `main.rs` next to a `lib.rs`) are crates of their own and left out.
pub fn modules(src: &Path) -> BTreeMap<Module, PathBuf> {
    let mut files = Vec::new();
    super::rust_files(src, &mut files);
    let has_lib = src.join("lib.rs").exists();
    let mut out = BTreeMap::new();
    for f in files {
        let rel = f.strip_prefix(src).expect("under src");
        let mut parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        if parts.first().is_some_and(|p| p == "bin") || (has_lib && parts == ["main.rs"]) {
            continue;
        }
        let last = parts.pop().expect("file name");
        let stem = last.trim_end_matches(".rs");
        if !(parts.is_empty() && (stem == "lib" || stem == "main")) && stem != "mod" {
            parts.push(stem.to_owned());
        }
        out.insert(parts, f);
    }
    out
}

/// The edges of the graph: module → the modules it names. A name a module re-exports (`pub use a::X`)
/// resolves to where it is defined, so that a parent re-exporting its children's items is not a cycle.
pub fn edges(modules: &BTreeMap<Module, PathBuf>) -> BTreeMap<Module, BTreeSet<Module>> {
    let mut parsed = BTreeMap::new();
    let mut reexports: BTreeMap<Module, BTreeMap<String, Module>> = BTreeMap::new();
    for (module, file) in modules {
        let text = std::fs::read_to_string(file).expect("read source");
        let tokens = tokens(&strip(&text));
        let children: Vec<&Module> = modules
            .keys()
            .filter(|k| k.len() == module.len() + 1 && k.starts_with(module))
            .collect();
        let found = paths(&tokens, module, &children);
        let names = reexports.entry(module.clone()).or_default();
        for (path, public_use) in &found {
            if let (true, Some(last)) = (*public_use, path.last()) {
                names.insert(last.clone(), path.clone());
            }
        }
        parsed.insert(module.clone(), found);
    }
    let mut out = BTreeMap::new();
    for (module, found) in parsed {
        let named = found
            .iter()
            .map(|(path, _)| resolve(modules, &reexports, path, 0))
            .filter(|target| target != &module && modules.contains_key(target))
            .collect();
        out.insert(module, named);
    }
    out
}

/// The longest known module a path starts with, following re-exports.
fn resolve(
    modules: &BTreeMap<Module, PathBuf>,
    reexports: &BTreeMap<Module, BTreeMap<String, Module>>,
    path: &[String],
    depth: usize,
) -> Module {
    if path.first().is_some_and(|s| s == EXTERN) {
        return path.to_vec();
    }
    let module = (0..=path.len())
        .rev()
        .map(|n| path[..n].to_vec())
        .find(|p| modules.contains_key(p))
        .unwrap_or_default();
    let item = path.get(module.len());
    match item.and_then(|i| reexports.get(&module)?.get(i)) {
        Some(target) if depth < 8 && target.as_slice() != path => {
            let rest = &path[module.len() + 1..];
            resolve(
                modules,
                reexports,
                &[target.clone(), rest.to_vec()].concat(),
                depth + 1,
            )
        }
        _ => module,
    }
}

/// Every path in `tokens` that starts at `crate`, `super`, `self` or a child module, as an absolute module
/// path (groups `a::{b, c::d}` expanded).
fn paths(tokens: &[String], module: &Module, children: &[&Module]) -> Vec<(Module, bool)> {
    let mut out = Vec::new();
    // Inline modules (`mod tests { … }`) open at a brace depth and shift `self` and `super`.
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < tokens.len() {
        let t = tokens[i].as_str();
        match t {
            "{" => depth += 1,
            "}" => {
                depth = depth.saturating_sub(1);
                if inline.last().is_some_and(|(_, d)| *d == depth) {
                    inline.pop();
                }
            }
            "mod" if tokens.get(i + 2).is_some_and(|b| b == "{") => {
                // A test module (`#[cfg(test)] mod tests { … }`) may reach anywhere in its crate.
                let attrs = &tokens[i.saturating_sub(6)..i];
                if attrs.iter().any(|t| t == "cfg") && attrs.iter().any(|t| t == "test") {
                    i = skip_block(tokens, i + 2);
                    continue;
                }
                inline.push((tokens[i + 1].clone(), depth));
                depth += 1;
                i += 3;
                continue;
            }
            _ => {}
        }
        let here: Module = module
            .iter()
            .cloned()
            .chain(inline.iter().map(|(n, _)| n.clone()))
            .collect();
        // `pub use other_crate::X`: names re-exported from outside the crate lead out of the graph.
        if t == "use"
            && tokens[i.saturating_sub(5)..i].iter().any(|t| t == "pub")
            && tokens.get(i + 1).is_some_and(|n| {
                is_ident(n)
                    && !["crate", "self", "super"].contains(&n.as_str())
                    && !children.iter().any(|c| c.last() == Some(n))
            })
        {
            let (trees, next) = use_tree(tokens, i + 1);
            for tree in trees {
                out.push(([vec![EXTERN.to_owned()], tree].concat(), true));
            }
            i = next;
            continue;
        }
        let prev_is_sep = i > 0 && tokens[i - 1] == "::";
        let base: Option<Module> = match t {
            "crate" => Some(Vec::new()),
            "self" | "super" => Some(here),
            _ if inline.is_empty() && children.iter().any(|c| c.last().is_some_and(|n| n == t)) => {
                Some(here)
            }
            _ => None,
        };
        if let Some(base) =
            base.filter(|_| !prev_is_sep && tokens.get(i + 1).is_some_and(|n| n == "::"))
        {
            let (trees, next) = use_tree(tokens, i);
            let public_use = i > 0
                && tokens[i - 1] == "use"
                && tokens[i.saturating_sub(6)..i].iter().any(|t| t == "pub");
            for tree in trees {
                out.push((absolute(&base, &tree), public_use));
            }
            i = next;
        } else {
            i += 1;
        }
    }
    out
}

/// The index after the block that opens at `open` (a `{`).
fn skip_block(tokens: &[String], open: usize) -> usize {
    let mut depth = 0usize;
    for (i, t) in tokens.iter().enumerate().skip(open) {
        match t.as_str() {
            "{" => depth += 1,
            "}" => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
    }
    tokens.len()
}

fn absolute(base: &Module, tree: &[String]) -> Module {
    let mut path = base.clone();
    let mut rest = tree;
    if rest.first().is_some_and(|s| s == "crate") {
        path.clear();
        rest = &rest[1..];
    }
    if rest.first().is_some_and(|s| s == "self") {
        rest = &rest[1..];
    }
    while rest.first().is_some_and(|s| s == "super") {
        path.pop();
        rest = &rest[1..];
    }
    path.extend(rest.iter().filter(|s| *s != "self").cloned());
    path
}

/// Parses `a::b::{c, d::{e}}` from `at`; returns its leaf paths and the index after it.
fn use_tree(tokens: &[String], at: usize) -> (Vec<Vec<String>>, usize) {
    let mut prefix = Vec::new();
    let mut i = at;
    loop {
        match tokens.get(i).map(String::as_str) {
            Some("{") => {
                let mut leaves = Vec::new();
                i += 1;
                while tokens.get(i).is_some_and(|t| t != "}") {
                    if tokens[i] == "," {
                        i += 1;
                        continue;
                    }
                    let (sub, next) = use_tree(tokens, i);
                    leaves.extend(sub.into_iter().map(|s| [prefix.clone(), s].concat()));
                    i = next.max(i + 1);
                }
                return (leaves, i + 1);
            }
            Some(t) if is_ident(t) => {
                prefix.push(t.to_owned());
                if tokens.get(i + 1).is_some_and(|n| n == "::") {
                    i += 2;
                } else {
                    return (vec![prefix], i + 1);
                }
            }
            _ => return (vec![prefix], i),
        }
    }
}

fn is_ident(t: &str) -> bool {
    t.chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
}

/// Identifiers, `::`, braces and commas; everything else is dropped.
fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push(chars[start..i].iter().collect());
            continue;
        }
        if c == ':' && chars.get(i + 1) == Some(&':') {
            out.push("::".to_owned());
            i += 2;
            continue;
        }
        if matches!(c, '{' | '}' | ',') {
            out.push(c.to_string());
        } else if !c.is_whitespace() {
            out.push(";".to_owned());
        }
        i += 1;
    }
    out
}

/// The source without comments, string and character literals (their text could look like paths).
fn strip(text: &str) -> String {
    let b: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < b.len() {
        match (b[i], b.get(i + 1).copied()) {
            ('/', Some('/')) => {
                while i < b.len() && b[i] != '\n' {
                    i += 1;
                }
            }
            ('/', Some('*')) => {
                let mut depth = 0;
                while i < b.len() {
                    if b[i] == '/' && b.get(i + 1) == Some(&'*') {
                        depth += 1;
                        i += 2;
                    } else if b[i] == '*' && b.get(i + 1) == Some(&'/') {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
            }
            ('r', Some('#' | '"'))
                if i == 0 || !(b[i - 1].is_alphanumeric() || b[i - 1] == '_') =>
            {
                let mut j = i + 1;
                let mut hashes = 0;
                while b.get(j) == Some(&'#') {
                    hashes += 1;
                    j += 1;
                }
                if b.get(j) != Some(&'"') {
                    out.push(b[i]);
                    i += 1;
                    continue;
                }
                j += 1;
                while j < b.len()
                    && !(b[j] == '"' && (0..hashes).all(|h| b.get(j + 1 + h) == Some(&'#')))
                {
                    j += 1;
                }
                i = j + 1 + hashes;
                out.push_str("\"\"");
            }
            ('"', _) => {
                i += 1;
                while i < b.len() && b[i] != '"' {
                    i += if b[i] == '\\' { 2 } else { 1 };
                }
                i += 1;
                out.push_str("\"\"");
            }
            ('\'', Some(_)) => {
                // A character literal closes within a few characters; a lifetime does not.
                let close = (i + 2..(i + 12).min(b.len())).find(|&j| b[j] == '\'');
                match close {
                    Some(j) if b[i + 1] == '\\' || j == i + 2 => i = j + 1,
                    _ => {
                        out.push(b[i]);
                        i += 1;
                    }
                }
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// The strongly connected components with more than one module (Tarjan), each sorted.
pub fn cycles(edges: &BTreeMap<Module, BTreeSet<Module>>) -> Vec<Vec<Module>> {
    struct Walk<'a> {
        edges: &'a BTreeMap<Module, BTreeSet<Module>>,
        index: BTreeMap<&'a Module, usize>,
        low: BTreeMap<&'a Module, usize>,
        stack: Vec<&'a Module>,
        found: Vec<Vec<Module>>,
    }
    impl<'a> Walk<'a> {
        fn visit(&mut self, v: &'a Module) {
            let n = self.index.len();
            self.index.insert(v, n);
            self.low.insert(v, n);
            self.stack.push(v);
            for w in self.edges.get(v).into_iter().flatten() {
                let Some((w, _)) = self.edges.get_key_value(w) else {
                    continue;
                };
                if !self.index.contains_key(w) {
                    self.visit(w);
                    let lw = self.low[w];
                    let lv = self.low.get_mut(v).expect("visited");
                    *lv = (*lv).min(lw);
                } else if self.stack.contains(&w) {
                    let iw = self.index[w];
                    let lv = self.low.get_mut(v).expect("visited");
                    *lv = (*lv).min(iw);
                }
            }
            if self.low[v] == self.index[v] {
                let mut component = Vec::new();
                while let Some(w) = self.stack.pop() {
                    component.push(w.clone());
                    if w == v {
                        break;
                    }
                }
                if component.len() > 1 {
                    component.sort();
                    self.found.push(component);
                }
            }
        }
    }
    let mut walk = Walk {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        found: Vec::new(),
    };
    for v in edges.keys() {
        if !walk.index.contains_key(v) {
            walk.visit(v);
        }
    }
    walk.found
}

/// `crate::a::b` for messages.
pub fn name(module: &Module) -> String {
    std::iter::once("crate".to_owned())
        .chain(module.iter().cloned())
        .collect::<Vec<_>>()
        .join("::")
}

#[test]
fn the_graph_reader_finds_a_cycle_and_only_a_cycle() {
    let dir = std::env::temp_dir().join(format!("module-graph-{}", std::process::id()));
    let src = dir.join("src");
    std::fs::create_dir_all(src.join("api")).expect("mkdir");
    let write = |p: &str, t: &str| std::fs::write(src.join(p), t).expect("write");
    write(
        "lib.rs",
        "mod api; mod store; mod clock;\npub use api::router;\n",
    );
    write(
        "api/mod.rs",
        "mod cases;\npub use other_crate::{Body, Detail};\npub fn router() { cases::route() }\n",
    );
    write(
        "api/cases.rs",
        "use crate::{clock::today, store::{Store, self}};\nuse super::Body;\n// crate::api::router in a comment\nlet s = \"crate::api\";\npub fn route<'a>() -> &'a str { 'x'; super::super::clock::today() }\n",
    );
    write(
        "store.rs",
        "pub struct Store;\n#[cfg(test)]\nmod tests {\n    use crate::api::router;\n}\n",
    );
    write("clock.rs", "pub fn today() {}\n");
    let m = modules(&src);
    let e = edges(&m);
    let v = |s: &[&str]| s.iter().map(|x| (*x).to_owned()).collect::<Module>();
    assert_eq!(
        e[&v(&["api", "cases"])],
        [v(&["clock"]), v(&["store"])].into_iter().collect()
    );
    assert!(cycles(&e).is_empty(), "{:?}", cycles(&e));
    write(
        "store.rs",
        "pub struct Store;\nfn f() { crate::router() }\n",
    );
    let e = edges(&modules(&src));
    let found = cycles(&e);
    assert_eq!(found.len(), 1, "{found:?}");
    // `crate::router` is `api::router` re-exported: the cycle runs store → api → api::cases → store.
    assert_eq!(
        found[0],
        vec![v(&["api"]), v(&["api", "cases"]), v(&["store"])]
    );
    std::fs::remove_dir_all(dir).ok();
}
