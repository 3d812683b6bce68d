//! Conformance checks of the hand-over reads of 転入予約 and 事前申請 on
//! [`madoguchi_store::HandoverStore`]: every reservation (whatever its day or status) and every stored
//! 事前申請 (expired ones too, until purged) read out in key order, tenant by tenant; deleting a tenant
//! counts them and the マイナポータル applications with their attachments.

use chrono::NaiveDate;
use madoguchi_store::{
    NewPortalApplication, PortalAttachment, PreApplication, Reservation, ReservationSource,
    ReservationStatus, Store, TenantId,
};

use super::support::{at, ev, t};

fn d(day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, day).expect("valid date")
}

fn reservation(no: &str, day: u32, status: ReservationStatus) -> Reservation {
    Reservation {
        notice_no: no.to_owned(),
        expected_on: d(day),
        source: ReservationSource::Portal,
        status,
        prepared_case_id: (status != ReservationStatus::Planned).then(|| format!("case-{no}")),
        problem: None,
        updated_at: at(20),
    }
}

fn pre_application(number: &str, expires: NaiveDate) -> PreApplication {
    PreApplication {
        number: number.to_owned(),
        write_id: format!("w-{number}"),
        birth: NaiveDate::from_ymd_opt(1990, 5, 1).expect("valid date"),
        body: format!("{{\"n\":\"{number}\"}}"),
        expires,
        sent_at: at(5),
    }
}

fn portal(no: &str) -> NewPortalApplication {
    NewPortalApplication {
        application_no: no.to_owned(),
        kind: "tennyu_yoyaku".into(),
        form_code: "TENNYU".into(),
        source: "api".into(),
        received_at: at(1),
        applicant: "{}".into(),
        jpki_serial: None,
        attachments: vec![PortalAttachment {
            name: "a.pdf".into(),
            media_type: "application/pdf".into(),
            bytes: vec![1, 2, 3],
        }],
    }
}

/// Tenant `a` with reservations on two days, an expired and a current 事前申請 and an application;
/// `b` with one of each.
fn fill(s: &dyn Store, a: &TenantId, b: &TenantId) {
    for x in [a, b] {
        s.ensure_tenant(x, "市").expect("tenant");
    }
    for r in [
        reservation("T-2", 9, ReservationStatus::Arrived),
        reservation("T-1", 8, ReservationStatus::Planned),
    ] {
        s.put_reservation(a, &r, &ev(a, "arrival.reserve"))
            .expect("reservation");
    }
    s.put_reservation(
        b,
        &reservation("T-9", 8, ReservationStatus::Cancelled),
        &ev(b, "arrival.reserve"),
    )
    .expect("reservation of b");
    // Sent on the 1st: the one that expired on the 2nd is still stored until a purge after it.
    for (x, number, expires) in [
        (a, "22222222", d(31)),
        (a, "11111111", d(2)),
        (b, "99999999", d(31)),
    ] {
        s.send_pre_application(
            x,
            &pre_application(number, expires),
            d(1),
            &ev(x, "pre_application.send"),
        )
        .expect("send");
    }
    for (x, no) in [(a, "P-1"), (b, "P-9")] {
        s.put_portal_applications(x, &[portal(no)], at(2), &ev(x, "portal.import"))
            .expect("portal");
    }
}

pub(super) fn handover_reads_reservations_and_pre_applications(s: &dyn Store) {
    let (a, b) = (t("a"), t("b"));
    fill(s, &a, &b);
    let reservations = s.all_reservations(&a).expect("reservations");
    assert_eq!(
        reservations,
        vec![
            reservation("T-1", 8, ReservationStatus::Planned),
            reservation("T-2", 9, ReservationStatus::Arrived),
        ],
        "every day and status, by notice number, as stored"
    );
    let pre = s.all_pre_applications(&a).expect("pre-applications");
    assert_eq!(
        pre,
        vec![
            pre_application("11111111", d(2)),
            pre_application("22222222", d(31)),
        ],
        "expired ones too until purged, by 受付番号"
    );
    assert_eq!(s.all_reservations(&b).expect("b").len(), 1, "tenant-scoped");
    assert_eq!(s.all_pre_applications(&b).expect("b").len(), 1);
    assert!(
        s.all_reservations(&t("none"))
            .expect("unknown tenant")
            .is_empty()
    );

    // Deleting the tenant counts them, and the applications with their attachments.
    let report = s
        .delete_tenant(&a, &ev(&a, "tenant.delete"))
        .expect("delete");
    let count = |name: &str| report.iter().find(|(n, _)| n == name).map(|(_, c)| *c);
    assert_eq!(count("arrival_reservations"), Some(2));
    assert_eq!(count("pre_applications"), Some(2));
    assert_eq!(count("portal_applications"), Some(1));
    assert_eq!(count("portal_attachments"), Some(1));
    assert!(s.all_reservations(&a).expect("gone").is_empty());
    assert!(s.all_pre_applications(&a).expect("gone").is_empty());
    assert_eq!(s.all_reservations(&b).expect("b stays").len(), 1);
    assert_eq!(s.all_pre_applications(&b).expect("b stays").len(), 1);
}
