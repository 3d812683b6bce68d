//! Conformance checks of [`madoguchi_store::ArrivalStore`]: a `tenshutsu` file stores its notices and
//! reservations exactly once with the ledger and the audit record, a later file moves or cancels a
//! reservation without losing its preparation, reservations are listed per day and scoped per tenant.

use chrono::{NaiveDate, Utc};
use madoguchi_store::{
    ImportApplied, ImportMeta, ImportMode, IncomingMove, Reservation, ReservationChange,
    ReservationSource, ReservationStatus, Store, TenantId,
};

use super::support::{at, audit_count, ev, t};

fn d(day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, day).expect("valid date")
}

fn meta(tenant: &TenantId, sha: &str) -> ImportMeta {
    ImportMeta {
        mode: ImportMode::Delta,
        sha256: sha.to_owned(),
        source_name: format!("tenshutsu/{sha}.csv"),
        started_at: at(0),
        audit: Some(ev(tenant, "linkage.import")),
    }
}

fn notice(no: &str, key: &str) -> IncomingMove {
    IncomingMove {
        notice_no: no.to_owned(),
        received_at: at(10),
        search_keys: vec![key.to_owned()],
        document: format!("{{\"notice_no\":\"{no}\"}}"),
    }
}

fn expect(no: &str, day: u32) -> ReservationChange {
    ReservationChange::Expect {
        notice_no: no.to_owned(),
        expected_on: d(day),
        source: ReservationSource::Feed,
    }
}

fn on(s: &dyn Store, tenant: &TenantId, day: u32) -> Vec<(String, ReservationStatus)> {
    s.reservations_on(tenant, d(day))
        .expect("list")
        .into_iter()
        .map(|r| (r.notice_no, r.status))
        .collect()
}

pub(super) fn arrivals_import_once_and_list_per_day(s: &dyn Store) {
    let tenant = t("a");
    s.ensure_tenant(&tenant, "A市").expect("tenant");
    let notices = [notice("T-2", "やまだ"), notice("T-1", "たかはし")];
    let changes = [expect("T-2", 8), expect("T-1", 8)];
    let before = audit_count(s, &tenant);
    let a = s
        .import_arrivals(&tenant, &meta(&tenant, "f-1"), &notices, &changes)
        .expect("import");
    assert!(
        matches!(a, ImportApplied::Committed(ref c) if c.inserted == 2),
        "{a:?}"
    );
    assert_eq!(audit_count(s, &tenant), before + 1);
    let again = s
        .import_arrivals(&tenant, &meta(&tenant, "f-1"), &notices, &changes)
        .expect("import again");
    assert!(
        matches!(again, ImportApplied::AlreadyApplied { .. }),
        "{again:?}"
    );
    assert_eq!(audit_count(s, &tenant), before + 1, "nothing audited twice");
    let planned = ReservationStatus::Planned;
    assert_eq!(
        on(s, &tenant, 8),
        vec![("T-1".into(), planned), ("T-2".into(), planned)]
    );
    assert!(on(s, &tenant, 9).is_empty());
    let found = s
        .incoming_move(&tenant, "T-2")
        .expect("read")
        .expect("stored");
    assert_eq!(found.search_keys, vec!["やまだ".to_owned()]);
    assert_eq!(
        s.search_incoming_moves(&tenant, "やま", 10)
            .expect("search")
            .len(),
        1,
        "the counter's search finds the feed's notice"
    );
    assert!(s.incoming_move(&tenant, "T-9").expect("read").is_none());

    // Prepared, then moved to another day by a later file: the preparation is kept.
    assert!(
        s.set_reservation_state(
            &tenant,
            "T-1",
            ReservationStatus::Prepared,
            Some("case-1"),
            None,
            &ev(&tenant, "arrival.prepare"),
        )
        .expect("state")
    );
    assert!(
        !s.set_reservation_state(
            &tenant,
            "T-9",
            ReservationStatus::Prepared,
            None,
            None,
            &ev(&tenant, "arrival.prepare"),
        )
        .expect("no such reservation")
    );
    let later = [
        expect("T-1", 9),
        ReservationChange::Cancel {
            notice_no: "T-2".into(),
        },
    ];
    s.import_arrivals(&tenant, &meta(&tenant, "f-2"), &[], &later)
        .expect("later file");
    let moved = s.reservation(&tenant, "T-1").expect("read").expect("kept");
    assert_eq!(moved.expected_on, d(9));
    assert_eq!(moved.status, ReservationStatus::Prepared);
    assert_eq!(moved.prepared_case_id.as_deref(), Some("case-1"));
    assert_eq!(
        on(s, &tenant, 8),
        vec![("T-2".into(), ReservationStatus::Cancelled)]
    );

    // Staff (or the portal) put a reservation of their own; a problem is kept for the screen.
    let manual = Reservation {
        notice_no: "T-3".into(),
        expected_on: d(9),
        source: ReservationSource::Manual,
        status: ReservationStatus::Planned,
        prepared_case_id: None,
        problem: Some("転出証明書情報がありません。".into()),
        updated_at: Utc::now(),
    };
    s.put_reservation(&tenant, &manual, &ev(&tenant, "arrival.put"))
        .expect("put");
    let got = s
        .reservation(&tenant, "T-3")
        .expect("read")
        .expect("stored");
    assert_eq!(got.source, ReservationSource::Manual);
    assert_eq!(got.problem, manual.problem);
    assert_eq!(on(s, &tenant, 9).len(), 2);
}

pub(super) fn arrivals_are_tenant_scoped(s: &dyn Store) {
    let (a, b) = (t("a"), t("b"));
    s.ensure_tenant(&a, "A市").expect("tenant");
    s.ensure_tenant(&b, "B町").expect("tenant");
    s.import_arrivals(
        &a,
        &meta(&a, "f-1"),
        &[notice("T-1", "やまだ")],
        &[expect("T-1", 8)],
    )
    .expect("import");
    assert!(s.reservations_on(&b, d(8)).expect("list").is_empty());
    assert!(s.reservation(&b, "T-1").expect("read").is_none());
    assert!(s.incoming_move(&b, "T-1").expect("read").is_none());
    assert!(
        !s.set_reservation_state(
            &b,
            "T-1",
            ReservationStatus::Cancelled,
            None,
            None,
            &ev(&b, "arrival.cancel"),
        )
        .expect("other tenant")
    );
    assert_eq!(
        s.reservation(&a, "T-1")
            .expect("read")
            .expect("kept")
            .status,
        ReservationStatus::Planned
    );
}
