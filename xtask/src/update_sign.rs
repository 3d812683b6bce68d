//! `cargo xtask update keygen|sign`: the Ed25519 key that signs terminal updates and the signed files
//! the server publishes (`docs/terminal.md` § Updates). The format is the one
//! `madoguchi_terminal_runtime::update::verify` checks: `{"payload": base64(payload JSON bytes), "signature":
//! base64(Ed25519 signature over exactly those bytes)}`.

use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use base64::Engine;
use ring::signature::{Ed25519KeyPair, KeyPair};

pub const USAGE: &str = "\
cargo xtask update keygen <private-key-file>
        Make the Ed25519 key pair that signs terminal updates: the private key (PKCS#8) goes to the
        file (created, readable by its owner only; never overwritten), the public key is printed for
        the terminals' `update_public_key`.
cargo xtask update sign --key <private-key-file> --platform windows-x86_64|linux-x86_64
        --version 0.2.0 --url https://…/installer --file <installer> [--notes \"…\"]
        [--published YYYY-MM-DD] [--expires YYYY-MM-DD] --out <platform>.json
        Sign the description of an installer (its SHA-256 and size are computed from --file; the
        published date defaults to today in Japan, the expiry to 90 days later: terminals refuse the
        file after it, so sign again before). Put the output in the server's updates folder
        (MADOGUCHI_UPDATES_DIR) as <platform>.json.
";

const PRODUCT: &str = "madoguchi-terminal";
const PLATFORMS: [&str; 2] = ["windows-x86_64", "linux-x86_64"];

pub fn run(args: &[String]) -> anyhow::Result<()> {
    match args.first().map(String::as_str) {
        Some("keygen") => {
            let [file] = &args[1..] else {
                bail!("keygen takes the private key file\n\n{USAGE}");
            };
            let public = keygen(Path::new(file))?;
            println!(
                "秘密鍵を {file} に書き込みました（所有者のみ読み取り可）。安全な場所に保管してください。"
            );
            println!("端末の設定に書く公開鍵:");
            println!("update_public_key = \"{public}\"");
            Ok(())
        }
        Some("sign") => {
            let request = SignRequest::parse(&args[1..])?;
            let summary = request.sign()?;
            println!("{}", summary);
            Ok(())
        }
        _ => bail!("{USAGE}"),
    }
}

/// Creates the key file (mode 0600 on Unix; fails if it exists) and returns the public key in base64.
fn keygen(path: &Path) -> anyhow::Result<String> {
    let rng = ring::rand::SystemRandom::new();
    let pkcs8 = Ed25519KeyPair::generate_pkcs8(&rng)
        .map_err(|_| anyhow::anyhow!("cannot generate an Ed25519 key"))?;
    let pair = Ed25519KeyPair::from_pkcs8(pkcs8.as_ref())
        .map_err(|_| anyhow::anyhow!("generated key does not load"))?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).with_context(|| {
        format!(
            "cannot create {} (an existing key is never overwritten)",
            path.display()
        )
    })?;
    std::io::Write::write_all(&mut file, pkcs8.as_ref())
        .with_context(|| format!("cannot write {}", path.display()))?;
    file.sync_all()?;
    Ok(b64().encode(pair.public_key().as_ref()))
}

fn b64() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::STANDARD
}

#[derive(Debug, Default)]
struct SignRequest {
    key: PathBuf,
    platform: String,
    version: String,
    url: String,
    file: PathBuf,
    notes: String,
    published: Option<String>,
    expires: Option<String>,
    out: PathBuf,
}

