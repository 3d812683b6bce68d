//! What the installers run with the app's own binary: `configure` writes the terminal configuration from
//! the installer's properties (the MSI's `SERVER_URL`, `TENANT` … or the same options by hand on Linux),
//! `purge-local-data` removes the configuration and the local store when an uninstall is asked to.
//!
//! `configure` only sets the keys it is given a non-empty value for and keeps everything else, so a major
//! upgrade without properties leaves the configuration as it was, and an upgrade that names one property
//! changes only that one. The result is checked like the app checks it at start; an invalid or incomplete
//! configuration fails the installation instead of giving a terminal that cannot start.

use std::path::{Path, PathBuf};

use crate::config::TerminalConfig;
use crate::store::LocalStore;

/// One installer option: command-line flag, configuration key, MSI property (for messages).
struct Setting {
    flag: &'static str,
    key: &'static str,
    property: &'static str,
}

const SETTINGS: &[Setting] = &[
    Setting {
        flag: "--server-url",
        key: "server_url",
        property: "SERVER_URL",
    },
    Setting {
        flag: "--tenant",
        key: "tenant",
        property: "TENANT",
    },
    Setting {
        flag: "--terminal-id",
        key: "terminal_id",
        property: "TERMINAL_ID",
    },
    Setting {
        flag: "--role",
        key: "role",
        property: "TERMINAL_ROLE",
    },
    Setting {
        flag: "--counter",
        key: "counter",
        property: "COUNTER",
    },
    Setting {
        flag: "--printer",
        key: "printer",
        property: "PRINTER",
    },
    Setting {
        flag: "--receipt-printer",
        key: "receipt_printer",
        property: "RECEIPT_PRINTER",
    },
    Setting {
        flag: "--card-reader",
        key: "card_reader",
        property: "CARD_READER",
    },
    Setting {
        flag: "--qr-scanner",
        key: "qr_scanner",
        property: "QR_SCANNER",
    },
    Setting {
        flag: "--data-dir",
        key: "data_dir",
        property: "DATA_DIR",
    },
    Setting {
        flag: "--admin-pin-hash",
        key: "admin_pin_hash",
        property: "ADMIN_PIN_HASH",
    },
    Setting {
        flag: "--update-public-key",
        key: "update_public_key",
        property: "UPDATE_PUBLIC_KEY",
    },
    Setting {
        flag: "--ca-file",
        key: "ca_file",
        property: "CA_FILE",
    },
    Setting {
        flag: "--kiosk-login",
        key: "kiosk_account.login",
        property: "KIOSK_LOGIN",
    },
    Setting {
        flag: "--kiosk-password",
        key: "kiosk_account.password",
        property: "KIOSK_PASSWORD",
    },
];

/// Keys a configuration cannot do without, with the property that sets each.
const REQUIRED: &[(&str, &str)] = &[
    ("server_url", "SERVER_URL"),
    ("tenant", "TENANT"),
    ("terminal_id", "TERMINAL_ID"),
    ("role", "TERMINAL_ROLE"),
];

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum InstallError {
    #[error("指定の仕方が正しくありません: {0}")]
    Usage(String),
    #[error("{property} の値が正しくありません: {reason}")]
    Value {
        property: &'static str,
        reason: String,
    },
    #[error("端末の設定に必要な値がありません: {}", .0.join(", "))]
    Missing(Vec<&'static str>),
    #[error("端末の設定が正しくありません: {0}")]
    Invalid(String),
    #[error("今ある設定ファイルを読めません: {0}")]
    Existing(String),
    #[error(
        "未送信または要確認の申請・保存が {0} 件あります。端末をサーバーにつないで送信・確認してから削除してください。"
    )]
    Unsent(u64),
    #[error("ファイルを書き込めません（{path}）: {reason}")]
    Io { path: String, reason: String },
}

/// What `configure` was asked to set: (configuration key, value), empty values dropped.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ConfigureArgs {
    pub config: Option<PathBuf>,
    pub values: Vec<(&'static str, String)>,
}

