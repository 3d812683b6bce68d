//! Inbound linkage with the core systems (基幹系): a job that polls the exchange area (a local folder
//! or S3, [`madoguchi_objects::Exchange`]) and imports the files the 住民記録 system delivers.
//! Layouts and the delivery protocol: `docs/linkage.md`.
//!
//! Per tenant and feed the files sit under `<tenant>/inbound/<feed>/`, named `full_<連番>….csv` or
//! `delta_<連番>….csv`. A file is taken only when complete: an end-trigger `<name>.end` or a manifest
//! `<name>.manifest` (JSON: size, SHA-256, optional encoding) beside it. Files are applied in 連番
//! order per feed: a full load whenever it is newer than the last applied file, a delta only right
//! after the previous one (a delta that arrives before its full load, or after a gap, waits). Each
//! import is one store transaction recorded in the import ledger by the file's SHA-256, so a file is
//! never applied twice, even when the job dies between the commit and moving the file. Applied
//! files move to `<tenant>/processed/<feed>/`, refused ones to `<tenant>/error/<feed>/` beside a
//! Japanese report `<name>.errors.csv` (line, column, reason); every outcome goes to the linkage
//! ledger the admin status reads.
//!
//! A full 住民情報, 支援措置 or 印鑑登録 file that would remove more than `MADOGUCHI_LINKAGE_MAX_REMOVAL_PERCENT`
//! (default 5 %) of the tenant's current rows is **held** (Security II point 17): it stays in the inbound
//! folder, waiting with a Japanese reason, and later files of its feed wait behind it, until an admin
//! confirms that exact file (name and SHA-256) through `POST /api/v1/linkage/confirm` or
//! `madoguchi-server linkage confirm`. The confirmation is a tenant setting written together with its
//! audit record (`linkage.confirm`), in the database and not in the exchange, which the core system may
//! write; the next poll applies the file as usual, exactly once by the import ledger.

pub mod outbound;
pub mod tables;
pub mod tax;
pub mod tenshutsu;

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, NaiveDate, Utc};
use madoguchi_core::ids::AtenaNo;
use madoguchi_core::resident::SupportMeasure;
use madoguchi_objects::{Exchange, ObjectInfo, ObjectsError};
use madoguchi_store::{
    AuditEvent, ImportApplied, ImportCounts, ImportMeta, ImportMode, LinkageFile, LinkageOutcome,
    OutboundBatch, Store, StoreError, StoreResult, TenantId,
};
use serde::{Deserialize, Serialize};

use crate::import::{CsvEncoding, ImportError, ImportOptions, ImportStatus, RowProblem};

/// A core-system feed the job imports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Feed {
    /// Folder name and id in the ledger: the 標準 linkage id where there is one.
    pub id: &'static str,
    /// Japanese name for the admin screen.
    pub label: &'static str,
}

/// Every feed, in the order they are polled.
pub const FEEDS: &[Feed] = &[
    Feed {
        id: "001o006",
        label: "住民情報",
    },
    Feed {
        id: "001o009",
        label: "支援措置対象者情報",
    },
    Feed {
        id: "shikaku",
        label: "資格情報（国保・後期高齢・介護・国民年金・児童手当）",
    },
    Feed {
        id: "inkan",
        label: "印鑑登録情報",
    },
    Feed {
        id: "cards",
        label: "利用者証明用電子証明書シリアル番号",
    },
    Feed {
        id: "tax",
        label: "課税情報（所得・住民税）",
    },
    Feed {
        id: "tenshutsu",
        label: "転出証明書情報（転入予約）",
    },
];

/// Default and longest polling interval (高崎 III.2: within 5 minutes).
pub const DEFAULT_INTERVAL_SECS: u64 = 60;
pub const MAX_INTERVAL_SECS: u64 = 300;

/// Default largest share (percent) of the current rows a full file may remove without an admin's
/// confirmation (Security II point 17).
pub const DEFAULT_MAX_REMOVAL_PERCENT: u8 = 5;

/// `MADOGUCHI_LINKAGE_MAX_REMOVAL_PERCENT`: a whole number of percent, 0–100 (default 5). 0 holds every
/// full file that removes anything; 100 never holds.
pub fn max_removal_percent_from_env() -> Result<u8, String> {
    match std::env::var("MADOGUCHI_LINKAGE_MAX_REMOVAL_PERCENT") {
        Err(_) => Ok(DEFAULT_MAX_REMOVAL_PERCENT),
        Ok(v) => match v.trim().trim_end_matches('%').trim_end().parse::<u8>() {
            Ok(n) if n <= 100 => Ok(n),
            _ => Err(
                "MADOGUCHI_LINKAGE_MAX_REMOVAL_PERCENT は 0〜100 の整数（パーセント）で指定してください"
                    .into(),
            ),
        },
    }
}

/// Whether full files of a feed are checked for what they remove: 住民情報, 支援措置 and 印鑑登録 (a
/// truncated file would cancel seals in force).
pub fn removal_checked(feed: &str) -> bool {
    matches!(feed, "001o006" | "001o009" | "inkan")
}

/// The optional completeness manifest `<name>.manifest`.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub size: u64,
    pub sha256: String,
    #[serde(default)]
    pub encoding: Option<String>,
}

/// A data file's place in its feed, from its name.
#[derive(Debug, Clone, PartialEq, Eq)]
struct FileName {
    mode: ImportMode,
    sequence: i64,
}

/// `full_000001.csv`, `delta_000002_20261123.csv` (any suffix after the 連番).
fn parse_name(name: &str) -> Option<FileName> {
    let stem = name.strip_suffix(".csv")?;
    let (mode, rest) = if let Some(r) = stem.strip_prefix("full_") {
        (ImportMode::Full, r)
    } else if let Some(r) = stem.strip_prefix("delta_") {
        (ImportMode::Delta, r)
    } else {
        return None;
    };
    let digits: &str = rest.split('_').next()?;
    if digits.is_empty() || digits.len() > 12 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(FileName {
        mode,
        sequence: digits.parse().ok()?,
    })
}

/// A file that is not taken yet, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Waiting {
    pub name: String,
    /// Japanese reason.
    pub reason: String,
    /// Set when the file is a full file held for an admin's confirmation because it would remove too
    /// much (`POST /api/v1/linkage/confirm`).
    pub hold: Option<Hold>,
}

impl Waiting {
    fn new(name: impl Into<String>, reason: impl Into<String>) -> Self {
        Waiting {
            name: name.into(),
            reason: reason.into(),
            hold: None,
        }
    }
}

/// A full file that would remove more than the allowed share of the current rows (Security II point 17).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Hold {
    /// The file's SHA-256 as the last poll read it: the confirmation names it, so that a file replaced
    /// under the same name is held again.
    pub sha256: String,
    /// Current rows: the tenant's residents (001o006), 支援措置 records (001o009) or seals in force
    /// (inkan).
    pub current: u64,
    /// Of these, the rows the file would remove (residents not in the file, measures the file ends,
    /// seals the file leaves out or abolishes).
    pub removed: u64,
    /// The largest share removed without a confirmation, in percent.
    pub limit_percent: u8,
}

/// What a full file would remove: of `current` rows, `removed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Removal {
    pub current: u64,
    pub removed: u64,
}

impl Removal {
    /// More than `limit` percent of a non-empty table (exact, in integers).
    pub fn exceeds(&self, limit: u8) -> bool {
        self.current > 0
            && u128::from(self.removed) * 100 > u128::from(limit) * u128::from(self.current)
    }
}

/// An admin's confirmation of one held file, kept as the tenant setting [`confirmation_key`] of its feed
/// (the latest one per feed). Only the file with this name **and** SHA-256 is applied by it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Confirmation {
    pub file: String,
    pub sha256: String,
    pub current: u64,
    pub removed: u64,
    /// The admin's login, or `cli`.
    pub by: String,
    pub at: DateTime<Utc>,
}

