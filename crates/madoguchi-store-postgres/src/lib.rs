//! PostgreSQL backend of [`madoguchi_store::Store`].
//!
//! Migrated by the database's **owner role** with [`PostgresStore::migrate`] (`madoguchi-server
//! migrate`), which applies the pending migrations of `migrations/` in one transaction and grants the
//! **application role** what the store needs; opened by the application role with
//! [`PostgresStore::open`], which refuses a superuser or `BYPASSRLS` role and a database with pending
//! or edited migrations. Migrations are append-only: each applied one is recorded with its SHA-256, and
//! an applied migration whose text changed stops start-up. The application role may only INSERT into
//! and SELECT from the audit chain (Security II point 7): the chain's head moves by a trigger that
//! runs as the owner and refuses a record that does not extend it, and a retention purge goes through
//! the owner's `audit_purge_before`.
//!
//! # Connections
//!
//! The trait is synchronous and the server calls it from `tokio::task::spawn_blocking`, so the store
//! uses the synchronous `postgres` crate and a small bounded pool of its own (at most
//! [`pool::MAX_CONNECTIONS`] connections). Every operation runs in one transaction on one pooled
//! connection. A password in the URL never appears in `Debug` output or in error messages.
//!
//! # Tenant isolation, twice
//!
//! 1. Every query names its tenant, as in the SQLite backend.
//! 2. Row-level security: every table holding a tenant's data has `ENABLE` and `FORCE ROW LEVEL
//!    SECURITY` and a policy comparing its tenant column with `current_setting('madoguchi.tenant',
//!    true)`. The store sets it with `set_config('madoguchi.tenant', $1, true)` at the start of each
//!    operation's transaction (it ends with the transaction, so a pooled connection never carries a
//!    tenant into the next operation). With no tenant set nothing is visible and nothing can be
//!    written, and a row of another tenant can neither be read nor written. `FORCE` binds the tables'
//!    owner too, so the policies hold even for the role that ran the migrations; the store refuses to
//!    open as a superuser or a role with `BYPASSRLS`, which would skip the policies.
//!
//! The few operations the trait does not scope by tenant find the tenant first, through one row the
//! transaction names, and then set it like every other operation:
//!
//! * `find_session`, `touch_session` and `delete_session` (a bearer token's SHA-256): the policy
//!   `session_by_token` shows the one session whose hash the transaction names in `madoguchi.session`;
//!   the store reads its tenant, clears the name and sets `madoguchi.tenant`.
//! * `create_session` and `record_login_failure` (a user id): likewise through `user_by_id` and
//!   `madoguchi.user_id`.
//!
//! These are read-only policies for one row by its key, for the duration of one lookup. (A
//! `SECURITY DEFINER` function would not help here: under `FORCE` the function's owner is bound by the
//! policies as well, unless it bypasses row-level security altogether.) Expired sessions are purged at
//! each login within the login's tenant.
//!
//! The audit chain (`audit_log`, `audit_head`) is one SHA-256 chain over every tenant's records, as the
//! trait defines it (`append_audit`, `append_read_audit`, `verify_audit`, `purge_audit_before` are
//! global); these tables are outside row-level security and `audit_records` filters by tenant in its
//! query. `schema_migrations` holds no tenant data.
//!
//! # Search
//!
//! * 宛名番号: the primary key; birth date: a B-tree on (tenant, birth date, reading), which also gives
//!   the reading order; kana prefix: a B-tree on (tenant, reading key) with a range condition, in
//!   reading order.
//! * Partial matches (names including 旧氏, 通称 and foreign names; every reading; the address) of any
//!   length, 1- and 2-character kanji names included: the table `resident_search` holds each resident's
//!   folded keys ([`madoguchi_store::SearchKeys`], the one normalisation) and a `text[]` of every 1- and
//!   2-character substring of each key (Unicode scalar values, tagged by key), plus the first one and
//!   two characters of every name, under a GIN index (see [`grams`]). A query looks up the grams that
//!   cover its text and checks each candidate with `strpos`.
//! * Array containment is not leakproof, so PostgreSQL never uses a query's own `grams @> …` through an
//!   index on a table with row-level security. The search index therefore carries the search in its
//!   policy: `resident_search` is readable only for the transaction's tenant *and* the grams the store
//!   sets in `madoguchi.grams` for the search being run. Policy conditions come first by definition,
//!   so the planner answers them with the GIN index.
//! * Ranking as in the SQLite backend: kana prefix matches in reading order, then partial matches;
//!   for a name, names that start with the query first (氏名 through a B-tree on its folded key,
//!   the other names through their first characters in the search index), then every partial
//!   match, each by reading. Candidates are narrow rows of the search index (宛名番号, reading,
//!   names), at least 200 per phase, ranked in the store; only the final `limit` residents are read
//!   in full. The ranking is exact whenever fewer than the window match, as with the SQLite
//!   backend's window.
//!
//! # Imports
//!
//! One transaction. The tenant's imports are serialized by an advisory lock; the ledger refuses a file
//! whose SHA-256 it holds. The tenant's 宛名番号 and row hashes are loaded when the import begins, so
//! each row's outcome (inserted, updated, unchanged) is known at once and unchanged rows are not
//! written; changed rows are written in batches (binary COPY into a temporary table, then one
//! `INSERT … SELECT` per table: row-level security refuses COPY into the tables themselves). A full
//! import removes the residents it did not write. The audit record joins the chain inside the
//! transaction.
//!
//! # Audit
//!
//! The canonical chain of [`madoguchi_store::audit`], with `audit_head` anchoring its end and its base
//! after a purge; appends are serialized by an advisory lock, and the head moves by the owner's trigger. A read's audit record
//! (`append_read_audit`) is appended at once, committed with `synchronous_commit = off`: in the chain
//! before any later record, safe from a crash of the server process when the call returns, and on
//! stable storage within PostgreSQL's WAL writer delay (a crash of the database server itself may lose
//! that window of read records, as a power loss may with the SQLite backend's spool).
//!
//! [`throwaway::Cluster`] is a test and benchmark harness (a private PostgreSQL server in a temporary
//! directory), not for production.

mod cases;
mod feeds;
pub mod grams;
mod migrate;
pub mod pool;
mod rows;
mod terminals;
pub mod throwaway;

use std::collections::HashSet;

use chrono::{DateTime, NaiveDate, Utc};
use madoguchi_core::ids::AtenaNo;
use madoguchi_core::resident::Resident;
use madoguchi_store::audit::{GENESIS, chain_hash, verify_chain};
use madoguchi_store::{
    AuditCheck, AuditEvent, AuditRecord, CaseEntry, CaseFilter, CaseRecord, CaseSaved, CaseWrite,
    CounterRecord, EligibilityChange, EligibilityRecord, GroupRecord, ImportApplied,
    ImportDecision, ImportMeta, ImportMode, IncomingMove, LinkageFile, NewUser, OutboundBatch,
    Permission, PermissionSet, ResidentQuery, ResidentSink, SessionRecord, Store, StoreError,
    StoreResult, SupportMeasureRecord, TenantId, TerminalRecord, Town, UpsertCounts, UserRecord,
};
use postgres::fallible_iterator::FallibleIterator;
use postgres::{IsolationLevel, Row, Transaction};

