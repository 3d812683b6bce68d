//! The HTTP API in-process: authentication, search semantics, households, imports, and bad input that must
//! give a clear 4xx (never a 500).

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use madoguchi_server::config::Settings;
use madoguchi_server::import::import_residents;
use madoguchi_store::{ImportMode, TenantId};
use madoguchi_testkit::app::{TestApp, enc, get, post_json};
use madoguchi_testkit::residents::{atena, csv, options, row, small_city};
use madoguchi_testkit::staff::setup_event;
use serde_json::{Value, json};
use tower::ServiceExt;

async fn search(app: &TestApp, token: &str, query: &str) -> (StatusCode, Value) {
    app.send(get(&format!("/api/v1/residents?{query}"), token))
        .await
}

fn names(v: &Value) -> Vec<String> {
    let mut n: Vec<String> = v["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| r["name"].as_str().expect("name").to_owned())
        .collect();
    n.sort();
    n
}

#[tokio::test]
async fn health_and_openapi() {
    let app = TestApp::new();
    let (s, v) = app
        .send(Request::get("/healthz").body(Body::empty()).expect("req"))
        .await;
    assert_eq!((s, v["status"].as_str()), (StatusCode::OK, Some("ok")));
    let (s, doc) = app
        .send(
            Request::get("/api/openapi.json")
                .body(Body::empty())
                .expect("req"),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let paths = doc["paths"].as_object().expect("paths");
    for p in [
        "/api/v1/residents",
        "/api/v1/households/{household_no}",
        "/api/v1/imports/residents",
        "/api/v1/auth/login",
    ] {
        assert!(paths.contains_key(p), "{p} missing from OpenAPI");
    }
    // Every operation that needs a session declares the bearer scheme, and only those.
    let table = madoguchi_server::api::route_table();
    for (path, ops) in paths {
        for (method, op) in ops.as_object().expect("ops") {
            let spec = table
                .iter()
                .find(|r| r.path == path && r.method.as_str().eq_ignore_ascii_case(method))
                .unwrap_or_else(|| {
                    panic!("{method} {path} is documented but not in the route table")
                });
            assert_eq!(
                op.get("security").is_some(),
                !matches!(
                    spec.access,
                    madoguchi_server::api::Access::Public
                        | madoguchi_server::api::Access::PublicQuota(_)
                ),
                "{method} {path}: security requirement does not match its declared access"
            );
        }
    }
    assert!(doc["components"]["schemas"]["ResidentView"].is_object());
}

#[tokio::test]
async fn responses_carry_security_headers() {
    let app = TestApp::new();
    for (uri, api) in [
        ("/", false),
        ("/healthz", false),
        ("/api/v1/residents?q=a", true),
        ("/nope", false),
    ] {
        let res = app
            .router
            .clone()
            .oneshot(Request::get(uri).body(Body::empty()).expect("req"))
            .await
            .expect("res");
        let h = res.headers();
        assert_eq!(h["x-content-type-options"], "nosniff", "{uri}");
        assert_eq!(h["x-frame-options"], "DENY", "{uri}");
        assert!(
            h["content-security-policy"]
                .to_str()
                .expect("csp")
                .contains("frame-ancestors 'none'"),
            "{uri}"
        );
        assert_eq!(
            h.get("cache-control").map(|v| v == "no-store"),
            api.then_some(true),
            "{uri}"
        );
    }
}

#[tokio::test]
async fn every_api_route_requires_a_session() {
    let app = TestApp::new();
    for uri in [
        "/api/v1/residents?q=%E3%82%BF",
        "/api/v1/residents/000000000000019",
        "/api/v1/households/000000000001009",
        "/api/v1/auth/me",
    ] {
        let (s, v) = app
            .send(Request::get(uri).body(Body::empty()).expect("req"))
            .await;
        assert_eq!(
            (s, v["error"]["code"].as_str()),
            (StatusCode::UNAUTHORIZED, Some("unauthorized")),
            "{uri}"
        );
        let (s, _) = app.send(get(uri, "not-a-token")).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED, "{uri} with a bad token");
    }
    let (s, _) = app
        .send(
            Request::post("/api/v1/imports/residents")
                .body(Body::from(small_city()))
                .expect("req"),
        )
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn login_logout() {
    let app = TestApp::new();
    let bad = json!({"tenant": "t1", "user": "staff", "password": "wrong", "counter": "市民課1番"});
    let (s, v) = app.send(post_json("/api/v1/auth/login", &bad)).await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("login_failed"))
    );
    let unknown = json!({"tenant": "t1", "user": "nobody", "password": "correct-horse-battery", "counter": "1"});
    let (s, v2) = app.send(post_json("/api/v1/auth/login", &unknown)).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert_eq!(
        v["error"]["message"], v2["error"]["message"],
        "no hint whether the user exists"
    );
    let no_counter = json!({"tenant": "t1", "user": "staff", "password": "correct-horse-battery", "counter": " "});
    assert_eq!(
        app.send(post_json("/api/v1/auth/login", &no_counter))
            .await
            .0,
        StatusCode::BAD_REQUEST
    );

    let token = app.login("t1").await;
    let (s, me) = app.send(get("/api/v1/auth/me", &token)).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        (me["tenant_name"].as_str(), me["counter"].as_str()),
        (Some("さくら野市"), Some("市民課1番"))
    );
    let logout = Request::post("/api/v1/auth/logout")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .expect("req");
    assert_eq!(app.send(logout).await.0, StatusCode::NO_CONTENT);
    assert_eq!(
        app.send(get("/api/v1/auth/me", &token)).await.0,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn search_semantics() {
    let app = TestApp::new();
    let token = app.login("t1").await;
    let cases: &[(&str, &[&str])] = &[
        (
            "q=タカハシ",
            &[
                "髙橋\u{3000}ハル",
                "髙橋\u{3000}一郎",
                "髙橋\u{3000}二郎",
                "髙橋\u{3000}太郎",
                "髙橋\u{3000}花子",
            ],
        ),
        ("q=ﾖｼﾀﾞ", &["𠮷田\u{3000}健"]),
        ("q=よしだ", &["𠮷田\u{3000}健"]),
        ("q=吉田", &["𠮷田\u{3000}健"]),
        ("q=高橋花", &["髙橋\u{3000}花子"]),
        ("q=渡辺", &["渡邉\u{3000}さくら"]),
        ("q=山本アン", &["NGUYEN VAN AN"]),
        ("q=nguyen", &["NGUYEN VAN AN"]),
        ("q=S50.1.1", &["髙橋\u{3000}太郎"]),
        ("q=昭和50年1月1日", &["髙橋\u{3000}太郎"]),
        ("q=1975-01-01", &["髙橋\u{3000}太郎"]),
        ("q=19750101", &["髙橋\u{3000}太郎"]),
        ("birth=S52.3.3", &["髙橋\u{3000}花子"]),
        ("q=タカハシ&birth=2012-04-02", &["髙橋\u{3000}一郎"]),
        ("address=本町200", &["𠮷田\u{3000}健"]),
        ("address=ハイツ", &["渡邉\u{3000}さくら"]),
        ("q=佐藤", &["髙橋\u{3000}花子"]),
    ];
    for (query, want) in cases {
        let encoded: String = query
            .split('&')
            .map(|kv| {
                let (k, v) = kv.split_once('=').expect("kv");
                format!("{k}={}", enc(v))
            })
            .collect::<Vec<_>>()
            .join("&");
        let (s, v) = search(&app, &token, &encoded).await;
        assert_eq!(s, StatusCode::OK, "{query}: {v}");
        assert_eq!(names(&v), *want, "{query}");
    }
    // 宛名番号 lookup, with display fields.
    let (_, v) = search(&app, &token, &format!("q={}", atena(1))).await;
    let r = &v["results"][0];
    assert_eq!(r["birth_display"].as_str(), Some("昭和50年1月1日"));
    assert_eq!(r["relation"].as_str(), Some("世帯主"));
    assert_eq!(r["household_no"].as_str(), Some(atena(100).as_str()));
    // Foreign residents' birth dates are shown in 西暦.
    let (_, v) = search(&app, &token, "q=nguyen").await;
    assert_eq!(
        v["results"][0]["birth_display"].as_str(),
        Some("1995年8月20日")
    );
    // 支援措置 residents are marked.
    let (_, v) = search(&app, &token, &format!("q={}", enc("ワタナベ"))).await;
    assert_eq!(v["results"][0]["support_measure"], json!(true));
    // Limit.
    let (_, v) = search(&app, &token, &format!("q={}&limit=2", enc("タカハシ"))).await;
    assert_eq!(
        (v["count"].clone(), v["more"].clone()),
        (json!(2), json!(true))
    );
    let (_, v) = search(&app, &token, &format!("q={}&limit=5", enc("タカハシ"))).await;
    assert_eq!(
        (v["count"].clone(), v["more"].clone()),
        (json!(5), json!(false))
    );
}

#[tokio::test]
async fn tenants_do_not_see_each_other() {
    let app = TestApp::new();
    let token = app.login("t2").await;
    for q in [
        format!("q={}", enc("タカハシ")),
        format!("q={}", atena(1)),
        "q=S50.1.1".into(),
    ] {
        let (s, v) = search(&app, &token, &q).await;
        assert_eq!((s, v["count"].as_u64()), (StatusCode::OK, Some(0)), "{q}");
    }
    assert_eq!(
        app.send(get(&format!("/api/v1/households/{}", atena(100)), &token))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.send(get(&format!("/api/v1/residents/{}", atena(1)), &token))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn household_in_standard_order() {
    let app = TestApp::new();
    let token = app.login("t1").await;
    let (s, v) = app
        .send(get(&format!("/api/v1/households/{}", atena(100)), &token))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let order: Vec<(&str, &str)> = v["members"]
        .as_array()
        .expect("members")
        .iter()
        .map(|m| {
            (
                m["relation"].as_str().expect("rel"),
                m["name"].as_str().expect("name"),
            )
        })
        .collect();
    assert_eq!(
        order,
        [
            ("世帯主", "髙橋\u{3000}太郎"),
            ("妻", "髙橋\u{3000}花子"),
            ("子", "髙橋\u{3000}二郎"),
            ("子", "髙橋\u{3000}一郎"),
            ("母", "髙橋\u{3000}ハル"),
        ]
    );
    let (s, v) = app.send(get("/api/v1/households/123", &token)).await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_id"))
    );
}

#[tokio::test]
async fn bad_search_input_gets_a_clear_4xx_never_a_500() {
    let app = TestApp::new();
    let token = app.login("t1").await;
    let long = enc(&"あ".repeat(1000));
    let cases: Vec<(String, StatusCode)> = vec![
        ("q=".into(), StatusCode::BAD_REQUEST),
        ("".into(), StatusCode::BAD_REQUEST),
        (format!("q={long}"), StatusCode::BAD_REQUEST),
        ("q=%FF%FE%FD".into(), StatusCode::BAD_REQUEST),
        ("q=%E3%81".into(), StatusCode::BAD_REQUEST),
        (
            format!("q={}", enc("平成32年1月1日")),
            StatusCode::BAD_REQUEST,
        ),
        ("q=18".into(), StatusCode::BAD_REQUEST),
        ("q=a&limit=1000".into(), StatusCode::BAD_REQUEST),
        ("q=a&limit=-1".into(), StatusCode::BAD_REQUEST),
        (
            format!("q={}", enc("'; DROP TABLE residents; --")),
            StatusCode::OK,
        ),
        (
            format!("q={}", enc("\" OR 1=1 NEAR(a b) *")),
            StatusCode::BAD_REQUEST,
        ),
        (
            format!("q={}", enc("\" OR NEAR(a b) * {names}:x")),
            StatusCode::OK,
        ),
        (format!("q={}", enc("%_\\")), StatusCode::BAD_REQUEST),
        (format!("q={}", enc("a AND b OR c NOT d")), StatusCode::OK),
        (format!("address={}", enc("'\"*")), StatusCode::BAD_REQUEST),
    ];
    for (q, want) in cases {
        let (s, v) = search(&app, &token, &q).await;
        assert_eq!(s, want, "{q}: {v}");
        if s == StatusCode::BAD_REQUEST {
            let msg = v["error"]["message"].as_str().expect("message");
            assert!(!msg.is_ascii(), "{q}: message should be Japanese: {msg}");
        } else {
            assert_eq!(v["count"], json!(0), "{q}");
        }
    }
    assert_eq!(
        app.store
            .count_residents(&TenantId("t1".into()))
            .expect("count"),
        8
    );
}

#[tokio::test]
async fn import_over_http() {
    let app = TestApp::new();
    let token = app.login("t2").await;
    let post = |uri: &str, body: Vec<u8>| {
        Request::post(uri)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "text/csv")
            .body(Body::from(body))
            .expect("req")
    };
    let (s, v) = app
        .send(post("/api/v1/imports/residents", small_city().into_bytes()))
        .await;
    assert_eq!(
        (s, v["status"].as_str(), v["inserted"].as_u64()),
        (StatusCode::OK, Some("applied"), Some(8)),
        "{v}"
    );
    let (s, v) = app
        .send(post("/api/v1/imports/residents", small_city().into_bytes()))
        .await;
    assert_eq!(
        (s, v["status"].as_str()),
        (StatusCode::OK, Some("already_applied"))
    );
    let bad = csv(&[row(50, 50, &[("生年月日", "平成32年1月1日")])]);
    let (s, v) = app
        .send(post(
            "/api/v1/imports/residents?mode=delta",
            bad.into_bytes(),
        ))
        .await;
    assert_eq!(
        (s, v["status"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("rejected"))
    );
    assert_eq!(v["problems"][0]["line"], json!(2));
    assert_eq!(v["problems"][0]["column"], json!("生年月日"));
    let (s, v) = app
        .send(post(
            "/api/v1/imports/residents",
            b"garbage,header\n1,2\n".to_vec(),
        ))
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str(), v["line"].as_u64()),
        (StatusCode::BAD_REQUEST, Some("invalid_file"), Some(1))
    );
    let (s, _) = app
        .send(post(
            "/api/v1/imports/residents?mode=sideways",
            small_city().into_bytes(),
        ))
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let text = csv(&[row(60, 60, &[])]);
    let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(&text);
    let (s, v) = app
        .send(post(
            "/api/v1/imports/residents?mode=delta&encoding=cp932",
            sjis.into_owned(),
        ))
        .await;
    assert_eq!(
        (s, v["inserted"].as_u64()),
        (StatusCode::OK, Some(1)),
        "{v}"
    );
    assert_eq!(
        app.store
            .count_residents(&TenantId("t2".into()))
            .expect("count"),
        9
    );
    assert_eq!(
        app.store
            .count_residents(&TenantId("t1".into()))
            .expect("count"),
        8,
        "t1 untouched"
    );
    let from = chrono::Utc::now() - chrono::Duration::hours(1);
    let to = chrono::Utc::now() + chrono::Duration::hours(1);
    let imports: Vec<String> = app
        .store
        .audit_records(&TenantId("t2".into()), from, to)
        .expect("records")
        .into_iter()
        .filter(|r| r.event.action == "resident.import")
        .map(|r| r.event.result)
        .collect();
    assert_eq!(
        imports,
        [
            "applied",
            "already_applied",
            "rejected",
            "invalid_file",
            "applied"
        ]
    );
}

