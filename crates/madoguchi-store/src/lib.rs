//! The server's storage boundary.
//!
//! **Architecture invariant:** the server talks to storage only through [`Store`]. Each backend lives in
//! its own crate (`madoguchi-store-sqlite`, later `madoguchi-store-postgres`) with its own append-only
//! migrations, and every backend must pass the conformance suite (`madoguchi_testkit::conformance::run_all`,
//! in the backends' tests).
//!
//! The trait is synchronous: backends are called from `tokio::task::spawn_blocking` in the server.
//! Every method is scoped by a [`TenantId`]; a backend must never return another tenant's rows.

pub mod audit;
mod roles;
mod search_keys;

use chrono::{DateTime, NaiveDate, Utc};
use madoguchi_core::ids::AtenaNo;
pub use madoguchi_core::permission::{Permission, PermissionSet};
use madoguchi_core::resident::{Resident, SupportMeasure};

pub use audit::{AuditCheck, AuditEvent, AuditRecord, AuditState};
pub use roles::{
    AccountStore, AuditStore, CaseStore, HandoverStore, LinkageStore, ResidentStore, SessionStore,
    Store, TenantStore,
};
pub use search_keys::SearchKeys;

/// A municipality (or other isolated data owner). All data is partitioned by tenant.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TenantId(pub String);

impl TenantId {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Storage failure. Messages are for logs (English) and never contain personal data.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("storage backend error: {0}")]
    Backend(String),
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("not found: {0}")]
    NotFound(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Whether an import replaces the tenant's population (全件) or applies changes (差分).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportMode {
    Full,
    Delta,
}

impl ImportMode {
    pub fn as_str(self) -> &'static str {
        match self {
            ImportMode::Full => "full",
            ImportMode::Delta => "delta",
        }
    }
}

/// What identifies an import in the ledger.
#[derive(Debug, Clone)]
pub struct ImportMeta {
    pub mode: ImportMode,
    /// Hex SHA-256 of the file's bytes: a file already in the ledger is not applied again.
    pub sha256: String,
    /// Original file name, for the ledger only.
    pub source_name: String,
    pub started_at: DateTime<Utc>,
    /// The audit record of this import, appended inside the import's transaction when it commits
    /// (with `result` set to `applied`), so that data and audit trail change together.
    pub audit: Option<AuditEvent>,
}

/// Result of writing one resident inside an import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PutOutcome {
    Inserted,
    Updated,
    Unchanged,
}

/// The write side of an import transaction, handed to the importer's closure.
pub trait ResidentSink {
    fn put(&mut self, resident: &Resident) -> StoreResult<PutOutcome>;
    /// Removes a resident (delta 削除フラグ). Returns whether it existed.
    fn remove(&mut self, atena_no: &AtenaNo) -> StoreResult<bool>;
}

/// Whether the importer wants its writes committed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportDecision {
    Commit,
    Rollback,
}

/// Counts of what a committed import changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportCounts {
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub removed: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportApplied {
    /// Writes were committed (and the file recorded in the ledger).
    Committed(ImportCounts),
    /// The importer asked for a rollback: nothing changed.
    RolledBack,
    /// The same file (by SHA-256) was applied before: nothing was done.
    AlreadyApplied { applied_at: DateTime<Utc> },
}

/// A structured resident search. The service layer decides what the user's text means.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResidentQuery {
    /// Exact 宛名番号.
    pub atena_no: Option<AtenaNo>,
    /// Folded kana key (`text::search_key` of katakana): prefix match on the 氏名 reading, then partial.
    pub kana: Option<String>,
    /// Folded name key: partial match on 氏名, 旧氏, 通称 and foreign names.
    pub name: Option<String>,
    pub birth: Option<NaiveDate>,
    /// Folded address key: partial match on the one-line address and 方書. It never matches a resident
    /// of a household under 支援措置 (resident flag, 仮支援措置 or the 支援措置 feed) unless
    /// `address_matches_protected`: otherwise the count of matches would tell a right guess of a protected
    /// address from a wrong one.
    pub address: Option<String>,
    /// The session holds `override_support_measure`: the address predicate may match protected households.
    pub address_matches_protected: bool,
    pub limit: usize,
}