pub use migrate::{MIGRATIONS, digest as migration_digest};
use pool::{Pool, Target};

/// Imports that change at least this many residents refresh the planner's statistics afterwards.
const ANALYZE_AFTER_ROWS: u64 = 10_000;

/// The PostgreSQL store. See the crate docs.
pub struct PostgresStore {
    pool: Pool,
}

impl std::fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresStore")
            .field("target", self.pool.target())
            .finish()
    }
}

/// A driver error as a [`StoreError`]: the SQLSTATE and PostgreSQL's message, never the `DETAIL`
/// (which may quote the values of a row) nor, for data exceptions, the message (which may quote the
/// value).
pub(crate) fn be(e: postgres::Error) -> StoreError {
    StoreError::Backend(describe(&e))
}

fn describe(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => {
            let code = db.code().code();
            if code.starts_with("22") {
                format!("{} {code}: data exception", db.severity())
            } else {
                format!("{} {code}: {}", db.severity(), db.message())
            }
        }
        None => e.to_string(),
    }
}

/// Maps integrity violations (SQLSTATE class 23) to [`StoreError::Conflict`] with `what`.
pub(crate) fn constraint(what: &'static str) -> impl Fn(postgres::Error) -> StoreError {
    move |e| match e.code() {
        Some(c) if c.code().starts_with("23") => StoreError::Conflict(what.into()),
        _ => be(e),
    }
}

/// Sets the transaction's tenant (see the crate docs).
fn set_tenant(tx: &mut Transaction<'_>, tenant: &TenantId) -> StoreResult<()> {
    tx.execute(
        "SELECT set_config('madoguchi.tenant', $1, true)",
        &[&tenant.as_str()],
    )
    .map_err(be)?;
    Ok(())
}

/// The tenant of a session, through the one row its token hash names.
fn tenant_of_session(tx: &mut Transaction<'_>, token: &[u8; 32]) -> StoreResult<Option<TenantId>> {
    let hex: String = token.iter().map(|b| format!("{b:02x}")).collect();
    tx.execute("SELECT set_config('madoguchi.session', $1, true)", &[&hex])
        .map_err(be)?;
    let row = tx
        .query_opt(
            "SELECT tenant_id FROM sessions WHERE token_hash = $1",
            &[&&token[..]],
        )
        .map_err(be)?;
    tx.execute("SELECT set_config('madoguchi.session', '', true)", &[])
        .map_err(be)?;
    Ok(row.map(|r| TenantId(r.get(0))))
}

/// The tenant of a user, through the one row its id names.
fn tenant_of_user(tx: &mut Transaction<'_>, user_id: i64) -> StoreResult<Option<TenantId>> {
    tx.execute(
        "SELECT set_config('madoguchi.user_id', $1, true)",
        &[&user_id.to_string()],
    )
    .map_err(be)?;
    let row = tx
        .query_opt("SELECT tenant_id FROM users WHERE id = $1", &[&user_id])
        .map_err(be)?;
    tx.execute("SELECT set_config('madoguchi.user_id', '', true)", &[])
        .map_err(be)?;
    Ok(row.map(|r| TenantId(r.get(0))))
}

/// Serializes appends to the audit chain (the application role may not lock the head's row).
const AUDIT_APPEND_LOCK: i64 = 0x6175_6469_745f_6c6f; // "audit_lo"

/// Appends one audit record inside the caller's transaction; an advisory lock serializes appends and
/// the table's trigger (as the owner) moves the head, refusing a record that does not extend it.
fn append_audit_in(tx: &mut Transaction<'_>, event: &AuditEvent) -> StoreResult<i64> {
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&AUDIT_APPEND_LOCK])
        .map_err(be)?;
    let head = tx
        .query_one(
            "SELECT last_id, last_hash FROM audit_head WHERE singleton",
            &[],
        )
        .map_err(be)?;
    let last_id: i64 = head.try_get(0).map_err(be)?;
    let prev = hash32(head.try_get(1).map_err(be)?)?;
    let id = last_id + 1;
    let hash = chain_hash(&prev, id, event);
    tx.execute(
        "INSERT INTO audit_log (id, tenant_id, at, user_login, counter, terminal, action, subject,
                                result, reason, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        &[
            &id,
            &event.tenant.as_str(),
            &event.at,
            &event.user,
            &event.counter,
            &event.terminal,
            &event.action,
            &event.subject,
            &event.result,
            &event.reason,
            &&prev[..],
            &&hash[..],
        ],
    )
    .map_err(be)?;
    Ok(id)
}

fn hash32(v: &[u8]) -> StoreResult<[u8; 32]> {
    v.try_into()
        .map_err(|_| StoreError::Backend("audit hash is not 32 bytes".into()))
}

const AUDIT_SELECT: &str =
    "SELECT id, tenant_id, at, user_login, counter, terminal, action, subject,
    result, reason, prev_hash, hash FROM audit_log";

fn audit_row(r: &Row) -> StoreResult<AuditRecord> {
    Ok(AuditRecord {
        id: r.try_get(0).map_err(be)?,
        event: AuditEvent {
            tenant: TenantId(r.try_get(1).map_err(be)?),
            at: r.try_get(2).map_err(be)?,
            user: r.try_get(3).map_err(be)?,
            counter: r.try_get(4).map_err(be)?,
            terminal: r.try_get(5).map_err(be)?,
            action: r.try_get(6).map_err(be)?,
            subject: r.try_get(7).map_err(be)?,
            result: r.try_get(8).map_err(be)?,
            reason: r.try_get(9).map_err(be)?,
        },
        prev_hash: hash32(r.try_get(10).map_err(be)?)?,
        hash: hash32(r.try_get(11).map_err(be)?)?,
    })
}

/// Permissions as stored (codes written by this crate). Unknown codes grant nothing.
fn perms(codes: &str) -> PermissionSet {
    codes
        .split(',')
        .filter_map(|c| Permission::from_code(c.trim()))
        .collect()
}

const USER_SELECT: &str = "SELECT id, tenant_id, login, display_name, password_hash, failed_logins,
    locked, disabled, valid_until FROM users";

fn user_row(r: &Row) -> StoreResult<UserRecord> {
    let failed: i32 = r.try_get(5).map_err(be)?;
    Ok(UserRecord {
        id: r.try_get(0).map_err(be)?,
        tenant: TenantId(r.try_get(1).map_err(be)?),
        login: r.try_get(2).map_err(be)?,
        display_name: r.try_get(3).map_err(be)?,
        password_hash: r.try_get(4).map_err(be)?,
        failed_logins: u32::try_from(failed).unwrap_or(0),
        locked: r.try_get(6).map_err(be)?,
        disabled: r.try_get(7).map_err(be)?,
        valid_until: r.try_get(8).map_err(be)?,
        groups: Vec::new(),
    })
}

