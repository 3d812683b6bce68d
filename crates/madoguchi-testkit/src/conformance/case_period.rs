//! Conformance checks of the period reads of [`madoguchi_store::CaseStore`]: the cases opened in a
//! period (statistics) and the history entries recorded in a period (the 対応履歴 export), with their
//! bounds, order and tenant scope.

use madoguchi_store::{CaseEntry, CaseWrite, Store, TenantId};

use super::support::{at, ev, t};

fn write(
    id: &str,
    write_id: &str,
    revision: Option<i64>,
    when: i64,
    subjects: &[&str],
) -> CaseWrite {
    CaseWrite {
        case_id: id.into(),
        expected_revision: revision,
        status: if revision.is_some() { "closed" } else { "open" }.into(),
        title: "転入".into(),
        subjects: subjects.iter().map(|s| (*s).to_owned()).collect(),
        procedures: vec!["JUKI-TENNYU".into()],
        document: format!("{{\"w\":\"{write_id}\"}}"),
        entry: CaseEntry {
            write_id: write_id.into(),
            at: at(when),
            user: "sato".into(),
            counter: "shimin-1".into(),
            terminal: (when % 2 == 0).then(|| "t1".to_owned()),
            lines: vec!["案件を作成".into(), "状態: 受付中".into()],
        },
    }
}

fn save(s: &dyn Store, tenant: &TenantId, w: &CaseWrite) {
    s.save_case(tenant, w, &ev(tenant, "case.save"))
        .expect("save");
}

pub(super) fn cases_and_history_by_period(s: &dyn Store) {
    let (a, b) = (t("a"), t("b"));
    for x in [&a, &b] {
        s.ensure_tenant(x, "市").expect("tenant");
    }
    // Opened out of order; case-2 is updated later, inside the period.
    save(
        s,
        &a,
        &write("case-3", "w3", None, 300, &["000000000000027"]),
    );
    save(s, &a, &write("case-1", "w1", None, 100, &[]));
    save(
        s,
        &a,
        &write(
            "case-2",
            "w2",
            None,
            200,
            &["000000000000035", "000000000000019"],
        ),
    );
    save(
        s,
        &a,
        &write(
            "case-2",
            "w2b",
            Some(1),
            250,
            &["000000000000035", "000000000000019"],
        ),
    );
    save(s, &a, &write("case-4", "w4", None, 400, &[]));
    save(s, &b, &write("case-b", "wb", None, 200, &[]));

    let opened = s
        .cases_opened_between(&a, at(100), at(400))
        .expect("opened");
    let ids: Vec<&str> = opened.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        ids,
        ["case-1", "case-2", "case-3"],
        "[from, to), oldest first"
    );
    assert_eq!(opened[1].status, "closed", "the case as it is now");
    assert_eq!(
        s.count_cases_opened_between(&a, at(100), at(400))
            .expect("count"),
        3
    );
    assert_eq!(
        s.count_cases_opened_between(&b, at(100), at(400))
            .expect("count"),
        1
    );
    assert!(
        s.cases_opened_between(&a, at(401), at(500))
            .expect("none")
            .is_empty()
    );
    let other = s.cases_opened_between(&b, at(0), at(1000)).expect("b");
    assert_eq!(other.len(), 1, "tenant-scoped");

    let history = s
        .case_history_between(&a, at(200), at(300))
        .expect("history");
    let rows: Vec<(&str, &str)> = history
        .iter()
        .map(|r| (r.case_id.as_str(), r.entry.write_id.as_str()))
        .collect();
    assert_eq!(rows, [("case-2", "w2"), ("case-2", "w2b")]);
    let first = &history[0];
    assert_eq!(
        first.subjects,
        ["000000000000019", "000000000000035"],
        "sorted"
    );
    assert_eq!(first.entry.at, at(200));
    assert_eq!(first.entry.user, "sato");
    assert_eq!(first.entry.counter, "shimin-1");
    assert_eq!(first.entry.terminal.as_deref(), Some("t1"));
    assert_eq!(first.entry.lines, ["案件を作成", "状態: 受付中"]);
    let all = s.case_history_between(&a, at(0), at(1000)).expect("all");
    assert_eq!(all.len(), 5);
    assert!(
        all.iter()
            .find(|r| r.case_id == "case-1")
            .is_some_and(|r| r.subjects.is_empty())
    );
    assert_eq!(
        s.case_history_between(&b, at(0), at(1000))
            .expect("b")
            .len(),
        1
    );
}