#[tokio::test]
async fn logs_carry_routes_but_no_personal_data() {
    let app = TestApp::new();
    let token = app.login("t1").await;
    let atena_no = atena(1);
    let household = atena(100);
    for uri in [
        format!("/api/v1/residents?q={}", enc("髙橋")),
        format!("/api/v1/residents?q={}", enc("たかはし")),
        format!("/api/v1/residents?q={atena_no}"),
        format!("/api/v1/residents/{atena_no}"),
        format!("/api/v1/households/{household}"),
        "/api/v1/residents?q=%FF".to_owned(),
    ] {
        app.send(get(&uri, &token)).await;
    }
    let logs = madoguchi_testkit::logs::text();
    assert!(
        logs.contains("/api/v1/households/{household_no}"),
        "route templates are logged"
    );
    for secret in [
        "髙橋",
        "高橋",
        "タカハシ",
        "%E9%AB%98",
        atena_no.as_str(),
        household.as_str(),
        "昭和",
        &token,
    ] {
        assert!(
            !logs.contains(secret),
            "log contains personal data or a secret: {secret}"
        );
    }
}

#[tokio::test]
async fn oversized_upload_is_refused_and_changes_nothing() {
    let app = TestApp::with_settings(Settings {
        max_upload_bytes: 1 << 20,
        ..Settings::default()
    });
    let token = app.login("t2").await;
    let rows: Vec<String> = (0..6000).map(|i| row(1000 + i, 1000 + i, &[])).collect();
    let big = csv(&rows);
    assert!(big.len() > 1 << 20);
    let req = Request::post("/api/v1/imports/residents")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::from(big))
        .expect("req");
    let (s, v) = app.send(req).await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::PAYLOAD_TOO_LARGE, Some("upload_too_large"))
    );
    assert_eq!(
        app.store
            .count_residents(&TenantId("t2".into()))
            .expect("count"),
        0
    );
}

