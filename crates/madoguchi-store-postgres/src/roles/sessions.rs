//! [`SessionStore`] on PostgreSQL.

use madoguchi_store::prelude::*;

use crate::*;

impl SessionStore for PostgresStore {
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
                            s.terminal, u.must_change_password
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
                must_change_password: r.try_get(9).map_err(be)?,
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
}
