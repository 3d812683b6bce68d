//! The admin console's accounts, groups and counters over the API: temporary passwords changed at the
//! first login, edits on the revision read, nobody locking the tenant out, the staff CSV both ways.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use madoguchi_store::TenantId;
use madoguchi_testkit::app::{TestApp, get, post_json, req};
use serde_json::{Value, json};

fn app() -> TestApp {
    TestApp::bare().tenant("t1", "テスト市").staff("t1").build()
}

fn t1() -> TenantId {
    TenantId("t1".into())
}

async fn create(app: &TestApp, admin: &str, login: &str, groups: &[&str]) -> String {
    let (s, v) = app
        .send(req(
            Method::POST,
            "/api/v1/admin/users",
            admin,
            &json!({"login": login, "display_name": "新人 花子", "groups": groups}),
        ))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    v["temporary_password"]
        .as_str()
        .expect("password")
        .to_owned()
}

async fn login(app: &TestApp, user: &str, password: &str) -> (StatusCode, Value) {
    app.send(post_json(
        "/api/v1/auth/login",
        &json!({"tenant": "t1", "user": user, "password": password, "counter": "1"}),
    ))
    .await
}

async fn user(app: &TestApp, admin: &str, login: &str) -> Value {
    let (_, users) = app.send(get("/api/v1/admin/users", admin)).await;
    users
        .as_array()
        .expect("users")
        .iter()
        .find(|u| u["login"] == login)
        .cloned()
        .expect("user listed")
}

#[tokio::test]
async fn a_new_account_changes_its_temporary_password_before_anything_else() {
    let app = app();
    let admin = app.login("t1").await;
    let temporary = create(&app, &admin, "hanako", &["all"]).await;
    assert!(user(&app, &admin, "hanako").await["must_change_password"] == true);

    let (s, v) = login(&app, "hanako", &temporary).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["user"]["must_change_password"], true);
    let token = v["token"].as_str().expect("token").to_owned();
    let (s, v) = app.send(get("/api/v1/residents?q=yamada", &token)).await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("password_change_required"))
    );
    assert!(
        v["error"]["message"]
            .as_str()
            .expect("m")
            .contains("パスワードの変更")
    );
    let (s, me) = app.send(get("/api/v1/auth/me", &token)).await;
    assert_eq!(
        (s, &me["must_change_password"]),
        (StatusCode::OK, &json!(true))
    );

    let (s, v) = app
        .send(req(
            Method::POST,
            "/api/v1/auth/password",
            &token,
            &json!({"current_password": temporary, "new_password": "my-own-choice-2026"}),
        ))
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    let (s, v) = login(&app, "hanako", "my-own-choice-2026").await;
    assert_eq!(
        (s, &v["user"]["must_change_password"]),
        (StatusCode::OK, &json!(false))
    );
    let token = v["token"].as_str().expect("token");
    let (s, _) = app.send(get("/api/v1/admin/users", token)).await;
    assert_eq!(s, StatusCode::OK);
}

