//! SQLite backend of [`madoguchi_store::Store`]: the embedded default.
//!
//! One writer connection behind a mutex and a small pool of reader connections, WAL journal,
//! `synchronous = FULL` so that an acknowledged write survives a crash. Migrations in `migrations/`
//! are append-only: an applied migration whose text changed stops the server at start-up.

mod arrivals;
mod cards;
mod case_period;
mod case_summary;
mod cases;
mod certificate_handover;
mod certificates;
mod feeds;
mod handover;
mod migrate;
mod pre_applications;
mod roles;
mod rows;
pub mod spool;
mod sql;
mod tax;
mod terminals;

use std::path::Path;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use madoguchi_core::ids::AtenaNo;
use madoguchi_core::resident::Resident;
use madoguchi_store::{
    AuditCheck, AuditEvent, AuditRecord, CardSerial, CardSerialChange, CaseEntry, CaseFilter,
    CaseRecord, CaseSaved, CaseWrite, CounterRecord, GroupRecord, ImportApplied, ImportCounts,
    ImportDecision, ImportMeta, ImportMode, IncomingMove, LinkageFile, NewUser, OutboundBatch,
    Permission, PermissionSet, PutOutcome, QualificationChange, QualificationRecord, ResidentQuery,
    ResidentSink, SealRegistration, SealRegistrationChange, SessionRecord, StoreError, StoreResult,
    SupportMeasureRecord, TenantId, TerminalRecord, Town, UpsertCounts, UserRecord,
};
use rusqlite::{Connection, OpenFlags, OptionalExtension, Transaction, params};
use spool::Spool;
use sql::{be, constraint, parse_ts, ts};

pub use migrate::MIGRATIONS;

/// Page cache per connection (negative = KiB), and the writer's during an import.
const CACHE_KIB: i64 = -65_536;
const IMPORT_CACHE_KIB: i64 = -262_144;

/// Imports that change at least this many residents merge the FTS index afterwards.
const OPTIMIZE_AFTER_ROWS: u64 = 10_000;

/// Most reader connections kept open at once.
const MAX_IDLE_READERS: usize = 8;

/// How long a read's audit record may wait in the spool before it joins the chain (see [`spool`]).
pub const READ_AUDIT_SYNC_INTERVAL: std::time::Duration = std::time::Duration::from_millis(500);

pub struct SqliteStore {
    writer: Arc<Mutex<Connection>>,
    readers: Mutex<Vec<Connection>>,
    path: Option<std::path::PathBuf>,
    /// Read audits waiting to join the chain.
    spool: Arc<Mutex<Spool>>,
}

impl Drop for SqliteStore {
    fn drop(&mut self) {
        if let Ok(mut conn) = self.writer.lock()
            && let Err(e) = drain(&mut conn, &self.spool)
        {
            tracing::error!(error = %e, "read audits stay in the spool for the next start");
        }
        if let Ok(mut spool) = self.spool.lock() {
            spool.close();
        }
    }
}

/// Moves the spooled read audits into the chain in one synced transaction, then empties the spool.
fn drain(conn: &mut Connection, spool: &Mutex<Spool>) -> StoreResult<()> {
    let mut sp = spool
        .lock()
        .map_err(|_| StoreError::Backend("spool lock poisoned".into()))?;
    if sp.pending.is_empty() {
        return Ok(());
    }
    let tx = conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(be)?;
    for e in &sp.pending {
        append_audit_in(&tx, e)?;
    }
    tx.commit().map_err(be)?;
    sp.clear()
}

/// Appends the read audits a crashed process left in the spool file, skipping any that reached the chain
/// before the crash (same tenant, time, action, subject and user).
fn replay(conn: &mut Connection, left: &[AuditEvent]) -> StoreResult<usize> {
    let tx = conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(be)?;
    let mut added = 0;
    for e in left {
        let exists: bool = tx
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM audit_log WHERE tenant_id = ?1 AND at = ?2 AND action = ?3
                                 AND subject IS ?4 AND user_login IS ?5)",
                params![e.tenant.as_str(), audit_ts(e.at), e.action, e.subject, e.user],
                |r| r.get(0),
            )
            .map_err(be)?;
        if !exists {
            append_audit_in(&tx, e)?;
            added += 1;
        }
    }
    tx.commit().map_err(be)?;
    Ok(added)
}