/// The OpenAPI document is committed (`api-server/openapi.json`) so API changes show up in review and the
/// UI's generated types have a stable source. `UPDATE_OPENAPI=1 cargo test` rewrites it.
#[test]
fn openapi_document_matches_the_committed_copy() {
    use utoipa::OpenApi;
    let generated = madoguchi_server::api::ApiDoc::openapi()
        .to_pretty_json()
        .expect("json")
        + "\n";
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("openapi.json");
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        std::fs::write(&path, &generated).expect("write openapi.json");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "api-server/openapi.json is out of date; run `UPDATE_OPENAPI=1 cargo test -p madoguchi-server --test server`"
    );
    // Operation ids name the UI's generated operations: two handlers of the same name would give
    // one route the other's types.
    let doc: serde_json::Value = serde_json::from_str(&generated).expect("json");
    let mut ids: Vec<&str> = doc["paths"]
        .as_object()
        .expect("paths")
        .values()
        .flat_map(|p| p.as_object().into_iter().flat_map(|m| m.values()))
        .filter_map(|op| op["operationId"].as_str())
        .collect();
    let all = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), all, "every operationId is unique");
}

/// The terminals' signed update file: served byte for byte without a session, 404 until published, 400
/// for anything but the known platforms (no path is built from the request).
#[tokio::test]
async fn terminal_updates_are_served_verbatim_only_for_known_platforms() {
    let dir = tempfile::tempdir().expect("dir");
    // Not JSON the server would write itself: odd spacing, key order and a trailing newline survive.
    let published =
        "{\"signature\":  \"c2lnbmF0dXJl\",\n \"payload\": \"eyJ2ZXJzaW9uIjoiMC4yLjAifQ==\"}\n";
    std::fs::write(dir.path().join("windows-x86_64.json"), published).expect("write");
    std::fs::write(dir.path().join("secret.json"), "{}").expect("write");
    let app = TestApp::with_settings(Settings {
        updates_dir: Some(dir.path().to_owned()),
        ..Settings::default()
    });
    let fetch = |uri: &str| {
        let router = app.router.clone();
        let req = Request::get(uri).body(Body::empty()).expect("req");
        async move {
            let res = router.oneshot(req).await.expect("response");
            let status = res.status();
            let content_type = res
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            let bytes = res.into_body().collect().await.expect("body").to_bytes();
            (status, content_type, bytes.to_vec())
        }
    };
    let (s, content_type, bytes) = fetch("/api/v1/terminal/update/windows-x86_64").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(content_type, "application/json");
    assert_eq!(bytes, published.as_bytes(), "byte for byte");
    // Nothing published for Linux yet.
    let (s, _, bytes) = fetch("/api/v1/terminal/update/linux-x86_64").await;
    let v: Value = serde_json::from_slice(&bytes).expect("json");
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
    assert_eq!(
        v["error"]["message"],
        "この端末向けの更新は公開されていません。"
    );
    // Only the two platform names: other files of the folder and paths out of it stay unreachable.
    for platform in [
        "secret",
        "macos-aarch64",
        "WINDOWS-X86_64",
        "windows-x86_64.json",
        "..%2Fwindows-x86_64",
        "%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
    ] {
        let (s, _, bytes) = fetch(&format!("/api/v1/terminal/update/{platform}")).await;
        let v: Value = serde_json::from_slice(&bytes).expect("json");
        assert_eq!(
            (s, v["error"]["code"].as_str()),
            (StatusCode::BAD_REQUEST, Some("unknown_platform")),
            "{platform}"
        );
    }
    // A server without an updates folder publishes nothing.
    let (s, v) = (TestApp::with_settings(Settings::default()))
        .send(
            Request::get("/api/v1/terminal/update/windows-x86_64")
                .body(Body::empty())
                .expect("req"),
        )
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
}