fn with_groups(tx: &mut Transaction<'_>, mut user: UserRecord) -> StoreResult<UserRecord> {
    user.groups = tx
        .query(
            "SELECT g.code FROM user_groups ug JOIN staff_groups g ON g.id = ug.group_id
             WHERE ug.tenant_id = $1 AND ug.user_id = $2 ORDER BY g.code",
            &[&user.tenant.as_str(), &user.id],
        )
        .map_err(be)?
        .iter()
        .map(|r| r.try_get(0).map_err(be))
        .collect::<StoreResult<Vec<String>>>()?;
    Ok(user)
}

fn user_id(tx: &mut Transaction<'_>, tenant: &TenantId, login: &str) -> StoreResult<Option<i64>> {
    Ok(tx
        .query_opt(
            "SELECT id FROM users WHERE tenant_id = $1 AND login = $2",
            &[&tenant.as_str(), &login],
        )
        .map_err(be)?
        .map(|r| r.get(0)))
}

fn insert_user(tx: &mut Transaction<'_>, tenant: &TenantId, user: &NewUser) -> StoreResult<i64> {
    let Some(hash) = &user.password_hash else {
        return Err(StoreError::Conflict(
            "a new account needs a password".into(),
        ));
    };
    let row = tx
        .query_one(
            "INSERT INTO users (tenant_id, login, display_name, password_hash, valid_until)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
            &[
                &tenant.as_str(),
                &user.login,
                &user.display_name,
                hash,
                &user.valid_until,
            ],
        )
        .map_err(constraint("user exists or tenant missing"))?;
    let id: i64 = row.get(0);
    replace_groups(tx, tenant, id, &user.groups)?;
    Ok(id)
}

/// Sets a user's groups to exactly `groups` (codes in the user's tenant).
fn replace_groups(
    tx: &mut Transaction<'_>,
    tenant: &TenantId,
    user_id: i64,
    groups: &[String],
) -> StoreResult<()> {
    let t = tenant.as_str();
    tx.execute(
        "DELETE FROM user_groups WHERE tenant_id = $1 AND user_id = $2",
        &[&t, &user_id],
    )
    .map_err(be)?;
    for code in groups {
        let n = tx
            .execute(
                "INSERT INTO user_groups (tenant_id, user_id, group_id)
                 SELECT $1, $2, id FROM staff_groups WHERE tenant_id = $1 AND code = $3
                 ON CONFLICT DO NOTHING",
                &[&t, &user_id, code],
            )
            .map_err(be)?;
        if n == 0
            && tx
                .query_opt(
                    "SELECT 1 FROM staff_groups WHERE tenant_id = $1 AND code = $2",
                    &[&t, code],
                )
                .map_err(be)?
                .is_none()
        {
            return Err(StoreError::NotFound(format!("group {code}")));
        }
    }
    Ok(())
}

fn counter_row(r: &Row) -> StoreResult<CounterRecord> {
    Ok(CounterRecord {
        code: r.try_get(0).map_err(be)?,
        name: r.try_get(1).map_err(be)?,
        permissions: perms(r.try_get(2).map_err(be)?),
        browser_allowed: r.try_get(3).map_err(be)?,
    })
}

impl PostgresStore {
    /// Connects to the database at `url` (`postgres://user:password@host:port/dbname`) and applies the
    /// pending migrations.
    pub fn open(url: &str) -> StoreResult<Self> {
        let target = Target::parse(url)?;
        let pool = Pool::new(target);
        {
            let mut conn = pool.get()?;
            let bypass = conn
                .query_one(
                    "SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user",
                    &[],
                )
                .map_err(be)?;
            if bypass.get::<_, bool>(0) {
                return Err(StoreError::Backend(
                    "the PostgreSQL role is a superuser or has BYPASSRLS, which row-level security does not bind: connect as the application role".into(),
                ));
            }
            migrate::check(&mut conn)?;
        }
        Ok(PostgresStore { pool })
    }

    /// Applies the pending migrations connected as the database's owner role (`owner_url`) and grants
    /// the application role `app_role` what the store needs — on the audit chain only INSERT and SELECT.
    pub fn migrate(owner_url: &str, app_role: &str) -> StoreResult<()> {
        let pool = Pool::new(Target::parse(owner_url)?);
        let mut conn = pool.get()?;
        migrate::apply_as_owner(&mut conn, app_role)
    }

