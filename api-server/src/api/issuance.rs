//! The issuance station (証明書発行端末) over HTTP: the station's state and offers, the card holder's
//! choices after JPKI user authentication, the request with its 受付番号; and staff's queue of requests
//! with their actions (call, hand over with the fee, cancel). The work is in `crate::issuance`; the
//! certificates are issued by `POST /api/v1/cases/{id}/certificates` like at the counter.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use madoguchi_api::{ReceiptLine, StationApplication, StationLine, StationReceipt};
use madoguchi_core::case::CaseStatus;
use madoguchi_core::case_document::{CaseDocument, CertificateLine, JpkiCheck, Payment};
use madoguchi_core::certificate::protection::StationDecision;
use madoguchi_core::certificate::station::{Action, RequestState, reception_label};
use madoguchi_core::certificate::{Refusal, Scope, juminhyo, tax};
use madoguchi_core::resident::Resident;
use madoguchi_store::{CaseFilter, CaseRecord, CaseWrite, Store, TenantId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::cases::{check_client_id, parse_document, update_case};
use super::{ApiError, ErrorBody, QueryMap, today_jst};
use crate::auth::Session;
use crate::certificates::{self as service, CertificateError, SHOTOKU};
use crate::issuance::{self, Details, MAX_COPIES, STATION_PROCEDURE, card_holder};
use crate::{AppState, audit, blocking};
use madoguchi_core::certificate::station_setup::StationSetup;

/// A certificate a station offers.
#[derive(Serialize, ToSchema)]
pub struct StationOffer {
    pub item: String,
    pub name: String,
    /// Fee per copy.
    pub yen: u32,
    /// For the card holder (after identification): whether it can be issued here.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub available: Option<bool>,
    /// Why not, for the resident.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The code of `reason` (the station words it in the resident's language): `seal_not_registered`,
    /// `seal_abolished`, `seal_under_15`, `tax_not_loaded` or `certificate_refused`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason_code: Option<String>,
    /// 所得・課税証明書, for the card holder: the 課税年度 (西暦) whose 課税 is loaded, newest first —
    /// the years the station offers. Never an amount.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub years: Option<Vec<i32>>,
}

/// Whether the station takes requests now, and what it offers.
#[derive(Serialize, ToSchema)]
pub struct StationStatus {
    pub available: bool,
    /// Why not, for the resident.
    pub message: Option<String>,
    pub offers: Vec<StationOffer>,
    /// The tiles show the fee per copy (the station's setup).
    pub show_fees: bool,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StationIdentify {
    /// From `POST /api/v1/jpki/verify` in this session.
    pub verification_id: String,
}

/// The card holder as the station shows them: their own name and household size, nobody else's.
#[derive(Serialize, ToSchema)]
pub struct StationIdentity {
    pub name: String,
    /// Current members of the holder's household (for 「世帯全員（4人）」).
    pub household_size: u32,
    pub offers: Vec<StationOffer>,
}

/// A station request in staff's queue.
#[derive(Serialize, ToSchema)]
pub struct StationRequestView {
    pub request_id: String,
    pub reception_no: u32,
    pub reception_label: String,
    /// `queued`, `printing`, `print_failed`, `printed`, `called`, `handed_over`, `cancelled`.
    pub state: String,
    pub state_label: String,
    pub requested_at: DateTime<Utc>,
    /// The station's terminal id, and its name as enrolled.
    pub station: String,
    pub station_name: String,
    /// The station's requests print by themselves (自動印刷).
    pub auto_print: bool,
    /// The station's requests light the signal tower.
    pub tower: bool,
    /// The print agent (terminal id) printing it automatically, and its printer's problem.
    pub claimed_by: Option<String>,
    pub print_error: Option<String>,
    /// 支援措置: print by hand, with the reason stated by an authorised member (never automatically).
    pub staff_check: bool,
    /// The resident's name (staff call and hand over to them).
    pub name: String,
    pub lines: Vec<ReceiptLine>,
    pub fee_total: u32,
    pub payment: Option<Payment>,
    pub cancel_reason: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StationAction {
    /// Client-generated id: the same action again changes nothing.
    pub write_id: String,
    /// `call`, `hand_over` or `cancel`; a print agent's `confirm` or `fail` (with `reason`: the
    /// printer's problem) of its claim. Printing is `POST /api/v1/cases/{id}/certificates`.
    pub action: String,
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub payment: Option<Payment>,
}

const UNAVAILABLE: &str = "ただいまご利用いただけません。お手数ですが、窓口でお尋ねください。";

fn station_refused(code: &'static str, message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, message)
}

/// JPKI can vouch for cards now: trust anchors configured and the city's CRLs current.
fn jpki_ready(state: &AppState, store: &dyn Store, tenant: &TenantId) -> Result<bool, ApiError> {
    if state.jpki_anchors.is_empty() {
        return Ok(false);
    }
    let Some(text) = store.tenant_setting(tenant, super::jpki::CRL_SETTING)? else {
        return Ok(false);
    };
    Ok(state
        .jpki_challenges
        .crls(tenant.as_str(), &text, &state.jpki_anchors)
        .is_ok_and(|set| set.is_current(Utc::now())))
}

fn offer_views(fees: &madoguchi_core::fees::FeeTable, setup: &StationSetup) -> Vec<StationOffer> {
    issuance::offers(fees, setup)
        .into_iter()
        .map(|o| StationOffer {
            item: o.item.into(),
            name: o.name,
            yen: o.yen,
            available: None,
            reason: None,
            reason_code: None,
            years: None,
        })
        .collect()
}

/// Whether the station can take requests now (JPKI ready: trust anchors and a current CRL; within its
/// opening hours — its own or the city's — and not on one of the city's closed days, else when it
/// opens next), and the certificates it offers with their fees.
#[utoipa::path(get, path = "/api/v1/issuance/station/status", security(("bearer" = [])),
    responses((status = 200, body = StationStatus), (status = 403, body = ErrorBody)))]
pub async fn station_status(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<StationStatus>, ApiError> {
    let store = state.store.clone();
    blocking(move || {
        let ready = jpki_ready(&state, store.as_ref(), session.tenant())?;
        let setup = own_setup(store.as_ref(), &session)?;
        let closed = super::station_hours::closed_now(store.as_ref(), session.tenant(), &setup)?;
        let fees = super::fees::table(&state, store.as_ref(), session.tenant())?;
        Ok(Json(StationStatus {
            available: ready && closed.is_none(),
            message: closed.or_else(|| (!ready).then(|| UNAVAILABLE.to_owned())),
            offers: offer_views(&fees, &setup),
            show_fees: setup.show_fees,
        }))
    })
    .await
}

/// The station's own terminal id (its account's login for a station without one).
fn station_id(session: &Session) -> String {
    let station = session.record.terminal.clone();
    station.unwrap_or_else(|| session.record.login.clone())
}

/// The setup of the station asking.
fn own_setup(store: &dyn Store, session: &Session) -> Result<StationSetup, ApiError> {
    Ok(crate::station_setup::setup_of(
        store,
        session.tenant(),
        &station_id(session),
    )?)
}

/// The resident of a verified card, or the station's refusal.
fn holder_of(store: &dyn Store, session: &Session, serial: &str) -> Result<Resident, ApiError> {
    card_holder(store, session.tenant(), serial)?.ok_or_else(|| {
        station_refused(
            "card_unknown",
            "このカードでは証明書を発行できません。お手数ですが、窓口でお尋ねください。",
        )
    })
}

/// A certificate line about the card holder.
fn line_for(holder: &Resident, l: StationLine) -> CertificateLine {
    CertificateLine {
        item: l.item,
        copies: l.copies,
        exemption: None,
        subject: Some(holder.atena_no.as_str().to_owned()),
        scope: l.scope,
        items: l.items,
        year: l.year,
        purpose: None,
        name: String::new(),
        yen: 0,
    }
}

/// A station's refusal of a certificate: the resident's text, with its code.
fn refused(r: &Refusal) -> ApiError {
    station_refused(r.resident_code(), r.message_resident_ja())
}

/// Plans `lines` for the holder: the certificates and whether staff must check them, or the reason
/// for the resident. A person under 支援措置 among those printed is refused here unless the city
/// takes such requests for staff to print with a reason (`issuance_rules`); the answer to the
/// resident is the same either way.
fn plan_for_station(
    store: &dyn Store,
    tenant: &TenantId,
    holder: &Resident,
    lines: Vec<CertificateLine>,
) -> Result<(Vec<service::Planned>, bool), ApiError> {
    let mut doc: CaseDocument = serde_json::from_str(r#"{"visitor":{"kind":"本人"}}"#)
        .map_err(|e| ApiError::internal(e.to_string()))?;
    doc.visitor.atena_no = Some(holder.atena_no.as_str().to_owned());
    doc.certificates = lines;
    let planned = match service::plan(store, tenant, &doc, today_jst()) {
        Ok(p) => p,
        Err(CertificateError::Refused(refusals)) => {
            return Err(refusals.first().map_or_else(
                || station_refused("certificate_refused", UNAVAILABLE),
                refused,
            ));
        }
        Err(CertificateError::Store(e)) => return Err(e.into()),
        Err(_) => return Err(station_refused("certificate_refused", UNAVAILABLE)),
    };
    let people = planned.iter().flat_map(service::Planned::people);
    let protected = crate::privacy::certificate_protected(store, tenant, people)?;
    match super::issuance_rules::protected_at_station(store, tenant)?.decide(protected) {
        StationDecision::Take => Ok((planned, false)),
        StationDecision::HoldForStaff => Ok((planned, true)),
        StationDecision::Refuse => Err(station_refused("certificate_refused", UNAVAILABLE)),
    }
}

/// After JPKI user authentication: the card holder's name, household size and, per certificate
/// offered, whether it can be issued here (a gentle reason when not). Reads only the holder; audited.
#[utoipa::path(post, path = "/api/v1/issuance/station/identify", security(("bearer" = [])),
    request_body = StationIdentify,
    responses((status = 200, body = StationIdentity), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, description = "a card the city's data does not know", body = ErrorBody)))]
