//! Conformance checks of the admin console's account changes on [`madoguchi_store::AccountStore`]:
//! an edit applies only on the revision it read (all or nothing, audited in its transaction), a reset
//! password must be changed and ends the sessions, the user's own change clears that.

use madoguchi_store::{GroupRecord, NewUser, PermissionSet, Store, StoreError, TenantId, UserEdit};

use super::support::{at, audit_count, ev, t};

fn setup(s: &dyn Store) -> (TenantId, i64) {
    let tenant = t("admin-a");
    s.ensure_tenant(&tenant, "管理市").expect("tenant");
    s.put_group(
        &tenant,
        &GroupRecord {
            code: "shimin".into(),
            name: "市民課".into(),
            permissions: PermissionSet::parse("search").expect("p"),
        },
        &ev(&tenant, "group.put"),
    )
    .expect("group");
    let id = s
        .create_user(
            &tenant,
            &NewUser {
                login: "hanako".into(),
                display_name: "花子".into(),
                password_hash: Some("initial".into()),
                groups: vec![],
                valid_until: None,
                must_change_password: true,
            },
            &ev(&tenant, "user.create"),
        )
        .expect("user");
    (tenant, id)
}

pub(super) fn edits_apply_on_the_revision_read(s: &dyn Store) {
    let (tenant, _) = setup(s);
    let read = s.find_user(&tenant, "hanako").expect("find").expect("user");
    assert!(
        read.must_change_password,
        "an initial password is to be changed"
    );
    let edit = UserEdit {
        display_name: "山田 花子".into(),
        groups: vec!["shimin".into()],
        valid_until: Some(chrono::NaiveDate::from_ymd_opt(2027, 3, 31).expect("day")),
        disabled: false,
    };
    let before = audit_count(s, &tenant);
    assert!(
        s.edit_user(
            &tenant,
            "hanako",
            &edit,
            read.revision,
            &ev(&tenant, "user.edit")
        )
        .expect("edit")
    );
    let now = s.find_user(&tenant, "hanako").expect("find").expect("user");
    assert_eq!(
        (
            now.display_name.as_str(),
            now.groups.clone(),
            now.valid_until
        ),
        ("山田 花子", vec!["shimin".to_owned()], edit.valid_until)
    );
    assert!(now.revision > read.revision);
    assert_eq!(audit_count(s, &tenant), before + 1);

    // A second edit on the old revision: refused, nothing written, nothing audited.
    let stale = UserEdit {
        display_name: "別の名前".into(),
        groups: vec![],
        valid_until: None,
        disabled: true,
    };
    match s.edit_user(
        &tenant,
        "hanako",
        &stale,
        read.revision,
        &ev(&tenant, "user.edit"),
    ) {
        Err(StoreError::Conflict(_)) => {}
        other => panic!("a stale edit is a conflict, got {other:?}"),
    }
    let after = s.find_user(&tenant, "hanako").expect("find").expect("user");
    assert_eq!(
        (after.display_name.as_str(), after.disabled, after.revision),
        ("山田 花子", false, now.revision)
    );
    assert_eq!(audit_count(s, &tenant), before + 1);
    // An unknown group rolls the whole edit back.
    let unknown = UserEdit {
        groups: vec!["nosuch".into()],
        ..edit.clone()
    };
    assert!(
        s.edit_user(
            &tenant,
            "hanako",
            &unknown,
            now.revision,
            &ev(&tenant, "user.edit")
        )
        .is_err()
    );
    let after = s.find_user(&tenant, "hanako").expect("find").expect("user");
    assert_eq!(
        (after.groups.clone(), after.revision),
        (vec!["shimin".to_owned()], now.revision)
    );
    assert!(
        !s.edit_user(&tenant, "nobody", &edit, 1, &ev(&tenant, "user.edit"))
            .expect("unknown user")
    );
    // Other changes an administrator sees move the revision too.
    s.unlock_user(&tenant, "hanako", &ev(&tenant, "user.unlock"))
        .expect("unlock");
    let unlocked = s.find_user(&tenant, "hanako").expect("find").expect("user");
    assert!(unlocked.revision > after.revision);
}

pub(super) fn a_reset_password_is_changed_by_its_user(s: &dyn Store) {
    let (tenant, id) = setup(s);
    s.set_password(&tenant, "hanako", "own", &ev(&tenant, "password.change"))
        .expect("own password");
    let own = s.find_user(&tenant, "hanako").expect("find").expect("user");
    assert!(!own.must_change_password, "the user's own choice");
    s.record_login_failure(id, 1, &ev(&tenant, "user.lock"))
        .expect("lock");
    s.create_session(
        &[7u8; 32],
        id,
        "1",
        None,
        at(0),
        at(3600),
        &ev(&tenant, "login"),
    )
    .expect("session");
    let session = s
        .find_session(&[7u8; 32], at(1))
        .expect("find")
        .expect("session");
    assert!(!session.must_change_password);

    assert!(
        s.reset_password(
            &tenant,
            "hanako",
            "temporary",
            &ev(&tenant, "user.password_reset")
        )
        .expect("reset")
    );
    let reset = s.find_user(&tenant, "hanako").expect("find").expect("user");
    assert_eq!(
        (
            reset.password_hash.as_str(),
            reset.must_change_password,
            reset.locked,
            reset.failed_logins
        ),
        ("temporary", true, false, 0)
    );
    assert!(
        s.find_session(&[7u8; 32], at(2)).expect("find").is_none(),
        "sessions end"
    );
    s.create_session(
        &[8u8; 32],
        id,
        "1",
        None,
        at(0),
        at(3600),
        &ev(&tenant, "login"),
    )
    .expect("session");
    let session = s
        .find_session(&[8u8; 32], at(1))
        .expect("find")
        .expect("session");
    assert!(
        session.must_change_password,
        "the session knows the password must change"
    );
    assert!(
        !s.reset_password(&tenant, "nobody", "x", &ev(&tenant, "user.password_reset"))
            .expect("unknown")
    );
}
