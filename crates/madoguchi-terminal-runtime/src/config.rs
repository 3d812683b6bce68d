//! The terminal's configuration: one TOML file written by the installer (keys match the MSI's public
//! properties: `SERVER_URL` → `server_url` …). Unknown keys are refused so that a typo does not pass
//! silently.

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// What a terminal is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Resident self-service touch kiosk: full screen, its own account, idle reset.
    Kiosk,
    /// Staff counter app with the devices of the counter.
    Staff,
    /// Certificate issuance station (証明書発行端末): resident self-service like the kiosk (full screen,
    /// its own account with `station_apply`, idle reset), identified by the My Number card's JPKI.
    Issuance,
}

impl Role {
    /// Used by residents, not staff: its own account (`kiosk_account`), no staff login, full screen.
    pub fn is_self_service(self) -> bool {
        matches!(self, Role::Kiosk | Role::Issuance)
    }
}

/// The self-service account of a kiosk (permission `kiosk_apply` only) or an issuance station
/// (`station_apply` only).
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KioskAccount {
    pub login: String,
    pub password: String,
}

impl std::fmt::Debug for KioskAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "KioskAccount({}, ****)", self.login)
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TerminalConfig {
    /// Base URL of the API server, e.g. `https://madoguchi.example.lg.jp`.
    pub server_url: String,
    pub tenant: String,
    /// This terminal's id, recorded with every audit record and case history entry.
    pub terminal_id: String,
    pub role: Role,
    /// Counter (窓口) code: the kiosk logs in there; staff terminals preselect it.
    #[serde(default)]
    pub counter: Option<String>,
    /// Document printer: a CUPS queue or Windows printer name; `mock:<folder>` is the mock printer of
    /// the tests (writes each job to the folder).
    #[serde(default)]
    pub printer: Option<String>,
    /// ESC/POS receipt printer: `tcp://host:9100`, a device file (`/dev/usb/lp0`, `\\.\COM3`), or
    /// `mock:<folder>`.
    #[serde(default)]
    pub receipt_printer: Option<String>,
    /// Signal tower (表示灯) lit by staff's queue when residents' requests arrive: `tcp://host:10000`
    /// (PATLITE PNS) or `mock:<folder>` (the mock signal tower of the tests).
    #[serde(default)]
    pub signal_tower: Option<String>,
    /// Part of the card reader's name to use when several are attached.
    #[serde(default)]
    pub card_reader: Option<String>,
    /// Serial QR scanner (`/dev/ttyACM0`, `COM4`), read line by line.
    #[serde(default)]
    pub qr_scanner: Option<String>,
    /// Where the local store lives (default: the platform's data folder).
    #[serde(default)]
    pub data_dir: Option<PathBuf>,
    /// Kiosk: seconds without a touch before it goes back to the start screen.
    #[serde(default = "default_idle")]
    pub idle_reset_seconds: u32,
    /// Kiosk languages, the first being the default.
    #[serde(default = "default_languages")]
    pub languages: Vec<String>,
    /// PBKDF2 hash of the administrator PIN that lets staff leave the kiosk (`madoguchi-terminal
    /// hash-pin`); without it the kiosk cannot be left from the screen.
    #[serde(default)]
    pub admin_pin_hash: Option<String>,
    /// The kiosk's account.
    #[serde(default)]
    pub kiosk_account: Option<KioskAccount>,
    /// Seconds between sync rounds while idle.
    #[serde(default = "default_sync_interval")]
    pub sync_interval_seconds: u32,
    /// Base64 of the 32-byte Ed25519 public key that signs updates (`cargo xtask update keygen` prints
    /// it); without it (or empty, as an installer may write it) the terminal does not check for updates.
    #[serde(default)]
    pub update_public_key: Option<String>,
    /// PEM file of the city's own CA certificates (LGWAN, a private CA), trusted besides the operating
    /// system's certificate store for the connection to the server, e.g.
    /// `ca_file = 'C:\ProgramData\Madoguchi\city-ca.pem'`; empty or absent: the operating system's
    /// store only.
    #[serde(default)]
    pub ca_file: Option<PathBuf>,
}