pub async fn identify(
    State(state): State<AppState>,
    session: Session,
    Json(req): Json<StationIdentify>,
) -> Result<Json<StationIdentity>, ApiError> {
    let store = state.store.clone();
    blocking(move || {
        let verification = state
            .jpki_challenges
            .peek_verification(&req.verification_id, &session.token_hash)
            .ok_or_else(expired)?;
        let found = holder_of(store.as_ref(), &session, &verification.serial);
        let outcome = if found.is_ok() { "ok" } else { "card_unknown" };
        let subject = found.as_ref().ok().map(|h| h.atena_no.as_str().to_owned());
        audit::read_by_session(
            store.as_ref(),
            &session,
            "issuance.identify",
            subject,
            outcome,
        )?;
        let holder = found?;
        let household = store.household_members(session.tenant(), &holder.household_no)?;
        let size = juminhyo::members(&holder, &household, Scope::Household).len();
        let fees = super::fees::table(&state, store.as_ref(), session.tenant())?;
        let setup = own_setup(store.as_ref(), &session)?;
        let mut offers = offer_views(&fees, &setup);
        for o in &mut offers {
            // 所得・課税証明書: the years loaded for the holder, the newest checked.
            let years = (o.item == SHOTOKU)
                .then(|| {
                    service::loaded_tax_years(
                        store.as_ref(),
                        session.tenant(),
                        &holder.atena_no,
                        today_jst(),
                    )
                })
                .transpose()?;
            let line = StationLine {
                item: o.item.clone(),
                copies: 1,
                scope: Some("本人のみ".into()),
                items: None,
                year: years.as_ref().and_then(|y| y.first().copied()),
            };
            let line = line_for(&holder, line);
            let checked = plan_for_station(store.as_ref(), session.tenant(), &holder, vec![line]);
            o.available = Some(checked.is_ok());
            o.years = years.filter(|_| checked.is_ok());
            if let Err(e) = checked {
                o.reason_code = Some(e.code.to_owned());
                o.reason = Some(e.message);
            }
        }
        Ok(Json(StationIdentity {
            name: holder.name.full.clone(),
            household_size: size as u32,
            offers,
        }))
    })
    .await
}

