//! Tidy checks: the architecture invariants of ARCHITECTURE.md, enforced by `cargo test`.

use std::path::{Path, PathBuf};

mod module_graph;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let p = entry.expect("entry").path();
        if p.is_dir() {
            if !p.ends_with("target")
                && !p
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            {
                rust_files(&p, out);
            }
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn core_is_pure() {
    let mut files = Vec::new();
    rust_files(&root().join("crates/madoguchi-core/src"), &mut files);
    assert!(!files.is_empty());
    let forbidden = [
        "std::fs",
        "std::net",
        "std::process",
        "SystemTime",
        "Utc::now",
        "Local::now",
        "Instant::now",
        "std::env",
    ];
    for f in files {
        let text = std::fs::read_to_string(&f).expect("read");
        for word in forbidden {
            assert!(
                !text.contains(word),
                "{} uses `{word}`: core/ must stay pure (no I/O, no clock)",
                f.display()
            );
        }
    }
    let manifest =
        std::fs::read_to_string(root().join("crates/madoguchi-core/Cargo.toml")).expect("manifest");
    let deps = manifest
        .split("[dependencies]")
        .nth(1)
        .unwrap_or("")
        .split("\n[")
        .next()
        .unwrap_or("");
    for line in deps
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let name = line.split(['=', '.', ' ']).next().unwrap_or("");
        assert!(
            ["chrono", "serde", "serde_json", "toml", "utoipa"].contains(&name),
            "core/ may not depend on `{name}` (pure crate: chrono, serde/serde_json/toml for its data, utoipa for its OpenAPI schemas)"
        );
    }
}

#[test]
fn no_crate_but_src_tauri_depends_on_tauri() {
    for entry in walk_manifests(&root()) {
        let text = std::fs::read_to_string(&entry).expect("read");
        if entry.parent().is_some_and(|p| p.ends_with("src-tauri")) {
            continue;
        }
        assert!(
            !text.lines().any(|l| l.trim_start().starts_with("tauri")),
            "{} depends on tauri; only src-tauri may",
            entry.display()
        );
    }
}

#[test]
fn only_the_pcsc_driver_links_libpcsclite() {
    for entry in walk_manifests(&root()) {
        let text = std::fs::read_to_string(&entry).expect("read");
        if entry
            .parent()
            .is_some_and(|p| p.ends_with("device-drivers/pcsc"))
        {
            continue;
        }
        assert!(
            !text.lines().any(|l| {
                let l = l.trim_start();
                l.starts_with("pcsc ") || l.starts_with("pcsc=") || l.starts_with("pcsc-sys")
            }),
            "{} depends on pcsc; only device-drivers/pcsc may",
            entry.display()
        );
    }
}

/// Test support never ships: the virtual My Number card (a test double) and the testkit (conformance
/// suite, throwaway PostgreSQL, moto, `TestApp`) are named only under `[dev-dependencies]`.
#[test]
fn test_support_is_only_a_dev_dependency() {
    const TEST_ONLY: [&str; 2] = ["madoguchi-virtual-card", "madoguchi-testkit"];
    let mut uses = 0;
    for entry in walk_manifests(&root()) {
        if entry == root().join("Cargo.toml") {
            continue; // the workspace's dependency table only declares versions
        }
        let text = std::fs::read_to_string(&entry).expect("read");
        let mut section = String::new();
        for line in text.lines() {
            let l = line.trim();
            if l.starts_with('[') {
                section = l.to_owned();
            } else if let Some(name) = TEST_ONLY.iter().find(|n| l.starts_with(*n)) {
                uses += 1;
                assert_eq!(
                    section,
                    "[dev-dependencies]",
                    "{} uses {name} outside its tests",
                    entry.display()
                );
            }
        }
    }
    assert!(uses >= 4, "no use of the test support was found ({uses})");
}

fn walk_manifests(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let p = entry.expect("entry").path();
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if p.is_dir()
            && !name.starts_with('.')
            && !name.starts_with("target")
            && name != "node_modules"
        {
            out.extend(walk_manifests(&p));
        } else if name == "Cargo.toml" {
            out.push(p);
        }
    }
    out
}

