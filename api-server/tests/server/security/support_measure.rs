//! Security II, points 1–5 and 8: a 支援措置 address reaches no one who may not see it, by any path.
//! Resident 8 (household 400, さくら野ハイツ201号) is under 支援措置 in the test city.

use std::collections::{BTreeMap, BTreeSet};

use madoguchi_server::privacy::{
    ADDRESS_SCHEMAS, Handling, MASKED, is_address_key, unmasked_addresses,
};
use utoipa::OpenApi;

use super::*;

/// A clerk who may search, accept notifications and print, but not override 支援措置.
fn clerk(app: &TestApp) {
    user_with(
        app.store.as_ref(),
        "t1",
        "clerk",
        PermissionSet::parse("search,accept_notification,print_forms").expect("p"),
    );
}

async fn search_body(app: &TestApp, token: &str, query: &str) -> Value {
    let (s, v) = app
        .send(get(&format!("/api/v1/residents?{query}"), token))
        .await;
    assert_eq!(s, StatusCode::OK, "{query}: {v}");
    v
}

#[tokio::test]
async fn point_01_address_search_is_no_oracle_for_protected_households() {
    let app = app();
    // A second member of the protected household, not flagged themselves, and a 仮支援措置 household.
    let text = csv(&[
        row(
            21,
            400,
            &[
                ("氏名", "渡邉\u{3000}はると"),
                ("続柄表記", "子"),
                ("住所_方書", "さくら野ハイツ201号"),
            ],
        ),
        row(
            22,
            2200,
            &[
                ("氏名", "小林\u{3000}明美"),
                ("仮支援措置", "1"),
                ("住所_方書", "もみじ荘3号"),
            ],
        ),
    ]);
    let r = import_residents(
        app.store.as_ref(),
        &t("t1"),
        text.as_bytes(),
        &options(ImportMode::Delta, text.as_bytes()),
    )
    .expect("import");
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    clerk(&app);
    let clerk = app.login_as("t1", "clerk", "1").await;

    for (person, right, wrong) in [
        (atena(8), "さくら野ハイツ", "みどり荘"),
        (atena(21), "さくら野ハイツ201", "さくら野ハイツ301"),
        (atena(22), "もみじ荘", "さくら荘"),
    ] {
        let right_answer =
            search_body(&app, &clerk, &format!("q={person}&address={}", enc(right))).await;
        let wrong_answer =
            search_body(&app, &clerk, &format!("q={person}&address={}", enc(wrong))).await;
        assert_eq!(
            right_answer, wrong_answer,
            "{person}: a right guess answers like a wrong one"
        );
        assert_eq!(right_answer["count"], json!(0), "{right_answer}");
        // Character by character: every prefix of the address answers the same.
        for n in 1..=right.chars().count() {
            let prefix: String = right.chars().take(n).collect();
            let v = search_body(
                &app,
                &clerk,
                &format!("q={person}&address={}", enc(&prefix)),
            )
            .await;
            assert_eq!(v["count"], json!(0), "{person} {prefix}");
        }
    }
    // The address alone finds no one of a protected household either; others are found as before.
    let v = search_body(&app, &clerk, &format!("address={}", enc("さくら野ハイツ"))).await;
    assert_eq!(v["count"], json!(0), "{v}");
    let v = search_body(&app, &clerk, &format!("address={}", enc("100番地"))).await;
    assert!(v["count"].as_u64().is_some_and(|n| n >= 1), "{v}");
    // Without an address the protected resident is found (masked), as the counter needs.
    let v = search_body(&app, &clerk, &format!("q={}", atena(8))).await;
    assert_eq!(
        (v["count"].clone(), v["results"][0]["address"].clone()),
        (json!(1), Value::Null)
    );

    // The override lets the address match (the result itself stays masked).
    let staff = app.login_as("t1", "staff", "1").await;
    let v = search_body(
        &app,
        &staff,
        &format!("q={}&address={}", atena(8), enc("さくら野ハイツ")),
    )
    .await;
    assert_eq!(
        (v["count"].clone(), v["results"][0]["address"].clone()),
        (json!(1), Value::Null),
        "{v}"
    );

    // Each search names its text by a keyed digest: the same text the same digest, another another.
    let digests: Vec<String> = recent_audit(app.store.as_ref(), &t("t1"))
        .into_iter()
        .filter(|r| r.event.action == "resident.search" && r.event.user.as_deref() == Some("clerk"))
        .map(|r| {
            r.event
                .subject
                .unwrap_or_default()
                .split(' ')
                .next()
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    assert!(
        digests.iter().all(|d| d.starts_with("query:")),
        "{digests:?}"
    );
    assert_ne!(
        digests[0], digests[1],
        "right and wrong guesses are told apart in the audit"
    );
    let again = search_body(
        &app,
        &clerk,
        &format!("q={}&address={}", atena(8), enc("さくら野ハイツ")),
    )
    .await;
    assert_eq!(again["count"], json!(0));
    let last = recent_audit(app.store.as_ref(), &t("t1"))
        .into_iter()
        .rfind(|r| r.event.action == "resident.search")
        .and_then(|r| r.event.subject)
        .expect("audited");
    assert!(last.starts_with(&digests[0]), "{last} vs {}", digests[0]);
    assert!(
        !last.contains("ハイツ"),
        "the text itself is not in the audit log"
    );
}

/// A case about resident 8 with the address of her card, her old and her new address.
fn protected_case() -> Value {
    let mut doc = case_document(&atena(8), "渡邉\u{3000}さくら");
    doc["visitor"]["card"] = json!({"name": "渡邉 さくら", "address": "群馬県さくら野市本町400番地さくら野ハイツ201号", "birth": "1990-05-05", "sex": "女"});
    doc["notifications"][0]["old_address"] =
        json!("群馬県さくら野市本町400番地さくら野ハイツ201号");
    doc["notifications"][0]["new_address"] = json!({"town": "緑町", "banchi": "7番8号", "katagaki": "みどり荘5号", "full": "群馬県さくら野市緑町7番8号"});
    doc
}

fn save(write_id: &str, revision: Option<i64>, document: &Value) -> Value {
    json!({"write_id": write_id, "revision": revision, "status": "open", "document": document})
}

const SECRETS: [&str; 4] = ["さくら野ハイツ", "緑町", "みどり荘", "400番地"];

fn assert_masked(v: &Value) {
    let text = v.to_string();
    for s in SECRETS {
        assert!(!text.contains(s), "{s} leaked: {text}");
    }
    assert_eq!(unmasked_addresses(v), Vec::<String>::new(), "{v}");
}

#[tokio::test]
async fn point_02_cases_mask_protected_addresses_on_every_read() {
    let app = app();
    clerk(&app);
    let clerk = app.login_as("t1", "clerk", "1").await;
    let staff = app.login_as("t1", "staff", "1").await;
    let doc = protected_case();
    let put = |token: &str, body: Value| {
        json_req(
            Method::PUT,
            "/api/v1/cases/case-prot-0001",
            Some(token),
            &body,
        )
    };

    // The save's own answer is masked.
    let (s, saved) = app.send(put(&clerk, save("w-prot-0001", None, &doc))).await;
    assert_eq!(s, StatusCode::OK, "{saved}");
    assert_eq!(saved["address_masked"], json!(true));
    assert_masked(&saved);
    assert_eq!(
        saved["document"]["notifications"][0]["old_address"],
        json!(MASKED)
    );
    // So is a replayed save (same write id), a read, and the read of a staff member with the override.
    let (_, replay) = app.send(put(&clerk, save("w-prot-0001", None, &doc))).await;
    assert_masked(&replay);
    for token in [&clerk, &staff] {
        let (s, v) = app.send(get("/api/v1/cases/case-prot-0001", token)).await;
        assert_eq!(s, StatusCode::OK);
        assert_masked(&v);
    }
    // The case list carries no address at all.
    let (_, list) = app.send(get("/api/v1/cases?staff=clerk", &clerk)).await;
    assert_masked(&list);

    // Saved back as received (masked), the addresses are kept as stored, never overwritten.
    let (_, current) = app.send(get("/api/v1/cases/case-prot-0001", &clerk)).await;
    let mut edited = current["document"].clone();
    edited["memo"] = json!("本人確認済み");
    let (s, v) = app
        .send(put(
            &clerk,
            save("w-prot-0002", current["revision"].as_i64(), &edited),
        ))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_masked(&v);

    // The full document: only with the override, a reason, and an audit record.
    let disclose = |token: &str, reason: &str| {
        json_req(
            Method::POST,
            "/api/v1/cases/case-prot-0001/disclosure",
            Some(token),
            &json!({"reason": reason}),
        )
    };
    let (s, _) = app.send(disclose(&clerk, "本人からの申出による確認")).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) = app.send(disclose(&staff, "  ")).await;
    assert_eq!(
        (s, v["error"]["code"].clone()),
        (StatusCode::BAD_REQUEST, json!("reason_required"))
    );
    let (s, v) = app.send(disclose(&staff, "本人からの申出による確認")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        (v["protected"].clone(), v["case"]["address_masked"].clone()),
        (json!(true), json!(false))
    );
    for k in ["full", "town", "banchi", "katagaki"] {
        assert_eq!(
            v["case"]["document"]["notifications"][0]["new_address"][k],
            doc["notifications"][0]["new_address"][k]
        );
    }
    assert_eq!(
        v["case"]["document"]["visitor"]["card"]["address"],
        doc["visitor"]["card"]["address"]
    );
    assert_eq!(v["case"]["document"]["memo"], json!("本人確認済み"));
    let records = recent_audit(app.store.as_ref(), &t("t1"));
    let d = records
        .iter()
        .rfind(|r| r.event.action == "case.address_disclosure")
        .expect("audited");
    assert_eq!(
        (
            d.event.user.as_deref(),
            d.event.subject.as_deref(),
            d.event.reason.as_deref()
        ),
        (
            Some("staff"),
            Some("case:case-prot-0001"),
            Some("本人からの申出による確認")
        )
    );

    // A case about people who are not protected shows its addresses.
    let (_, open) = app.send(get("/api/v1/cases/case-t1-0001", &clerk)).await;
    assert_eq!(open["address_masked"], json!(false));
    assert!(open.to_string().contains("本町二丁目3番4号"), "{open}");
}

#[tokio::test]
async fn point_04_a_kiosk_cannot_name_residents_and_is_rate_limited() {
    let store = SqliteStore::open_in_memory().expect("store");
    let app = {
        let a = app_on(store);
        let settings = Settings {
            kiosk_cases_per_window: 5,
            ..Settings::default()
        };
        a.restarted(settings)
    };
    user_with(
        app.store.as_ref(),
        "t1",
        "kiosk",
        PermissionSet::parse("kiosk_apply").expect("p"),
    );
    let kiosk = app.login_as("t1", "kiosk", "1").await;
    // The kiosk saves through the terminal's outbox upload.
    let upload = |id: &str, doc: &Value| {
        json_req(
            Method::POST,
            "/api/v1/sync/upload",
            Some(&kiosk),
            &json!({"items": [{"case_id": id, "save": save(&format!("w-{id}"), None, doc)}]}),
        )
    };
    let put = upload;
    // Naming a protected resident, an unprotected one or a number nobody has: one and the same answer.
    let mut answers = BTreeSet::new();
    for (n, who) in [atena(8), atena(1), atena(9999)].iter().enumerate() {
        let (s, v) = app
            .send(put(
                &format!("kiosk-probe-{n:04}"),
                &case_document(who, "山田\u{3000}太郎"),
            ))
            .await;
        let r = &v["results"][0];
        answers.insert(format!(
            "{s} {} {} {}",
            r["outcome"], r["code"], r["message"]
        ));
    }
    assert_eq!(answers.len(), 1, "{answers:?}");
    assert!(
        answers.iter().all(|a| a.contains("kiosk_names_resident")),
        "{answers:?}"
    );

    // Without numbers the kiosk applies, up to its limit per window.
    let mut anonymous = case_document(&atena(1), "山田\u{3000}太郎");
    anonymous["visitor"]["atena_no"] = Value::Null;
    anonymous["notifications"][0]["members"][0]["atena_no"] = Value::Null;
    // The three probes counted too: two more cases fit in the window of five, then none.
    for n in 0..2 {
        let (s, v) = app
            .send(put(&format!("kiosk-case-{n:04}"), &anonymous))
            .await;
        assert_eq!(
            (s, v["results"][0]["outcome"].clone()),
            (StatusCode::OK, json!("applied")),
            "{v}"
        );
    }
    // Over the limit the upload fails as a whole (429): the terminal keeps the item and retries later.
    let (s, v) = app.send(put("kiosk-case-0099", &anonymous)).await;
    assert_eq!(
        (s, v["error"]["code"].clone()),
        (StatusCode::TOO_MANY_REQUESTS, json!("kiosk_rate_limited")),
        "{v}"
    );
    // The staff's own saves are not limited.
    let staff = app.login_as("t1", "staff", "1").await;
    for n in 0..6 {
        let id = format!("staff-case-{n:04}");
        let body = save(
            &format!("w-{id}"),
            None,
            &case_document(&atena(1), "髙橋\u{3000}太郎"),
        );
        let (s, _) = app
            .send(json_req(
                Method::PUT,
                &format!("/api/v1/cases/{id}"),
                Some(&staff),
                &body,
            ))
            .await;
        assert_eq!(s, StatusCode::OK);
    }
}

/// Schemas a response reaches, following `$ref`s.
fn reachable(schemas: &serde_json::Map<String, Value>, from: &Value, out: &mut BTreeSet<String>) {
    match from {
        Value::Object(o) => {
            if let Some(Value::String(r)) = o.get("$ref") {
                let name = r.rsplit('/').next().unwrap_or_default().to_owned();
                if out.insert(name.clone())
                    && let Some(s) = schemas.get(&name)
                {
                    reachable(schemas, s, out);
                }
            }
            for v in o.values() {
                reachable(schemas, v, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|v| reachable(schemas, v, out)),
        _ => {}
    }
}

/// The schemas one schema names itself (not following them).
fn direct_refs(v: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(o) => {
                if let Some(Value::String(r)) = o.get("$ref") {
                    out.push(r.rsplit('/').next().unwrap_or_default().to_owned());
                }
                stack.extend(o.values());
            }
            Value::Array(a) => stack.extend(a),
            _ => {}
        }
    }
    out
}

#[test]
fn point_05_every_address_field_of_the_api_passes_the_one_gate() {
    let doc = serde_json::to_value(madoguchi_server::api::ApiDoc::openapi()).expect("openapi");
    let schemas = doc["components"]["schemas"]
        .as_object()
        .expect("schemas")
        .clone();
    let declared: BTreeMap<&str, Handling> = ADDRESS_SCHEMAS.iter().copied().collect();
    // Every schema with an address-like field is declared: masked by the gate, part of one, or exempt
    // for a stated reason.
    let mut with_address = BTreeSet::new();
    for (name, schema) in &schemas {
        let props = schema["properties"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        if props.keys().any(|k| is_address_key(k)) {
            with_address.insert(name.clone());
            assert!(
                declared.contains_key(name.as_str()),
                "schema {name} has an address field but is not declared in privacy::ADDRESS_SCHEMAS"
            );
        }
    }
    for (name, _) in ADDRESS_SCHEMAS {
        let mut reached = BTreeSet::from([name.to_string()]);
        reachable(&schemas, &schemas[*name], &mut reached);
        assert!(
            reached.iter().any(|r| with_address.contains(r)),
            "{name} is declared but reaches no address field (stale entry)"
        );
    }
    // Every response that reaches an address passes the gate (or is a declared exemption).
    let mut checked = 0;
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("operation") {
            for (status, response) in op["responses"].as_object().cloned().unwrap_or_default() {
                let mut roots = BTreeSet::new();
                reachable(&schemas, &response, &mut roots);
                let top: BTreeSet<String> = {
                    let mut direct = BTreeSet::new();
                    // The response's own schemas: those its content names directly (arrays included).
                    for c in response["content"]
                        .as_object()
                        .into_iter()
                        .flat_map(|c| c.values())
                    {
                        let s = &c["schema"];
                        let r = s["$ref"].as_str().or_else(|| s["items"]["$ref"].as_str());
                        if let Some(r) = r {
                            direct.insert(r.rsplit('/').next().unwrap_or_default().to_owned());
                        }
                    }
                    direct
                };
                if !roots.iter().any(|r| with_address.contains(r)) {
                    continue;
                }
                checked += 1;
                // Every way from the response to an address field passes a gated (or exempt) type.
                let mut stack: Vec<String> = top.into_iter().collect();
                let mut seen = BTreeSet::new();
                while let Some(name) = stack.pop() {
                    if !seen.insert(name.clone()) {
                        continue;
                    }
                    if matches!(
                        declared.get(name.as_str()),
                        Some(Handling::Gated | Handling::Exempt(_))
                    ) {
                        continue;
                    }
                    assert!(
                        !with_address.contains(&name),
                        "{method} {path} {status} reaches the address fields of {name} without passing the gate"
                    );
                    if let Some(s) = schemas.get(&name) {
                        stack.extend(direct_refs(s));
                    }
                }
            }
        }
    }
    assert!(
        checked >= 5,
        "the walk found the address-bearing responses ({checked})"
    );
}

#[tokio::test]
async fn point_05_no_read_route_shows_a_protected_address_without_the_override() {
    let app = app();
    seed_case(app.store.as_ref(), "t1", "case-t1-0008", &atena(8));
    // The seeded case names resident 8 with a 転居 from 本町一丁目 to 本町二丁目3番4号.
    clerk(&app);
    let clerk = app.login_as("t1", "clerk", "1").await;
    let reads = [
        format!("/api/v1/residents?q={}", atena(8)),
        format!("/api/v1/residents?q={}", enc("ワタナベ")),
        format!("/api/v1/residents?q={}", enc("渡邉")),
        "/api/v1/residents?birth=1990-05-05".to_owned(),
        format!("/api/v1/residents/{}", atena(8)),
        format!("/api/v1/households/{}", atena(400)),
        "/api/v1/cases/case-t1-0008".to_owned(),
        "/api/v1/cases?staff=staff".to_owned(),
    ];
    for uri in reads {
        let (s, v) = app.send(get(&uri, &clerk)).await;
        assert_eq!(s, StatusCode::OK, "{uri}: {v}");
        let text = v.to_string();
        for secret in [
            "さくら野ハイツ",
            "400番地",
            "本町二丁目3番4号",
            "本町一丁目1番1号",
        ] {
            assert!(!text.contains(secret), "{uri} leaked {secret}: {text}");
        }
        assert_eq!(unmasked_addresses(&v), Vec::<String>::new(), "{uri}");
    }
}

#[tokio::test]
async fn point_08_reads_and_denials_inside_handlers_are_audited() {
    let app = app();
    clerk(&app);
    user_with(
        app.store.as_ref(),
        "t1",
        "kiosk",
        PermissionSet::parse("kiosk_apply").expect("p"),
    );
    let clerk = app.login_as("t1", "clerk", "1").await;
    // The case list names the cases it showed.
    let (_, list) = app.send(get("/api/v1/cases?staff=staff", &clerk)).await;
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    let last = |action: &str| {
        recent_audit(app.store.as_ref(), &t("t1"))
            .into_iter()
            .rfind(|r| r.event.action == action)
            .map(|r| (r.event.subject.unwrap_or_default(), r.event.result))
    };
    assert_eq!(
        last("case.list"),
        Some(("case:case-t1-0001".to_owned(), "ok:1".to_owned()))
    );
    // A replayed save answers the stored case: a read, audited.
    let doc = case_document(&atena(1), "髙橋\u{3000}太郎");
    let body = save("w-replay-0001", None, &doc);
    for _ in 0..2 {
        let (s, _) = app
            .send(json_req(
                Method::PUT,
                "/api/v1/cases/case-t1-0777",
                Some(&clerk),
                &body,
            ))
            .await;
        assert_eq!(s, StatusCode::OK);
    }
    assert_eq!(
        last("case.read"),
        Some(("case:case-t1-0777".to_owned(), "replayed_save".to_owned()))
    );
    // (A QR resolve names the case it opened: tests/server/cases.rs, where a printed code is scanned.)
    // A denial raised inside a handler (a kiosk account changing a case through its upload) is audited
    // like the guard's.
    let kiosk = app.login_as("t1", "kiosk", "1").await;
    let mut anonymous = doc.clone();
    anonymous["visitor"]["atena_no"] = Value::Null;
    anonymous["notifications"][0]["members"][0]["atena_no"] = Value::Null;
    let upload = json!({"items": [{"case_id": "case-t1-0001", "save": save("w-kiosk-0009", Some(1), &anonymous)}]});
    let (s, v) = app
        .send(json_req(
            Method::POST,
            "/api/v1/sync/upload",
            Some(&kiosk),
            &upload,
        ))
        .await;
    assert_eq!(
        (s, v["results"][0]["outcome"].clone()),
        (StatusCode::OK, json!("rejected")),
        "{v}"
    );
    let denial = recent_audit(app.store.as_ref(), &t("t1"))
        .into_iter()
        .rfind(|r| r.event.action == "permission_denied")
        .expect("audited");
    assert_eq!(
        (
            denial.event.user.as_deref(),
            denial.event.subject.as_deref(),
            denial.event.result.as_str()
        ),
        (
            Some("kiosk"),
            Some("POST /api/v1/sync/upload case:case-t1-0001"),
            "denied:forbidden"
        )
    );
    // …and so is one answered as a 403 by a handler behind the guard (a kiosk asking for fees it may
    // read only as a certificate clerk is allowed; a 窓口 without 証明書 asking for them is not).
    user_with(
        app.store.as_ref(),
        "t1",
        "reader",
        PermissionSet::parse("search").expect("p"),
    );
    let reader = app.login_as("t1", "reader", "1").await;
    let (s, _) = app
        .send(get("/api/v1/sync/reference/fees?limit=10", &reader))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let denial = recent_audit(app.store.as_ref(), &t("t1"))
        .into_iter()
        .rfind(|r| r.event.action == "permission_denied")
        .expect("audited");
    assert_eq!(
        (
            denial.event.user.as_deref(),
            denial.event.subject.as_deref(),
            denial.event.result.as_str()
        ),
        (
            Some("reader"),
            Some("GET /api/v1/sync/reference/{kind}"),
            "denied:forbidden"
        )
    );
    // A 支援措置 print refused by the handler is audited once, by the handler, with its reason.
    let before = recent_audit(app.store.as_ref(), &t("t1")).len();
    let (s, _) = app
        .send(json_req(
            Method::POST,
            "/api/v1/forms/print",
            Some(&clerk),
            &print_body(&[&atena(8)], None),
        ))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let added: Vec<String> = recent_audit(app.store.as_ref(), &t("t1"))[before..]
        .iter()
        .map(|r| format!("{} {}", r.event.action, r.event.result))
        .collect();
    assert_eq!(added, ["form.print refused_support_measure"]);
}