/// Background thread: drains the spool every [`READ_AUDIT_SYNC_INTERVAL`]. Ends when the store is dropped.
fn start_syncer(writer: &Arc<Mutex<Connection>>, spool: &Arc<Mutex<Spool>>) {
    let writer = Arc::downgrade(writer);
    let spool = spool.clone();
    let spawned = std::thread::Builder::new()
        .name("audit-spool".into())
        .spawn(move || {
            loop {
                std::thread::sleep(READ_AUDIT_SYNC_INTERVAL);
                let Some(writer) = writer.upgrade() else {
                    return;
                };
                let Ok(mut conn) = writer.lock() else {
                    return;
                };
                if let Err(e) = drain(&mut conn, &spool) {
                    tracing::error!(error = %e, "moving read audits into the chain failed; will retry");
                }
            }
        });
    if let Err(e) = spawned {
        tracing::error!(error = %e, "could not start the audit spool thread; read audits join the chain with the next write");
    }
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.path)
            .finish()
    }
}

impl SqliteStore {
    /// Opens (creating if needed) the database file and applies pending migrations.
    pub fn open(path: &Path) -> StoreResult<Self> {
        private_file(path)?;
        let writer = Connection::open(path).map_err(be)?;
        configure(&writer)?;
        migrate::apply(&writer)?;
        let mut writer = writer;
        let (spool, left) = Spool::open(path)?;
        if !left.events.is_empty() {
            let added = replay(&mut writer, &left.events)?;
            tracing::warn!(
                spooled = left.events.len(),
                added,
                "read audits recovered from the spool of an unclean stop"
            );
        }
        left.remove();
        let writer = Arc::new(Mutex::new(writer));
        let spool = Arc::new(Mutex::new(spool));
        start_syncer(&writer, &spool);
        Ok(SqliteStore {
            writer,
            readers: Mutex::new(Vec::new()),
            path: Some(path.to_owned()),
            spool,
        })
    }

    /// A private in-memory database shared by this store's connections (tests).
    pub fn open_in_memory() -> StoreResult<Self> {
        // A uniquely named shared-cache memory database, so reader connections see the writer's data.
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let uri = format!(
            "file:madoguchi-mem-{}-{n}?mode=memory&cache=shared",
            std::process::id()
        );
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let writer = Connection::open_with_flags(&uri, flags).map_err(be)?;
        writer
            .busy_timeout(std::time::Duration::from_secs(30))
            .map_err(be)?;
        migrate::apply(&writer)?;
        // In-memory: all access goes through the writer connection (shared-cache readers would
        // see table locks, not snapshots).
        Ok(SqliteStore {
            writer: Arc::new(Mutex::new(writer)),
            readers: Mutex::new(Vec::new()),
            path: None,
            spool: Arc::new(Mutex::new(Spool::default())),
        })
    }

    fn with_reader<T>(&self, f: impl FnOnce(&Connection) -> StoreResult<T>) -> StoreResult<T> {
        let Some(path) = &self.path else {
            let conn = self
                .writer
                .lock()
                .map_err(|_| StoreError::Backend("writer lock poisoned".into()))?;
            return f(&conn);
        };
        let pooled = self
            .readers
            .lock()
            .map_err(|_| StoreError::Backend("pool lock poisoned".into()))?
            .pop();
        let conn = match pooled {
            Some(c) => c,
            None => {
                let c = Connection::open_with_flags(
                    path,
                    OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )
                .map_err(be)?;
                configure_reader(&c)?;
                c
            }
        };
        let out = f(&conn);
        if let Ok(mut pool) = self.readers.lock()
            && pool.len() < MAX_IDLE_READERS
        {
            pool.push(conn);
        }
        out
    }

    /// Runs `f` on the writer, after moving spooled read audits into the chain, so that the chain's
    /// order follows time across both kinds of record.
    fn with_writer<T>(&self, f: impl FnOnce(&mut Connection) -> StoreResult<T>) -> StoreResult<T> {
        let mut conn = self
            .writer
            .lock()
            .map_err(|_| StoreError::Backend("writer lock poisoned".into()))?;
        drain(&mut conn, &self.spool)?;
        f(&mut conn)
    }