    /// Runs `f` in one transaction with `tenant` set; commits when `f` returns `Ok((value, true))`,
    /// rolls back on `Ok((value, false))` or an error.
    fn transact<T>(
        &self,
        tenant: Option<&TenantId>,
        f: impl FnOnce(&mut Transaction<'_>) -> StoreResult<(T, bool)>,
    ) -> StoreResult<T> {
        let mut conn = self.pool.get()?;
        let mut tx = conn.transaction().map_err(be)?;
        if let Some(t) = tenant {
            set_tenant(&mut tx, t)?;
        }
        let (out, commit) = f(&mut tx)?;
        if commit {
            tx.commit().map_err(be)?;
        } else {
            tx.rollback().map_err(be)?;
        }
        Ok(out)
    }

    /// A read (or an unaudited write) in one transaction of `tenant`.
    fn with_tenant<T>(
        &self,
        tenant: &TenantId,
        f: impl FnOnce(&mut Transaction<'_>) -> StoreResult<T>,
    ) -> StoreResult<T> {
        self.transact(Some(tenant), |tx| Ok((f(tx)?, true)))
    }

    /// Runs `f` and appends `audit` in one transaction of `tenant`.
    fn audited<T>(
        &self,
        tenant: &TenantId,
        audit: &AuditEvent,
        f: impl FnOnce(&mut Transaction<'_>) -> StoreResult<T>,
    ) -> StoreResult<T> {
        self.transact(Some(tenant), |tx| {
            let out = f(tx)?;
            append_audit_in(tx, audit)?;
            Ok((out, true))
        })
    }

    /// Like [`Self::audited`], but commits (and audits) only when `f` reports that something changed.
    fn audited_if(
        &self,
        tenant: &TenantId,
        audit: &AuditEvent,
        f: impl FnOnce(&mut Transaction<'_>) -> StoreResult<bool>,
    ) -> StoreResult<bool> {
        self.transact(Some(tenant), |tx| {
            if !f(tx)? {
                return Ok((false, false));
            }
            append_audit_in(tx, audit)?;
            Ok((true, true))
        })
    }

    fn import_in_transaction(
        tx: &mut Transaction<'_>,
        tenant: &TenantId,
        meta: &ImportMeta,
        body: &mut dyn FnMut(&mut dyn ResidentSink) -> StoreResult<ImportDecision>,
    ) -> StoreResult<(ImportApplied, u64)> {
        let t = tenant.as_str();
        // One import per tenant at a time (the ledger check below stays valid until commit).
        tx.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended('madoguchi.import:' || $1, 0))",
            &[&t],
        )
        .map_err(be)?;
        if tx
            .query_opt("SELECT 1 FROM tenants WHERE id = $1", &[&t])
            .map_err(be)?
            .is_none()
        {
            return Err(StoreError::NotFound("tenant".into()));
        }
        if let Some(row) = tx
            .query_opt(
                "SELECT finished_at FROM import_ledger WHERE tenant_id = $1 AND sha256 = $2",
                &[&t, &meta.sha256],
            )
            .map_err(be)?
        {
            return Ok((
                ImportApplied::AlreadyApplied {
                    applied_at: row.try_get(0).map_err(be)?,
                },
                0,
            ));
        }
        let mut sink = rows::Sink::begin(tx, tenant)?;
        let decision = body(&mut sink)?;
        if decision == ImportDecision::Rollback {
            return Ok((ImportApplied::RolledBack, 0));
        }
        sink.flush()?;
        if meta.mode == ImportMode::Full {
            let removed = sink.remove_unseen()?;
            sink.counts.removed += removed;
        }
        let counts = sink.counts.clone();
        let changed = sink.changed;
        drop(sink);
        let n = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
        tx.execute(
            "INSERT INTO import_ledger (tenant_id, sha256, mode, source_name, started_at, finished_at,
                                        inserted, updated, unchanged, removed)
             VALUES ($1, $2, $3, $4, $5, now(), $6, $7, $8, $9)",
            &[
                &t,
                &meta.sha256,
                &meta.mode.as_str(),
                &meta.source_name,
                &meta.started_at,
                &n(counts.inserted),
                &n(counts.updated),
                &n(counts.unchanged),
                &n(counts.removed),
            ],
        )
        .map_err(constraint("file already in the import ledger"))?;
        // The 町字 list follows the residents: rebuilt only when the import changed any.
        if changed > 0 {
            cases::rebuild_towns(tx, tenant)?;
        }
        if let Some(event) = &meta.audit {
            let mut event = event.clone();
            event.result = "applied".into();
            append_audit_in(tx, &event)?;
        }
        Ok((ImportApplied::Committed(counts), changed))
    }
}

impl Store for PostgresStore {
    fn ensure_tenant(&self, tenant: &TenantId, name: &str) -> StoreResult<bool> {
        self.with_tenant(tenant, |tx| {
            let n = tx
                .execute(
                    "INSERT INTO tenants (id, name) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING",
                    &[&tenant.as_str(), &name],
                )
                .map_err(be)?;
            Ok(n == 1)
        })
    }

    fn tenant_name(&self, tenant: &TenantId) -> StoreResult<Option<String>> {
        self.with_tenant(tenant, |tx| {
            Ok(tx
                .query_opt(
                    "SELECT name FROM tenants WHERE id = $1",
                    &[&tenant.as_str()],
                )
                .map_err(be)?
                .map(|r| r.get(0)))
        })
    }

    fn import_residents(
        &self,
        tenant: &TenantId,
        meta: &ImportMeta,
        body: &mut dyn FnMut(&mut dyn ResidentSink) -> StoreResult<ImportDecision>,
    ) -> StoreResult<ImportApplied> {
        let mut conn = self.pool.get()?;
        let mut tx = conn.transaction().map_err(be)?;
        set_tenant(&mut tx, tenant)?;
        let (applied, changed) = Self::import_in_transaction(&mut tx, tenant, meta, body)?;
        match applied {
            ImportApplied::Committed(_) => tx.commit().map_err(be)?,
            _ => tx.rollback().map_err(be)?,
        }
        if changed >= ANALYZE_AFTER_ROWS {
            // Fresh statistics for the planner and the GIN index's pending entries merged; both need
            // the tables' owner, so a store connected as another role leaves them to autovacuum.
            if let Err(e) = conn.batch_execute(
                "ANALYZE residents; ANALYZE resident_search;
                 SELECT gin_clean_pending_list('resident_search_grams'::regclass)",
            ) {
                tracing::warn!(error = %describe(&e), "statistics not refreshed after a large import");
            }
        }
        Ok(applied)
    }

    fn search_residents(
        &self,
        tenant: &TenantId,
        query: &ResidentQuery,
    ) -> StoreResult<Vec<Resident>> {
        self.with_tenant(tenant, |tx| rows::search(tx, tenant, query))
    }

    fn get_resident(&self, tenant: &TenantId, atena_no: &AtenaNo) -> StoreResult<Option<Resident>> {
        let q = ResidentQuery {
            atena_no: Some(atena_no.clone()),
            limit: 1,
            ..Default::default()
        };
        Ok(self.search_residents(tenant, &q)?.into_iter().next())
    }

    fn household_members(
        &self,
        tenant: &TenantId,
        household_no: &AtenaNo,
    ) -> StoreResult<Vec<Resident>> {
        self.with_tenant(tenant, |tx| rows::household(tx, tenant, household_no))
    }

    fn count_residents(&self, tenant: &TenantId) -> StoreResult<u64> {
        self.with_tenant(tenant, |tx| {
            let n: i64 = tx
                .query_one(
                    "SELECT count(*) FROM residents WHERE tenant_id = $1",
                    &[&tenant.as_str()],
                )
                .map_err(be)?
                .get(0);
            Ok(u64::try_from(n).unwrap_or(0))
        })
    }

    fn protected_households(
        &self,
        tenant: &TenantId,
        household_nos: &[AtenaNo],
    ) -> StoreResult<HashSet<AtenaNo>> {
        if household_nos.is_empty() {
            return Ok(HashSet::new());
        }
        let wanted: Vec<&str> = household_nos.iter().map(AtenaNo::as_str).collect();
        self.with_tenant(tenant, |tx| {
            let rows = tx
                .query(
                    "SELECT DISTINCT r.household_no FROM residents r
                     WHERE r.tenant_id = $1 AND r.household_no = ANY($2)
                       AND (r.support_measure <> 0
                            OR EXISTS (SELECT 1 FROM support_measures s
                                       WHERE s.tenant_id = r.tenant_id AND s.atena_no = r.atena_no))",
                    &[&tenant.as_str(), &wanted],
                )
                .map_err(be)?;
            let found: HashSet<String> = rows.iter().map(|r| r.get(0)).collect();
            Ok(household_nos
                .iter()
                .filter(|h| found.contains(h.as_str()))
                .cloned()
                .collect())
        })
    }

    fn put_group(
        &self,
        tenant: &TenantId,
        group: &GroupRecord,
        audit: &AuditEvent,
    ) -> StoreResult<()> {
        self.audited(tenant, audit, |tx| {
            tx.execute(
                "INSERT INTO staff_groups (tenant_id, code, name, permissions) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (tenant_id, code) DO UPDATE SET name = excluded.name,
                     permissions = excluded.permissions",
                &[
                    &tenant.as_str(),
                    &group.code,
                    &group.name,
                    &group.permissions.to_codes(),
                ],
            )
            .map_err(constraint("tenant missing"))?;
            Ok(())
        })
    }

