//! 来庁済み: a reservation's prepared case saved at the counter means the household came. The case id
//! names the notice (`core::arrivals::prepare::case_id`), so the save finds its reservation.

use madoguchi_store::{AuditEvent, ReservationStatus, Store, StoreResult, TenantId};

/// The notice number of a prepared case's id (`arrival-<通知番号>`), if it is one.
pub fn notice_of_case(case_id: &str) -> Option<&str> {
    case_id.strip_prefix("arrival-").filter(|n| !n.is_empty())
}

/// Marks the reservation of a prepared case 来庁済み when staff save the case; `true` when it changed.
/// A cancelled or already arrived reservation is left as it is.
pub fn mark_arrived(
    store: &dyn Store,
    tenant: &TenantId,
    case_id: &str,
    audit: &AuditEvent,
) -> StoreResult<bool> {
    let Some(notice_no) = notice_of_case(case_id) else {
        return Ok(false);
    };
    let Some(reservation) = store.reservation(tenant, notice_no)? else {
        return Ok(false);
    };
    if matches!(
        reservation.status,
        ReservationStatus::Arrived | ReservationStatus::Cancelled
    ) {
        return Ok(false);
    }
    store.set_reservation_state(
        tenant,
        notice_no,
        ReservationStatus::Arrived,
        Some(case_id),
        None,
        audit,
    )
}

#[cfg(test)]
mod tests {
    use super::notice_of_case;

    #[test]
    fn only_prepared_cases_name_a_notice() {
        assert_eq!(notice_of_case("arrival-T-0001"), Some("T-0001"));
        assert_eq!(notice_of_case("arrival-"), None);
        assert_eq!(notice_of_case("c-20261207-1"), None);
    }
}
