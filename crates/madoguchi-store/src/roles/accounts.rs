//! Groups, counters, terminals and staff accounts.

use chrono::NaiveDate;

use crate::{
    AuditEvent, CounterRecord, GroupRecord, NewUser, StoreResult, TenantId, TerminalRecord,
    UpsertCounts, UserEdit, UserRecord,
};

/// Groups, counters, terminals and staff accounts. Every change takes the audit event that records it and appends it in the same transaction: either both happen or neither.
pub trait AccountStore {
    /// Creates or replaces a group (by code).
    fn put_group(
        &self,
        tenant: &TenantId,
        group: &GroupRecord,
        audit: &AuditEvent,
    ) -> StoreResult<()>;
    fn list_groups(&self, tenant: &TenantId) -> StoreResult<Vec<GroupRecord>>;
    /// Creates or replaces a counter (by code).
    fn put_counter(
        &self,
        tenant: &TenantId,
        counter: &CounterRecord,
        audit: &AuditEvent,
    ) -> StoreResult<()>;
    fn list_counters(&self, tenant: &TenantId) -> StoreResult<Vec<CounterRecord>>;
    fn find_counter(&self, tenant: &TenantId, code: &str) -> StoreResult<Option<CounterRecord>>;
    /// Registers a terminal or replaces its key, name and counters (by id); `NotFound` when a counter
    /// does not exist.
    fn put_terminal(
        &self,
        tenant: &TenantId,
        terminal: &TerminalRecord,
        audit: &AuditEvent,
    ) -> StoreResult<()>;
    fn find_terminal(&self, tenant: &TenantId, id: &str) -> StoreResult<Option<TerminalRecord>>;
    fn list_terminals(&self, tenant: &TenantId) -> StoreResult<Vec<TerminalRecord>>;
    /// Removes a terminal's enrollment; `false` if there was none. Its open sessions end with it.
    fn remove_terminal(&self, tenant: &TenantId, id: &str, audit: &AuditEvent)
    -> StoreResult<bool>;
    /// Creates a user; `Conflict` if the login exists in the tenant, `NotFound` for an unknown group,
    /// `Conflict` without a password hash.
    fn create_user(
        &self,
        tenant: &TenantId,
        user: &NewUser,
        audit: &AuditEvent,
    ) -> StoreResult<i64>;
    /// Creates or updates many accounts in one transaction (all or nothing), appending `audit[i]` for
    /// `users[i]`. An existing account keeps its password when `password_hash` is `None` and gets
    /// exactly the listed groups.
    fn upsert_users(
        &self,
        tenant: &TenantId,
        users: &[NewUser],
        audit: &[AuditEvent],
    ) -> StoreResult<UpsertCounts>;
    fn find_user(&self, tenant: &TenantId, login: &str) -> StoreResult<Option<UserRecord>>;
    fn list_users(&self, tenant: &TenantId) -> StoreResult<Vec<UserRecord>>;
    /// Replaces a user's groups; `false` if no such user (nothing is written then).
    fn set_user_groups(
        &self,
        tenant: &TenantId,
        login: &str,
        groups: &[String],
        audit: &AuditEvent,
    ) -> StoreResult<bool>;
    /// Replaces a user's password hash (the user's own choice: no change is required any more) and ends
    /// their sessions; `false` if no such user.
    fn set_password(
        &self,
        tenant: &TenantId,
        login: &str,
        password_hash: &str,
        audit: &AuditEvent,
    ) -> StoreResult<bool>;
    /// Counts a failed login; locks the account when the count reaches `lock_after`. Returns the user
    /// as it is afterwards.
    fn record_login_failure(
        &self,
        user_id: i64,
        lock_after: u32,
        audit: &AuditEvent,
    ) -> StoreResult<UserRecord>;
    /// Unlocks and resets the failure count; `false` if no such user.
    fn unlock_user(&self, tenant: &TenantId, login: &str, audit: &AuditEvent) -> StoreResult<bool>;
    /// Sets or clears the last day an account may log in; `false` if no such user.
    fn set_user_valid_until(
        &self,
        tenant: &TenantId,
        login: &str,
        until: Option<NaiveDate>,
        audit: &AuditEvent,
    ) -> StoreResult<bool>;
    /// Disables (or re-enables) an account and ends its sessions; `false` if no such user.
    fn set_user_disabled(
        &self,
        tenant: &TenantId,
        login: &str,
        disabled: bool,
        audit: &AuditEvent,
    ) -> StoreResult<bool>;
    /// Applies an administrator's edit if the account is still at `expected_revision`: `false` if no
    /// such user, `Conflict` if someone changed it since (nothing is written then). Disabling ends the
    /// account's sessions.
    fn edit_user(
        &self,
        tenant: &TenantId,
        login: &str,
        edit: &UserEdit,
        expected_revision: i64,
        audit: &AuditEvent,
    ) -> StoreResult<bool>;
    /// An administrator's password reset: the new (temporary) hash, to be changed at the next login;
    /// unlocks the account and ends its sessions. `false` if no such user.
    fn reset_password(
        &self,
        tenant: &TenantId,
        login: &str,
        password_hash: &str,
        audit: &AuditEvent,
    ) -> StoreResult<bool>;
}
