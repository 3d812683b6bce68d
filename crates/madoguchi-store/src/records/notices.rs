//! Notices to staff (伝達事項・お知らせ) and maintenance notices (保守のお知らせ), with each user's read
//! marks. The server checks what a notice may hold; the store keeps it as given.

use chrono::{DateTime, Utc};

/// One notice as stored. `kind` is `notice` (to staff) or `maintenance` (planned stop, shown to staff,
/// kiosks, stations and the public status page). `audience` is `all`, `group:<code>` or
/// `counter:<code>`. A maintenance notice's stop (`window_start`..`window_end`) is when the server
/// answers 503; `starts_at`..`ends_at` is when the notice is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeRecord {
    /// Chosen by the server (a UUID), unique in the tenant.
    pub id: String,
    pub kind: String,
    pub audience: String,
    pub text_ja: String,
    /// The English text for residents (kiosks, stations, the status page); `None`: Japanese only.
    pub text_en: Option<String>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub window_start: Option<DateTime<Utc>>,
    pub window_end: Option<DateTime<Utc>>,
    /// 1 when created, one more at each save.
    pub revision: i64,
    /// Login of the admin who saved it last.
    pub updated_by: String,
    pub updated_at: DateTime<Utc>,
}
