//! Staff accounts, groups and counters as the admin screen changes them: the rules the store does not
//! know — nobody locks the tenant out of its own administration, a reset password is temporary — over
//! the store's [`AccountStore`](madoguchi_store::AccountStore) role. Every change is audited by the
//! store in the same transaction.
//!
//! The "last administrator" rule is checked on the accounts, groups and counters as read just before
//! the write: two administrators removing each other at the very same moment could still both
//! succeed (the store has no tenant-wide lock); the CLI (`madoguchi-server user …`) remains the way
//! back in.

use chrono::NaiveDate;
use madoguchi_core::permission::{Permission, PermissionSet};
use madoguchi_store::{
    AuditEvent, CounterRecord, GroupRecord, NewUser, Store, StoreError, TenantId, UserEdit,
    UserRecord,
};

/// Why an administrator's change was not made (Japanese messages for the screen).
#[derive(Debug)]
pub enum AccountError {
    NotFound,
    /// Someone changed the account since the screen read it.
    Stale,
    /// The change would leave nobody able to administer the tenant.
    LastAdmin,
    /// The login exists already.
    Exists,
    /// A group or counter with this code exists already (a screen creating a new one).
    CodeExists,
    Invalid {
        code: &'static str,
        message: String,
    },
    Store(StoreError),
}

impl From<StoreError> for AccountError {
    fn from(e: StoreError) -> Self {
        AccountError::Store(e)
    }
}

fn invalid(code: &'static str, message: impl Into<String>) -> AccountError {
    AccountError::Invalid {
        code,
        message: message.into(),
    }
}

/// Whether someone can still administer the tenant: an enabled, unlocked, unexpired account in a
/// group with `admin`, and a counter allowing `admin` to log in at.
pub fn admins_remain(
    users: &[UserRecord],
    groups: &[GroupRecord],
    counters: &[CounterRecord],
    today: NaiveDate,
) -> bool {
    let admin_groups: Vec<&str> = groups
        .iter()
        .filter(|g| g.permissions.contains(Permission::Admin))
        .map(|g| g.code.as_str())
        .collect();
    let counter = counters
        .iter()
        .any(|c| c.permissions.contains(Permission::Admin));
    let user = users.iter().any(|u| {
        !u.disabled
            && !u.locked
            && u.valid_until.is_none_or(|d| d >= today)
            && u.groups.iter().any(|g| admin_groups.contains(&g.as_str()))
    });
    counter && user
}

/// The tenant's accounts, groups and counters, to check a change against.
struct Tenant {
    users: Vec<UserRecord>,
    groups: Vec<GroupRecord>,
    counters: Vec<CounterRecord>,
}

impl Tenant {
    fn read(store: &dyn Store, tenant: &TenantId) -> Result<Tenant, StoreError> {
        Ok(Tenant {
            users: store.list_users(tenant)?,
            groups: store.list_groups(tenant)?,
            counters: store.list_counters(tenant)?,
        })
    }

    /// Refuses a change that takes the tenant from "administrable" to "not".
    fn keeps_an_admin(&self, after: &Tenant, today: NaiveDate) -> Result<(), AccountError> {
        let before = admins_remain(&self.users, &self.groups, &self.counters, today);
        if before && !admins_remain(&after.users, &after.groups, &after.counters, today) {
            return Err(AccountError::LastAdmin);
        }
        Ok(())
    }

    fn with_user(&self, login: &str, edit: &UserEdit) -> Tenant {
        let mut users = self.users.clone();
        if let Some(u) = users.iter_mut().find(|u| u.login == login) {
            u.disabled = edit.disabled;
            u.valid_until = edit.valid_until;
            u.groups = edit.groups.clone();
        }
        Tenant {
            users,
            groups: self.groups.clone(),
            counters: self.counters.clone(),
        }
    }

    fn with_group(&self, group: &GroupRecord) -> Tenant {
        let mut groups: Vec<GroupRecord> = self
            .groups
            .iter()
            .filter(|g| g.code != group.code)
            .cloned()
            .collect();
        groups.push(group.clone());
        Tenant {
            users: self.users.clone(),
            groups,
            counters: self.counters.clone(),
        }
    }

