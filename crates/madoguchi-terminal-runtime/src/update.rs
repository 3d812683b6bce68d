//! Signed updates of the terminal app. The server publishes, per platform, a signed description of the
//! newest version (`GET /api/v1/terminal/update/{platform}`, `docs/terminal.md` § Updates); the terminal
//! offers it to staff only when the Ed25519 signature over the payload bytes verifies with the public
//! key of its configuration (`update_public_key`) — checked *before* the payload is parsed —, the
//! payload names this product and platform, its version is newer than the running one (a signed older
//! version is a rollback), the download is over https and the digest is a SHA-256.
//!
//! Nothing here downloads or installs: the offer tells staff (and the kiosk's administrator) that a newer
//! version exists, with its notes and where IT gets it. `cargo xtask update keygen|sign` makes the key
//! and the signed files.

use std::cmp::Ordering;

use base64::Engine;
use serde::{Deserialize, Serialize};

use crate::client::{Client, ClientError};

/// The product name a payload must carry.
pub const PRODUCT: &str = "madoguchi-terminal";
/// The platforms the server publishes updates for.
pub const PLATFORMS: [&str; 2] = ["windows-x86_64", "linux-x86_64"];
/// Largest signed file accepted (a payload is a few hundred bytes plus the notes).
pub const MAX_SIGNED_BYTES: usize = 64 * 1024;
/// Time between checks after the server answered (offer, refusal or nothing published).
pub const CHECK_INTERVAL_MS: i64 = 4 * 60 * 60 * 1000;
/// Time before the next try after the server did not answer the check.
pub const RETRY_INTERVAL_MS: i64 = 15 * 60 * 1000;

/// The version of this terminal (the workspace version).
pub fn current_version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

/// The update platform of this build; `None` where no update is published (the check does not run).
pub fn platform() -> Option<&'static str> {
    if !cfg!(target_arch = "x86_64") {
        None
    } else if cfg!(windows) {
        Some("windows-x86_64")
    } else if cfg!(target_os = "linux") {
        Some("linux-x86_64")
    } else {
        None
    }
}

/// The server's path of the signed update file of `platform`.
pub fn update_path(platform: &str) -> String {
    format!("/api/v1/terminal/update/{platform}")
}

/// A newer signed version of the terminal app (`docs/terminal.md` § Updates): what staff are told.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct UpdateOffer {
    /// `0.2.0`.
    pub version: String,
    /// `YYYY-MM-DD`.
    pub published: String,
    /// Japanese release notes.
    pub notes: String,
    /// Where IT downloads the installer (https).
    pub url: String,
    /// SHA-256 of the installer, lowercase hex.
    pub sha256: String,
    /// Size of the installer in bytes.
    pub size: u64,
}

/// Why an update was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefusalKind {
    /// Not the signed format: not JSON, no payload, payload not base64 or not the payload JSON, too
    /// large, a malformed version or date.
    Malformed,
    /// No signature, or an empty one.
    Unsigned,
    /// The signature does not verify with the configured key (tampered, or signed by another key).
    BadSignature,
    /// Signed for another product.
    WrongProduct,
    /// Signed for another platform.
    WrongPlatform,
    /// The version running now (nothing to offer).
    Current,
    /// An older version than the one running: a rollback.
    Rollback,
    /// The download is not over https (http only to this machine, for tests).
    BadUrl,
    /// The digest is not a SHA-256 in hex, or the size is 0.
    BadDigest,
    /// Past its `expires` date, or without one: an old signed file replayed to keep a terminal from
    /// learning of a newer version (a freeze).
    Expired,
}

/// A refused update: an English reason for the log (no personal data: versions and platform names
/// only) and a Japanese message for the administrator.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("update refused ({kind:?}): {reason}")]
pub struct UpdateRefusal {
    pub kind: RefusalKind,
    pub reason: String,
    pub message_ja: String,
}