#[test]
fn every_crate_is_in_the_code_map() {
    let arch = std::fs::read_to_string(root().join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    for manifest in walk_manifests(&root()) {
        let dir = manifest
            .parent()
            .expect("dir")
            .strip_prefix(root())
            .expect("inside root");
        if dir.as_os_str().is_empty() {
            continue;
        }
        let shown = format!("`{}/`", dir.display());
        assert!(
            arch.contains(&shown),
            "ARCHITECTURE.md code map does not mention {shown}"
        );
    }
}

/// The package name a manifest declares.
fn package_name(manifest: &Path) -> Option<String> {
    let text = std::fs::read_to_string(manifest).expect("manifest");
    let package = text.split("[package]").nth(1)?;
    package.lines().find_map(|l| {
        let l = l.trim();
        l.strip_prefix("name = \"")
            .and_then(|rest| rest.strip_suffix('"'))
            .map(str::to_owned)
    })
}

/// Flat layout: no crate inside another crate's folder, and a crate under `crates/` lives in the folder
/// named as the crate.
#[test]
fn crates_are_flat_and_named_by_their_folder() {
    let manifests = walk_manifests(&root());
    let crate_dirs: Vec<PathBuf> = manifests
        .iter()
        .filter_map(|m| m.parent().map(Path::to_path_buf))
        .filter(|d| d != &root())
        .collect();
    for dir in &crate_dirs {
        for other in &crate_dirs {
            assert!(
                other == dir || !dir.starts_with(other),
                "{} is a crate inside the crate {}: move it to crates/<name>/",
                dir.display(),
                other.display()
            );
        }
    }
    for entry in std::fs::read_dir(root().join("crates")).expect("crates/") {
        let dir = entry.expect("entry").path();
        let manifest = dir.join("Cargo.toml");
        if manifest.exists() {
            let name = package_name(&manifest).expect("package name");
            assert_eq!(
                dir.file_name().map(|n| n.to_string_lossy().into_owned()),
                Some(name.clone()),
                "crates/ holds crate {name} in another folder"
            );
        }
    }
}

/// No two crates, and no crate and binary, share a name.
#[test]
fn no_two_artefacts_share_a_name() {
    let mut names = std::collections::BTreeMap::new();
    for manifest in walk_manifests(&root()) {
        let text = std::fs::read_to_string(&manifest).expect("manifest");
        let package = package_name(&manifest);
        let bins = text.split("[[bin]]").skip(1).filter_map(|b| {
            b.lines().find_map(|l| {
                l.trim()
                    .strip_prefix("name = \"")
                    .and_then(|r| r.strip_suffix('"'))
                    .map(str::to_owned)
            })
        });
        // A package and its own binary of the same name are one artefact.
        let mut own: Vec<String> = package.iter().cloned().collect();
        own.extend(bins.filter(|b| Some(b) != package.as_ref()));
        for name in own {
            if let Some(first) = names.insert(name.clone(), manifest.clone()) {
                panic!(
                    "{name} is named twice: {} and {}",
                    first.display(),
                    manifest.display()
                );
            }
        }
    }
}

#[test]
fn readme_has_the_two_commands_and_ci_calls_the_tests() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    assert!(readme.contains("cargo xtask demo") && readme.contains("cargo xtask test"));
    let ci = std::fs::read_to_string(root().join(".ci/run")).expect(".ci/run");
    assert!(ci.contains("cargo xtask test"));
}

#[test]
fn no_unfinished_markers() {
    let mut files = Vec::new();
    for dir in ["crates", "api-server", "xtask"] {
        rust_files(&root().join(dir), &mut files);
    }
    let markers = [
        concat!("todo", "!("),
        concat!("unimplemented", "!("),
        concat!("#[", "ignore", "]"),
    ];
    for f in files {
        let text = std::fs::read_to_string(&f).expect("read");
        for m in markers {
            assert!(!text.contains(m), "{} contains {m}", f.display());
        }
    }
}