/// Security II point 11: failures make the account wait for a while — never a permanent lock that a
/// stranger could impose — and the waiting account gets the same answer as a wrong password.
#[tokio::test]
async fn point_11_brute_force_makes_the_account_wait_not_locked_for_good() {
    let app = TestApp::new();
    let attempt = |password: &str| {
        post_json(
            "/api/v1/auth/login",
            &json!({"tenant": "t1", "user": "staff", "password": password, "counter": "市民課1番"}),
        )
    };
    let (_, wrong) = app.send(attempt("wrong")).await;
    for i in 2..=5 {
        let (s, v) = app.send(attempt("wrong")).await;
        assert_eq!((s, &v), (StatusCode::UNAUTHORIZED, &wrong), "attempt {i}");
    }
    // Waiting now (30 s, doubling): even the right password gets the very same answer.
    let (s, v) = app.send(attempt("correct-horse-battery")).await;
    assert_eq!((s, v), (StatusCode::UNAUTHORIZED, wrong));
    // Nothing was locked in the store; the failures are counted for administrators.
    let t1 = TenantId("t1".into());
    let user = app
        .store
        .find_user(&t1, "staff")
        .expect("find")
        .expect("user");
    assert_eq!((user.locked, user.failed_logins), (false, 5));
    // The other tenant's account of the same name is unaffected.
    app.login("t2").await;
    // The back-off is temporary (its arithmetic is tested in login_backoff): with no wait, the right
    // password logs in after as many failures.
    let quick = TestApp::with_settings(Settings {
        login_backoff_base: std::time::Duration::ZERO,
        ..Settings::default()
    });
    for _ in 0..6 {
        quick.send(attempt("wrong")).await;
    }
    quick.login("t1").await;
}