/// The tenant setting holding a feed's latest confirmation.
pub fn confirmation_key(feed: &str) -> String {
    format!("linkage_confirmed_{feed}")
}

/// Records an admin's confirmation of a held file together with its audit record (`linkage.confirm`,
/// subject the file's SHA-256), in one store transaction.
pub fn record_confirmation(
    store: &dyn Store,
    tenant: &TenantId,
    feed: &str,
    confirmation: &Confirmation,
    audit: &AuditEvent,
) -> StoreResult<()> {
    let value = serde_json::to_string(confirmation)
        .map_err(|e| StoreError::Backend(format!("confirmation: {e}")))?;
    store.put_tenant_setting(tenant, &confirmation_key(feed), &value, audit)
}

/// The Japanese reason shown for a held file.
fn hold_reason(feed: &str, r: &Removal, limit: u8) -> String {
    let tenths =
        (u128::from(r.removed) * 1000 + u128::from(r.current) / 2) / u128::from(r.current.max(1));
    let pct = format!("{}.{}", tenths / 10, tenths % 10);
    let (current, removed) = (grouped(r.current), grouped(r.removed));
    if feed == "001o006" {
        format!(
            "全件ファイルで現在の住民 {current} 人のうち {pct} %（{removed} 人）が削除されるため、管理者の確認を待っています（上限 {limit} %）。"
        )
    } else if feed == "inkan" {
        format!(
            "全件ファイルで現在の印鑑登録 {current} 件のうち {pct} %（{removed} 件）が廃止または削除されるため、管理者の確認を待っています（上限 {limit} %）。"
        )
    } else {
        format!(
            "全件ファイルで現在の支援措置対象者 {current} 人のうち {pct} %（{removed} 人）の支援措置が終了するため、管理者の確認を待っています（上限 {limit} %）。"
        )
    }
}

/// `12345` → `12,345`.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The distinct 宛名番号 of a full 住民情報 file's current rows (最新フラグ 1 or no such column), read
/// from the bytes as a stream of CSV records without decoding the rows (宛名番号 is ASCII in UTF-8 and
/// CP932 alike; CP932's second bytes never collide with `,` `"` or line ends). 15 digits fit a `u64`:
/// 8 bytes a resident (tens of MB at 1,000,000 rows). `None` when the file cannot be read this far (no
/// header, no 宛名番号 column, broken CSV): the importer then refuses it, changing nothing. A row this
/// reading cannot use (an unreadable 宛名番号) counts as absent, which can only overstate the removal.
fn resident_keys(bytes: &[u8], encoding: CsvEncoding) -> Option<HashSet<u64>> {
    let body = match encoding {
        CsvEncoding::Utf8 => bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes),
        CsvEncoding::Cp932 => bytes,
    };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(body);
    let mut rec = csv::ByteRecord::new();
    if !rdr.read_byte_record(&mut rec).ok()? {
        return None;
    }
    let (mut atena, mut latest, mut deleted) = (None, None, None);
    for (i, raw) in rec.iter().enumerate() {
        let name = match encoding {
            CsvEncoding::Utf8 => std::str::from_utf8(raw).ok()?.trim().to_owned(),
            CsvEncoding::Cp932 => {
                let (text, had_errors) = encoding_rs::SHIFT_JIS.decode_without_bom_handling(raw);
                if had_errors {
                    return None;
                }
                text.trim().to_owned()
            }
        };
        match name.as_str() {
            "宛名番号" => atena = Some(i),
            "最新フラグ" => latest = Some(i),
            "削除フラグ" => deleted = Some(i),
            _ => {}
        }
    }
    let atena = atena?;
    let mut keys = HashSet::new();
    while rdr.read_byte_record(&mut rec).ok()? {
        let field = |i: usize| rec.get(i).map(<[u8]>::trim_ascii);
        // A past row (最新フラグ 0) is history; anything but 1 the importer refuses.
        if latest.is_some_and(|l| field(l) != Some(b"1")) {
            continue;
        }
        // A full file with 削除フラグ 1 is refused by the importer.
        if deleted.is_some_and(|d| field(d) == Some(b"1")) {
            continue;
        }
        let key = field(atena)
            .and_then(|v| std::str::from_utf8(v).ok())
            .and_then(|v| AtenaNo::parse(v).ok())
            .and_then(|a| a.as_str().parse::<u64>().ok());
        if let Some(k) = key {
            keys.insert(k);
        }
    }
    Some(keys)
}

/// What a full file of a checked feed would remove from the tenant, exactly. `None` when nothing can
/// be removed (an empty tenant: a first load is never held) or the file is unreadable (the import
/// refuses it). Residents: the file's 宛名番号 set against one pass over the tenant's residents
/// ([`Store::for_each_resident`]); 支援措置: the file's measures against the stored ones; 印鑑登録: the
/// registrations in force that the file leaves without one (absent, or 廃止).
pub fn removal(
    store: &dyn Store,
    tenant: &TenantId,
    feed: &str,
    bytes: &[u8],
    encoding: CsvEncoding,
) -> StoreResult<Option<Removal>> {
    match feed {
        "001o006" => {
            if store.count_residents(tenant)? == 0 {
                return Ok(None);
            }
            let Some(keys) = resident_keys(bytes, encoding) else {
                return Ok(None);
            };
            let mut removed = 0u64;
            let current = store.for_each_resident(tenant, &mut |r| {
                if !r
                    .atena_no
                    .as_str()
                    .parse::<u64>()
                    .is_ok_and(|k| keys.contains(&k))
                {
                    removed += 1;
                }
                Ok(())
            })?;
            Ok((current > 0).then_some(Removal { current, removed }))
        }
        "001o009" => {
            let stored = store.all_support_measures(tenant)?;
            if stored.is_empty() {
                return Ok(None);
            }
            let Ok((items, _)) = read_table(bytes, encoding, |t| {
                tables::support_measures(t, ImportMode::Full)
            }) else {
                return Ok(None);
            };
            let keep: HashSet<&str> = items
                .iter()
                .filter(|r| r.measure != SupportMeasure::None)
                .map(|r| r.atena_no.as_str())
                .collect();
            let removed = stored
                .iter()
                .filter(|r| !keep.contains(r.atena_no.as_str()))
                .count() as u64;
            Ok(Some(Removal {
                current: stored.len() as u64,
                removed,
            }))
        }
        "inkan" => {
            let active = store.active_seal_registrations(tenant)?;
            if active.is_empty() {
                return Ok(None);
            }
            let Ok((items, _)) = read_table(bytes, encoding, |t| {
                tables::seal_registrations(t, ImportMode::Full)
            }) else {
                return Ok(None);
            };
            let keep: HashSet<&str> = items
                .iter()
                .filter_map(|c| match c {
                    madoguchi_store::SealRegistrationChange::Put(r) if r.is_active() => {
                        Some(r.atena_no.as_str())
                    }
                    _ => None,
                })
                .collect();
            let removed = active.iter().filter(|a| !keep.contains(a.as_str())).count() as u64;
            Ok(Some(Removal {
                current: active.len() as u64,
                removed,
            }))
        }
        _ => Ok(None),
    }
}

/// A held file as `linkage confirm` finds it in the exchange.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inspected {
    pub sha256: String,
    pub removal: Option<Removal>,
}

/// A remembered removal check of a feed's full file (the resident check reads every resident: it is
/// done once per file, content and population, not at every poll while the file waits).
#[derive(Debug, Clone)]
struct CheckedFile {
    name: String,
    sha256: String,
    residents: u64,
    removal: Option<Removal>,
}

