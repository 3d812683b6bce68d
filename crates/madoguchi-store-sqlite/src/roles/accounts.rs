//! [`AccountStore`] on SQLite.

use madoguchi_store::UserEdit;
use madoguchi_store::prelude::*;

use crate::*;

impl AccountStore for SqliteStore {
    fn put_group(
        &self,
        tenant: &TenantId,
        group: &GroupRecord,
        audit: &AuditEvent,
    ) -> StoreResult<()> {
        self.audited(audit, |tx| {
            tx.execute(
                "INSERT INTO staff_groups (tenant_id, code, name, permissions) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (tenant_id, code) DO UPDATE SET name = excluded.name, permissions = excluded.permissions",
                params![tenant.as_str(), group.code, group.name, group.permissions.to_codes()],
            )
            .map_err(constraint("tenant missing"))?;
            Ok(())
        })
    }

    fn list_groups(&self, tenant: &TenantId) -> StoreResult<Vec<GroupRecord>> {
        self.with_reader(|c| {
            let mut stmt = c
                .prepare("SELECT code, name, permissions FROM staff_groups WHERE tenant_id = ?1 ORDER BY code")
                .map_err(be)?;
            let rows = stmt
                .query_map([tenant.as_str()], |r| {
                    Ok(GroupRecord { code: r.get(0)?, name: r.get(1)?, permissions: perms(r.get(2)?) })
                })
                .map_err(be)?;
            rows.collect::<Result<Vec<_>, _>>().map_err(be)
        })
    }

    fn put_counter(
        &self,
        tenant: &TenantId,
        counter: &CounterRecord,
        audit: &AuditEvent,
    ) -> StoreResult<()> {
        self.audited(audit, |tx| {
            tx.execute(
                "INSERT INTO counters (tenant_id, code, name, permissions, browser_allowed) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (tenant_id, code) DO UPDATE SET name = excluded.name, permissions = excluded.permissions,
                     browser_allowed = excluded.browser_allowed",
                params![
                    tenant.as_str(),
                    counter.code,
                    counter.name,
                    counter.permissions.to_codes(),
                    counter.browser_allowed
                ],
            )
            .map_err(constraint("tenant missing"))?;
            Ok(())
        })
    }

    fn list_counters(&self, tenant: &TenantId) -> StoreResult<Vec<CounterRecord>> {
        self.with_reader(|c| {
            let mut stmt = c
                .prepare("SELECT code, name, permissions, browser_allowed FROM counters WHERE tenant_id = ?1 ORDER BY code")
                .map_err(be)?;
            let rows = stmt.query_map([tenant.as_str()], counter_row).map_err(be)?;
            rows.collect::<Result<Vec<_>, _>>().map_err(be)
        })
    }

    fn find_counter(&self, tenant: &TenantId, code: &str) -> StoreResult<Option<CounterRecord>> {
        self.with_reader(|c| {
            c.query_row(
                "SELECT code, name, permissions, browser_allowed FROM counters WHERE tenant_id = ?1 AND code = ?2",
                params![tenant.as_str(), code],
                counter_row,
            )
            .optional()
            .map_err(be)
        })
    }

    fn put_terminal(
        &self,
        tenant: &TenantId,
        terminal: &TerminalRecord,
        audit: &AuditEvent,
    ) -> StoreResult<()> {
        self.audited(audit, |tx| terminals::put(tx, tenant, terminal))
    }

    fn find_terminal(&self, tenant: &TenantId, id: &str) -> StoreResult<Option<TerminalRecord>> {
        self.with_reader(|c| terminals::find(c, tenant, id))
    }

    fn list_terminals(&self, tenant: &TenantId) -> StoreResult<Vec<TerminalRecord>> {
        self.with_reader(|c| terminals::list(c, tenant))
    }

    fn remove_terminal(
        &self,
        tenant: &TenantId,
        id: &str,
        audit: &AuditEvent,
    ) -> StoreResult<bool> {
        self.audited_if(audit, |tx| terminals::remove(tx, tenant, id))
    }

    fn create_user(
        &self,
        tenant: &TenantId,
        user: &NewUser,
        audit: &AuditEvent,
    ) -> StoreResult<i64> {
        self.audited(audit, |tx| insert_user(tx, tenant, user))
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
        self.with_writer(|c| {
            let tx = c
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
                .map_err(be)?;
            let mut counts = UpsertCounts::default();
            for (user, event) in users.iter().zip(audit) {
                let existing: Option<i64> = tx
                    .query_row(
                        "SELECT id FROM users WHERE tenant_id = ?1 AND login = ?2",
                        params![tenant.as_str(), user.login],
                        |r| r.get(0),
                    )
                    .optional()
                    .map_err(be)?;
                match existing {
                    None => {
                        insert_user(&tx, tenant, user)?;
                        counts.created += 1;
                    }
                    Some(id) => {
                        tx.execute(
                            "UPDATE users SET display_name = ?2, valid_until = ?3,
                                              password_hash = coalesce(?4, password_hash),
                                              must_change_password = CASE WHEN ?4 IS NULL
                                                  THEN must_change_password ELSE ?5 END,
                                              revision = revision + 1
                             WHERE id = ?1",
                            params![
                                id,
                                user.display_name,
                                day(user.valid_until),
                                user.password_hash,
                                user.must_change_password
                            ],
                        )
                        .map_err(be)?;
                        if user.password_hash.is_some() {
                            tx.execute("DELETE FROM sessions WHERE user_id = ?1", [id])
                                .map_err(be)?;
                        }
                        replace_groups(&tx, tenant, id, &user.groups)?;
                        counts.updated += 1;
                    }
                }
                append_audit_in(&tx, event)?;
            }
            tx.commit().map_err(be)?;
            Ok(counts)
        })
    }