#[tokio::test]
async fn a_disabled_account_cannot_log_in_and_loses_its_sessions() {
    let app = TestApp::new();
    let token = app.login("t1").await;
    assert!(
        app.store
            .set_user_disabled(
                &TenantId("t1".into()),
                "staff",
                true,
                &setup_event(&TenantId("t1".into()), "user.disable")
            )
            .expect("disable")
    );
    assert_eq!(
        app.send(get("/api/v1/auth/me", &token)).await.0,
        StatusCode::UNAUTHORIZED
    );
    // The same answer with the right password, a wrong one, and for a login nobody has (point 11).
    let mut answers = std::collections::BTreeSet::new();
    for (user, password) in [
        ("staff", "correct-horse-battery"),
        ("staff", "wrong"),
        ("nobody", "x"),
    ] {
        let body = json!({"tenant": "t1", "user": user, "password": password, "counter": "1"});
        let (s, v) = app.send(post_json("/api/v1/auth/login", &body)).await;
        answers.insert(format!("{s} {v}"));
    }
    assert_eq!(answers.len(), 1, "{answers:?}");
    assert!(
        answers.iter().all(|a| a.contains("login_failed")),
        "{answers:?}"
    );
    let disabled = app
        .store
        .audit_records(
            &TenantId("t1".into()),
            chrono::Utc::now() - chrono::Duration::hours(1),
            chrono::Utc::now() + chrono::Duration::hours(1),
        )
        .expect("audit")
        .into_iter()
        .filter(|r| r.event.result == "disabled")
        .count();
    assert_eq!(disabled, 2, "the audit says why, whatever the password");
}