impl SignRequest {
    fn parse(args: &[String]) -> anyhow::Result<SignRequest> {
        let mut r = SignRequest::default();
        let (mut key, mut file, mut out) = (None, None, None);
        let mut it = args.iter();
        while let Some(flag) = it.next() {
            let value = it
                .next()
                .with_context(|| format!("{flag} needs a value\n\n{USAGE}"))?
                .clone();
            match flag.as_str() {
                "--key" => key = Some(PathBuf::from(value)),
                "--platform" => r.platform = value,
                "--version" => r.version = value,
                "--url" => r.url = value,
                "--file" => file = Some(PathBuf::from(value)),
                "--notes" => r.notes = value,
                "--published" => r.published = Some(value),
                "--expires" => r.expires = Some(value),
                "--out" => out = Some(PathBuf::from(value)),
                other => bail!("unknown option {other}\n\n{USAGE}"),
            }
        }
        let (Some(key), Some(file), Some(out)) = (key, file, out) else {
            bail!("--key, --file and --out are required\n\n{USAGE}");
        };
        (r.key, r.file, r.out) = (key, file, out);
        if !PLATFORMS.contains(&r.platform.as_str()) {
            bail!("--platform must be one of {}", PLATFORMS.join(", "));
        }
        let numeric = |v: &str| {
            let parts: Vec<&str> = v.split('.').collect();
            (1..=4).contains(&parts.len())
                && parts
                    .iter()
                    .all(|p| !p.is_empty() && p.len() <= 9 && p.bytes().all(|b| b.is_ascii_digit()))
        };
        if !numeric(&r.version) {
            bail!("--version must be numeric and dotted (0.2.0)");
        }
        let local = ["http://127.0.0.1", "http://localhost"].iter().any(|p| {
            r.url
                .strip_prefix(p)
                .is_some_and(|rest| rest.starts_with([':', '/']))
        });
        if !(r.url.starts_with("https://") || local) || r.url.chars().any(char::is_whitespace) {
            bail!("--url must be https:// (terminals refuse anything else)");
        }
        if r.published.as_deref().is_some_and(|d| !is_date(d)) {
            bail!("--published must be YYYY-MM-DD");
        }
        if r.expires.as_deref().is_some_and(|d| !is_date(d)) {
            bail!("--expires must be YYYY-MM-DD");
        }
        Ok(r)
    }

    /// Writes the signed file and returns a summary for the terminal.
    fn sign(&self) -> anyhow::Result<String> {
        let pkcs8 = std::fs::read(&self.key)
            .with_context(|| format!("cannot read the key {}", self.key.display()))?;
        let pair = Ed25519KeyPair::from_pkcs8(&pkcs8)
            .map_err(|_| anyhow::anyhow!("{} is not an Ed25519 PKCS#8 key", self.key.display()))?;
        let (sha256, size) = digest_file(&self.file)?;
        if size == 0 {
            bail!("{} is empty", self.file.display());
        }
        let published = self.published.clone().unwrap_or_else(today_in_japan);
        // Terminals refuse the file after this day: sign again before it (a replayed old file cannot
        // keep them from learning of a newer version for long).
        let expires = self
            .expires
            .clone()
            .unwrap_or_else(|| days_after(&published, 90));
        let payload = serde_json::to_vec(&serde_json::json!({
            "product": PRODUCT,
            "platform": self.platform,
            "version": self.version,
            "url": self.url,
            "sha256": sha256,
            "size": size,
            "published": published,
            "expires": expires,
            "notes": self.notes,
        }))?;
        let signed = signed_file(&payload, &pair);
        std::fs::write(&self.out, &signed)
            .with_context(|| format!("cannot write {}", self.out.display()))?;
        Ok(format!(
            "{out}: {platform} {version} ({size} bytes, sha256 {sha256}, published {published})\n\
             expires {expires}; signed with the key whose public half is {public}",
            out = self.out.display(),
            platform = self.platform,
            version = self.version,
            public = b64().encode(pair.public_key().as_ref()),
        ))
    }
}

/// `{"payload": …, "signature": …}` over exactly `payload`, checked once more before it is returned.
fn signed_file(payload: &[u8], pair: &Ed25519KeyPair) -> Vec<u8> {
    let signature = pair.sign(payload);
    let mut out = serde_json::to_vec_pretty(&serde_json::json!({
        "payload": b64().encode(payload),
        "signature": b64().encode(signature.as_ref()),
    }))
    .unwrap_or_default();
    out.push(b'\n');
    out
}

fn digest_file(path: &Path) -> anyhow::Result<(String, u64)> {
    let mut file =
        std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut ctx = ring::digest::Context::new(&ring::digest::SHA256);
    let mut buf = vec![0u8; 1 << 20];
    let mut size = 0u64;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        ctx.update(&buf[..n]);
        size += n as u64;
    }
    let hex = ctx
        .finish()
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok((hex, size))
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| s.get(r).and_then(|x| x.parse::<u32>().ok());
    matches!((num(0..4), num(5..7), num(8..10)), (Some(_), Some(m), Some(d)) if (1..=12).contains(&m) && (1..=31).contains(&d))
}

