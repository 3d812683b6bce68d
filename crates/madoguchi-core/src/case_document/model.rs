//! The case document and its parts.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::navigation::{Answer, MemberInput};

/// The case as the counter works on it. Stored as sent, except the certificate fees (recomputed).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CaseDocument {
    /// Who came to the counter (来庁者), and how they were identified (本人確認).
    pub visitor: Visitor,
    /// The 届出 of this visit: one per household (several households in one visit).
    #[serde(default)]
    pub notifications: Vec<Notification>,
    /// Answers to 手続きナビ's questions, by question id.
    #[serde(default)]
    pub answers: BTreeMap<String, Answer>,
    /// Procedures found for the case, with their state.
    #[serde(default)]
    pub procedures: Vec<CaseProcedure>,
    /// Certificates requested (証明書交付請求).
    #[serde(default)]
    pub certificates: Vec<CertificateLine>,
    /// Total fee of the certificates (computed by the server).
    #[serde(default)]
    pub fee_total: u32,
    #[serde(default)]
    pub memo: String,
    /// The resident's handwritten signature (pen tablet or touch screen), for the 申請内容票.
    #[serde(default)]
    pub signature: Option<SignatureWire>,
    /// Set when the case is a resident's request at an issuance station (証明書発行端末); written by the
    /// server only (a client's value is ignored).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub station: Option<StationRequest>,
}

/// A certificate request made at an issuance station: its 受付番号 and where it stands
/// ([`crate::certificate::station`]).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StationRequest {
    /// 受付番号, per city and day from 1.
    pub reception_no: u32,
    /// The day (JST) the number belongs to.
    pub day: NaiveDate,
    /// The station's terminal id (or its account when it has none).
    pub station: String,
    /// `queued`, `printing`, `print_failed`, `printed`, `called`, `handed_over` or `cancelled`.
    pub state: String,
    /// How the fee was paid, once handed over.
    #[serde(default)]
    pub payment: Option<Payment>,
    /// Why it was cancelled.
    #[serde(default)]
    pub cancel_reason: Option<String>,
    /// The print agent (terminal id) that claimed it for automatic printing, and when.
    #[serde(default)]
    pub claimed_by: Option<String>,
    #[serde(default)]
    pub claimed_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Why automatic printing failed (Japanese, as the agent reported it).
    #[serde(default)]
    pub print_error: Option<String>,
    /// 支援措置 (the city takes such requests, `certificate::protection`): never printed
    /// automatically; staff print it by hand once an authorised member states the reason.
    #[serde(default)]
    pub staff_check: bool,
}

/// The fee collected when certificates are handed over.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Payment {
    /// `cash` (現金) or `cashless` (キャッシュレス決済).
    pub method: String,
    pub yen: u32,
    /// Cash received (現金), for the change.
    #[serde(default)]
    pub received: Option<u32>,
    /// The cashless terminal's 決済番号.
    #[serde(default)]
    pub reference: Option<String>,
}

/// A signature as the pointer drew it: samples in the capture area's pixels.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SignatureWire {
    /// Size of the capture area, pixels.
    pub width: f64,
    pub height: f64,
    pub strokes: Vec<Vec<PointWire>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PointWire {
    pub x: f64,
    pub y: f64,
    /// Milliseconds since the signature started.
    pub t: f64,
    /// 0–1 as Pointer Events report it; absent when the device has no pressure.
    #[serde(default)]
    pub pressure: Option<f64>,
}