#[tokio::test]
async fn accounts_past_their_validity_period_cannot_log_in() {
    let app = TestApp::new();
    let t1 = TenantId("t1".into());
    let yesterday = madoguchi_server::api::today_jst().pred_opt().expect("date");
    assert!(
        app.store
            .set_user_valid_until(
                &t1,
                "staff",
                Some(yesterday),
                &setup_event(&t1, "user.valid_until")
            )
            .expect("set")
    );
    let body = json!({"tenant": "t1", "user": "staff", "password": "correct-horse-battery", "counter": "1"});
    let (s, v) = app.send(post_json("/api/v1/auth/login", &body)).await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("login_failed"))
    );
    let today = madoguchi_server::api::today_jst();
    assert!(
        app.store
            .set_user_valid_until(
                &t1,
                "staff",
                Some(today),
                &setup_event(&t1, "user.valid_until")
            )
            .expect("set")
    );
    app.login("t1").await;
}

#[tokio::test]
async fn an_idle_session_ends() {
    // An idle limit below zero makes every session idle by its next request.
    let idle_app = TestApp::with_settings(Settings {
        session_idle: chrono::Duration::milliseconds(-1),
        ..Settings::default()
    });
    let token = idle_app.login("t1").await;
    let (s, v) = idle_app.send(get("/api/v1/auth/me", &token)).await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("session_idle"))
    );
    let (s, v) = idle_app.send(get("/api/v1/auth/me", &token)).await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("unauthorized")),
        "the session is gone"
    );
    // With the default limit the same sequence keeps working.
    let fresh = TestApp::new();
    let token = fresh.login("t1").await;
    for _ in 0..2 {
        assert_eq!(
            fresh.send(get("/api/v1/auth/me", &token)).await.0,
            StatusCode::OK
        );
    }
}

