//! [`AccountStore`] on PostgreSQL.

use madoguchi_store::UserEdit;
use madoguchi_store::prelude::*;

use crate::*;

impl AccountStore for PostgresStore {
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
                                              password_hash = coalesce($5, password_hash),
                                              must_change_password = CASE WHEN $5::text IS NULL
                                                  THEN must_change_password ELSE $6 END,
                                              revision = revision + 1
                             WHERE tenant_id = $1 AND id = $2",
                            &[
                                &tenant.as_str(),
                                &id,
                                &user.display_name,
                                &user.valid_until,
                                &user.password_hash,
                                &user.must_change_password,
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
            bump_revision(tx, tenant, id)?;
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
                "UPDATE users SET password_hash = $3, must_change_password = false, revision = revision + 1
                 WHERE tenant_id = $1 AND id = $2",
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
                               locked, disabled, valid_until, must_change_password, revision",
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
                    "UPDATE users SET locked = false, failed_logins = 0, revision = revision + 1
                     WHERE tenant_id = $1 AND login = $2",
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
                    "UPDATE users SET valid_until = $3, revision = revision + 1 WHERE tenant_id = $1 AND login = $2",
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
                    "UPDATE users SET disabled = $3, revision = revision + 1 WHERE tenant_id = $1 AND login = $2",
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

    fn edit_user(
        &self,
        tenant: &TenantId,
        login: &str,
        edit: &UserEdit,
        expected_revision: i64,
        audit: &AuditEvent,
    ) -> StoreResult<bool> {
        self.audited_if(tenant, audit, |tx| {
            let t = tenant.as_str();
            let Some(row) = tx
                .query_opt(
                    "SELECT id, revision FROM users WHERE tenant_id = $1 AND login = $2 FOR UPDATE",
                    &[&t, &login],
                )
                .map_err(be)?
            else {
                return Ok(false);
            };
            let (id, revision): (i64, i64) = (row.get(0), row.get(1));
            if revision != expected_revision {
                return Err(StoreError::Conflict(
                    "the account changed since it was read".into(),
                ));
            }
            tx.execute(
                "UPDATE users SET display_name = $3, valid_until = $4, disabled = $5,
                                  revision = revision + 1
                 WHERE tenant_id = $1 AND id = $2",
                &[
                    &t,
                    &id,
                    &edit.display_name,
                    &edit.valid_until,
                    &edit.disabled,
                ],
            )
            .map_err(be)?;
            replace_groups(tx, tenant, id, &edit.groups)?;
            if edit.disabled {
                tx.execute(
                    "DELETE FROM sessions WHERE tenant_id = $1 AND user_id = $2",
                    &[&t, &id],
                )
                .map_err(be)?;
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
        self.audited_if(tenant, audit, |tx| {
            let Some(id) = user_id(tx, tenant, login)? else {
                return Ok(false);
            };
            let t = tenant.as_str();
            tx.execute(
                "UPDATE users SET password_hash = $3, must_change_password = true, locked = false,
                                  failed_logins = 0, revision = revision + 1
                 WHERE tenant_id = $1 AND id = $2",
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
}

fn bump_revision(tx: &mut Transaction<'_>, tenant: &TenantId, user_id: i64) -> StoreResult<()> {
    tx.execute(
        "UPDATE users SET revision = revision + 1 WHERE tenant_id = $1 AND id = $2",
        &[&tenant.as_str(), &user_id],
    )
    .map_err(be)?;
    Ok(())
}
