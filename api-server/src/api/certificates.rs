//! Certificates over HTTP: issuing the 住民票の写し of a counter case, checking a certificate's
//! verification QR, and revoking a certificate. The work is in `crate::certificates`.

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::Response;
use chrono::Utc;
use madoguchi_core::certificate::counter_items::CounterItems;
use madoguchi_core::certificate::fiscal_year;
use madoguchi_core::certificate::station::{Action, RequestState, next};
use madoguchi_store::{CertificateIssue, CertificateRecord, CertificatesIssued, Revocation};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::forms::{override_reason, support_measure_gate};
use super::{ApiError, ErrorBody, today_jst};
use crate::auth::Session;
use crate::certificates::{self as service, CertificateError};
use crate::printing::tenant_library;
use crate::{AppState, audit, blocking};

impl From<CertificateError> for ApiError {
    fn from(e: CertificateError) -> Self {
        match e {
            CertificateError::Invalid(code, message) => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, message)
            }
            CertificateError::Refused(refusals) => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "certificate_refused",
                refusals
                    .iter()
                    .map(|r| r.message_ja())
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
            CertificateError::Problems(problems) => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "form_problems",
                problems.join("\n"),
            ),
            CertificateError::Printing(e) => ApiError::from(e),
            CertificateError::Store(e) => ApiError::from(e),
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IssueCertificates {
    /// Client-generated id of this issue: the same id again returns the same certificates (numbers
    /// and PDF) instead of issuing new ones.
    pub write_id: String,
    /// Why a certificate about a person under 支援措置 may be issued; needs the override permission.
    #[serde(default)]
    pub override_reason: Option<String>,
}

/// Issue the 住民票の写し lines of a saved case: one certificate per copy, each with its 発行番号, the
/// 地紋 and a signed verification QR. A counter the city restricted refuses a case with a line it does
/// not issue (a station's request is not the counter's).
#[utoipa::path(post, path = "/api/v1/cases/{case_id}/certificates", security(("bearer" = [])),
    params(("case_id" = String, Path)), request_body = IssueCertificates,
    responses(
        (status = 200, description = "the PDF; `x-madoguchi-issue-numbers` (comma-separated 発行番号), `x-madoguchi-pages`", content_type = "application/pdf"),
        (status = 400, body = ErrorBody),
        (status = 403, description = "no permission, or 支援措置 without an override and a reason", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, description = "no certificate line, a line the counter does not issue (`not_issued_at_counter`), a refusal (住民状態, 外字), or a value that cannot be printed", body = ErrorBody),
    ))]
