//! Fixtures of these tests: a case document and a case stored directly. What every crate's tests share
//! (resident files, staff, terminals, the in-process app) is in `madoguchi_testkit`.

use madoguchi_testkit::staff::setup_event;

/// A case document about a 転居 of resident `atena_no` (see `api::cases::CaseDocument`).
pub fn case_document(atena_no: &str, name: &str) -> serde_json::Value {
    serde_json::json!({
        "visitor": {"kind": "本人", "atena_no": atena_no, "name": name, "id_document": "マイナンバーカード"},
        "notifications": [{
            "kind": "転居", "event_date": "2026-11-20", "old_address": "群馬県さくら野市本町一丁目1番1号",
            "head_name": name,
            "new_address": {"town": "本町二丁目", "banchi": "3番4号", "full": "群馬県さくら野市本町二丁目3番4号"},
            "members": [{"atena_no": atena_no, "name": name, "kana": "タカハシ　タロウ",
                "facts": {"birth": "1975-01-01", "sex": "男", "relation": "世帯主", "mover": true, "kokuho": true}}]
        }],
        "procedures": [
            {"code": "JUKI-TENKYO", "name": "転居届", "counter": "市民課", "on_the_spot": true, "state": "pending",
             "reasons": ["市内で引っ越したため"], "forms": ["ido-todoke"]},
            {"code": "KOKUHO-JUSHO", "name": "国民健康保険 住所変更", "counter": "保険年金課", "on_the_spot": false,
             "state": "pending", "reasons": ["国保の加入者が引っ越したため"], "forms": ["kokuho-ido"]}
        ]
    })
}

/// Stores case `id` about resident `atena_no` directly in the store (fixtures).
pub fn seed_case(store: &dyn madoguchi_store::Store, tenant: &str, id: &str, atena_no: &str) {
    let t = madoguchi_store::TenantId(tenant.to_owned());
    let write = madoguchi_store::CaseWrite {
        case_id: id.into(),
        expected_revision: None,
        status: "open".into(),
        title: "転居".into(),
        subjects: vec![atena_no.into()],
        procedures: vec!["JUKI-TENKYO".into()],
        document: case_document(atena_no, "髙橋\u{3000}太郎").to_string(),
        entry: madoguchi_store::CaseEntry {
            write_id: format!("seed-{id}"),
            at: chrono::Utc::now(),
            user: "staff".into(),
            counter: "1".into(),
            terminal: None,
            lines: vec!["案件を作成".into()],
        },
    };
    store
        .save_case(&t, &write, &setup_event(&t, "case.create"))
        .expect("case");
}

/// The text of a PDF as `pdftotext -raw` reads it.
pub fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("case.pdf");
    std::fs::write(&path, pdf).expect("write");
    let out = std::process::Command::new("pdftotext")
        .args(["-raw", path.to_str().expect("path"), "-"])
        .output()
        .expect("pdftotext (poppler-utils) is installed by cargo xtask test");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The tenant's audit records of the last hour.
pub fn recent_audit(
    app: &madoguchi_testkit::app::TestApp,
    tenant: &str,
) -> Vec<madoguchi_store::AuditRecord> {
    app.store
        .audit_records(
            &madoguchi_store::TenantId(tenant.into()),
            chrono::Utc::now() - chrono::Duration::hours(1),
            chrono::Utc::now() + chrono::Duration::hours(1),
        )
        .expect("audit")
}

/// Saves case `id` with `doc` as the staff app does (a new case, open) and checks it was taken.
pub async fn save_case(
    app: &madoguchi_testkit::app::TestApp,
    token: &str,
    id: &str,
    doc: serde_json::Value,
) {
    let body = serde_json::json!({"write_id": format!("save-{id}"), "revision": null, "status": "open", "document": doc});
    let (s, v, _) = app
        .call(madoguchi_testkit::app::req(
            axum::http::Method::PUT,
            &format!("/api/v1/cases/{id}"),
            token,
            &body,
        ))
        .await;
    assert_eq!(s, axum::http::StatusCode::OK, "{v}");
}

/// Account `login` (password `PASSWORD`) in tenant `t1` with every permission but `missing`.
pub fn user_without(
    app: &madoguchi_testkit::app::TestApp,
    login: &str,
    missing: madoguchi_core::permission::Permission,
) {
    use madoguchi_core::permission::Permission;
    use madoguchi_store::{GroupRecord, PermissionSet, TenantId};
    let t1 = TenantId("t1".into());
    let group = format!("g-{login}");
    let permissions: PermissionSet = Permission::ALL
        .into_iter()
        .filter(|p| *p != missing)
        .collect();
    let record = GroupRecord {
        code: group.clone(),
        name: group.clone(),
        permissions,
    };
    app.store
        .put_group(&t1, &record, &setup_event(&t1, "group.put"))
        .expect("group");
    let spec = madoguchi_server::auth::AccountSpec {
        login,
        display_name: "試験 職員",
        password: madoguchi_testkit::staff::PASSWORD,
        groups: vec![group],
        valid_until: None,
    };
    madoguchi_server::auth::create_user(
        app.store.as_ref(),
        &t1,
        &spec,
        &setup_event(&t1, "user.create"),
    )
    .expect("user");
}

/// A JSON request with `token` and its answer: status and JSON (`null` if none).
pub async fn call(
    app: &madoguchi_testkit::app::TestApp,
    method: axum::http::Method,
    uri: &str,
    token: &str,
    body: serde_json::Value,
) -> (axum::http::StatusCode, serde_json::Value) {
    let (s, v, _) = app
        .call(madoguchi_testkit::app::req(method, uri, token, &body))
        .await;
    (s, v)
}
