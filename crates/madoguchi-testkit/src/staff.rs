//! The staff of every test tenant: one account with every permission, at counters that allow everything.

/// The audit event tests use for setup changes.
pub fn setup_event(
    tenant: &madoguchi_store::TenantId,
    action: &str,
) -> madoguchi_store::AuditEvent {
    madoguchi_store::AuditEvent {
        terminal: Some("test-setup".into()),
        ..madoguchi_server::audit::event(tenant, None, None, action, None, "ok")
    }
}

/// The password of the test accounts.
pub const PASSWORD: &str = "correct-horse-battery";

/// Counters every test tenant has: `市民課1番` and `1`, both allowing everything.
pub const TEST_COUNTERS: &[&str] = &["市民課1番", "1"];

/// A group `all` with every permission, the test counters, and the account `staff` (password
/// `correct-horse-battery`) in the group.
pub fn staff_with_all_permissions(
    store: &dyn madoguchi_store::Store,
    tenant: &madoguchi_store::TenantId,
) {
    use madoguchi_store::{CounterRecord, GroupRecord, PermissionSet};
    store
        .put_group(
            tenant,
            &GroupRecord {
                code: "all".into(),
                name: "全権限".into(),
                permissions: PermissionSet::all(),
            },
            &setup_event(tenant, "group.put"),
        )
        .expect("group");
    for code in TEST_COUNTERS {
        store
            .put_counter(
                tenant,
                &CounterRecord {
                    code: (*code).into(),
                    name: format!("{code}窓口"),
                    permissions: PermissionSet::all(),
                    browser_allowed: true,
                },
                &setup_event(tenant, "counter.put"),
            )
            .expect("counter");
    }
    let spec = madoguchi_server::auth::AccountSpec {
        login: "staff",
        display_name: "窓口 太郎",
        password: PASSWORD,
        groups: vec!["all".into()],
        valid_until: None,
    };
    madoguchi_server::auth::create_user(store, tenant, &spec, &setup_event(tenant, "user.create"))
        .expect("user");
}
