//! Conformance checks of the hand-over reads and restores of the certificate data on
//! [`madoguchi_store::HandoverStore`]: every card serial and 課税 read out, tenant by tenant; every
//! certificate with its 失効 and the number counters read out and restored as they were; a restore
//! never lowers a counter nor gives a number twice, and is all or nothing; deletion counts them.

use chrono::NaiveDate;
use madoguchi_core::ids::AtenaNo;
use madoguchi_store::{
    CardSerial, CardSerialChange, CertificateCounters, CertificateRecord, ImportMeta, ImportMode,
    Revocation, Store, StoreError, TaxChange, TenantId,
};

use super::certificates::run;
use super::support::{at, audit_count, ev, t};
use super::tax::record as tax;

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 7).expect("valid date")
}

fn meta(tenant: &TenantId, sha: &str) -> ImportMeta {
    ImportMeta {
        mode: ImportMode::Full,
        sha256: sha.to_owned(),
        source_name: format!("feed/{sha}.csv"),
        started_at: at(0),
        audit: Some(ev(tenant, "linkage.import")),
    }
}

fn card(seq: u64, serial: &str, revoked_on: Option<NaiveDate>) -> CardSerial {
    CardSerial {
        atena_no: AtenaNo::from_sequence(seq),
        serial: serial.to_owned(),
        revoked_on,
    }
}

fn certificates(s: &dyn Store, tenant: &TenantId) -> Vec<CertificateRecord> {
    let mut out = Vec::new();
    let n = s
        .for_each_certificate(tenant, &mut |r| {
            out.push(r);
            Ok(())
        })
        .expect("certificates");
    assert_eq!(n as usize, out.len());
    out
}

/// Tenant `a` with serials, 課税, certificates of two 年度 (one revoked) and 受付番号; `b` with a little.
fn fill(s: &dyn Store, a: &TenantId, b: &TenantId) {
    for x in [a, b] {
        s.ensure_tenant(x, "市").expect("tenant");
    }
    let cards = [
        card(2, "b2", None),
        card(1, "a1", Some(day())),
        card(1, "ff", None),
    ];
    let changes: Vec<_> = cards.iter().cloned().map(CardSerialChange::Put).collect();
    s.import_card_serials(a, &meta(a, "cards-a"), &changes)
        .expect("cards");
    s.import_card_serials(
        b,
        &meta(b, "cards-b"),
        &[CardSerialChange::Put(card(9, "99", None))],
    )
    .expect("cards b");
    let taxes = [
        tax(2, 2026, 3_000_000),
        tax(1, 2026, 0),
        tax(1, 2025, 2_000_000),
    ];
    let changes: Vec<_> = taxes.iter().cloned().map(TaxChange::Put).collect();
    s.import_tax_records(a, &meta(a, "tax-a"), &changes)
        .expect("tax");
    s.import_tax_records(b, &meta(b, "tax-b"), &[TaxChange::Put(tax(9, 2026, 1))])
        .expect("tax b");
    run(s, a, "w-2026", 2026, 2);
    run(s, a, "w-2025", 2025, 1);
    run(s, b, "w-b", 2026, 1);
    s.revoke_certificate(
        a,
        &Revocation {
            issue_no: "R08-000002".into(),
            at: at(20),
            by: "staff2".into(),
            reason: "記載誤り".into(),
        },
        &ev(a, "certificate.revoke"),
    )
    .expect("revoke");
    for _ in 0..3 {
        s.take_reception_number(a, day()).expect("reception");
    }
    s.take_reception_number(b, day()).expect("reception b");
}