/// What one poll sees of a feed's inbound folder: its files by name.
struct Inbound<'a> {
    prefix: &'a str,
    names: HashMap<String, &'a ObjectInfo>,
}

impl<'a> Inbound<'a> {
    fn new(prefix: &'a str, listed: &'a [ObjectInfo]) -> Self {
        let names = listed
            .iter()
            .filter_map(|o| {
                let name = o.key.strip_prefix(&format!("{prefix}/"))?;
                (!name.contains('/')).then(|| (name.to_owned(), o))
            })
            .collect();
        Inbound { prefix, names }
    }

    fn has_manifest(&self, name: &str) -> bool {
        self.names.contains_key(&format!("{name}.manifest"))
    }

    /// A data file is complete when its end-trigger or manifest is beside it.
    fn complete(&self, name: &str) -> bool {
        self.names.contains_key(&format!("{name}.end")) || self.has_manifest(name)
    }
}

/// The files of a feed applied so far: the last 連番 and each one's SHA-256.
struct Applied {
    last: Option<i64>,
    sha256: HashMap<i64, String>,
}

/// One complete data file a poll considers.
struct FileAt<'a> {
    tenant: &'a TenantId,
    feed: &'static Feed,
    name: &'a str,
    parsed: &'a FileName,
    /// The 連番 of a complete full file after this one, which makes a waiting delta or a held full file
    /// moot.
    later_full: Option<i64>,
}

/// What the removal check says of a full file.
enum Gate {
    /// Import it (with the note of an admin's confirmation, if there was one).
    Go(Option<String>),
    /// Refused: a later full file makes it moot.
    Refused,
    /// Held for an admin's confirmation; the files after it wait for this reason.
    Held(String),
}

/// What one poll found for one feed (kept in memory for the status).
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct FeedPoll {
    pub waiting: Vec<Waiting>,
    /// A problem reaching the exchange or the store (Japanese), if the last poll had one.
    pub error: Option<String>,
}

/// What a poll did with one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handled {
    pub tenant: TenantId,
    pub feed: &'static str,
    pub name: String,
    pub outcome: LinkageOutcome,
    pub counts: ImportCounts,
}

/// The polling job of one server: which tenants have linkage, where the exchange is.
pub struct Job {
    store: Arc<dyn Store>,
    exchange: Exchange,
    tenants: Vec<TenantId>,
    interval_secs: u64,
    state: Mutex<HashMap<(String, &'static str), FeedPoll>>,
    last_poll: Mutex<Option<DateTime<Utc>>>,
    outbound_error: Mutex<HashMap<String, String>>,
    max_removal_percent: u8,
    checked: Mutex<HashMap<(String, &'static str), CheckedFile>>,
}

/// Cases per outbound batch (file).
pub const OUTBOUND_BATCH_CASES: usize = 1000;

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Job")
            .field("exchange", &self.exchange)
            .field("tenants", &self.tenants)
            .finish_non_exhaustive()
    }
}

/// Why a linkage run could not go on (the exchange or the store); files are left for the next run.
#[derive(Debug, thiserror::Error)]
pub enum Fail {
    #[error("{0}")]
    Objects(#[from] ObjectsError),
    #[error("{0}")]
    Store(#[from] StoreError),
}

impl Fail {
    /// Japanese, for the admin status; never personal data (object keys are ours).
    pub fn message_ja(&self) -> String {
        match self {
            Fail::Objects(e) => e.to_string(),
            Fail::Store(_) => "データベースに書き込めませんでした。".into(),
        }
    }
}

/// A file refused: the report's rows and the ledger's summary.
struct Refusal {
    problems: Vec<RowProblem>,
    rows: u64,
}

impl Refusal {
    fn file(line: u64, message: impl Into<String>) -> Self {
        Refusal {
            problems: vec![RowProblem {
                line,
                column: None,
                message: message.into(),
            }],
            rows: 0,
        }
    }
}

/// A small feed's file decoded and parsed: its items and rows read, or why it is refused.
fn read_table<T>(
    bytes: &[u8],
    encoding: CsvEncoding,
    parse: impl FnOnce(&str) -> Result<tables::Parsed<T>, tables::FileProblem>,
) -> Result<(Vec<T>, u64), Refusal> {
    let text = tables::decode(bytes, encoding).map_err(|p| Refusal::file(p.line, p.message))?;
    let parsed = parse(&text).map_err(|p| Refusal::file(p.line, p.message))?;
    if parsed.problems.is_empty() {
        Ok((parsed.items, parsed.rows_read))
    } else {
        Err(Refusal {
            problems: parsed.problems,
            rows: parsed.rows_read,
        })
    }
}

/// The Japanese error report written beside a refused file (UTF-8 with BOM, for Excel).
pub fn error_report(problems: &[RowProblem]) -> String {
    let mut out = String::from("\u{FEFF}行,列,内容\r\n");
    for p in problems {
        let field = |s: &str| {
            if s.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", s.replace('"', "\"\""))
            } else {
                s.to_owned()
            }
        };
        out.push_str(&format!(
            "{},{},{}\r\n",
            p.line,
            field(p.column.as_deref().unwrap_or("")),
            field(&p.message)
        ));
    }
    out
}

fn hex_sha256(bytes: &[u8]) -> String {
    crate::import::hex(ring::digest::digest(&ring::digest::SHA256, bytes).as_ref())
}

impl Job {
    pub fn new(
        store: Arc<dyn Store>,
        exchange: Exchange,
        tenants: Vec<TenantId>,
        interval_secs: u64,
    ) -> Self {
        // An unreadable limit holds every full file that removes anything (fail closed) and says so.
        let max_removal_percent = max_removal_percent_from_env().unwrap_or_else(|e| {
            tracing::error!("{e}: holding every full file that removes rows");
            0
        });
        Job {
            store,
            exchange,
            tenants,
            interval_secs: interval_secs.clamp(1, MAX_INTERVAL_SECS),
            state: Mutex::new(HashMap::new()),
            last_poll: Mutex::new(None),
            outbound_error: Mutex::new(HashMap::new()),
            max_removal_percent,
            checked: Mutex::new(HashMap::new()),
        }
    }

    /// The largest share (percent) of current rows a full file removes without a confirmation
    /// (default from `MADOGUCHI_LINKAGE_MAX_REMOVAL_PERCENT`).
    pub fn with_max_removal_percent(mut self, percent: u8) -> Self {
        self.max_removal_percent = percent.min(100);
        self
    }

    pub fn max_removal_percent(&self) -> u8 {
        self.max_removal_percent
    }

    pub fn interval_secs(&self) -> u64 {
        self.interval_secs
    }

    /// The file of a feed the last poll held for a confirmation, if `name` is one.
    pub fn held(&self, tenant: &TenantId, feed: &str, name: &str) -> Option<Hold> {
        self.feed_poll(tenant, feed)
            .waiting
            .into_iter()
            .find(|w| w.name == name)
            .and_then(|w| w.hold)
    }

    /// The confirmation recorded for a feed, if any.
    async fn confirmation(
        &self,
        tenant: &TenantId,
        feed: &Feed,
    ) -> Result<Option<Confirmation>, Fail> {
        let store = self.store.clone();
        let t = tenant.clone();
        let key = confirmation_key(feed.id);
        let raw = tokio::task::spawn_blocking(move || store.tenant_setting(&t, &key))
            .await
            .map_err(|e| Fail::Store(StoreError::Backend(format!("task failed: {e}"))))??;
        Ok(raw.and_then(|v| serde_json::from_str(&v).ok()))
    }