/// Parses `configure`'s options (`--flag value` or `--flag=value`). An empty value means "not given":
/// the MSI passes every property, set or not.
pub fn parse_args(args: &[String]) -> Result<ConfigureArgs, InstallError> {
    let mut out = ConfigureArgs::default();
    let mut i = 0;
    while i < args.len() {
        let (flag, inline) = match args[i].split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (args[i].clone(), None),
        };
        let value = match inline {
            Some(v) => v,
            None => {
                i += 1;
                args.get(i)
                    .cloned()
                    .ok_or_else(|| InstallError::Usage(format!("{flag} の値がありません")))?
            }
        };
        i += 1;
        if flag == "--config" {
            if !value.trim().is_empty() {
                out.config = Some(PathBuf::from(value.trim()));
            }
            continue;
        }
        let setting = SETTINGS
            .iter()
            .find(|s| s.flag == flag)
            .ok_or_else(|| InstallError::Usage(format!("{flag} という指定はありません")))?;
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        check_value(setting, value)?;
        out.values.retain(|(k, _)| *k != setting.key);
        out.values.push((setting.key, value.to_string()));
    }
    Ok(out)
}

fn check_value(setting: &Setting, value: &str) -> Result<(), InstallError> {
    let bad = |reason: &str| InstallError::Value {
        property: setting.property,
        reason: reason.to_string(),
    };
    if value.len() > 512 {
        return Err(bad("512文字以内で指定してください。"));
    }
    if value.chars().any(char::is_control) {
        return Err(bad("制御文字は使えません。"));
    }
    match setting.key {
        "role" if !matches!(value, "kiosk" | "staff" | "issuance") => Err(bad(
            "kiosk（キオスク）、staff（職員）、issuance（証明書発行）のいずれかを指定してください。",
        )),
        "server_url" => crate::config::check_server_url(value).map_err(|r| bad(&r)),
        _ => Ok(()),
    }
}

/// The new text of the configuration file, or `None` when nothing needs writing (nothing given, or the
/// values given are those already there). `existing` is the current file's text; `default_terminal_id`
/// (the computer's name) is used when no terminal id is given or present.
pub fn merge(
    existing: Option<&str>,
    args: &ConfigureArgs,
    default_terminal_id: Option<&str>,
) -> Result<Option<String>, InstallError> {
    let mut table: toml::Table = match existing {
        Some(text) => text
            .parse()
            .map_err(|e: toml::de::Error| InstallError::Existing(e.message().to_string()))?,
        None => toml::Table::new(),
    };
    if existing.is_none() && args.values.is_empty() {
        return Ok(None);
    }
    let before = table.clone();
    for (key, value) in &args.values {
        match key.split_once('.') {
            Some((outer, inner)) => {
                let sub = table
                    .entry(outer.to_string())
                    .or_insert_with(|| toml::Value::Table(toml::Table::new()));
                match sub {
                    toml::Value::Table(t) => {
                        t.insert(inner.to_string(), toml::Value::String(value.clone()));
                    }
                    _ => {
                        return Err(InstallError::Existing(format!(
                            "{outer} が表ではありません"
                        )));
                    }
                }
            }
            None => {
                table.insert(key.to_string(), toml::Value::String(value.clone()));
            }
        }
    }
    if !table.contains_key("terminal_id")
        && let Some(id) = default_terminal_id.map(terminal_id_from_host)
        && !id.is_empty()
    {
        table.insert("terminal_id".into(), toml::Value::String(id));
    }
    if table == before && existing.is_some() {
        return Ok(None);
    }
    let missing: Vec<&'static str> = REQUIRED
        .iter()
        .filter(|(k, _)| !table.contains_key(*k))
        .map(|(_, p)| *p)
        .collect();
    if !missing.is_empty() {
        return Err(InstallError::Missing(missing));
    }
    let text = format!(
        "# 窓口端末の設定 (madoguchi-terminal configure). Keys: docs/terminal.md\n{}",
        toml::to_string(&table).map_err(|e| InstallError::Invalid(e.to_string()))?
    );
    TerminalConfig::parse(&text).map_err(InstallError::Invalid)?;
    Ok(Some(text))
}

/// A computer name as a terminal id: lower case, characters a terminal id allows, at most 64.
fn terminal_id_from_host(name: &str) -> String {
    name.trim()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        .take(64)
        .collect::<String>()
        .to_ascii_lowercase()
}

