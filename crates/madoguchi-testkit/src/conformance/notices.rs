//! Conformance checks of [`madoguchi_store::NoticeStore`]: a notice round-trips, a save on a stale
//! revision is refused (optimistic concurrency), read marks are per user and idempotent, everything is
//! audited and tenant-scoped.

use madoguchi_store::{NoticeRecord, Store, StoreError};

use super::support::{at, audit_count, ev, t};

pub(super) fn notice(id: &str, kind: &str, start: i64) -> NoticeRecord {
    NoticeRecord {
        id: id.into(),
        kind: kind.into(),
        audience: "all".into(),
        text_ja: "本日17時から保守作業を行います。".into(),
        text_en: (kind == "maintenance").then(|| "Maintenance from 17:00 today.".into()),
        starts_at: at(start),
        ends_at: at(start + 3600),
        window_start: (kind == "maintenance").then(|| at(start + 600)),
        window_end: (kind == "maintenance").then(|| at(start + 1200)),
        revision: 0,
        updated_by: "admin".into(),
        updated_at: at(start),
    }
}

pub(super) fn notices_round_trip_with_revisions(s: &dyn Store) {
    let a = t("a");
    s.ensure_tenant(&a, "A市").expect("tenant");
    let before = audit_count(s, &a);
    let rev = s
        .save_notice(
            &a,
            &notice("n1", "notice", 10),
            None,
            &ev(&a, "notice.create"),
        )
        .expect("create");
    assert_eq!(rev, 1);
    let m = notice("m1", "maintenance", 20);
    s.save_notice(&a, &m, None, &ev(&a, "notice.create"))
        .expect("create maintenance");
    assert_eq!(audit_count(s, &a), before + 2, "each save is audited");
    let stored = s.notices(&a).expect("notices");
    assert_eq!(stored.len(), 2);
    assert_eq!(
        stored[0],
        NoticeRecord {
            revision: 1,
            ..m.clone()
        },
        "latest start first, all fields"
    );
    assert!(
        matches!(
            s.save_notice(
                &a,
                &notice("n1", "notice", 10),
                None,
                &ev(&a, "notice.create")
            ),
            Err(StoreError::Conflict(_))
        ),
        "the same id twice is refused"
    );
    let edited = NoticeRecord {
        text_ja: "変更".into(),
        ..notice("n1", "notice", 10)
    };
    assert_eq!(
        s.save_notice(&a, &edited, Some(1), &ev(&a, "notice.update"))
            .expect("save"),
        2
    );
    assert!(
        matches!(
            s.save_notice(&a, &edited, Some(1), &ev(&a, "notice.update")),
            Err(StoreError::Conflict(_))
        ),
        "the second save on revision 1 is refused"
    );
    assert!(matches!(
        s.save_notice(
            &a,
            &notice("none", "notice", 1),
            Some(1),
            &ev(&a, "notice.update")
        ),
        Err(StoreError::NotFound(_))
    ));
    let n1 = s
        .notices(&a)
        .expect("notices")
        .into_iter()
        .find(|n| n.id == "n1")
        .expect("n1");
    assert_eq!((n1.text_ja.as_str(), n1.revision), ("変更", 2));
}

pub(super) fn notice_reads_per_user_and_tenant(s: &dyn Store) {
    let (a, b) = (t("a"), t("b"));
    s.ensure_tenant(&a, "A市").expect("tenant");
    s.ensure_tenant(&b, "B市").expect("tenant");
    s.save_notice(
        &a,
        &notice("n1", "notice", 10),
        None,
        &ev(&a, "notice.create"),
    )
    .expect("create");
    s.save_notice(
        &a,
        &notice("n2", "notice", 20),
        None,
        &ev(&a, "notice.create"),
    )
    .expect("create");
    s.mark_notice_read(&a, "n1", "sato", at(30), &ev(&a, "notice.read"))
        .expect("read");
    s.mark_notice_read(&a, "n1", "sato", at(40), &ev(&a, "notice.read"))
        .expect("again");
    assert_eq!(
        s.notices_read(&a, "sato").expect("reads"),
        vec!["n1".to_owned()]
    );
    assert!(
        s.notices_read(&a, "suzuki").expect("reads").is_empty(),
        "per user"
    );
    assert!(matches!(
        s.mark_notice_read(&a, "missing", "sato", at(30), &ev(&a, "notice.read")),
        Err(StoreError::NotFound(_))
    ));
    // Tenant B sees none of A's notices, cannot mark them read nor overwrite them.
    assert!(s.notices(&b).expect("notices").is_empty());
    assert!(s.notices_read(&b, "sato").expect("reads").is_empty());
    assert!(matches!(
        s.mark_notice_read(&b, "n1", "sato", at(30), &ev(&b, "notice.read")),
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        s.save_notice(
            &b,
            &notice("n1", "notice", 10),
            Some(1),
            &ev(&b, "notice.update")
        ),
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(s.notices(&a).expect("notices").len(), 2);
}
