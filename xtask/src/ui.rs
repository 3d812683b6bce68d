//! The web UI: its build (npm packages installed from the lock file) and its tests.

use std::process::Command;

use anyhow::bail;

use crate::cmd::{cargo, npm, root, run};

/// Installs the UI's npm packages (exactly the lock file's) when they are missing or older than the
/// lock file, then type-checks and builds the UI into `ui/dist` (API types generated first).
pub fn ui_build() -> anyhow::Result<()> {
    if Command::new("node").arg("--version").output().is_err() {
        bail!(
            "Node.js is needed to build the web UI (Debian: apt-get install nodejs npm, or nodejs.org)"
        );
    }
    let ui = root().join("ui");
    let lock = std::fs::metadata(ui.join("package-lock.json"))?.modified()?;
    let installed = std::fs::metadata(ui.join("node_modules/.package-lock.json"))
        .and_then(|m| m.modified())
        .ok();
    if installed.is_none_or(|t| t < lock) {
        run(npm(&["ci", "--no-audit", "--no-fund"]))?;
    }
    run(npm(&["run", "build"]))
}

/// The UI's tests: Vitest, then the end-to-end run in Debian's Chromium against the release server.
pub fn ui_tests() -> anyhow::Result<()> {
    run(npm(&["test"]))?;
    browser_e2e(&e2e_files()?, &[])
}

/// The browser end-to-end files against the release server, with extra environment.
pub fn browser_e2e(files: &[String], env: &[(&str, &str)]) -> anyhow::Result<()> {
    // The release server and, in the same cargo run, the desktop app its tests use next: one build
    // with the features of both unified, instead of two that compile the shared crates twice.
    crate::release::release_build()?;
    // The virtual card (test double) writes the TEST JPKI PKI of the issuance station's test.
    let mut card = cargo();
    card.args(["build", "--locked", "-p", "madoguchi-virtual-card"]);
    run(card)?;
    let mut e2e = Command::new("node");
    e2e.args(["--test", "--test-reporter=spec", "--test-concurrency=1"])
        .args(files)
        .envs(env.iter().copied())
        .current_dir(root().join("ui"))
        .env(
            "MADOGUCHI_SERVER_BIN",
            root().join("target/release/madoguchi-server"),
        );
    run(e2e)
}

/// Every browser end-to-end file (`ui/e2e/*.e2e.mjs`), in name order; each starts its own server.
fn e2e_files() -> anyhow::Result<Vec<String>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(root().join("ui/e2e"))? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if name.ends_with(".e2e.mjs") {
            files.push(format!("e2e/{name}"));
        }
    }
    files.sort();
    Ok(files)
}