fn ui_sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let p = entry.expect("entry").path();
        if p.is_dir() {
            ui_sources(&p, out);
        } else if p.extension().is_some_and(|e| e == "ts" || e == "tsx")
            && !p.to_string_lossy().ends_with(".d.ts")
        {
            out.push(p);
        }
    }
}

/// The webview reaches the server and the devices only through the `Backend` interface: no screen
/// calls `fetch` or opens sockets, and only the Tauri adapter may import `@tauri-apps/*`.
#[test]
fn the_ui_reaches_the_backend_only_through_its_interface() {
    let src = root().join("ui/src");
    let mut files = Vec::new();
    ui_sources(&src, &mut files);
    assert!(files.len() > 10, "ui sources found");
    for f in files {
        let rel = f
            .strip_prefix(&src)
            .expect("inside ui/src")
            .to_string_lossy()
            .replace('\\', "/");
        let text = std::fs::read_to_string(&f).expect("read");
        let is_test = rel.contains(".test.") || rel.starts_with("test/");
        if !is_test && rel != "backend/http.ts" {
            for call in ["fetch(", "XMLHttpRequest", "WebSocket("] {
                assert!(
                    !text.contains(call),
                    "ui/src/{rel} uses {call}: go through the Backend interface"
                );
            }
        }
        let imports_tauri = text.contains("'@tauri-apps/") || text.contains("\"@tauri-apps/");
        if rel != "backend/tauri.ts" {
            assert!(
                !imports_tauri,
                "ui/src/{rel} imports @tauri-apps: only backend/tauri.ts may"
            );
        }
    }
}

/// No import cycle inside any crate: a module never depends, through others, on itself (module graph read
/// from the sources, see `module_graph`). Parents assemble their children; children do not reach back.
#[test]
fn no_import_cycle_inside_a_crate() {
    let mut report = Vec::new();
    let mut crates = 0;
    for manifest in walk_manifests(&root()) {
        let dir = manifest.parent().expect("crate dir");
        let src = dir.join("src");
        if !src.is_dir() {
            continue;
        }
        let name = dir
            .strip_prefix(root())
            .expect("in the workspace")
            .to_string_lossy()
            .replace('\\', "/");
        crates += 1;
        let edges = module_graph::edges(&module_graph::modules(&src));
        let cycles = module_graph::cycles(&edges);
        for cycle in &cycles {
            let names: Vec<String> = cycle.iter().map(module_graph::name).collect();
            report.push(format!("{name}: {}", names.join(" ⇄ ")));
        }
    }
    assert!(crates >= 15, "the crates were not found ({crates})");
    assert!(report.is_empty(), "import cycles:\n{}", report.join("\n"));
}

/// Prints a crate's module graph, to find where a cycle runs:
/// `MODULE_GRAPH=api-server cargo test -p xtask --test tidy print_module_graph -- --ignored --nocapture`.
#[test]
#[ignore = "a developer's tool"]
fn print_module_graph() {
    let dir = std::env::var("MODULE_GRAPH").unwrap_or_else(|_| "api-server".into());
    let edges = module_graph::edges(&module_graph::modules(&root().join(dir).join("src")));
    let cyclic: Vec<_> = module_graph::cycles(&edges).into_iter().flatten().collect();
    for (from, to) in &edges {
        if cyclic.contains(from) {
            let to: Vec<String> = to
                .iter()
                .filter(|t| cyclic.contains(t))
                .map(module_graph::name)
                .collect();
            println!("{} -> {}", module_graph::name(from), to.join(", "));
        }
    }
}

/// The workspace crates a manifest's `[dependencies]` name (not dev- or build-dependencies).
fn workspace_dependencies(manifest: &Path) -> std::collections::BTreeSet<String> {
    let text = std::fs::read_to_string(manifest).expect("manifest");
    let mut out = std::collections::BTreeSet::new();
    let mut in_deps = false;
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            in_deps = line == "[dependencies]"
                || line.starts_with("[target.") && line.ends_with(".dependencies]");
            continue;
        }
        if in_deps && line.starts_with("madoguchi-") {
            let name = line.split(['=', '.', ' ']).next().unwrap_or("");
            out.insert(name.to_owned());
        }
    }
    out
}

