//! The linkage ledger: files of the core systems' feeds read, and batches written for them.

use chrono::{DateTime, Utc};

use crate::import::{ImportCounts, ImportMode};

/// What happened to a file of a core-system feed (連携ファイル), as the linkage job records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkageOutcome {
    /// Imported (or found already applied by its SHA-256) and moved to `processed/`.
    Applied,
    /// Refused (bad content, out of order) and moved to `error/` with a report; nothing changed.
    Rejected,
}

impl LinkageOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkageOutcome::Applied => "applied",
            LinkageOutcome::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "applied" => Some(LinkageOutcome::Applied),
            "rejected" => Some(LinkageOutcome::Rejected),
            _ => None,
        }
    }
}

/// One file of a core-system feed in the linkage ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkageFile {
    /// Feed id (`001o006`, `001o009`, `shikaku`).
    pub feed: String,
    /// The file's name within the feed's inbound folder.
    pub name: String,
    /// Sequence number within the feed (files are applied in this order).
    pub sequence: i64,
    pub mode: ImportMode,
    pub sha256: String,
    pub size: u64,
    pub outcome: LinkageOutcome,
    /// Data rows read.
    pub rows: u64,
    pub counts: ImportCounts,
    /// Problems found (rows or the file); 0 when applied.
    pub problems: u64,
    /// A short Japanese summary for the admin screen (the first problem), never personal data.
    pub message: Option<String>,
    pub finished_at: DateTime<Utc>,
}

/// A batch of an outbound feed (a file for the core systems), kept so that it can be delivered again,
/// byte for byte, when the job stopped between recording and delivering it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboundBatch {
    /// Feed kind (`ido`, `kofu`, `karikoshin`, `rpa`).
    pub kind: String,
    /// 1, 2, … per tenant and kind.
    pub batch_no: i64,
    pub file_name: String,
    pub content: Vec<u8>,
    pub sha256: String,
    /// Data rows in the file.
    pub records: u64,
    /// The cases this batch took (each case is in at most one batch per kind).
    pub case_ids: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub delivered_at: Option<DateTime<Utc>>,
}
