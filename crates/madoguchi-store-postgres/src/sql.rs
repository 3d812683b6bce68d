//! How the store turns driver errors into its own: an error never quotes a row's values.

use madoguchi_store::StoreError;

/// A driver error as a [`StoreError`]: the SQLSTATE and PostgreSQL's message, never the `DETAIL`
/// (which may quote the values of a row) nor, for data exceptions, the message (which may quote the
/// value).
pub(crate) fn be(e: postgres::Error) -> StoreError {
    StoreError::Backend(describe(&e))
}

/// The SQLSTATE and message of a driver error, as logs may show it (see [`be`]).
pub(crate) fn describe(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => {
            let code = db.code().code();
            if code.starts_with("22") {
                format!("{} {code}: data exception", db.severity())
            } else {
                format!("{} {code}: {}", db.severity(), db.message())
            }
        }
        None => e.to_string(),
    }
}

/// Maps integrity violations (SQLSTATE class 23) to [`StoreError::Conflict`] with `what`.
pub(crate) fn constraint(what: &'static str) -> impl Fn(postgres::Error) -> StoreError {
    move |e| match e.code() {
        Some(c) if c.code().starts_with("23") => StoreError::Conflict(what.into()),
        _ => be(e),
    }
}