fn refuse(kind: RefusalKind, reason: impl Into<String>) -> UpdateRefusal {
    let message_ja = match kind {
        RefusalKind::Malformed | RefusalKind::BadDigest => {
            "サーバーの更新情報が正しい形式ではないため、更新を案内しません。"
        }
        RefusalKind::Unsigned => "サーバーの更新情報に署名がないため、更新を拒否しました。",
        RefusalKind::BadSignature => {
            "サーバーの更新情報の署名を確認できないため、更新を拒否しました（改ざんのおそれがあります）。"
        }
        RefusalKind::WrongProduct | RefusalKind::WrongPlatform => {
            "サーバーの更新情報がこの端末向けではないため、更新を拒否しました。"
        }
        RefusalKind::Current => "この端末は最新のバージョンです。",
        RefusalKind::Rollback => {
            "サーバーの更新情報がこの端末より古いバージョンのため、更新を拒否しました。"
        }
        RefusalKind::BadUrl => {
            "更新ファイルの配布元が安全な接続（https）ではないため、更新を拒否しました。"
        }
        RefusalKind::Expired => {
            "サーバーの更新情報の有効期限が切れているため、更新を案内しません（署名し直した更新情報が必要です）。"
        }
    };
    UpdateRefusal {
        kind,
        reason: reason.into(),
        message_ja: message_ja.into(),
    }
}

/// The file the server serves. Unknown fields are ignored (here and in the payload) so that a later
/// signer may add some without locking out the terminals that need the update most.
#[derive(Deserialize)]
struct Envelope {
    payload: Option<String>,
    signature: Option<String>,
}

#[derive(Deserialize)]
struct Payload {
    product: String,
    platform: String,
    version: String,
    url: String,
    sha256: String,
    size: u64,
    published: String,
    /// Last day (YYYY-MM-DD, Japan) the signed file may be believed.
    #[serde(default)]
    expires: Option<String>,
    #[serde(default)]
    notes: String,
}

/// Checks a signed update file (the server's answer, bytes as served) and returns the offer, or why it
/// is refused. `public_key` is the raw 32-byte Ed25519 key. The signature is verified over the
/// base64-decoded payload bytes before they are parsed.
pub fn verify(
    signed_json: &[u8],
    public_key: &[u8; 32],
    expected_platform: &str,
    current_version: &str,
) -> Result<UpdateOffer, UpdateRefusal> {
    let today = (chrono::Utc::now() + chrono::Duration::hours(9)).date_naive();
    verify_on(
        signed_json,
        public_key,
        expected_platform,
        current_version,
        today,
    )
}

/// [`verify`] on the day `today` (Japan): the signed file must not be past its `expires` date.
pub fn verify_on(
    signed_json: &[u8],
    public_key: &[u8; 32],
    expected_platform: &str,
    current_version: &str,
    today: chrono::NaiveDate,
) -> Result<UpdateOffer, UpdateRefusal> {
    let payload = signed_payload(signed_json, public_key)?;
    // Only signed bytes from here on.
    let p: Payload = serde_json::from_slice(&payload).map_err(|e| {
        refuse(
            RefusalKind::Malformed,
            format!("signed payload is not the JSON format: {e}"),
        )
    })?;
    check_target(&p, expected_platform)?;
    check_newer(&p.version, current_version)?;
    check_download(&p)?;
    check_dates(&p, today)?;
    Ok(UpdateOffer {
        version: p.version,
        published: p.published,
        notes: p.notes,
        url: p.url,
        sha256: p.sha256.to_ascii_lowercase(),
        size: p.size,
    })
}

