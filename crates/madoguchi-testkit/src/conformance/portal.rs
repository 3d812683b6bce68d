//! Conformance checks of [`madoguchi_store::PortalStore`]: applications are stored once per
//! application number with their attachments, all or nothing per call; statuses and their report
//! to the portal; everything tenant-scoped and audited.

use madoguchi_store::{
    NewPortalApplication, PORTAL_ATTACHMENT_MAX_BYTES, PortalAttachment, PortalStatusChange, Store,
    StoreError,
};

use super::support::{at, audit_count, ev, t};

fn application(no: &str, received: i64) -> NewPortalApplication {
    NewPortalApplication {
        application_no: no.into(),
        kind: "pittari".into(),
        form_code: "JJ-0001".into(),
        source: "zip".into(),
        received_at: at(received),
        applicant: r#"{"name":"山田 太郎","kana":"ヤマダ タロウ","birth_date":"1980-04-01"}"#
            .into(),
        jpki_serial: Some("0A1B2C".into()),
        attachments: vec![
            PortalAttachment {
                name: "本人確認書類.pdf".into(),
                media_type: "application/pdf".into(),
                bytes: b"%PDF-1.4 test".to_vec(),
            },
            PortalAttachment {
                name: "写真.jpg".into(),
                media_type: "image/jpeg".into(),
                bytes: vec![0xff, 0xd8, 0xff],
            },
        ],
    }
}

pub(super) fn portal_applications_stored_once(s: &dyn Store) {
    let a = t("a");
    s.ensure_tenant(&a, "A市").expect("tenant");
    s.ensure_tenant(&t("b"), "B市").expect("tenant");
    let before = audit_count(s, &a);
    let batch = [application("P-1", 10), application("P-2", 20)];
    let added = s
        .put_portal_applications(&a, &batch, at(30), &ev(&a, "portal.import"))
        .expect("put");
    assert_eq!(added, vec!["P-1".to_owned(), "P-2".to_owned()]);
    assert_eq!(audit_count(s, &a), before + 1, "one audited transaction");
    let again = s
        .put_portal_applications(
            &a,
            &[application("P-2", 20), application("P-3", 40)],
            at(50),
            &ev(&a, "portal.import"),
        )
        .expect("put again");
    assert_eq!(again, vec!["P-3".to_owned()], "P-2 is kept once");
    let list = s.portal_applications(&a, None).expect("list");
    let nos: Vec<_> = list.iter().map(|p| p.application_no.as_str()).collect();
    assert_eq!(nos, ["P-3", "P-2", "P-1"], "the latest received first");
    let p2 = list
        .iter()
        .find(|p| p.application_no == "P-2")
        .expect("P-2");
    assert_eq!(p2.imported_at, at(30), "the first import stays");
    assert_eq!(p2.status, "unprocessed");
    assert!(p2.attachments.is_empty(), "lists carry no attachments");
    let one = s.portal_application(&a, "P-1").expect("get").expect("P-1");
    assert_eq!(one.applicant, application("P-1", 10).applicant);
    assert_eq!(one.jpki_serial.as_deref(), Some("0A1B2C"));
    assert_eq!(one.attachments.len(), 2);
    assert_eq!(one.attachments[1].name, "写真.jpg");
    assert_eq!(one.attachments[0].size, 13);
    let file = s
        .portal_attachment(&a, "P-1", 1)
        .expect("file")
        .expect("some");
    assert_eq!(file.bytes, vec![0xff, 0xd8, 0xff]);
    assert_eq!(file.media_type, "image/jpeg");
    assert!(s.portal_attachment(&a, "P-1", 2).expect("none").is_none());
    assert!(s.portal_applications(&t("b"), None).expect("b").is_empty());
    assert!(s.portal_application(&t("b"), "P-1").expect("b").is_none());
    assert!(s.portal_attachment(&t("b"), "P-1", 0).expect("b").is_none());
}

pub(super) fn portal_batch_is_all_or_nothing(s: &dyn Store) {
    let a = t("a");
    s.ensure_tenant(&a, "A市").expect("tenant");
    let mut big = application("P-9", 10);
    big.attachments[0].bytes = vec![0; PORTAL_ATTACHMENT_MAX_BYTES + 1];
    let refused = s.put_portal_applications(
        &a,
        &[application("P-8", 10), big],
        at(30),
        &ev(&a, "portal.import"),
    );
    assert!(matches!(refused, Err(StoreError::Conflict(_))));
    assert!(
        s.portal_applications(&a, None).expect("list").is_empty(),
        "nothing of the batch is stored"
    );
}

pub(super) fn portal_status_and_its_report(s: &dyn Store) {
    let a = t("a");
    s.ensure_tenant(&a, "A市").expect("tenant");
    s.put_portal_applications(
        &a,
        &[application("P-1", 10), application("P-2", 20)],
        at(30),
        &ev(&a, "portal.import"),
    )
    .expect("put");
    let change = PortalStatusChange {
        status: "in_progress".into(),
        by: "staff1".into(),
        at: at(60),
        reason: None,
        case_id: Some("case-1".into()),
    };
    let before = audit_count(s, &a);
    s.set_portal_status(&a, "P-1", &change, &ev(&a, "portal.status"))
        .expect("status");
    assert_eq!(audit_count(s, &a), before + 1);
    let returned = PortalStatusChange {
        status: "returned".into(),
        reason: Some("添付書類が不足".into()),
        case_id: None,
        ..change.clone()
    };
    s.set_portal_status(&a, "P-1", &returned, &ev(&a, "portal.status"))
        .expect("returned");
    let p1 = s.portal_application(&a, "P-1").expect("get").expect("P-1");
    assert_eq!(p1.status, "returned");
    assert_eq!(p1.status_by.as_deref(), Some("staff1"));
    assert_eq!(p1.status_at, Some(at(60)));
    assert_eq!(p1.status_reason.as_deref(), Some("添付書類が不足"));
    assert_eq!(p1.case_id.as_deref(), Some("case-1"), "the case stays");
    assert_eq!(p1.status_sent_at, None);
    let filtered = s.portal_applications(&a, Some("returned")).expect("list");
    assert_eq!(filtered.len(), 1);
    assert_eq!(
        s.portal_applications(&a, Some("unprocessed"))
            .expect("l")
            .len(),
        1
    );
    assert!(
        !s.mark_portal_status_sent(&a, "P-1", "in_progress", at(70))
            .expect("stale"),
        "a report of an older status is not recorded"
    );
    assert!(
        s.mark_portal_status_sent(&a, "P-1", "returned", at(70))
            .expect("sent")
    );
    let p1 = s.portal_application(&a, "P-1").expect("get").expect("P-1");
    assert_eq!(p1.status_sent_at, Some(at(70)));
    assert!(matches!(
        s.set_portal_status(&a, "P-404", &change, &ev(&a, "portal.status")),
        Err(StoreError::NotFound(_))
    ));
    assert!(
        s.set_portal_status(&t("b"), "P-1", &change, &ev(&t("b"), "portal.status"))
            .is_err(),
        "another tenant's application is not found"
    );
    let deleted = s
        .delete_tenant(&a, &ev(&a, "tenant.delete"))
        .expect("a tenant with applications is deleted");
    assert!(
        deleted.contains(&("portal_applications".to_owned(), 2)),
        "{deleted:?}"
    );
}