/// SQL condition (both backends) that resident `r` is not in a household with a protected member: the
/// definition [`ResidentStore::protected_households`] uses.
pub const NOT_IN_PROTECTED_HOUSEHOLD: &str = " AND NOT EXISTS (SELECT 1 FROM residents hm
    WHERE hm.tenant_id = r.tenant_id AND hm.household_no = r.household_no
      AND (hm.support_measure <> 0 OR EXISTS (SELECT 1 FROM support_measures sm
           WHERE sm.tenant_id = hm.tenant_id AND sm.atena_no = hm.atena_no)))";

/// A staff account.
#[derive(Debug, Clone)]
pub struct UserRecord {
    pub id: i64,
    pub tenant: TenantId,
    pub login: String,
    pub display_name: String,
    pub password_hash: String,
    /// Consecutive failed logins since the last success or unlock.
    pub failed_logins: u32,
    /// Locked after too many failures, until an administrator unlocks it.
    pub locked: bool,
    /// Disabled accounts are kept (for the audit trail) but cannot log in.
    pub disabled: bool,
    /// Last day the account may log in (有効期間), if limited.
    pub valid_until: Option<NaiveDate>,
    /// Codes of the groups the user belongs to, sorted.
    pub groups: Vec<String>,
}

/// A staff account to create or update (CLI, bulk import).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    pub login: String,
    pub display_name: String,
    /// PHC string of the password hash. Required for a new account; `None` keeps an existing password.
    pub password_hash: Option<String>,
    /// Group codes; each must exist in the tenant.
    pub groups: Vec<String>,
    pub valid_until: Option<NaiveDate>,
}

/// What a bulk account import changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UpsertCounts {
    pub created: u64,
    pub updated: u64,
}

/// A group of staff with the functions its members may use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupRecord {
    pub code: String,
    pub name: String,
    pub permissions: PermissionSet,
}

/// A counter (窓口): the functions that may be used there, whoever logs in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CounterRecord {
    pub code: String,
    pub name: String,
    pub permissions: PermissionSet,
    /// Whether staff may log in here from a browser, not only from an enrolled terminal (Security II
    /// point 9). Off unless an administrator turns it on.
    pub browser_allowed: bool,
}

/// An enrolled counter terminal (Security II point 9): its Ed25519 public key and the counters it
/// may serve. Logins from it are signed with the key; the session's terminal id comes from here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TerminalRecord {
    /// The terminal id of its configuration (`terminal_id`).
    pub id: String,
    /// What administrators call it (設置場所など).
    pub name: String,
    /// Raw 32-byte Ed25519 public key.
    pub public_key: [u8; 32],
    /// Counter codes it may serve.
    pub counters: Vec<String>,
    pub registered_at: DateTime<Utc>,
    pub registered_by: String,
}

impl TerminalRecord {
    /// Whether sessions opened under `before` stay valid under this enrollment: the same key and no
    /// counter taken away. Otherwise the store ends them.
    pub fn keeps_sessions_of(&self, before: &TerminalRecord) -> bool {
        self.public_key == before.public_key
            && before.counters.iter().all(|c| self.counters.contains(c))
    }
}

#[derive(Debug, Clone)]
pub struct SessionRecord {
    pub user_id: i64,
    pub tenant: TenantId,
    pub login: String,
    pub display_name: String,
    pub counter: String,
    /// The terminal the session was opened on, if it identified itself.
    pub terminal: Option<String>,
    pub expires_at: DateTime<Utc>,
    /// Last time the session was used (for the idle timeout).
    pub last_seen_at: DateTime<Utc>,
    /// Union of the user's groups' permissions, as they are now.
    pub group_permissions: PermissionSet,
    /// The counter's permissions, as they are now (empty if the counter was removed).
    pub counter_permissions: PermissionSet,
}

