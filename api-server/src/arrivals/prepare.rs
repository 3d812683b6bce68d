//! Preparing one reservation, or a day's: the case made from the 転出証明書情報 exactly once per
//! reservation (its id is the notice's, see [`madoguchi_core::arrivals::prepare::case_id`]; a second run,
//! or one after a crash between the case and the reservation's state, finds the case made before).

use chrono::{NaiveDate, Utc};
use madoguchi_core::arrivals::prepare::{case_id, prepared_case};
use madoguchi_core::case::CaseStatus;
use madoguchi_core::case_document::{
    CaseDocument, IncomingMoveView, default_templates, form_data, stored, title,
};
use madoguchi_store::{
    AuditEvent, CaseEntry, CaseSaved, CaseWrite, ReservationStatus, StoreError, TenantId,
};

use crate::AppState;
use crate::auth::Session;
use crate::printing::PrintingError;

/// Why a preparation could not run (a reservation's own problem is an [`Outcome::Problem`] instead).
#[derive(Debug)]
pub enum ArrivalError {
    /// No such reservation.
    NotFound,
    Store(StoreError),
    Printing(PrintingError),
    Internal(String),
}

impl ArrivalError {
    /// A short code for logs (nothing personal).
    pub fn code(&self) -> &'static str {
        match self {
            ArrivalError::NotFound => "not_found",
            ArrivalError::Store(_) => "store",
            ArrivalError::Printing(_) => "printing",
            ArrivalError::Internal(_) => "internal",
        }
    }
}

impl From<StoreError> for ArrivalError {
    fn from(e: StoreError) -> Self {
        ArrivalError::Store(e)
    }
}

impl From<PrintingError> for ArrivalError {
    fn from(e: PrintingError) -> Self {
        ArrivalError::Printing(e)
    }
}

impl From<crate::tasks::TaskFailed> for ArrivalError {
    fn from(e: crate::tasks::TaskFailed) -> Self {
        ArrivalError::Internal(e.to_string())
    }
}

fn internal(e: impl std::fmt::Display) -> ArrivalError {
    ArrivalError::Internal(e.to_string())
}

/// Who prepares: a staff member on the 来庁予定者 screen, or the evening job.
#[derive(Clone, Copy)]
pub enum Actor<'a> {
    Staff(&'a Session),
    Job,
}

impl Actor<'_> {
    fn event(&self, tenant: &TenantId, action: &str, subject: String, result: &str) -> AuditEvent {
        match self {
            Actor::Staff(s) => crate::audit::event_for(s, action, Some(subject), result),
            Actor::Job => AuditEvent {
                terminal: Some(JOB.into()),
                ..crate::audit::event(tenant, None, None, action, Some(subject), result)
            },
        }
    }

    fn entry(&self, write_id: String, lines: Vec<String>) -> CaseEntry {
        let (user, counter, terminal) = match self {
            Actor::Staff(s) => (
                s.record.login.clone(),
                s.record.counter.clone(),
                s.record.terminal.clone(),
            ),
            Actor::Job => (JOB.to_owned(), String::new(), Some(JOB.to_owned())),
        };
        CaseEntry {
            write_id,
            at: Utc::now(),
            user,
            counter,
            terminal,
            lines,
        }
    }
}

/// The evening job's name in the audit log and the case history.
pub const JOB: &str = "arrivals-job";

/// What preparing a reservation did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The case is ready (made now or before): its id, the procedures found, the forms checked and
    /// how many of them the forms engine reported problems for (blank fields the counter fills in).
    Prepared {
        case_id: String,
        procedures: usize,
        forms: usize,
        form_problems: usize,
    },
    /// Not prepared; the Japanese reason (kept on the reservation for the screen).
    Problem(String),
}

/// The Japanese problem of a reservation whose 転出証明書情報 is not (or no longer) known.
pub fn unknown_notice(notice_no: &str) -> String {
    format!(
        "通知番号 {notice_no} の転出証明書情報が届いていないため、準備できません。住記システムから転出証明書情報が届いているか確認してください。"
    )
}