#[tokio::test]
async fn a_reset_gives_a_temporary_password_unlocks_and_ends_the_sessions() {
    let app = app();
    let admin = app.login("t1").await;
    let first = create(&app, &admin, "jiro", &["all"]).await;
    // Locked (as a hand-over restores a locked account; logins only back off).
    let id = app
        .store
        .find_user(&t1(), "jiro")
        .expect("find")
        .expect("jiro")
        .id;
    app.store
        .record_login_failure(
            id,
            1,
            &madoguchi_testkit::staff::setup_event(&t1(), "user.lock"),
        )
        .expect("lock");
    assert_eq!(user(&app, &admin, "jiro").await["locked"], true);
    let (s, v) = app
        .send(req(
            Method::POST,
            "/api/v1/admin/users/jiro/password-reset",
            &admin,
            &Value::Null,
        ))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let second = v["temporary_password"].as_str().expect("password");
    assert_ne!(second, first);
    let listed = user(&app, &admin, "jiro").await;
    assert_eq!(
        (&listed["locked"], &listed["must_change_password"]),
        (&json!(false), &json!(true))
    );
    assert_eq!(
        login(&app, "jiro", &first).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(login(&app, "jiro", second).await.0, StatusCode::OK);
    let (s, _) = app
        .send(req(
            Method::POST,
            "/api/v1/admin/users/nobody/password-reset",
            &admin,
            &Value::Null,
        ))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_edit_on_a_stale_revision_is_refused_and_changes_nothing() {
    let app = app();
    let admin = app.login("t1").await;
    create(&app, &admin, "saburo", &[]).await;
    let read = user(&app, &admin, "saburo").await;
    let edit = |name: &str| {
        json!({"display_name": name, "groups": ["all"], "valid_until": "2027-03-31",
               "disabled": false, "revision": read["revision"]})
    };
    // Two administrators opened the same account; the first save wins.
    let (s, v) = app
        .send(req(
            Method::PUT,
            "/api/v1/admin/users/saburo",
            &admin,
            &edit("三郎 一"),
        ))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        (&v["display_name"], &v["valid_until"]),
        (&json!("三郎 一"), &json!("2027-03-31"))
    );
    let (s, v) = app
        .send(req(
            Method::PUT,
            "/api/v1/admin/users/saburo",
            &admin,
            &edit("三郎 二"),
        ))
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("stale_revision"))
    );
    assert!(
        v["error"]["message"]
            .as_str()
            .expect("m")
            .contains("読み込み直して")
    );
    assert_eq!(
        user(&app, &admin, "saburo").await["display_name"],
        "三郎 一"
    );
    let audit = crate::common::recent_audit(&app, "t1");
    assert!(
        audit
            .iter()
            .any(|a| a.event.action == "user.edit" && a.event.subject.as_deref() == Some("saburo"))
    );
}

#[tokio::test]
async fn the_last_administrator_cannot_lock_the_city_out() {
    let app = app();
    let admin = app.login("t1").await;
    let me = user(&app, &admin, "staff").await;
    let refused = |v: &Value| v["error"]["code"] == "last_admin";
    let (s, v) = app
        .send(req(
            Method::PUT,
            "/api/v1/admin/users/staff",
            &admin,
            &json!({"display_name": "窓口 太郎", "groups": ["all"], "valid_until": null,
                    "disabled": true, "revision": me["revision"]}),
        ))
        .await;
    assert!(
        s == StatusCode::UNPROCESSABLE_ENTITY && refused(&v),
        "{s} {v}"
    );
    let (s, v) = app
        .send(req(
            Method::PUT,
            "/api/v1/admin/users/staff",
            &admin,
            &json!({"display_name": "窓口 太郎", "groups": [], "valid_until": null,
                    "disabled": false, "revision": me["revision"]}),
        ))
        .await;
    assert!(
        s == StatusCode::UNPROCESSABLE_ENTITY && refused(&v),
        "{s} {v}"
    );
    let (s, v) = app
        .send(req(
            Method::PUT,
            "/api/v1/admin/groups/all",
            &admin,
            &json!({"name": "全権限", "permissions": ["search", "view_audit"]}),
        ))
        .await;
    assert!(
        s == StatusCode::UNPROCESSABLE_ENTITY && refused(&v),
        "{s} {v}"
    );
    for counter in ["1", "市民課1番"] {
        let (s, v) = app
            .send(req(
                Method::PUT,
                &format!(
                    "/api/v1/admin/counters/{}",
                    madoguchi_testkit::app::enc(counter)
                ),
                &admin,
                &json!({"name": "窓口", "permissions": ["search"], "browser_allowed": true}),
            ))
            .await;
        // The first counter may lose `admin` (the other still has it); the last may not.
        if counter == "1" {
            assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
        } else {
            assert!(
                s == StatusCode::UNPROCESSABLE_ENTITY && refused(&v),
                "{s} {v}"
            );
        }
    }
    // With a second administrator, the first may step down.
    create(&app, &admin, "kanri2", &["all"]).await;
    let me = user(&app, &admin, "staff").await;
    let (s, v) = app
        .send(req(
            Method::PUT,
            "/api/v1/admin/users/staff",
            &admin,
            &json!({"display_name": "窓口 太郎", "groups": [], "valid_until": null,
                    "disabled": false, "revision": me["revision"]}),
        ))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
}

