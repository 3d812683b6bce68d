//! Conformance checks of the card feed (`cards`: serials of 利用者証明用電子証明書) on
//! [`madoguchi_store::LinkageStore`] — full loads replace, deltas upsert and delete, exactly once with
//! the ledger and the audit record, lookup by serial, tenant scope — and of the 受付番号 of
//! [`madoguchi_store::CertificateStore::take_reception_number`].

use chrono::NaiveDate;
use madoguchi_core::ids::AtenaNo;
use madoguchi_store::{
    CardSerial, CardSerialChange, ImportApplied, ImportCounts, ImportMeta, ImportMode, Store,
    TenantId,
};

use super::support::{at, audit_count, ev, t};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
}

fn meta(tenant: &TenantId, mode: ImportMode, sha: &str) -> ImportMeta {
    ImportMeta {
        mode,
        sha256: sha.to_owned(),
        source_name: format!("cards/{sha}.csv"),
        started_at: at(0),
        audit: Some(ev(tenant, "linkage.import")),
    }
}

fn committed(a: ImportApplied) -> ImportCounts {
    match a {
        ImportApplied::Committed(c) => c,
        other => panic!("expected a commit, got {other:?}"),
    }
}

fn counts(c: &ImportCounts) -> (u64, u64, u64, u64) {
    (c.inserted, c.updated, c.unchanged, c.removed)
}

fn card(seq: u64, serial: &str, revoked: Option<NaiveDate>) -> CardSerial {
    CardSerial {
        atena_no: AtenaNo::from_sequence(seq),
        serial: serial.to_owned(),
        revoked_on: revoked,
    }
}

fn put(c: CardSerial) -> CardSerialChange {
    CardSerialChange::Put(c)
}

fn remove(serial: &str) -> CardSerialChange {
    CardSerialChange::Remove {
        serial: serial.to_owned(),
    }
}

fn get(s: &dyn Store, tenant: &TenantId, serial: &str) -> Option<CardSerial> {
    s.resident_by_card_serial(tenant, serial).expect("read")
}

pub(super) fn card_full_loads_replace_and_deltas_upsert_and_delete(s: &dyn Store) {
    let tenant = t("a");
    s.ensure_tenant(&tenant, "A市").expect("tenant");
    // Resident 1 has a new card and the revoked serial of the earlier one.
    let full = vec![
        put(card(1, "4d01", None)),
        put(card(1, "3c01", Some(d(2024, 3, 31)))),
        put(card(2, "8f0002", None)),
    ];
    let c = committed(
        s.import_card_serials(&tenant, &meta(&tenant, ImportMode::Full, "c-1"), &full)
            .expect("import"),
    );
    assert_eq!(counts(&c), (3, 0, 0, 0));
    assert_eq!(audit_count(s, &tenant), 1, "audited in the import");
    assert_eq!(get(s, &tenant, "4d01"), Some(card(1, "4d01", None)));
    assert_eq!(
        get(s, &tenant, "3c01"),
        Some(card(1, "3c01", Some(d(2024, 3, 31)))),
        "a revoked serial is kept"
    );
    assert_eq!(get(s, &tenant, "8f0002"), Some(card(2, "8f0002", None)));
    assert_eq!(get(s, &tenant, "ffff"), None);

    // Applied once: the same file (SHA-256) again changes nothing and is not audited again.
    assert!(matches!(
        s.import_card_serials(&tenant, &meta(&tenant, ImportMode::Full, "c-1"), &[])
            .expect("again"),
        ImportApplied::AlreadyApplied { .. }
    ));
    assert_eq!(get(s, &tenant, "8f0002"), Some(card(2, "8f0002", None)));
    assert_eq!(audit_count(s, &tenant), 1);

    // Delta: 4d01 revoked, 8f0002 removed (削除フラグ), 4e03 added, 3c01 unchanged; removing an
    // unknown serial removes nothing.
    let delta = vec![
        put(card(1, "4d01", Some(d(2026, 11, 1)))),
        remove("8f0002"),
        put(card(3, "4e03", None)),
        put(card(1, "3c01", Some(d(2024, 3, 31)))),
        remove("abcdef"),
    ];
    let c = committed(
        s.import_card_serials(&tenant, &meta(&tenant, ImportMode::Delta, "c-2"), &delta)
            .expect("delta"),
    );
    assert_eq!(counts(&c), (1, 1, 1, 1));
    assert_eq!(
        get(s, &tenant, "4d01"),
        Some(card(1, "4d01", Some(d(2026, 11, 1))))
    );
    assert_eq!(get(s, &tenant, "8f0002"), None);
    assert_eq!(get(s, &tenant, "4e03"), Some(card(3, "4e03", None)));

    // A full load replaces everything: what it does not list is gone; a serial may move to another
    // resident (a correction by the core system).
    let c = committed(
        s.import_card_serials(
            &tenant,
            &meta(&tenant, ImportMode::Full, "c-3"),
            &[put(card(3, "4e03", None)), put(card(4, "4d01", None))],
        )
        .expect("full"),
    );
    assert_eq!(counts(&c), (0, 1, 1, 1));
    assert_eq!(get(s, &tenant, "3c01"), None);
    assert_eq!(get(s, &tenant, "4d01"), Some(card(4, "4d01", None)));

    // An empty full load removes every serial.
    let c = committed(
        s.import_card_serials(&tenant, &meta(&tenant, ImportMode::Full, "c-4"), &[])
            .expect("empty"),
    );
    assert_eq!(c.removed, 2);
    assert_eq!(get(s, &tenant, "4e03"), None);
    assert_eq!(audit_count(s, &tenant), 4);
}

