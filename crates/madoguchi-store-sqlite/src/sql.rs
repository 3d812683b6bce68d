//! How the store turns driver errors and timestamps into its own: an error never quotes a row's values.

use chrono::{DateTime, SecondsFormat, Utc};
use madoguchi_store::{StoreError, StoreResult};

/// A driver error as a [`StoreError`].
pub(crate) fn be(e: rusqlite::Error) -> StoreError {
    StoreError::Backend(e.to_string())
}

pub(crate) fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

pub(crate) fn parse_ts(s: &str) -> StoreResult<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| StoreError::Backend(format!("bad timestamp in store: {e}")))
}

/// Maps constraint violations to [`StoreError::Conflict`] with `what`.
pub(crate) fn constraint(what: &'static str) -> impl Fn(rusqlite::Error) -> StoreError {
    move |e| match e {
        rusqlite::Error::SqliteFailure(f, _)
            if f.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            StoreError::Conflict(what.into())
        }
        e => be(e),
    }
}