/// The payload bytes of a signed file, once its Ed25519 signature verified with `public_key`.
fn signed_payload(signed_json: &[u8], public_key: &[u8; 32]) -> Result<Vec<u8>, UpdateRefusal> {
    use RefusalKind as K;
    if signed_json.len() > MAX_SIGNED_BYTES {
        return Err(refuse(
            K::Malformed,
            format!("signed file of {} bytes is too large", signed_json.len()),
        ));
    }
    let envelope: Envelope = serde_json::from_slice(signed_json).map_err(|e| {
        refuse(
            K::Malformed,
            format!("signed file is not the JSON format: {e}"),
        )
    })?;
    let b64 = base64::engine::general_purpose::STANDARD;
    let payload = envelope
        .payload
        .filter(|p| !p.is_empty())
        .ok_or_else(|| refuse(K::Malformed, "signed file without a payload"))?;
    let payload = b64
        .decode(payload.trim())
        .map_err(|e| refuse(K::Malformed, format!("payload is not base64: {e}")))?;
    let signature = envelope
        .signature
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| refuse(K::Unsigned, "signed file without a signature"))?;
    let signature = b64
        .decode(signature.trim())
        .map_err(|e| refuse(K::BadSignature, format!("signature is not base64: {e}")))?;
    ring::signature::UnparsedPublicKey::new(&ring::signature::ED25519, public_key)
        .verify(&payload, &signature)
        .map_err(|_| {
            refuse(
                K::BadSignature,
                "Ed25519 signature does not verify with the configured key",
            )
        })?;
    Ok(payload)
}

/// The payload names this product and `expected_platform`.
fn check_target(p: &Payload, expected_platform: &str) -> Result<(), UpdateRefusal> {
    if p.product != PRODUCT {
        return Err(refuse(
            RefusalKind::WrongProduct,
            format!("signed for product {:.40}", p.product),
        ));
    }
    if p.platform != expected_platform {
        return Err(refuse(
            RefusalKind::WrongPlatform,
            format!(
                "signed for platform {:.40}, this is {expected_platform}",
                p.platform
            ),
        ));
    }
    Ok(())
}

/// The offered `version` is newer than the running one (equal: nothing to offer; older: a rollback).
fn check_newer(version: &str, current_version: &str) -> Result<(), UpdateRefusal> {
    use RefusalKind as K;
    let offered = parse_version(version).ok_or_else(|| {
        refuse(
            K::Malformed,
            format!("version {version:.40} is not numeric"),
        )
    })?;
    let running = parse_version(
        current_version
            .split(['-', '+'])
            .next()
            .unwrap_or(current_version),
    )
    .ok_or_else(|| {
        refuse(
            K::Malformed,
            format!("running version {current_version} is not numeric"),
        )
    })?;
    match compare_versions(&offered, &running) {
        Ordering::Greater => Ok(()),
        Ordering::Equal => Err(refuse(
            K::Current,
            format!("version {version} is the one running"),
        )),
        Ordering::Less => Err(refuse(
            K::Rollback,
            format!("version {version} is older than the running {current_version}"),
        )),
    }
}

/// The download is over https (http only to this machine) with a SHA-256 digest and a size.
fn check_download(p: &Payload) -> Result<(), UpdateRefusal> {
    if !url_allowed(&p.url) {
        return Err(refuse(
            RefusalKind::BadUrl,
            "download url is not https (http only to this machine)",
        ));
    }
    if p.sha256.len() != 64 || !p.sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(refuse(
            RefusalKind::BadDigest,
            "sha256 is not 64 hex digits",
        ));
    }
    if p.size == 0 {
        return Err(refuse(RefusalKind::BadDigest, "size is 0"));
    }
    Ok(())
}

/// `published` is a date and the file is not past its `expires` date on `today` (one is required).
fn check_dates(p: &Payload, today: chrono::NaiveDate) -> Result<(), UpdateRefusal> {
    use RefusalKind as K;
    if chrono::NaiveDate::parse_from_str(&p.published, "%Y-%m-%d").is_err() {
        return Err(refuse(K::Malformed, "published is not a YYYY-MM-DD date"));
    }
    match p
        .expires
        .as_deref()
        .map(|e| chrono::NaiveDate::parse_from_str(e, "%Y-%m-%d"))
    {
        None => Err(refuse(K::Expired, "signed file without an expiry date")),
        Some(Err(_)) => Err(refuse(K::Malformed, "expires is not a YYYY-MM-DD date")),
        Some(Ok(last)) if last < today => {
            Err(refuse(K::Expired, format!("signed file expired on {last}")))
        }
        Some(Ok(_)) => Ok(()),
    }
}

