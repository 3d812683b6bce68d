//! Applications received through マイナポータル (ぴったりサービス, 引越しワンストップ) and their
//! attachments (issue 21 point 4). The server reads the portal's data (a manual ZIP or the API) into
//! these records; the store keeps them as given, once per application number.

use chrono::{DateTime, Utc};

/// The statuses an application goes through on the staff screen 申請管理: 未処理, 処理中, 完了, 差戻し.
pub const PORTAL_STATUSES: [&str; 4] = ["unprocessed", "in_progress", "done", "returned"];

/// The largest attachment the store keeps, in bytes (the portal's own limit is smaller).
pub const PORTAL_ATTACHMENT_MAX_BYTES: usize = 10 * 1024 * 1024;

/// One attached file with its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortalAttachment {
    pub name: String,
    pub media_type: String,
    pub bytes: Vec<u8>,
}

/// An attached file without its content: what lists show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortalAttachmentMeta {
    /// 0, 1, … in the order the application listed them.
    pub index: i64,
    pub name: String,
    pub media_type: String,
    pub size: i64,
}

/// An application as read from the portal, before it is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPortalApplication {
    /// The portal's application number (申請番号): the idempotency key within a tenant.
    pub application_no: String,
    /// What it is, so that other features can join it: `pittari` (a ぴったりサービス form),
    /// `tennyu_yoyaku` (転入予約), `tenshutsu` (転出届).
    pub kind: String,
    /// The portal's procedure/form code.
    pub form_code: String,
    /// How it arrived: `zip` (manual download) or `api` (the connector).
    pub source: String,
    pub received_at: DateTime<Utc>,
    /// The applicant (name, kana, birth date, address…) as a JSON document.
    pub applicant: String,
    /// The serial of the 署名用電子証明書 the application was signed with, when signed.
    pub jpki_serial: Option<String>,
    pub attachments: Vec<PortalAttachment>,
}

/// A stored application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortalApplication {
    pub application_no: String,
    pub kind: String,
    pub form_code: String,
    pub source: String,
    pub received_at: DateTime<Utc>,
    pub applicant: String,
    pub jpki_serial: Option<String>,
    /// When this server stored it.
    pub imported_at: DateTime<Utc>,
    /// One of [`PORTAL_STATUSES`].
    pub status: String,
    /// Login of who set the status last (`None` while never set).
    pub status_by: Option<String>,
    pub status_at: Option<DateTime<Utc>>,
    /// Why it was sent back (差戻し).
    pub status_reason: Option<String>,
    /// The case it became.
    pub case_id: Option<String>,
    /// When the current status was reported to the portal; `None`: not yet.
    pub status_sent_at: Option<DateTime<Utc>>,
    /// Filled by [`crate::PortalStore::portal_application`] only; lists leave it empty.
    pub attachments: Vec<PortalAttachmentMeta>,
}

/// A status set by staff (or the case the application became).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortalStatusChange {
    pub status: String,
    pub by: String,
    pub at: DateTime<Utc>,
    pub reason: Option<String>,
    /// `Some`: the case it became (kept once set: `None` leaves the stored one).
    pub case_id: Option<String>,
}
