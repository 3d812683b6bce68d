//! The audit viewer's search: period, filters, newest first, pages.

use madoguchi_store::{AuditEvent, AuditFilter, AuditPage, Store};

use super::support::{at, t};

fn event(tenant: &str, secs: i64, user: &str, action: &str, subject: Option<&str>) -> AuditEvent {
    AuditEvent {
        tenant: t(tenant),
        at: at(secs),
        user: Some(user.into()),
        counter: Some(if user == "sato" { "1番" } else { "2番" }.into()),
        terminal: Some(format!("{user}-pc")),
        action: action.into(),
        subject: subject.map(str::to_owned),
        result: "ok".into(),
        reason: None,
    }
}

fn ids(s: &dyn Store, from: i64, to: i64, f: &AuditFilter, page: AuditPage) -> Vec<i64> {
    s.search_audit(&t("a"), at(from), at(to), f, page)
        .expect("search")
        .into_iter()
        .map(|r| r.id)
        .collect()
}

/// Filters combine, the subject matches one 宛名番号 among several, other tenants and records outside
/// the period never appear, records come newest first one page at a time.
pub(super) fn audit_search_filters_and_pages(s: &dyn Store) {
    s.ensure_tenant(&t("a"), "A市").expect("tenant");
    s.ensure_tenant(&t("b"), "B市").expect("tenant");
    let all = [
        event("a", 0, "sato", "login", None), // 1
        event(
            "a",
            1,
            "sato",
            "resident.search",
            Some("000000000000019 000000000000027"),
        ), // 2
        event("b", 2, "sato", "resident.read", Some("000000000000019")), // 3
        event("a", 3, "suzuki", "resident.read", Some("000000000000019")), // 4
        event(
            "a",
            4,
            "sato",
            "resident.address_disclosure",
            Some("000000000000027"),
        ), // 5
        event(
            "a",
            5,
            "suzuki",
            "case.address_disclosure",
            Some("case-a-0001"),
        ), // 6
        event("a", 50, "sato", "logout", None), // 7
    ];
    for e in &all {
        s.append_audit(e).expect("append");
    }
    let page = AuditPage {
        offset: 0,
        limit: 100,
    };
    let any = AuditFilter::default();
    assert_eq!(
        ids(s, 0, 10, &any, page),
        [6, 5, 4, 2, 1],
        "newest first, period, tenant"
    );
    let sato = AuditFilter {
        user: Some("sato".into()),
        ..AuditFilter::default()
    };
    assert_eq!(ids(s, 0, 100, &sato, page), [7, 5, 2, 1]);
    let counter = AuditFilter {
        counter: Some("2番".into()),
        ..AuditFilter::default()
    };
    assert_eq!(ids(s, 0, 100, &counter, page), [6, 4]);
    let terminal = AuditFilter {
        terminal: Some("suzuki-pc".into()),
        ..AuditFilter::default()
    };
    assert_eq!(ids(s, 0, 100, &terminal, page), [6, 4]);
    let disclosures = AuditFilter {
        actions: vec![
            "resident.address_disclosure".into(),
            "case.address_disclosure".into(),
        ],
        ..AuditFilter::default()
    };
    assert_eq!(ids(s, 0, 100, &disclosures, page), [6, 5]);
    let subject = AuditFilter {
        subject: Some("000000000000019".into()),
        ..AuditFilter::default()
    };
    assert_eq!(
        ids(s, 0, 100, &subject, page),
        [4, 2],
        "one 宛名番号 among several"
    );
    let both = AuditFilter {
        user: Some("sato".into()),
        ..subject.clone()
    };
    assert_eq!(ids(s, 0, 100, &both, page), [2]);
    let wild = AuditFilter {
        subject: Some("%".into()),
        ..AuditFilter::default()
    };
    assert!(
        ids(s, 0, 100, &wild, page).is_empty(),
        "no pattern characters"
    );
    assert_eq!(
        ids(
            s,
            0,
            100,
            &any,
            AuditPage {
                offset: 0,
                limit: 2
            }
        ),
        [7, 6]
    );
    assert_eq!(
        ids(
            s,
            0,
            100,
            &any,
            AuditPage {
                offset: 2,
                limit: 2
            }
        ),
        [5, 4]
    );
    assert_eq!(
        ids(
            s,
            0,
            100,
            &any,
            AuditPage {
                offset: 6,
                limit: 2
            }
        ),
        Vec::<i64>::new()
    );
    let first = s
        .search_audit(&t("a"), at(0), at(1), &any, page)
        .expect("search");
    assert_eq!(first.len(), 1);
    assert_eq!(first[0].event, all[0], "every field read back");
}