#[tokio::test]
async fn groups_and_counters_are_set_with_their_permissions() {
    let app = app();
    let admin = app.login("t1").await;
    let (s, perms) = app.send(get("/api/v1/admin/permissions", &admin)).await;
    assert_eq!(s, StatusCode::OK);
    let search = perms
        .as_array()
        .expect("list")
        .iter()
        .find(|p| p["code"] == "search")
        .expect("search");
    assert_eq!(search["label"], "住民検索・照会");
    assert!(
        search["description"]
            .as_str()
            .expect("d")
            .contains("宛名検索")
    );

    let (s, v) = app
        .send(req(
            Method::PUT,
            "/api/v1/admin/groups/kokuho",
            &admin,
            &json!({"name": "国保年金課", "permissions": ["search", "view_qualifications"]}),
        ))
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    let (s, v) = app
        .send(req(
            Method::PUT,
            "/api/v1/admin/groups/bad",
            &admin,
            &json!({"name": "x", "permissions": ["fly"]}),
        ))
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("unknown_permission"))
    );
    let (s, v) = app
        .send(req(
            Method::PUT,
            "/api/v1/admin/counters/kokuho-1",
            &admin,
            &json!({"name": "国保 1番窓口", "permissions": ["search"], "browser_allowed": true}),
        ))
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    let (_, groups) = app.send(get("/api/v1/admin/groups", &admin)).await;
    let kokuho = groups
        .as_array()
        .expect("groups")
        .iter()
        .find(|g| g["code"] == "kokuho")
        .expect("kokuho");
    assert_eq!(
        kokuho["permissions"],
        json!(["search", "view_qualifications"])
    );
    assert_eq!(kokuho["members"], 0);
    let (_, counters) = app.send(get("/api/v1/admin/counters", &admin)).await;
    assert!(
        counters
            .as_array()
            .expect("counters")
            .iter()
            .any(|c| c["code"] == "kokuho-1" && c["permissions"] == json!(["search"]))
    );
    // A new account in the group works at the new counter with what both allow.
    let password = create(&app, &admin, "kokuho-tanaka", &["kokuho"]).await;
    let (s, v) = app
        .send(post_json(
            "/api/v1/auth/login",
            &json!({"tenant": "t1", "user": "kokuho-tanaka", "password": password, "counter": "kokuho-1"}),
        ))
        .await;
    assert_eq!(
        (s, &v["user"]["permissions"]),
        (StatusCode::OK, &json!(["search"])),
        "{v}"
    );
}

fn upload(token: &str, body: Vec<u8>, encoding: &str) -> Request<Body> {
    use base64::Engine;
    let file = base64::engine::general_purpose::STANDARD.encode(body);
    req(
        Method::POST,
        "/api/v1/admin/users/import",
        token,
        &json!({"file_base64": file, "encoding": encoding}),
    )
}