fn expired() -> ApiError {
    ApiError::bad_request(
        "jpki_verification_invalid",
        "カードの確認の有効期限が切れました。もう一度カードを置いて、暗証番号を入力してください。",
    )
}

/// The lines asked for, checked: items this station offers, 1–5 copies, each item once; a
/// 所得・課税証明書 of the holder alone for a 課税年度 the certificate may ask for (else the gentle
/// refusal of a year not loaded), and no year on any other line.
fn checked_lines(
    holder: &Resident,
    setup: &StationSetup,
    lines: Vec<StationLine>,
) -> Result<Vec<CertificateLine>, ApiError> {
    if lines.is_empty() || lines.len() > issuance::STATION_ITEMS.len() {
        return Err(ApiError::bad_request(
            "invalid_lines",
            "証明書を選んでください。",
        ));
    }
    let mut out: Vec<CertificateLine> = Vec::new();
    for l in lines {
        if !issuance::STATION_ITEMS.contains(&l.item.as_str())
            || !setup.offers(&l.item)
            || out.iter().any(|o| o.item == l.item)
        {
            return Err(ApiError::bad_request(
                "invalid_lines",
                "この端末で発行できない証明書です。",
            ));
        }
        if !(1..=MAX_COPIES).contains(&l.copies) {
            return Err(ApiError::bad_request(
                "invalid_copies",
                format!("通数は1〜{MAX_COPIES}通で選んでください。"),
            ));
        }
        match (l.item == SHOTOKU, l.year) {
            (true, None) => {
                return Err(ApiError::bad_request(
                    "invalid_year",
                    "課税年度を選んでください。",
                ));
            }
            (true, Some(year)) => {
                let own = matches!(l.scope.as_deref(), None | Some("本人のみ"));
                if !own || l.items.is_some() {
                    return Err(ApiError::bad_request(
                        "invalid_lines",
                        "所得・課税証明書は、ご本人の分だけ申し込めます。",
                    ));
                }
                if !tax::years_on(today_jst()).contains(&year) {
                    return Err(refused(&Refusal::TaxNotLoaded(year)));
                }
            }
            (false, Some(_)) => {
                return Err(ApiError::bad_request(
                    "invalid_year",
                    "課税年度は所得・課税証明書だけに選べます。",
                ));
            }
            (false, None) => {}
        }
        out.push(line_for(holder, l));
    }
    Ok(out)
}