#[tokio::test]
async fn support_measure_addresses_are_masked_for_the_whole_household() {
    let app = TestApp::new();
    // A child, not flagged, joins the household of 渡邉 さくら (支援措置).
    let text = csv(&[row(
        9,
        400,
        &[
            ("氏名", "渡邉\u{3000}陽"),
            ("氏名_フリガナ", "ワタナベ\u{3000}ヒナタ"),
            ("続柄表記", "子"),
            ("生年月日", "2020-01-01"),
        ],
    )]);
    let r = import_residents(
        app.store.as_ref(),
        &TenantId("t1".into()),
        text.as_bytes(),
        &options(ImportMode::Delta, text.as_bytes()),
    )
    .expect("import");
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    let token = app.login("t1").await;
    let (_, v) = search(&app, &token, &format!("q={}", enc("ワタナベ"))).await;
    let results = v["results"].as_array().expect("results");
    assert_eq!(results.len(), 2);
    for r in results {
        assert_eq!(
            (r["address"].clone(), r["address_masked"].clone()),
            (Value::Null, json!(true)),
            "{r}"
        );
    }
    let flagged: Vec<bool> = results
        .iter()
        .map(|r| r["support_measure"].as_bool().expect("flag"))
        .collect();
    assert!(
        flagged.contains(&true) && flagged.contains(&false),
        "only the protected person carries the flag"
    );
    let (_, one) = app
        .send(get(&format!("/api/v1/residents/{}", atena(9)), &token))
        .await;
    assert_eq!(one["address"], Value::Null);
    let (_, h) = app
        .send(get(&format!("/api/v1/households/{}", atena(400)), &token))
        .await;
    assert_eq!(
        (h["address"].clone(), h["address_masked"].clone()),
        (Value::Null, json!(true))
    );
    assert!(
        h["members"]
            .as_array()
            .expect("members")
            .iter()
            .all(|m| m["address"].is_null())
    );
    let body = serde_json::to_string(&(v, one, h)).expect("json");
    for secret in ["さくら野ハイツ", "400番地", "本町"] {
        assert!(!body.contains(secret), "address leaked: {secret}");
    }
    // Other households keep their address.
    let (_, v) = search(&app, &token, &format!("q={}", enc("髙橋 太郎"))).await;
    assert_eq!(
        v["results"][0]["address"]["full"],
        json!("群馬県さくら野市本町100番地")
    );
    assert_eq!(v["results"][0]["address_masked"], json!(false));
}

#[tokio::test]
async fn actions_are_audited_with_identifiers_only() {
    let app = TestApp::new();
    let bad = json!({"tenant": "t1", "user": "staff", "password": "wrong", "counter": "市民課1番"});
    app.send(post_json("/api/v1/auth/login", &bad)).await;
    let token = app.login("t1").await;
    search(&app, &token, &format!("q={}", enc("タカハシ"))).await;
    app.send(get(&format!("/api/v1/households/{}", atena(100)), &token))
        .await;
    app.send(get(&format!("/api/v1/residents/{}", atena(6)), &token))
        .await;
    let logout = Request::post("/api/v1/auth/logout")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .expect("req");
    app.send(logout).await;
    let from = chrono::Utc::now() - chrono::Duration::hours(1);
    let to = chrono::Utc::now() + chrono::Duration::hours(1);
    let records: Vec<_> = app
        .store
        .audit_records(&TenantId("t1".into()), from, to)
        .expect("records")
        .into_iter()
        .filter(|r| r.event.terminal.as_deref() != Some("test-setup"))
        .collect();
    let actions: Vec<(&str, &str)> = records
        .iter()
        .map(|r| (r.event.action.as_str(), r.event.result.as_str()))
        .collect();
    assert_eq!(
        actions,
        [
            ("login_failed", "wrong_password"),
            ("login", "ok"),
            // The tenant's key for digests of search texts, made by its first search.
            ("audit_query_key.create", "ok"),
            ("resident.search", "ok"),
            ("household.read", "ok"),
            ("resident.read", "ok"),
            ("logout", "ok"),
        ]
    );
    // A search names its text by a keyed digest, then the residents shown.
    let search_subjects = records[3].event.subject.as_deref().expect("subjects");
    let mut parts = search_subjects.split(' ');
    let digest = parts.next().expect("digest");
    assert!(
        digest.len() == "query:".len() + 32 && digest.starts_with("query:"),
        "{search_subjects}"
    );
    assert!(
        search_subjects.contains(&atena(1)) && parts.count() == 5,
        "{search_subjects}"
    );
    assert_eq!(records[5].event.subject.as_deref(), Some(atena(6).as_str()));
    assert!(
        records
            .iter()
            .all(|r| r.event.counter.as_deref() == Some("市民課1番"))
    );
    for r in &records {
        let s = r.event.subject.clone().unwrap_or_default();
        let s = s.trim_start_matches("query:");
        assert!(
            s.chars().all(|c| c.is_ascii_hexdigit() || c == ' '),
            "only identifiers in the audit log: {s}"
        );
    }
    assert!(
        app.store
            .audit_records(&TenantId("t2".into()), from, to)
            .expect("records")
            .iter()
            .all(|r| r.event.terminal.as_deref() == Some("test-setup"))
    );
    assert!(matches!(
        app.store.verify_audit().expect("verify"),
        madoguchi_store::AuditCheck::Intact { .. }
    ));
}

