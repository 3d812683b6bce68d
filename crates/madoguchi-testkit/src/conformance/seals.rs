//! Conformance checks of the 印鑑登録 feed on [`madoguchi_store::LinkageStore`]: full loads replace,
//! deltas upsert and delete, exactly once with the ledger and the audit record, tenant scope, and the
//! 印影's bytes as they were given.

use chrono::NaiveDate;
use madoguchi_core::ids::AtenaNo;
use madoguchi_store::{
    ImportApplied, ImportCounts, ImportMeta, ImportMode, SealRegistration, SealRegistrationChange,
    Store, TenantId,
};

use super::support::{at, audit_count, ev, t};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
}

fn meta(tenant: &TenantId, mode: ImportMode, sha: &str) -> ImportMeta {
    ImportMeta {
        mode,
        sha256: sha.to_owned(),
        source_name: format!("inkan/{sha}.csv"),
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

/// A PNG-looking image of `len` bytes whose content depends on `seed`.
fn png(seed: u8, len: usize) -> Vec<u8> {
    let mut v = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    v.extend((0..len.saturating_sub(8)).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed)));
    v
}

/// A registration in force (`abolished` None) or 廃止 (without 印影).
fn seal(seq: u64, no: &str, abolished: Option<NaiveDate>) -> SealRegistration {
    let active = abolished.is_none();
    SealRegistration {
        atena_no: AtenaNo::from_sequence(seq),
        registration_no: no.to_owned(),
        registered_on: d(2015, 4, 1),
        abolished_on: abolished,
        image: active.then(|| png(seq as u8, 300)),
        image_type: active.then(|| "png".to_owned()),
        width_tenth_mm: active.then_some(150),
        height_tenth_mm: active.then_some(150),
    }
}

fn put(r: SealRegistration) -> SealRegistrationChange {
    SealRegistrationChange::Put(r)
}

fn get(s: &dyn Store, tenant: &TenantId, seq: u64) -> Option<SealRegistration> {
    s.seal_registration(tenant, &AtenaNo::from_sequence(seq))
        .expect("read")
}

fn atenas(seqs: &[u64]) -> Vec<AtenaNo> {
    let mut v: Vec<AtenaNo> = seqs.iter().map(|n| AtenaNo::from_sequence(*n)).collect();
    v.sort_by(|a, b| a.as_str().cmp(b.as_str()));
    v
}

pub(super) fn seal_full_loads_replace_and_deltas_upsert_and_delete(s: &dyn Store) {
    let tenant = t("a");
    s.ensure_tenant(&tenant, "A市").expect("tenant");
    let full = vec![
        put(seal(1, "100001", None)),
        put(seal(2, "100002", None)),
        put(seal(3, "100003", Some(d(2024, 3, 31)))),
    ];
    let c = committed(
        s.import_seal_registrations(&tenant, &meta(&tenant, ImportMode::Full, "in-1"), &full)
            .expect("import"),
    );
    assert_eq!(
        (c.inserted, c.updated, c.unchanged, c.removed),
        (3, 0, 0, 0)
    );
    assert_eq!(audit_count(s, &tenant), 1, "audited in the import");
    assert_eq!(get(s, &tenant, 1), Some(seal(1, "100001", None)));
    assert_eq!(
        get(s, &tenant, 3),
        Some(seal(3, "100003", Some(d(2024, 3, 31)))),
        "a 廃止 registration is kept"
    );
    assert_eq!(get(s, &tenant, 4), None);
    assert_eq!(
        s.active_seal_registrations(&tenant).expect("active"),
        atenas(&[1, 2])
    );
    // Applied once: the same file (SHA-256) again changes nothing and is not audited again.
    assert!(matches!(
        s.import_seal_registrations(&tenant, &meta(&tenant, ImportMode::Full, "in-1"), &[])
            .expect("again"),
        ImportApplied::AlreadyApplied { .. }
    ));
    assert_eq!(get(s, &tenant, 2), Some(seal(2, "100002", None)));
    assert_eq!(audit_count(s, &tenant), 1);
    // The hand-over reads them all, 廃止 included, in 宛名番号 order.
    assert_eq!(
        s.all_seal_registrations(&tenant).expect("all"),
        vec![
            seal(1, "100001", None),
            seal(2, "100002", None),
            seal(3, "100003", Some(d(2024, 3, 31)))
        ]
    );

    // Delta: 1 abolished, 2 removed (削除フラグ), 4 registered, 3 unchanged.
    let delta = vec![
        put(seal(1, "100001", Some(d(2026, 11, 1)))),
        SealRegistrationChange::Remove {
            atena_no: AtenaNo::from_sequence(2),
        },
        put(seal(4, "100004", None)),
        put(seal(3, "100003", Some(d(2024, 3, 31)))),
        SealRegistrationChange::Remove {
            atena_no: AtenaNo::from_sequence(9),
        },
    ];
    let c = committed(
        s.import_seal_registrations(&tenant, &meta(&tenant, ImportMode::Delta, "in-2"), &delta)
            .expect("delta"),
    );
    assert_eq!(
        (c.inserted, c.updated, c.unchanged, c.removed),
        (1, 1, 1, 1)
    );
    assert_eq!(
        get(s, &tenant, 1),
        Some(seal(1, "100001", Some(d(2026, 11, 1))))
    );
    assert_eq!(get(s, &tenant, 2), None);
    assert_eq!(
        s.active_seal_registrations(&tenant).expect("active"),
        atenas(&[4])
    );

    // A full load replaces everything: what it does not list is gone, a re-registration replaces.
    let c = committed(
        s.import_seal_registrations(
            &tenant,
            &meta(&tenant, ImportMode::Full, "in-3"),
            &[put(seal(4, "100004", None)), put(seal(1, "100005", None))],
        )
        .expect("full"),
    );
    assert_eq!(
        (c.inserted, c.updated, c.unchanged, c.removed),
        (0, 1, 1, 1)
    );
    assert_eq!(get(s, &tenant, 3), None);
    assert_eq!(get(s, &tenant, 1), Some(seal(1, "100005", None)));
    assert_eq!(
        s.active_seal_registrations(&tenant).expect("active"),
        atenas(&[1, 4])
    );
    // An empty full load removes every registration.
    let c = committed(
        s.import_seal_registrations(&tenant, &meta(&tenant, ImportMode::Full, "in-4"), &[])
            .expect("empty"),
    );
    assert_eq!(c.removed, 2);
    assert!(
        s.active_seal_registrations(&tenant)
            .expect("active")
            .is_empty()
    );
    assert_eq!(audit_count(s, &tenant), 4);
}