fn receipt(
    store: &dyn Store,
    session: &Session,
    id: &str,
    doc: &CaseDocument,
    at: DateTime<Utc>,
) -> Result<StationReceipt, ApiError> {
    let request = doc
        .station
        .as_ref()
        .ok_or_else(|| ApiError::internal("station case without its request"))?;
    // One symbol: a request id is short.
    let qr = super::qr::tenant_signer(store, session)?
        .encode(madoguchi_qr_payload::Kind::Case, id, 300)
        .map_err(ApiError::internal)?
        .into_iter()
        .next()
        .unwrap_or_default();
    Ok(StationReceipt {
        request_id: id.to_owned(),
        reception_no: request.reception_no,
        reception_label: reception_label(request.reception_no),
        lines: receipt_lines(doc),
        fee_total: doc.fee_total,
        requested_at: at,
        qr,
    })
}

/// A line's name as the 受付票, staff's queue and the history say it: with its 課税年度, if any.
fn line_name(c: &CertificateLine) -> String {
    match c.year {
        Some(year) => format!("{}（{}）", c.name, tax::nendo_ja(year)),
        None => c.name.clone(),
    }
}

fn receipt_lines(doc: &CaseDocument) -> Vec<ReceiptLine> {
    doc.certificates
        .iter()
        .map(|c| ReceiptLine {
            name: line_name(c),
            copies: c.copies,
            yen: c.yen,
        })
        .collect()
}

/// A resident's request at the station, after JPKI user authentication: the certificates about the
/// card holder are checked (rules, refusals, 支援措置), the fee computed, a 受付番号 taken and the request
/// stored as a case for staff to print and hand over. The same `request_id` again answers the same
/// receipt. Audited.
#[utoipa::path(put, path = "/api/v1/issuance/requests/{request_id}", security(("bearer" = [])),
    params(("request_id" = String, Path, description = "client-generated id")),
    request_body = StationApplication,
    responses((status = 200, body = StationReceipt), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, description = "refused, with the reason for the resident", body = ErrorBody)))]