    fn list_groups(&self, tenant: &TenantId) -> StoreResult<Vec<GroupRecord>> {
        self.with_tenant(tenant, |tx| {
            tx.query(
                "SELECT code, name, permissions FROM staff_groups WHERE tenant_id = $1 ORDER BY code",
                &[&tenant.as_str()],
            )
            .map_err(be)?
            .iter()
            .map(|r| {
                Ok(GroupRecord {
                    code: r.try_get(0).map_err(be)?,
                    name: r.try_get(1).map_err(be)?,
                    permissions: perms(r.try_get(2).map_err(be)?),
                })
            })
            .collect()
        })
    }

    fn put_counter(
        &self,
        tenant: &TenantId,
        counter: &CounterRecord,
        audit: &AuditEvent,
    ) -> StoreResult<()> {
        self.audited(tenant, audit, |tx| {
            tx.execute(
                "INSERT INTO counters (tenant_id, code, name, permissions, browser_allowed)
                 VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (tenant_id, code) DO UPDATE SET name = excluded.name,
                     permissions = excluded.permissions, browser_allowed = excluded.browser_allowed",
                &[
                    &tenant.as_str(),
                    &counter.code,
                    &counter.name,
                    &counter.permissions.to_codes(),
                    &counter.browser_allowed,
                ],
            )
            .map_err(constraint("tenant missing"))?;
            Ok(())
        })
    }

    fn list_counters(&self, tenant: &TenantId) -> StoreResult<Vec<CounterRecord>> {
        self.with_tenant(tenant, |tx| {
            tx.query(
                "SELECT code, name, permissions, browser_allowed FROM counters WHERE tenant_id = $1
                 ORDER BY code",
                &[&tenant.as_str()],
            )
            .map_err(be)?
            .iter()
            .map(counter_row)
            .collect()
        })
    }

    fn find_counter(&self, tenant: &TenantId, code: &str) -> StoreResult<Option<CounterRecord>> {
        self.with_tenant(tenant, |tx| {
            tx.query_opt(
                "SELECT code, name, permissions, browser_allowed FROM counters
                 WHERE tenant_id = $1 AND code = $2",
                &[&tenant.as_str(), &code],
            )
            .map_err(be)?
            .as_ref()
            .map(counter_row)
            .transpose()
        })
    }

    fn put_terminal(
        &self,
        tenant: &TenantId,
        terminal: &TerminalRecord,
        audit: &AuditEvent,
    ) -> StoreResult<()> {
        self.audited(tenant, audit, |tx| terminals::put(tx, tenant, terminal))
    }

    fn find_terminal(&self, tenant: &TenantId, id: &str) -> StoreResult<Option<TerminalRecord>> {
        self.with_tenant(tenant, |tx| terminals::find(tx, tenant, id))
    }

    fn list_terminals(&self, tenant: &TenantId) -> StoreResult<Vec<TerminalRecord>> {
        self.with_tenant(tenant, |tx| terminals::list(tx, tenant))
    }

    fn remove_terminal(
        &self,
        tenant: &TenantId,
        id: &str,
        audit: &AuditEvent,
    ) -> StoreResult<bool> {
        self.audited_if(tenant, audit, |tx| terminals::remove(tx, tenant, id))
    }

    fn create_user(
        &self,
        tenant: &TenantId,
        user: &NewUser,
        audit: &AuditEvent,
    ) -> StoreResult<i64> {
        self.audited(tenant, audit, |tx| insert_user(tx, tenant, user))
    }

    fn upsert_users(
        &self,
        tenant: &TenantId,
        users: &[NewUser],
        audit: &[AuditEvent],
    ) -> StoreResult<UpsertCounts> {
        if users.len() != audit.len() {
            return Err(StoreError::Backend(
                "one audit event per account is required".into(),
            ));
        }
        self.transact(Some(tenant), |tx| {
            let mut counts = UpsertCounts::default();
            for user in users {
                match user_id(tx, tenant, &user.login)? {
                    None => {
                        insert_user(tx, tenant, user)?;
                        counts.created += 1;
                    }
                    Some(id) => {
                        tx.execute(
                            "UPDATE users SET display_name = $3, valid_until = $4,
                                              password_hash = coalesce($5, password_hash)
                             WHERE tenant_id = $1 AND id = $2",
                            &[
                                &tenant.as_str(),
                                &id,
                                &user.display_name,
                                &user.valid_until,
                                &user.password_hash,
                            ],
                        )
                        .map_err(be)?;
                        if user.password_hash.is_some() {
                            tx.execute(
                                "DELETE FROM sessions WHERE tenant_id = $1 AND user_id = $2",
                                &[&tenant.as_str(), &id],
                            )
                            .map_err(be)?;
                        }
                        replace_groups(tx, tenant, id, &user.groups)?;
                        counts.updated += 1;
                    }
                }
            }
            // The records join the chain last, in the accounts' order: the chain's head is locked
            // only for the end of the transaction.
            for event in audit {
                append_audit_in(tx, event)?;
            }
            Ok((counts, true))
        })
    }

    fn find_user(&self, tenant: &TenantId, login: &str) -> StoreResult<Option<UserRecord>> {
        self.with_tenant(tenant, |tx| {
            let user = tx
                .query_opt(
                    &format!("{USER_SELECT} WHERE tenant_id = $1 AND login = $2"),
                    &[&tenant.as_str(), &login],
                )
                .map_err(be)?
                .as_ref()
                .map(user_row)
                .transpose()?;
            user.map(|u| with_groups(tx, u)).transpose()
        })
    }

    fn list_users(&self, tenant: &TenantId) -> StoreResult<Vec<UserRecord>> {
        self.with_tenant(tenant, |tx| {
            let users = tx
                .query(
                    &format!("{USER_SELECT} WHERE tenant_id = $1 ORDER BY login"),
                    &[&tenant.as_str()],
                )
                .map_err(be)?
                .iter()
                .map(user_row)
                .collect::<StoreResult<Vec<_>>>()?;
            users.into_iter().map(|u| with_groups(tx, u)).collect()
        })
    }

    fn set_user_groups(
        &self,
        tenant: &TenantId,
        login: &str,
        groups: &[String],
        audit: &AuditEvent,
    ) -> StoreResult<bool> {
        self.audited_if(tenant, audit, |tx| {
            let Some(id) = user_id(tx, tenant, login)? else {
                return Ok(false);
            };
            replace_groups(tx, tenant, id, groups)?;
            Ok(true)
        })
    }