fn default_idle() -> u32 {
    120
}

/// Every language the resident screens speak (the UI's codes), Japanese first.
fn default_languages() -> Vec<String> {
    std::iter::once("ja")
        .chain(madoguchi_core::navigation::i18n::LANGUAGES.iter().copied())
        .map(str::to_owned)
        .collect()
}

fn default_sync_interval() -> u32 {
    30
}

/// Environment variable naming the configuration file.
pub const CONFIG_ENV: &str = "MADOGUCHI_TERMINAL_CONFIG";

/// The configuration file in use: the one named by `MADOGUCHI_TERMINAL_CONFIG`, or the default one.
pub fn config_path() -> PathBuf {
    std::env::var_os(CONFIG_ENV).map_or_else(default_path, PathBuf::from)
}

/// The default configuration file: `%ProgramData%\Madoguchi\terminal.toml` on Windows,
/// `/etc/madoguchi/terminal.toml` elsewhere.
pub fn default_path() -> PathBuf {
    if cfg!(windows) {
        let base = std::env::var_os("ProgramData").unwrap_or_else(|| "C:\\ProgramData".into());
        PathBuf::from(base).join("Madoguchi").join("terminal.toml")
    } else {
        PathBuf::from("/etc/madoguchi/terminal.toml")
    }
}

/// The default data folder: `%ProgramData%\Madoguchi\data` on Windows, `/var/lib/madoguchi` elsewhere.
pub fn default_data_dir() -> PathBuf {
    if cfg!(windows) {
        let base = std::env::var_os("ProgramData").unwrap_or_else(|| "C:\\ProgramData".into());
        PathBuf::from(base).join("Madoguchi").join("data")
    } else {
        PathBuf::from("/var/lib/madoguchi")
    }
}

/// Where the app writes its log file: `logs` in the data folder (`%ProgramData%\Madoguchi\data\logs`,
/// `/var/lib/madoguchi/logs`).
pub fn log_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("logs")
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("端末の設定ファイル {path} を読めません: {reason}")]
    Read { path: String, reason: String },
    #[error("端末の設定ファイル {path} が正しくありません: {reason}")]
    Invalid { path: String, reason: String },
}

impl TerminalConfig {
    /// Reads the file named by `MADOGUCHI_TERMINAL_CONFIG`, or the default one.
    pub fn load_default() -> Result<TerminalConfig, ConfigError> {
        Self::load(&config_path())
    }

    /// Reads and checks the file, and the files it names (`ca_file`).
    pub fn load(path: &Path) -> Result<TerminalConfig, ConfigError> {
        let c = Self::load_text(path)?;
        c.check_files().map_err(|reason| ConfigError::Invalid {
            path: path.display().to_string(),
            reason,
        })?;
        Ok(c)
    }

    /// Reads and checks the file only (not the files it names: the installers' data removal needs
    /// `data_dir` whatever else is wrong).
    pub fn load_text(path: &Path) -> Result<TerminalConfig, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Read {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        Self::parse(&text).map_err(|reason| ConfigError::Invalid {
            path: path.display().to_string(),
            reason,
        })
    }

    /// Checks the files the configuration names: `ca_file` must hold at least one certificate
    /// (Japanese reason, without the file's path or content).
    pub fn check_files(&self) -> Result<(), String> {
        match self.ca_file() {
            Some(path) => crate::client::load_ca_file(path).map(|_| ()),
            None => Ok(()),
        }
    }

    /// The city's CA file, when one is configured.
    pub fn ca_file(&self) -> Option<&Path> {
        self.ca_file
            .as_deref()
            .filter(|p| !p.as_os_str().is_empty())
    }