pub async fn put_request(
    State(state): State<AppState>,
    session: Session,
    Path(request_id): Path<String>,
    Json(req): Json<StationApplication>,
) -> Result<Json<StationReceipt>, ApiError> {
    check_client_id(&request_id, "申込番号")?;
    let store = state.store.clone();
    blocking(move || {
        let store = store.as_ref();
        let tenant = session.tenant().clone();
        if let Some((record, _)) = store.get_case(&tenant, &request_id)? {
            return replayed(store, &session, &request_id, &record).map(Json);
        }
        let setup = own_setup(store, &session)?;
        if let Some(closed) = super::station_hours::closed_now(store, &tenant, &setup)? {
            return Err(station_refused("station_closed", closed));
        }
        let verification = state
            .jpki_challenges
            .claim_verification(&req.verification_id, &session.token_hash, &request_id)
            .ok_or_else(expired)?;
        let holder = holder_of(store, &session, &verification.serial)?;
        let mut lines = checked_lines(&holder, &setup, req.lines)?;
        let (_, staff_check) = plan_for_station(store, &tenant, &holder, lines.clone())?;
        let fees = super::fees::table(&state, store, &tenant)?;
        let quote = fees
            .quote(&lines.iter().map(fee_request).collect::<Vec<_>>())
            .map_err(ApiError::internal)?;
        for (c, q) in lines.iter_mut().zip(&quote.lines) {
            c.name = q.name.clone();
            c.yen = q.yen;
        }
        let today = today_jst();
        let no = store.take_reception_number(&tenant, today)?;
        let station = station_id(&session);
        let jpki = JpkiCheck {
            serial: verification.serial.clone(),
            verified_at: verification.verified_at,
        };
        let mut doc = issuance::request_document(&holder, jpki, lines, &station, no, today);
        doc.fee_total = quote.total_yen;
        if let Some(request) = doc.station.as_mut() {
            request.staff_check = staff_check;
        }
        save_request(store, &session, &request_id, &doc, &holder)?;
        let (record, _) = store
            .get_case(&tenant, &request_id)?
            .ok_or_else(|| ApiError::internal("saved request vanished"))?;
        receipt(
            store,
            &session,
            &request_id,
            &parse_document(&record)?,
            record.opened_at,
        )
        .map(Json)
    })
    .await
}

fn fee_request(c: &CertificateLine) -> madoguchi_core::fees::Request {
    madoguchi_core::fees::Request {
        item: c.item.clone(),
        copies: c.copies,
        exemption: None,
    }
}

/// A request id seen before: the same station's receipt again, else a conflict.
fn replayed(
    store: &dyn Store,
    session: &Session,
    id: &str,
    record: &CaseRecord,
) -> Result<StationReceipt, ApiError> {
    let doc = parse_document(record)?;
    if doc.station.is_none() || record.opened_by != session.record.login {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "request_conflict",
            "この申込番号はすでに使われています。",
        ));
    }
    audit::read_by_session(
        store,
        session,
        "issuance.request",
        Some(format!("case:{id}")),
        "replayed",
    )?;
    receipt(store, session, id, &doc, record.opened_at)
}

fn save_request(
    store: &dyn Store,
    session: &Session,
    id: &str,
    doc: &CaseDocument,
    holder: &Resident,
) -> Result<(), ApiError> {
    let request = doc.station.as_ref().map_or(0, |s| s.reception_no);
    let what: Vec<String> = doc
        .certificates
        .iter()
        .map(|c| format!("{} {}通", line_name(c), c.copies))
        .collect();
    let write = CaseWrite {
        case_id: id.to_owned(),
        expected_revision: None,
        status: CaseStatus::Open.code().into(),
        title: format!(
            "証明書（発行端末 {}） {}",
            reception_label(request),
            holder.name.full
        ),
        subjects: vec![holder.atena_no.as_str().to_owned()],
        procedures: super::cases::procedure_index(doc),
        document: madoguchi_core::case_document::stored::write(doc),
        entry: madoguchi_store::CaseEntry {
            write_id: format!("{id}:request"),
            at: Utc::now(),
            user: session.record.login.clone(),
            counter: session.record.counter.clone(),
            terminal: session.record.terminal.clone(),
            lines: vec![
                format!(
                    "証明書発行端末で申込み（受付番号 {}）: {}",
                    reception_label(request),
                    what.join("、")
                ),
                "本人確認: 公的個人認証（マイナンバーカードの利用者証明用電子証明書）".into(),
            ],
        },
    };
    let event = audit::event_for(
        session,
        "issuance.request",
        Some(format!("case:{id}")),
        "ok",
    );
    store.save_case(session.tenant(), &write, &event)?;
    Ok(())
}

