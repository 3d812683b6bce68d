//! Conformance checks of the case summary (`madoguchi_store::case_summary`, the statistics' daily
//! counts): kept by every case write in its transaction, moved by an update (not added twice), left
//! alone by a retried write, per tenant, and cases restored from another system counted on the first
//! read.

use std::collections::BTreeMap;

use madoguchi_store::case_summary::{self as cs, jst_day};
use madoguchi_store::{CaseEntry, CaseRecord, CaseWrite, Store, TenantId};

use super::support::{at, ev, t};

const DOC_OPEN: &str = r#"{"notifications":[{"kind":"転入"}],
    "procedures":[{"code":"JUKI-TENNYU","name":"転入届"},{"code":"JUKI-TENNYU","name":"転入届"}]}"#;
const DOC_CLOSED: &str = r#"{"notifications":[{"kind":"転入"}],
    "procedures":[{"code":"JUKI-TENNYU","name":"転入届"},{"code":"KOKUHO-KANYU","name":"国民健康保険 加入"}]}"#;

fn write(id: &str, write_id: &str, revision: Option<i64>, when: i64, doc: &str) -> CaseWrite {
    CaseWrite {
        case_id: id.into(),
        expected_revision: revision,
        status: if revision.is_some() { "closed" } else { "open" }.into(),
        title: "転入".into(),
        subjects: vec![],
        procedures: vec![],
        document: doc.into(),
        entry: CaseEntry {
            write_id: write_id.into(),
            at: at(when),
            user: "sato".into(),
            counter: "shimin-1".into(),
            terminal: None,
            lines: vec!["案件を作成".into()],
        },
    }
}

/// The summary of the day of `at(0)` as (dimension, key) → count.
fn summary(s: &dyn Store, tenant: &TenantId) -> BTreeMap<(String, String), i64> {
    let day = jst_day(at(0));
    s.case_summary(tenant, day, day)
        .expect("summary")
        .into_iter()
        .map(|c| ((c.dim, c.key), c.count))
        .collect()
}

fn n(m: &BTreeMap<(String, String), i64>, dim: &str, key: &str) -> i64 {
    m.get(&(dim.to_owned(), key.to_owned()))
        .copied()
        .unwrap_or(0)
}

pub(super) fn case_summary_follows_case_writes(s: &dyn Store) {
    let (a, b) = (t("a"), t("b"));
    for x in [&a, &b] {
        s.ensure_tenant(x, "市").expect("tenant");
    }
    let save = |tenant: &TenantId, w: &CaseWrite| {
        s.save_case(tenant, w, &ev(tenant, "case.save"))
            .expect("save")
    };
    save(&a, &write("case-1", "w1", None, 0, DOC_OPEN));
    save(&a, &write("case-2", "w2", None, 60, "not a document"));
    save(&b, &write("case-b", "wb", None, 0, DOC_OPEN));
    let day = jst_day(at(0)).to_string();
    let m = summary(s, &a);
    assert_eq!(n(&m, cs::DAY, &day), 2);
    assert_eq!(n(&m, cs::COUNTER, "shimin-1"), 2);
    assert_eq!(n(&m, cs::STAFF, "sato"), 2);
    assert_eq!(n(&m, cs::NOTIFICATION, "転入"), 1);
    assert_eq!(n(&m, cs::PROCEDURE, "JUKI-TENNYU"), 1, "once per case");
    assert_eq!(n(&m, cs::WITH_PROCEDURES, ""), 1);
    assert!(m.keys().all(|(dim, _)| dim != cs::MINUTES), "none closed");

    // case-1 is closed 25 minutes later with one more procedure; a retried write changes nothing.
    let close = write("case-1", "w1b", Some(1), 25 * 60, DOC_CLOSED);
    save(&a, &close);
    save(&a, &close);
    let m = summary(s, &a);
    assert_eq!(n(&m, cs::DAY, &day), 2, "an update adds no case");
    assert_eq!(n(&m, cs::MINUTES, "25"), 1);
    assert_eq!(n(&m, cs::PROCEDURE, "JUKI-TENNYU"), 1);
    assert_eq!(n(&m, cs::PROCEDURE, "KOKUHO-KANYU"), 1);
    assert_eq!(n(&m, cs::NOTIFICATION, "転入"), 1);
    let label = s
        .case_summary(&a, jst_day(at(0)), jst_day(at(0)))
        .expect("summary")
        .into_iter()
        .find(|c| c.key == "KOKUHO-KANYU")
        .map(|c| c.label);
    assert_eq!(label.as_deref(), Some("国民健康保険 加入"));

    let other = summary(s, &b);
    assert_eq!(n(&other, cs::DAY, &day), 1, "tenants are separate");
    assert_eq!(n(&other, cs::MINUTES, "25"), 0);
    let next = jst_day(at(0)) + chrono::Duration::days(1);
    assert!(s.case_summary(&a, next, next).expect("next day").is_empty());
}

pub(super) fn restored_cases_are_counted_on_the_first_read(s: &dyn Store) {
    let a = t("a");
    s.ensure_tenant(&a, "市").expect("tenant");
    let record = CaseRecord {
        id: "old-1".into(),
        revision: 3,
        status: "closed".into(),
        title: "転入".into(),
        opened_at: at(0),
        opened_by: "suzuki".into(),
        opened_counter: "shimin-2".into(),
        updated_at: at(10 * 60),
        updated_by: "suzuki".into(),
        updated_counter: "shimin-2".into(),
        document: DOC_OPEN.into(),
    };
    let second = CaseRecord {
        id: "old-2".into(),
        ..record.clone()
    };
    for r in [&record, &second] {
        s.restore_case(&a, r, &[], &[], &[], &ev(&a, "case.restore"))
            .expect("restore");
    }
    // old-2 is written again before any read: the write counts it, once.
    let reopen = |id: &str, write_id: &str| CaseWrite {
        status: "open".into(),
        ..write(id, write_id, Some(3), 20 * 60, DOC_OPEN)
    };
    s.save_case(&a, &reopen("old-2", "w8"), &ev(&a, "case.save"))
        .expect("save");
    let m = summary(s, &a);
    let day = jst_day(at(0)).to_string();
    assert_eq!(n(&m, cs::DAY, &day), 2);
    assert_eq!(n(&m, cs::STAFF, "suzuki"), 2);
    assert_eq!(n(&m, cs::MINUTES, "10"), 1, "old-1 as restored");
    // old-1 written after it was counted: moved, not added.
    s.save_case(&a, &reopen("old-1", "w9"), &ev(&a, "case.save"))
        .expect("save");
    let m = summary(s, &a);
    assert_eq!(n(&m, cs::DAY, &day), 2);
    assert_eq!(n(&m, cs::MINUTES, "10"), 0);
    assert_eq!(n(&m, cs::COUNTER, "shimin-2"), 2);
}