    /// Runs `f` and appends `audit` in one immediate transaction.
    fn audited<T>(
        &self,
        audit: &AuditEvent,
        f: impl FnOnce(&Connection) -> StoreResult<T>,
    ) -> StoreResult<T> {
        self.with_writer(|c| {
            let tx = c
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
                .map_err(be)?;
            let out = f(&tx)?;
            append_audit_in(&tx, audit)?;
            tx.commit().map_err(be)?;
            Ok(out)
        })
    }

    /// Like [`Self::audited`], but commits (and audits) only when `f` reports that something changed.
    fn audited_if(
        &self,
        audit: &AuditEvent,
        f: impl FnOnce(&Connection) -> StoreResult<bool>,
    ) -> StoreResult<bool> {
        self.with_writer(|c| {
            let tx = c
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
                .map_err(be)?;
            if !f(&tx)? {
                return Ok(false);
            }
            append_audit_in(&tx, audit)?;
            tx.commit().map_err(be)?;
            Ok(true)
        })
    }
}

fn configure(c: &Connection) -> StoreResult<()> {
    c.busy_timeout(std::time::Duration::from_secs(30))
        .map_err(be)?;
    c.pragma_update(None, "journal_mode", "WAL").map_err(be)?;
    c.pragma_update(None, "synchronous", "FULL").map_err(be)?;
    c.pragma_update(None, "foreign_keys", "ON").map_err(be)?;
    c.pragma_update(None, "cache_size", CACHE_KIB).map_err(be)?;
    Ok(())
}

fn configure_reader(c: &Connection) -> StoreResult<()> {
    c.busy_timeout(std::time::Duration::from_secs(30))
        .map_err(be)?;
    c.pragma_update(None, "cache_size", CACHE_KIB).map_err(be)?;
    Ok(())
}

/// Appends one audit record inside the caller's transaction.
fn append_audit_in(tx: &Connection, event: &AuditEvent) -> StoreResult<i64> {
    let head: Option<(i64, Vec<u8>)> = tx
        .query_row(
            "SELECT last_id, last_hash FROM audit_head WHERE singleton = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()
        .map_err(be)?;
    let (last_id, prev) = match head {
        Some((id, h)) => (id, hash32(&h)?),
        None => (0, madoguchi_store::audit::GENESIS),
    };
    let id = last_id + 1;
    let hash = madoguchi_store::audit::chain_hash(&prev, id, event);
    tx.execute(
        "INSERT INTO audit_log (id, tenant_id, at, user_login, counter, terminal, action, subject, result,
                                prev_hash, hash, reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            id,
            event.tenant.as_str(),
            audit_ts(event.at),
            event.user,
            event.counter,
            event.terminal,
            event.action,
            event.subject,
            event.result,
            &prev[..],
            &hash[..],
            event.reason,
        ],
    )
    .map_err(be)?;
    tx.execute(
        "INSERT INTO audit_head (singleton, last_id, last_hash) VALUES (1, ?1, ?2)
         ON CONFLICT (singleton) DO UPDATE SET last_id = excluded.last_id, last_hash = excluded.last_hash",
        params![id, &hash[..]],
    )
    .map_err(be)?;
    Ok(id)
}

const AUDIT_SELECT: &str =
    "SELECT id, tenant_id, at, user_login, counter, terminal, action, subject, result,
    prev_hash, hash, reason FROM audit_log";

/// Audit times are stored with microseconds, the precision the chain hash covers.
fn audit_ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// The database holds personal data: it is created readable by its owner only (0600), and an existing
/// one is narrowed to that; SQLite gives its `-wal` and `-shm` files the database's permissions.
fn private_file(path: &Path) -> StoreResult<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        let io = |e: std::io::Error| StoreError::Backend(format!("database file: {e}"));
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .mode(0o600)
            .open(path)
            .map_err(io)?;
        for suffix in ["", "-wal", "-shm"] {
            let p = std::path::PathBuf::from(format!("{}{suffix}", path.display()));
            if let Ok(meta) = std::fs::metadata(&p)
                && meta.permissions().mode() & 0o077 != 0
            {
                std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).map_err(io)?;
            }
        }
    }
    Ok(())
}

fn hash32(v: &[u8]) -> StoreResult<[u8; 32]> {
    v.try_into()
        .map_err(|_| StoreError::Backend("audit hash is not 32 bytes".into()))
}

