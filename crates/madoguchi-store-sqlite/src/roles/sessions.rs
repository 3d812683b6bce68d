//! [`SessionStore`] on SQLite.

use madoguchi_store::prelude::*;

use crate::*;

impl SessionStore for SqliteStore {
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
        self.audited(audit, |tx| {
            tx.execute("DELETE FROM sessions WHERE expires_at <= ?1", [ts(now)]).map_err(be)?;
            tx.execute("UPDATE users SET failed_logins = 0 WHERE id = ?1", [user_id]).map_err(be)?;
            tx.execute(
                "INSERT INTO sessions (token_hash, user_id, counter, created_at, expires_at, last_seen_at, terminal)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?4, ?6)",
                params![&token_sha256[..], user_id, counter, ts(now), ts(expires_at), terminal],
            )
            .map_err(be)?;
            Ok(())
        })
    }

    fn touch_session(&self, token_sha256: &[u8; 32], now: DateTime<Utc>) -> StoreResult<()> {
        self.with_writer(|c| {
            c.execute(
                "UPDATE sessions SET last_seen_at = ?2 WHERE token_hash = ?1",
                params![&token_sha256[..], ts(now)],
            )
            .map_err(be)?;
            Ok(())
        })
    }

    fn find_session(
        &self,
        token_sha256: &[u8; 32],
        now: DateTime<Utc>,
    ) -> StoreResult<Option<SessionRecord>> {
        self.with_reader(|c| {
            let row = c
                .query_row(
                    "SELECT s.user_id, u.tenant_id, u.login, u.display_name, s.counter, s.expires_at, s.last_seen_at,
                            (SELECT permissions FROM counters k WHERE k.tenant_id = u.tenant_id AND k.code = s.counter),
                            (SELECT group_concat(g.permissions) FROM user_groups ug
                               JOIN staff_groups g ON g.id = ug.group_id AND g.tenant_id = u.tenant_id
                              WHERE ug.user_id = u.id),
                            s.terminal, u.must_change_password
                     FROM sessions s JOIN users u ON u.id = s.user_id
                     WHERE s.token_hash = ?1 AND s.expires_at > ?2 AND u.disabled = 0",
                    params![&token_sha256[..], ts(now)],
                    |r| {
                        Ok((
                            (
                                r.get::<_, i64>(0)?,
                                r.get::<_, String>(1)?,
                                r.get::<_, String>(2)?,
                                r.get::<_, String>(3)?,
                                r.get::<_, String>(4)?,
                            ),
                            r.get::<_, String>(5)?,
                            r.get::<_, String>(6)?,
                            r.get::<_, Option<String>>(7)?,
                            r.get::<_, Option<String>>(8)?,
                            (r.get::<_, Option<String>>(9)?, r.get::<_, bool>(10)?),
                        ))
                    },
                )
                .optional()
                .map_err(be)?;
            row.map(|((user_id, tenant, login, display_name, counter), exp, seen, counter_perms, group_perms, (terminal, must_change_password))| {
                Ok(SessionRecord {
                    user_id,
                    tenant: TenantId(tenant),
                    login,
                    display_name,
                    counter,
                    terminal,
                    expires_at: parse_ts(&exp)?,
                    last_seen_at: parse_ts(&seen)?,
                    group_permissions: perms(group_perms.unwrap_or_default()),
                    counter_permissions: perms(counter_perms.unwrap_or_default()),
                    must_change_password,
                })
            })
            .transpose()
        })
    }

    fn delete_session(&self, token_sha256: &[u8; 32], audit: &AuditEvent) -> StoreResult<()> {
        self.audited(audit, |tx| {
            tx.execute(
                "DELETE FROM sessions WHERE token_hash = ?1",
                [&token_sha256[..]],
            )
            .map_err(be)?;
            Ok(())
        })
    }
}
