//! Staff sessions.

use chrono::{DateTime, Utc};

use crate::{AuditEvent, SessionRecord, StoreResult};

/// Staff sessions.
pub trait SessionStore {
    /// A successful login: resets the failure count and stores a session under the SHA-256 of its token
    /// (the token itself is never stored), last seen at `now`; sessions past their absolute expiry are
    /// purged on the way.
    #[allow(clippy::too_many_arguments)]
    fn create_session(
        &self,
        token_sha256: &[u8; 32],
        user_id: i64,
        counter: &str,
        terminal: Option<&str>,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
        audit: &AuditEvent,
    ) -> StoreResult<()>;
    /// The live session for a token hash at `now`, if any.
    fn find_session(
        &self,
        token_sha256: &[u8; 32],
        now: DateTime<Utc>,
    ) -> StoreResult<Option<SessionRecord>>;
    /// Records that the session was used at `now`.
    fn touch_session(&self, token_sha256: &[u8; 32], now: DateTime<Utc>) -> StoreResult<()>;
    /// Ends a session (logout, idle timeout).
    fn delete_session(&self, token_sha256: &[u8; 32], audit: &AuditEvent) -> StoreResult<()>;
}