/// ARCHITECTURE.md's code map says which workspace crates each crate may import; the manifests agree.
#[test]
fn crates_import_only_what_the_code_map_allows() {
    let map = std::fs::read_to_string(root().join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    let mut checked = 0;
    for row in map.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let (Some(path), Some(krate), Some(allowed)) = (cells.get(1), cells.get(2), cells.get(3))
        else {
            continue;
        };
        if krate.is_empty() || !krate.starts_with('`') || allowed.starts_with('(') {
            continue;
        }
        let manifest = root().join(path.trim_matches('`')).join("Cargo.toml");
        assert!(manifest.exists(), "code map row {path}: no Cargo.toml");
        let allowed: std::collections::BTreeSet<String> = allowed
            .split(',')
            .map(|s| s.trim().trim_matches('`').to_owned())
            .filter(|s| s.starts_with("madoguchi-"))
            .collect();
        let actual = workspace_dependencies(&manifest);
        assert_eq!(
            actual, allowed,
            "{krate} imports what ARCHITECTURE.md's code map does not say (or the map names what it no longer imports)"
        );
        checked += 1;
    }
    assert!(
        checked >= 10,
        "the code map's rows were not read ({checked})"
    );
}

/// In the server, `api` speaks HTTP and the services below it never import it (they return their own
/// errors, which `api/error.rs` maps to HTTP).
#[test]
fn server_services_never_import_the_http_layer() {
    let edges = module_graph::edges(&module_graph::modules(&root().join("api-server/src")));
    let is_api = |m: &module_graph::Module| m.first().is_some_and(|s| s == "api");
    let mut report = Vec::new();
    for (from, to) in &edges {
        if from.is_empty() || is_api(from) {
            continue;
        }
        for target in to.iter().filter(|t| is_api(t)) {
            report.push(format!(
                "{} imports {}",
                module_graph::name(from),
                module_graph::name(target)
            ));
        }
    }
    assert!(
        report.is_empty(),
        "services import the HTTP layer:\n{}",
        report.join("\n")
    );
}

/// utoipa names a schema by its type's name and keeps one per name: two API types of the same name would
/// silently share one schema in `openapi.json` (and in the UI's generated types). Every type deriving
/// `ToSchema` in the crates the server's document is built from has a name of its own (or a
/// `#[schema(as = …)]` rename).
#[test]
fn no_two_api_schemas_share_a_name() {
    let mut files = Vec::new();
    for dir in [
        "api-server/src",
        "crates/madoguchi-api/src",
        "crates/madoguchi-core/src",
    ] {
        rust_files(&root().join(dir), &mut files);
    }
    let mut seen: std::collections::BTreeMap<String, PathBuf> = std::collections::BTreeMap::new();
    let mut clashes = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("read");
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            if !line.contains("ToSchema") || !line.contains("derive") {
                continue;
            }
            // The item the attribute belongs to: the next `pub struct` / `pub enum` line, unless renamed.
            let mut renamed = false;
            for next in lines.iter().skip(i + 1).take(8) {
                renamed |= next.contains("schema(as");
                let item = next
                    .trim_start()
                    .strip_prefix("pub struct ")
                    .or_else(|| next.trim_start().strip_prefix("pub enum "));
                if let Some(rest) = item {
                    let name: String = rest
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    if !renamed && let Some(first) = seen.insert(name.clone(), file.clone()) {
                        clashes.push(format!(
                            "{name}: {} and {}",
                            first.display(),
                            file.display()
                        ));
                    }
                    break;
                }
            }
        }
    }
    assert!(
        clashes.is_empty(),
        "API schemas sharing a name:\n{}",
        clashes.join("\n")
    );
}
