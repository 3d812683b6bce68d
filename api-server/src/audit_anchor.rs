//! The audit chain anchored outside the database (Security II point 6).
//!
//! Anyone who can write to the database could delete audit records and re-chain the rest; the chain
//! alone would then verify. So the server signs the chain's head — the last record's id, hash and
//! time, and the chain's base — with an Ed25519 key the database never holds, and writes each
//! **anchor** to write-once storage within a minute of any change: a local folder (files created once,
//! read-only) or S3 with Object Lock in compliance mode (the bucket's default retention; see
//! `docs/security.md`). [`check`] compares the stored chain with its anchors: a record that no longer
//! has the hash an anchor signed (edited, deleted, re-chained), records missing from the end
//! (truncation), a forged anchor, and a purge base moved past records younger than the retention
//! period are each named with the first record concerned.
//!
//! Because every hash covers all records before it, the latest anchor is enough to detect any change
//! up to it; the others serve to find the first changed record (a binary search).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, SecondsFormat, Utc};
use madoguchi_store::{AuditState, Store};
use ring::signature::{ED25519, Ed25519KeyPair, KeyPair, UnparsedPublicKey};
use serde::{Deserialize, Serialize};

use crate::import::hex;

/// Folder (under the configured place) that holds the anchors.
const DIR: &str = "anchors";

/// One signed statement: "the chain's record `last_id` had hash `hash` at `head_at`, the chain
/// starting after record `base_id`".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    pub last_id: i64,
    pub hash: [u8; 32],
    pub head_at: DateTime<Utc>,
    pub base_id: i64,
    pub written_at: DateTime<Utc>,
}

#[derive(Serialize, Deserialize)]
struct AnchorFile {
    version: u32,
    last_id: i64,
    hash: String,
    head_at: String,
    base_id: i64,
    written_at: String,
    signature: String,
}

fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

impl Anchor {
    /// The bytes that are signed.
    fn message(&self) -> Vec<u8> {
        format!(
            "madoguchi-audit-anchor-v1\n{}\n{}\n{}\n{}\n{}\n",
            self.last_id,
            hex(&self.hash),
            ts(self.head_at),
            self.base_id,
            ts(self.written_at)
        )
        .into_bytes()
    }

    /// Its object key: the record id first (zero-padded, so keys sort by it), then the head's time.
    pub fn key(&self) -> String {
        format!(
            "{DIR}/{:020}-{}.json",
            self.last_id,
            self.head_at.format("%Y%m%dT%H%M%S%6fZ")
        )
    }

    fn to_file(&self, signer: &Signer) -> Vec<u8> {
        let file = AnchorFile {
            version: 1,
            last_id: self.last_id,
            hash: hex(&self.hash),
            head_at: ts(self.head_at),
            base_id: self.base_id,
            written_at: ts(self.written_at),
            signature: hex(signer.0.sign(&self.message()).as_ref()),
        };
        serde_json::to_vec_pretty(&file).unwrap_or_default()
    }

    /// Parses and checks an anchor file against the public key; `Err` names what is wrong (English).
    fn from_file(bytes: &[u8], public_key: &[u8]) -> Result<Anchor, String> {
        let f: AnchorFile =
            serde_json::from_slice(bytes).map_err(|_| "not an anchor file".to_owned())?;
        let time = |s: &str| {
            DateTime::parse_from_rfc3339(s)
                .map(|t| t.with_timezone(&Utc))
                .map_err(|_| "unreadable time".to_owned())
        };
        let hash: [u8; 32] = unhex(&f.hash)
            .and_then(|h| h.try_into().ok())
            .ok_or("unreadable hash")?;
        let anchor = Anchor {
            last_id: f.last_id,
            hash,
            head_at: time(&f.head_at)?,
            base_id: f.base_id,
            written_at: time(&f.written_at)?,
        };
        let signature = unhex(&f.signature).ok_or("unreadable signature")?;
        UnparsedPublicKey::new(&ED25519, public_key)
            .verify(&anchor.message(), &signature)
            .map_err(|_| {
                "the signature does not verify (forged, altered or another key)".to_owned()
            })?;
        Ok(anchor)
    }
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// The anchor signing key (Ed25519, PKCS#8), kept in a file outside the database.
pub struct Signer(Ed25519KeyPair);

impl Signer {
    pub fn from_pkcs8(bytes: &[u8]) -> anyhow::Result<Signer> {
        Ed25519KeyPair::from_pkcs8(bytes).map(Signer).map_err(|_| {
            anyhow::anyhow!("監査アンカーの鍵ファイルが Ed25519 の PKCS#8 ではありません")
        })
    }