/// `1.2.10` → `[1, 2, 10]`: one to four numeric parts.
fn parse_version(v: &str) -> Option<Vec<u64>> {
    let parts: Vec<u64> = v
        .split('.')
        .map(|p| {
            (!p.is_empty() && p.len() <= 9 && p.bytes().all(|b| b.is_ascii_digit()))
                .then(|| p.parse().ok())
                .flatten()
        })
        .collect::<Option<_>>()?;
    (1..=4).contains(&parts.len()).then_some(parts)
}

/// Numeric comparison part by part, missing parts being 0 (`0.2` = `0.2.0`).
fn compare_versions(a: &[u64], b: &[u64]) -> Ordering {
    let n = a.len().max(b.len());
    (0..n)
        .map(|i| {
            a.get(i)
                .copied()
                .unwrap_or(0)
                .cmp(&b.get(i).copied().unwrap_or(0))
        })
        .find(|o| o.is_ne())
        .unwrap_or(Ordering::Equal)
}

/// https with a host and no user part; http only to this machine (tests).
fn url_allowed(url: &str) -> bool {
    if url.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return false;
    }
    let (secure, rest) = if let Some(rest) = url.strip_prefix("https://") {
        (true, rest)
    } else if let Some(rest) = url.strip_prefix("http://") {
        (false, rest)
    } else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.is_empty() || authority.contains('@') {
        return false;
    }
    let host = if authority.starts_with('[') {
        authority
            .find(']')
            .map_or("", |end| authority.get(..=end).unwrap_or_default())
    } else {
        authority
            .rsplit_once(':')
            .map_or(authority, |(host, _port)| host)
    };
    if host.is_empty() {
        return false;
    }
    secure
        || matches!(
            host.to_ascii_lowercase().as_str(),
            "127.0.0.1" | "localhost" | "[::1]"
        )
}

/// What a check ended with, besides an offer or nothing published.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckError {
    /// No answer, or an error status: try again later.
    #[error("update check failed: {0}")]
    Server(ClientError),
    /// The server's file was refused.
    #[error(transparent)]
    Refused(UpdateRefusal),
    /// No `update_public_key` configured, or no update platform for this build: no check.
    #[error("update checks are off: {0}")]
    Off(&'static str),
}

/// Asks the server for the signed update file of `platform` (no session needed: the file is public and
/// signed). `Ok(None)`: nothing published (404, 204) or the running version is the published one.
pub fn check(
    client: &Client,
    public_key: &[u8; 32],
    platform: &str,
    current_version: &str,
) -> Result<Option<UpdateOffer>, CheckError> {
    let answer = client
        .request("GET", &update_path(platform), None, None)
        .map_err(CheckError::Server)?;
    match answer.status {
        404 | 204 => Ok(None),
        200 => match verify(&answer.bytes, public_key, platform, current_version) {
            Ok(offer) => Ok(Some(offer)),
            Err(r) if r.kind == RefusalKind::Current => Ok(None),
            Err(r) => Err(CheckError::Refused(r)),
        },
        status => Err(CheckError::Server(answer.ok().err().unwrap_or_else(|| {
            ClientError::Protocol(format!("unexpected status {status}"))
        }))),
    }
}

/// Decodes the configured public key (base64 of the 32 raw bytes).
pub fn decode_public_key(b64: &str) -> Option<[u8; 32]> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(b64.trim())
        .ok()?;
    bytes.try_into().ok()
}