pub(super) fn handover_reads_feeds_and_certificates(s: &dyn Store) {
    let (a, b) = (t("a"), t("b"));
    fill(s, &a, &b);
    assert_eq!(
        s.all_card_serials(&a).expect("cards"),
        vec![
            card(1, "a1", Some(day())),
            card(1, "ff", None),
            card(2, "b2", None)
        ],
        "by 宛名番号 then serial, revoked ones included, b's left out"
    );
    assert_eq!(
        s.all_tax_records(&a).expect("tax"),
        vec![
            tax(1, 2025, 2_000_000),
            tax(1, 2026, 0),
            tax(2, 2026, 3_000_000)
        ],
        "by 宛名番号 then 年度, every amount"
    );
    let records = certificates(s, &a);
    let numbers: Vec<&str> = records.iter().map(|r| r.issue_no.as_str()).collect();
    assert_eq!(numbers, ["R07-000001", "R08-000001", "R08-000002"]);
    for r in &records {
        assert_eq!(
            Some(r),
            s.get_certificate(&a, &r.issue_no).expect("get").as_ref(),
            "the whole record, snapshot and 失効 included"
        );
    }
    assert_eq!(records[2].revoke_reason.as_deref(), Some("記載誤り"));
    assert_eq!(
        s.certificate_counters(&a).expect("counters"),
        CertificateCounters {
            issue_numbers: vec![(2025, 1), (2026, 2)],
            reception_numbers: vec![(day(), 3)],
        }
    );
    assert_eq!(certificates(s, &b).len(), 1);
    assert!(certificates(s, &t("none")).is_empty());
}

pub(super) fn certificates_restored_as_they_were(s: &dyn Store) {
    let (a, b, c) = (t("a"), t("b"), t("c"));
    fill(s, &a, &b);
    s.ensure_tenant(&c, "C村").expect("tenant");
    let records = certificates(s, &a);
    // The counters may be ahead of the certificates (a number taken by an issue that was not kept).
    let counters = CertificateCounters {
        issue_numbers: vec![(2026, 5)],
        reception_numbers: vec![(day(), 3)],
    };
    let before = audit_count(s, &c);
    s.restore_certificates(&c, &records, &counters, &ev(&c, "certificate.restore"))
        .expect("restore");
    assert_eq!(certificates(s, &c), records, "every field as it was");
    assert_eq!(audit_count(s, &c), before + 1, "audited once");
    assert_eq!(
        s.certificate_counters(&c).expect("counters"),
        CertificateCounters {
            issue_numbers: vec![(2025, 1), (2026, 5)],
            reception_numbers: vec![(day(), 3)],
        },
        "the stated counters, and at least the highest serial restored"
    );
    // The next numbers follow on: none is given twice.
    let next = run(s, &c, "w-next", 2026, 1);
    assert_eq!(next.records()[0].issue_no, "R08-000006");
    assert_eq!(s.take_reception_number(&c, day()).expect("reception"), 4);

    // A second restore conflicts and changes nothing (all or nothing), and lower counters never
    // lower the stored ones.
    let lower = CertificateCounters {
        issue_numbers: vec![(2026, 1)],
        reception_numbers: vec![(day(), 1)],
    };
    assert!(matches!(
        s.restore_certificates(&c, &records, &lower, &ev(&c, "certificate.restore")),
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(certificates(s, &c).len(), 4);
    s.restore_certificates(&c, &[], &lower, &ev(&c, "certificate.restore"))
        .expect("counters only");
    assert_eq!(
        s.certificate_counters(&c).expect("counters"),
        CertificateCounters {
            issue_numbers: vec![(2025, 1), (2026, 6)],
            reception_numbers: vec![(day(), 4)],
        }
    );

    // Deleting the tenant counts its certificates and counters, and leaves the others'.
    let report = s
        .delete_tenant(&a, &ev(&a, "tenant.delete"))
        .expect("delete");
    let count = |name: &str| report.iter().find(|(n, _)| n == name).map(|(_, n)| *n);
    assert_eq!(count("certificates"), Some(3));
    assert_eq!(count("certificate_numbers"), Some(2));
    assert_eq!(count("reception_numbers"), Some(1));
    assert_eq!(count("card_serials"), Some(3));
    assert_eq!(count("tax_records"), Some(3));
    assert!(certificates(s, &a).is_empty());
    assert_eq!(
        s.certificate_counters(&a).expect("counters"),
        CertificateCounters::default()
    );
    assert_eq!(certificates(s, &b).len(), 1);
    assert_eq!(certificates(s, &c).len(), 4);
}
