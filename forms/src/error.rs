//! The crate's error type.

/// What can go wrong. Messages for users are Japanese; font and I/O details are for logs.
#[derive(Debug, thiserror::Error)]
pub enum FormsError {
    /// A template that cannot be used, with the position (0 when the problem is not at one place).
    #[error("テンプレートの{line}行{column}列: {reason}")]
    Template {
        line: usize,
        column: usize,
        reason: String,
    },
    #[error("font: {0}")]
    Font(String),
    #[error("{0}")]
    NotFound(String),
    #[error("I/O: {0}")]
    Io(#[from] std::io::Error),
}
