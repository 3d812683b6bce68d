//! **The one adapter** between the portal's application data and Madoguchi's records. Every field
//! whose layout the portal has not published is read here, and only here.
//!
//! What is public (総務省「自治体の行政手続のオンライン化に係る申請管理システム等の構築に関する
//! 標準仕様書」, デジタル庁's ぴったりサービス pages): a municipality receives each application
//! through the 電子申請等情報受取等API (over LGWAN, through the 特定通信) or downloads it by hand
//! from 申請管理; an application carries its 申請番号, the 手続 it belongs to, the date it was sent,
//! the applicant's 基本4情報 as entered, the attachments the resident uploaded, and — when signed with
//! the 署名用電子証明書 — the certificate's serial number, which the 住基 side maps to a resident
//! (シリアル番号紐付情報). The file layout of the download and the API's message formats are given to
//! municipalities under contract only.
//!
//! **Assumptions (our reading, to be checked against the interface documents a city receives):**
//!
//! * A downloaded ZIP holds one folder per application; in it, `application.json` (the layout below)
//!   and the attached files it names. An `application.json` at the root is one application too.
//! * `application.json` (UTF-8):
//!   `{"application_no": "…", "form_code": "…", "received_at": "RFC 3339",
//!     "applicant": {"name": "…", "kana": "…", "birth_date": "YYYY-MM-DD", "address": "…",
//!                   "postal_code": "…"?, "phone": "…"?},
//!     "jpki_serial": "…"?, "attachments": [{"file": "relative path", "name": "…",
//!     "media_type": "…"}]}`.
//! * The API answers the same document for one application (`GET …/applications/{no}`), its
//!   attachments as separate downloads (`GET …/applications/{no}/attachments/{index}`); see
//!   `portal::connector`.
//!
//! Unknown fields are ignored (the portal may add some); missing required ones refuse the input.

use std::io::Read;

use chrono::{DateTime, NaiveDate, Utc};
use madoguchi_store::{NewPortalApplication, PORTAL_ATTACHMENT_MAX_BYTES, PortalAttachment};
use serde::{Deserialize, Serialize};

use super::IntakeError;
use super::forms;

/// The name of an application's data file in a downloaded ZIP.
pub const APPLICATION_FILE: &str = "application.json";

/// The most files a ZIP may hold and the most bytes it may expand to (a bomb is refused).
const MAX_ENTRIES: usize = 10_000;
const MAX_EXPANDED: u64 = 512 * 1024 * 1024;

/// The applicant as the application states them.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Applicant {
    pub name: String,
    pub kana: String,
    pub birth_date: NaiveDate,
    pub address: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// 転入予約 only — **assumption**: the 来庁予定日 the resident chose.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visit_on: Option<NaiveDate>,
    /// 転入予約 only — **assumption**: the 転出証明書情報's 通知番号, when the portal states it (else the
    /// household is found by the applicant's name and birth date, `portal::reservation`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice_no: Option<String>,
}

/// One attachment as the application lists it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct AttachmentRef {
    /// Where the file is, relative to the application's folder (ZIP) or its index (API).
    pub file: String,
    pub name: String,
    pub media_type: String,
}

/// `application.json`, as assumed above.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ApplicationDocument {
    pub application_no: String,
    pub form_code: String,
    pub received_at: DateTime<Utc>,
    pub applicant: Applicant,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jpki_serial: Option<String>,
    #[serde(default)]
    pub attachments: Vec<AttachmentRef>,
}

/// Reads an application document; `source` names it in errors.
pub fn parse_document(bytes: &[u8], source: &str) -> Result<ApplicationDocument, IntakeError> {
    let doc: ApplicationDocument = serde_json::from_slice(bytes).map_err(|e| {
        IntakeError(format!(
            "{source} を申請データとして読めません（{}行目 {}文字目）。",
            e.line(),
            e.column()
        ))
    })?;
    if doc.application_no.trim().is_empty() || doc.application_no.len() > 64 {
        return Err(IntakeError(format!(
            "{source} の申請番号が空か長すぎます。"
        )));
    }
    Ok(doc)
}

/// The record of an application from its document and its attachments' contents (in the order the
/// document lists them). Refuses a form the city does not accept, naming it.
pub fn to_record(
    doc: &ApplicationDocument,
    contents: Vec<Vec<u8>>,
    source: &'static str,
) -> Result<NewPortalApplication, IntakeError> {
    let Some(form) = forms::find(&doc.form_code) else {
        return Err(IntakeError(format!(
            "申請番号 {} の手続コード「{}」は、この窓口で受け付ける手続にありません。",
            doc.application_no, doc.form_code
        )));
    };
    let mut attachments = Vec::with_capacity(contents.len());
    for (r, bytes) in doc.attachments.iter().zip(contents) {
        if bytes.len() > PORTAL_ATTACHMENT_MAX_BYTES {
            return Err(IntakeError(format!(
                "申請番号 {} の添付ファイル「{}」が大きすぎます（上限 {} MB）。",
                doc.application_no,
                r.name,
                PORTAL_ATTACHMENT_MAX_BYTES / 1024 / 1024
            )));
        }
        attachments.push(PortalAttachment {
            name: r.name.clone(),
            media_type: r.media_type.clone(),
            bytes,
        });
    }
    Ok(NewPortalApplication {
        application_no: doc.application_no.clone(),
        kind: form.kind.into(),
        form_code: form.code.into(),
        source: source.into(),
        received_at: doc.received_at,
        applicant: serde_json::to_string(&doc.applicant)
            .map_err(|e| IntakeError(format!("申請者の情報を保存できません: {e}")))?,
        jpki_serial: doc
            .jpki_serial
            .as_deref()
            .and_then(madoguchi_core::card_serial::normalize),
        attachments,
    })
}