pub async fn issue_from_case(
    State(state): State<AppState>,
    session: Session,
    Path(case_id): Path<String>,
    Json(req): Json<IssueCertificates>,
) -> Result<Response, ApiError> {
    super::cases::check_client_id(&case_id, "案件番号")?;
    super::cases::check_client_id(&req.write_id, "書込み番号")?;
    let reason = override_reason(req.override_reason.as_deref())?;
    let store = state.store.clone();
    let forms = state.forms.clone();
    let (pdf, pages, numbers) = blocking(move || {
        let tenant = session.tenant().clone();
        let Some((record, _)) = store.get_case(&tenant, &case_id)? else {
            return Err(ApiError::not_found("案件が見つかりません。"));
        };
        let doc = super::cases::parse_document(&record)?;
        let counter = &session.record.counter;
        if let Some(item) = service::refused_at_counter(store.as_ref(), &tenant, counter, &doc)? {
            return Err(not_issued_here(&state, store.as_ref(), &tenant, counter, &item)?);
        }
        // A station's request handed over or cancelled is not printed again; one being printed
        // automatically is printed only by the agent that claimed it (and stays `printing` until
        // the agent confirms).
        let by_agent = doc
            .station
            .as_ref()
            .map(|r| station_print_check(r, &session))
            .transpose()?
            .unwrap_or(false);
        // The history entry is per state printed from: printing by hand after an automatic print
        // failed is recorded (and moves the request on), though it reissues the same certificates.
        let history_id = match &doc.station {
            Some(r) => format!("{}:history:{}", req.write_id, r.state),
            None => format!("{}:history", req.write_id),
        };
        let today = today_jst();
        let planned = service::plan(store.as_ref(), &tenant, &doc, today)?;
        let people = planned.iter().flat_map(service::Planned::people);
        let protected = crate::privacy::certificate_protected(store.as_ref(), &tenant, people)?;
        let subject = format!("case:{case_id}");
        if protected {
            support_measure_gate(
                store.as_ref(),
                &session,
                ("certificate.issue", &subject),
                reason.as_deref(),
                "支援措置の対象となっている方の証明書は、理由を入力し、権限のある職員が発行してください。",
            )?;
        }
        let library = tenant_library(&forms, store.as_ref(), &tenant)?;
        let city = service::city_text(store.as_ref(), &tenant)?;
        let templates = planned
            .iter()
            .map(|p| {
                library
                    .in_force(p.template(), today)
                    .map(|t| format!("{}@{}", t.id, t.version))
                    .map_err(|e| ApiError::internal(e.to_string()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        // A dry run with a placeholder number: refuse before a number is taken.
        let signer = super::qr::tenant_signer(store.as_ref(), &session)?;
        let dry: Vec<CertificateRecord> = planned
            .iter()
            .zip(&templates)
            .map(|(p, t)| dry_record(&signer, p, t, today, &city))
            .collect::<Result<_, _>>()?;
        service::render(&forms, &library, &dry)?;
        let lines: Vec<(usize, &service::Planned)> = planned
            .iter()
            .enumerate()
            .flat_map(|(i, p)| std::iter::repeat_n((i, p), p.copies as usize))
            .collect();
        let issue = CertificateIssue {
            write_id: req.write_id.clone(),
            fiscal_year: fiscal_year(today),
            count: lines.len(),
            case_id: Some(case_id.clone()),
            place: session.record.counter.clone(),
            issued_by: session.record.login.clone(),
            issued_at: Utc::now(),
        };
        let mut build = |seq: usize, no: madoguchi_core::certificate::IssueNo| {
            let (line, p) = lines[seq];
            let no = no.to_string();
            let data = service::snapshot(p, &no, today, &city);
            let people = p.people();
            let subjects = people.iter().map(|r| r.atena_no.as_str().to_owned());
            service::new_certificate(&signer, p.item, &data, &templates[line], &no, subjects.collect())
        };
        let audit_issue = |records: &[CertificateRecord]| {
            let numbers: Vec<&str> = records.iter().map(|r| r.issue_no.as_str()).collect();
            madoguchi_store::AuditEvent {
                reason: if protected { reason.clone() } else { None },
                ..audit::event_for(
                    &session,
                    "certificate.issue",
                    Some(format!("{subject} {}", numbers.join(" "))),
                    "ok",
                )
            }
        };
        let issued = store.issue_certificates(&tenant, &issue, &mut build, &audit_issue)?;
        if let CertificatesIssued::Existing(records) = &issued {
            let numbers: Vec<&str> = records.iter().map(|r| r.issue_no.as_str()).collect();
            audit::by_session(
                store.as_ref(),
                &session,
                "certificate.reprint",
                Some(format!("{subject} {}", numbers.join(" "))),
                "ok",
            )?;
        }
        let records = issued.records();
        let numbers: Vec<String> = records.iter().map(|r| r.issue_no.clone()).collect();
        let line = format!("証明書を発行: {}", service::issued_line(records));
        // A station's request is printed now (a reprint keeps its state).
        super::cases::update_case(
            store.as_ref(),
            &session,
            &case_id,
            &history_id,
            vec![line],
            |doc| {
                if doc.station.is_some() && !by_agent {
                    let details = crate::issuance::Details::default();
                    crate::issuance::apply(doc, Action::Print, &details, Utc::now())
                        .map_err(|m| ApiError::new(StatusCode::CONFLICT, "invalid_action", m))?;
                }
                Ok((None, Vec::new()))
            },
        )?;
        let (pdf, pages) = service::render(&forms, &library, records)?;
        Ok((pdf, pages, numbers))
    })
    .await?;
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "application/pdf")
        .header("x-madoguchi-pages", pages.to_string())
        .header("x-madoguchi-issue-numbers", numbers.join(","))
        .body(Body::from(pdf))
        .map_err(ApiError::internal)
}

/// Why `counter` refuses the line of `item` (the city set which certificates each counter issues):
/// 422, naming the certificate and the counter as the city wrote them.
fn not_issued_here(
    state: &AppState,
    store: &dyn madoguchi_store::Store,
    tenant: &madoguchi_store::TenantId,
    counter: &str,
    item: &str,
) -> Result<ApiError, ApiError> {
    let counter_name = store
        .find_counter(tenant, counter)?
        .map_or_else(|| counter.to_owned(), |c| c.name);
    let fees = super::fees::table(state, store, tenant)?;
    let item_name = fees
        .items
        .iter()
        .find(|f| f.code == item)
        .map_or_else(|| item.to_owned(), |f| f.name.clone());
    Ok(ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "not_issued_at_counter",
        CounterItems::refusal_ja(&counter_name, &item_name),
    ))
}

/// Whether a station request may be printed now: `Ok(true)` when this terminal is the print agent
/// holding its claim, `Ok(false)` for staff printing it by hand, else why not.
fn station_print_check(
    request: &madoguchi_core::case_document::StationRequest,
    session: &Session,
) -> Result<bool, ApiError> {
    let state = crate::issuance::state_of(request, Utc::now());
    let mine = request.claimed_by.is_some() && request.claimed_by == session.record.terminal;
    if state == RequestState::Printing && mine {
        return Ok(true);
    }
    next(state, Action::Print)
        .map(|_| false)
        .map_err(|m| ApiError::new(StatusCode::CONFLICT, "invalid_action", m))
}

/// A record as it would be issued, numbered `…-000000`, to find print problems before a number is
/// taken.
fn dry_record(
    signer: &madoguchi_qr_payload::Signer,
    p: &service::Planned,
    template: &str,
    today: chrono::NaiveDate,
    city: &service::CityText,
) -> Result<CertificateRecord, ApiError> {
    let no = madoguchi_core::certificate::IssueNo::new(fiscal_year(today), 0).to_string();
    let data = service::snapshot(p, &no, today, city);
    let c = service::new_certificate(signer, p.item, &data, template, &no, Vec::new())?;
    Ok(CertificateRecord {
        issue_no: no,
        fiscal_year: fiscal_year(today),
        serial: 0,
        write_id: String::new(),
        seq: 0,
        case_id: None,
        item: c.item,
        template: c.template,
        subjects: Vec::new(),
        snapshot: c.snapshot,
        digest: c.digest,
        qr: c.qr,
        place: String::new(),
        issued_by: String::new(),
        issued_at: Utc::now(),
        revoked_at: None,
        revoked_by: None,
        revoke_reason: None,
    })
}

/// A certificate as the verification page shows it: never an address.
#[derive(Serialize, ToSchema)]
pub struct CertificateSummary {
    pub issue_no: String,
    /// 証明書の種類 (住民票の写し …).
    pub title: String,
    /// 氏名 of everyone it lists, in print order.
    pub name: String,
    /// 生年月日 as printed, in the same order.
    pub birth: String,
    /// RFC 3339.
    pub issued_at: String,
    /// The counter (or station) code where it was issued.
    pub counter: String,
    /// Login of the staff member who issued it.
    pub issued_by: String,
    pub revoked_at: Option<String>,
    pub revoke_reason: Option<String>,
}

fn summary(r: &CertificateRecord) -> CertificateSummary {
    let listed = service::listed(r);
    CertificateSummary {
        issue_no: r.issue_no.clone(),
        title: listed.title,
        name: listed.names.join("、"),
        birth: listed.births.join("、"),
        issued_at: r.issued_at.to_rfc3339(),
        counter: r.place.clone(),
        issued_by: r.issued_by.clone(),
        revoked_at: r.revoked_at.map(|t| t.to_rfc3339()),
        revoke_reason: r.revoke_reason.clone(),
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerifyCertificate {
    /// The text of the certificate's QR code as scanned.
    pub symbols: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CertificateCheck {
    /// `valid` (有効), `altered` (改ざんの疑い), `revoked` (失効) or `not_ours` (本市発行ではない).
    pub state: String,
    /// What it means, in Japanese.
    pub message: String,
    pub certificate: Option<CertificateSummary>,
}

/// Check a certificate's verification QR against the city's records.
#[utoipa::path(post, path = "/api/v1/certificates/verify", security(("bearer" = [])),
    request_body = VerifyCertificate,
    responses((status = 200, body = CertificateCheck), (status = 400, body = ErrorBody)))]
pub async fn verify_certificate(
    State(state): State<AppState>,
    session: Session,
    Json(req): Json<VerifyCertificate>,
) -> Result<Json<CertificateCheck>, ApiError> {
    if req.symbols.is_empty() || req.symbols.len() > madoguchi_qr_payload::MAX_PARTS {
        return Err(ApiError::bad_request(
            "invalid_symbols",
            "QRコードの読み取り結果がありません。",
        ));
    }
    let store = state.store.clone();
    blocking(move || {
        let signer = super::qr::stored_signer(store.as_ref(), session.tenant())?;
        let (verdict, record) = service::verify_symbols(
            store.as_ref(),
            session.tenant(),
            signer.as_ref(),
            &req.symbols,
        )?;
        audit::read_by_session(
            store.as_ref(),
            &session,
            "certificate.verify",
            record.as_ref().map(|r| r.issue_no.clone()),
            verdict.code(),
        )?;
        Ok(Json(CertificateCheck {
            state: verdict.code().into(),
            message: verdict.message_ja().into(),
            certificate: record.as_ref().map(summary),
        }))
    })
    .await
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RevokeCertificate {
    /// Why (記載誤り, 再発行のため …): required, at most 200 characters.
    pub reason: String,
}

/// Revoke (失効) a certificate: its QR then verifies as 失効.
#[utoipa::path(post, path = "/api/v1/certificates/{issue_no}/revoke", security(("bearer" = [])),
    params(("issue_no" = String, Path)), request_body = RevokeCertificate,
    responses(
        (status = 200, body = CertificateSummary),
        (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "already revoked", body = ErrorBody),
    ))]
pub async fn revoke(
    State(state): State<AppState>,
    session: Session,
    Path(issue_no): Path<String>,
    Json(req): Json<RevokeCertificate>,
) -> Result<Json<CertificateSummary>, ApiError> {
    let Some(reason) = override_reason(Some(&req.reason))? else {
        return Err(ApiError::bad_request(
            "reason_required",
            "失効の理由を入力してください。",
        ));
    };
    if madoguchi_core::certificate::IssueNo::parse(&issue_no).is_none() {
        return Err(ApiError::not_found("その発行番号の証明書はありません。"));
    }
    let store = state.store.clone();
    blocking(move || {
        let revocation = Revocation {
            issue_no: issue_no.clone(),
            at: Utc::now(),
            by: session.record.login.clone(),
            reason: reason.clone(),
        };
        let event = madoguchi_store::AuditEvent {
            reason: Some(reason),
            ..audit::event_for(&session, "certificate.revoke", Some(issue_no), "ok")
        };
        match store.revoke_certificate(session.tenant(), &revocation, &event) {
            Ok(r) => Ok(Json(summary(&r))),
            Err(madoguchi_store::StoreError::NotFound(_)) => {
                Err(ApiError::not_found("その発行番号の証明書はありません。"))
            }
            Err(madoguchi_store::StoreError::Conflict(_)) => Err(ApiError::new(
                StatusCode::CONFLICT,
                "already_revoked",
                "この証明書は既に失効しています。",
            )),
            Err(e) => Err(ApiError::from(e)),
        }
    })
    .await
}
