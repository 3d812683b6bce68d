//! The issuance station's request (証明書発行端末): what the station sends after JPKI user
//! authentication, and the server's answer that the station's 受付票 prints.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One certificate asked for at the station, about the card holder.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StationLine {
    /// `JUMINHYO`, `KISAI-JIKOU`, `INKAN-SHOMEI` or `SHOTOKU-SHOMEI` (the items the station offers).
    pub item: String,
    /// 1–5.
    pub copies: u32,
    /// 住民票の写し: `世帯全員` (absent) or `本人のみ`; 住民票記載事項証明書: `本人のみ` (absent) or
    /// `世帯全員`; 所得・課税証明書: absent or `本人のみ`.
    #[serde(default)]
    pub scope: Option<String>,
    /// 記載事項 codes of a 住民票の写し or 住民票記載事項証明書 (`relation`, `honseki`,
    /// `juminhyo_code`, `previous_address`; absent: `relation`).
    #[serde(default)]
    pub items: Option<Vec<String>>,
    /// 所得・課税証明書 (required): the 課税年度 (西暦), one the identification offered.
    #[serde(default)]
    pub year: Option<i32>,
}

/// `PUT /api/v1/issuance/requests/{request_id}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StationApplication {
    /// From `POST /api/v1/jpki/verify` in this session.
    pub verification_id: String,
    pub lines: Vec<StationLine>,
}

/// One line as the 受付票 prints it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReceiptLine {
    pub name: String,
    pub copies: u32,
    pub yen: u32,
}

/// The answer to a station request: what the 受付票 prints. No personal data: receipts get left
/// behind.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StationReceipt {
    pub request_id: String,
    pub reception_no: u32,
    /// `0012`.
    pub reception_label: String,
    pub lines: Vec<ReceiptLine>,
    pub fee_total: u32,
    pub requested_at: DateTime<Utc>,
    /// The signed QR text of the request's case (payload kind `case`): staff scan the 受付票 to open it.
    pub qr: String,
}
