//! 事前申請 sent from a resident's phone under a 受付番号.

use chrono::{DateTime, NaiveDate, Utc};

/// A sent 事前申請: kept until `expires`, then purged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreApplication {
    /// The 受付番号 (8 digits, `madoguchi_core::pre_application::number`).
    pub number: String,
    /// The phone's id of this sending: the same id sent twice is stored once.
    pub write_id: String,
    /// The applicant's birth date (the resident deletes their application with it).
    pub birth: NaiveDate,
    /// The `pre_application` QR body (`madoguchi_core::pre_application::Body`) as JSON.
    pub body: String,
    /// The last day it is kept.
    pub expires: NaiveDate,
    pub sent_at: DateTime<Utc>,
}
