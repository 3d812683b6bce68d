//! `cargo xtask dist …`: what IT installs on counter terminals.
//!
//! - `windows`: the desktop app cross-built for x86_64-pc-windows-gnu (MinGW-w64, `dist` profile, UI
//!   embedded) into `target/installers/windows/`, then the MSI.
//! - `msi [--version V] [--out FILE]`: the MSI from that build (`installer/madoguchi-terminal.wxs` with
//!   wixl, then codepage 932 and the Japanese texts of `installer/after-wixl.sql` with msibuild).
//! - `deb [--profile P] [--out FILE]`: the Linux package (dpkg-deb) of the app built with profile P
//!   (`dist` by default, built here; the tests package the `release` build they already made).

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};

use crate::cmd::{cargo, root, run};
use crate::packages;
use crate::ui::ui_build;

const WINDOWS_TARGET: &str = "x86_64-pc-windows-gnu";

/// The workspace version (xtask's own version is the workspace's).
pub fn workspace_version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

pub fn run_dist(args: &[String]) -> anyhow::Result<()> {
    let opt = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let version = opt("--version").unwrap_or_else(|| workspace_version().to_string());
    let out = opt("--out").map(PathBuf::from);
    match args.first().map(String::as_str) {
        Some("windows") => {
            windows_build()?;
            let msi = msi(&version, out.as_deref())?;
            eprintln!("xtask: {}", msi.display());
            Ok(())
        }
        Some("msi") => {
            let msi = msi(&version, out.as_deref())?;
            eprintln!("xtask: {}", msi.display());
            Ok(())
        }
        Some("deb") => {
            let profile = opt("--profile").unwrap_or_else(|| "dist".into());
            let deb = deb(&profile, &version, out.as_deref())?;
            eprintln!("xtask: {}", deb.display());
            Ok(())
        }
        _ => bail!("dist needs `windows`, `msi [--version V] [--out FILE]` or `deb [--profile P]`"),
    }
}

/// The desktop app for Windows in `target/installers/windows/`: madoguchi-terminal.exe, WebView2Loader.dll.
pub fn windows_build() -> anyhow::Result<()> {
    packages::ensure(packages::DIST_WINDOWS)?;
    let has_target = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .is_ok_and(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .any(|l| l == WINDOWS_TARGET)
        });
    if !has_target {
        let mut add = Command::new("rustup");
        add.args(["target", "add", WINDOWS_TARGET]);
        run(add)?;
    }
    ui_build()?;
    let mut build = cargo();
    build
        .args([
            "build",
            "--locked",
            "--profile",
            "dist",
            "--target",
            WINDOWS_TARGET,
            "-p",
            "madoguchi-terminal-app",
            "--features",
            "custom-protocol",
        ])
        .env(
            "CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER",
            "x86_64-w64-mingw32-gcc",
        );
    run(build)?;
    let built = root().join("target").join(WINDOWS_TARGET).join("dist");
    let out = root().join("target/installers/windows");
    std::fs::create_dir_all(&out)?;
    for file in ["madoguchi-terminal.exe", "WebView2Loader.dll"] {
        std::fs::copy(built.join(file), out.join(file))
            .with_context(|| format!("{file} was not built"))?;
    }
    eprintln!("xtask: Windows build in {}", out.display());
    Ok(())
}

/// Windows Installer versions are three numbers: major (≤ 255), minor (≤ 255), build (≤ 65535).
fn check_msi_version(version: &str) -> anyhow::Result<()> {
    let parts: Vec<&str> = version.split('.').collect();
    let limits = [255u32, 255, 65535];
    let ok = parts.len() == 3
        && parts
            .iter()
            .zip(limits)
            .all(|(p, max)| p.parse::<u32>().is_ok_and(|n| n <= max));
    if !ok {
        bail!("MSI versions are major.minor.build (255.255.65535 at most), not `{version}`");
    }
    Ok(())
}

/// The next build number of a version (0.1.0 → 0.1.1): the upgrade the installer tests install.
pub fn next_version(version: &str) -> anyhow::Result<String> {
    check_msi_version(version)?;
    let (head, build) = version.rsplit_once('.').context("version")?;
    let next = format!("{head}.{}", build.parse::<u32>()? + 1);
    check_msi_version(&next)?;
    Ok(next)
}