    /// What a full file of a checked feed would remove (see [`removal`]); a resident file's answer is
    /// remembered for its name, content and the number of residents.
    async fn check_removal(
        &self,
        tenant: &TenantId,
        feed: &'static Feed,
        name: &str,
        sha256: &str,
        bytes: &bytes::Bytes,
        encoding: CsvEncoding,
    ) -> Result<Option<Removal>, Fail> {
        let key = (tenant.0.clone(), feed.id);
        let residents = if feed.id == "001o006" {
            let store = self.store.clone();
            let t = tenant.clone();
            let n = tokio::task::spawn_blocking(move || store.count_residents(&t))
                .await
                .map_err(|e| Fail::Store(StoreError::Backend(format!("task failed: {e}"))))??;
            if n == 0 {
                return Ok(None);
            }
            let known = self.checked.lock().ok().and_then(|c| {
                c.get(&key)
                    .filter(|c| c.name == name && c.sha256 == sha256 && c.residents == n)
                    .map(|c| c.removal)
            });
            if let Some(removal) = known {
                return Ok(removal);
            }
            n
        } else {
            0
        };
        let store = self.store.clone();
        let t = tenant.clone();
        let b = bytes.clone();
        let removal =
            tokio::task::spawn_blocking(move || removal(store.as_ref(), &t, feed.id, &b, encoding))
                .await
                .map_err(|e| Fail::Store(StoreError::Backend(format!("task failed: {e}"))))??;
        if feed.id == "001o006"
            && let Ok(mut c) = self.checked.lock()
        {
            c.insert(
                key,
                CheckedFile {
                    name: name.to_owned(),
                    sha256: sha256.to_owned(),
                    residents,
                    removal,
                },
            );
        }
        Ok(removal)
    }

    /// A file in the inbound folder of a checked feed, for `linkage confirm`: its SHA-256 and what it
    /// would remove. `Ok(Err(_))` (Japanese) when it is not a complete full file of such a feed.
    pub async fn inspect(
        &self,
        tenant: &TenantId,
        feed: &str,
        name: &str,
    ) -> Result<Result<Inspected, String>, Fail> {
        let Some(feed) = FEEDS.iter().find(|f| f.id == feed && removal_checked(f.id)) else {
            return Ok(Err(
                "承認の対象は 001o006（住民情報）、001o009（支援措置）と inkan（印鑑登録）の全件ファイルです。".into(),
            ));
        };
        if parse_name(name).is_none_or(|p| p.mode != ImportMode::Full) || name.contains('/') {
            return Ok(Err(
                "全件ファイル（full_連番.csv）の名前を指定してください。".into(),
            ));
        }
        let key = format!("{}/inbound/{}/{name}", tenant.0, feed.id);
        if self.exchange.size(&key).await?.is_none() {
            return Ok(Err(format!(
                "{}/{name} は受信フォルダにありません。",
                feed.id
            )));
        }
        let mut encoding = CsvEncoding::Utf8;
        let manifest = format!("{key}.manifest");
        if self.exchange.size(&manifest).await?.is_some() {
            let raw = self.exchange.read(&manifest).await?;
            if let Some(e) = serde_json::from_slice::<Manifest>(&raw)
                .ok()
                .and_then(|m| m.encoding)
                .and_then(|e| CsvEncoding::parse(&e))
            {
                encoding = e;
            }
        } else if self.exchange.size(&format!("{key}.end")).await?.is_none() {
            return Ok(Err(
                "転送中のファイルです（終了ファイルまたはマニフェストがありません）。".into(),
            ));
        }
        let bytes = self.exchange.read(&key).await?;
        let sha256 = hex_sha256(&bytes);
        let removal = self
            .check_removal(tenant, feed, name, &sha256, &bytes, encoding)
            .await?;
        Ok(Ok(Inspected { sha256, removal }))
    }

    pub fn tenants(&self) -> &[TenantId] {
        &self.tenants
    }

    pub fn last_poll(&self) -> Option<DateTime<Utc>> {
        self.last_poll.lock().ok().and_then(|g| *g)
    }

    /// The last poll's view of one feed of a tenant.
    pub fn feed_poll(&self, tenant: &TenantId, feed: &str) -> FeedPoll {
        let Ok(state) = self.state.lock() else {
            return FeedPoll::default();
        };
        FEEDS
            .iter()
            .find(|f| f.id == feed)
            .and_then(|f| state.get(&(tenant.0.clone(), f.id)).cloned())
            .unwrap_or_default()
    }

    /// Polls every tenant and feed once; returns what was done with each file taken.
    pub async fn poll(&self, today: NaiveDate) -> Vec<Handled> {
        let mut done = Vec::new();
        for tenant in &self.tenants {
            let known = {
                let store = self.store.clone();
                let t = tenant.clone();
                tokio::task::spawn_blocking(move || store.tenant_name(&t))
                    .await
                    .ok()
                    .and_then(Result::ok)
            };
            for feed in FEEDS {
                let mut poll = FeedPoll::default();
                match &known {
                    Some(Some(_)) => {}
                    Some(None) => {
                        tracing::error!(
                            "linkage configured for a tenant the database does not have"
                        );
                        poll.error = Some(format!(
                            "テナント {} がデータベースにありません。連携の設定を確認してください。",
                            tenant.as_str()
                        ));
                    }
                    None => poll.error = Some("データベースを読めませんでした。".into()),
                }
                if poll.error.is_some() {
                    if let Ok(mut state) = self.state.lock() {
                        state.insert((tenant.0.clone(), feed.id), poll);
                    }
                    continue;
                }
                if let Err(e) = self
                    .poll_feed(tenant, feed, today, &mut poll, &mut done)
                    .await
                {
                    tracing::error!(feed = feed.id, error = %e, "linkage poll failed");
                    poll.error = Some(e.message_ja());
                }
                if let Ok(mut state) = self.state.lock() {
                    state.insert((tenant.0.clone(), feed.id), poll);
                }
            }
        }
        if let Ok(mut last) = self.last_poll.lock() {
            *last = Some(Utc::now());
        }
        done
    }

    /// Writes every outbound feed of every tenant: first what an earlier run recorded but did not
    /// deliver, then new batches of the cases accepted since. Returns the batches delivered now.
    pub async fn export_all(&self, now: DateTime<Utc>) -> Vec<(TenantId, OutboundBatch)> {
        let mut out = Vec::new();
        for tenant in &self.tenants {
            match self.export(tenant, now).await {
                Ok(b) => out.extend(b.into_iter().map(|b| (tenant.clone(), b))),
                Err(e) => {
                    tracing::error!(error = %e, "outbound linkage failed");
                    if let Ok(mut s) = self.outbound_error.lock() {
                        s.insert(tenant.0.clone(), e.message_ja());
                    }
                    continue;
                }
            }
            if let Ok(mut s) = self.outbound_error.lock() {
                s.remove(&tenant.0);
            }
        }
        out
    }

    /// Why the last outbound run of a tenant failed, if it did (Japanese).
    pub fn outbound_error(&self, tenant: &TenantId) -> Option<String> {
        self.outbound_error
            .lock()
            .ok()
            .and_then(|s| s.get(&tenant.0).cloned())
    }

    /// The outbound run of one tenant (also on demand, from the API).
    pub async fn export(
        &self,
        tenant: &TenantId,
        now: DateTime<Utc>,
    ) -> Result<Vec<OutboundBatch>, Fail> {
        let mut delivered = Vec::new();
        let pending = {
            let store = self.store.clone();
            let t = tenant.clone();
            tokio::task::spawn_blocking(move || store.outbound_batches(&t, None, true, 10_000))
                .await
                .map_err(|e| Fail::Store(StoreError::Backend(format!("task failed: {e}"))))??
        };
        for b in pending.into_iter().rev() {
            self.deliver(tenant, &b, now).await?;
            delivered.push(b);
        }
        for kind in outbound::KINDS {
            loop {
                let store = self.store.clone();
                let t = tenant.clone();
                let batch = tokio::task::spawn_blocking(move || {
                    outbound::take_batch(store.as_ref(), &t, kind, now, OUTBOUND_BATCH_CASES)
                })
                .await
                .map_err(|e| Fail::Store(StoreError::Backend(format!("task failed: {e}"))))?;
                let batch = match batch {
                    Ok(Some(b)) => b,
                    Ok(None) => break,
                    // Another exporter took some of these cases first: the next run sees the rest.
                    Err(StoreError::Conflict(_)) => break,
                    Err(e) => return Err(e.into()),
                };
                self.deliver(tenant, &batch, now).await?;
                tracing::info!(
                    kind = kind.id,
                    records = batch.records,
                    "outbound batch delivered"
                );
                delivered.push(batch);
            }
        }
        Ok(delivered)
    }