    fn with_counter(&self, counter: &CounterRecord) -> Tenant {
        let mut counters: Vec<CounterRecord> = self
            .counters
            .iter()
            .filter(|c| c.code != counter.code)
            .cloned()
            .collect();
        counters.push(counter.clone());
        Tenant {
            users: self.users.clone(),
            groups: self.groups.clone(),
            counters,
        }
    }
}

/// Checks a display name (1–100 characters) and the groups (each must exist).
fn check_fields(
    display_name: &str,
    groups: &[String],
    known: &[GroupRecord],
) -> Result<(), AccountError> {
    let n = display_name.trim().chars().count();
    if n == 0 || n > 100 {
        return Err(invalid(
            "invalid_display_name",
            "氏名を100文字以内で入力してください。",
        ));
    }
    if let Some(g) = groups.iter().find(|g| !known.iter().any(|k| &k.code == *g)) {
        return Err(invalid(
            "unknown_group",
            format!("グループ「{g}」は登録されていません。"),
        ));
    }
    Ok(())
}

/// A new account from the admin screen, with a temporary password to change at the first login.
pub struct NewAccount {
    pub login: String,
    pub display_name: String,
    pub groups: Vec<String>,
    pub valid_until: Option<NaiveDate>,
}

/// Creates the account; returns its temporary password (shown once to the administrator).
pub fn create(
    store: &dyn Store,
    tenant: &TenantId,
    account: NewAccount,
    event: &AuditEvent,
) -> Result<String, AccountError> {
    crate::auth::check_login(&account.login).map_err(|m| invalid("invalid_login", m))?;
    check_fields(
        &account.display_name,
        &account.groups,
        &store.list_groups(tenant)?,
    )?;
    if store.find_user(tenant, &account.login)?.is_some() {
        return Err(AccountError::Exists);
    }
    let password = temporary_password(&account.login);
    let hash =
        crate::auth::hash_password(&password).map_err(|e| StoreError::Backend(e.to_string()))?;
    let user = NewUser {
        login: account.login,
        display_name: account.display_name.trim().to_owned(),
        password_hash: Some(hash),
        groups: account.groups,
        valid_until: account.valid_until,
        must_change_password: true,
    };
    match store.create_user(tenant, &user, event) {
        Err(StoreError::Conflict(_)) => Err(AccountError::Exists),
        other => other.map(|_| password).map_err(AccountError::from),
    }
}

/// Applies an edit made on the revision the screen read; returns the account as it is now.
pub fn edit(
    store: &dyn Store,
    tenant: &TenantId,
    login: &str,
    edit: &UserEdit,
    revision: i64,
    today: NaiveDate,
    event: &AuditEvent,
) -> Result<UserRecord, AccountError> {
    let now = Tenant::read(store, tenant)?;
    let Some(current) = now.users.iter().find(|u| u.login == login) else {
        return Err(AccountError::NotFound);
    };
    if current.revision != revision {
        return Err(AccountError::Stale);
    }
    check_fields(&edit.display_name, &edit.groups, &now.groups)?;
    now.keeps_an_admin(&now.with_user(login, edit), today)?;
    let edit = UserEdit {
        display_name: edit.display_name.trim().to_owned(),
        ..edit.clone()
    };
    match store.edit_user(tenant, login, &edit, revision, event) {
        Ok(true) => {}
        Ok(false) => return Err(AccountError::NotFound),
        Err(StoreError::Conflict(_)) => return Err(AccountError::Stale),
        Err(e) => return Err(e.into()),
    }
    store
        .find_user(tenant, login)?
        .ok_or(AccountError::NotFound)
}

/// Resets a password to a temporary one (returned, shown once), to be changed at the next login.
pub fn reset_password(
    store: &dyn Store,
    tenant: &TenantId,
    login: &str,
    event: &AuditEvent,
) -> Result<String, AccountError> {
    let password = temporary_password(login);
    let hash =
        crate::auth::hash_password(&password).map_err(|e| StoreError::Backend(e.to_string()))?;
    if store.reset_password(tenant, login, &hash, event)? {
        Ok(password)
    } else {
        Err(AccountError::NotFound)
    }
}

