//! `cargo xtask …`: the project's commands. See `cargo xtask help`.

use std::path::PathBuf;
use std::process::{Command, ExitCode};

use anyhow::bail;

mod cmd;
mod dist;
mod packages;
mod release;
mod ui;
mod update_sign;

use cmd::{cargo, root, run};
use release::release_build;
use ui::{ui_build, ui_tests};

const HELP: &str = "\
cargo xtask <command>

  demo [--residents N] [--listen ADDR]
        Build the web UI (npm) and the server (release), seed the demo city on first run (data
        kept in .madoguchi/), print the URL and the demo login, and serve.
  test  Run every test in the project (installs missing system packages with apt when root, the
        UI's npm packages, and moto's local S3 server from PyPI into target/pyenv): Rust tests,
        clippy, rustfmt, the UI's type check and Vitest tests, then the end-to-end tests in
        Debian's Chromium against the release server on a seeded demo city (E2E_RESIDENTS,
        default 20000; `bench browser` runs the staff flow on 1000000), the desktop app's kiosk and staff flows (release build under Xvfb,
        tauri-driver + WebKitWebDriver, virtual My Number card on vpcd), then the installers
        (the .deb installed and started; the MSI inspected and installed with Wine).
  dist windows | msi [--version V] [--out FILE] | deb [--profile P] [--out FILE]
        The terminal's installers: `windows` cross-builds the desktop app for Windows
        (x86_64-pc-windows-gnu, MinGW-w64; UI embedded) into target/installers/windows/ and builds
        the MSI (wixl) in target/installers/; `msi` only the MSI; `deb` the Linux package (dpkg-deb).
        installer/README.md (Japanese) is the deployment guide.
  bench search|import|audit|gate|login|certificate|forms|form-preview|navigation|qr|linkage|statistics|arrivals|browser|phone|postgres|card|sync|desktop|installers [--residents N]
        Benchmarks (release build; not part of CI). Figures go to BENCHMARKS.md by hand.
  update keygen|sign …
        The key that signs terminal updates and the signed files the server publishes
        (`cargo xtask update` for the options; docs/terminal.md § Updates).
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("demo") => demo(&args[1..]),
        Some("test") => test(),
        Some("bench") => bench(&args[1..]),
        Some("dist") => dist::run_dist(&args[1..]),
        Some("update") => update_sign::run(&args[1..]),
        Some("help" | "--help" | "-h") | None => {
            print!("{HELP}");
            Ok(())
        }
        Some(other) => Err(anyhow::anyhow!("unknown command `{other}`\n\n{HELP}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn demo(args: &[String]) -> anyhow::Result<()> {
    packages::ensure(packages::DEMO)?;
    ui_build()?;
    let mut build = cargo();
    build.args(["build", "--release", "--locked", "-p", "madoguchi-server"]);
    run(build)?;
    let data = root().join(".madoguchi");
    std::fs::create_dir_all(&data)?;
    let mut server = Command::new(root().join("target/release/madoguchi-server"));
    server
        .arg("--database")
        .arg(format!("sqlite://{}", data.join("demo.sqlite3").display()))
        .arg("demo")
        .args(args)
        .env("MADOGUCHI_UI_DIR", root().join("ui/dist"));
    run(server)
}

fn test() -> anyhow::Result<()> {
    packages::ensure(packages::TEST)?;
    // The desktop app embeds the built UI (ui/dist) when it compiles: build the UI first.
    ui_build()?;
    let moto = moto_server()?;
    let mut t = cargo();
    t.args(["test", "--workspace", "--locked"])
        .env("MADOGUCHI_MOTO_SERVER", &moto);
    run(t)?;
    if ensure_component("clippy") {
        let mut clippy = cargo();
        clippy.args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--locked",
            "--",
            "-D",
            "warnings",
        ]);
        run(clippy)?;
    }
    if ensure_component("rustfmt") {
        let mut fmt = cargo();
        fmt.args(["fmt", "--all", "--check"]);
        run(fmt)?;
    }
    ui_tests()?;
    desktop_e2e()?;
    installer_tests()?;
    eprintln!("xtask: all tests passed");
    Ok(())
}