/// `configure`: merges the options into the configuration file and writes it atomically (a temporary
/// file in the same folder, flushed, then renamed). Returns the path when written.
pub fn configure(
    args: &[String],
    default_path: &Path,
    default_terminal_id: Option<&str>,
) -> Result<Option<PathBuf>, InstallError> {
    let parsed = parse_args(args)?;
    let path = parsed
        .config
        .clone()
        .unwrap_or_else(|| default_path.to_path_buf());
    let existing = match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(io_error(&path, &e)),
    };
    let Some(text) = merge(existing.as_deref(), &parsed, default_terminal_id)? else {
        return Ok(None);
    };
    write_atomically(&path, text.as_bytes())?;
    Ok(Some(path))
}

fn io_error(path: &Path, e: &std::io::Error) -> InstallError {
    InstallError::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    }
}

fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), InstallError> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| io_error(dir, &e))?;
    let tmp = path.with_extension("toml.new");
    let mut file = std::fs::File::create(&tmp).map_err(|e| io_error(&tmp, &e))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(|e| io_error(&tmp, &e))?;
    drop(file);
    restrict(&tmp).map_err(|e| io_error(&tmp, &e))?;
    std::fs::rename(&tmp, path).map_err(|e| io_error(path, &e))
}

/// Linux: the file holds the kiosk's password; where the .deb created the group `madoguchi` (the
/// terminal's desktop accounts), only root and that group may read it. (Windows: the folder's ACL,
/// installer/README.md.)
#[cfg(unix)]
fn restrict(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let Some(gid) = std::fs::read_to_string("/etc/group")
        .ok()
        .and_then(|groups| {
            groups.lines().find_map(|l| {
                let mut f = l.split(':');
                (f.next() == Some("madoguchi"))
                    .then(|| f.nth(1).and_then(|g| g.parse::<u32>().ok()))
                    .flatten()
            })
        })
    else {
        return Ok(());
    };
    std::os::unix::fs::chown(path, None, Some(gid))?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o640))
}

#[cfg(not(unix))]
fn restrict(_path: &Path) -> std::io::Result<()> {
    Ok(())
}

/// The installers' log, beside the configuration file (an MSI custom action has no console).
pub fn install_log_path(config_path: &Path) -> PathBuf {
    config_path.with_file_name("install.log")
}

/// A line of `install.log`: local time and the message.
pub fn log_line(message: &str) -> String {
    format!(
        "{} {message}",
        chrono::Local::now().format("%Y-%m-%d %H:%M:%S%:z")
    )
}

/// What `purge-local-data` removed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Purged {
    pub removed: Vec<PathBuf>,
    /// Unsent or refused saves removed with `discard_unsent`.
    pub discarded: u64,
}