/// Builds the MSI from `target/installers/windows/` (see the module comment).
pub fn msi(version: &str, out: Option<&Path>) -> anyhow::Result<PathBuf> {
    packages::ensure(packages::DIST_MSI)?;
    check_msi_version(version)?;
    let source = root().join("target/installers/windows");
    for file in ["madoguchi-terminal.exe", "WebView2Loader.dll"] {
        if !source.join(file).exists() {
            bail!("{file} is missing: run `cargo xtask dist windows` first");
        }
    }
    // wixl resolves sources relative to the working directory and leaves temporary files next to its
    // output: build in a folder of our own, then move the package into place.
    let work = root().join("target/installers/msi-build");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work)?;
    let built = work.join("madoguchi-terminal.msi");
    let mut wixl = Command::new("wixl");
    wixl.current_dir(root())
        .args(["-a", "x64", "-D"])
        .arg(format!("Version={version}"))
        .args([
            "-D",
            "SourceDir=target/installers/windows",
            "-D",
            "IconFile=src-tauri/icons/icon.ico",
            "-o",
        ])
        .arg(&built)
        .arg("installer/madoguchi-terminal.wxs");
    run(wixl)?;
    // The database codepage wixl leaves neutral: Shift_JIS, so that the Japanese texts can be stored.
    let idt = work.join("_ForceCodepage.idt");
    std::fs::write(&idt, "\r\n\r\n932\t_ForceCodepage\r\n")?;
    let mut codepage = Command::new("msibuild");
    codepage.arg(&built).arg("-i").arg(&idt);
    run(codepage)?;
    // Summary information: Japanese package for x64 (wixl writes 1033 whatever Package/@Languages says).
    let mut summary = Command::new("msibuild");
    summary
        .arg(&built)
        .args(["-s", "窓口端末", "Madoguchi Project", "x64;1041"]);
    run(summary)?;
    let sql = std::fs::read_to_string(root().join("installer/after-wixl.sql"))?;
    let statements: Vec<&str> = sql
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("--"))
        .collect();
    let mut apply = Command::new("msibuild");
    apply.arg(&built);
    for s in &statements {
        apply.arg("-q").arg(s);
    }
    run(apply)?;
    // msibuild does not say how many rows a statement changed: check the texts landed.
    let property = Command::new("msiinfo")
        .arg("export")
        .arg(&built)
        .arg("Property")
        .output()?;
    let property = String::from_utf8_lossy(&property.stdout);
    if !property.contains("ProductName\t窓口端末") {
        bail!("the Japanese product name did not reach the MSI's Property table");
    }
    let out = out.map_or_else(
        || {
            root().join(format!(
                "target/installers/madoguchi-terminal-{version}-x64.msi"
            ))
        },
        Path::to_path_buf,
    );
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::copy(&built, &out)?;
    std::fs::remove_dir_all(&work)?;
    Ok(out)
}