/// moto's S3-compatible server (PyPI) in a virtual environment under `target/pyenv`: the object storage
/// tests run S3 against it on loopback. Pinned, installed once.
fn moto_server() -> anyhow::Result<PathBuf> {
    const MOTO: &str = "moto[server]==5.2.5";
    let venv = root().join("target/pyenv");
    let server = venv.join("bin/moto_server");
    let marker = venv.join(".installed");
    if server.exists() && std::fs::read_to_string(&marker).is_ok_and(|m| m == MOTO) {
        return Ok(server);
    }
    let mut create = Command::new("python3");
    create.args(["-m", "venv"]).arg(&venv);
    run(create)?;
    let mut install = Command::new(venv.join("bin/pip"));
    install.args(["install", "--quiet", "--disable-pip-version-check", MOTO]);
    run(install)?;
    std::fs::write(&marker, MOTO)?;
    Ok(server)
}

/// The desktop app's release build with the UI embedded (custom protocol), the release server, the
/// virtual card (test double) and tauri-driver (installed from crates.io when missing).
fn desktop_build() -> anyhow::Result<()> {
    release_build()?;
    let mut card = cargo();
    card.args(["build", "--locked", "-p", "madoguchi-virtual-card"]);
    run(card)?;
    let works = Command::new(tauri_driver())
        .arg("--help")
        .output()
        .is_ok_and(|o| o.status.success());
    if !works {
        let mut install = cargo();
        install.args(["install", "--locked", "tauri-driver", "--version", "2.1.0"]);
        run(install)?;
    }
    Ok(())
}

fn tauri_driver() -> PathBuf {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_default();
    let installed = home.join("bin/tauri-driver");
    if installed.exists() {
        installed
    } else {
        PathBuf::from("tauri-driver")
    }
}

/// The kiosk, staff and issuance station flows in the real desktop app (tests/desktop/*.e2e.mjs).
fn desktop_e2e() -> anyhow::Result<()> {
    desktop_build()?;
    let mut e2e = Command::new("node");
    e2e.args([
        "--test",
        "--test-reporter=spec",
        "--test-concurrency=1",
        "tests/desktop/kiosk.e2e.mjs",
        "tests/desktop/staff.e2e.mjs",
        "tests/desktop/station.e2e.mjs",
    ])
    .current_dir(root())
    .env("TAURI_DRIVER", tauri_driver());
    run(e2e)
}

/// The installers (issue 9): the .deb of the release build the desktop tests used, installed with dpkg and
/// started under Xvfb; then the Windows cross-build, its MSI and a second MSI one version higher,
/// inspected with msitools and installed, upgraded and removed with Wine's Windows Installer.
fn installer_tests() -> anyhow::Result<()> {
    packages::ensure(packages::TEST_INSTALLERS)?;
    let version = dist::workspace_version();
    let deb = dist::deb("release", version, None)?;
    let mut deb_e2e = Command::new("node");
    deb_e2e
        .args([
            "--test",
            "--test-reporter=spec",
            "tests/desktop/deb.e2e.mjs",
        ])
        .current_dir(root())
        .env("TAURI_DRIVER", tauri_driver())
        .env("MADOGUCHI_DEB", &deb);
    run(deb_e2e)?;
    dist::windows_build()?;
    let msi = dist::msi(version, None)?;
    let next = dist::next_version(version)?;
    let upgrade = dist::msi(
        &next,
        Some(&root().join("target/installers/upgrade-test.msi")),
    )?;
    let mut windows = Command::new("node");
    windows
        .args([
            "--test",
            "--test-reporter=spec",
            "tests/installer/windows.test.mjs",
        ])
        .current_dir(root())
        .env("MADOGUCHI_MSI", &msi)
        .env("MADOGUCHI_MSI_VERSION", version)
        .env("MADOGUCHI_MSI_UPGRADE", &upgrade)
        .env("MADOGUCHI_MSI_UPGRADE_VERSION", &next);
    run(windows)
}

