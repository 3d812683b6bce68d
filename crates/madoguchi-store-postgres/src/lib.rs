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
//! The tests and the benchmark run on a private PostgreSQL server in a temporary directory,
//! `madoguchi_testkit::throwaway::Cluster` (test support, not part of this crate).

mod arrivals;
mod cards;
mod case_period;
mod case_summary;
mod cases;
mod certificate_handover;
mod certificates;
mod feeds;
pub mod grams;
mod migrate;
pub mod pool;
mod pre_applications;
mod roles;
mod rows;
mod sql;
mod tax;
mod terminals;

use std::collections::HashSet;

use chrono::{DateTime, NaiveDate, Utc};
use madoguchi_core::ids::AtenaNo;
use madoguchi_core::resident::Resident;
use madoguchi_store::audit::{GENESIS, chain_hash, verify_chain};
use madoguchi_store::{
    AuditCheck, AuditEvent, AuditRecord, CardSerial, CardSerialChange, CaseEntry, CaseFilter,
    CaseRecord, CaseSaved, CaseWrite, CounterRecord, GroupRecord, ImportApplied, ImportDecision,
    ImportMeta, ImportMode, IncomingMove, LinkageFile, NewUser, OutboundBatch, Permission,
    PermissionSet, QualificationChange, QualificationRecord, ResidentQuery, ResidentSink,
    SealRegistration, SealRegistrationChange, SessionRecord, StoreError, StoreResult,
    SupportMeasureRecord, TenantId, TerminalRecord, Town, UpsertCounts, UserRecord,
};
use postgres::fallible_iterator::FallibleIterator;
use postgres::{IsolationLevel, Row, Transaction};

pub use migrate::{MIGRATIONS, digest as migration_digest};
use pool::{Pool, Target};
use sql::{be, constraint};

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
    locked, disabled, valid_until, must_change_password, revision FROM users";

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
        must_change_password: r.try_get(9).map_err(be)?,
        revision: r.try_get(10).map_err(be)?,
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
            "INSERT INTO users (tenant_id, login, display_name, password_hash, valid_until,
                                must_change_password)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            &[
                &tenant.as_str(),
                &user.login,
                &user.display_name,
                hash,
                &user.valid_until,
                &user.must_change_password,
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
