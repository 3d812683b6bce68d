//! A tenant's form backgrounds.

use chrono::{DateTime, Utc};

/// A background PDF of a tenant's form templates (without its bytes).
#[derive(Debug, Clone, PartialEq)]
pub struct FormBackground {
    /// The file name templates name it by (`background = { file = "…" }`).
    pub name: String,
    pub size: u64,
    pub pages: u32,
    pub created_at: DateTime<Utc>,
}