    fn set_password(
        &self,
        tenant: &TenantId,
        login: &str,
        password_hash: &str,
        audit: &AuditEvent,
    ) -> StoreResult<bool> {
        self.audited_if(tenant, audit, |tx| {
            let Some(id) = user_id(tx, tenant, login)? else {
                return Ok(false);
            };
            let t = tenant.as_str();
            tx.execute(
                "UPDATE users SET password_hash = $3 WHERE tenant_id = $1 AND id = $2",
                &[&t, &id, &password_hash],
            )
            .map_err(be)?;
            tx.execute(
                "DELETE FROM sessions WHERE tenant_id = $1 AND user_id = $2",
                &[&t, &id],
            )
            .map_err(be)?;
            Ok(true)
        })
    }

    fn record_login_failure(
        &self,
        user_id: i64,
        lock_after: u32,
        audit: &AuditEvent,
    ) -> StoreResult<UserRecord> {
        self.transact(None, |tx| {
            let tenant =
                tenant_of_user(tx, user_id)?.ok_or_else(|| StoreError::NotFound("user".into()))?;
            set_tenant(tx, &tenant)?;
            let row = tx
                .query_one(
                    "UPDATE users SET failed_logins = failed_logins + 1,
                                      locked = (locked OR failed_logins + 1 >= $3)
                     WHERE tenant_id = $1 AND id = $2
                     RETURNING id, tenant_id, login, display_name, password_hash, failed_logins,
                               locked, disabled, valid_until",
                    &[
                        &tenant.as_str(),
                        &user_id,
                        &i32::try_from(lock_after).unwrap_or(i32::MAX),
                    ],
                )
                .map_err(be)?;
            let user = with_groups(tx, user_row(&row)?)?;
            append_audit_in(tx, audit)?;
            Ok((user, true))
        })
    }

    fn unlock_user(&self, tenant: &TenantId, login: &str, audit: &AuditEvent) -> StoreResult<bool> {
        self.audited_if(tenant, audit, |tx| {
            let n = tx
                .execute(
                    "UPDATE users SET locked = false, failed_logins = 0 WHERE tenant_id = $1 AND login = $2",
                    &[&tenant.as_str(), &login],
                )
                .map_err(be)?;
            Ok(n == 1)
        })
    }

    fn set_user_valid_until(
        &self,
        tenant: &TenantId,
        login: &str,
        until: Option<NaiveDate>,
        audit: &AuditEvent,
    ) -> StoreResult<bool> {
        self.audited_if(tenant, audit, |tx| {
            let n = tx
                .execute(
                    "UPDATE users SET valid_until = $3 WHERE tenant_id = $1 AND login = $2",
                    &[&tenant.as_str(), &login, &until],
                )
                .map_err(be)?;
            Ok(n == 1)
        })
    }

    fn set_user_disabled(
        &self,
        tenant: &TenantId,
        login: &str,
        disabled: bool,
        audit: &AuditEvent,
    ) -> StoreResult<bool> {
        self.audited_if(tenant, audit, |tx| {
            let t = tenant.as_str();
            let n = tx
                .execute(
                    "UPDATE users SET disabled = $3 WHERE tenant_id = $1 AND login = $2",
                    &[&t, &login, &disabled],
                )
                .map_err(be)?;
            if disabled {
                tx.execute(
                    "DELETE FROM sessions WHERE tenant_id = $1
                       AND user_id IN (SELECT id FROM users WHERE tenant_id = $1 AND login = $2)",
                    &[&t, &login],
                )
                .map_err(be)?;
            }
            Ok(n == 1)
        })
    }

    fn create_session(
        &self,
        token_sha256: &[u8; 32],
        user_id: i64,
        counter: &str,
        terminal: Option<&str>,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
        audit: &AuditEvent,
    ) -> StoreResult<()> {
        self.transact(None, |tx| {
            let tenant =
                tenant_of_user(tx, user_id)?.ok_or_else(|| StoreError::NotFound("user".into()))?;
            set_tenant(tx, &tenant)?;
            let t = tenant.as_str();
            tx.execute(
                "DELETE FROM sessions WHERE tenant_id = $1 AND expires_at <= $2",
                &[&t, &now],
            )
            .map_err(be)?;
            tx.execute(
                "UPDATE users SET failed_logins = 0 WHERE tenant_id = $1 AND id = $2",
                &[&t, &user_id],
            )
            .map_err(be)?;
            tx.execute(
                "INSERT INTO sessions (token_hash, tenant_id, user_id, counter, terminal, created_at,
                                       expires_at, last_seen_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $6)",
                &[
                    &&token_sha256[..],
                    &t,
                    &user_id,
                    &counter,
                    &terminal,
                    &now,
                    &expires_at,
                ],
            )
            .map_err(constraint("session exists"))?;
            append_audit_in(tx, audit)?;
            Ok(((), true))
        })
    }

    fn find_session(
        &self,
        token_sha256: &[u8; 32],
        now: DateTime<Utc>,
    ) -> StoreResult<Option<SessionRecord>> {
        self.transact(None, |tx| {
            let Some(tenant) = tenant_of_session(tx, token_sha256)? else {
                return Ok((None, false));
            };
            set_tenant(tx, &tenant)?;
            let row = tx
                .query_opt(
                    "SELECT s.user_id, u.login, u.display_name, s.counter, s.expires_at,
                            s.last_seen_at,
                            (SELECT k.permissions FROM counters k
                              WHERE k.tenant_id = s.tenant_id AND k.code = s.counter),
                            (SELECT string_agg(g.permissions, ',') FROM user_groups ug
                               JOIN staff_groups g ON g.id = ug.group_id AND g.tenant_id = ug.tenant_id
                              WHERE ug.tenant_id = s.tenant_id AND ug.user_id = u.id),
                            s.terminal
                     FROM sessions s JOIN users u ON u.id = s.user_id AND u.tenant_id = s.tenant_id
                     WHERE s.tenant_id = $1 AND s.token_hash = $2 AND s.expires_at > $3
                       AND NOT u.disabled",
                    &[&tenant.as_str(), &&token_sha256[..], &now],
                )
                .map_err(be)?;
            let Some(r) = row else {
                return Ok((None, false));
            };
            let counter_perms: Option<String> = r.try_get(6).map_err(be)?;
            let group_perms: Option<String> = r.try_get(7).map_err(be)?;
            let session = SessionRecord {
                user_id: r.try_get(0).map_err(be)?,
                tenant,
                login: r.try_get(1).map_err(be)?,
                display_name: r.try_get(2).map_err(be)?,
                counter: r.try_get(3).map_err(be)?,
                expires_at: r.try_get(4).map_err(be)?,
                last_seen_at: r.try_get(5).map_err(be)?,
                group_permissions: perms(group_perms.as_deref().unwrap_or_default()),
                counter_permissions: perms(counter_perms.as_deref().unwrap_or_default()),
                terminal: r.try_get(8).map_err(be)?,
            };
            Ok((Some(session), false))
        })
    }

    fn touch_session(&self, token_sha256: &[u8; 32], now: DateTime<Utc>) -> StoreResult<()> {
        self.transact(None, |tx| {
            let Some(tenant) = tenant_of_session(tx, token_sha256)? else {
                return Ok(((), false));
            };
            set_tenant(tx, &tenant)?;
            tx.execute(
                "UPDATE sessions SET last_seen_at = $3 WHERE tenant_id = $1 AND token_hash = $2",
                &[&tenant.as_str(), &&token_sha256[..], &now],
            )
            .map_err(be)?;
            Ok(((), true))
        })
    }

