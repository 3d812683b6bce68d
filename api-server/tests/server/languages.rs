//! 手続きナビ in the resident's language (issue 21 point 6): `?lang=` on the guide's and the kiosk's
//! evaluation, the rules' reasons translated, Japanese fallbacks named, answers still Japanese, the
//! administrator's list of gaps.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use madoguchi_core::navigation::{Catalog, i18n};
use madoguchi_testkit::app::{TestApp, get, json_req};
use serde_json::{Value, json};

const LOCAL: &str = r#"
[[questions]]
id = "local_bag_size"
text = "ごみ袋の大きさはどれにしますか"
kind = "choice"
options = ["大", "小"]

[[procedures]]
code = "LOCAL-GOMI-BUKURO"
name = "指定ごみ袋の配布"
department = "環境課"
counter = "環境課 窓口"
on_the_spot = true
guidance = "転入世帯に指定ごみ袋を1セット渡す。"
legal_basis = "さくら野市要綱"
explanation = "転入された世帯に指定ごみ袋をお渡しします。"
permission = "accept_notification"
valid_from = "2000-04-01"
[[procedures.rules]]
when = 'event.kind == "転入" and answer("local_bag_size") == "大"'
reason = "転入された世帯のため"
"#;

/// A city's procedure with two reasons: the standard catalogue's text word for word, and the city's
/// rewording of it.
const LOCAL_REASONS: &str = r#"
[[procedures]]
code = "LOCAL-SEIKATSU-GUIDE"
name = "くらしのガイドの配布"
department = "市民課"
counter = "市民課 窓口"
on_the_spot = true
guidance = "転入世帯にくらしのガイドを1冊渡す。"
legal_basis = "さくら野市要綱"
explanation = "転入された世帯にくらしのガイドをお渡しします。"
permission = "accept_notification"
valid_from = "2000-04-01"
[[procedures.rules]]
when = 'event.kind == "転入"'
reason = "市外から引っ越してきたため"
[[procedures.rules]]
when = 'event.kind == "転入" and size(after) >= 1'
reason = "市外から引っ越してこられたため"
"#;

fn single(answers: Value) -> Value {
    json!({"event": "転入", "detail": "国内", "event_date": "2026-12-01",
           "household_after": [{"birth": "1990-01-01", "relation": "世帯主", "mover": true}],
           "answers": answers})
}

async fn guide(app: &TestApp, lang: &str, body: &Value) -> (StatusCode, Value) {
    app.send(json_req(
        Method::POST,
        &format!("/api/v1/guide/evaluate?tenant=t1&lang={lang}"),
        None,
        body,
    ))
    .await
}

async fn publish_local(app: &TestApp, token: &str) {
    publish(app, token, LOCAL).await;
}

async fn publish(app: &TestApp, token: &str, rules: &'static str) {
    let request = Request::builder()
        .method(Method::PUT)
        .uri("/api/v1/admin/navigation-rules")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Body::from(rules))
        .expect("request");
    let (s, v) = app.send(request).await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
}

/// The compiled-in Vietnamese name of a standard procedure, if the translation has one.
fn vi_name(code: &str) -> Option<String> {
    let standard = Catalog::standard().expect("catalogue");
    let all = i18n::standard(&standard).expect("translations");
    all.get("vi")?.procedures.get(code)?.name.clone()
}

/// The compiled-in Vietnamese translation of a standard reason.
fn vi_reason(japanese: &str) -> String {
    let standard = Catalog::standard().expect("catalogue");
    let all = i18n::standard(&standard).expect("translations");
    all.get("vi")
        .and_then(|t| t.reasons.get(japanese))
        .cloned()
        .unwrap_or_else(|| panic!("no Vietnamese for {japanese}"))
}

fn find<'a>(v: &'a Value, code: &str) -> &'a Value {
    v["procedures"]
        .as_array()
        .expect("procedures")
        .iter()
        .find(|p| p["code"] == code)
        .unwrap_or_else(|| panic!("{code} in {v}"))
}