fn audit_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AuditRecord> {
    let bad = |i: usize| {
        rusqlite::Error::InvalidColumnType(i, "audit".into(), rusqlite::types::Type::Blob)
    };
    let at: String = r.get(2)?;
    let prev: Vec<u8> = r.get(9)?;
    let hash: Vec<u8> = r.get(10)?;
    Ok(AuditRecord {
        id: r.get(0)?,
        event: AuditEvent {
            tenant: TenantId(r.get(1)?),
            at: DateTime::parse_from_rfc3339(&at)
                .map_err(|_| bad(2))?
                .with_timezone(&Utc),
            user: r.get(3)?,
            counter: r.get(4)?,
            terminal: r.get(5)?,
            action: r.get(6)?,
            subject: r.get(7)?,
            result: r.get(8)?,
            reason: r.get(11)?,
        },
        prev_hash: prev.as_slice().try_into().map_err(|_| bad(9))?,
        hash: hash.as_slice().try_into().map_err(|_| bad(10))?,
    })
}

const USER_SELECT: &str = "SELECT id, tenant_id, login, display_name, password_hash, failed_logins, locked, disabled, valid_until, must_change_password, revision FROM users";

fn user_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<UserRecord> {
    Ok(UserRecord {
        id: r.get(0)?,
        tenant: TenantId(r.get(1)?),
        login: r.get(2)?,
        display_name: r.get(3)?,
        password_hash: r.get(4)?,
        failed_logins: r.get::<_, i64>(5)?.try_into().unwrap_or(u32::MAX),
        locked: r.get(6)?,
        disabled: r.get(7)?,
        valid_until: r
            .get::<_, Option<String>>(8)?
            .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
        groups: Vec::new(),
        must_change_password: r.get(9)?,
        revision: r.get(10)?,
    })
}

fn import_in_transaction(
    c: &mut Connection,
    tenant: &TenantId,
    meta: &ImportMeta,
    body: &mut dyn FnMut(&mut dyn ResidentSink) -> StoreResult<ImportDecision>,
) -> StoreResult<ImportApplied> {
    let tx = c
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(be)?;
    let prior: Option<String> = tx
        .query_row(
            "SELECT finished_at FROM import_ledger WHERE tenant_id = ?1 AND sha256 = ?2",
            params![tenant.as_str(), meta.sha256],
            |r| r.get(0),
        )
        .optional()
        .map_err(be)?;
    if let Some(at) = prior {
        return Ok(ImportApplied::AlreadyApplied {
            applied_at: parse_ts(&at)?,
        });
    }
    tx.execute(
        "INSERT INTO import_ledger (tenant_id, sha256, mode, source_name, started_at, finished_at,
                                    inserted, updated, unchanged, removed)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5, 0, 0, 0, 0)",
        params![
            tenant.as_str(),
            meta.sha256,
            meta.mode.as_str(),
            meta.source_name,
            ts(meta.started_at)
        ],
    )
    .map_err(|e| match e {
        rusqlite::Error::SqliteFailure(f, _)
            if f.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            StoreError::NotFound("tenant".into())
        }
        e => be(e),
    })?;
    let import_seq = tx.last_insert_rowid();
    let was_empty: bool = tx
        .query_row(
            "SELECT NOT EXISTS (SELECT 1 FROM residents WHERE tenant_id = ?1)",
            [tenant.as_str()],
            |r| r.get(0),
        )
        .map_err(be)?;
    let mut sink = Sink {
        tx: &tx,
        tenant,
        import_seq,
        was_empty,
        counts: ImportCounts::default(),
        towns: std::collections::BTreeMap::new(),
    };
    let decision = body(&mut sink)?;
    let mut counts = sink.counts;
    let towns = sink.towns;
    if decision == ImportDecision::Rollback {
        tx.rollback().map_err(be)?;
        return Ok(ImportApplied::RolledBack);
    }
    if meta.mode == ImportMode::Full {
        counts.removed += rows::remove_not_in_import(&tx, tenant, import_seq)?;
    }
    tx.execute(
        "UPDATE import_ledger SET finished_at = ?2, inserted = ?3, updated = ?4, unchanged = ?5, removed = ?6
         WHERE id = ?1",
        params![
            import_seq,
            ts(Utc::now()),
            counts.inserted as i64,
            counts.updated as i64,
            counts.unchanged as i64,
            counts.removed as i64
        ],
    )
    .map_err(be)?;
    if counts.inserted + counts.updated + counts.removed >= OPTIMIZE_AFTER_ROWS {
        // A bulk load leaves the FTS index in many segments; merging them keeps partial-name
        // search fast (a phrase query reads every segment).
        tx.execute(
            "INSERT INTO residents_fts (residents_fts) VALUES ('optimize')",
            [],
        )
        .map_err(be)?;
    }
    // The 町字 list follows the residents: a full import that changed any rebuilds it (one scan); a
    // delta only adds the towns of the residents it wrote (a scan of a million rows would cost seconds
    // per delta; a town left without residents stays pickable until the next full import).
    if meta.mode == ImportMode::Full && counts.inserted + counts.updated + counts.removed > 0 {
        cases::rebuild_towns(&tx, tenant)?;
    } else if meta.mode == ImportMode::Delta {
        cases::add_towns(&tx, tenant, &towns)?;
    }
    if let Some(event) = &meta.audit {
        let mut event = event.clone();
        event.result = "applied".into();
        append_audit_in(&tx, &event)?;
    }
    tx.commit().map_err(be)?;
    // Refresh the planner's statistics after large changes.
    if counts.inserted + counts.updated + counts.removed >= OPTIMIZE_AFTER_ROWS {
        c.execute_batch("PRAGMA optimize").map_err(be)?;
    }
    Ok(ImportApplied::Committed(counts))
}