#[tokio::test]
async fn point_12_login_attempts_are_limited_per_address_and_refusals_audited_once_per_window() {
    let app = TestApp::with_settings(Settings {
        login_attempts_per_address: 3,
        ..Settings::default()
    });
    let from = |ip: [u8; 4], user: &str| {
        let mut req = post_json(
            "/api/v1/auth/login",
            &json!({"tenant": "t1", "user": user, "password": "wrong", "counter": "1"}),
        );
        req.extensions_mut()
            .insert(axum::extract::ConnectInfo(std::net::SocketAddr::from((
                ip, 40000,
            ))));
        req
    };
    // Different accounts from one address: the address limit applies across them.
    for user in ["a", "b", "c"] {
        assert_eq!(
            app.send(from([192, 0, 2, 1], user)).await.0,
            StatusCode::UNAUTHORIZED
        );
    }
    let (s, v) = app.send(from([192, 0, 2, 1], "d")).await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::TOO_MANY_REQUESTS, Some("too_many_attempts"))
    );
    assert_eq!(
        app.send(from([192, 0, 2, 2], "a")).await.0,
        StatusCode::UNAUTHORIZED,
        "other addresses unaffected"
    );
    let from_t = chrono::Utc::now() - chrono::Duration::hours(1);
    let to_t = chrono::Utc::now() + chrono::Duration::hours(1);
    let records = app
        .store
        .audit_records(&TenantId("t1".into()), from_t, to_t)
        .expect("records");
    assert_eq!(
        records
            .iter()
            .filter(|r| r.event.result == "rate_limited")
            .count(),
        1,
        "the refusal is audited"
    );
    // Security II point 12: a flood of refused requests is audited once per window, not per request.
    for _ in 0..20 {
        app.send(from([192, 0, 2, 1], "e")).await;
    }
    for n in 0..20 {
        let body = json!({"tenant": format!("no-such-city-{n}"), "user": "x", "password": "y", "counter": "1"});
        let mut req = post_json("/api/v1/auth/login", &body);
        req.extensions_mut()
            .insert(axum::extract::ConnectInfo(std::net::SocketAddr::from((
                [192, 0, 2, 9],
                40000,
            ))));
        let status = app.send(req).await.0;
        assert!(
            [StatusCode::UNAUTHORIZED, StatusCode::TOO_MANY_REQUESTS].contains(&status),
            "{status}"
        );
    }
    let everything = app
        .store
        .audit_state(&[])
        .expect("state")
        .head
        .map_or(0, |h| h.0);
    let records = app
        .store
        .audit_records(&TenantId("t1".into()), from_t, to_t)
        .expect("records");
    assert_eq!(
        records
            .iter()
            .filter(|r| r.event.result == "rate_limited")
            .count(),
        1,
        "twenty more refusals in the window, no more records"
    );
    let unknown: usize = (0..20)
        .map(|n| {
            app.store
                .audit_records(&TenantId(format!("no-such-city-{n}")), from_t, to_t)
                .expect("records")
                .len()
        })
        .sum();
    assert_eq!(
        unknown, 2,
        "unknown tenants from one address: one record per window for the unknown tenant, one for the rate limit that followed"
    );
    assert!(
        everything < 40,
        "the audit log did not grow with the flood ({everything})"
    );
}
