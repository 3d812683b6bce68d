// No console window behind the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::io::{BufRead, Write};
use std::path::Path;

use madoguchi_terminal_runtime::{config, install};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        // Reads the kiosk administrator PIN from standard input and prints the `admin_pin_hash` line
        // for the configuration file.
        Some("hash-pin") => {
            let mut pin = String::new();
            if std::io::stdin().lock().read_line(&mut pin).is_err() || pin.trim().len() < 6 {
                eprintln!("6桁以上の暗証番号を標準入力から入力してください。");
                std::process::exit(2);
            }
            println!("admin_pin_hash = \"{}\"", config::hash_pin(pin.trim()));
        }
        // The installers (MSI custom action, by hand on Linux): writes the configuration file.
        Some("configure") => {
            let path = config::config_path();
            let computer = std::env::var("COMPUTERNAME")
                .or_else(|_| std::fs::read_to_string("/etc/hostname"))
                .ok();
            let code = match install::configure(&args[1..], &path, computer.as_deref()) {
                Ok(Some(written)) => report(
                    &path,
                    &format!("設定を書き込みました: {}", written.display()),
                    0,
                ),
                Ok(None) => report(
                    &path,
                    "設定は変更しませんでした（指定なし、または同じ値）。",
                    0,
                ),
                Err(e) => report(&path, &format!("設定できません: {e}"), 3),
            };
            std::process::exit(code);
        }
        // Prints this terminal's enrollment code (making its device key the first time), for the
        // administrator who registers it on the server (docs/security.md).
        Some("enrollment-code") => {
            let path = config::config_path();
            let code = match config::TerminalConfig::load(&path)
                .map_err(|e| e.to_string())
                .and_then(|c| {
                    let key = madoguchi_terminal_runtime::device_key::DeviceKey::load_or_create(
                        &c.data_dir(),
                    )
                    .map_err(|e| e.to_string())?;
                    Ok((c.terminal_id, key.enrollment_code()))
                }) {
                Ok((id, code)) => {
                    println!("端末ID: {id}");
                    println!("登録コード: {code}");
                    0
                }
                Err(e) => report(&path, &format!("登録コードを表示できません: {e}"), 3),
            };
            std::process::exit(code);
        }
        // Uninstall asked to remove the local data (MSI property REMOVE_LOCAL_DATA=1).
        Some("purge-local-data") => {
            let path = config::config_path();
            let discard = args.iter().any(|a| a == "--discard-unsent");
            let code = match install::purge_local_data(&path, &config::default_data_dir(), discard)
            {
                Ok(purged) => {
                    if purged.discarded > 0 {
                        report(
                            &path,
                            &format!(
                                "未送信・要確認の保存 {} 件を破棄しました。",
                                purged.discarded
                            ),
                            0,
                        );
                    }
                    for p in &purged.removed {
                        println!("削除しました: {}", p.display());
                    }
                    0
                }
                Err(e) => report(&path, &format!("端末のデータを削除できません: {e}"), 3),
            };
            std::process::exit(code);
        }
        _ => std::process::exit(madoguchi_terminal_app::run()),
    }
}

/// Prints the installer step's outcome and appends it to `install.log` beside the configuration file:
/// an MSI custom action has no console, so that file is where IT finds why an installation failed.
fn report(config: &Path, message: &str, code: i32) -> i32 {
    if code == 0 {
        println!("{message}");
    } else {
        eprintln!("{message}");
    }
    if let Some(dir) = config.parent()
        && std::fs::create_dir_all(dir).is_ok()
        && let Ok(mut log) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(install::install_log_path(config))
    {
        let _ = writeln!(log, "{}", install::log_line(message));
    }
    code
}