    fn find_user(&self, tenant: &TenantId, login: &str) -> StoreResult<Option<UserRecord>> {
        self.with_reader(|c| {
            let user = c
                .query_row(
                    &format!("{USER_SELECT} WHERE tenant_id = ?1 AND login = ?2"),
                    params![tenant.as_str(), login],
                    user_row,
                )
                .optional()
                .map_err(be)?;
            user.map(|u| with_groups(c, u)).transpose()
        })
    }

    fn list_users(&self, tenant: &TenantId) -> StoreResult<Vec<UserRecord>> {
        self.with_reader(|c| {
            let mut stmt = c
                .prepare(&format!(
                    "{USER_SELECT} WHERE tenant_id = ?1 ORDER BY login"
                ))
                .map_err(be)?;
            let rows = stmt.query_map([tenant.as_str()], user_row).map_err(be)?;
            let users = rows.collect::<Result<Vec<_>, _>>().map_err(be)?;
            users.into_iter().map(|u| with_groups(c, u)).collect()
        })
    }

    fn set_user_groups(
        &self,
        tenant: &TenantId,
        login: &str,
        groups: &[String],
        audit: &AuditEvent,
    ) -> StoreResult<bool> {
        self.audited_if(audit, |tx| {
            let Some(id) = user_id(tx, tenant, login)? else {
                return Ok(false);
            };
            replace_groups(tx, tenant, id, groups)?;
            bump_revision(tx, id)?;
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
        self.audited_if(audit, |tx| {
            let Some(id) = user_id(tx, tenant, login)? else {
                return Ok(false);
            };
            tx.execute(
                "UPDATE users SET password_hash = ?2, must_change_password = 0, revision = revision + 1
                 WHERE id = ?1",
                params![id, password_hash],
            )
            .map_err(be)?;
            tx.execute("DELETE FROM sessions WHERE user_id = ?1", [id])
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
        self.audited(audit, |tx| {
            tx.execute(
                "UPDATE users SET failed_logins = failed_logins + 1,
                                  locked = (locked OR failed_logins + 1 >= ?2)
                 WHERE id = ?1",
                params![user_id, i64::from(lock_after)],
            )
            .map_err(be)?;
            let user = tx
                .query_row(&format!("{USER_SELECT} WHERE id = ?1"), [user_id], user_row)
                .map_err(be)?;
            with_groups(tx, user)
        })
    }

    fn unlock_user(&self, tenant: &TenantId, login: &str, audit: &AuditEvent) -> StoreResult<bool> {
        self.audited_if(audit, |tx| {
            let n = tx
                .execute(
                    "UPDATE users SET locked = 0, failed_logins = 0, revision = revision + 1
                     WHERE tenant_id = ?1 AND login = ?2",
                    params![tenant.as_str(), login],
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
        self.audited_if(audit, |tx| {
            let n = tx
                .execute(
                    "UPDATE users SET disabled = ?3, revision = revision + 1 WHERE tenant_id = ?1 AND login = ?2",
                    params![tenant.as_str(), login, disabled],
                )
                .map_err(be)?;
            if disabled {
                tx.execute(
                    "DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE tenant_id = ?1 AND login = ?2)",
                    params![tenant.as_str(), login],
                )
                .map_err(be)?;
            }
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
        self.audited_if(audit, |tx| {
            let n = tx
                .execute(
                    "UPDATE users SET valid_until = ?3, revision = revision + 1 WHERE tenant_id = ?1 AND login = ?2",
                    params![tenant.as_str(), login, day(until)],
                )
                .map_err(be)?;
            Ok(n == 1)
        })
    }

    fn edit_user(
        &self,
        tenant: &TenantId,
        login: &str,
        edit: &UserEdit,
        expected_revision: i64,
        audit: &AuditEvent,
    ) -> StoreResult<bool> {
        self.audited_if(audit, |tx| {
            let Some((id, revision)) = tx
                .query_row(
                    "SELECT id, revision FROM users WHERE tenant_id = ?1 AND login = ?2",
                    params![tenant.as_str(), login],
                    |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)),
                )
                .optional()
                .map_err(be)?
            else {
                return Ok(false);
            };
            if revision != expected_revision {
                return Err(StoreError::Conflict("the account changed since it was read".into()));
            }
            tx.execute(
                "UPDATE users SET display_name = ?2, valid_until = ?3, disabled = ?4, revision = revision + 1
                 WHERE id = ?1",
                params![id, edit.display_name, day(edit.valid_until), edit.disabled],
            )
            .map_err(be)?;
            replace_groups(tx, tenant, id, &edit.groups)?;
            if edit.disabled {
                tx.execute("DELETE FROM sessions WHERE user_id = ?1", [id]).map_err(be)?;
            }
            Ok(true)
        })
    }

    fn reset_password(
        &self,
        tenant: &TenantId,
        login: &str,
        password_hash: &str,
        audit: &AuditEvent,
    ) -> StoreResult<bool> {
        self.audited_if(audit, |tx| {
            let Some(id) = user_id(tx, tenant, login)? else {
                return Ok(false);
            };
            tx.execute(
                "UPDATE users SET password_hash = ?2, must_change_password = 1, locked = 0, failed_logins = 0,
                                  revision = revision + 1
                 WHERE id = ?1",
                params![id, password_hash],
            )
            .map_err(be)?;
            tx.execute("DELETE FROM sessions WHERE user_id = ?1", [id]).map_err(be)?;
            Ok(true)
        })
    }
}

fn bump_revision(tx: &Connection, user_id: i64) -> StoreResult<()> {
    tx.execute(
        "UPDATE users SET revision = revision + 1 WHERE id = ?1",
        [user_id],
    )
    .map_err(be)?;
    Ok(())
}
