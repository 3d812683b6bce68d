//! Security II point 9: terminals are enrolled; a login at a counter comes from a terminal registered
//! there (its signature verified) or from a browser where the counter allows browsers, and the
//! session's terminal id is the enrolled one.

use super::*;

/// A counter `mado` that takes logins from enrolled terminals only.
fn terminal_only_counter(app: &TestApp) {
    app.store
        .put_counter(
            &t("t1"),
            &CounterRecord {
                code: "mado".into(),
                name: "市民課 3番窓口".into(),
                permissions: PermissionSet::all(),
                browser_allowed: false,
            },
            &setup_event(&t("t1"), "counter.put"),
        )
        .expect("counter");
}

async fn login(app: &TestApp, body: &Value) -> (StatusCode, Value) {
    app.send(json_req(Method::POST, "/api/v1/auth/login", None, body))
        .await
}

async fn put(app: &TestApp, path: &str, token: &str, body: &Value) -> (StatusCode, Value) {
    app.send(json_req(Method::PUT, path, Some(token), body))
        .await
}

fn refusal(s: StatusCode, v: &Value) -> (StatusCode, &str) {
    (s, v["error"]["code"].as_str().unwrap_or(""))
}

fn last_login_audit(app: &TestApp) -> madoguchi_store::AuditRecord {
    recent_audit(app.store.as_ref(), &t("t1"))
        .into_iter()
        .rev()
        .find(|r| r.event.action.starts_with("login"))
        .expect("a login record")
}

#[tokio::test]
async fn point_09_a_browser_cannot_log_in_at_a_counter_for_terminals_only() {
    let app = app();
    terminal_only_counter(&app);
    let body = json!({"tenant": "t1", "user": "staff", "password": PASSWORD, "counter": "mado"});
    let (s, v) = login(&app, &body).await;
    assert_eq!(
        refusal(s, &v),
        (StatusCode::FORBIDDEN, "browser_not_allowed")
    );
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("ブラウザからはログインできません")
    );
    let record = last_login_audit(&app);
    assert_eq!(
        (record.event.action.as_str(), record.event.result.as_str()),
        ("login_failed", "browser_not_allowed")
    );
    // A wrong password still gets the one answer: where one may log in is told to the account only.
    let wrong = json!({"tenant": "t1", "user": "staff", "password": "wrong", "counter": "mado"});
    let (s, v) = login(&app, &wrong).await;
    assert_eq!(refusal(s, &v), (StatusCode::UNAUTHORIZED, "login_failed"));
}