pub(super) fn seal_registrations_are_tenant_scoped(s: &dyn Store) {
    let (a, b) = (t("a"), t("b"));
    for x in [&a, &b] {
        s.ensure_tenant(x, "市").expect("tenant");
    }
    committed(
        s.import_seal_registrations(
            &a,
            &meta(&a, ImportMode::Full, "same-file"),
            &[put(seal(1, "1", None)), put(seal(2, "2", None))],
        )
        .expect("a"),
    );
    assert_eq!(get(s, &b, 1), None, "b sees none of a's");
    assert!(s.active_seal_registrations(&b).expect("b").is_empty());
    // The same file for b is b's own import; b's full load leaves a's registrations alone.
    committed(
        s.import_seal_registrations(
            &b,
            &meta(&b, ImportMode::Full, "same-file"),
            &[put(seal(1, "77", None))],
        )
        .expect("b"),
    );
    assert_eq!(get(s, &a, 1), Some(seal(1, "1", None)));
    assert_eq!(get(s, &b, 1), Some(seal(1, "77", None)));
    assert_eq!(get(s, &a, 2), Some(seal(2, "2", None)));
    // A delta of b's that deletes 2 does not reach a's.
    committed(
        s.import_seal_registrations(
            &b,
            &meta(&b, ImportMode::Delta, "b-2"),
            &[SealRegistrationChange::Remove {
                atena_no: AtenaNo::from_sequence(2),
            }],
        )
        .expect("b delta"),
    );
    assert!(get(s, &a, 2).is_some());
    // Deleting a tenant removes its registrations only.
    let report = s
        .delete_tenant(&a, &ev(&a, "tenant.delete"))
        .expect("delete");
    assert_eq!(
        report
            .iter()
            .find(|(n, _)| n == "seal_registrations")
            .map(|(_, c)| *c),
        Some(2)
    );
    assert_eq!(get(s, &a, 1), None);
    assert_eq!(get(s, &b, 1), Some(seal(1, "77", None)));
}

pub(super) fn seal_image_bytes_round_trip(s: &dyn Store) {
    let tenant = t("a");
    s.ensure_tenant(&tenant, "A市").expect("tenant");
    // Every byte value, NULs and invalid UTF-8 included, at the largest size the feed accepts.
    let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0];
    jpeg.extend((0..64 * 1024 - 4).map(|i| (i % 256) as u8));
    let big = SealRegistration {
        atena_no: AtenaNo::from_sequence(5),
        registration_no: "000000000012".into(),
        registered_on: d(2026, 1, 5),
        abolished_on: None,
        image: Some(jpeg.clone()),
        image_type: Some("jpeg".into()),
        width_tenth_mm: Some(80),
        height_tenth_mm: Some(250),
    };
    let small = SealRegistration {
        image: Some(png(7, 9)),
        ..seal(6, "6", None)
    };
    committed(
        s.import_seal_registrations(
            &tenant,
            &meta(&tenant, ImportMode::Full, "img-1"),
            &[put(big.clone()), put(small.clone())],
        )
        .expect("import"),
    );
    let got = get(s, &tenant, 5).expect("stored");
    assert_eq!(got.image.as_deref(), Some(&jpeg[..]), "the same bytes");
    assert_eq!(got, big);
    assert_eq!(get(s, &tenant, 6), Some(small));
    // Another image for the same registration is an update, read back as given.
    let changed = SealRegistration {
        image: Some(png(8, 5000)),
        ..big.clone()
    };
    let c = committed(
        s.import_seal_registrations(
            &tenant,
            &meta(&tenant, ImportMode::Delta, "img-2"),
            &[put(changed.clone())],
        )
        .expect("delta"),
    );
    assert_eq!((c.updated, c.unchanged), (1, 0));
    assert_eq!(get(s, &tenant, 5), Some(changed));
}