    /// Writes a batch's file (unless it has no rows), its manifest and end-trigger, then marks it
    /// delivered. Writing again after a crash writes the same bytes.
    async fn deliver(
        &self,
        tenant: &TenantId,
        b: &OutboundBatch,
        now: DateTime<Utc>,
    ) -> Result<(), Fail> {
        if b.records > 0 {
            let key = format!("{}/outbound/{}/{}", tenant.0, b.kind, b.file_name);
            self.exchange.write(&key, b.content.clone()).await?;
            let manifest = Manifest {
                size: b.content.len() as u64,
                sha256: b.sha256.clone(),
                encoding: Some("utf-8".into()),
            };
            let manifest = serde_json::to_vec(&manifest)
                .map_err(|e| Fail::Store(StoreError::Backend(e.to_string())))?;
            self.exchange
                .write(&format!("{key}.manifest"), manifest)
                .await?;
            self.exchange
                .write(&format!("{key}.end"), Vec::new())
                .await?;
        }
        let store = self.store.clone();
        let t = tenant.clone();
        let (kind, no) = (b.kind.clone(), b.batch_no);
        tokio::task::spawn_blocking(move || store.mark_outbound_delivered(&t, &kind, no, now))
            .await
            .map_err(|e| Fail::Store(StoreError::Backend(format!("task failed: {e}"))))??;
        Ok(())
    }