/// The Debian package of the desktop app built with `profile`.
pub fn deb(profile: &str, version: &str, out: Option<&Path>) -> anyhow::Result<PathBuf> {
    packages::ensure(packages::DIST_DEB)?;
    let dir = if profile == "dev" { "debug" } else { profile };
    let binary = root().join("target").join(dir).join("madoguchi-terminal");
    if profile == "dist" {
        ui_build()?;
        let mut build = cargo();
        build.args([
            "build",
            "--locked",
            "--profile",
            "dist",
            "-p",
            "madoguchi-terminal-app",
            "--features",
            "custom-protocol",
        ]);
        run(build)?;
    } else if !binary.exists() {
        bail!(
            "{} is missing: build it with --features custom-protocol",
            binary.display()
        );
    }
    let name = format!("madoguchi-terminal_{version}_amd64");
    let stage = root().join("target/installers/deb").join(&name);
    let _ = std::fs::remove_dir_all(&stage);
    let bin_dir = stage.join("usr/bin");
    std::fs::create_dir_all(&bin_dir)?;
    let installed_bin = bin_dir.join("madoguchi-terminal");
    std::fs::copy(&binary, &installed_bin)?;
    let mut strip = Command::new("strip");
    strip.arg("--strip-unneeded").arg(&installed_bin);
    run(strip)?;
    let share = stage.join("usr/share");
    std::fs::create_dir_all(share.join("applications"))?;
    std::fs::write(
        share.join("applications/madoguchi-terminal.desktop"),
        DESKTOP_ENTRY,
    )?;
    for size in ["32x32", "128x128"] {
        let icons = share.join(format!("icons/hicolor/{size}/apps"));
        std::fs::create_dir_all(&icons)?;
        std::fs::copy(
            root().join(format!("src-tauri/icons/{size}.png")),
            icons.join("madoguchi-terminal.png"),
        )?;
    }
    let doc = share.join("doc/madoguchi-terminal");
    std::fs::create_dir_all(&doc)?;
    std::fs::copy(root().join("installer/README.md"), doc.join("README.md"))?;
    std::fs::write(
        doc.join("copyright"),
        "Madoguchi counter terminal\nLicense: Apache-2.0 (/usr/share/common-licenses/Apache-2.0)\n",
    )?;
    let depends = shlib_depends(&stage, &installed_bin)?;
    let installed_kib = dir_size(&stage)?.div_ceil(1024);
    let debian = stage.join("DEBIAN");
    std::fs::create_dir_all(&debian)?;
    std::fs::write(
        debian.join("control"),
        format!(
            "Package: madoguchi-terminal\n\
             Version: {version}\n\
             Architecture: amd64\n\
             Maintainer: Madoguchi Project <dev@madoguchi.invalid>\n\
             Installed-Size: {installed_kib}\n\
             Depends: {depends}\n\
             Recommends: pcscd, gstreamer1.0-plugins-good\n\
             Section: misc\n\
             Priority: optional\n\
             Homepage: https://github.com/madoguchi\n\
             Description: Madoguchi counter terminal (窓口端末)\n \
             The counter terminal of the Madoguchi no-writing counter system (書かない窓口): resident\n \
             self-service kiosk, staff counter app and certificate issuance station, with My Number\n \
             card readers (PC/SC), printers and an offline outbox. Configure it with\n \
             `madoguchi-terminal configure` (/usr/share/doc/madoguchi-terminal/README.md).\n"
        ),
    )?;
    let postinst = debian.join("postinst");
    std::fs::write(&postinst, POSTINST)?;
    set_mode(&postinst, 0o755)?;
    let out = out.map_or_else(
        || root().join(format!("target/installers/{name}.deb")),
        Path::to_path_buf,
    );
    let mut build = Command::new("dpkg-deb");
    build
        .args(["--root-owner-group", "--build"])
        .arg(&stage)
        .arg(&out);
    run(build)?;
    Ok(out)
}

const DESKTOP_ENTRY: &str = "[Desktop Entry]
Type=Application
Name=Madoguchi Terminal
Name[ja]=窓口端末
Comment=Counter terminal of the Madoguchi system
Comment[ja]=書かない窓口の窓口端末（キオスク・職員・証明書発行）
Exec=/usr/bin/madoguchi-terminal
Icon=madoguchi-terminal
Categories=Office;
Terminal=false
";

/// The configuration folder and the local store's folder. The store holds personal data: only root and
/// the group `madoguchi` (the terminal's desktop accounts) may enter it.
const POSTINST: &str = "#!/bin/sh
set -e
if [ \"$1\" = configure ]; then
    getent group madoguchi >/dev/null || addgroup --system madoguchi
    mkdir -p /etc/madoguchi /var/lib/madoguchi
    chgrp madoguchi /var/lib/madoguchi
    chmod 2770 /var/lib/madoguchi
fi
exit 0
";

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) -> anyhow::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))?;
    Ok(())
}

#[cfg(not(unix))]
fn set_mode(_path: &Path, _mode: u32) -> anyhow::Result<()> {
    Ok(())
}

fn dir_size(dir: &Path) -> anyhow::Result<u64> {
    let mut total = 0;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let meta = entry.metadata()?;
        total += if meta.is_dir() {
            dir_size(&entry.path())?
        } else {
            meta.len()
        };
    }
    Ok(total)
}

