//! System packages the commands need, installed with apt when missing (as root), saying what and why.

use std::process::Command;

use anyhow::bail;

/// (Debian package, why it is needed).
pub type Packages = &'static [(&'static str, &'static str)];

/// `cargo xtask demo`: the fonts the server prints forms with (SQLite is compiled in).
pub const DEMO: Packages = &[
    ("fonts-ipamj-mincho", "IPAmj明朝, embedded in printed forms"),
    (
        "fonts-ipaexfont-gothic",
        "IPAex ゴシック, embedded in printed forms",
    ),
];

/// `cargo xtask bench forms`: the fonts, and Chromium for the baseline (an HTML page printed to PDF).
pub const BENCH_FORMS: Packages = &[
    ("fonts-ipamj-mincho", "IPAmj明朝, embedded in forms"),
    (
        "fonts-ipaexfont-gothic",
        "IPAex ゴシック, embedded in forms",
    ),
    (
        "chromium",
        "the baseline: headless Chromium printing the same forms as HTML to PDF",
    ),
    ("poppler-utils", "pdfinfo counts the baseline's pages"),
];

/// `cargo xtask test`: the fonts forms embed, poppler's tools the forms tests read PDFs with (SQLite
/// is compiled in), Chromium for the UI's end-to-end tests, and the PC/SC stack the card reader is
/// built against and tested through (pcscd with vsmartcard's virtual reader).
pub const TEST: Packages = &[
    ("pkg-config", "the pcsc crate finds libpcsclite with it"),
    (
        "libpcsclite-dev",
        "the card reader links libpcsclite (PC/SC)",
    ),
    ("pcscd", "the real PC/SC daemon the card tests run through"),
    (
        "vsmartcard-vpcd",
        "the virtual reader the virtual My Number card (test double) connects to",
    ),
    (
        "opensc",
        "pkcs15-tool checks that OpenSC's JPKI driver accepts the virtual card",
    ),
    (
        "chromium",
        "the staff UI's end-to-end tests run in Debian's Chromium (playwright-core)",
    ),
    (
        "fonts-ipamj-mincho",
        "IPAmj明朝, embedded in forms for names and addresses",
    ),
    (
        "fonts-ipaexfont-gothic",
        "IPAex ゴシック, embedded in forms for labels",
    ),
    (
        "poppler-utils",
        "pdftotext, pdffonts and pdfinfo check rendered forms",
    ),
    (
        "libwebkit2gtk-4.1-dev",
        "the desktop terminal app (Tauri) is built against WebKitGTK",
    ),
    (
        "libsoup-3.0-dev",
        "WebKitGTK's HTTP library, for the desktop app",
    ),
    (
        "libjavascriptcoregtk-4.1-dev",
        "WebKitGTK's JavaScript engine, for the desktop app",
    ),
    ("librsvg2-dev", "icons of the desktop app (GTK)"),
    ("libxdo-dev", "the desktop app's menus (muda) link libxdo"),
    (
        "webkit2gtk-driver",
        "WebKitWebDriver, which tauri-driver drives the desktop app's end-to-end tests with",
    ),
    (
        "xvfb",
        "a virtual X display for the desktop app's end-to-end tests",
    ),
    ("xauth", "xvfb-run needs it"),
    (
        "python3-venv",
        "a virtual environment for moto, the local S3-compatible server of the object storage tests",
    ),
    (
        "postgresql",
        "initdb and postgres for the PostgreSQL store's tests, each on a throwaway cluster",
    ),
];

/// `cargo xtask dist windows`: the MinGW-w64 toolchain links the Windows build of the desktop app.
pub const DIST_WINDOWS: Packages = &[(
    "gcc-mingw-w64-x86-64",
    "links the desktop app for x86_64-pc-windows-gnu",
)];

/// `cargo xtask dist msi`: msitools' wixl builds the MSI from the WiX source, msibuild and msiinfo
/// finish and check it.
pub const DIST_MSI: Packages = &[
    (
        "wixl",
        "builds the terminal's MSI from installer/madoguchi-terminal.wxs",
    ),
    (
        "msitools",
        "msibuild sets the MSI's codepage and Japanese texts; msiinfo checks it",
    ),
];

/// `cargo xtask dist deb`: dpkg-shlibdeps computes the package's dependencies.
pub const DIST_DEB: Packages = &[(
    "dpkg-dev",
    "dpkg-shlibdeps computes the .deb's dependencies",
)];

/// The installer tests of `cargo xtask test`: building the MSI and the .deb, and Wine's Windows Installer
/// engine to install the MSI for real.
pub const TEST_INSTALLERS: Packages = &[
    ("wixl", "builds the terminal's MSI"),
    (
        "msitools",
        "msibuild finishes the MSI; msiinfo and msiextract inspect it",
    ),
    (
        "dpkg-dev",
        "dpkg-shlibdeps computes the .deb's dependencies",
    ),
    (
        "gcc-mingw-w64-x86-64",
        "links the Windows build and the Wine shim of the installer test",
    ),
    (
        "wine64",
        "Wine's Windows Installer engine installs the MSI in the tests",
    ),
    ("wine", "the wine command"),
];

fn installed(pkg: &str) -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", pkg])
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("install ok installed"))
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// Installs the missing packages of `wanted`; fails with the list when not root.
pub fn ensure(wanted: Packages) -> anyhow::Result<()> {
    if Command::new("dpkg-query")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("xtask: not a Debian system; make sure these are installed: {wanted:?}");
        return Ok(());
    }
    let missing: Vec<_> = wanted.iter().filter(|(p, _)| !installed(p)).collect();
    if missing.is_empty() {
        return Ok(());
    }
    for (p, why) in &missing {
        eprintln!("xtask: installing {p} ({why})");
    }
    let names: Vec<&str> = missing.iter().map(|(p, _)| *p).collect();
    if !is_root() {
        bail!(
            "missing system packages: {}; run as root or `sudo apt-get install {}`",
            names.join(", "),
            names.join(" ")
        );
    }
    let update = Command::new("apt-get")
        .args(["update", "-qq"])
        .env("DEBIAN_FRONTEND", "noninteractive")
        .status()?;
    if !update.success() {
        bail!("apt-get update failed");
    }
    let status = Command::new("apt-get")
        .args(["install", "-y", "-qq", "--no-install-recommends"])
        .args(&names)
        .env("DEBIAN_FRONTEND", "noninteractive")
        .status()?;
    if !status.success() {
        bail!("apt-get install {} failed", names.join(" "));
    }
    Ok(())
}