    /// Parses and checks the text of a configuration file (Japanese reasons).
    pub fn parse(text: &str) -> Result<TerminalConfig, String> {
        // The reason names the line, never quotes it: the file holds the kiosk's password.
        let c: TerminalConfig = toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
            match line {
                Some(n) => format!("{n}行目: {}", e.message()),
                None => e.message().to_string(),
            }
        })?;
        check_server_url(&c.server_url)?;
        let id_ok = |s: &str| {
            !s.is_empty()
                && s.len() <= 64
                && s.chars()
                    .all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '.' | '_' | '-'))
        };
        if !id_ok(&c.terminal_id) {
            return Err("terminal_id は64文字以内の半角英数字と . _ - で指定してください。".into());
        }
        if c.tenant.trim().is_empty() {
            return Err("tenant を指定してください。".into());
        }
        if c.role == Role::Kiosk && (c.kiosk_account.is_none() || c.counter.is_none()) {
            return Err("キオスク端末には kiosk_account と counter が必要です。".into());
        }
        if c.role == Role::Issuance && (c.kiosk_account.is_none() || c.counter.is_none()) {
            return Err(
                "証明書発行端末には kiosk_account（発行端末のアカウント）と counter が必要です。"
                    .into(),
            );
        }
        if c.languages.is_empty() {
            return Err("languages を1つ以上指定してください。".into());
        }
        if let Some(l) = c
            .languages
            .iter()
            .find(|l| !madoguchi_core::navigation::i18n::is_language(l))
        {
            return Err(format!(
                "languages の「{l}」は使えません。ja, {} から選んでください。",
                madoguchi_core::navigation::i18n::LANGUAGES.join(", ")
            ));
        }
        if !(10..=3600).contains(&c.idle_reset_seconds) {
            return Err("idle_reset_seconds は10〜3600秒で指定してください。".into());
        }
        if c.update_public_key
            .as_deref()
            .is_some_and(|k| !k.trim().is_empty() && crate::update::decode_public_key(k).is_none())
        {
            return Err(
                "update_public_key は Ed25519 公開鍵（32バイト）の base64 で指定してください（cargo xtask update keygen が表示する値）。"
                    .into(),
            );
        }
        Ok(c)
    }

    pub fn data_dir(&self) -> PathBuf {
        self.data_dir.clone().unwrap_or_else(default_data_dir)
    }

    /// The raw update signing key (`update_public_key`), checked when the file was read.
    pub fn update_key(&self) -> Option<[u8; 32]> {
        self.update_public_key
            .as_deref()
            .and_then(crate::update::decode_public_key)
    }
}

/// Checks the server's URL: `https://`, or `http://` only to this computer itself (loopback: 127.0.0.0/8,
/// `::1`, `localhost`), since plain HTTP would carry the session token and residents' data unencrypted
/// over the network (Japanese reason).
pub fn check_server_url(url: &str) -> Result<(), String> {
    let (tls, rest) = if let Some(rest) = url.strip_prefix("https://") {
        (true, rest)
    } else if let Some(rest) = url.strip_prefix("http://") {
        (false, rest)
    } else {
        return Err("server_url は https:// で始めてください。".into());
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = match host_port.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => host_port.split(':').next().unwrap_or_default(),
    };
    if host.is_empty() {
        return Err("server_url にサーバーの名前がありません。".into());
    }
    if !tls && !is_loopback_host(host) {
        return Err(
            "server_url の http:// は通信が暗号化されないため、この端末自身（127.0.0.1・localhost）にしか使えません。サーバーには https:// で接続してください。"
                .into(),
        );
    }
    Ok(())
}