/// The package's `Depends` from the libraries the binary links (dpkg-shlibdeps, as debhelper would).
fn shlib_depends(stage: &Path, binary: &Path) -> anyhow::Result<String> {
    // dpkg-shlibdeps wants to run in a source tree: give it a minimal one.
    let tree = stage
        .parent()
        .context("staging folder")?
        .join("shlibdeps-tree");
    std::fs::create_dir_all(tree.join("debian"))?;
    std::fs::write(
        tree.join("debian/control"),
        "Source: madoguchi-terminal\n\nPackage: madoguchi-terminal\nArchitecture: amd64\n",
    )?;
    let output = Command::new("dpkg-shlibdeps")
        .current_dir(&tree)
        .arg("-O")
        .arg(format!("-e{}", binary.display()))
        .output()
        .context("dpkg-shlibdeps")?;
    if !output.status.success() {
        bail!(
            "dpkg-shlibdeps failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let depends = text
        .lines()
        .find_map(|l| l.strip_prefix("shlibs:Depends="))
        .context("dpkg-shlibdeps printed no dependencies")?
        .to_string();
    std::fs::remove_dir_all(&tree)?;
    Ok(depends)
}

/// `cargo xtask bench installers`: the sizes of the MSI, what it installs and the .deb, each against
/// the same files compressed with `gzip -9` in the same run (the baseline: plain compression).
pub fn bench_sizes() -> anyhow::Result<()> {
    let version = workspace_version();
    windows_build()?;
    let msi = msi(version, None)?;
    let deb = deb("release", version, None)?;
    let windows = root().join("target/installers/windows");
    let installed_windows = dir_size(&windows)?;
    let gz_windows = gzip_size(&[
        windows.join("madoguchi-terminal.exe"),
        windows.join("WebView2Loader.dll"),
    ])?;
    let stage = root().join(format!(
        "target/installers/deb/madoguchi-terminal_{version}_amd64"
    ));
    let installed_linux = dir_size(&stage.join("usr"))?;
    let gz_linux = gzip_size(&[stage.join("usr/bin/madoguchi-terminal")])?;
    let mib = |b: u64| b as f64 / (1024.0 * 1024.0);
    let msi_size = std::fs::metadata(&msi)?.len();
    let deb_size = std::fs::metadata(&deb)?.len();
    println!("| figure | size | baseline (gzip -9 of the same files) | ratio |");
    println!("|---|---|---|---|");
    println!(
        "| MSI (goal < 25 MB) | {:.1} MiB | {:.1} MiB | {:.2} |",
        mib(msi_size),
        mib(gz_windows),
        msi_size as f64 / gz_windows as f64
    );
    println!(
        "| installed on Windows (exe + WebView2Loader.dll) | {:.1} MiB | | |",
        mib(installed_windows)
    );
    println!(
        "| .deb | {:.1} MiB | {:.1} MiB | {:.2} |",
        mib(deb_size),
        mib(gz_linux),
        deb_size as f64 / gz_linux as f64
    );
    println!(
        "| installed on Linux (/usr) | {:.1} MiB | | |",
        mib(installed_linux)
    );
    Ok(())
}

fn gzip_size(files: &[PathBuf]) -> anyhow::Result<u64> {
    let mut total = 0;
    for f in files {
        let out = Command::new("gzip")
            .args(["-9", "-c"])
            .arg(f)
            .output()
            .context("gzip")?;
        if !out.status.success() {
            bail!("gzip {} failed", f.display());
        }
        total += out.stdout.len() as u64;
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn msi_versions_are_three_bounded_numbers() {
        assert!(check_msi_version("0.1.0").is_ok());
        assert!(check_msi_version("255.255.65535").is_ok());
        assert!(check_msi_version("0.1").is_err());
        assert!(check_msi_version("0.1.0-rc1").is_err());
        assert!(check_msi_version("256.0.0").is_err());
        assert!(check_msi_version("1.2.65536").is_err());
    }

    #[test]
    fn the_upgrade_test_version_is_one_build_higher() {
        assert_eq!(next_version("0.1.0").expect("next"), "0.1.1");
        assert_eq!(next_version("2.0.99").expect("next"), "2.0.100");
        assert!(next_version("1.0.65535").is_err());
    }
}