    pub fn from_file(path: &Path) -> anyhow::Result<Signer> {
        let bytes = std::fs::read(path)
            .map_err(|e| anyhow::anyhow!("監査アンカーの鍵ファイルを読めません: {e}"))?;
        Signer::from_pkcs8(&bytes)
    }

    /// The public key (raw Ed25519) that checks the anchors.
    pub fn public_key(&self) -> Vec<u8> {
        self.0.public_key().as_ref().to_vec()
    }

    /// The public key (hex) that [`check`] verifies with.
    pub fn public_key_hex(&self) -> String {
        hex(self.0.public_key().as_ref())
    }
}

/// A new signing key as PKCS#8 bytes.
pub fn generate_key() -> anyhow::Result<Vec<u8>> {
    let rng = ring::rand::SystemRandom::new();
    Ed25519KeyPair::generate_pkcs8(&rng)
        .map(|d| d.as_ref().to_vec())
        .map_err(|_| anyhow::anyhow!("鍵を生成できませんでした"))
}

/// A public key given as hex.
pub fn parse_public_key(hex_text: &str) -> anyhow::Result<Vec<u8>> {
    unhex(hex_text.trim())
        .filter(|k| k.len() == 32)
        .ok_or_else(|| anyhow::anyhow!("監査アンカーの公開鍵は 64 桁の 16 進数で指定してください"))
}

/// Where the server writes anchors and the key that checks them: what the admin's verification screen
/// reads (the latest anchor and whether the chain still has what it signed).
#[derive(Debug, Clone)]
pub struct Anchoring {
    pub place: AnchorPlace,
    pub public_key: Vec<u8>,
}

/// The latest anchor in `place`: `None` when none was written, `Err` (English) when it does not verify.
pub async fn latest(
    place: &AnchorPlace,
    public_key: &[u8],
) -> anyhow::Result<Option<Result<Anchor, String>>> {
    let Some(key) = place
        .keys()
        .await?
        .into_iter()
        .rfind(|k| key_id(k).is_some())
    else {
        return Ok(None);
    };
    let bytes = place.read(&key).await?;
    Ok(Some(Anchor::from_file(&bytes, public_key)))
}

/// Where anchors are written: write-once.
#[derive(Debug, Clone)]
pub enum AnchorPlace {
    /// A local folder: each anchor a new file, created once and made read-only.
    Folder(PathBuf),
    /// Object storage (S3 with Object Lock in compliance mode).
    Objects(madoguchi_objects::Exchange),
}

impl AnchorPlace {
    /// `file:///path` or `s3://bucket/prefix` (S3 settings from `MADOGUCHI_S3_*`).
    pub fn open(url: &str) -> anyhow::Result<AnchorPlace> {
        if let Some(dir) = url.strip_prefix("file://") {
            std::fs::create_dir_all(Path::new(dir).join(DIR))?;
            return Ok(AnchorPlace::Folder(PathBuf::from(dir)));
        }
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        let config = madoguchi_objects::ObjectsConfig {
            url: url.to_owned(),
            endpoint: var(madoguchi_objects::ENV_ENDPOINT),
            region: var(madoguchi_objects::ENV_REGION),
            access_key_id: var(madoguchi_objects::ENV_ACCESS_KEY_ID),
            secret_access_key: var(madoguchi_objects::ENV_SECRET_ACCESS_KEY),
        };
        Ok(AnchorPlace::Objects(
            madoguchi_objects::Exchange::open_for_object_lock(&config)?,
        ))
    }

