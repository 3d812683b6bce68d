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

pub mod outbound;
pub mod tables;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, NaiveDate, Utc};
use madoguchi_objects::{Exchange, ObjectInfo, ObjectsError};
use madoguchi_store::{
    ImportApplied, ImportCounts, ImportMeta, ImportMode, LinkageFile, LinkageOutcome,
    OutboundBatch, Store, StoreError, TenantId,
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
];

/// Default and longest polling interval (高崎 III.2: within 5 minutes).
pub const DEFAULT_INTERVAL_SECS: u64 = 60;
pub const MAX_INTERVAL_SECS: u64 = 300;

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
        Job {
            store,
            exchange,
            tenants,
            interval_secs: interval_secs.clamp(1, MAX_INTERVAL_SECS),
            state: Mutex::new(HashMap::new()),
            last_poll: Mutex::new(None),
            outbound_error: Mutex::new(HashMap::new()),
        }
    }

    pub fn interval_secs(&self) -> u64 {
        self.interval_secs
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
                    let handled = self.poll(crate::api::today_jst()).await;
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
        let inbound = format!("{}/inbound/{}", tenant.0, feed.id);
        let listed = self.exchange.list(&inbound).await?;
        let names: HashMap<String, &ObjectInfo> = listed
            .iter()
            .filter_map(|o| {
                let name = o.key.strip_prefix(&format!("{inbound}/"))?;
                (!name.contains('/')).then(|| (name.to_owned(), o))
            })
            .collect();
        // Markers whose data file was moved by an earlier poll that stopped before the marker.
        for name in names.keys() {
            let data = name
                .strip_suffix(".end")
                .or_else(|| name.strip_suffix(".manifest"));
            if let Some(data) = data
                && !names.contains_key(data)
            {
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
                    self.exchange.delete(&format!("{inbound}/{name}")).await?;
                }
            }
        }
        // A data file is complete when its end-trigger or manifest is beside it.
        let complete = |name: &str| {
            names.contains_key(&format!("{name}.end"))
                || names.contains_key(&format!("{name}.manifest"))
        };
        let mut candidates: Vec<(FileName, String)> = Vec::new();
        for name in names.keys() {
            if name.ends_with(".end") || name.ends_with(".manifest") {
                continue;
            }
            match parse_name(name) {
                Some(parsed) => candidates.push((parsed, name.clone())),
                None if complete(name) => {
                    let r = Refusal::file(
                        0,
                        "ファイル名が規則（full_連番.csv または delta_連番.csv）に合いません。",
                    );
                    self.refuse(tenant, feed, name, None, 0, "", r, done)
                        .await?;
                }
                None => poll.waiting.push(Waiting {
                    name: name.clone(),
                    reason: "ファイル名が規則に合いません（終了ファイルもありません）。".into(),
                }),
            }
        }
        candidates.sort_by(|a, b| (a.0.sequence, &a.1).cmp(&(b.0.sequence, &b.1)));

        let ledger = {
            let store = self.store.clone();
            let tenant = tenant.clone();
            crate::blocking(move || {
                store
                    .linkage_files(&tenant, Some(feed.id), 10_000)
                    .map_err(crate::api::ApiError::from)
            })
            .await
            .map_err(|_| Fail::Store(StoreError::Backend("ledger read failed".into())))?
        };
        let mut applied: Vec<&LinkageFile> = ledger
            .iter()
            .filter(|f| f.outcome == LinkageOutcome::Applied)
            .collect();
        applied.sort_by_key(|f| f.sequence);
        let mut last: Option<i64> = applied.last().map(|f| f.sequence);
        let mut applied_sha: HashMap<i64, String> = applied
            .iter()
            .map(|f| (f.sequence, f.sha256.clone()))
            .collect();

        let mut blocked: Option<String> = None;
        for (i, (parsed, name)) in candidates.iter().enumerate() {
            let key = format!("{inbound}/{name}");
            let manifest_key = format!("{key}.manifest");
            let has_manifest = names.contains_key(&format!("{name}.manifest"));
            if !complete(name) {
                poll.waiting.push(Waiting {
                    name: name.clone(),
                    reason: "転送中です（終了ファイルまたはマニフェストを待っています）。".into(),
                });
                continue;
            }
            if let Some(reason) = &blocked {
                poll.waiting.push(Waiting {
                    name: name.clone(),
                    reason: reason.clone(),
                });
                continue;
            }
            // Completeness and encoding from the manifest.
            let mut encoding = CsvEncoding::Utf8;
            let mut expect: Option<Manifest> = None;
            if has_manifest {
                let raw = self.exchange.read(&manifest_key).await?;
                match serde_json::from_slice::<Manifest>(&raw) {
                    Ok(m) => {
                        if let Some(e) = &m.encoding {
                            match CsvEncoding::parse(e) {
                                Some(e) => encoding = e,
                                None => {
                                    let r = Refusal::file(
                                        0,
                                        "マニフェストの encoding は utf-8 または cp932 を指定してください。",
                                    );
                                    self.refuse(tenant, feed, name, Some(parsed), 0, "", r, done)
                                        .await?;
                                    continue;
                                }
                            }
                        }
                        expect = Some(m);
                    }
                    Err(_) => {
                        let r = Refusal::file(
                            0,
                            "マニフェストが読めません（JSON で size と sha256 を記載してください）。",
                        );
                        self.refuse(tenant, feed, name, Some(parsed), 0, "", r, done)
                            .await?;
                        continue;
                    }
                }
            }
            let size = names.get(name).map_or(0, |o| o.size);
            if let Some(m) = &expect
                && size < m.size
            {
                poll.waiting.push(Waiting {
                    name: name.clone(),
                    reason: format!("転送中です（{size} / {} バイト）。", m.size),
                });
                blocked = Some("前のファイルの転送完了を待っています。".into());
                continue;
            }
            let bytes = self.exchange.read(&key).await?;
            let sha256 = hex_sha256(&bytes);
            if let Some(m) = &expect
                && (bytes.len() as u64 != m.size || !m.sha256.eq_ignore_ascii_case(&sha256))
            {
                let r = Refusal::file(
                    0,
                    "ファイルがマニフェストのサイズまたは SHA-256 と一致しません（破損または途中で切れたファイル）。",
                );
                self.refuse(
                    tenant,
                    feed,
                    name,
                    Some(parsed),
                    bytes.len() as u64,
                    &sha256,
                    r,
                    done,
                )
                .await?;
                continue;
            }
            // Order.
            if let Some(last_seq) = last
                && parsed.sequence <= last_seq
            {
                if applied_sha.get(&parsed.sequence) == Some(&sha256) {
                    // The same file delivered again: applied once already.
                    self.finish(
                        tenant,
                        feed,
                        name,
                        parsed,
                        &bytes,
                        &sha256,
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
                            parsed.sequence
                        ),
                    );
                    self.refuse(
                        tenant,
                        feed,
                        name,
                        Some(parsed),
                        bytes.len() as u64,
                        &sha256,
                        r,
                        done,
                    )
                    .await?;
                }
                continue;
            }
            if parsed.mode == ImportMode::Delta && last.is_none_or(|l| parsed.sequence != l + 1) {
                let later_full = candidates[i + 1..]
                    .iter()
                    .find(|(p, n)| p.mode == ImportMode::Full && complete(n))
                    .map(|(p, _)| p.sequence);
                if let Some(full) = later_full {
                    let r = Refusal::file(
                        0,
                        format!(
                            "より新しい全件ファイル（連番 {full}）があるため、この差分は適用しません。"
                        ),
                    );
                    self.refuse(
                        tenant,
                        feed,
                        name,
                        Some(parsed),
                        bytes.len() as u64,
                        &sha256,
                        r,
                        done,
                    )
                    .await?;
                    continue;
                }
                let reason = match last {
                    None => "全件ファイルの取込を待っています（差分は全件の後に適用します）。"
                        .to_owned(),
                    Some(l) => format!("連番 {} のファイルを待っています。", l + 1),
                };
                poll.waiting.push(Waiting {
                    name: name.clone(),
                    reason: reason.clone(),
                });
                blocked = Some(reason);
                continue;
            }
            // Import.
            match self
                .import(
                    tenant,
                    feed,
                    name,
                    parsed.mode,
                    encoding,
                    &bytes,
                    &sha256,
                    today,
                )
                .await?
            {
                Ok((rows, counts, already)) => {
                    let note = already.then(|| {
                        "同じ内容のファイルが適用済みのため、再度は適用していません。".to_owned()
                    });
                    self.finish(
                        tenant, feed, name, parsed, &bytes, &sha256, rows, counts, note, done,
                    )
                    .await?;
                    last = Some(parsed.sequence);
                    applied_sha.insert(parsed.sequence, sha256);
                }
                Err(refusal) => {
                    self.refuse(
                        tenant,
                        feed,
                        name,
                        Some(parsed),
                        bytes.len() as u64,
                        &sha256,
                        refusal,
                        done,
                    )
                    .await?;
                }
            }
        }
        Ok(())
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
                    _ => match read_table(&bytes, encoding, |t| tables::eligibilities(t, mode)) {
                        Ok((items, rows)) => {
                            let a = store.import_eligibilities(&tenant, &meta, &items)?;
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