/// Removes the configuration file, the installers' log beside it and the data folder (local store and
/// logs), refusing while
/// the outbox still holds saves the server has not acknowledged: those exist nowhere else.
///
/// `discard_unsent` (IT's explicit choice, `REMOVE_LOCAL_DATA=DISCARD_UNSENT`): remove them anyway; the
/// count of what was discarded is reported.
pub fn purge_local_data(
    config_path: &Path,
    default_data_dir: &Path,
    discard_unsent: bool,
) -> Result<Purged, InstallError> {
    let data_dir = match TerminalConfig::load_text(config_path) {
        Ok(c) => c.data_dir(),
        Err(_) => default_data_dir.to_path_buf(),
    };
    let mut purged = Purged::default();
    let store_file = data_dir.join(crate::runtime::STORE_FILE);
    if store_file.exists() {
        let store = LocalStore::open(&store_file).map_err(|e| InstallError::Io {
            path: store_file.display().to_string(),
            reason: e.to_string(),
        })?;
        let counts = store.counts().map_err(|e| InstallError::Io {
            path: store_file.display().to_string(),
            reason: e.to_string(),
        })?;
        // Unsent saves, and saves the server refused that staff have not looked at yet, exist nowhere
        // else.
        let unsent = counts.pending + counts.attention;
        if unsent > 0 && !discard_unsent {
            return Err(InstallError::Unsent(unsent));
        }
        purged.discarded = unsent;
    }
    // The log folder is inside the data folder.
    if data_dir.exists() {
        std::fs::remove_dir_all(&data_dir).map_err(|e| io_error(&data_dir, &e))?;
        purged.removed.push(data_dir.clone());
    }
    let install_log = install_log_path(config_path);
    for file in [config_path, install_log.as_path()] {
        if file.exists() {
            std::fs::remove_file(file).map_err(|e| io_error(file, &e))?;
            purged.removed.push(file.to_path_buf());
        }
    }
    // The folder that held them, when nothing else is left in it.
    if let Some(parent) = config_path.parent()
        && std::fs::read_dir(parent).is_ok_and(|mut d| d.next().is_none())
        && std::fs::remove_dir(parent).is_ok()
    {
        purged.removed.push(parent.to_path_buf());
    }
    Ok(purged)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    const KIOSK: &[&str] = &[
        "--server-url",
        "https://madoguchi.example.lg.jp",
        "--tenant",
        "demo",
        "--terminal-id",
        "",
        "--role",
        "kiosk",
        "--counter",
        "kiosk",
        "--printer",
        "Canon LBP 1",
        "--receipt-printer",
        "",
        "--card-reader",
        "",
        "--kiosk-login",
        "kiosk-01",
        "--kiosk-password=p\"w d",
    ];

    #[test]
    fn a_fresh_kiosk_configuration_from_installer_properties() {
        let parsed = parse_args(&args(KIOSK)).expect("ok");
        let text = merge(None, &parsed, Some("MADO-PC01"))
            .expect("ok")
            .expect("ok");
        let c = TerminalConfig::parse(&text).expect("ok");
        assert_eq!(c.server_url, "https://madoguchi.example.lg.jp");
        assert_eq!(c.role, crate::Role::Kiosk);
        assert_eq!(
            c.terminal_id, "mado-pc01",
            "the computer name when TERMINAL_ID is empty"
        );
        assert_eq!(c.printer.as_deref(), Some("Canon LBP 1"));
        assert_eq!(c.receipt_printer, None, "empty properties are not written");
        let account = c.kiosk_account.expect("ok");
        assert_eq!(account.password, "p\"w d", "quotes survive TOML escaping");
    }

    #[test]
    fn an_upgrade_without_properties_leaves_the_file_alone_and_one_property_changes_one_key() {
        let first = merge(None, &parse_args(&args(KIOSK)).expect("ok"), Some("pc")).expect("ok");
        let first = first.expect("ok");
        let empty = parse_args(&args(&["--server-url", "", "--role", ""])).expect("ok");
        assert_eq!(
            merge(Some(&first), &empty, Some("other")).expect("ok"),
            None
        );
        let same = parse_args(&args(&["--tenant", "demo"])).expect("ok");
        assert_eq!(merge(Some(&first), &same, None).expect("ok"), None);
        let one = parse_args(&args(&["--printer", "Brother"])).expect("ok");
        let second = merge(Some(&first), &one, None).expect("ok").expect("ok");
        let c = TerminalConfig::parse(&second).expect("ok");
        assert_eq!(c.printer.as_deref(), Some("Brother"));
        assert_eq!(c.tenant, "demo");
        assert_eq!(c.kiosk_account.expect("ok").login, "kiosk-01");
        // Keys the installer has no property for survive too.
        let edited = format!("idle_reset_seconds = 90\n{first}");
        let third = merge(Some(&edited), &one, None).expect("ok").expect("ok");
        assert_eq!(
            TerminalConfig::parse(&third)
                .expect("ok")
                .idle_reset_seconds,
            90
        );
    }

    #[test]
    fn nothing_given_on_a_fresh_install_writes_nothing() {
        let none = parse_args(&args(&["--server-url", "", "--tenant", " "])).expect("ok");
        assert_eq!(merge(None, &none, Some("pc")).expect("ok"), None);
    }

    #[test]
    fn bad_or_incomplete_values_fail_with_the_property_named() {
        let e = parse_args(&args(&["--role", "kiosks"])).expect_err("fails");
        assert!(matches!(
            e,
            InstallError::Value {
                property: "TERMINAL_ROLE",
                ..
            }
        ));
        assert!(e.to_string().contains("TERMINAL_ROLE"));
        let e = parse_args(&args(&["--server-url", "madoguchi.example"])).expect_err("fails");
        assert!(matches!(
            e,
            InstallError::Value {
                property: "SERVER_URL",
                ..
            }
        ));
        assert!(matches!(
            parse_args(&args(&["--colour", "x"])),
            Err(InstallError::Usage(_))
        ));
        assert!(matches!(
            parse_args(&args(&["--tenant"])),
            Err(InstallError::Usage(_))
        ));
        let partial = parse_args(&args(&[
            "--server-url",
            "https://x.example",
            "--role",
            "staff",
        ]))
        .expect("ok");
        assert_eq!(
            merge(None, &partial, None),
            Err(InstallError::Missing(vec!["TENANT", "TERMINAL_ID"]))
        );
        // A kiosk without its account is refused as the app would refuse it.
        let kiosk = parse_args(&args(&[
            "--server-url",
            "https://x.example",
            "--tenant",
            "t",
            "--role",
            "kiosk",
        ]))
        .expect("ok");
        assert!(matches!(
            merge(None, &kiosk, Some("pc")),
            Err(InstallError::Invalid(_))
        ));
    }

    #[test]
    fn configure_writes_atomically_and_purge_keeps_unsent_saves() {
        let dir = tempfile::tempdir().expect("ok");
        let config = dir.path().join("Madoguchi").join("terminal.toml");
        let data = dir.path().join("Madoguchi").join("data");
        let mut list = args(&[
            "--server-url",
            "http://127.0.0.1:8080",
            "--tenant",
            "demo",
            "--role",
            "staff",
        ]);
        list.push(format!("--config={}", config.display()));
        assert_eq!(
            configure(&list, Path::new("/nonexistent"), Some("pc-1")).expect("ok"),
            Some(config.clone())
        );
        assert!(!config.with_extension("toml.new").exists());
        let text = std::fs::read_to_string(&config).expect("ok");
        std::fs::write(
            &config,
            format!("{text}data_dir = {:?}\n", data.display().to_string()),
        )
        .expect("ok");
        // A store with one unsent save: purge refuses and removes nothing.
        std::fs::create_dir_all(&data).expect("ok");
        let mut store = LocalStore::open(&data.join(crate::runtime::STORE_FILE)).expect("ok");
        store
            .enqueue(
                "case-1",
                "write-1",
                "staff",
                &serde_json::json!({"a": 1}),
                1,
            )
            .expect("ok");
        drop(store);
        assert_eq!(
            purge_local_data(&config, Path::new("/nonexistent"), false),
            Err(InstallError::Unsent(1))
        );
        assert!(config.exists() && data.exists());
        // IT's explicit choice discards them (tested on a copy).
        let copy = dir.path().join("copy");
        std::fs::create_dir_all(copy.join("data")).expect("copy");
        std::fs::copy(
            data.join(crate::runtime::STORE_FILE),
            copy.join("data").join(crate::runtime::STORE_FILE),
        )
        .expect("copy store");
        let edited = std::fs::read_to_string(&config).expect("config");
        std::fs::write(
            copy.join("terminal.toml"),
            edited.replace(
                &data.display().to_string(),
                &copy.join("data").display().to_string(),
            ),
        )
        .expect("copy config");
        let forced = purge_local_data(&copy.join("terminal.toml"), Path::new("/nonexistent"), true)
            .expect("forced");
        assert_eq!(forced.discarded, 1);
        assert!(!copy.join("data").exists());
        // Once it is acknowledged, purge removes the store, the configuration, the installers' log and
        // their folder.
        std::fs::write(config.with_file_name("install.log"), "installed\n").expect("log");
        let mut store = LocalStore::open(&data.join(crate::runtime::STORE_FILE)).expect("ok");
        store
            .record_results(
                &[(
                    "write-1".into(),
                    madoguchi_core::sync::UploadOutcome::Applied,
                    Some(1),
                    None,
                )],
                2,
            )
            .expect("ok");
        drop(store);
        let purged = purge_local_data(&config, Path::new("/nonexistent"), false).expect("ok");
        assert!(purged.removed.contains(&data));
        assert!(!config.exists() && !data.exists());
        assert!(!config.with_file_name("install.log").exists());
        assert!(!dir.path().join("Madoguchi").exists());
    }
}