    /// Writes a new anchor; an anchor of the same head written before (a restart) is left as it is.
    async fn put(&self, key: &str, bytes: Vec<u8>) -> anyhow::Result<()> {
        match self {
            AnchorPlace::Folder(dir) => {
                let path = dir.join(key);
                match tokio::task::spawn_blocking(move || write_once(&path, &bytes)).await? {
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
                    r => Ok(r?),
                }
            }
            // A versioned bucket with Object Lock keeps every version: nothing is lost to a rewrite.
            AnchorPlace::Objects(ex) => Ok(ex.write(key, bytes).await?),
        }
    }

    /// Keys of every anchor, sorted (by record id).
    async fn keys(&self) -> anyhow::Result<Vec<String>> {
        let mut keys = match self {
            AnchorPlace::Folder(dir) => {
                let mut out = Vec::new();
                for e in std::fs::read_dir(dir.join(DIR))? {
                    let name = e?.file_name().to_string_lossy().into_owned();
                    if name.ends_with(".json") {
                        out.push(format!("{DIR}/{name}"));
                    }
                }
                out
            }
            AnchorPlace::Objects(ex) => ex
                .list(DIR)
                .await?
                .into_iter()
                .map(|o| o.key)
                .filter(|k| k.ends_with(".json"))
                .collect(),
        };
        keys.sort();
        Ok(keys)
    }

    async fn read(&self, key: &str) -> anyhow::Result<Vec<u8>> {
        match self {
            AnchorPlace::Folder(dir) => Ok(std::fs::read(dir.join(key))?),
            AnchorPlace::Objects(ex) => Ok(ex.read(key).await?.to_vec()),
        }
    }
}

/// Creates `path` with `bytes` (never replacing a file), flushed to disk, then read-only.
fn write_once(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    let mut perms = f.metadata()?.permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(path, perms)?;
    if let Some(dir) = path.parent() {
        std::fs::File::open(dir)?.sync_all()?;
    }
    Ok(())
}

/// Anchors the chain's head unless it is the one anchored last (`last`). Returns the anchor written.
pub async fn anchor_now(
    store: Arc<dyn Store>,
    signer: &Signer,
    place: &AnchorPlace,
    last: Option<i64>,
    now: DateTime<Utc>,
) -> anyhow::Result<Option<Anchor>> {
    let state = tokio::task::spawn_blocking(move || store.audit_state(&[])).await??;
    let Some((last_id, hash, head_at)) = state.head else {
        return Ok(None);
    };
    if last == Some(last_id) {
        return Ok(None);
    }
    let anchor = Anchor {
        last_id,
        hash,
        head_at,
        base_id: state.base.0,
        written_at: now,
    };
    place.put(&anchor.key(), anchor.to_file(signer)).await?;
    Ok(Some(anchor))
}

/// Writes an anchor every `interval` while the chain moves, for as long as the server runs. A failure
/// is logged and retried at the next tick (the chain itself is intact; only its anchoring waits).
pub async fn run(
    store: Arc<dyn Store>,
    signer: Signer,
    place: AnchorPlace,
    interval: std::time::Duration,
) {
    let mut last = None;
    let mut tick = tokio::time::interval(interval);
    loop {
        tick.tick().await;
        match anchor_now(store.clone(), &signer, &place, last, Utc::now()).await {
            Ok(Some(a)) => last = Some(a.last_id),
            Ok(None) => {}
            Err(e) => tracing::error!(error = %e, "audit anchor not written"),
        }
    }
}

/// The outcome of checking the chain against its anchors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnchorCheck {
    /// Every anchor verifies and the chain still has what the latest one signed.
    Consistent { anchors: usize, latest: Option<i64> },
    /// The first record that no longer matches, and why (English, for the log and the CLI).
    Broken { first_bad_id: i64, reason: String },
}

fn key_id(key: &str) -> Option<i64> {
    key.strip_prefix(&format!("{DIR}/"))?
        .get(..20)?
        .parse()
        .ok()
}

fn key_head_at(key: &str) -> Option<DateTime<Utc>> {
    let t = key
        .strip_prefix(&format!("{DIR}/"))?
        .get(21..)?
        .strip_suffix(".json")?;
    chrono::NaiveDateTime::parse_from_str(t, "%Y%m%dT%H%M%S%6fZ")
        .ok()
        .map(|t| t.and_utc())
}

