//! The release build the test suite and the benchmarks share.

use crate::cmd::{cargo, run};

/// The release server and desktop app (UI embedded) in one cargo run: the browser tests, the desktop
/// tests and the .deb all use this build, so the crates both share compile once.
pub fn release_build() -> anyhow::Result<()> {
    let mut build = cargo();
    build.args([
        "build",
        "--release",
        "--locked",
        "-p",
        "madoguchi-terminal-app",
        "--features",
        "custom-protocol",
        "-p",
        "madoguchi-server",
    ]);
    run(build)
}