impl SignatureWire {
    /// The strokes the forms engine draws (`[x, y, pressure]`), or the reason in Japanese.
    pub fn form_strokes(&self) -> Result<Vec<Vec<[f64; 3]>>, crate::signature::SignatureError> {
        let strokes: Vec<Vec<crate::signature::RawPoint>> = self
            .strokes
            .iter()
            .map(|s| {
                s.iter()
                    .map(|p| crate::signature::RawPoint {
                        x: p.x,
                        y: p.y,
                        t_ms: p.t,
                        pressure: p.pressure,
                    })
                    .collect()
            })
            .collect();
        crate::signature::form_strokes(&strokes, self.width, self.height)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Visitor {
    /// `本人` (the person concerned), `同一世帯` (a member of the household) or `代理人` (a proxy).
    pub kind: String,
    /// 宛名番号 when the visitor is a resident found by search.
    #[serde(default)]
    pub atena_no: Option<String>,
    #[serde(default)]
    pub name: String,
    /// Relation to the person concerned (for 同一世帯 / 代理人).
    #[serde(default)]
    pub relation: String,
    /// A 委任状 was shown (required for 代理人).
    #[serde(default)]
    pub proxy_letter: bool,
    /// 本人確認書類: `マイナンバーカード`, `運転免許証`, `在留カード`, `パスポート`, `健康保険証等（2点）` …
    #[serde(default)]
    pub id_document: String,
    /// The 券面事項 of the visitor's マイナンバーカード when it was read at the counter or the kiosk.
    #[serde(default)]
    pub card: Option<CardFace>,
    /// The `verification_id` of a JPKI card authentication of this session (`POST /api/v1/jpki/verify`),
    /// to record it in the case. Sent by the client; never stored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jpki_verification: Option<String>,
    /// 公的個人認証 recorded by the server from a verification the case named: never taken from the
    /// client (a save keeps the stored one).
    #[serde(default)]
    pub jpki: Option<JpkiCheck>,
}

/// The server's record of a JPKI user authentication (利用者証明用電子証明書) at this visit.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct JpkiCheck {
    /// Serial number of the certificate (hex).
    pub serial: String,
    pub verified_at: DateTime<Utc>,
}

/// 券面事項 read from a マイナンバーカード (券面事項入力補助AP): the 基本4情報 as the card holds them, for the
/// 住民記録 system's CSV import of 券面事項. Never the 個人番号.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CardFace {
    pub name: String,
    pub address: String,
    /// ISO date.
    pub birth: NaiveDate,
    /// 男, 女 or empty.
    #[serde(default)]
    pub sex: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Notification {
    /// 転入, 転居, 転出, 世帯変更, 出生 or 死亡.
    pub kind: String,
    /// 国内 / 国外 (転入・転出), 分離 / 合併 / 世帯主変更 (世帯変更).
    #[serde(default)]
    pub detail: String,
    /// Date of the move, birth or death (ISO).
    pub event_date: NaiveDate,
    /// 世帯番号 of the household concerned, when it is a household of the city.
    #[serde(default)]
    pub household_no: Option<String>,
    /// 転出証明書情報 the 転入 was taken from.
    #[serde(default)]
    pub notice_no: Option<String>,
    #[serde(default)]
    pub old_address: String,
    #[serde(default)]
    pub new_address: Option<NewAddress>,
    /// 世帯主 after the event.
    #[serde(default)]
    pub head_name: String,
    /// Everyone in the household; `facts.mover` marks the people the 届出 is about.
    pub members: Vec<CaseMember>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewAddress {
    /// 町字 from the city's list (`GET /api/v1/towns`).
    pub town: String,
    #[serde(default)]
    pub town_code: Option<String>,
    #[serde(default)]
    pub postal_code: Option<String>,
    /// 番地・号.
    #[serde(default)]
    pub banchi: String,
    /// 方書 (building, room).
    #[serde(default)]
    pub katagaki: String,
    /// 都道府県 + 市区町村 + 町字 + 番地.
    pub full: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CaseMember {
    /// 宛名番号 when the person is (or was) a resident of the city.
    #[serde(default)]
    pub atena_no: Option<String>,
    pub name: String,
    #[serde(default)]
    pub kana: String,
    /// What 手続きナビ needs to know of the person.
    pub facts: MemberInput,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CaseProcedure {
    pub code: String,
    pub name: String,
    pub counter: String,
    pub on_the_spot: bool,
    /// `pending` (未), `printed` (申請書印刷済) or `accepted` (受付済).
    pub state: String,
    #[serde(default)]
    pub reasons: Vec<String>,
    /// Form template ids of the procedure.
    #[serde(default)]
    pub forms: Vec<String>,
    #[serde(default)]
    pub bring: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CertificateLine {
    /// Item code of the fee table (`JUMINHYO` …).
    pub item: String,
    pub copies: u32,
    #[serde(default)]
    pub exemption: Option<String>,
    /// 宛名番号 of the person the certificate is about; absent: the visitor.
    #[serde(default)]
    pub subject: Option<String>,
    /// 住民票の写し: `世帯全員` (absent) or `本人のみ`.
    #[serde(default)]
    pub scope: Option<String>,
    /// 記載事項 to include (codes of [`crate::certificate::Item`]); absent: the standard set.
    #[serde(default)]
    pub items: Option<Vec<String>>,
    /// 所得・課税証明書: the 課税年度 (西暦); absent: the 年度 of the day it is issued.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// 使用目的 (and 提出先) as the requester states it, printed on the 交付請求書.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
    /// Filled in by the server.
    #[serde(default)]
    pub name: String,
    /// Filled in by the server.
    #[serde(default)]
    pub yen: u32,
}

/// 転出証明書情報 received ahead of a 転入 (転入届の特例): the family and where they come from.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct IncomingMoveView {
    pub notice_no: String,
    /// The 転出 municipality's address of the household.
    pub old_address: String,
    /// 転入予定地 as the 転出証明書情報 states it, when it does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_address: Option<String>,
    /// 転出予定日.
    pub planned_on: NaiveDate,
    /// 世帯主 at the old address.
    pub head_name: String,
    pub members: Vec<CaseMember>,
    /// The case prepared for the household's 転入予約 the evening before, when there is one: filled in
    /// by the server when it answers a search, never stored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prepared_case_id: Option<String>,
}