/// Checks the stored chain against the anchors in `place` signed with `public_key`: records younger
/// than `retention` must not have been purged, and every anchor's record must still have its hash.
pub async fn check(
    store: Arc<dyn Store>,
    place: &AnchorPlace,
    public_key: &[u8],
    now: DateTime<Utc>,
    retention: chrono::Duration,
) -> anyhow::Result<AnchorCheck> {
    let keys: Vec<(i64, String)> = place
        .keys()
        .await?
        .into_iter()
        .filter_map(|k| key_id(&k).map(|id| (id, k)))
        .collect();
    let read = |key: String| async move {
        let bytes = place.read(&key).await?;
        anyhow::Ok(Anchor::from_file(&bytes, public_key).map_err(|e| (key, e)))
    };
    let st = store.clone();
    let state = tokio::task::spawn_blocking(move || st.audit_state(&[])).await??;
    let base = state.base.0;
    // A purge must not reach records younger than the retention period: an anchor of such a record at
    // or below the base says it did.
    for (id, key) in keys.iter().filter(|(id, _)| *id <= base) {
        if key_head_at(key).is_some_and(|t| t > now - retention) {
            match read(key.clone()).await? {
                Err((k, e)) => return Ok(forged(*id, &k, &e)),
                Ok(a) if a.head_at > now - retention => {
                    return Ok(AnchorCheck::Broken {
                        first_bad_id: a.last_id,
                        reason: format!(
                            "the purge base (record {base}) was moved past record {} of {}, younger than the retention period",
                            a.last_id,
                            ts(a.head_at)
                        ),
                    });
                }
                Ok(_) => {}
            }
        }
    }
    let live: Vec<(i64, String)> = keys.into_iter().filter(|(id, _)| *id > base).collect();
    let Some((latest_id, latest_key)) = live.last().cloned() else {
        return Ok(AnchorCheck::Consistent {
            anchors: 0,
            latest: None,
        });
    };
    let matches = |id: i64, state: &AuditState, a: &Anchor| state.hashes.get(&id) == Some(&a.hash);
    let latest = match read(latest_key.clone()).await? {
        Err((k, e)) => return Ok(forged(latest_id, &k, &e)),
        Ok(a) => a,
    };
    let st = store.clone();
    let state = tokio::task::spawn_blocking(move || st.audit_state(&[latest_id])).await??;
    if matches(latest_id, &state, &latest) {
        return Ok(AnchorCheck::Consistent {
            anchors: live.len(),
            latest: Some(latest_id),
        });
    }
    // Something up to the latest anchor changed: find the first anchor that no longer matches.
    let (mut lo, mut hi) = (0usize, live.len() - 1); // live[hi] mismatches
    while lo < hi {
        let mid = (lo + hi) / 2;
        let (id, key) = live[mid].clone();
        let a = match read(key).await? {
            Err((k, e)) => return Ok(forged(id, &k, &e)),
            Ok(a) => a,
        };
        let st = store.clone();
        let state = tokio::task::spawn_blocking(move || st.audit_state(&[id])).await??;
        if matches(id, &state, &a) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    let (bad_id, _) = live[lo];
    let after = if lo == 0 { base } else { live[lo - 1].0 };
    let head = state.head.map_or(base, |h| h.0);
    Ok(AnchorCheck::Broken {
        first_bad_id: if head < bad_id && head >= after {
            head + 1
        } else {
            after + 1
        },
        reason: if head < bad_id {
            format!(
                "records after {head} are missing: the anchors name records up to {latest_id} (truncated)"
            )
        } else {
            format!(
                "record {bad_id} no longer has the hash anchored for it: a record after {after} was edited, deleted or re-chained"
            )
        },
    })
}

fn forged(id: i64, key: &str, why: &str) -> AnchorCheck {
    AnchorCheck::Broken {
        first_bad_id: id,
        reason: format!("anchor {key} is not valid: {why}"),
    }
}