struct Sink<'a> {
    tx: &'a Transaction<'a>,
    tenant: &'a TenantId,
    import_seq: i64,
    /// The tenant had no residents when the import began: skip existence probes.
    was_empty: bool,
    counts: ImportCounts,
    /// 町字 of the residents written (deltas add them to the town list).
    towns: std::collections::BTreeMap<String, Town>,
}

impl ResidentSink for Sink<'_> {
    fn put(&mut self, r: &Resident) -> StoreResult<PutOutcome> {
        let outcome = rows::upsert(self.tx, self.tenant, self.import_seq, r, self.was_empty)?;
        if r.status == madoguchi_core::resident::ResidentStatus::Resident
            && !self.towns.contains_key(&r.address.town)
        {
            let a = &r.address;
            self.towns.insert(
                a.town.clone(),
                Town {
                    town: a.town.clone(),
                    town_code: a.town_code.clone(),
                    prefecture: a.prefecture.clone(),
                    city: a.city.clone(),
                    postal_code: a.postal_code.clone(),
                },
            );
        }
        match outcome {
            PutOutcome::Inserted => self.counts.inserted += 1,
            PutOutcome::Updated => self.counts.updated += 1,
            PutOutcome::Unchanged => self.counts.unchanged += 1,
        }
        Ok(outcome)
    }

    fn remove(&mut self, atena_no: &AtenaNo) -> StoreResult<bool> {
        let removed = rows::remove(self.tx, self.tenant, atena_no)?;
        if removed {
            self.counts.removed += 1;
        }
        Ok(removed)
    }
}

/// Permissions as stored (codes written by this crate). Unknown codes, which only a newer version could
/// have written, grant nothing.
fn perms(codes: String) -> PermissionSet {
    codes
        .split(',')
        .filter_map(|c| Permission::from_code(c.trim()))
        .collect()
}

fn day(d: Option<NaiveDate>) -> Option<String> {
    d.map(|d| d.format("%Y-%m-%d").to_string())
}

fn counter_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<CounterRecord> {
    Ok(CounterRecord {
        code: r.get(0)?,
        name: r.get(1)?,
        permissions: perms(r.get(2)?),
        browser_allowed: r.get(3)?,
    })
}

fn user_id(tx: &Connection, tenant: &TenantId, login: &str) -> StoreResult<Option<i64>> {
    tx.query_row(
        "SELECT id FROM users WHERE tenant_id = ?1 AND login = ?2",
        params![tenant.as_str(), login],
        |r| r.get(0),
    )
    .optional()
    .map_err(be)
}