/// How a staff CSV upload ended: written, or refused as a whole with every problem found.
pub enum StaffUpload {
    Written(madoguchi_store::UpsertCounts),
    Refused(Vec<crate::staff_import::StaffProblem>),
}

/// Imports the staff CSV (`docs/staff-csv.md`) all or nothing, refusing a file that would leave
/// nobody able to administer (a row taking the last administrator's group away).
pub fn import_staff(
    store: &dyn Store,
    tenant: &TenantId,
    bytes: &[u8],
    encoding: crate::import::CsvEncoding,
    today: NaiveDate,
    actor: &AuditEvent,
) -> Result<StaffUpload, AccountError> {
    let users = match crate::staff_import::parse(store, tenant, bytes, encoding) {
        Ok(users) => users,
        Err(problems) => return Ok(StaffUpload::Refused(problems)),
    };
    let now = Tenant::read(store, tenant)?;
    let mut after = Tenant {
        users: now.users.clone(),
        groups: now.groups.clone(),
        counters: now.counters.clone(),
    };
    for new in &users {
        let edit = UserEdit {
            display_name: new.display_name.clone(),
            groups: new.groups.clone(),
            valid_until: new.valid_until,
            disabled: false,
        };
        // A new account never removes an administrator; an existing one keeps its disabled state.
        if let Some(current) = after.users.iter().find(|u| u.login == new.login) {
            let disabled = current.disabled;
            after = after.with_user(&new.login, &UserEdit { disabled, ..edit });
        }
    }
    now.keeps_an_admin(&after, today)?;
    Ok(
        match crate::staff_import::write(store, tenant, &users, actor) {
            Ok(counts) => StaffUpload::Written(counts),
            Err(problems) => StaffUpload::Refused(problems),
        },
    )
}

/// The tenant's accounts as a staff CSV (the import's layout, `docs/staff-csv.md`; no passwords), cells
/// neutralised against spreadsheet formulas. UTF-8 with a byte-order mark, for Excel.
pub fn staff_csv(users: &[UserRecord]) -> String {
    use crate::csv_text::cell;
    let mut out = String::from("\u{feff}ユーザーID,氏名,グループ,有効期限,初期パスワード\r\n");
    for u in users {
        let until = u.valid_until.map(|d| d.to_string()).unwrap_or_default();
        out.push_str(&format!(
            "{},{},{},{},\r\n",
            cell(&u.login),
            cell(&u.display_name),
            cell(&u.groups.join(";")),
            cell(&until),
        ));
    }
    out
}

/// Group and counter codes: what a login form and a CSV can carry safely.
pub fn check_code(code: &str) -> Result<(), String> {
    if code.is_empty()
        || code.chars().count() > 50
        || code.contains([',', ';', '、', '/'])
        || code.chars().any(|c| c.is_control() || c.is_whitespace())
    {
        return Err(
            "コードは50文字以内で、空白・カンマ・セミコロン・読点・スラッシュを含めずに指定してください。"
                .into(),
        );
    }
    Ok(())
}

fn check_name(name: &str) -> Result<(), AccountError> {
    let n = name.trim().chars().count();
    if n == 0 || n > 100 {
        return Err(invalid(
            "invalid_name",
            "名称を100文字以内で入力してください。",
        ));
    }
    Ok(())
}

/// Creates or replaces a group.
pub fn put_group(
    store: &dyn Store,
    tenant: &TenantId,
    group: &GroupRecord,
    expected: Expected<'_>,
    today: NaiveDate,
    event: &AuditEvent,
) -> Result<(), AccountError> {
    check_code(&group.code).map_err(|m| invalid("invalid_code", m))?;
    check_name(&group.name)?;
    let now = Tenant::read(store, tenant)?;
    let current = now.groups.iter().find(|g| g.code == group.code);
    expected.holds(current.map(group_revision))?;
    now.keeps_an_admin(&now.with_group(group), today)?;
    Ok(store.put_group(tenant, group, event)?)
}

