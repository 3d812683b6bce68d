//! The 手続きナビ editor: a city's own procedure typed in a form, its rule checked as typed, its example
//! run, tried on a test household beside the current catalogue, published from a date — and the
//! evaluation changes on that date, not before.

use axum::http::{Method, StatusCode};
use chrono::{Duration, NaiveDate};
use madoguchi_testkit::app::{TestApp, get, req};
use serde_json::{Value, json};

fn procedure(when: &str) -> Value {
    json!({
        "code": "SAKURA-GOMI", "name": "ごみ分別アプリの案内", "department": "環境課",
        "counter": "市民課 1番窓口", "on_the_spot": true, "guidance": "アプリのチラシを渡す。",
        "legal_basis": "", "explanation": "ごみの出し方をアプリでお知らせします。",
        "bring": [], "forms": [], "pamphlets": ["ごみ分別アプリのご案内"],
        "permission": "accept_notification", "valid_from": "2000-01-01",
        "rules": [{"when": when, "reason": "転入されたため"}]
    })
}

fn draft(when: &str, example_date: &str) -> Value {
    json!({
        "questions": [],
        "procedures": [procedure(when)],
        "examples": [{
            "name": "単身の転入", "event": "転入", "detail": "国内", "date": example_date,
            "expect": ["SAKURA-GOMI"],
            "after": [{"birth": "1990-04-01", "relation": "世帯主", "mover": true}]
        }]
    })
}

fn household(date: NaiveDate) -> Value {
    json!({"event": "転入", "detail": "国内", "event_date": date.to_string(),
           "household_after": [{"birth": "1990-04-01", "relation": "世帯主", "mover": true}]})
}

fn codes(v: &Value) -> Vec<String> {
    v["procedures"]
        .as_array()
        .expect("procedures")
        .iter()
        .map(|p| p["code"].as_str().expect("code").to_owned())
        .collect()
}