/// The signed file for a payload (what `cargo xtask update sign` writes), for tests and tools:
/// `{"payload": base64(payload), "signature": base64(Ed25519(payload))}`.
pub fn sign(payload: &[u8], key_pair: &ring::signature::Ed25519KeyPair) -> Vec<u8> {
    let b64 = base64::engine::general_purpose::STANDARD;
    let signature = key_pair.sign(payload);
    let envelope = serde_json::json!({
        "payload": b64.encode(payload),
        "signature": b64.encode(signature.as_ref()),
    });
    let mut out = serde_json::to_vec_pretty(&envelope).unwrap_or_default();
    out.push(b'\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ring::signature::{Ed25519KeyPair, KeyPair};
    use serde_json::{Value, json};

    const PLATFORM: &str = "windows-x86_64";
    const RUNNING: &str = "0.1.0";

    fn key_pair() -> Ed25519KeyPair {
        let rng = ring::rand::SystemRandom::new();
        let pkcs8 = Ed25519KeyPair::generate_pkcs8(&rng).expect("pkcs8");
        Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).expect("key pair")
    }

    fn public(k: &Ed25519KeyPair) -> [u8; 32] {
        k.public_key().as_ref().try_into().expect("32 bytes")
    }

    fn payload() -> Value {
        json!({
            "product": "madoguchi-terminal",
            "platform": PLATFORM,
            "version": "0.2.0",
            "url": "https://updates.example.lg.jp/madoguchi-terminal-0.2.0.msi",
            "sha256": "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08",
            "size": 21_700_000,
            "published": "2026-11-23",
            "expires": "2099-12-31",
            "notes": "カード読取の安定性を改善しました。",
        })
    }

    fn signed(p: &Value, k: &Ed25519KeyPair) -> Vec<u8> {
        sign(&serde_json::to_vec(p).expect("json"), k)
    }

    fn kind(r: Result<UpdateOffer, UpdateRefusal>) -> RefusalKind {
        let refusal = r.expect_err("refused");
        assert!(!refusal.message_ja.is_empty());
        assert!(!refusal.reason.is_empty());
        refusal.kind
    }

    fn envelope(file: &[u8]) -> Value {
        serde_json::from_slice(file).expect("envelope")
    }

    #[test]
    fn an_expired_or_undated_signed_file_is_refused() {
        let k = key_pair();
        let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
        let mut p = payload();
        p["expires"] = "2026-12-31".into();
        let file = signed(&p, &k);
        assert!(verify_on(&file, &public(&k), PLATFORM, RUNNING, day("2026-12-31")).is_ok());
        assert_eq!(
            kind(verify_on(
                &file,
                &public(&k),
                PLATFORM,
                RUNNING,
                day("2027-01-01")
            )),
            RefusalKind::Expired
        );
        p.as_object_mut().expect("object").remove("expires");
        assert_eq!(
            kind(verify_on(
                &signed(&p, &k),
                &public(&k),
                PLATFORM,
                RUNNING,
                day("2026-12-01")
            )),
            RefusalKind::Expired
        );
    }

    #[test]
    fn a_valid_signed_newer_version_is_offered() {
        let k = key_pair();
        let offer =
            verify(&signed(&payload(), &k), &public(&k), PLATFORM, RUNNING).expect("offered");
        assert_eq!(offer.version, "0.2.0");
        assert_eq!(offer.published, "2026-11-23");
        assert_eq!(offer.notes, "カード読取の安定性を改善しました。");
        assert_eq!(offer.size, 21_700_000);
        assert_eq!(
            offer.sha256,
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
        );
        // A newer patch, minor or a longer version all count; unknown fields are ignored.
        for (version, running) in [("0.1.1", "0.1.0"), ("0.10.0", "0.9.9"), ("1.0.0.1", "1.0")] {
            let mut p = payload();
            p["version"] = json!(version);
            p["channel"] = json!("stable");
            assert!(
                verify(&signed(&p, &k), &public(&k), PLATFORM, running).is_ok(),
                "{version} over {running}"
            );
        }
        // http only to this machine (the tests' server).
        let mut p = payload();
        p["url"] = json!("http://127.0.0.1:8080/x.msi");
        assert!(verify(&signed(&p, &k), &public(&k), PLATFORM, RUNNING).is_ok());
    }

    #[test]
    fn a_payload_tampered_after_signing_is_refused() {
        let k = key_pair();
        let file = signed(&payload(), &k);
        let b64 = base64::engine::general_purpose::STANDARD;
        let mut env = envelope(&file);
        let mut bytes = b64
            .decode(env["payload"].as_str().expect("payload"))
            .expect("base64");
        // One byte: 0.2.0 → 0.3.0, still valid JSON that would otherwise be offered.
        let at = bytes
            .windows(5)
            .position(|w| w == b"0.2.0")
            .expect("version in payload");
        bytes[at + 2] = b'3';
        env["payload"] = json!(b64.encode(&bytes));
        let tampered = serde_json::to_vec(&env).expect("json");
        assert_eq!(
            kind(verify(&tampered, &public(&k), PLATFORM, RUNNING)),
            RefusalKind::BadSignature
        );
        // The signature itself changed in one byte.
        let mut env = envelope(&file);
        let mut sig = b64
            .decode(env["signature"].as_str().expect("sig"))
            .expect("base64");
        sig[10] ^= 0x01;
        env["signature"] = json!(b64.encode(&sig));
        assert_eq!(
            kind(verify(
                &serde_json::to_vec(&env).expect("json"),
                &public(&k),
                PLATFORM,
                RUNNING
            )),
            RefusalKind::BadSignature
        );
    }

    #[test]
    fn a_signature_from_another_key_is_refused() {
        let ours = key_pair();
        let theirs = key_pair();
        let file = signed(&payload(), &theirs);
        assert_eq!(
            kind(verify(&file, &public(&ours), PLATFORM, RUNNING)),
            RefusalKind::BadSignature
        );
        assert!(verify(&file, &public(&theirs), PLATFORM, RUNNING).is_ok());
    }

    #[test]
    fn an_unsigned_update_is_refused() {
        let k = key_pair();
        let file = signed(&payload(), &k);
        for signature in [Value::Null, json!(""), json!("  ")] {
            let mut env = envelope(&file);
            env["signature"] = signature.clone();
            assert_eq!(
                kind(verify(
                    &serde_json::to_vec(&env).expect("json"),
                    &public(&k),
                    PLATFORM,
                    RUNNING
                )),
                RefusalKind::Unsigned,
                "{signature}"
            );
        }
        let mut env = envelope(&file);
        env.as_object_mut().expect("object").remove("signature");
        assert_eq!(
            kind(verify(
                &serde_json::to_vec(&env).expect("json"),
                &public(&k),
                PLATFORM,
                RUNNING
            )),
            RefusalKind::Unsigned
        );
        // The bare payload JSON served instead of the signed file.
        assert_eq!(
            kind(verify(
                &serde_json::to_vec(&payload()).expect("json"),
                &public(&k),
                PLATFORM,
                RUNNING
            )),
            RefusalKind::Malformed
        );
    }

    #[test]
    fn malformed_files_are_refused() {
        let k = key_pair();
        let key = public(&k);
        let file = signed(&payload(), &k);
        let with = |field: &str, value: Value| {
            let mut env = envelope(&file);
            env[field] = value;
            serde_json::to_vec(&env).expect("json")
        };
        let cases: Vec<(&str, Vec<u8>, RefusalKind)> = vec![
            (
                "not json",
                b"<html>404</html>".to_vec(),
                RefusalKind::Malformed,
            ),
            ("empty", Vec::new(), RefusalKind::Malformed),
            ("array", b"[]".to_vec(), RefusalKind::Malformed),
            (
                "payload not base64",
                with("payload", json!("***not base64***")),
                RefusalKind::Malformed,
            ),
            (
                "signature not base64",
                with("signature", json!("%%%")),
                RefusalKind::BadSignature,
            ),
            (
                "signature too short",
                with("signature", json!("AAAA")),
                RefusalKind::BadSignature,
            ),
            (
                "too large",
                {
                    let mut p = payload();
                    p["notes"] = json!("あ".repeat(MAX_SIGNED_BYTES / 3));
                    signed(&p, &k)
                },
                RefusalKind::Malformed,
            ),
        ];
        for (what, bytes, expected) in cases {
            assert_eq!(
                kind(verify(&bytes, &key, PLATFORM, RUNNING)),
                expected,
                "{what}"
            );
        }
        // Signed, but not the payload format: refused after the signature checked out.
        let b64 = base64::engine::general_purpose::STANDARD;
        for raw in [
            &b"not json at all"[..],
            br#"{"product": "madoguchi-terminal"}"#,
        ] {
            let signature = k.sign(raw);
            let file = serde_json::to_vec(&json!({"payload": b64.encode(raw),
                "signature": b64.encode(signature.as_ref())}))
            .expect("json");
            assert_eq!(
                kind(verify(&file, &key, PLATFORM, RUNNING)),
                RefusalKind::Malformed
            );
        }
        // Signed payloads with bad fields.
        let bad: Vec<(&str, Value, RefusalKind)> = vec![
            ("version", json!("0.2.0-beta"), RefusalKind::Malformed),
            ("version", json!("v0.2"), RefusalKind::Malformed),
            ("version", json!(""), RefusalKind::Malformed),
            (
                "published",
                json!("令和8年11月23日"),
                RefusalKind::Malformed,
            ),
            (
                "url",
                json!("http://updates.example.lg.jp/x.msi"),
                RefusalKind::BadUrl,
            ),
            (
                "url",
                json!("ftp://updates.example.lg.jp/x.msi"),
                RefusalKind::BadUrl,
            ),
            (
                "url",
                json!("https://user@evil.example/x.msi"),
                RefusalKind::BadUrl,
            ),
            (
                "url",
                json!("http://localhost.evil.example/x.msi"),
                RefusalKind::BadUrl,
            ),
            ("url", json!("https:///x.msi"), RefusalKind::BadUrl),
            ("sha256", json!("abc"), RefusalKind::BadDigest),
            ("sha256", json!("z".repeat(64)), RefusalKind::BadDigest),
            ("size", json!(0), RefusalKind::BadDigest),
        ];
        for (field, value, expected) in bad {
            let mut p = payload();
            p[field] = value.clone();
            assert_eq!(
                kind(verify(&signed(&p, &k), &key, PLATFORM, RUNNING)),
                expected,
                "{field} = {value}"
            );
        }
    }

    #[test]
    fn older_and_equal_versions_are_refused() {
        let k = key_pair();
        for (version, running, expected) in [
            ("0.1.0", "0.1.0", RefusalKind::Current),
            ("0.1", "0.1.0", RefusalKind::Current),
            ("0.0.9", "0.1.0", RefusalKind::Rollback),
            ("0.9.0", "0.10.0", RefusalKind::Rollback),
            ("0.2.0", "1.0.0", RefusalKind::Rollback),
        ] {
            let mut p = payload();
            p["version"] = json!(version);
            assert_eq!(
                kind(verify(&signed(&p, &k), &public(&k), PLATFORM, running)),
                expected,
                "{version} while running {running}"
            );
        }
        // The running version of this build is compared the same way.
        let mut p = payload();
        p["version"] = json!(current_version());
        assert_eq!(
            kind(verify(
                &signed(&p, &k),
                &public(&k),
                PLATFORM,
                current_version()
            )),
            RefusalKind::Current
        );
    }

    #[test]
    fn another_platform_or_product_is_refused() {
        let k = key_pair();
        let file = signed(&payload(), &k);
        assert_eq!(
            kind(verify(&file, &public(&k), "linux-x86_64", RUNNING)),
            RefusalKind::WrongPlatform
        );
        let mut p = payload();
        p["product"] = json!("madoguchi-server");
        assert_eq!(
            kind(verify(&signed(&p, &k), &public(&k), PLATFORM, RUNNING)),
            RefusalKind::WrongProduct
        );
    }

    #[test]
    fn versions_compare_numerically() {
        let v = |s: &str| parse_version(s).expect("version");
        assert_eq!(
            compare_versions(&v("0.10.0"), &v("0.9.0")),
            Ordering::Greater
        );
        assert_eq!(compare_versions(&v("1.0"), &v("1.0.0")), Ordering::Equal);
        assert_eq!(compare_versions(&v("1.0.0"), &v("1.0.0.1")), Ordering::Less);
        for bad in ["", "1..0", "1.0.0.0.0", "1.a", "+1", "1.0 ", "9999999999"] {
            assert_eq!(parse_version(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn the_public_key_decodes_only_from_32_bytes() {
        let k = key_pair();
        let b64 = base64::engine::general_purpose::STANDARD.encode(k.public_key().as_ref());
        assert_eq!(decode_public_key(&b64), Some(public(&k)));
        assert_eq!(decode_public_key("AAAA"), None);
        assert_eq!(decode_public_key("not base64!"), None);
    }
}