/// The stations as staff's queue shows them: enrolled name and setup, read once per answer.
pub(super) struct Stations<'a> {
    store: &'a dyn Store,
    tenant: &'a TenantId,
    names: std::collections::HashMap<String, String>,
    setups: std::collections::HashMap<String, StationSetup>,
}

impl<'a> Stations<'a> {
    pub(super) fn new(store: &'a dyn Store, tenant: &'a TenantId) -> Result<Self, ApiError> {
        let names = store
            .list_terminals(tenant)?
            .into_iter()
            .map(|t| (t.id, t.name))
            .collect();
        Ok(Stations {
            store,
            tenant,
            names,
            setups: Default::default(),
        })
    }

    fn name(&self, station: &str) -> String {
        self.names
            .get(station)
            .cloned()
            .unwrap_or_else(|| station.to_owned())
    }

    pub(super) fn setup(&mut self, station: &str) -> Result<StationSetup, ApiError> {
        if let Some(s) = self.setups.get(station) {
            return Ok(s.clone());
        }
        let s = crate::station_setup::setup_of(self.store, self.tenant, station)?;
        self.setups.insert(station.to_owned(), s.clone());
        Ok(s)
    }
}

pub(super) fn request_view(
    record: &CaseRecord,
    stations: &mut Stations<'_>,
    now: DateTime<Utc>,
) -> Result<Option<StationRequestView>, ApiError> {
    let doc = parse_document(record)?;
    let Some(request) = doc.station.as_ref() else {
        return Ok(None);
    };
    let state = issuance::state_of(request, now);
    let setup = stations.setup(&request.station)?;
    let print_error = match state {
        RequestState::PrintFailed => Some(request.print_error.clone().unwrap_or_else(|| {
            "自動印刷の完了が確認できません。プリンターを確認してください。".into()
        })),
        _ => None,
    };
    Ok(Some(StationRequestView {
        request_id: record.id.clone(),
        reception_no: request.reception_no,
        reception_label: reception_label(request.reception_no),
        state: state.code().into(),
        state_label: state.label_ja().into(),
        requested_at: record.opened_at,
        station: request.station.clone(),
        station_name: stations.name(&request.station),
        auto_print: setup.auto_print,
        tower: setup.tower,
        claimed_by: request.claimed_by.clone(),
        print_error,
        staff_check: request.staff_check,
        name: doc.visitor.name.clone(),
        lines: receipt_lines(&doc),
        fee_total: doc.fee_total,
        payment: request.payment.clone(),
        cancel_reason: request.cancel_reason.clone(),
    }))
}