#[tokio::test]
async fn a_local_procedure_is_checked_tried_and_published_from_a_date() {
    let app = TestApp::new();
    let admin = app.login("t1").await;
    let (s, editor) = app
        .send(get("/api/v1/admin/navigation/editor", &admin))
        .await;
    assert_eq!(s, StatusCode::OK, "{editor}");
    assert_eq!(editor["draft_saved"], false);
    assert!(
        editor["catalog"]
            .as_array()
            .expect("catalog")
            .iter()
            .any(|p| p["source"] == "standard")
    );
    let today =
        NaiveDate::parse_from_str(editor["today"].as_str().expect("today"), "%Y-%m-%d").expect("d");
    let tomorrow = today + Duration::days(1);

    // A rule that does not parse: the rule, the offset and the reason; nothing is publishable.
    let broken = draft(r#"event.kind == "転入" and"#, &tomorrow.to_string());
    let (s, v) = app
        .send(req(
            Method::POST,
            "/api/v1/admin/navigation/check",
            &admin,
            &json!({"draft": broken}),
        ))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["ok"], false);
    let p = &v["report"]["problems"][0];
    assert_eq!(
        (
            p["procedure"].as_u64(),
            p["rule"].as_u64(),
            p["field"].as_str()
        ),
        (Some(0), Some(0), Some("when"))
    );
    assert!(p["offset"].as_u64().is_some(), "{p}");
    let (s, v) = app
        .send(req(
            Method::POST,
            "/api/v1/admin/navigation/publish",
            &admin,
            &json!({"draft": broken, "from": tomorrow.to_string(), "revision": editor["published_revision"]}),
        ))
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_rules")),
        "{v}"
    );

    // A good draft: its example holds, the diff names it, a test household finds it beside the current.
    let good = draft(r#"event.kind == "転入""#, &tomorrow.to_string());
    let (_, v) = app
        .send(req(
            Method::POST,
            "/api/v1/admin/navigation/check",
            &admin,
            &json!({"draft": good}),
        ))
        .await;
    assert_eq!(
        (
            v["ok"].as_bool(),
            v["report"]["examples"][0]["passed"].as_bool()
        ),
        (Some(true), Some(true)),
        "{v}"
    );
    assert_eq!(v["diff"][0]["change"], "added");
    let (s, v) = app
        .send(req(
            Method::POST,
            "/api/v1/admin/navigation/trial",
            &admin,
            &json!({"draft": good, "household": household(today)}),
        ))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert!(codes(&v["draft"]).contains(&"SAKURA-GOMI".into()));
    assert!(!codes(&v["current"]).contains(&"SAKURA-GOMI".into()));

    // A form that does not exist is a problem of the procedure's forms.
    let mut unknown = good.clone();
    unknown["procedures"][0]["forms"] = json!(["no-such-form"]);
    let (_, v) = app
        .send(req(
            Method::POST,
            "/api/v1/admin/navigation/check",
            &admin,
            &json!({"draft": unknown}),
        ))
        .await;
    assert_eq!(v["report"]["problems"][0]["field"], "forms", "{v}");

    // The draft is kept on its revision; a stale save is refused.
    let (s, saved) = app
        .send(req(
            Method::PUT,
            "/api/v1/admin/navigation/draft",
            &admin,
            &json!({"draft": good, "revision": editor["draft_revision"]}),
        ))
        .await;
    assert_eq!(s, StatusCode::OK, "{saved}");
    let (s, v) = app
        .send(req(
            Method::PUT,
            "/api/v1/admin/navigation/draft",
            &admin,
            &json!({"draft": good, "revision": editor["draft_revision"]}),
        ))
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("stale_revision"))
    );
    let (_, reopened) = app
        .send(get("/api/v1/admin/navigation/editor", &admin))
        .await;
    assert_eq!(reopened["draft_saved"], true);
    assert_eq!(reopened["draft"]["procedures"][0]["code"], "SAKURA-GOMI");

    // Not in the past; then from tomorrow.
    let (s, _) = app
        .send(req(
            Method::POST,
            "/api/v1/admin/navigation/publish",
            &admin,
            &json!({"draft": good, "from": (today - Duration::days(1)).to_string(), "revision": editor["published_revision"]}),
        ))
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, v) = app
        .send(req(
            Method::POST,
            "/api/v1/admin/navigation/publish",
            &admin,
            &json!({"draft": good, "from": tomorrow.to_string(), "revision": editor["published_revision"]}),
        ))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, v) = app
        .send(req(
            Method::POST,
            "/api/v1/admin/navigation/publish",
            &admin,
            &json!({"draft": good, "from": tomorrow.to_string(), "revision": editor["published_revision"]}),
        ))
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("stale_revision")),
        "{v}"
    );

    // The counter's evaluation: not today, from tomorrow.
    for (date, expected) in [(today, false), (tomorrow, true)] {
        let (s, v) = app
            .send(req(
                Method::POST,
                "/api/v1/navigation/evaluate",
                &admin,
                &household(date),
            ))
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(
            codes(&v).contains(&"SAKURA-GOMI".into()),
            expected,
            "{date}"
        );
    }
    let (_, after) = app
        .send(get("/api/v1/admin/navigation/editor", &admin))
        .await;
    let entry = after["catalog"]
        .as_array()
        .expect("catalog")
        .iter()
        .find(|p| p["code"] == "SAKURA-GOMI")
        .expect("listed");
    assert_eq!(
        (entry["source"].as_str(), entry["state"].as_str()),
        (Some("local"), Some("scheduled"))
    );
    assert_eq!(after["draft_saved"], false, "publishing clears the draft");
    let period = format!(
        "/api/v1/audit?from={}&to={}",
        today - Duration::days(1),
        tomorrow
    );
    let (_, audit) = app.send(get(&period, &admin)).await;
    assert!(
        audit.to_string().contains("navigation_rules.publish"),
        "{audit}"
    );
}