#[tokio::test]
async fn a_staff_csv_with_a_bad_row_is_refused_as_a_whole_and_a_good_one_written() {
    let app = app();
    let admin = app.login("t1").await;
    let bad = "ユーザーID,氏名,グループ,有効期限,初期パスワード\r\n\
               yamada,山田 太郎,all,R9.3.31,spring-garden-2026\r\n\
               sato,佐藤 次郎,nosuchgroup,,spring-garden-2026\r\n";
    let (cp932, _, _) = encoding_rs::SHIFT_JIS.encode(bad);
    let (s, v) = app.send(upload(&admin, cp932.into_owned(), "cp932")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["written"], false);
    let problems = v["problems"].as_array().expect("problems");
    assert_eq!(problems.len(), 1, "{v}");
    assert_eq!(
        (&problems[0]["line"], &problems[0]["column"]),
        (&json!(3), &json!("グループ"))
    );
    assert!(
        app.store
            .find_user(&t1(), "yamada")
            .expect("find")
            .is_none()
    );

    let good = bad.replace("nosuchgroup", "all");
    let (cp932, _, _) = encoding_rs::SHIFT_JIS.encode(&good);
    let (s, v) = app.send(upload(&admin, cp932.into_owned(), "cp932")).await;
    assert_eq!(
        (s, &v["written"], &v["created"]),
        (StatusCode::OK, &json!(true), &json!(2)),
        "{v}"
    );
    let yamada = app
        .store
        .find_user(&t1(), "yamada")
        .expect("find")
        .expect("yamada");
    assert_eq!(yamada.display_name, "山田 太郎");
    assert!(
        yamada.must_change_password,
        "an initial password is changed at the first login"
    );

    let (s, _, bytes) = app.call(get("/api/v1/admin/users.csv", &admin)).await;
    assert_eq!(s, StatusCode::OK);
    let text = String::from_utf8(bytes).expect("utf-8");
    assert!(
        text.starts_with("\u{feff}ユーザーID,氏名,グループ,有効期限,初期パスワード\r\n"),
        "{text}"
    );
    assert!(
        text.contains("yamada,山田 太郎,all,2027-03-31,\r\n"),
        "{text}"
    );
    // What was downloaded uploads again unchanged (no passwords: existing accounts keep theirs).
    let again = text.trim_start_matches('\u{feff}').as_bytes().to_vec();
    let (s, v) = app.send(upload(&admin, again, "utf-8")).await;
    assert_eq!(
        (s, &v["written"], &v["created"]),
        (StatusCode::OK, &json!(true), &json!(0)),
        "{v}"
    );
}

#[tokio::test]
async fn a_group_or_counter_edit_over_another_admins_save_is_refused() {
    let app = app();
    let admin = app.login("t1").await;
    let body = |name: &str, revision: &str| json!({"name": name, "permissions": ["search"], "revision": revision});
    // New (empty revision): created once; a second "new" with the same code is refused.
    let (s, v) = app
        .send(req(
            Method::PUT,
            "/api/v1/admin/groups/kokuho",
            &admin,
            &body("国保年金課", ""),
        ))
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    let (s, v) = app
        .send(req(
            Method::PUT,
            "/api/v1/admin/groups/kokuho",
            &admin,
            &body("国保", ""),
        ))
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("code_exists")),
        "{v}"
    );
    // Two admins read it; the first saves, the second's save on the old revision is refused.
    let read = |groups: &Value| {
        groups
            .as_array()
            .expect("groups")
            .iter()
            .find(|g| g["code"] == "kokuho")
            .expect("kokuho")
            .clone()
    };
    let (_, groups) = app.send(get("/api/v1/admin/groups", &admin)).await;
    let seen = read(&groups)["revision"]
        .as_str()
        .expect("revision")
        .to_owned();
    let (s, v) = app
        .send(req(
            Method::PUT,
            "/api/v1/admin/groups/kokuho",
            &admin,
            &body("国保年金課（1）", &seen),
        ))
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    let (s, v) = app
        .send(req(
            Method::PUT,
            "/api/v1/admin/groups/kokuho",
            &admin,
            &body("国保年金課（2）", &seen),
        ))
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("stale_revision")),
        "{v}"
    );
    let (_, groups) = app.send(get("/api/v1/admin/groups", &admin)).await;
    assert_eq!(
        read(&groups)["name"],
        "国保年金課（1）",
        "nothing of the refused save"
    );
    // The same for a counter.
    let (_, counters) = app.send(get("/api/v1/admin/counters", &admin)).await;
    let first = &counters.as_array().expect("counters")[0];
    let code = first["code"].as_str().expect("code");
    let edit = |revision: &Value| json!({"name": first["name"], "permissions": first["permissions"], "browser_allowed": !first["browser_allowed"].as_bool().expect("b"), "revision": revision});
    let path = format!(
        "/api/v1/admin/counters/{}",
        madoguchi_testkit::app::enc(code)
    );
    let (s, v) = app
        .send(req(Method::PUT, &path, &admin, &edit(&first["revision"])))
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    let (s, v) = app
        .send(req(Method::PUT, &path, &admin, &edit(&first["revision"])))
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("stale_revision")),
        "{v}"
    );
}
