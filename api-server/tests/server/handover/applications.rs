//! The hand-over of what residents and the portal sent: マイナポータル applications with their attachments
//! (bytes as they were) and statuses, 転入予約 and 事前申請 (the current ones, under their own 受付番号;
//! expired ones are left out). A package written before these files still imports.

use chrono::{DateTime, NaiveDate, Utc};
use madoguchi_core::pre_application::number;
use madoguchi_server::api::today_jst;
use madoguchi_server::handover;
use madoguchi_store::prelude::*;
use madoguchi_store::{
    NewPortalApplication, PortalAttachment, PortalStatusChange, PreApplication, Reservation,
    ReservationStatus, Store, TenantId,
};
use madoguchi_store_sqlite::SqliteStore;
use madoguchi_testkit::residents::today;
use madoguchi_testkit::staff::setup_event;

use super::{event, filled, with_secrets};

/// The files this hand-over added.
const FILES: [&str; 4] = [
    "portal_applications.csv",
    "portal_attachments.csv",
    "arrival_reservations.csv",
    "pre_applications.csv",
];

fn at(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_795_000_000 + secs, 0).expect("valid timestamp")
}

/// Every byte value, so that nothing of a binary file is lost.
fn scan() -> Vec<u8> {
    (0..=255u8).chain([0, 13, 10, b'"', b',']).collect()
}

fn application(no: &str, attachments: Vec<PortalAttachment>) -> NewPortalApplication {
    NewPortalApplication {
        application_no: no.into(),
        kind: "tennyu_yoyaku".into(),
        form_code: "TENNYU-01".into(),
        source: "api".into(),
        received_at: at(10),
        applicant: r#"{"name":"転入 花子","kana":"テンニュウ ハナコ","birth_date":"1990-05-01"}"#
            .into(),
        jpki_serial: Some("0A1B2C".into()),
        attachments,
    }
}

fn pre_application(random: u32, write_id: &str, expires: NaiveDate) -> PreApplication {
    PreApplication {
        number: number::from_random(random),
        write_id: write_id.into(),
        birth: NaiveDate::from_ymd_opt(1990, 5, 1).expect("date"),
        body: r#"{"entries":{"memo":"=1+1, \"引越し\""}}"#.into(),
        expires,
        sent_at: at(30),
    }
}

/// Two applications (one returned, reported, with two attachments), the demo city's 転入予約 moved on,
/// one arrived and one only named by the portal, and a current and an expired 事前申請. Returns those
/// two.
fn sent_data(store: &dyn Store, tenant: &TenantId) -> (PreApplication, PreApplication) {
    let files = vec![
        PortalAttachment {
            name: "本人確認書類.pdf".into(),
            media_type: "application/pdf".into(),
            bytes: scan(),
        },
        PortalAttachment {
            name: "写真.jpg".into(),
            media_type: "image/jpeg".into(),
            bytes: vec![0xff, 0xd8, 0xff],
        },
    ];
    store
        .put_portal_applications(
            tenant,
            &[application("P-0001", files), application("P-0002", vec![])],
            at(20),
            &setup_event(tenant, "portal.import"),
        )
        .expect("applications");
    let returned = PortalStatusChange {
        status: "returned".into(),
        by: "staff".into(),
        at: at(40),
        reason: Some("書類が足りません, \"再提出\"".into()),
        case_id: Some("case-0001".into()),
    };
    store
        .set_portal_status(tenant, "P-0001", &returned, &setup_event(tenant, "s"))
        .expect("status");
    assert!(
        store
            .mark_portal_status_sent(tenant, "P-0001", "returned", at(50))
            .expect("sent")
    );
    let mut reservations = store.all_reservations(tenant).expect("demo reservations");
    assert!(!reservations.is_empty(), "the demo city expects households");
    reservations[0].status = ReservationStatus::Arrived;
    reservations[0].prepared_case_id = Some("case-0001".into());
    reservations.push(Reservation {
        notice_no: "PORTAL-ONLY-1".into(),
        problem: Some("転出証明書情報がまだ届いていません。".into()),
        ..reservations[0].clone()
    });
    for r in &mut reservations {
        r.updated_at = at(60);
        store
            .put_reservation(tenant, r, &setup_event(tenant, "s"))
            .expect("reservation");
    }
    let now = today_jst();
    let current = pre_application(1, "w-current", now + chrono::Days::new(30));
    let expired = pre_application(2, "w-expired", now - chrono::Days::new(1));
    for p in [&current, &expired] {
        store
            .send_pre_application(
                tenant,
                p,
                now - chrono::Days::new(10),
                &setup_event(tenant, "s"),
            )
            .expect("send");
    }
    (current, expired)
}

