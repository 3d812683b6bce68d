//! Conformance checks of [`madoguchi_store::CertificateStore`]: numbers per 年度 without gaps or
//! repeats under concurrency, one issue per `write_id`, tenant scope, 失効.

use madoguchi_core::certificate::IssueNo;
use madoguchi_store::{
    CertificateIssue, CertificatesIssued, NewCertificate, Revocation, Store, StoreError, TenantId,
};

use super::support::{at, audit_count, ev, t};

fn issue(write_id: &str, year: i32, count: usize) -> CertificateIssue {
    CertificateIssue {
        write_id: write_id.into(),
        fiscal_year: year,
        count,
        case_id: Some("C-1".into()),
        place: "shimin-1".into(),
        issued_by: "staff1".into(),
        issued_at: at(10),
    }
}

pub(super) fn run(
    s: &dyn Store,
    tenant: &TenantId,
    write_id: &str,
    year: i32,
    count: usize,
) -> CertificatesIssued {
    let mut build = |seq: usize, no: IssueNo| {
        Ok(NewCertificate {
            item: "JUMINHYO".into(),
            template: "juminhyo-setai@2026-12".into(),
            subjects: vec!["000000000000019".into(), "000000000000027".into()],
            snapshot: format!("{{\"no\":\"{no}\",\"seq\":{seq}}}"),
            digest: format!("digest-{no}"),
            qr: format!("MDG1.qr.{no}"),
        })
    };
    s.issue_certificates(
        tenant,
        &issue(write_id, year, count),
        &mut build,
        &|records| {
            let numbers: Vec<&str> = records.iter().map(|r| r.issue_no.as_str()).collect();
            madoguchi_store::AuditEvent {
                subject: Some(numbers.join(" ")),
                ..ev(tenant, "certificate.issue")
            }
        },
    )
    .expect("issue")
}

pub(super) fn certificates_numbered_once_per_write(s: &dyn Store) {
    let (a, b) = (t("a"), t("b"));
    for x in [&a, &b] {
        s.ensure_tenant(x, "市").expect("tenant");
    }
    let first = run(s, &a, "w1", 2026, 2);
    let CertificatesIssued::New(records) = &first else {
        panic!("a new write issues: {first:?}");
    };
    let numbers: Vec<&str> = records.iter().map(|r| r.issue_no.as_str()).collect();
    assert_eq!(numbers, ["R08-000001", "R08-000002"]);
    let r = &records[1];
    assert_eq!((r.seq, r.serial, r.fiscal_year), (1, 2, 2026));
    assert_eq!(r.snapshot, "{\"no\":\"R08-000002\",\"seq\":1}");
    assert_eq!(r.subjects, ["000000000000019", "000000000000027"]);
    assert_eq!(r.case_id.as_deref(), Some("C-1"));
    assert_eq!(
        (r.place.as_str(), r.issued_by.as_str()),
        ("shimin-1", "staff1")
    );
    assert_eq!(r.issued_at, at(10));
    assert_eq!(r.revoked_at, None);
    assert_eq!(audit_count(s, &a), 1);

    // The same write again takes no number and audits nothing.
    assert_eq!(
        run(s, &a, "w1", 2026, 2),
        CertificatesIssued::Existing(records.clone())
    );
    assert_eq!(audit_count(s, &a), 1);
    // Numbers continue per 年度 and start again in the next one; another tenant counts alone.
    let next = run(s, &a, "w2", 2026, 1);
    assert_eq!(next.records()[0].issue_no, "R08-000003");
    assert_eq!(
        run(s, &a, "w3", 2027, 1).records()[0].issue_no,
        "R09-000001"
    );
    assert_eq!(
        run(s, &b, "w1", 2026, 1).records()[0].issue_no,
        "R08-000001"
    );
    assert_eq!(
        s.get_certificate(&a, "R08-000002").expect("get"),
        Some(records[1].clone())
    );
    assert_eq!(
        s.get_certificate(&b, "R08-000002").expect("get"),
        None,
        "tenant-scoped"
    );
}

pub(super) fn certificate_build_failure_takes_no_number(s: &dyn Store) {
    let a = t("a");
    s.ensure_tenant(&a, "市").expect("tenant");
    let mut failing = |seq: usize, _no: IssueNo| {
        if seq == 1 {
            return Err(StoreError::Backend("render failed".into()));
        }
        Ok(NewCertificate {
            item: "JUMINHYO".into(),
            template: "t@1".into(),
            subjects: vec![],
            snapshot: "{}".into(),
            digest: "d".into(),
            qr: "q".into(),
        })
    };
    let result = s.issue_certificates(&a, &issue("w1", 2026, 2), &mut failing, &|_| {
        ev(&a, "certificate.issue")
    });
    assert!(result.is_err());
    assert_eq!(
        s.get_certificate(&a, "R08-000001").expect("get"),
        None,
        "rolled back"
    );
    assert_eq!(audit_count(s, &a), 0);
    assert_eq!(
        run(s, &a, "w1", 2026, 1).records()[0].issue_no,
        "R08-000001",
        "no gap"
    );
}

pub(super) fn certificate_numbers_under_concurrency(s: &dyn Store) {
    let a = t("a");
    s.ensure_tenant(&a, "市").expect("tenant");
    let numbers = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for station in 0..4 {
            let numbers = &numbers;
            let a = &a;
            scope.spawn(move || {
                for i in 0..10 {
                    let out = run(s, a, &format!("s{station}-{i}"), 2026, 1 + i % 2);
                    let mut all = numbers.lock().expect("lock");
                    all.extend(out.records().iter().map(|r| r.serial));
                }
            });
        }
    });
    let mut all = numbers.into_inner().expect("lock");
    all.sort_unstable();
    let expected: Vec<u32> = (1..=all.len() as u32).collect();
    assert_eq!(all, expected, "every number once, none skipped");
    assert_eq!(all.len(), 4 * 15);
}

pub(super) fn certificate_revocation(s: &dyn Store) {
    let a = t("a");
    s.ensure_tenant(&a, "市").expect("tenant");
    run(s, &a, "w1", 2026, 1);
    let revocation = Revocation {
        issue_no: "R08-000001".into(),
        at: at(20),
        by: "staff2".into(),
        reason: "記載誤り".into(),
    };
    let revoked = s
        .revoke_certificate(&a, &revocation, &ev(&a, "certificate.revoke"))
        .expect("revoke");
    assert_eq!(revoked.revoked_at, Some(at(20)));
    assert_eq!(revoked.revoked_by.as_deref(), Some("staff2"));
    assert_eq!(revoked.revoke_reason.as_deref(), Some("記載誤り"));
    assert_eq!(audit_count(s, &a), 2);
    assert!(matches!(
        s.revoke_certificate(&a, &revocation, &ev(&a, "certificate.revoke")),
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(
        audit_count(s, &a),
        2,
        "a refused revocation is not recorded as done"
    );
    let unknown = Revocation {
        issue_no: "R08-000009".into(),
        ..revocation
    };
    assert!(matches!(
        s.revoke_certificate(&a, &unknown, &ev(&a, "certificate.revoke")),
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(
        s.get_certificate(&a, "R08-000001")
            .expect("get")
            .and_then(|r| r.revoked_at),
        Some(at(20))
    );
}
