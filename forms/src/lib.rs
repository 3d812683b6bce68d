//! Madoguchi forms engine: official forms (申請書), guide sheets (手続き案内書) and receipts from templates
//! (`forms/templates/*.toml`, format in `forms/README.md`) and case data (JSON), rendered to PDF with
//! IPAmj明朝 and IPAex ゴシック embedded as subsets.
//!
//! Pure of I/O except [`font::Fonts::load`] and [`library::Library::load_dir`]; the caller passes the date
//! that picks a template version.

pub mod background;
pub mod data;
pub mod font;
pub mod image;
pub mod library;
pub mod render;
pub mod template;

pub use font::{FontKind, Fonts};
pub use render::{Problem, ProblemKind, Rendered, render};
pub use template::Template;

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