fn exported(store: &dyn Store, tenant: &TenantId, out: &std::path::Path) -> handover::Manifest {
    handover::export_tenant(
        store,
        tenant,
        out,
        &with_secrets(),
        &setup_event(tenant, "tenant.export"),
    )
    .expect("export")
    .manifest
}

#[test]
fn applications_reservations_and_pre_applications_are_handed_over() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = SqliteStore::open(&dir.path().join("db.sqlite3")).expect("store");
    let a = TenantId("a".into());
    filled(&store, &a);
    let (current, expired) = sent_data(&store, &a);
    let out = dir.path().join("export");
    let manifest = exported(&store, &a, &out);
    let rows = |name: &str| {
        manifest
            .files
            .iter()
            .find(|f| f.name == name)
            .map(|f| f.rows)
    };
    assert_eq!(rows("portal_applications.csv"), Some(2));
    assert_eq!(rows("portal_attachments.csv"), Some(2));
    assert_eq!(
        rows("pre_applications.csv"),
        Some(1),
        "the expired one is left out"
    );
    let reservations = store.all_reservations(&a).expect("a");
    assert_eq!(
        rows("arrival_reservations.csv"),
        Some(reservations.len() as u64)
    );

    let b = TenantId("b".into());
    let summary =
        handover::import_tenant(&store, &b, &out, None, today(), &event(&b)).expect("import");
    for count in [("マイナポータルの申請", 2), ("事前申請", 1)] {
        assert!(summary.counts.contains(&count), "{:?}", summary.counts);
    }
    assert_eq!(
        store.portal_applications(&b, None).expect("b"),
        store.portal_applications(&a, None).expect("a"),
        "every application with its status, case and report"
    );
    let p1 = store
        .portal_application(&b, "P-0001")
        .expect("read")
        .expect("P-0001");
    assert_eq!(
        (p1.status.as_str(), p1.case_id.as_deref(), p1.status_sent_at),
        ("returned", Some("case-0001"), Some(at(50)))
    );
    assert_eq!(
        Some(p1),
        store.portal_application(&a, "P-0001").expect("a"),
        "with its attachments listed"
    );
    let attachment = store
        .portal_attachment(&b, "P-0001", 0)
        .expect("read")
        .expect("attachment");
    assert_eq!(attachment.bytes, scan(), "the bytes as they were");
    assert_eq!(attachment.name, "本人確認書類.pdf");
    assert_eq!(reservations, store.all_reservations(&b).expect("b"));
    assert_eq!(
        store.pre_application(&b, &current.number).expect("read"),
        Some(current),
        "readable by its 受付番号"
    );
    assert_eq!(
        store.pre_application(&b, &expired.number).expect("read"),
        None
    );
    let audited: Vec<String> = store
        .audit_records(
            &b,
            at(-1_000_000_000),
            Utc::now() + chrono::Duration::days(1),
        )
        .expect("audit")
        .into_iter()
        .map(|r| r.event.action)
        .collect();
    for action in [
        "portal.restore",
        "portal.status",
        "reservation.restore",
        "pre_application.restore",
    ] {
        assert!(audited.iter().any(|a| a == action), "{action} audited");
    }
    // Exported again, the new tenant gives the same files.
    let again = dir.path().join("again");
    exported(&store, &b, &again);
    for name in FILES {
        assert_eq!(
            std::fs::read(out.join(name)).expect("first"),
            std::fs::read(again.join(name)).expect("again"),
            "{name}"
        );
    }
}

