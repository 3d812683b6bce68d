//! Conformance checks of [`madoguchi_store::CertificateStore::find_certificates`]: the period, the
//! number, the order, the limit and the tenant scope of the issuance history.

use chrono::{DateTime, Utc};
use madoguchi_core::certificate::IssueNo;
use madoguchi_store::{
    CertificateFilter, CertificateIssue, NewCertificate, Revocation, Store, TenantId,
};

use super::support::{at, ev, t};

fn issue(s: &dyn Store, tenant: &TenantId, write_id: &str, item: &str, when: DateTime<Utc>) {
    let issue = CertificateIssue {
        write_id: write_id.into(),
        fiscal_year: 2026,
        count: 1,
        case_id: Some(format!("C-{write_id}")),
        place: "shimin-1".into(),
        issued_by: "staff1".into(),
        issued_at: when,
    };
    let mut build = |_seq: usize, no: IssueNo| {
        Ok(NewCertificate {
            item: item.into(),
            template: "t@1".into(),
            subjects: vec!["000000000000019".into()],
            snapshot: format!("{{\"no\":\"{no}\"}}"),
            digest: format!("digest-{no}"),
            qr: format!("MDG1.qr.{no}"),
        })
    };
    s.issue_certificates(tenant, &issue, &mut build, &|_| {
        ev(tenant, "certificate.issue")
    })
    .expect("issue");
}

fn numbers(s: &dyn Store, tenant: &TenantId, filter: &CertificateFilter) -> Vec<String> {
    s.find_certificates(tenant, filter)
        .expect("find")
        .into_iter()
        .map(|e| e.issue_no)
        .collect()
}

fn all(limit: usize) -> CertificateFilter {
    CertificateFilter {
        limit,
        ..CertificateFilter::default()
    }
}

pub(super) fn certificate_history_by_period_number_and_order(s: &dyn Store) {
    let (a, b) = (t("a"), t("b"));
    for x in [&a, &b] {
        s.ensure_tenant(x, "市").expect("tenant");
    }
    // Issued out of time order: R08-000001 last, R08-000002 and R08-000003 at the same instant.
    issue(s, &a, "w1", "JUMINHYO", at(300));
    issue(s, &a, "w2", "KOSEKI", at(100));
    issue(s, &a, "w3", "JUMINHYO", at(100));
    issue(s, &a, "w4", "INKAN", at(200));
    issue(s, &b, "w1", "JUMINHYO", at(100));
    assert_eq!(
        numbers(s, &a, &all(100)),
        ["R08-000002", "R08-000003", "R08-000004", "R08-000001"],
        "by issue time, then number"
    );
    let period = CertificateFilter {
        from: Some(at(100)),
        to: Some(at(300)),
        ..all(100)
    };
    assert_eq!(
        numbers(s, &a, &period),
        ["R08-000002", "R08-000003", "R08-000004"],
        "from inclusive, to exclusive"
    );
    assert_eq!(numbers(s, &a, &all(2)), ["R08-000002", "R08-000003"]);
    let one = CertificateFilter {
        issue_no: Some("R08-000004".into()),
        ..all(100)
    };
    let found = s.find_certificates(&a, &one).expect("find");
    assert_eq!(found.len(), 1);
    let e = &found[0];
    assert_eq!((e.item.as_str(), e.issued_at), ("INKAN", at(200)));
    assert_eq!(e.case_id.as_deref(), Some("C-w4"));
    assert_eq!(e.subjects, ["000000000000019"]);
    assert_eq!(
        (e.place.as_str(), e.issued_by.as_str()),
        ("shimin-1", "staff1")
    );
    assert_eq!((e.revoked_at, e.revoke_reason.as_deref()), (None, None));
    assert_eq!(numbers(s, &b, &all(100)), ["R08-000001"], "tenant-scoped");
    assert!(numbers(s, &t("c"), &all(100)).is_empty());
    let by_item = |tenant: &TenantId, from: i64, to: i64| {
        s.count_certificates_by_item(tenant, at(from), at(to))
            .expect("count")
    };
    let item = |code: &str, n: u64| (code.to_owned(), n);
    assert_eq!(
        by_item(&a, 100, 300),
        [item("INKAN", 1), item("JUMINHYO", 1), item("KOSEKI", 1)],
        "[from, to), by item"
    );
    assert_eq!(
        by_item(&a, 0, 1000),
        [item("INKAN", 1), item("JUMINHYO", 2), item("KOSEKI", 1)]
    );
    assert_eq!(by_item(&b, 0, 1000), [item("JUMINHYO", 1)], "tenant-scoped");
}

pub(super) fn certificate_history_shows_revocations(s: &dyn Store) {
    let a = t("a");
    s.ensure_tenant(&a, "市").expect("tenant");
    issue(s, &a, "w1", "JUMINHYO", at(100));
    let revocation = Revocation {
        issue_no: "R08-000001".into(),
        at: at(150),
        by: "staff2".into(),
        reason: "記載誤り".into(),
    };
    s.revoke_certificate(&a, &revocation, &ev(&a, "certificate.revoke"))
        .expect("revoke");
    let found = s.find_certificates(&a, &all(10)).expect("find");
    assert_eq!(found[0].revoked_at, Some(at(150)));
    assert_eq!(found[0].revoke_reason.as_deref(), Some("記載誤り"));
}