    fn delete_session(&self, token_sha256: &[u8; 32], audit: &AuditEvent) -> StoreResult<()> {
        self.transact(None, |tx| {
            if let Some(tenant) = tenant_of_session(tx, token_sha256)? {
                set_tenant(tx, &tenant)?;
                tx.execute(
                    "DELETE FROM sessions WHERE tenant_id = $1 AND token_hash = $2",
                    &[&tenant.as_str(), &&token_sha256[..]],
                )
                .map_err(be)?;
            }
            append_audit_in(tx, audit)?;
            Ok(((), true))
        })
    }

    fn add_form_template(
        &self,
        tenant: &TenantId,
        template_id: &str,
        version: &str,
        source: &str,
        audit: &AuditEvent,
    ) -> StoreResult<()> {
        self.audited(tenant, audit, |tx| {
            tx.execute(
                "INSERT INTO form_templates (tenant_id, template_id, version, source)
                 VALUES ($1, $2, $3, $4)",
                &[&tenant.as_str(), &template_id, &version, &source],
            )
            .map_err(constraint("template version exists or tenant missing"))?;
            Ok(())
        })
    }

    fn form_templates(&self, tenant: &TenantId) -> StoreResult<Vec<String>> {
        self.with_tenant(tenant, |tx| {
            tx.query(
                "SELECT source FROM form_templates WHERE tenant_id = $1 ORDER BY id",
                &[&tenant.as_str()],
            )
            .map_err(be)?
            .iter()
            .map(|r| r.try_get(0).map_err(be))
            .collect()
        })
    }

    fn put_tenant_setting(
        &self,
        tenant: &TenantId,
        key: &str,
        value: &str,
        audit: &AuditEvent,
    ) -> StoreResult<()> {
        self.audited(tenant, audit, |tx| {
            tx.execute(
                "INSERT INTO tenant_settings (tenant_id, key, value) VALUES ($1, $2, $3)
                 ON CONFLICT (tenant_id, key) DO UPDATE SET value = excluded.value, updated_at = now()",
                &[&tenant.as_str(), &key, &value],
            )
            .map_err(constraint("tenant missing"))?;
            Ok(())
        })
    }

    fn tenant_setting(&self, tenant: &TenantId, key: &str) -> StoreResult<Option<String>> {
        self.with_tenant(tenant, |tx| {
            Ok(tx
                .query_opt(
                    "SELECT value FROM tenant_settings WHERE tenant_id = $1 AND key = $2",
                    &[&tenant.as_str(), &key],
                )
                .map_err(be)?
                .map(|r| r.get(0)))
        })
    }

    fn save_case(
        &self,
        tenant: &TenantId,
        write: &CaseWrite,
        audit: &AuditEvent,
    ) -> StoreResult<CaseSaved> {
        self.transact(Some(tenant), |tx| {
            let saved = cases::save(tx, tenant, write)?;
            if let CaseSaved::Applied(_) = saved {
                append_audit_in(tx, audit)?;
                return Ok((saved, true));
            }
            Ok((saved, false))
        })
    }

    fn get_case(
        &self,
        tenant: &TenantId,
        case_id: &str,
    ) -> StoreResult<Option<(CaseRecord, Vec<CaseEntry>)>> {
        self.with_tenant(tenant, |tx| cases::get(tx, tenant, case_id))
    }

    fn find_cases(&self, tenant: &TenantId, filter: &CaseFilter) -> StoreResult<Vec<CaseRecord>> {
        self.with_tenant(tenant, |tx| cases::find(tx, tenant, filter))
    }

    fn put_incoming_move(
        &self,
        tenant: &TenantId,
        notice: &IncomingMove,
        audit: &AuditEvent,
    ) -> StoreResult<()> {
        self.audited(tenant, audit, |tx| cases::put_incoming(tx, tenant, notice))
    }

    fn search_incoming_moves(
        &self,
        tenant: &TenantId,
        key: &str,
        limit: usize,
    ) -> StoreResult<Vec<IncomingMove>> {
        self.with_tenant(tenant, |tx| cases::search_incoming(tx, tenant, key, limit))
    }

    fn towns(&self, tenant: &TenantId) -> StoreResult<Vec<Town>> {
        self.with_tenant(tenant, |tx| cases::towns(tx, tenant))
    }

    fn import_support_measures(
        &self,
        tenant: &TenantId,
        meta: &ImportMeta,
        records: &[SupportMeasureRecord],
    ) -> StoreResult<ImportApplied> {
        self.transact(Some(tenant), |tx| {
            let a = feeds::ledgered(tx, tenant, meta, |tx| {
                feeds::put_support_measures(tx, tenant, meta.mode, records)
            })?;
            let commit = matches!(a, ImportApplied::Committed(_));
            Ok((a, commit))
        })
    }

    fn import_eligibilities(
        &self,
        tenant: &TenantId,
        meta: &ImportMeta,
        changes: &[EligibilityChange],
    ) -> StoreResult<ImportApplied> {
        self.transact(Some(tenant), |tx| {
            let a = feeds::ledgered(tx, tenant, meta, |tx| {
                feeds::put_eligibilities(tx, tenant, meta.mode, changes)
            })?;
            let commit = matches!(a, ImportApplied::Committed(_));
            Ok((a, commit))
        })
    }

    fn eligibilities(
        &self,
        tenant: &TenantId,
        atena_nos: &[AtenaNo],
    ) -> StoreResult<Vec<EligibilityRecord>> {
        if atena_nos.is_empty() {
            return Ok(Vec::new());
        }
        self.with_tenant(tenant, |tx| feeds::eligibilities(tx, tenant, atena_nos))
    }

    fn record_linkage_file(&self, tenant: &TenantId, file: &LinkageFile) -> StoreResult<()> {
        self.with_tenant(tenant, |tx| feeds::record_linkage_file(tx, tenant, file))
    }

    fn linkage_files(
        &self,
        tenant: &TenantId,
        feed: Option<&str>,
        limit: usize,
    ) -> StoreResult<Vec<LinkageFile>> {
        self.with_tenant(tenant, |tx| feeds::linkage_files(tx, tenant, feed, limit))
    }

    fn outbound_candidates(
        &self,
        tenant: &TenantId,
        kind: &str,
        statuses: &[&str],
        limit: usize,
    ) -> StoreResult<Vec<CaseRecord>> {
        self.with_tenant(tenant, |tx| {
            cases::outbound_candidates(tx, tenant, kind, statuses, limit)
        })
    }

    fn add_outbound_batch(
        &self,
        tenant: &TenantId,
        batch: &OutboundBatch,
        audit: &AuditEvent,
    ) -> StoreResult<i64> {
        self.audited(tenant, audit, |tx| {
            feeds::add_outbound_batch(tx, tenant, batch)
        })
    }