/// Creates or replaces a counter.
pub fn put_counter(
    store: &dyn Store,
    tenant: &TenantId,
    counter: &CounterRecord,
    expected: Expected<'_>,
    today: NaiveDate,
    event: &AuditEvent,
) -> Result<(), AccountError> {
    check_code(&counter.code).map_err(|m| invalid("invalid_code", m))?;
    check_name(&counter.name)?;
    let now = Tenant::read(store, tenant)?;
    let current = now.counters.iter().find(|c| c.code == counter.code);
    expected.holds(current.map(counter_revision))?;
    now.keeps_an_admin(&now.with_counter(counter), today)?;
    Ok(store.put_counter(tenant, counter, event)?)
}

/// What a save of a group or counter expects to find: anything (create or replace, for API clients),
/// nothing (a screen creating a new one), or the revision its screen read. The check and the write are
/// two store calls (as in `city_settings`): it guards against a screen left open over another's save.
#[derive(Debug, Clone, Copy)]
pub enum Expected<'a> {
    Anything,
    Nothing,
    Revision(&'a str),
}

impl Expected<'_> {
    /// From the request's `revision`: absent, empty (new) or the revision read.
    pub fn from_request(revision: Option<&str>) -> Expected<'_> {
        match revision {
            None => Expected::Anything,
            Some("") => Expected::Nothing,
            Some(r) => Expected::Revision(r),
        }
    }

    fn holds(self, current: Option<String>) -> Result<(), AccountError> {
        match (self, current) {
            (Expected::Nothing, Some(_)) => Err(AccountError::CodeExists),
            (Expected::Revision(_), None) => Err(AccountError::Stale),
            (Expected::Revision(r), Some(c)) if r != c => Err(AccountError::Stale),
            _ => Ok(()),
        }
    }
}

/// A group's revision: a digest of what the screen shows and saves.
pub fn group_revision(g: &GroupRecord) -> String {
    crate::city_settings::revision(Some(&format!("{}\n{}", g.name, g.permissions.to_codes())))
}

/// A counter's revision.
pub fn counter_revision(c: &CounterRecord) -> String {
    crate::city_settings::revision(Some(&format!(
        "{}\n{}\n{}",
        c.name,
        c.permissions.to_codes(),
        c.browser_allowed
    )))
}

/// Permissions from their codes; an unknown code is an error naming it.
pub fn permissions(codes: &[String]) -> Result<PermissionSet, AccountError> {
    codes
        .iter()
        .map(|c| {
            Permission::from_code(c)
                .ok_or_else(|| invalid("unknown_permission", format!("権限「{c}」はありません。")))
        })
        .collect()
}

/// Letters without look-alikes (no i, l, o) and digits without 0 and 1.
const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";