fn insert_user(tx: &Connection, tenant: &TenantId, user: &NewUser) -> StoreResult<i64> {
    let Some(hash) = &user.password_hash else {
        return Err(StoreError::Conflict(
            "a new account needs a password".into(),
        ));
    };
    tx.execute(
        "INSERT INTO users (tenant_id, login, display_name, password_hash, created_at, valid_until,
                            must_change_password)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            tenant.as_str(),
            user.login,
            user.display_name,
            hash,
            ts(Utc::now()),
            day(user.valid_until),
            user.must_change_password
        ],
    )
    .map_err(constraint("user exists or tenant missing"))?;
    let id = tx.last_insert_rowid();
    replace_groups(tx, tenant, id, &user.groups)?;
    Ok(id)
}

/// Sets a user's groups to exactly `groups` (codes in the user's tenant).
fn replace_groups(
    tx: &Connection,
    tenant: &TenantId,
    user_id: i64,
    groups: &[String],
) -> StoreResult<()> {
    tx.execute("DELETE FROM user_groups WHERE user_id = ?1", [user_id])
        .map_err(be)?;
    for code in groups {
        let n = tx
            .execute(
                "INSERT OR IGNORE INTO user_groups (user_id, group_id)
                 SELECT ?1, id FROM staff_groups WHERE tenant_id = ?2 AND code = ?3",
                params![user_id, tenant.as_str(), code],
            )
            .map_err(be)?;
        if n == 0
            && !tx
                .query_row(
                    "SELECT EXISTS (SELECT 1 FROM staff_groups WHERE tenant_id = ?1 AND code = ?2)",
                    params![tenant.as_str(), code],
                    |r| r.get::<_, bool>(0),
                )
                .map_err(be)?
        {
            return Err(StoreError::NotFound(format!("group {code}")));
        }
    }
    Ok(())
}

fn with_groups(c: &Connection, mut user: UserRecord) -> StoreResult<UserRecord> {
    let mut stmt = c
        .prepare_cached(
            "SELECT g.code FROM user_groups ug JOIN staff_groups g ON g.id = ug.group_id
             WHERE ug.user_id = ?1 ORDER BY g.code",
        )
        .map_err(be)?;
    let rows = stmt.query_map([user.id], |r| r.get(0)).map_err(be)?;
    user.groups = rows.collect::<Result<Vec<_>, _>>().map_err(be)?;
    Ok(user)
}

#[cfg(test)]
mod tests {
    use super::*;
    use madoguchi_store::prelude::*;

    #[test]
    fn conformance_in_memory() {
        madoguchi_testkit::conformance::run_all(&|| {
            Box::new(SqliteStore::open_in_memory().expect("open"))
        });
    }