/// Whether a rustup component's cargo subcommand works, adding the component when it is missing.
fn ensure_component(component: &str) -> bool {
    let sub = if component == "rustfmt" {
        "fmt"
    } else {
        component
    };
    let works = || {
        cargo()
            .args([sub, "--version"])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if works() {
        return true;
    }
    eprintln!("xtask: installing the rustup component {component}");
    let added = Command::new("rustup")
        .args(["component", "add", component])
        .status()
        .is_ok_and(|s| s.success());
    if added && works() {
        return true;
    }
    eprintln!("xtask: WARNING: {component} is not available; skipping that check");
    false
}

fn bench(args: &[String]) -> anyhow::Result<()> {
    let Some(which) = args.first() else {
        bail!(
            "bench needs `search`, `import`, `audit`, `gate`, `login`, `certificate`, `forms`, `form-preview`, `navigation`, `qr`, `linkage`, `statistics`, `arrivals`, `browser`, `phone`, `postgres`, `card`, `sync`, `desktop` or `installers`"
        )
    };
    if ![
        "search",
        "import",
        "audit",
        "gate",
        "login",
        "certificate",
        "forms",
        "form-preview",
        "navigation",
        "qr",
        "linkage",
        "statistics",
        "arrivals",
        "browser",
        "phone",
        "postgres",
        "card",
        "sync",
        "desktop",
        "installers",
    ]
    .contains(&which.as_str())
    {
        bail!(
            "unknown benchmark `{which}` (search | import | audit | gate | login | certificate | forms | form-preview | navigation | qr | linkage | statistics | arrivals | browser | phone | postgres | card | sync | desktop | installers)"
        );
    }
    if which == "statistics" {
        // SQLite (the benchmark binary), then PostgreSQL: an example, as its throwaway cluster (Debian's
        // binaries) comes from the test kit, a dev-dependency.
        packages::ensure(packages::TEST)?;
        let mut b = cargo();
        b.args([
            "run",
            "--release",
            "--locked",
            "-p",
            "madoguchi-bench",
            "--",
        ])
        .args(args);
        run(b)?;
        let mut b = cargo();
        b.args([
            "run",
            "--release",
            "--locked",
            "-p",
            "madoguchi-bench",
            "--example",
            "statistics_pg",
        ]);
        return run(b);
    }
    if which == "forms" || which == "form-preview" || which == "certificate" {
        packages::ensure(packages::BENCH_FORMS)?;
    }
    if which == "sync" {
        let mut b = cargo();
        b.args([
            "run",
            "--release",
            "--locked",
            "-p",
            "madoguchi-terminal-runtime",
            "--example",
            "sync_bench",
        ]);
        return run(b);
    }
    if which == "desktop" {
        packages::ensure(packages::TEST)?;
        ui_build()?;
        desktop_build()?;
        let mut b = Command::new("node");
        b.arg("tests/desktop/bench.mjs")
            .current_dir(root())
            .env("TAURI_DRIVER", tauri_driver());
        return run(b);
    }
    if which == "postgres" {
        // A throwaway PostgreSQL cluster from Debian's binaries: search p99 and import vs raw COPY.
        packages::ensure(packages::TEST)?;
        let residents = args
            .iter()
            .position(|a| a == "--residents")
            .and_then(|i| args.get(i + 1))
            .cloned()
            .unwrap_or_else(|| "1000000".into());
        let mut b = cargo();
        b.args([
            "run",
            "--release",
            "--locked",
            "-p",
            "madoguchi-store-postgres",
            "--example",
            "pg_bench",
            "--",
            &residents,
        ]);
        return run(b);
    }
    if which == "browser" {
        // The staff flow in Chromium on 1,000,000 residents, its load time and search goals asserted
        // (`ui/test-results/e2e/report.json`).
        packages::ensure(packages::TEST)?;
        ui_build()?;
        release_build()?;
        return ui::browser_e2e(&["e2e/staff.e2e.mjs".into()], &[("E2E_BENCH", "1")]);
    }
    if which == "phone" {
        // The resident phone app's first load on simulated slow 4G against the staff app's, in Chromium.
        packages::ensure(packages::TEST)?;
        ui_build()?;
        release_build()?;
        return ui::browser_e2e(&["bench/phone-load.bench.mjs".into()], &[]);
    }
    if which == "installers" {
        desktop_build()?;
        return dist::bench_sizes();
    }
    if which == "card" {
        // Through real pcscd + vpcd with the virtual card: an example of the PC/SC crate (it may use
        // the test double, which only tests and examples depend on).
        packages::ensure(packages::TEST)?;
        let mut b = cargo();
        b.args([
            "run",
            "--release",
            "--locked",
            "-p",
            "madoguchi-card-pcsc",
            "--example",
            "card_bench",
        ]);
        return run(b);
    }
    let mut b = cargo();
    b.args([
        "run",
        "--release",
        "--locked",
        "-p",
        "madoguchi-bench",
        "--",
    ])
    .args(args);
    run(b)
}