impl SessionRecord {
    /// What the user may do at this counter now.
    pub fn permissions(&self) -> PermissionSet {
        self.group_permissions
            .intersection(self.counter_permissions)
    }
}

/// A counter case (案件) as stored: the fields searched on, and the case document (JSON whose shape the
/// server's API owns).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRecord {
    /// Generated by the client that opened the case.
    pub id: String,
    /// Starts at 1, one more with every applied save.
    pub revision: i64,
    pub status: String,
    /// Short description for lists (届出 and the first person's name).
    pub title: String,
    pub opened_at: DateTime<Utc>,
    pub opened_by: String,
    pub opened_counter: String,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
    pub updated_counter: String,
    pub document: String,
}

/// One entry of a case's history (対応履歴): who did what, when, where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseEntry {
    /// The client-generated id of the write that made it (a retried write finds it and is not applied).
    pub write_id: String,
    pub at: DateTime<Utc>,
    pub user: String,
    pub counter: String,
    pub terminal: Option<String>,
    pub lines: Vec<String>,
}

/// A save of a case: create (`expected_revision: None`) or update.
#[derive(Debug, Clone)]
pub struct CaseWrite {
    pub case_id: String,
    pub expected_revision: Option<i64>,
    pub status: String,
    pub title: String,
    /// 宛名番号 of the residents the case is about.
    pub subjects: Vec<String>,
    /// Procedure codes of the case.
    pub procedures: Vec<String>,
    pub document: String,
    /// The history entry of this write (its `write_id` makes the write idempotent).
    pub entry: CaseEntry,
}

/// The outcome of a case write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseSaved {
    /// Applied; the case's new revision.
    Applied(i64),
    /// A write with this id was applied before; nothing changed. The case's current revision.
    AlreadyApplied(i64),
}

/// Which cases to list. Every field narrows the list.
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    /// Opened at or after.
    pub from: Option<DateTime<Utc>>,
    /// Opened before.
    pub to: Option<DateTime<Utc>>,
    /// A staff login that wrote to the case.
    pub user: Option<String>,
    /// A procedure code of the case.
    pub procedure: Option<String>,
    pub status: Option<String>,
    pub limit: usize,
}

/// 転出証明書情報 received ahead of a family's 転入 (the document's JSON shape is the server's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncomingMove {
    pub notice_no: String,
    pub received_at: DateTime<Utc>,
    /// Search keys (`core::text::search_key`) of every member's name and kana.
    pub search_keys: Vec<String>,
    pub document: String,
}

/// A 町字 of the city, for picking a new address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Town {
    pub town: String,
    pub town_code: Option<String>,
    pub prefecture: String,
    pub city: String,
    pub postal_code: Option<String>,
}

/// One 支援措置対象者 as the 支援措置 feed (`001o009`) states it now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupportMeasureRecord {
    pub atena_no: AtenaNo,
    /// [`SupportMeasure::None`] ends the measure (措置区分 終了, 削除フラグ): the record is removed.
    pub measure: SupportMeasure,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
}

/// A 資格 (eligibility) of a resident from the core systems: 国保, 後期高齢, 介護, 国民年金, 児童手当.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EligibilityRecord {
    pub atena_no: AtenaNo,
    /// Stable code of the kind (`madoguchi_core` vocabulary: `kokuho`, `kouki`, `kaigo`, `nenkin`,
    /// `jidou_teate`).
    pub kind: String,
    /// 資格取得日.
    pub acquired: Option<NaiveDate>,
    /// 資格喪失日, when it was lost.
    pub lost: Option<NaiveDate>,
}

/// A change of the eligibility feed: a record to store, or the removal of one (削除フラグ).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EligibilityChange {
    Put(EligibilityRecord),
    Remove { atena_no: AtenaNo, kind: String },
}

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

/// Every storage role, for code that calls them on a concrete backend: `use madoguchi_store::prelude::*;`.
pub mod prelude {
    pub use crate::roles::{
        AccountStore, AuditStore, CaseStore, HandoverStore, LinkageStore, ResidentStore,
        SessionStore, Store, TenantStore,
    };
}