/// Prepares one reservation (planned or prepared; a cancelled or arrived one is refused in Japanese).
pub fn prepare_one(
    state: &AppState,
    tenant: &TenantId,
    notice_no: &str,
    actor: Actor<'_>,
) -> Result<Outcome, ArrivalError> {
    let store = state.store.as_ref();
    let Some(reservation) = store.reservation(tenant, notice_no)? else {
        return Err(ArrivalError::NotFound);
    };
    match reservation.status {
        ReservationStatus::Cancelled => {
            return Ok(Outcome::Problem(
                "取消された転入予約は準備できません。".into(),
            ));
        }
        ReservationStatus::Arrived => {
            return Ok(Outcome::Problem("来庁済みの転入予約です。".into()));
        }
        ReservationStatus::Planned | ReservationStatus::Prepared => {}
    }
    let subject = format!("notice:{notice_no}");
    let notice = match store.incoming_move(tenant, notice_no)? {
        Some(m) => serde_json::from_str::<IncomingMoveView>(&m.document)
            .map_err(|e| internal(format!("stored notice does not parse: {e}")))?,
        None => {
            let problem = unknown_notice(notice_no);
            store.set_reservation_state(
                tenant,
                notice_no,
                ReservationStatus::Planned,
                None,
                Some(&problem),
                &actor.event(tenant, "arrival.prepare", subject, "unknown_notice"),
            )?;
            return Ok(Outcome::Problem(problem));
        }
    };
    let catalog =
        crate::local_rules::tenant_catalog(&state.navigation, store, tenant)?.map_err(internal)?;
    let id = case_id(notice_no);
    let doc = prepared_case(&catalog, &notice, reservation.expected_on);
    let doc = store_case(state, tenant, &id, doc, &actor)?;
    let (forms, form_problems) = check_forms(state, tenant, &id, &doc, reservation.expected_on)?;
    store.set_reservation_state(
        tenant,
        notice_no,
        ReservationStatus::Prepared,
        Some(&id),
        None,
        &actor.event(
            tenant,
            "arrival.prepare",
            format!("{subject} case:{id}"),
            "ok",
        ),
    )?;
    Ok(Outcome::Prepared {
        case_id: id,
        procedures: doc.procedures.len(),
        forms,
        form_problems,
    })
}

/// Creates the case, or finds the one made before for this reservation (then returns it as stored).
fn store_case(
    state: &AppState,
    tenant: &TenantId,
    id: &str,
    doc: CaseDocument,
    actor: &Actor<'_>,
) -> Result<CaseDocument, ArrivalError> {
    let store = state.store.as_ref();
    let lines = vec![format!(
        "転入予約から準備: 手続き {} 件（{}）",
        doc.procedures.len(),
        doc.procedures
            .iter()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>()
            .join("、")
    )];
    let write = CaseWrite {
        case_id: id.to_owned(),
        expected_revision: None,
        status: CaseStatus::Open.code().to_owned(),
        title: title(&doc),
        subjects: Vec::new(),
        procedures: doc.procedures.iter().map(|p| p.code.clone()).collect(),
        document: stored::write(&doc),
        entry: actor.entry(format!("{id}-prepare"), lines),
    };
    let event = actor.event(tenant, "case.create", format!("case:{id}"), "ok");
    match store.save_case(tenant, &write, &event) {
        Ok(CaseSaved::Applied(_)) => Ok(doc),
        Ok(CaseSaved::AlreadyApplied(_)) | Err(StoreError::Conflict(_)) => {
            let Some((record, _)) = store.get_case(tenant, id)? else {
                return Err(internal("prepared case vanished"));
            };
            stored::read(&record.document).map_err(internal)
        }
        Err(e) => Err(e.into()),
    }
}

/// Renders every form the case would print once (nothing is kept): the number of forms, and of those
/// with problems. A form that does not render at all is an error.
fn check_forms(
    state: &AppState,
    tenant: &TenantId,
    id: &str,
    doc: &CaseDocument,
    day: NaiveDate,
) -> Result<(usize, usize), ArrivalError> {
    let store = state.store.as_ref();
    let library = crate::printing::tenant_library(&state.forms, store, tenant)?;
    let fonts = state.forms.fonts()?;
    let contact = store.tenant_name(tenant)?.unwrap_or_default();
    let data = form_data(id, id, doc, doc.notifications.first(), day, &contact);
    let mut problems = 0;
    let templates = default_templates(doc);
    for t in &templates {
        let template = library
            .in_force(t, day)
            .map_err(|e| internal(format!("form {t}: {e}")))?;
        let rendered = madoguchi_forms::render(fonts, &[(template, &data)])
            .map_err(|e| internal(format!("form {t} does not render: {e}")))?;
        if !rendered.problems.is_empty() {
            problems += 1;
        }
    }
    Ok((templates.len(), problems))
}

/// Prepares every planned reservation of `day` (prepared ones are left as they are): each outcome by
/// notice number. One reservation's error does not stop the others.
pub fn prepare_day(
    state: &AppState,
    tenant: &TenantId,
    day: NaiveDate,
    actor: Actor<'_>,
) -> Result<Vec<(String, Outcome)>, ArrivalError> {
    let mut out = Vec::new();
    for r in state.store.reservations_on(tenant, day)? {
        if r.status != ReservationStatus::Planned {
            continue;
        }
        let outcome = match prepare_one(state, tenant, &r.notice_no, actor) {
            Ok(o) => o,
            Err(e) => {
                tracing::warn!(code = e.code(), "an arrival could not be prepared");
                Outcome::Problem("準備中にエラーが発生しました。もう一度お試しください。".into())
            }
        };
        out.push((r.notice_no, outcome));
    }
    Ok(out)
}