fn is_loopback_host(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// PBKDF2-HMAC-SHA256 iterations for the admin PIN.
const PIN_ITERATIONS: u32 = 200_000;

/// `pbkdf2-sha256$<iterations>$<salt hex>$<hash hex>` of a PIN.
pub fn hash_pin(pin: &str) -> String {
    use rand_core::RngCore;
    let mut salt = [0u8; 16];
    rand_core::OsRng.fill_bytes(&mut salt);
    let mut out = [0u8; 32];
    ring::pbkdf2::derive(
        ring::pbkdf2::PBKDF2_HMAC_SHA256,
        std::num::NonZeroU32::new(PIN_ITERATIONS).unwrap_or(std::num::NonZeroU32::MIN),
        &salt,
        pin.as_bytes(),
        &mut out,
    );
    format!(
        "pbkdf2-sha256${PIN_ITERATIONS}${}${}",
        hex(&salt),
        hex(&out)
    )
}

/// Whether `pin` matches a hash made by [`hash_pin`] (constant-time comparison).
pub fn verify_pin(pin: &str, hash: &str) -> bool {
    let parts: Vec<&str> = hash.split('$').collect();
    let [scheme, iterations, salt, expected] = parts.as_slice() else {
        return false;
    };
    let (Ok(iterations), Some(salt), Some(expected)) =
        (iterations.parse::<u32>(), unhex(salt), unhex(expected))
    else {
        return false;
    };
    let Some(iterations) = std::num::NonZeroU32::new(iterations) else {
        return false;
    };
    *scheme == "pbkdf2-sha256"
        && ring::pbkdf2::verify(
            ring::pbkdf2::PBKDF2_HMAC_SHA256,
            iterations,
            &salt,
            pin.as_bytes(),
            &expected,
        )
        .is_ok()
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if s.len() % 2 != 0 {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const KIOSK: &str = r#"
server_url = "http://127.0.0.1:8080"
tenant = "demo"
terminal_id = "kiosk-01"
role = "kiosk"
counter = "kiosk"
printer = "mock:/tmp/out"
kiosk_account = { login = "kiosk-01", password = "secret-secret" }
"#;

    #[test]
    fn a_kiosk_configuration_parses_with_defaults() {
        let c = TerminalConfig::parse(KIOSK).expect("parses");
        assert_eq!(c.role, Role::Kiosk);
        assert_eq!(c.idle_reset_seconds, 120);
        assert_eq!(
            c.languages,
            [
                "ja", "easy", "en", "zh", "ko", "vi", "pt", "ne", "fil", "id"
            ]
        );
        assert!(!format!("{c:?}").contains("secret-secret"));
    }

    #[test]
    fn a_broken_file_is_reported_by_line_without_quoting_it() {
        // The password's line is broken (the closing quote is missing): the reason names line 8 but
        // never shows the line, which would put the password on the screen and in logs.
        let broken = KIOSK.replace("\"secret-secret\" }", "\"secret-secret }");
        let e = TerminalConfig::parse(&broken).expect_err("broken");
        assert!(e.starts_with("8行目: "), "{e}");
        assert!(!e.contains("secret-secret"), "{e}");
    }

    #[test]
    fn mistakes_are_refused_in_japanese() {
        let typo = KIOSK.replace("printer =", "printr =");
        assert!(TerminalConfig::parse(&typo).is_err());
        let no_account = KIOSK.replace("kiosk_account", "# kiosk_account");
        assert!(
            TerminalConfig::parse(&no_account)
                .expect_err("refused")
                .contains("kiosk_account")
        );
        let bad_url = KIOSK.replace("http://127", "ftp://127");
        assert!(
            TerminalConfig::parse(&bad_url)
                .expect_err("refused")
                .contains("server_url")
        );
        let bad_language = format!("{KIOSK}languages = [\"ja\", \"english\"]\n");
        assert!(
            TerminalConfig::parse(&bad_language)
                .expect_err("refused")
                .contains("「english」は使えません")
        );
        let bad_id = KIOSK.replace("kiosk-01\"\nrole", "kiosk 01\"\nrole");
        assert!(
            TerminalConfig::parse(&bad_id)
                .expect_err("refused")
                .contains("terminal_id")
        );
        for bad_key in [
            "AAAA",
            "not base64",
            "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHUR==",
        ] {
            let text = format!("{KIOSK}update_public_key = \"{bad_key}\"\n");
            assert!(
                TerminalConfig::parse(&text)
                    .expect_err("refused")
                    .contains("update_public_key"),
                "{bad_key:?}"
            );
        }
    }

    #[test]
    fn the_update_key_is_optional_and_decoded() {
        assert_eq!(
            TerminalConfig::parse(KIOSK).expect("parses").update_key(),
            None
        );
        let empty = format!("{KIOSK}update_public_key = \"\"\n");
        assert_eq!(
            TerminalConfig::parse(&empty).expect("parses").update_key(),
            None
        );
        let key = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";
        let c = TerminalConfig::parse(&format!("{KIOSK}update_public_key = \"{key}\"\n"))
            .expect("parses");
        let raw = c.update_key().expect("key");
        assert_eq!(raw[0], 0xd7);
        assert_eq!(raw[31], 0x1a);
    }

    #[test]
    fn point_10_plain_http_only_to_this_computer() {
        let with_url =
            |url: &str| TerminalConfig::parse(&KIOSK.replace("http://127.0.0.1:8080", url));
        for ok in [
            "https://madoguchi.example.lg.jp",
            "https://10.0.0.5:8443/",
            "http://127.0.0.1",
            "http://127.0.0.1:8080",
            "http://127.1.2.3:9/",
            "http://localhost:8080",
            "http://[::1]:8080",
        ] {
            assert!(with_url(ok).is_ok(), "{ok}");
        }
        for refused in [
            "http://10.0.0.5",
            "http://10.0.0.5:8080/api",
            "http://madoguchi.example.lg.jp",
            "http://localhost.example.jp",
            "http://127.0.0.1@10.0.0.5/",
            "http://[2001:db8::1]:80",
        ] {
            let e = with_url(refused).expect_err(refused);
            assert!(e.contains("server_url") && e.contains("https://"), "{e}");
        }
        assert!(with_url("https://").is_err());
    }

    #[test]
    fn point_10_the_city_ca_file_is_optional_and_checked_when_loaded() {
        let dir = tempfile::tempdir().expect("tempdir");
        let c = TerminalConfig::parse(KIOSK).expect("parses");
        assert_eq!(c.ca_file(), None);
        let empty = TerminalConfig::parse(&format!("{KIOSK}ca_file = \"\"\n")).expect("parses");
        assert_eq!(empty.ca_file(), None);
        let ca = dir.path().join("city-ca.pem");
        let file = dir.path().join("terminal.toml");
        let text = format!("{KIOSK}ca_file = '{}'\n", ca.display());
        std::fs::write(&file, &text).expect("write");
        let e = TerminalConfig::load(&file).expect_err("no CA file yet");
        assert!(e.to_string().contains("ca_file"), "{e}");
        assert!(
            !e.to_string().contains("city-ca.pem"),
            "no path in the reason: {e}"
        );
        assert!(
            TerminalConfig::load_text(&file).is_ok(),
            "the text alone is fine"
        );
        std::fs::write(&ca, "not a certificate").expect("write");
        assert!(TerminalConfig::load(&file).is_err());
        let key = rcgen::KeyPair::generate().expect("key");
        let cert = rcgen::CertificateParams::new(Vec::<String>::new())
            .expect("params")
            .self_signed(&key)
            .expect("cert");
        std::fs::write(&ca, cert.pem()).expect("write");
        let c = TerminalConfig::load(&file).expect("loads");
        assert_eq!(c.ca_file(), Some(ca.as_path()));
    }

    #[test]
    fn the_admin_pin_verifies_only_itself() {
        let h = hash_pin("482916");
        assert!(verify_pin("482916", &h));
        assert!(!verify_pin("482917", &h));
        assert!(!verify_pin("482916", "plain"));
        assert_ne!(hash_pin("482916"), h, "salted");
    }
}
