//! Staff accounts, groups, counters, enrolled terminals and sessions as stored.

use chrono::{DateTime, NaiveDate, Utc};
use madoguchi_core::permission::PermissionSet;

use crate::tenant::TenantId;

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
    /// Set by an administrator's password reset (and an initial password): the user must choose a new
    /// password before doing anything else; cleared when they do.
    pub must_change_password: bool,
    /// Increases with every change an administrator can see (optimistic concurrency of the admin
    /// screen: an edit names the revision it read).
    pub revision: i64,
}

/// An administrator's edit of an account (the admin screen), applied as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserEdit {
    pub display_name: String,
    /// Group codes; each must exist in the tenant.
    pub groups: Vec<String>,
    pub valid_until: Option<NaiveDate>,
    pub disabled: bool,
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
    /// The password is an initial one, to be changed at the first login (when a hash is given).
    pub must_change_password: bool,
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
    /// The user must change their password before anything else (see [`UserRecord`]).
    pub must_change_password: bool,
}

impl SessionRecord {
    /// What the user may do at this counter now.
    pub fn permissions(&self) -> PermissionSet {
        self.group_permissions
            .intersection(self.counter_permissions)
    }
}