/// The applicant of a stored application (`None` if the stored JSON no longer reads).
pub fn applicant_of(stored: &str) -> Option<Applicant> {
    serde_json::from_str(stored).ok()
}

/// Every application of a downloaded ZIP, all read before anything is stored.
pub fn read_zip(bytes: &[u8]) -> Result<Vec<NewPortalApplication>, IntakeError> {
    let broken = |_| {
        IntakeError(
            "ZIP ファイルを読めません。ダウンロードが途中で切れていないか確かめて、もう一度ダウンロードしてください。".into(),
        )
    };
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(broken)?;
    if zip.len() > MAX_ENTRIES {
        return Err(IntakeError("ZIP ファイルのファイル数が多すぎます。".into()));
    }
    let docs: Vec<String> = zip
        .file_names()
        .filter(|n| *n == APPLICATION_FILE || n.ends_with(&format!("/{APPLICATION_FILE}")))
        .map(str::to_owned)
        .collect();
    if docs.is_empty() {
        return Err(IntakeError(format!(
            "ZIP ファイルに申請データ（{APPLICATION_FILE}）がありません。"
        )));
    }
    let mut budget = MAX_EXPANDED;
    let mut out = Vec::with_capacity(docs.len());
    for path in docs {
        let folder = path.strip_suffix(APPLICATION_FILE).unwrap_or("");
        let doc = parse_document(&entry(&mut zip, &path, &mut budget)?, &path)?;
        let mut contents = Vec::new();
        for a in &doc.attachments {
            let inner = format!("{folder}{}", a.file);
            if a.file.contains("..") || zip.index_for_name(&inner).is_none() {
                return Err(IntakeError(format!(
                    "申請番号 {} の添付ファイル「{}」が ZIP ファイルにありません。",
                    doc.application_no, a.name
                )));
            }
            contents.push(entry(&mut zip, &inner, &mut budget)?);
        }
        out.push(to_record(&doc, contents, "zip")?);
    }
    Ok(out)
}

/// One file of the ZIP, its CRC checked, within what the archive may expand to.
fn entry(
    zip: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>,
    name: &str,
    budget: &mut u64,
) -> Result<Vec<u8>, IntakeError> {
    let damaged = || {
        IntakeError(format!(
            "ZIP ファイルの「{name}」が壊れています。もう一度ダウンロードしてください。"
        ))
    };
    let file = zip.by_name(name).map_err(|_| damaged())?;
    let mut buf = Vec::new();
    let read = file
        .take(*budget + 1)
        .read_to_end(&mut buf)
        .map_err(|_| damaged())? as u64;
    if read > *budget {
        return Err(IntakeError("ZIP ファイルを展開すると大きすぎます。".into()));
    }
    *budget -= read;
    Ok(buf)
}

// ---- The API's messages (電子申請等情報受取等API), as assumed ------------------------------------
//
// **Assumptions:** the connector logs in with the city's client id and secret (`POST {base}/token`,
// JSON `{"client_id", "client_secret"}` → `{"access_token", "expires_in"}`), lists the applications
// waiting (`GET {base}/applications` → `{"applications": [{"application_no", "received_at"}]}`),
// fetches each (`GET {base}/applications/{no}`, the document above; its attachments' `file` is the
// index as text, fetched from `GET {base}/applications/{no}/attachments/{index}`), and reports the
// processing status (`PUT {base}/applications/{no}/status`, `{"status", "reason"}` with the statuses
// of 申請管理). Bearer token on every call but the login.

/// The login request.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TokenRequest {
    pub client_id: String,
    pub client_secret: String,
}

/// The login answer.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TokenReply {
    pub access_token: String,
    #[serde(default)]
    pub expires_in: Option<u64>,
}

/// One entry of the list of applications waiting.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ListEntry {
    pub application_no: String,
    #[serde(default)]
    pub received_at: Option<DateTime<Utc>>,
}

/// The list answer.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ListReply {
    pub applications: Vec<ListEntry>,
}

/// A status report.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct StatusReport {
    pub status: String,
    #[serde(default)]
    pub reason: Option<String>,
}

/// The record of an application fetched through the API.
pub fn from_api(
    doc: &ApplicationDocument,
    contents: Vec<Vec<u8>>,
) -> Result<NewPortalApplication, IntakeError> {
    to_record(doc, contents, "api")
}