    /// Polls until `stop` resolves, every `interval_secs`.
    pub async fn run(self: Arc<Self>, stop: impl std::future::Future<Output = ()>) {
        tokio::pin!(stop);
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(self.interval_secs));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = &mut stop => break,
                _ = tick.tick() => {
                    let handled = self.poll(crate::clock::today_jst()).await;
                    if !handled.is_empty() {
                        tracing::info!(files = handled.len(), "linkage files handled");
                    }
                    self.export_all(Utc::now()).await;
                }
            }
        }
    }

    async fn poll_feed(
        &self,
        tenant: &TenantId,
        feed: &'static Feed,
        today: NaiveDate,
        poll: &mut FeedPoll,
        done: &mut Vec<Handled>,
    ) -> Result<(), Fail> {
        let prefix = format!("{}/inbound/{}", tenant.0, feed.id);
        let listed = self.exchange.list(&prefix).await?;
        let inbound = Inbound::new(&prefix, &listed);
        self.drop_orphan_markers(tenant, feed, &inbound).await?;
        let candidates = self.candidates(tenant, feed, &inbound, poll, done).await?;
        let mut applied = self.applied(tenant, feed).await?;
        let mut blocked: Option<String> = None;
        for (i, (parsed, name)) in candidates.iter().enumerate() {
            if !inbound.complete(name) {
                poll.waiting.push(Waiting::new(
                    name.clone(),
                    "転送中です（終了ファイルまたはマニフェストを待っています）。",
                ));
                continue;
            }
            if let Some(reason) = &blocked {
                poll.waiting
                    .push(Waiting::new(name.clone(), reason.clone()));
                continue;
            }
            // A complete full file after this one makes a waiting delta or held full file moot.
            let later_full = candidates[i + 1..]
                .iter()
                .find(|(p, n)| p.mode == ImportMode::Full && inbound.complete(n))
                .map(|(p, _)| p.sequence);
            let file = FileAt {
                tenant,
                feed,
                name,
                parsed,
                later_full,
            };
            blocked = self
                .poll_file(&file, &inbound, today, &mut applied, poll, done)
                .await?;
        }
        Ok(())
    }

    /// Deletes the markers whose data file an earlier poll moved and then stopped before the marker.
    async fn drop_orphan_markers(
        &self,
        tenant: &TenantId,
        feed: &'static Feed,
        inbound: &Inbound<'_>,
    ) -> Result<(), Fail> {
        for name in inbound.names.keys() {
            let data = name
                .strip_suffix(".end")
                .or_else(|| name.strip_suffix(".manifest"));
            let Some(data) = data.filter(|d| !inbound.names.contains_key(*d)) else {
                continue;
            };
            let moved = self
                .exchange
                .size(&format!("{}/processed/{}/{data}", tenant.0, feed.id))
                .await?
                .is_some()
                || self
                    .exchange
                    .size(&format!("{}/error/{}/{data}", tenant.0, feed.id))
                    .await?
                    .is_some();
            if moved {
                self.exchange
                    .delete(&format!("{}/{name}", inbound.prefix))
                    .await?;
            }
        }
        Ok(())
    }

    /// The data files named by the rules, in 連番 order; a complete file with another name is refused.
    async fn candidates(
        &self,
        tenant: &TenantId,
        feed: &'static Feed,
        inbound: &Inbound<'_>,
        poll: &mut FeedPoll,
        done: &mut Vec<Handled>,
    ) -> Result<Vec<(FileName, String)>, Fail> {
        let mut candidates: Vec<(FileName, String)> = Vec::new();
        for name in inbound.names.keys() {
            if name.ends_with(".end") || name.ends_with(".manifest") {
                continue;
            }
            match parse_name(name) {
                Some(parsed) => candidates.push((parsed, name.clone())),
                None if inbound.complete(name) => {
                    let r = Refusal::file(
                        0,
                        "ファイル名が規則（full_連番.csv または delta_連番.csv）に合いません。",
                    );
                    self.refuse(tenant, feed, name, None, 0, "", r, done)
                        .await?;
                }
                None => poll.waiting.push(Waiting::new(
                    name.clone(),
                    "ファイル名が規則に合いません（終了ファイルもありません）。",
                )),
            }
        }
        candidates.sort_by(|a, b| (a.0.sequence, &a.1).cmp(&(b.0.sequence, &b.1)));
        Ok(candidates)
    }

    /// The files of the feed applied so far, from the linkage ledger.
    async fn applied(&self, tenant: &TenantId, feed: &'static Feed) -> Result<Applied, Fail> {
        let store = self.store.clone();
        let tenant = tenant.clone();
        let ledger = crate::tasks::blocking(move || {
            store
                .linkage_files(&tenant, Some(feed.id), 10_000)
                .map_err(|e| crate::tasks::TaskFailed(e.to_string()))
        })
        .await
        .map_err(|_| Fail::Store(StoreError::Backend("ledger read failed".into())))?;
        let mut files: Vec<&LinkageFile> = ledger
            .iter()
            .filter(|f| f.outcome == LinkageOutcome::Applied)
            .collect();
        files.sort_by_key(|f| f.sequence);
        Ok(Applied {
            last: files.last().map(|f| f.sequence),
            sha256: files
                .iter()
                .map(|f| (f.sequence, f.sha256.clone()))
                .collect(),
        })
    }

    /// Takes one complete file: checks it against its manifest and the feed's order, holds a full file
    /// that would remove too much, and imports it. Returns why the files after it must wait, if they must.
    async fn poll_file(
        &self,
        file: &FileAt<'_>,
        inbound: &Inbound<'_>,
        today: NaiveDate,
        applied: &mut Applied,
        poll: &mut FeedPoll,
        done: &mut Vec<Handled>,
    ) -> Result<Option<String>, Fail> {
        let Some((encoding, expect)) = self.read_manifest(file, inbound, done).await? else {
            return Ok(None);
        };
        let size = inbound.names.get(file.name).map_or(0, |o| o.size);
        if let Some(m) = &expect
            && size < m.size
        {
            poll.waiting.push(Waiting::new(
                file.name,
                format!("転送中です（{size} / {} バイト）。", m.size),
            ));
            return Ok(Some("前のファイルの転送完了を待っています。".into()));
        }
        let bytes = self
            .exchange
            .read(&format!("{}/{}", inbound.prefix, file.name))
            .await?;
        let sha256 = hex_sha256(&bytes);
        if let Some(m) = &expect
            && (bytes.len() as u64 != m.size || !m.sha256.eq_ignore_ascii_case(&sha256))
        {
            let r = Refusal::file(
                0,
                "ファイルがマニフェストのサイズまたは SHA-256 と一致しません（破損または途中で切れたファイル）。",
            );
            self.refuse_file(file, &bytes, &sha256, r, done).await?;
            return Ok(None);
        }
        if self
            .out_of_order(file, &bytes, &sha256, applied, done)
            .await?
        {
            return Ok(None);
        }
        if let Some(wait) = self
            .delta_gap(file, &bytes, &sha256, applied, poll, done)
            .await?
        {
            return Ok(wait);
        }
        let note = match self
            .removal_gate(file, &bytes, &sha256, encoding, poll, done)
            .await?
        {
            Gate::Go(note) => note,
            Gate::Refused => return Ok(None),
            Gate::Held(reason) => return Ok(Some(reason)),
        };
        self.apply_file(file, encoding, &bytes, &sha256, note, today, applied, done)
            .await?;
        Ok(None)
    }

    /// Completeness and encoding from the file's manifest, if it has one; `None` when the manifest is
    /// refused (the file with it).
    async fn read_manifest(
        &self,
        file: &FileAt<'_>,
        inbound: &Inbound<'_>,
        done: &mut Vec<Handled>,
    ) -> Result<Option<(CsvEncoding, Option<Manifest>)>, Fail> {
        if !inbound.has_manifest(file.name) {
            return Ok(Some((CsvEncoding::Utf8, None)));
        }
        let key = format!("{}/{}.manifest", inbound.prefix, file.name);
        let raw = self.exchange.read(&key).await?;
        let refusal = match serde_json::from_slice::<Manifest>(&raw) {
            Ok(m) => match m.encoding.as_deref().map(CsvEncoding::parse) {
                None => return Ok(Some((CsvEncoding::Utf8, Some(m)))),
                Some(Some(e)) => return Ok(Some((e, Some(m)))),
                Some(None) => Refusal::file(
                    0,
                    "マニフェストの encoding は utf-8 または cp932 を指定してください。",
                ),
            },
            Err(_) => Refusal::file(
                0,
                "マニフェストが読めません（JSON で size と sha256 を記載してください）。",
            ),
        };
        self.refuse(
            file.tenant,
            file.feed,
            file.name,
            Some(file.parsed),
            0,
            "",
            refusal,
            done,
        )
        .await?;
        Ok(None)
    }

    /// A file at or before the last applied 連番: the same file again is recorded as applied once, another
    /// one refused. `true` when the file was handled so.
    async fn out_of_order(
        &self,
        file: &FileAt<'_>,
        bytes: &[u8],
        sha256: &str,
        applied: &Applied,
        done: &mut Vec<Handled>,
    ) -> Result<bool, Fail> {
        let Some(last_seq) = applied.last.filter(|l| file.parsed.sequence <= *l) else {
            return Ok(false);
        };
        if applied
            .sha256
            .get(&file.parsed.sequence)
            .map(String::as_str)
            == Some(sha256)
        {
            // The same file delivered again: applied once already.
            self.finish(
                file.tenant,
                file.feed,
                file.name,
                file.parsed,
                bytes,
                sha256,
                0,
                ImportCounts::default(),
                Some("同じファイルは適用済みのため、再度は適用していません。".into()),
                done,
            )
            .await?;
        } else {
            let r = Refusal::file(
                0,
                format!(
                    "連番 {} より前のファイルです（連番 {last_seq} まで適用済み）。順序が正しくありません。",
                    file.parsed.sequence
                ),
            );
            self.refuse_file(file, bytes, sha256, r, done).await?;
        }
        Ok(true)
    }

    /// A delta that does not follow the last applied 連番 waits for the file before it (or its full
    /// load), unless a later full file makes it moot. `Some(wait)` when the file was handled so, with why
    /// the files after it wait (`None` after a refusal).
    async fn delta_gap(
        &self,
        file: &FileAt<'_>,
        bytes: &[u8],
        sha256: &str,
        applied: &Applied,
        poll: &mut FeedPoll,
        done: &mut Vec<Handled>,
    ) -> Result<Option<Option<String>>, Fail> {
        let seq = file.parsed.sequence;
        if file.parsed.mode != ImportMode::Delta || applied.last.is_some_and(|l| seq == l + 1) {
            return Ok(None);
        }
        if let Some(full) = file.later_full {
            let r = Refusal::file(
                0,
                format!(
                    "より新しい全件ファイル（連番 {full}）があるため、この差分は適用しません。"
                ),
            );
            self.refuse_file(file, bytes, sha256, r, done).await?;
            return Ok(Some(None));
        }
        let reason = match applied.last {
            None => "全件ファイルの取込を待っています（差分は全件の後に適用します）。".to_owned(),
            Some(l) => format!("連番 {} のファイルを待っています。", l + 1),
        };
        poll.waiting.push(Waiting::new(file.name, reason.clone()));
        Ok(Some(Some(reason)))
    }

    /// Security II point 17: a full file that would remove too much waits for an admin's confirmation
    /// of that exact file.
    async fn removal_gate(
        &self,
        file: &FileAt<'_>,
        bytes: &bytes::Bytes,
        sha256: &str,
        encoding: CsvEncoding,
        poll: &mut FeedPoll,
        done: &mut Vec<Handled>,
    ) -> Result<Gate, Fail> {
        let (tenant, feed, name) = (file.tenant, file.feed, file.name);
        if file.parsed.mode != ImportMode::Full || !removal_checked(feed.id) {
            return Ok(Gate::Go(None));
        }
        let confirmed = self
            .confirmation(tenant, feed)
            .await?
            .filter(|c| c.file == *name && c.sha256.eq_ignore_ascii_case(sha256));
        if let Some(c) = confirmed {
            return Ok(Gate::Go(Some(format!(
                "管理者の承認により適用しました（承認時の削除見込み {} 件）。",
                grouped(c.removed)
            ))));
        }
        let Some(r) = self
            .check_removal(tenant, feed, name, sha256, bytes, encoding)
            .await?
            .filter(|r| r.exceeds(self.max_removal_percent))
        else {
            return Ok(Gate::Go(None));
        };
        if let Some(full) = file.later_full {
            let refusal = Refusal::file(
                0,
                format!(
                    "削除が多いため確認待ちでしたが、より新しい全件ファイル（連番 {full}）があるため、この全件ファイルは適用しません。"
                ),
            );
            self.refuse_file(file, bytes, sha256, refusal, done).await?;
            return Ok(Gate::Refused);
        }
        let hold = Hold {
            sha256: sha256.to_owned(),
            current: r.current,
            removed: r.removed,
            limit_percent: self.max_removal_percent,
        };
        if self.held(tenant, feed.id, name).as_ref() != Some(&hold) {
            tracing::warn!(
                feed = feed.id,
                sequence = file.parsed.sequence,
                current = r.current,
                removed = r.removed,
                "full linkage file held for an admin's confirmation"
            );
        }
        poll.waiting.push(Waiting {
            name: name.to_owned(),
            reason: hold_reason(feed.id, &r, self.max_removal_percent),
            hold: Some(hold),
        });
        Ok(Gate::Held(format!(
            "連番 {} の全件ファイルが管理者の確認を待っています。",
            file.parsed.sequence
        )))
    }

    /// Imports the file and records the outcome; an applied file advances the feed.
    #[allow(clippy::too_many_arguments)]
    async fn apply_file(
        &self,
        file: &FileAt<'_>,
        encoding: CsvEncoding,
        bytes: &bytes::Bytes,
        sha256: &str,
        confirmed_note: Option<String>,
        today: NaiveDate,
        applied: &mut Applied,
        done: &mut Vec<Handled>,
    ) -> Result<(), Fail> {
        let (tenant, feed, name, parsed) = (file.tenant, file.feed, file.name, file.parsed);
        let imported = self
            .import(
                tenant,
                feed,
                name,
                parsed.mode,
                encoding,
                bytes,
                sha256,
                today,
            )
            .await?;
        match imported {
            Ok((rows, counts, already)) => {
                let note = already
                    .then(|| {
                        "同じ内容のファイルが適用済みのため、再度は適用していません。".to_owned()
                    })
                    .or(confirmed_note);
                self.finish(
                    tenant, feed, name, parsed, bytes, sha256, rows, counts, note, done,
                )
                .await?;
                applied.last = Some(parsed.sequence);
                applied.sha256.insert(parsed.sequence, sha256.to_owned());
            }
            Err(refusal) => self.refuse_file(file, bytes, sha256, refusal, done).await?,
        }
        Ok(())
    }

    /// [`Self::refuse`] for a named data file whose bytes were read.
    async fn refuse_file(
        &self,
        file: &FileAt<'_>,
        bytes: &[u8],
        sha256: &str,
        refusal: Refusal,
        done: &mut Vec<Handled>,
    ) -> Result<(), Fail> {
        self.refuse(
            file.tenant,
            file.feed,
            file.name,
            Some(file.parsed),
            bytes.len() as u64,
            sha256,
            refusal,
            done,
        )
        .await
    }

    /// Imports one file in one transaction. `Ok(Err(_))` when the content is refused.
    #[allow(clippy::too_many_arguments)]
    async fn import(
        &self,
        tenant: &TenantId,
        feed: &'static Feed,
        name: &str,
        mode: ImportMode,
        encoding: CsvEncoding,
        bytes: &bytes::Bytes,
        sha256: &str,
        today: NaiveDate,
    ) -> Result<Result<(u64, ImportCounts, bool), Refusal>, Fail> {
        let store = self.store.clone();
        let tenant = tenant.clone();
        let bytes = bytes.clone();
        let sha256 = sha256.to_owned();
        let source_name = format!("{}/{name}", feed.id);
        let audit = crate::audit::event(
            &tenant,
            None,
            None,
            "linkage.import",
            Some(format!("{} {sha256}", feed.id)),
            "pending",
        );
        let joined = tokio::task::spawn_blocking(
            move || -> Result<Result<(u64, ImportCounts, bool), Refusal>, StoreError> {
                let meta = ImportMeta {
                    mode,
                    sha256: sha256.clone(),
                    source_name: source_name.clone(),
                    started_at: Utc::now(),
                    audit: Some(audit),
                };
                let applied = |a: ImportApplied, rows: u64| match a {
                    ImportApplied::Committed(c) => Ok((rows, c, false)),
                    ImportApplied::AlreadyApplied { .. } => {
                        Ok((rows, ImportCounts::default(), true))
                    }
                    ImportApplied::RolledBack => Err(Refusal::file(0, "取り込めませんでした。")),
                };
                match feed.id {
                    "001o006" => {
                        let opts = ImportOptions {
                            mode,
                            encoding,
                            skip_invalid: false,
                            today,
                            source_name,
                            sha256,
                            audit: meta.audit.clone(),
                        };
                        match crate::import::import_residents(
                            store.as_ref(),
                            &tenant,
                            &bytes[..],
                            &opts,
                        ) {
                            Ok(report) => Ok(match report.status {
                                ImportStatus::Applied => Ok((
                                    report.rows_read,
                                    ImportCounts {
                                        inserted: report.inserted,
                                        updated: report.updated,
                                        unchanged: report.unchanged,
                                        removed: report.removed,
                                    },
                                    false,
                                )),
                                ImportStatus::AlreadyApplied => {
                                    Ok((report.rows_read, ImportCounts::default(), true))
                                }
                                ImportStatus::Rejected => Err(Refusal {
                                    problems: report.problems,
                                    rows: report.rows_read,
                                }),
                            }),
                            Err(ImportError::File { line, message, .. }) => {
                                Ok(Err(Refusal::file(line, message)))
                            }
                            Err(ImportError::Store(e)) => Err(e),
                        }
                    }
                    "001o009" => {
                        match read_table(&bytes, encoding, |t| tables::support_measures(t, mode)) {
                            Ok((items, rows)) => {
                                let a = store.import_support_measures(&tenant, &meta, &items)?;
                                Ok(applied(a, rows))
                            }
                            Err(refusal) => Ok(Err(refusal)),
                        }
                    }
                    "inkan" => {
                        match read_table(&bytes, encoding, |t| tables::seal_registrations(t, mode))
                        {
                            Ok((items, rows)) => {
                                let a = store.import_seal_registrations(&tenant, &meta, &items)?;
                                Ok(applied(a, rows))
                            }
                            Err(refusal) => Ok(Err(refusal)),
                        }
                    }
                    "tax" => {
                        match read_table(&bytes, encoding, |t| tax::tax_records(t, mode, today)) {
                            Ok((items, rows)) => {
                                let a = store.import_tax_records(&tenant, &meta, &items)?;
                                Ok(applied(a, rows))
                            }
                            Err(refusal) => Ok(Err(refusal)),
                        }
                    }
                    "tenshutsu" => {
                        match read_table(&bytes, encoding, |t| tenshutsu::notices(t, mode)) {
                            Ok((items, rows)) => {
                                let (moves, changes) = tenshutsu::changes(&items, Utc::now())
                                    .map_err(|e| StoreError::Backend(format!("notice: {e}")))?;
                                let a = store.import_arrivals(&tenant, &meta, &moves, &changes)?;
                                Ok(applied(a, rows))
                            }
                            Err(refusal) => Ok(Err(refusal)),
                        }
                    }
                    "cards" => {
                        match read_table(&bytes, encoding, |t| tables::card_serials(t, mode)) {
                            Ok((items, rows)) => {
                                let a = store.import_card_serials(&tenant, &meta, &items)?;
                                Ok(applied(a, rows))
                            }
                            Err(refusal) => Ok(Err(refusal)),
                        }
                    }
                    _ => match read_table(&bytes, encoding, |t| tables::qualifications(t, mode)) {
                        Ok((items, rows)) => {
                            let a = store.import_qualifications(&tenant, &meta, &items)?;
                            Ok(applied(a, rows))
                        }
                        Err(refusal) => Ok(Err(refusal)),
                    },
                }
            },
        )
        .await
        .map_err(|e| Fail::Store(StoreError::Backend(format!("import task failed: {e}"))))?;
        Ok(joined?)
    }

    /// An applied (or already applied) file: ledger, then moved to `processed/` with its marker.
    #[allow(clippy::too_many_arguments)]
    async fn finish(
        &self,
        tenant: &TenantId,
        feed: &'static Feed,
        name: &str,
        parsed: &FileName,
        bytes: &[u8],
        sha256: &str,
        rows: u64,
        counts: ImportCounts,
        message: Option<String>,
        done: &mut Vec<Handled>,
    ) -> Result<(), Fail> {
        let file = LinkageFile {
            feed: feed.id.into(),
            name: name.into(),
            sequence: parsed.sequence,
            mode: parsed.mode,
            sha256: sha256.into(),
            size: bytes.len() as u64,
            outcome: LinkageOutcome::Applied,
            rows,
            counts: counts.clone(),
            problems: 0,
            message,
            finished_at: Utc::now(),
        };
        self.record(tenant, file).await?;
        self.move_with_markers(tenant, feed, name, "processed")
            .await?;
        tracing::info!(
            feed = feed.id,
            sequence = parsed.sequence,
            rows,
            "linkage file applied"
        );
        done.push(Handled {
            tenant: tenant.clone(),
            feed: feed.id,
            name: name.into(),
            outcome: LinkageOutcome::Applied,
            counts,
        });
        Ok(())
    }

    /// A refused file: its report in `error/`, ledger and audit, then the file moved beside the report.
    #[allow(clippy::too_many_arguments)]
    async fn refuse(
        &self,
        tenant: &TenantId,
        feed: &'static Feed,
        name: &str,
        parsed: Option<&FileName>,
        size: u64,
        sha256: &str,
        refusal: Refusal,
        done: &mut Vec<Handled>,
    ) -> Result<(), Fail> {
        let report_key = format!("{}/error/{}/{name}.errors.csv", tenant.0, feed.id);
        self.exchange
            .write(&report_key, error_report(&refusal.problems))
            .await?;
        let first = refusal.problems.first().map(|p| match (&p.column, p.line) {
            (Some(c), l) if l > 0 => format!("{l}行目 {c}: {}", p.message),
            (None, l) if l > 0 && !p.message.contains("行目") => {
                format!("{l}行目: {}", p.message)
            }
            _ => p.message.clone(),
        });
        let problems = refusal.problems.len() as u64;
        let message = first.map(|m| {
            if problems > 1 {
                format!("{m}（ほか {} 件）", problems - 1)
            } else {
                m
            }
        });
        let file = LinkageFile {
            feed: feed.id.into(),
            name: name.into(),
            sequence: parsed.map_or(0, |p| p.sequence),
            mode: parsed.map_or(ImportMode::Delta, |p| p.mode),
            sha256: sha256.into(),
            size,
            outcome: LinkageOutcome::Rejected,
            rows: refusal.rows,
            counts: ImportCounts::default(),
            problems,
            message,
            finished_at: Utc::now(),
        };
        self.record(tenant, file).await?;
        let store = self.store.clone();
        let event = crate::audit::event(
            tenant,
            None,
            None,
            "linkage.import",
            Some(format!("{} {sha256}", feed.id)),
            "rejected",
        );
        tokio::task::spawn_blocking(move || store.append_audit(&event))
            .await
            .map_err(|e| Fail::Store(StoreError::Backend(format!("audit task failed: {e}"))))??;
        self.move_with_markers(tenant, feed, name, "error").await?;
        tracing::warn!(feed = feed.id, problems, "linkage file refused");
        done.push(Handled {
            tenant: tenant.clone(),
            feed: feed.id,
            name: name.into(),
            outcome: LinkageOutcome::Rejected,
            counts: ImportCounts::default(),
        });
        Ok(())
    }

    async fn record(&self, tenant: &TenantId, file: LinkageFile) -> Result<(), Fail> {
        let store = self.store.clone();
        let tenant = tenant.clone();
        tokio::task::spawn_blocking(move || store.record_linkage_file(&tenant, &file))
            .await
            .map_err(|e| Fail::Store(StoreError::Backend(format!("ledger task failed: {e}"))))??;
        Ok(())
    }

    /// Moves the data file first, then its markers: a crash in between leaves a marker without data,
    /// which the next poll removes (it finds the data already moved).
    async fn move_with_markers(
        &self,
        tenant: &TenantId,
        feed: &Feed,
        name: &str,
        to: &str,
    ) -> Result<(), Fail> {
        let inbound = format!("{}/inbound/{}", tenant.0, feed.id);
        let target = format!("{}/{to}/{}", tenant.0, feed.id);
        self.exchange
            .move_to(&format!("{inbound}/{name}"), &target)
            .await?;
        for marker in ["end", "manifest"] {
            let key = format!("{inbound}/{name}.{marker}");
            if self.exchange.size(&key).await?.is_some() {
                self.exchange.move_to(&key, &target).await?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names() {
        assert_eq!(
            parse_name("full_000001.csv"),
            Some(FileName {
                mode: ImportMode::Full,
                sequence: 1
            })
        );
        assert_eq!(
            parse_name("delta_42_20261123T0900.csv"),
            Some(FileName {
                mode: ImportMode::Delta,
                sequence: 42
            })
        );
        for bad in [
            "full_.csv",
            "full_1.txt",
            "zenken_1.csv",
            "delta_x1.csv",
            "full_1234567890123.csv",
            "full_000001.csv.end",
        ] {
            assert_eq!(parse_name(bad), None, "{bad}");
        }
    }

    #[test]
    fn removal_limit_and_reason() {
        let r = Removal {
            current: 12_345,
            removed: 1_210,
        };
        assert!(r.exceeds(5));
        assert!(!r.exceeds(10));
        assert!(
            !Removal {
                current: 60,
                removed: 3
            }
            .exceeds(5),
            "exactly 5 % is not more than 5 %"
        );
        assert!(
            Removal {
                current: 60,
                removed: 1
            }
            .exceeds(0)
        );
        assert!(
            !Removal {
                current: 0,
                removed: 0
            }
            .exceeds(0)
        );
        assert_eq!(
            hold_reason("001o006", &r, 5),
            "全件ファイルで現在の住民 12,345 人のうち 9.8 %（1,210 人）が削除されるため、管理者の確認を待っています（上限 5 %）。"
        );
        assert_eq!(grouped(1_000_000), "1,000,000");
        assert_eq!(grouped(999), "999");
    }

    #[test]
    fn resident_keys_take_current_rows_in_either_encoding() {
        let a = |n: u64| AtenaNo::from_sequence(n).as_str().to_owned();
        let text = format!(
            "\u{FEFF}氏名,宛名番号,最新フラグ\n山田,{},1\n山田,{},0\n\"山田, 花子\",{},1\n山田,12345,1\n",
            a(1),
            a(2),
            a(3)
        );
        let keys = |bytes: &[u8], e| {
            let mut k: Vec<u64> = resident_keys(bytes, e).expect("read").into_iter().collect();
            k.sort_unstable();
            k
        };
        let want: Vec<u64> = [1, 3]
            .iter()
            .map(|n| a(*n).parse().expect("digits"))
            .collect();
        assert_eq!(keys(text.as_bytes(), CsvEncoding::Utf8), want);
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(text.trim_start_matches('\u{FEFF}'));
        assert_eq!(keys(&sjis, CsvEncoding::Cp932), want);
        assert!(
            resident_keys(b"a,b\n1,2\n", CsvEncoding::Utf8).is_none(),
            "no 宛名番号"
        );
        assert!(resident_keys(b"", CsvEncoding::Utf8).is_none());
    }

    #[test]
    fn report_is_csv_with_bom() {
        let r = error_report(&[
            RowProblem {
                line: 3,
                column: Some("生年月日".into()),
                message: "日付が正しくありません。".into(),
            },
            RowProblem {
                line: 0,
                column: None,
                message: "a,\"b\"".into(),
            },
        ]);
        assert_eq!(
            r,
            "\u{FEFF}行,列,内容\r\n3,生年月日,日付が正しくありません。\r\n0,,\"a,\"\"b\"\"\"\r\n"
        );
    }
}
