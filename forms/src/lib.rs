//! Madoguchi forms engine: official forms (申請書), guide sheets (手続き案内書) and receipts from templates
//! (`forms/templates/*.toml`, format in `forms/README.md`) and case data (JSON), rendered to PDF with
//! IPAmj明朝 and IPAex ゴシック embedded as subsets.
//!
//! Pure of I/O except [`font::Fonts::load`] and [`library::Library::load_dir`]; the caller passes the date
//! that picks a template version.

pub mod background;
pub mod binds;
pub mod data;
mod error;
pub mod examples;
pub mod font;
pub mod image;
pub mod library;
pub mod render;
pub mod template;

pub use error::FormsError;
pub use font::{FontKind, Fonts};
pub use render::{Problem, ProblemKind, Rendered, render, render_preview};
pub use template::Template;
