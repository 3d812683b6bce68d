//! The terminals' sync: the outbox upload and the reference data they cache.

use serde::{Deserialize, Serialize};

use crate::cases::SaveCase;

/// One outbox entry of a terminal: a case save.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UploadItem {
    /// Client-generated case id.
    pub case_id: String,
    pub save: SaveCase,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UploadRequest {
    /// Up to 100 items, applied in order, each independently.
    pub items: Vec<UploadItem>,
}

/// What became of one item.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UploadResult {
    pub case_id: String,
    pub write_id: String,
    pub outcome: UploadOutcome,
    /// The case's revision after the item, for `applied` and `already_applied`.
    pub revision: Option<i64>,
    pub code: Option<String>,
    /// Japanese reason for `conflict` and `rejected`.
    pub message: Option<String>,
}

/// What became of one uploaded item.
#[derive(Debug, Clone, Serialize, Deserialize, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum UploadOutcome {
    /// Applied now.
    Applied,
    /// An earlier upload of the same write id was applied: the terminal may forget the item.
    AlreadyApplied,
    /// The case changed since the item's revision: staff must look at it.
    Conflict,
    /// The server refuses the content; `message` says why.
    Rejected,
}

impl UploadOutcome {
    /// What the terminal's outbox does with the item: an item applied now or before leaves it.
    pub fn for_outbox(self) -> madoguchi_core::sync::UploadOutcome {
        match self {
            UploadOutcome::Applied | UploadOutcome::AlreadyApplied => {
                madoguchi_core::sync::UploadOutcome::Applied
            }
            UploadOutcome::Conflict => madoguchi_core::sync::UploadOutcome::Conflict,
            UploadOutcome::Rejected => madoguchi_core::sync::UploadOutcome::Rejected,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UploadResponse {
    pub results: Vec<UploadResult>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ManifestEntry {
    pub kind: String,
    pub version: String,
    pub count: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Manifest {
    /// The kinds this session may download, with their current version.
    pub kinds: Vec<ManifestEntry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReferencePage {
    pub kind: String,
    pub version: String,
    pub offset: usize,
    pub total: usize,
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub items: Vec<serde_json::Value>,
    /// Offset of the next page; `null` on the last one.
    pub next_offset: Option<usize>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_read_from_the_server_codes() {
        let read = |code: &str| serde_json::from_value::<UploadOutcome>(serde_json::json!(code));
        let outbox = madoguchi_core::sync::UploadOutcome::Applied;
        assert_eq!(
            read("applied").map(UploadOutcome::for_outbox).ok(),
            Some(outbox)
        );
        assert_eq!(
            read("already_applied").map(UploadOutcome::for_outbox).ok(),
            Some(outbox)
        );
        assert_eq!(
            read("conflict").map(UploadOutcome::for_outbox).ok(),
            Some(madoguchi_core::sync::UploadOutcome::Conflict)
        );
        assert_eq!(
            read("rejected").map(UploadOutcome::for_outbox).ok(),
            Some(madoguchi_core::sync::UploadOutcome::Rejected)
        );
        assert!(read("applied?").is_err());
    }
}