pub(super) fn card_serials_are_tenant_scoped(s: &dyn Store) {
    let (a, b) = (t("a"), t("b"));
    for x in [&a, &b] {
        s.ensure_tenant(x, "市").expect("tenant");
    }
    committed(
        s.import_card_serials(
            &a,
            &meta(&a, ImportMode::Full, "same-file"),
            &[put(card(1, "11", None)), put(card(2, "22", None))],
        )
        .expect("a"),
    );
    assert_eq!(get(s, &b, "11"), None, "b sees none of a's");
    // The same file for b is b's own import; b's full load leaves a's serials alone.
    committed(
        s.import_card_serials(
            &b,
            &meta(&b, ImportMode::Full, "same-file"),
            &[put(card(7, "11", None))],
        )
        .expect("b"),
    );
    assert_eq!(get(s, &a, "11"), Some(card(1, "11", None)));
    assert_eq!(get(s, &b, "11"), Some(card(7, "11", None)));
    assert_eq!(get(s, &a, "22"), Some(card(2, "22", None)));
    // A delta of b's that deletes 22 does not reach a's.
    committed(
        s.import_card_serials(&b, &meta(&b, ImportMode::Delta, "b-2"), &[remove("22")])
            .expect("b delta"),
    );
    assert!(get(s, &a, "22").is_some());
    // Deleting a tenant removes its serials only.
    let report = s
        .delete_tenant(&a, &ev(&a, "tenant.delete"))
        .expect("delete");
    assert_eq!(
        report
            .iter()
            .find(|(n, _)| n == "card_serials")
            .map(|(_, c)| *c),
        Some(2)
    );
    assert_eq!(get(s, &a, "11"), None);
    assert_eq!(get(s, &b, "11"), Some(card(7, "11", None)));
}

pub(super) fn reception_numbers_per_tenant_and_day(s: &dyn Store) {
    let (a, b) = (t("a"), t("b"));
    for x in [&a, &b] {
        s.ensure_tenant(x, "市").expect("tenant");
    }
    let today = d(2026, 12, 7);
    let numbers = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..4 {
            let (numbers, a) = (&numbers, &a);
            scope.spawn(move || {
                for _ in 0..10 {
                    let n = s.take_reception_number(a, today).expect("number");
                    numbers.lock().expect("lock").push(n);
                }
            });
        }
    });
    let mut all = numbers.into_inner().expect("lock");
    all.sort_unstable();
    assert_eq!(
        all,
        (1..=40).collect::<Vec<u32>>(),
        "distinct and consecutive"
    );
    assert_eq!(s.take_reception_number(&a, today).expect("next"), 41);
    // Another day starts again at 1; another tenant counts on its own.
    let tomorrow = today.succ_opt().expect("date");
    assert_eq!(s.take_reception_number(&a, tomorrow).expect("day"), 1);
    assert_eq!(s.take_reception_number(&a, tomorrow).expect("day"), 2);
    assert_eq!(s.take_reception_number(&b, today).expect("b"), 1);
    assert_eq!(s.take_reception_number(&a, today).expect("again"), 42);
}