/// Today's date in Japan (UTC+9) as YYYY-MM-DD, from the system clock.
fn today_in_japan() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    civil_date((secs + 9 * 3600) / 86_400)
}

/// `n` days after the date `ymd` (YYYY-MM-DD, checked by [`is_date`]).
fn days_after(ymd: &str, n: i64) -> String {
    let num =
        |r: std::ops::Range<usize>| ymd.get(r).and_then(|x| x.parse::<i64>().ok()).unwrap_or(1);
    let (y, m, d) = (num(0..4), num(5..7), num(8..10));
    // H. Hinnant's days_from_civil, the inverse of civil_date.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    civil_date((days + n).max(0) as u64)
}

/// Days since 1970-01-01 → YYYY-MM-DD (proleptic Gregorian; H. Hinnant's algorithm).
fn civil_date(days: u64) -> String {
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn keygen_writes_a_private_key_once_and_sign_makes_a_verifiable_file() {
        let dir = std::env::temp_dir().join(format!("xtask-update-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("dir");
        let key = dir.join("update.pk8");
        let public = keygen(&key).expect("keygen");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&key).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert!(
            keygen(&key).is_err(),
            "an existing key is never overwritten"
        );
        let installer = dir.join("madoguchi-terminal-0.2.0.msi");
        std::fs::write(&installer, b"abc").expect("installer");
        let out = dir.join("windows-x86_64.json");
        let request = SignRequest::parse(&args(&[
            "--key",
            key.to_str().expect("utf-8"),
            "--platform",
            "windows-x86_64",
            "--version",
            "0.2.0",
            "--url",
            "https://updates.example.lg.jp/madoguchi-terminal-0.2.0.msi",
            "--file",
            installer.to_str().expect("utf-8"),
            "--notes",
            "カード読取の \"安定性\" を改善\n2行目",
            "--published",
            "2026-11-23",
            "--out",
            out.to_str().expect("utf-8"),
        ]))
        .expect("arguments");
        request.sign().expect("signed");

        let file: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&out).expect("out")).expect("json");
        let payload = b64()
            .decode(file["payload"].as_str().expect("payload"))
            .expect("base64");
        let signature = b64()
            .decode(file["signature"].as_str().expect("signature"))
            .expect("base64");
        let public = b64().decode(public).expect("public key");
        ring::signature::UnparsedPublicKey::new(&ring::signature::ED25519, &public)
            .verify(&payload, &signature)
            .expect("verifies with the printed public key");
        let p: serde_json::Value = serde_json::from_slice(&payload).expect("payload json");
        assert_eq!(p["product"], "madoguchi-terminal");
        assert_eq!(p["platform"], "windows-x86_64");
        assert_eq!(p["version"], "0.2.0");
        assert_eq!(p["size"], 3);
        assert_eq!(
            p["sha256"],
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(p["published"], "2026-11-23");
        assert_eq!(p["notes"], "カード読取の \"安定性\" を改善\n2行目");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn bad_arguments_are_refused() {
        let base = [
            "--key",
            "k",
            "--platform",
            "linux-x86_64",
            "--version",
            "1.0.0",
            "--url",
            "https://x.example/a",
            "--file",
            "f",
            "--out",
            "o",
        ];
        assert!(SignRequest::parse(&args(&base)).is_ok());
        for (flag, value) in [
            ("--platform", "macos"),
            ("--version", "1.0.0-rc1"),
            ("--url", "http://x.example/a"),
            ("--published", "2026-13-01"),
        ] {
            let mut a = args(&base);
            a.extend(args(&[flag, value]));
            assert!(SignRequest::parse(&a).is_err(), "{flag} {value}");
        }
        assert!(SignRequest::parse(&args(&["--key", "k"])).is_err());
    }

    #[test]
    fn expiry_defaults_are_calendar_days() {
        assert_eq!(days_after("2026-12-06", 90), "2027-03-06");
        assert_eq!(days_after("2028-02-28", 1), "2028-02-29");
        assert_eq!(days_after("2026-12-31", 1), "2027-01-01");
    }

    #[test]
    fn dates_are_civil() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(20_415), "2025-11-23");
        assert_eq!(civil_date(11_016), "2000-02-29");
        assert!(is_date("2026-11-23") && !is_date("2026/11/23"));
    }
}