#[tokio::test]
async fn point_09_an_enrolled_terminal_logs_in_at_its_counter_and_the_audit_names_it() {
    let app = app();
    terminal_only_counter(&app);
    let device = TestDevice::enroll(app.store.as_ref(), &t("t1"), "mado-pc-3", &["mado"]);
    let (s, v) = login(&app, &device.login("t1", "staff", PASSWORD, "mado")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let record = last_login_audit(&app);
    assert_eq!(record.event.action, "login");
    assert_eq!(record.event.terminal.as_deref(), Some("mado-pc-3"));
    // The same terminal at a counter it is not registered for.
    let (s, v) = login(&app, &device.login("t1", "staff", PASSWORD, "1")).await;
    assert_eq!(
        refusal(s, &v),
        (StatusCode::FORBIDDEN, "counter_not_on_terminal")
    );
    assert_eq!(last_login_audit(&app).event.terminal, None);
}

#[tokio::test]
async fn point_09_a_proof_from_another_key_or_time_or_login_is_refused() {
    let app = app();
    terminal_only_counter(&app);
    TestDevice::enroll(app.store.as_ref(), &t("t1"), "mado-pc-3", &["mado"]);
    let impostor = TestDevice::with_seed("mado-pc-3", "a copied configuration, another key");
    let (s, v) = login(&app, &impostor.login("t1", "staff", PASSWORD, "mado")).await;
    assert_eq!(
        refusal(s, &v),
        (StatusCode::FORBIDDEN, "terminal_proof_invalid")
    );
    let record = last_login_audit(&app);
    assert_eq!(
        record.event.terminal, None,
        "an unverified terminal id is not the record's"
    );
    assert_eq!(
        record.event.subject.as_deref(),
        Some("claimed_terminal:mado-pc-3")
    );

    let device = TestDevice::new("mado-pc-3");
    let old = chrono::Utc::now() - chrono::Duration::minutes(5);
    let (s, v) = login(&app, &device.login_at("t1", "staff", PASSWORD, "mado", old)).await;
    assert_eq!(
        refusal(s, &v),
        (StatusCode::FORBIDDEN, "terminal_proof_invalid")
    );
    // A proof signed for another counter, replayed for this one.
    let mut replayed = device.login("t1", "staff", PASSWORD, "1");
    replayed["counter"] = json!("mado");
    let (s, v) = login(&app, &replayed).await;
    assert_eq!(
        refusal(s, &v),
        (StatusCode::FORBIDDEN, "terminal_proof_invalid")
    );
}

#[tokio::test]
async fn point_09_a_terminal_nobody_enrolled_is_a_browser() {
    let app = app();
    terminal_only_counter(&app);
    let stranger = TestDevice::new("not-enrolled");
    let (s, v) = login(&app, &stranger.login("t1", "staff", PASSWORD, "mado")).await;
    assert_eq!(
        refusal(s, &v),
        (StatusCode::FORBIDDEN, "terminal_not_enrolled")
    );
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("登録コード")
    );
    // At a counter that takes browsers it logs in as one: no terminal id in the audit.
    let (s, v) = login(&app, &stranger.login("t1", "staff", PASSWORD, "1")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(last_login_audit(&app).event.terminal, None);
}

#[tokio::test]
async fn point_09_removing_or_rekeying_a_terminal_ends_its_sessions() {
    let app = app();
    terminal_only_counter(&app);
    let device = TestDevice::enroll(app.store.as_ref(), &t("t1"), "mado-pc-3", &["mado", "1"]);
    let session = |body: Value| {
        let app = &app;
        async move {
            let (s, v) = login(app, &body).await;
            assert_eq!(s, StatusCode::OK, "{v}");
            v["token"].as_str().expect("token").to_owned()
        }
    };
    let me = |token: String| {
        let app = &app;
        async move { app.send(get("/api/v1/auth/me", &token)).await.0 }
    };
    let admin =
        session(json!({"tenant": "t1", "user": "staff", "password": PASSWORD, "counter": "1"}))
            .await;
    let first = session(device.login("t1", "staff", PASSWORD, "mado")).await;
    // Re-registering the same key with the same counters keeps the session.
    let same = json!({"name": "3番窓口PC", "enrollment_code": device.enrollment_code(), "counters": ["mado", "1"]});
    let (s, v) = put(&app, "/api/v1/admin/terminals/mado-pc-3", &admin, &same).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(me(first.clone()).await, StatusCode::OK);
    // A new key ends it.
    let rekeyed = TestDevice::with_seed("mado-pc-3", "the replaced PC");
    let new_key = json!({"enrollment_code": rekeyed.enrollment_code(), "counters": ["mado"]});
    let (s, v) = put(&app, "/api/v1/admin/terminals/mado-pc-3", &admin, &new_key).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(me(first).await, StatusCode::UNAUTHORIZED);
    let (s, v) = login(&app, &device.login("t1", "staff", PASSWORD, "mado")).await;
    assert_eq!(
        refusal(s, &v),
        (StatusCode::FORBIDDEN, "terminal_proof_invalid")
    );
    // Removing the enrollment ends the new key's sessions too.
    let second = session(rekeyed.login("t1", "staff", PASSWORD, "mado")).await;
    let r = Request::delete("/api/v1/admin/terminals/mado-pc-3")
        .header(header::AUTHORIZATION, format!("Bearer {admin}"))
        .body(Body::empty())
        .expect("request");
    assert_eq!(app.send(r).await.0, StatusCode::NO_CONTENT);
    assert_eq!(me(second).await, StatusCode::UNAUTHORIZED);
    let (s, v) = login(&app, &rekeyed.login("t1", "staff", PASSWORD, "mado")).await;
    assert_eq!(
        refusal(s, &v),
        (StatusCode::FORBIDDEN, "terminal_not_enrolled")
    );
}

#[tokio::test]
async fn point_09_administrators_register_terminals_and_set_browser_counters() {
    let app = app();
    terminal_only_counter(&app);
    let admin = app.login_as("t1", "staff", "1").await;
    let device = TestDevice::new("mado-pc-3");
    // A mistyped code, an unknown counter and no counter are refused in Japanese.
    let mut typo = device.enrollment_code();
    let last = typo.pop().expect("char");
    typo.push(if last == 'A' { 'B' } else { 'A' });
    for (body, words) in [
        (
            json!({"enrollment_code": typo, "counters": ["mado"]}),
            "入力誤り",
        ),
        (
            json!({"enrollment_code": device.enrollment_code(), "counters": ["nowhere"]}),
            "窓口を選び直して",
        ),
        (
            json!({"enrollment_code": device.enrollment_code(), "counters": []}),
            "1つ以上",
        ),
    ] {
        let (s, v) = put(&app, "/api/v1/admin/terminals/mado-pc-3", &admin, &body).await;
        assert_eq!(
            refusal(s, &v),
            (StatusCode::BAD_REQUEST, "invalid_registration")
        );
        assert!(
            v["error"]["message"].as_str().unwrap_or("").contains(words),
            "{v}"
        );
    }
    let body = json!({"name": "3番窓口PC", "enrollment_code": device.enrollment_code().to_lowercase(), "counters": ["mado"]});
    let (s, v) = put(&app, "/api/v1/admin/terminals/mado-pc-3", &admin, &body).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, v) = app.send(get("/api/v1/admin/terminals", &admin)).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["terminals"][0]["id"], "mado-pc-3");
    assert_eq!(v["terminals"][0]["counters"], json!(["mado"]));
    assert_eq!(v["terminals"][0]["registered_by"], "staff");
    assert!(
        device
            .enrollment_code()
            .starts_with(v["terminals"][0]["code_start"].as_str().expect("start"))
    );
    let mado = v["counters"]
        .as_array()
        .expect("counters")
        .iter()
        .find(|c| c["code"] == "mado")
        .cloned();
    assert_eq!(mado.expect("mado")["browser_allowed"], false);
    // Allowing browsers at the counter lets a browser in.
    let (s, _) = put(
        &app,
        "/api/v1/admin/counters/mado/browser",
        &admin,
        &json!({"allowed": true}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let browser = json!({"tenant": "t1", "user": "staff", "password": PASSWORD, "counter": "mado"});
    assert_eq!(login(&app, &browser).await.0, StatusCode::OK);
    // Staff without the admin permission may not enroll.
    user_with(
        app.store.as_ref(),
        "t1",
        "clerk",
        PermissionSet::parse("search").expect("p"),
    );
    let clerk = app.login_as("t1", "clerk", "1").await;
    let (s, _) = put(&app, "/api/v1/admin/terminals/x", &clerk, &body).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // Another tenant does not see the terminal.
    let other = app.login_as("t2", "staff", "1").await;
    let (_, v) = app.send(get("/api/v1/admin/terminals", &other)).await;
    assert_eq!(v["terminals"], json!([]));
}
