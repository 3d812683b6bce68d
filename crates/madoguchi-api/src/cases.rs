//! Saving a case.

use madoguchi_core::case_document::CaseDocument;
use serde::{Deserialize, Serialize};

/// Saving a case: create (`revision: null`) or update the revision last read.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SaveCase {
    /// Client-generated id of this save (8–64 of `A-Z a-z 0-9 - _`): a retried save is applied once.
    pub write_id: String,
    /// The revision the client last read; `null` to create the case.
    #[serde(default)]
    pub revision: Option<i64>,
    /// `open` (受付中), `applied` (申請済), `reviewed` (審査済) or `closed` (完了).
    pub status: String,
    pub document: CaseDocument,
}