    fn mark_outbound_delivered(
        &self,
        tenant: &TenantId,
        kind: &str,
        batch_no: i64,
        at: DateTime<Utc>,
    ) -> StoreResult<bool> {
        self.with_tenant(tenant, |tx| {
            feeds::mark_outbound_delivered(tx, tenant, kind, batch_no, at)
        })
    }

    fn outbound_batches(
        &self,
        tenant: &TenantId,
        kind: Option<&str>,
        undelivered_only: bool,
        limit: usize,
    ) -> StoreResult<Vec<OutboundBatch>> {
        self.with_tenant(tenant, |tx| {
            feeds::outbound_batches(tx, tenant, kind, undelivered_only, limit)
        })
    }

    fn for_each_resident(
        &self,
        tenant: &TenantId,
        each: &mut dyn FnMut(Resident) -> StoreResult<()>,
    ) -> StoreResult<u64> {
        self.with_tenant(tenant, |tx| rows::for_each(tx, tenant, each))
    }

    fn all_support_measures(&self, tenant: &TenantId) -> StoreResult<Vec<SupportMeasureRecord>> {
        self.with_tenant(tenant, |tx| feeds::all_support_measures(tx, tenant))
    }

    fn all_eligibilities(&self, tenant: &TenantId) -> StoreResult<Vec<EligibilityRecord>> {
        self.with_tenant(tenant, |tx| feeds::all_eligibilities(tx, tenant))
    }

    fn case_ids(&self, tenant: &TenantId) -> StoreResult<Vec<String>> {
        self.with_tenant(tenant, |tx| cases::case_ids(tx, tenant))
    }

    fn tenant_settings(&self, tenant: &TenantId) -> StoreResult<Vec<(String, String)>> {
        self.with_tenant(tenant, |tx| feeds::tenant_settings(tx, tenant))
    }

    fn incoming_moves(&self, tenant: &TenantId) -> StoreResult<Vec<IncomingMove>> {
        self.with_tenant(tenant, |tx| cases::all_incoming(tx, tenant))
    }

    fn restore_case(
        &self,
        tenant: &TenantId,
        case: &CaseRecord,
        history: &[CaseEntry],
        subjects: &[String],
        procedures: &[String],
        audit: &AuditEvent,
    ) -> StoreResult<()> {
        self.audited(tenant, audit, |tx| {
            cases::restore(tx, tenant, case, history, subjects, procedures)
        })
    }

    fn delete_tenant(
        &self,
        tenant: &TenantId,
        audit: &AuditEvent,
    ) -> StoreResult<Vec<(String, u64)>> {
        self.audited(tenant, audit, |tx| feeds::delete_tenant(tx, tenant))
    }

    fn append_audit(&self, event: &AuditEvent) -> StoreResult<i64> {
        self.transact(None, |tx| Ok((append_audit_in(tx, event)?, true)))
    }

    fn append_read_audit(&self, event: &AuditEvent) -> StoreResult<()> {
        self.transact(None, |tx| {
            // In the chain at once; durable within the WAL writer's delay rather than before return.
            tx.batch_execute("SET LOCAL synchronous_commit = off")
                .map_err(be)?;
            append_audit_in(tx, event)?;
            Ok(((), true))
        })
    }

    fn purge_audit_before(&self, before: DateTime<Utc>) -> StoreResult<u64> {
        // As the owner, through the function migration 3 defines (the application role may not delete).
        self.transact(None, |tx| {
            let n: i64 = tx
                .query_one("SELECT audit_purge_before($1)", &[&before])
                .map_err(be)?
                .get(0);
            Ok((n as u64, true))
        })
    }

    fn verify_audit(&self) -> StoreResult<AuditCheck> {
        let mut conn = self.pool.get()?;
        // One snapshot for the head and the records: an append during the check is not half-seen.
        let mut tx = conn
            .build_transaction()
            .isolation_level(IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .map_err(be)?;
        let head = tx
            .query_opt(
                "SELECT last_id, last_hash, base_id, base_hash FROM audit_head WHERE singleton",
                &[],
            )
            .map_err(be)?;
        let (head, base) = match head {
            Some(h) => (
                Some((
                    h.try_get(0).map_err(be)?,
                    hash32(h.try_get(1).map_err(be)?)?,
                )),
                (
                    h.try_get(2).map_err(be)?,
                    hash32(h.try_get(3).map_err(be)?)?,
                ),
            ),
            None => (None, (0, GENESIS)),
        };
        let mut records = Vec::new();
        let mut it = tx
            .query_raw(
                &format!("{AUDIT_SELECT} ORDER BY id"),
                std::iter::empty::<&str>(),
            )
            .map_err(be)?;
        while let Some(row) = it.next().map_err(be)? {
            records.push(audit_row(&row)?);
        }
        drop(it);
        tx.commit().map_err(be)?;
        Ok(verify_chain(records, base, head))
    }

    fn audit_state(&self, ids: &[i64]) -> StoreResult<madoguchi_store::AuditState> {
        let mut conn = self.pool.get()?;
        let mut tx = conn
            .build_transaction()
            .isolation_level(IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .map_err(be)?;
        let base = match tx
            .query_opt(
                "SELECT base_id, base_hash FROM audit_head WHERE singleton",
                &[],
            )
            .map_err(be)?
        {
            Some(h) => (
                h.try_get(0).map_err(be)?,
                hash32(h.try_get(1).map_err(be)?)?,
            ),
            None => (0, GENESIS),
        };
        let head = match tx
            .query_opt(
                "SELECT id, hash, at FROM audit_log ORDER BY id DESC LIMIT 1",
                &[],
            )
            .map_err(be)?
        {
            Some(r) => Some((
                r.try_get(0).map_err(be)?,
                hash32(r.try_get(1).map_err(be)?)?,
                r.try_get(2).map_err(be)?,
            )),
            None => None,
        };
        let mut hashes = std::collections::BTreeMap::new();
        for r in tx
            .query("SELECT id, hash FROM audit_log WHERE id = ANY($1)", &[&ids])
            .map_err(be)?
        {
            hashes.insert(
                r.try_get(0).map_err(be)?,
                hash32(r.try_get(1).map_err(be)?)?,
            );
        }
        tx.commit().map_err(be)?;
        Ok(madoguchi_store::AuditState { base, head, hashes })
    }

    fn audit_records(
        &self,
        tenant: &TenantId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<AuditRecord>> {
        self.transact(None, |tx| {
            let records = tx
                .query(
                    &format!(
                        "{AUDIT_SELECT} WHERE tenant_id = $1 AND at >= $2 AND at < $3 ORDER BY id"
                    ),
                    &[&tenant.as_str(), &from, &to],
                )
                .map_err(be)?
                .iter()
                .map(audit_row)
                .collect::<StoreResult<Vec<_>>>()?;
            Ok((records, false))
        })
    }
}