#[test]
fn a_package_without_the_sent_data_still_imports() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = SqliteStore::open(&dir.path().join("db.sqlite3")).expect("store");
    let a = TenantId("a".into());
    filled(&store, &a);
    sent_data(&store, &a);
    let out = dir.path().join("export");
    let mut manifest = exported(&store, &a, &out);
    // As written by a version before these files: not in the manifest, not in the folder.
    manifest.files.retain(|f| !FILES.contains(&f.name.as_str()));
    std::fs::write(
        out.join("manifest.json"),
        serde_json::to_vec(&manifest).expect("json"),
    )
    .expect("write");
    for name in FILES {
        std::fs::remove_file(out.join(name)).expect("remove");
    }
    let b = TenantId("b".into());
    handover::import_tenant(&store, &b, &out, None, today(), &event(&b)).expect("import");
    assert_eq!(store.count_residents(&b).expect("count"), 300);
    assert!(store.portal_applications(&b, None).expect("b").is_empty());
    assert!(store.all_reservations(&b).expect("b").is_empty());
    assert!(store.all_pre_applications(&b).expect("b").is_empty());
}

#[test]
fn a_broken_attachment_leaves_nothing_behind() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = SqliteStore::open(&dir.path().join("db.sqlite3")).expect("store");
    let a = TenantId("a".into());
    filled(&store, &a);
    sent_data(&store, &a);
    let out = dir.path().join("export");
    let mut manifest = exported(&store, &a, &out);
    let path = out.join("portal_attachments.csv");
    let text = std::fs::read_to_string(&path).expect("read");
    let broken = text.replace("/9j/", "!!!!");
    assert_ne!(broken, text, "the JPEG's base64 is in the file");
    std::fs::write(&path, &broken).expect("write");
    for f in &mut manifest.files {
        if f.name == "portal_attachments.csv" {
            f.sha256 = madoguchi_server::import::sha256_hex(broken.as_bytes()).expect("hash");
        }
    }
    std::fs::write(
        out.join("manifest.json"),
        serde_json::to_vec(&manifest).expect("json"),
    )
    .expect("write");
    let b = TenantId("b".into());
    let err = handover::import_tenant(&store, &b, &out, None, today(), &event(&b))
        .expect_err("broken attachment");
    assert!(err.to_string().contains("portal_attachments.csv"), "{err}");
    assert_eq!(store.tenant_name(&b).expect("name"), None, "rolled back");
    assert!(store.portal_applications(&b, None).expect("b").is_empty());
}

#[test]
fn deletion_reports_the_sent_data() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = SqliteStore::open(&dir.path().join("db.sqlite3")).expect("store");
    let a = TenantId("a".into());
    filled(&store, &a);
    sent_data(&store, &a);
    let reservations = store.all_reservations(&a).expect("a").len();
    let report =
        handover::delete_tenant(&store, &a, &setup_event(&a, "tenant.delete")).expect("delete");
    for line in [
        "  マイナポータルの申請: 2\n".to_owned(),
        "  マイナポータルの申請の添付ファイル: 2\n".to_owned(),
        format!("  転入予約: {reservations}\n"),
        "  事前申請: 2\n".to_owned(),
    ] {
        assert!(report.contains(&line), "{line}: {report}");
    }
}

#[test]
fn a_tenant_with_a_pre_application_is_not_empty() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = SqliteStore::open(&dir.path().join("db.sqlite3")).expect("store");
    let a = TenantId("a".into());
    filled(&store, &a);
    let out = dir.path().join("export");
    exported(&store, &a, &out);
    let c = TenantId("c".into());
    store.ensure_tenant(&c, "C村").expect("tenant");
    let sent = pre_application(3, "w-c", today_jst() + chrono::Days::new(30));
    store
        .send_pre_application(&c, &sent, today_jst(), &setup_event(&c, "s"))
        .expect("send");
    let err = handover::import_tenant(&store, &c, &out, None, today(), &event(&c))
        .expect_err("not empty");
    assert!(err.to_string().contains("既にデータがあります"), "{err}");
    assert_eq!(
        store.pre_application(&c, &sent.number).expect("read"),
        Some(sent),
        "nothing removed"
    );
}