/// A cancelled request's printed certificates are revoked (失効) with the cancellation's reason: a sheet
/// that was printed but not handed over must not verify as valid. A retried cancellation finds them
/// revoked already.
fn revoke_printed(
    store: &dyn Store,
    session: &Session,
    record: &CaseRecord,
    reason: Option<&str>,
) -> Result<(), ApiError> {
    let filter = madoguchi_store::CertificateFilter {
        from: Some(record.opened_at),
        to: None,
        issue_no: None,
        limit: 10_000,
    };
    let reason = format!("発行端末の申込みの取消: {}", reason.unwrap_or("").trim());
    let issued = store.find_certificates(session.tenant(), &filter)?;
    for c in issued
        .iter()
        .filter(|c| c.case_id.as_deref() == Some(record.id.as_str()) && c.revoked_at.is_none())
    {
        let revocation = madoguchi_store::Revocation {
            issue_no: c.issue_no.clone(),
            at: Utc::now(),
            by: session.record.login.clone(),
            reason: reason.clone(),
        };
        let event = madoguchi_store::AuditEvent {
            reason: Some(reason.clone()),
            ..audit::event_for(
                session,
                "certificate.revoke",
                Some(c.issue_no.clone()),
                "ok",
            )
        };
        match store.revoke_certificate(session.tenant(), &revocation, &event) {
            Ok(_) | Err(madoguchi_store::StoreError::Conflict(_)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

/// Station requests of a day (`day=YYYY-MM-DD`, default today JST), oldest first: staff's queue.
/// Audited as a read.
#[utoipa::path(get, path = "/api/v1/issuance/requests", security(("bearer" = [])),
    params(("day" = Option<String>, Query, description = "YYYY-MM-DD (JST), default today")),
    responses((status = 200, body = [StationRequestView]), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_requests(
    State(state): State<AppState>,
    session: Session,
    query: QueryMap,
) -> Result<Json<Vec<StationRequestView>>, ApiError> {
    let day = match query.get("day") {
        None => today_jst(),
        Some(d) => chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").map_err(|_| {
            ApiError::bad_request("invalid_day", "日付は YYYY-MM-DD で指定してください。")
        })?,
    };
    let store = state.store.clone();
    blocking(move || {
        let (from, to) = (
            audit::jst_midnight(day),
            audit::jst_midnight(day + chrono::Duration::days(1)),
        );
        let filter = CaseFilter {
            from: Some(from),
            to: Some(to),
            procedure: Some(STATION_PROCEDURE.into()),
            limit: 2000,
            ..CaseFilter::default()
        };
        let mut records = store.find_cases(session.tenant(), &filter)?;
        records.sort_by_key(|r| r.opened_at);
        let mut stations = Stations::new(store.as_ref(), session.tenant())?;
        let now = Utc::now();
        let views: Vec<StationRequestView> = records
            .iter()
            .map(|r| request_view(r, &mut stations, now))
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .flatten()
            .collect();
        audit::read_by_session(
            store.as_ref(),
            &session,
            "issuance.list",
            Some(format!("day:{day}")),
            "ok",
        )?;
        Ok(Json(views))
    })
    .await
}

/// Staff's action on a station request: `call` (呼出), `hand_over` (交付, with the payment: 現金 with
/// the amount received, キャッシュレス with the 決済番号) or `cancel` (with the reason). Illegal in the
/// request's state → 409 with the reason. Audited through the case's history.
#[utoipa::path(post, path = "/api/v1/issuance/requests/{request_id}/actions", security(("bearer" = [])),
    params(("request_id" = String, Path)), request_body = StationAction,
    responses((status = 200, body = StationRequestView), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn act(
    State(state): State<AppState>,
    session: Session,
    Path(request_id): Path<String>,
    Json(req): Json<StationAction>,
) -> Result<Json<StationRequestView>, ApiError> {
    check_client_id(&request_id, "申込番号")?;
    check_client_id(&req.write_id, "書込み番号")?;
    let action = match Action::parse(&req.action) {
        Some(
            a @ (Action::Call | Action::HandOver | Action::Cancel | Action::Confirm | Action::Fail),
        ) => a,
        _ => {
            return Err(ApiError::bad_request(
                "invalid_action",
                "操作は「呼出」「交付」「取消」のいずれかです。",
            ));
        }
    };
    let store = state.store.clone();
    blocking(move || {
        update_case(
            store.as_ref(),
            &session,
            &request_id,
            &req.write_id,
            Vec::new(),
            |doc| {
                let details = Details {
                    payment: req.payment.clone(),
                    reason: req.reason.as_deref(),
                    terminal: session.record.terminal.as_deref(),
                };
                let to = issuance::apply(doc, action, &details, Utc::now())
                    .map_err(|m| ApiError::new(StatusCode::CONFLICT, "invalid_action", m))?;
                let line = doc
                    .station
                    .as_ref()
                    .map(|r| issuance::history_line(action, r));
                Ok((
                    to.is_final().then_some(CaseStatus::Closed),
                    line.into_iter().collect(),
                ))
            },
        )?;
        let (record, _) = store
            .get_case(session.tenant(), &request_id)?
            .ok_or_else(|| ApiError::not_found("申込みが見つかりません。"))?;
        if action == Action::Cancel {
            revoke_printed(store.as_ref(), &session, &record, req.reason.as_deref())?;
        }
        let mut stations = Stations::new(store.as_ref(), session.tenant())?;
        request_view(&record, &mut stations, Utc::now())?
            .map(Json)
            .ok_or_else(|| ApiError::not_found("申込みが見つかりません。"))
    })
    .await
}
