//! 転入予約 from マイナポータル joined to the 来庁予定者 (issue 21 point 5): an application of kind
//! `tennyu_yoyaku` that states a 来庁予定日 becomes a reservation (source `portal`) of the 転出証明書情報
//! it belongs to, so that the evening preparation works through it like the feed's.
//!
//! The notice is the one the application names (`Applicant::notice_no`, when the portal gives it), else
//! the one stored notice with a member of the applicant's name (or kana) and birth date. When neither is
//! known yet — the 転出証明書情報 arrives through the 住記 system, often after the application — the
//! application is joined again by the evening round ([`join_pending`]) until it is. A reservation the
//! feed made is the 住記 system's word and is left as it is; one the portal made follows a changed date.

use chrono::NaiveDate;
use madoguchi_core::case_document::IncomingMoveView;
use madoguchi_core::text::search_key;
use madoguchi_store::{
    AuditEvent, PortalApplication, Reservation, ReservationSource, ReservationStatus, Store,
    StoreResult, TenantId,
};

use super::adapter::{Applicant, applicant_of};

/// What joining one application did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Joined {
    /// Not a 転入予約 with a 来庁予定日: nothing to join.
    NotAReservation,
    /// The reservation of `notice_no` expects the household on `expected_on` (made or moved now).
    Reserved {
        notice_no: String,
        expected_on: NaiveDate,
    },
    /// Already so (or the feed's reservation, which the portal does not change).
    Unchanged { notice_no: String },
    /// No 転出証明書情報 of the applicant is known yet (none, or several alike).
    NoNotice,
}

/// Joins one stored application; `audit` is the event of the reservation written, if one is.
pub fn join(
    store: &dyn Store,
    tenant: &TenantId,
    application: &PortalApplication,
    audit: &AuditEvent,
) -> StoreResult<Joined> {
    if application.kind != "tennyu_yoyaku" {
        return Ok(Joined::NotAReservation);
    }
    let Some(applicant) = applicant_of(&application.applicant) else {
        return Ok(Joined::NotAReservation);
    };
    let Some(expected_on) = applicant.visit_on else {
        return Ok(Joined::NotAReservation);
    };
    let Some(notice_no) = notice_of(store, tenant, &applicant)? else {
        return Ok(Joined::NoNotice);
    };
    let existing = store.reservation(tenant, &notice_no)?;
    if let Some(r) = &existing {
        let keep = r.source != ReservationSource::Portal
            || r.expected_on == expected_on
            || matches!(
                r.status,
                ReservationStatus::Arrived | ReservationStatus::Cancelled
            );
        if keep {
            return Ok(Joined::Unchanged { notice_no });
        }
    }
    let reservation = Reservation {
        notice_no: notice_no.clone(),
        expected_on,
        source: ReservationSource::Portal,
        // A moved date is prepared again for its new evening.
        status: ReservationStatus::Planned,
        prepared_case_id: existing.and_then(|r| r.prepared_case_id),
        problem: None,
        updated_at: audit.at,
    };
    store.put_reservation(tenant, &reservation, audit)?;
    Ok(Joined::Reserved {
        notice_no,
        expected_on,
    })
}

/// The notice the applicant's household came with: the one named, else the only one with a member of
/// the applicant's name (or kana) and birth date.
fn notice_of(
    store: &dyn Store,
    tenant: &TenantId,
    applicant: &Applicant,
) -> StoreResult<Option<String>> {
    if let Some(no) = applicant
        .notice_no
        .as_deref()
        .filter(|n| !n.trim().is_empty())
    {
        // Named by the portal: joined even before the notice arrives (the screen says it is missing).
        return Ok(Some(no.trim().to_owned()));
    }
    let keys: Vec<String> = [&applicant.name, &applicant.kana]
        .iter()
        .map(|t| search_key(t))
        .filter(|k| !k.is_empty())
        .collect();
    let mut found: Vec<String> = Vec::new();
    for key in &keys {
        for notice in store.search_incoming_moves(tenant, key, 50)? {
            let Ok(view) = serde_json::from_str::<IncomingMoveView>(&notice.document) else {
                continue;
            };
            let same_person = view.members.iter().any(|m| {
                m.facts.birth == applicant.birth_date
                    && keys
                        .iter()
                        .any(|k| *k == search_key(&m.name) || *k == search_key(&m.kana))
            });
            if same_person && !found.contains(&view.notice_no) {
                found.push(view.notice_no);
            }
        }
    }
    Ok(match found.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    })
}

/// Joins the 転入予約 applications not yet joined (still 未処理, no reservation of theirs): the evening
/// round, after the day's 転出証明書情報 arrived. Returns how many were reserved now.
pub fn join_pending(
    store: &dyn Store,
    tenant: &TenantId,
    audit: &AuditEvent,
) -> StoreResult<usize> {
    let mut reserved = 0;
    for application in store.portal_applications(tenant, Some("unprocessed"))? {
        if let Joined::Reserved { .. } = join(store, tenant, &application, audit)? {
            reserved += 1;
        }
    }
    Ok(reserved)
}