/// A random temporary password the administrator reads out or hands over: four groups of four
/// (`k7pq-…`), about 79 bits, meeting the password policy for `login`.
pub fn temporary_password(login: &str) -> String {
    use ring::rand::SecureRandom;
    let rng = ring::rand::SystemRandom::new();
    loop {
        let mut bytes = [0u8; 16];
        rng.fill(&mut bytes).expect("the system's random source");
        let mut password = String::with_capacity(19);
        for (i, b) in bytes.iter().enumerate() {
            if i > 0 && i % 4 == 0 {
                password.push('-');
            }
            // 248 = 8 × 31: rejection-free only for the multiples; the rest re-draws.
            if *b >= 248 {
                password.clear();
                break;
            }
            password.push(char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]));
        }
        if password.len() == 19 && madoguchi_core::password::check(login, &password).is_ok() {
            return password;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(login: &str, groups: &[&str]) -> UserRecord {
        UserRecord {
            id: 1,
            tenant: TenantId("t".into()),
            login: login.into(),
            display_name: login.into(),
            password_hash: String::new(),
            failed_logins: 0,
            locked: false,
            disabled: false,
            valid_until: None,
            groups: groups.iter().map(|g| (*g).into()).collect(),
            must_change_password: false,
            revision: 1,
        }
    }

    fn set(codes: &[Permission]) -> PermissionSet {
        codes.iter().copied().collect()
    }

    fn tenant() -> Tenant {
        Tenant {
            users: vec![user("admin", &["kanri"]), user("tanaka", &["shimin"])],
            groups: vec![
                GroupRecord {
                    code: "kanri".into(),
                    name: "管理".into(),
                    permissions: set(&[Permission::Admin]),
                },
                GroupRecord {
                    code: "shimin".into(),
                    name: "市民課".into(),
                    permissions: set(&[Permission::Search]),
                },
            ],
            counters: vec![CounterRecord {
                code: "kanri".into(),
                name: "管理端末".into(),
                permissions: set(&[Permission::Admin]),
                browser_allowed: true,
            }],
        }
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    #[test]
    fn the_last_admin_can_neither_be_disabled_nor_lose_the_group() {
        let t = tenant();
        let today = day("2026-12-07");
        let disable = UserEdit {
            display_name: "admin".into(),
            groups: vec!["kanri".into()],
            valid_until: None,
            disabled: true,
        };
        assert!(matches!(
            t.keeps_an_admin(&t.with_user("admin", &disable), today),
            Err(AccountError::LastAdmin)
        ));
        let ungroup = UserEdit {
            disabled: false,
            groups: vec![],
            ..disable.clone()
        };
        assert!(
            t.keeps_an_admin(&t.with_user("admin", &ungroup), today)
                .is_err()
        );
        let expire = UserEdit {
            disabled: false,
            valid_until: Some(day("2026-12-06")),
            ..disable.clone()
        };
        assert!(
            t.keeps_an_admin(&t.with_user("admin", &expire), today)
                .is_err()
        );
        // Another admin makes the change possible.
        let promote = UserEdit {
            display_name: "tanaka".into(),
            groups: vec!["kanri".into()],
            valid_until: None,
            disabled: false,
        };
        let two = t.with_user("tanaka", &promote);
        assert!(
            two.keeps_an_admin(&two.with_user("admin", &disable), today)
                .is_ok()
        );
    }

    #[test]
    fn the_admin_permission_cannot_leave_the_last_group_or_counter() {
        let t = tenant();
        let today = day("2026-12-07");
        let group = GroupRecord {
            code: "kanri".into(),
            name: "管理".into(),
            permissions: set(&[Permission::Search]),
        };
        assert!(t.keeps_an_admin(&t.with_group(&group), today).is_err());
        let counter = CounterRecord {
            code: "kanri".into(),
            name: "管理端末".into(),
            permissions: set(&[Permission::Search]),
            browser_allowed: true,
        };
        assert!(t.keeps_an_admin(&t.with_counter(&counter), today).is_err());
        // Adding permissions elsewhere is always fine.
        let other = GroupRecord {
            code: "shimin".into(),
            name: "市民課".into(),
            permissions: set(&[Permission::Search, Permission::PrintForms]),
        };
        assert!(t.keeps_an_admin(&t.with_group(&other), today).is_ok());
    }

    #[test]
    fn temporary_passwords_meet_the_policy_and_differ() {
        let a = temporary_password("tanaka");
        let b = temporary_password("tanaka");
        assert_ne!(a, b);
        assert_eq!(a.len(), 19);
        assert_eq!(a.matches('-').count(), 3);
        assert!(madoguchi_core::password::check("tanaka", &a).is_ok());
        assert!(a.chars().all(|c| c == '-' || ALPHABET.contains(&(c as u8))));
    }

    #[test]
    fn codes_that_a_form_or_csv_cannot_carry_are_refused() {
        assert!(check_code("shimin-1").is_ok());
        assert!(check_code("市民課").is_ok());
        for bad in ["", "a,b", "a;b", "a b", "a/b", &"x".repeat(51)] {
            assert!(check_code(bad).is_err(), "{bad:?}");
        }
    }
}
