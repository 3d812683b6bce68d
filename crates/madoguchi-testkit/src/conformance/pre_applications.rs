//! Conformance checks of [`madoguchi_store::PreApplicationStore`]: a sending is stored once per write
//! id with its audit record, a taken number is reported, deletion needs the applicant's birth date,
//! expired ones are purged, everything is scoped per tenant and goes with the tenant.

use chrono::NaiveDate;
use madoguchi_store::{PreApplication, Store, TenantId};

use super::support::{at, audit_count, ev, t};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
}

fn sent(number: &str, write_id: &str, expires: NaiveDate) -> PreApplication {
    PreApplication {
        number: number.to_owned(),
        write_id: write_id.to_owned(),
        birth: d(1990, 5, 1),
        body: format!("{{\"n\":\"{number}\"}}"),
        expires,
        sent_at: at(5),
    }
}

fn send(
    s: &dyn Store,
    tenant: &TenantId,
    p: &PreApplication,
    today: NaiveDate,
) -> Option<PreApplication> {
    s.send_pre_application(tenant, p, today, &ev(tenant, "pre_application.send"))
        .expect("send")
}

pub(super) fn pre_applications_are_sent_once_and_deleted_with_the_birth_date(s: &dyn Store) {
    let a = t("a");
    s.ensure_tenant(&a, "A市").expect("tenant");
    let today = d(2026, 12, 1);
    let first = sent("12345678", "w-1", d(2026, 12, 31));
    let before = audit_count(s, &a);
    assert_eq!(send(s, &a, &first, today), Some(first.clone()));
    assert_eq!(audit_count(s, &a), before + 1, "the sending is audited");
    // The same write id again (another number drawn): the first one, nothing written.
    let again = sent("87654321", "w-1", d(2026, 12, 31));
    assert_eq!(send(s, &a, &again, today), Some(first.clone()));
    assert_eq!(audit_count(s, &a), before + 1);
    assert_eq!(s.pre_application(&a, "87654321").expect("read"), None);
    // Another sending drawing a taken number: told so, nothing written.
    assert_eq!(
        send(s, &a, &sent("12345678", "w-2", d(2026, 12, 31)), today),
        None
    );
    assert_eq!(
        s.pre_application(&a, "12345678").expect("read"),
        Some(first.clone())
    );
    // Deleting needs the applicant's birth date.
    let del = |n: &str, b: NaiveDate| {
        s.delete_pre_application(&a, n, b, &ev(&a, "pre_application.delete"))
            .expect("delete")
    };
    assert!(!del("12345678", d(1990, 5, 2)));
    assert!(!del("99999999", d(1990, 5, 1)));
    assert_eq!(
        audit_count(s, &a),
        before + 1,
        "refused deletions write nothing"
    );
    assert!(del("12345678", d(1990, 5, 1)));
    assert_eq!(audit_count(s, &a), before + 2);
    assert_eq!(s.pre_application(&a, "12345678").expect("read"), None);
}

pub(super) fn expired_pre_applications_are_purged_and_tenant_scoped(s: &dyn Store) {
    let (a, b) = (t("a"), t("b"));
    s.ensure_tenant(&a, "A市").expect("tenant");
    s.ensure_tenant(&b, "B町").expect("tenant");
    send(
        s,
        &a,
        &sent("11111111", "w-old", d(2026, 11, 30)),
        d(2026, 11, 1),
    );
    send(
        s,
        &a,
        &sent("22222222", "w-last-day", d(2026, 12, 1)),
        d(2026, 11, 1),
    );
    send(
        s,
        &b,
        &sent("11111111", "w-old", d(2026, 12, 31)),
        d(2026, 11, 1),
    );
    assert_eq!(
        s.pre_application(&b, "22222222").expect("read"),
        None,
        "not another city's"
    );
    assert!(
        !s.delete_pre_application(
            &b,
            "22222222",
            d(1990, 5, 1),
            &ev(&b, "pre_application.delete")
        )
        .expect("delete")
    );
    // Sending on 12/1 purges what expired before that day, in this city only.
    send(
        s,
        &a,
        &sent("33333333", "w-new", d(2026, 12, 31)),
        d(2026, 12, 1),
    );
    assert_eq!(s.pre_application(&a, "11111111").expect("read"), None);
    assert!(s.pre_application(&a, "22222222").expect("read").is_some());
    assert!(s.pre_application(&b, "11111111").expect("read").is_some());
    assert_eq!(
        s.purge_pre_applications(&a, d(2026, 12, 2)).expect("purge"),
        1
    );
    assert!(s.pre_application(&a, "22222222").expect("read").is_none());
    let deleted = s
        .delete_tenant(&b, &ev(&b, "tenant.delete"))
        .expect("a tenant with pre-applications is deleted");
    assert!(
        deleted.contains(&("pre_applications".to_owned(), 1)),
        "{deleted:?}"
    );
}