fn japanese(p: &Value) -> Vec<&str> {
    p["japanese"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn the_guide_in_vietnamese_translates_or_marks_every_text() {
    let app = TestApp::new();
    let (s, ja) = guide(&app, "ja", &single(json!({}))).await;
    assert_eq!(s, StatusCode::OK, "{ja}");
    assert!(
        japanese(find(&ja, "JUKI-TENNYU")).is_empty(),
        "nothing is a fallback in Japanese"
    );
    let (s, vi) = guide(&app, "vi", &single(json!({}))).await;
    assert_eq!(s, StatusCode::OK, "{vi}");
    let tennyu = find(&vi, "JUKI-TENNYU");
    match vi_name("JUKI-TENNYU") {
        Some(name) => {
            assert_eq!(tennyu["name"], name.as_str());
            assert!(!japanese(tennyu).contains(&"name"));
        }
        None => {
            assert_eq!(tennyu["name"], find(&ja, "JUKI-TENNYU")["name"]);
            assert!(japanese(tennyu).contains(&"name"), "{tennyu}");
        }
    }
    // The rule's reason is the standard one: translated, not named.
    let reason = vi_reason("市外から引っ越してきたため");
    assert_ne!(reason, "市外から引っ越してきたため");
    assert_eq!(tennyu["reasons"], json!([reason]), "{tennyu}");
    assert!(!japanese(tennyu).contains(&"reasons"), "{tennyu}");
    // Every procedure is either translated or says which fields are Japanese.
    for (p, pj) in vi["procedures"]
        .as_array()
        .expect("p")
        .iter()
        .zip(ja["procedures"].as_array().expect("p"))
    {
        assert_eq!(p["code"], pj["code"]);
        if p["name"] == pj["name"] {
            assert!(japanese(p).contains(&"name"), "{p}");
        }
    }
}

#[tokio::test]
async fn a_tenant_procedure_falls_back_visibly_and_answers_stay_japanese() {
    let app = TestApp::new();
    let admin = app.login("t1").await;
    publish_local(&app, &admin).await;
    let (s, v) = guide(&app, "en", &single(json!({}))).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let q = v["next_questions"]
        .as_array()
        .expect("questions")
        .iter()
        .find(|q| q["id"] == "local_bag_size")
        .unwrap_or_else(|| panic!("asked: {v}"))
        .clone();
    assert_eq!(q["text"], "ごみ袋の大きさはどれにしますか");
    assert_eq!(
        q["options"],
        json!(["大", "小"]),
        "the values stay Japanese"
    );
    assert_eq!(
        q["option_labels"],
        json!(["大", "小"]),
        "no translation: the Japanese labels"
    );
    assert_eq!(japanese(&q), vec!["text", "options"]);
    // The answer is the Japanese option, whatever the language.
    let (s, v) = guide(&app, "en", &single(json!({"local_bag_size": "大"}))).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let local = find(&v, "LOCAL-GOMI-BUKURO");
    assert_eq!(local["name"], "指定ごみ袋の配布");
    assert_eq!(
        japanese(local),
        vec!["name", "department", "counter", "explanation", "reasons"]
    );
    assert_eq!(
        v["answered"][0]["japanese"],
        json!(["text", "options"]),
        "{v}"
    );

    // The kiosk's evaluation takes the same `lang`.
    let (s, v) = app
        .send(json_req(
            Method::POST,
            "/api/v1/navigation/evaluate?lang=ko",
            Some(&admin),
            &single(json!({"local_bag_size": "大"})),
        ))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(japanese(find(&v, "LOCAL-GOMI-BUKURO"))[0], "name");

    // The administrator's list: the tenant's own procedure and question, in every language.
    let (s, gaps) = app
        .send(get("/api/v1/admin/navigation/translations", &admin))
        .await;
    assert_eq!(s, StatusCode::OK, "{gaps}");
    let languages = gaps["languages"].as_array().expect("languages");
    assert_eq!(languages.len(), 9);
    for l in languages {
        let missing: Vec<&str> = l["missing"]
            .as_array()
            .expect("m")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert!(
            missing.contains(
                &"procedure LOCAL-GOMI-BUKURO: name, department, counter, explanation, reasons"
            ),
            "{l}"
        );
        assert!(
            missing.contains(&"question local_bag_size: text, options"),
            "{l}"
        );
    }
}

#[tokio::test]
async fn a_reason_is_translated_while_standard_and_a_reworded_one_stays_japanese_and_marked() {
    let app = TestApp::new();
    let admin = app.login("t1").await;
    publish(&app, &admin, LOCAL_REASONS).await;
    let kiosk = |lang: &'static str| {
        json_req(
            Method::POST,
            &format!("/api/v1/navigation/evaluate?lang={lang}"),
            Some(&admin),
            &single(json!({})),
        )
    };
    let (s, ja) = app.send(kiosk("ja")).await;
    assert_eq!(s, StatusCode::OK, "{ja}");
    let local = find(&ja, "LOCAL-SEIKATSU-GUIDE");
    assert_eq!(
        local["reasons"],
        json!([
            "市外から引っ越してきたため",
            "市外から引っ越してこられたため"
        ])
    );
    assert!(
        japanese(local).is_empty(),
        "nothing is a fallback in Japanese"
    );

    let (s, vi) = app.send(kiosk("vi")).await;
    assert_eq!(s, StatusCode::OK, "{vi}");
    let reason = vi_reason("市外から引っ越してきたため");
    // The standard procedure's reason: translated, and the view names nothing about reasons.
    let tennyu = find(&vi, "JUKI-TENNYU");
    assert_eq!(tennyu["reasons"], json!([reason.as_str()]));
    assert!(!japanese(tennyu).contains(&"reasons"), "{tennyu}");
    // The city's procedure: the standard text is translated, the reworded one stays Japanese, and
    // `reasons` is named so that the screens mark it.
    let local = find(&vi, "LOCAL-SEIKATSU-GUIDE");
    assert_eq!(
        local["reasons"],
        json!([reason.as_str(), "市外から引っ越してこられたため"])
    );
    assert!(japanese(local).contains(&"reasons"), "{local}");

    // The administrator's list names the procedure's reasons, and no standard procedure's.
    let (s, gaps) = app
        .send(get("/api/v1/admin/navigation/translations", &admin))
        .await;
    assert_eq!(s, StatusCode::OK, "{gaps}");
    let vi_gaps = gaps["languages"]
        .as_array()
        .expect("languages")
        .iter()
        .find(|l| l["lang"] == "vi")
        .expect("vi")["missing"]
        .clone();
    assert_eq!(
        vi_gaps,
        json!(["procedure LOCAL-SEIKATSU-GUIDE: name, department, counter, explanation, reasons"])
    );
}

#[tokio::test]
async fn an_unknown_language_is_refused_in_japanese() {
    let app = TestApp::new();
    let (s, v) = guide(&app, "xx", &single(json!({}))).await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_lang")),
        "{v}"
    );
    assert!(
        v["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("言語は"))
    );
}
