use super::*;

fn standard() -> Catalog {
    Catalog::standard().unwrap_or_else(|e| panic!("standard catalogue: {e}"))
}

/// Every example case of every catalogue file: the expected procedures are found, the excluded ones
/// are not, each found one has a reason, and (where given) exactly the expected questions are asked.
#[test]
fn every_catalogue_example_holds() {
    let catalog = standard();
    assert!(
        catalog.examples.len() >= 40,
        "{} examples",
        catalog.examples.len()
    );
    let mut failures = Vec::new();
    for ex in &catalog.examples {
        let out = evaluate(&catalog, &ex.input);
        let codes: Vec<&str> = out
            .procedures
            .iter()
            .map(|n| n.procedure.code.as_str())
            .collect();
        for want in &ex.expect {
            if !codes.contains(&want.as_str()) {
                failures.push(format!(
                    "{} / {}: missing {want} (got {codes:?})",
                    ex.file, ex.name
                ));
            }
        }
        for not in &ex.expect_not {
            if codes.contains(&not.as_str()) {
                failures.push(format!("{} / {}: unexpected {not}", ex.file, ex.name));
            }
        }
        for n in &out.procedures {
            if n.reasons.is_empty() {
                failures.push(format!(
                    "{} / {}: {} without a reason",
                    ex.file, ex.name, n.procedure.code
                ));
            }
        }
        if let Some(qs) = &ex.expect_questions {
            let got: Vec<&str> = out.next_questions.iter().map(|q| q.id.as_str()).collect();
            if got != qs.iter().map(String::as_str).collect::<Vec<_>>() {
                failures.push(format!(
                    "{} / {}: questions {got:?}, expected {qs:?}",
                    ex.file, ex.name
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn examples_and_codes_refer_to_existing_procedures() {
    let catalog = standard();
    let codes: BTreeSet<&str> = catalog.procedures.iter().map(|p| p.code.as_str()).collect();
    for ex in &catalog.examples {
        for c in ex.expect.iter().chain(&ex.expect_not) {
            assert!(
                codes.contains(c.as_str()),
                "{} / {}: no procedure {c}",
                ex.file,
                ex.name
            );
        }
    }
    assert!(
        catalog.procedures.len() >= 60,
        "{} procedures",
        catalog.procedures.len()
    );
}

#[test]
fn results_are_grouped_by_counter_with_reasons() {
    let catalog = standard();
    let ex = catalog
        .examples
        .iter()
        .find(|e| e.name.starts_with("4人家族"))
        .expect("example");
    let out = evaluate(&catalog, &ex.input);
    let counters: Vec<&str> = out
        .procedures
        .iter()
        .map(|n| n.procedure.counter.as_str())
        .collect();
    // Once a counter's group ends, it never comes back.
    let mut seen: Vec<&str> = Vec::new();
    for c in &counters {
        if seen.last() != Some(c) {
            assert!(!seen.contains(c), "{counters:?}");
            seen.push(c);
        }
    }
    let jidou = out
        .procedures
        .iter()
        .find(|n| n.procedure.code == "JIDOU-TEATE-NINTEI")
        .expect("児童手当");
    assert_eq!(jidou.reasons, ["高校生年代までのお子さんがいるため"]);
}

#[test]
fn a_procedure_ends_on_its_date() {
    let mut catalog = standard();
    let p = catalog
        .procedures
        .iter_mut()
        .find(|p| p.code == "SUIDOU")
        .expect("procedure");
    p.valid_until = NaiveDate::from_ymd_opt(2026, 4, 1);
    let input = Input {
        event: "転居".into(),
        date: NaiveDate::from_ymd_opt(2026, 11, 20).expect("date"),
        after: vec![MemberInput {
            birth: NaiveDate::from_ymd_opt(1980, 1, 1).expect("date"),
            mover: true,
            ..MemberInput::default()
        }],
        ..Input::default()
    };
    let out = evaluate(&catalog, &input);
    assert!(!out.procedures.iter().any(|n| n.procedure.code == "SUIDOU"));
    let mut earlier = input.clone();
    earlier.date = NaiveDate::from_ymd_opt(2026, 3, 31).expect("date");
    let out = evaluate(&catalog, &earlier);
    assert!(out.procedures.iter().any(|n| n.procedure.code == "SUIDOU"));
}

const MINIMAL: &str = r#"
[[questions]]
id = "q"
text = "質問"
kind = "yes_no"

[[procedures]]
code = "A"
name = "A"
department = "課"
counter = "窓口"
on_the_spot = true
guidance = "g"
legal_basis = "l"
explanation = "e"
permission = "accept_notification"
valid_from = "2000-01-01"
[[procedures.rules]]
when = 'event.kind == "転入"'
reason = "r"
"#;

fn load_one(text: &str) -> Result<Catalog, CatalogError> {
    Catalog::load(&[("test.toml", text)])
}

#[test]
fn bad_catalogues_are_refused_with_position() {
    assert!(load_one(MINIMAL).is_ok());
    // (replacement, line, column, why)
    let cases = [
        (
            MINIMAL.replace("code = \"A\"", "code = \"A\"\ncolour = \"red\""),
            "書式",
        ),
        (
            MINIMAL.replace("event.kind == \"転入\"", "event.kind == 3"),
            "型が違う",
        ),
        (
            MINIMAL.replace("event.kind == \"転入\"", "answer(\"nosuch\")"),
            "nosuch",
        ),
        (
            MINIMAL.replace("event.kind == \"転入\"", "any(after, m.height > 3)"),
            "height",
        ),
        (
            MINIMAL.replace("event.kind == \"転入\"", "event.kind"),
            "真偽値",
        ),
        (
            MINIMAL.replace("event.kind == \"転入\"", "selected(\"A\")"),
            "循環",
        ),
        (MINIMAL.replace("accept_notification", "superuser"), "権限"),
    ];
    for (text, why) in cases {
        let e = load_one(&text).expect_err(why);
        assert!(e.reason.contains(why), "{why}: {e}");
    }
    // The position points at the offending character inside the rule.
    let e =
        load_one(&MINIMAL.replace("event.kind == \"転入\"", "event.kind == 3")).expect_err("type");
    let line = MINIMAL
        .lines()
        .position(|l| l.starts_with("when"))
        .expect("when")
        + 1;
    assert_eq!((e.line, e.column), (line, 23), "{e}");
}

#[test]
fn unknown_answers_ask_only_questions_that_matter() {
    let text = MINIMAL.replace(
        "event.kind == \"転入\"",
        "event.kind == \"転入\" and answer(\"q\")",
    );
    let catalog = load_one(&text).expect("catalog");
    let mut input = Input {
        event: "転入".into(),
        date: NaiveDate::from_ymd_opt(2026, 11, 20).expect("date"),
        ..Input::default()
    };
    let out = evaluate(&catalog, &input);
    assert!(out.procedures.is_empty());
    assert_eq!(
        out.next_questions
            .iter()
            .map(|q| q.id.as_str())
            .collect::<Vec<_>>(),
        ["q"]
    );
    // For another event the answer cannot change anything: not asked.
    input.event = "転居".into();
    assert!(evaluate(&catalog, &input).next_questions.is_empty());
    input.event = "転入".into();
    input.answers.insert("q".into(), Answer::YesNo(true));
    let out = evaluate(&catalog, &input);
    assert_eq!(out.procedures.len(), 1);
    assert!(out.next_questions.is_empty());
}

#[test]
fn twins_moving_in_count_as_two() {
    let text = MINIMAL.replace("event.kind == \"転入\"", "count(movers, m.age < 3) >= 2");
    let catalog = load_one(&text).expect("catalog");
    let twin = MemberInput {
        birth: NaiveDate::from_ymd_opt(2025, 5, 5).expect("date"),
        relation: "子".into(),
        mover: true,
        ..MemberInput::default()
    };
    let input = Input {
        event: "転入".into(),
        date: NaiveDate::from_ymd_opt(2026, 11, 20).expect("date"),
        after: vec![twin.clone(), twin.clone()],
        ..Input::default()
    };
    assert_eq!(evaluate(&catalog, &input).procedures.len(), 1);
    // A person leaving (転出) is marked in the household before.
    let out = Input {
        event: "転出".into(),
        before: vec![twin.clone(), twin],
        after: Vec::new(),
        ..input
    };
    assert_eq!(evaluate(&catalog, &out).procedures.len(), 1);
}

#[test]
fn a_request_is_checked_against_the_catalogue_before_evaluation() {
    let c = standard();
    let yes_no = c
        .questions
        .iter()
        .find(|q| q.kind == QuestionKind::YesNo)
        .expect("a yes/no question");
    let input = |event: &str, answers: Vec<(&str, Answer)>| Input {
        event: event.into(),
        date: NaiveDate::from_ymd_opt(2026, 11, 20).expect("date"),
        answers: answers
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
        ..Input::default()
    };
    assert_eq!(
        c.check_input(&input("転入", vec![(&yes_no.id, Answer::YesNo(true))])),
        Ok(())
    );
    assert_eq!(
        c.check_input(&input("引越し", vec![])),
        Err(InputError::UnknownEvent)
    );
    let e = c
        .check_input(&input(
            "転入",
            vec![("no-such-question", Answer::YesNo(true))],
        ))
        .expect_err("unknown");
    assert_eq!(e.code(), "unknown_question");
    assert!(e.message_ja().contains("no-such-question"));
    let e = c
        .check_input(&input(
            "転入",
            vec![(&yes_no.id, Answer::Choice("はい".into()))],
        ))
        .expect_err("wrong kind");
    assert_eq!(e, InputError::InvalidAnswer(yes_no.text.clone()));
}