    #[test]
    fn conformance_on_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let counter = std::cell::Cell::new(0);
        madoguchi_testkit::conformance::run_all(&|| {
            counter.set(counter.get() + 1);
            Box::new(
                SqliteStore::open(&dir.path().join(format!("db{}.sqlite3", counter.get())))
                    .expect("open"),
            )
        });
    }

    /// Tampering done directly in the database file is found, and the first bad record named.
    #[test]
    fn audit_verify_detects_tampering_in_the_file() {
        use madoguchi_testkit::conformance::audit_event;
        let cases: &[(&str, &str, i64)] = &[
            ("edit", "UPDATE audit_log SET subject = '000000000000027' WHERE id = 3", 3),
            ("delete", "DELETE FROM audit_log WHERE id = 2", 3),
            (
                "insert",
                "UPDATE audit_log SET id = id + 10 WHERE id >= 3;
                 INSERT INTO audit_log (id, tenant_id, at, action, result, prev_hash, hash)
                 SELECT 3, 'a', at, 'forged', 'ok', hash, hash FROM audit_log WHERE id = 2",
                3,
            ),
            ("reorder", "UPDATE audit_log SET id = 100 WHERE id = 2; UPDATE audit_log SET id = 2 WHERE id = 3;
                         UPDATE audit_log SET id = 3 WHERE id = 100", 2),
            ("truncate", "DELETE FROM audit_log WHERE id = 5", 5),
        ];
        for (name, sql, first_bad) in cases {
            let dir = tempfile::tempdir().expect("tempdir");
            let path = dir.path().join("audit.sqlite3");
            {
                let s = SqliteStore::open(&path).expect("open");
                for i in 0..5 {
                    s.append_audit(&audit_event(
                        "a",
                        i,
                        "resident.read",
                        Some("000000000000019"),
                    ))
                    .expect("append");
                }
                assert_eq!(
                    s.verify_audit().expect("verify"),
                    AuditCheck::Intact { records: 5 },
                    "{name}"
                );
            }
            Connection::open(&path)
                .expect("raw")
                .execute_batch(sql)
                .expect(name);
            let s = SqliteStore::open(&path).expect("reopen");
            match s.verify_audit().expect("verify") {
                AuditCheck::Broken { first_bad_id, .. } => {
                    assert_eq!(first_bad_id, *first_bad, "{name}")
                }
                AuditCheck::Intact { .. } => panic!("{name}: tampering not detected"),
            }
        }
    }

    #[test]
    fn data_survives_reopen() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("m.sqlite3");
        let t = TenantId("t1".into());
        {
            let s = SqliteStore::open(&path).expect("open");
            s.ensure_tenant(&t, "テスト市").expect("tenant");
        }
        let s = SqliteStore::open(&path).expect("reopen");
        assert_eq!(
            s.tenant_name(&t).expect("name").as_deref(),
            Some("テスト市")
        );
        assert!(!s.ensure_tenant(&t, "テスト市").expect("tenant"));
    }

    #[test]
    fn read_audits_wait_in_the_spool_and_survive_a_crash() {
        use madoguchi_testkit::conformance::audit_event;
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("m.sqlite3");
        let ev =
            |secs: i64, subject: &str| audit_event("t1", secs, "resident.search", Some(subject));
        let len = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.len());
        {
            let s = SqliteStore::open(&path).expect("open");
            let own = s
                .spool
                .lock()
                .expect("spool")
                .path()
                .expect("file")
                .to_owned();
            s.append_audit(&audit_event("t1", 0, "login", None))
                .expect("append");
            s.append_read_audit(&ev(1, "000000000000019"))
                .expect("read audit");
            // Written to this store's spool at once (safe from a crash of this process)…
            assert!(len(&own) > 0, "spooled");
            // …a second store on the same database (an admin command) leaves the live spool alone…
            {
                let other = SqliteStore::open(&path).expect("second store");
                assert!(other.spool.lock().expect("spool").path() != Some(own.as_path()));
            }
            // …and it joins the chain within the interval, the spool emptied.
            let deadline = std::time::Instant::now() + READ_AUDIT_SYNC_INTERVAL * 40;
            while len(&own) > 0 {
                assert!(
                    std::time::Instant::now() < deadline,
                    "the spool was not drained"
                );
                std::thread::sleep(READ_AUDIT_SYNC_INTERVAL / 5);
            }
            assert_eq!(
                s.verify_audit().expect("verify"),
                AuditCheck::Intact { records: 2 },
                "the read is in the chain once"
            );
        }
        // A crashed process left a spool nobody holds: one frame already in the chain (crash between
        // the commit and emptying the spool), two new ones, then half a frame.
        let mut bytes = spool::encode(&ev(1, "000000000000019"));
        bytes.extend(spool::encode(&ev(2, "000000000000027")));
        bytes.extend(spool::encode(&ev(3, "000000000000035")));
        let torn = spool::encode(&ev(4, "000000000000043"));
        bytes.extend_from_slice(&torn[..torn.len() / 2]);
        let crashed = dir
            .path()
            .join(format!("{}99999-0", spool::prefix_for(&path)));
        std::fs::write(&crashed, &bytes).expect("write spool");
        let s = SqliteStore::open(&path).expect("reopen");
        assert!(!crashed.exists(), "recovered and removed");
        let subjects: Vec<String> = s
            .audit_records(
                &TenantId("t1".into()),
                audit_event("t1", -1, "x", None).at,
                audit_event("t1", 10, "x", None).at,
            )
            .expect("records")
            .into_iter()
            .filter_map(|r| r.event.subject)
            .collect();
        assert_eq!(
            subjects,
            ["000000000000019", "000000000000027", "000000000000035"],
            "each once, the torn frame dropped"
        );
        assert_eq!(
            s.verify_audit().expect("verify"),
            AuditCheck::Intact { records: 4 }
        );
        drop(s);
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .expect("dir")
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().contains("audit-spool"))
            .collect();
        assert!(left.is_empty(), "a clean close leaves no spool file");
    }
}
