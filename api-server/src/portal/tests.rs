//! The ZIP import: applied once, all or nothing, each bad input refused with a Japanese message.

use chrono::{TimeZone, Utc};
use madoguchi_store::{AuditEvent, PortalStore, TenantId, TenantStore};
use madoguchi_store_sqlite::SqliteStore;

use super::import::{ImportFailed, import_zip};
use super::sample;

fn store() -> (SqliteStore, TenantId) {
    let s = SqliteStore::open_in_memory().expect("store");
    let t = TenantId("demo".into());
    s.ensure_tenant(&t, "さくら野市").expect("tenant");
    (s, t)
}

fn ev(t: &TenantId) -> AuditEvent {
    AuditEvent {
        tenant: t.clone(),
        at: Utc::now(),
        user: Some("staff".into()),
        counter: None,
        terminal: None,
        action: "portal.import".into(),
        subject: None,
        result: "ok".into(),
        reason: None,
    }
}

fn base() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0)
        .single()
        .expect("time")
}

fn samples(n: usize) -> Vec<sample::SampleApplication> {
    (0..n)
        .map(|i| sample::application(i, base(), None))
        .collect()
}

fn refused(r: Result<super::import::ImportReport, ImportFailed>) -> String {
    match r {
        Err(ImportFailed::Input(e)) => e.0,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn a_zip_is_stored_once_with_its_attachments() {
    let (s, t) = store();
    let zip = sample::zip(&samples(5));
    let first = import_zip(&s, &t, &zip, base(), &ev(&t)).expect("import");
    assert_eq!((first.total, first.added.len()), (5, 5));
    let again = import_zip(&s, &t, &zip, base(), &ev(&t)).expect("again");
    assert_eq!((again.total, again.added.len(), again.already()), (5, 0, 5));
    let list = s.portal_applications(&t, None).expect("list");
    assert_eq!(list.len(), 5, "the same ZIP twice is applied once");
    let one = s
        .portal_application(&t, &list[0].application_no)
        .expect("get")
        .expect("one");
    assert_eq!(one.attachments.len(), 1);
    assert_eq!(one.attachments[0].name, "本人確認書類.pdf");
    let applicant = super::adapter::applicant_of(&one.applicant).expect("applicant");
    assert_eq!(applicant, sample::applicant(0));
}

#[test]
fn a_truncated_zip_stores_nothing() {
    let (s, t) = store();
    let zip = sample::zip(&samples(3));
    let cut = &zip[..zip.len() * 2 / 3];
    let msg = refused(import_zip(&s, &t, cut, base(), &ev(&t)));
    assert!(msg.contains("ZIP ファイルを読めません"), "{msg}");
    let msg = refused(import_zip(&s, &t, b"not a zip", base(), &ev(&t)));
    assert!(msg.contains("ZIP ファイルを読めません"), "{msg}");
    assert!(s.portal_applications(&t, None).expect("list").is_empty());
}

#[test]
fn a_damaged_entry_stores_nothing() {
    let (s, t) = store();
    let mut zip = sample::zip(&samples(2));
    // Flip a byte inside the first entry's data (after its local header): the directory still
    // reads, the data does not inflate or its CRC does not match.
    let name_len = u16::from_le_bytes([zip[26], zip[27]]) as usize;
    let extra_len = u16::from_le_bytes([zip[28], zip[29]]) as usize;
    zip[30 + name_len + extra_len + 8] ^= 0x55;
    let msg = refused(import_zip(&s, &t, &zip, base(), &ev(&t)));
    assert!(
        msg.contains("壊れています") || msg.contains("読めません"),
        "{msg}"
    );
    assert!(s.portal_applications(&t, None).expect("list").is_empty());
}

#[test]
fn an_unknown_form_refuses_the_whole_zip_naming_it() {
    let (s, t) = store();
    let mut apps = samples(3);
    apps[2].document.form_code = "PT-UNKNOWN-42".into();
    let msg = refused(import_zip(&s, &t, &sample::zip(&apps), base(), &ev(&t)));
    assert!(msg.contains("「PT-UNKNOWN-42」"), "{msg}");
    assert!(msg.contains("受け付ける手続にありません"), "{msg}");
    assert!(
        s.portal_applications(&t, None).expect("list").is_empty(),
        "all or nothing"
    );
}

#[test]
fn missing_data_and_attachments_are_refused() {
    let (s, t) = store();
    let mut apps = samples(1);
    apps[0].contents.clear();
    apps[0].document.attachments[0].file = "attachments/missing.pdf".into();
    let msg = refused(import_zip(&s, &t, &sample::zip(&apps), base(), &ev(&t)));
    assert!(msg.contains("ZIP ファイルにありません"), "{msg}");
    let empty = sample::zip(&[]);
    let msg = refused(import_zip(&s, &t, &empty, base(), &ev(&t)));
    assert!(
        msg.contains("申請データ（application.json）がありません"),
        "{msg}"
    );
}
