use super::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

fn standard() -> Catalog {
    Catalog::standard().expect("standard catalogue")
}

fn bicycle(when: &str) -> LocalProcedure {
    LocalProcedure {
        code: "SAKURA-JITENSHA".into(),
        name: "自転車駐車場の登録".into(),
        department: "交通政策課".into(),
        counter: "交通政策課 窓口".into(),
        on_the_spot: false,
        guidance: "駐輪場の定期利用の住所変更。".into(),
        legal_basis: "さくら野市自転車駐車場条例".into(),
        explanation: "駐輪場を定期利用している方は住所の変更が必要です。".into(),
        bring: vec!["定期利用証".into()],
        forms: Vec::new(),
        pamphlets: Vec::new(),
        permission: "accept_notification".into(),
        valid_from: d("2000-01-01"),
        valid_until: None,
        rules: vec![LocalRule {
            when: when.into(),
            reason: "駐輪場を定期利用しているため".into(),
        }],
    }
}

fn draft(when: &str) -> LocalCatalog {
    LocalCatalog {
        questions: vec![Question {
            id: "uses_bicycle_parking".into(),
            text: "市の駐輪場を定期利用していますか".into(),
            kind: QuestionKind::YesNo,
            options: Vec::new(),
        }],
        procedures: vec![bicycle(when)],
        examples: vec![LocalExample {
            name: "駐輪場を使う人の転居".into(),
            event: "転居".into(),
            detail: String::new(),
            date: d("2027-01-10"),
            expect: vec!["SAKURA-JITENSHA".into()],
            expect_not: Vec::new(),
            expect_questions: None,
            answers: [("uses_bicycle_parking".to_owned(), Answer::YesNo(true))].into(),
            before: Vec::new(),
            after: vec![MemberInput {
                birth: d("1990-04-01"),
                relation: "世帯主".into(),
                mover: true,
                ..MemberInput::default()
            }],
        }],
    }
}

const RULE: &str = r#"event.kind in ["転入", "転居"] and answer("uses_bicycle_parking")"#;

#[test]
fn every_standard_file_reads_as_a_city_catalogue_and_back() {
    for (name, text) in STANDARD_FILES {
        let file = LocalCatalog::from_toml(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let again = LocalCatalog::from_toml(&file.to_toml()).expect("round trip");
        assert_eq!(file, again, "{name}");
    }
}

#[test]
fn a_good_draft_has_no_problem_and_its_example_holds() {
    let report = check(&draft(RULE), &standard());
    assert_eq!(report.problems, Vec::new());
    assert_eq!(report.examples.len(), 1);
    assert!(report.examples[0].passed, "{:?}", report.examples[0]);
    assert!(
        report.examples[0]
            .found
            .contains(&"SAKURA-JITENSHA".to_owned())
    );
    assert!(report.ok());
}

#[test]
fn a_rule_that_does_not_parse_is_reported_with_its_position() {
    let report = check(
        &draft(r#"event.kind == "転居" and answer("uses_bicycle_parking""#),
        &standard(),
    );
    let p = &report.problems[0];
    assert_eq!(
        (p.procedure, p.rule, p.field.as_str()),
        (Some(0), Some(0), "when")
    );
    assert!(p.offset.is_some());
    assert!(!report.ok());
    let unknown = check(&draft(r#"answer("no_such_question")"#), &standard());
    assert!(
        unknown.problems[0].message.contains("no_such_question"),
        "{:?}",
        unknown.problems
    );
    assert_eq!(unknown.problems[0].offset, Some(7));
}

#[test]
fn fields_are_checked_one_by_one() {
    let mut bad = draft(RULE);
    bad.procedures[0].code = "JUMIN-IDO".into();
    bad.procedures[0].permission = "nothing".into();
    bad.procedures[0].valid_until = Some(d("1999-01-01"));
    bad.procedures[0].rules[0].reason.clear();
    let fields: Vec<String> = check(&bad, &standard())
        .problems
        .into_iter()
        .map(|p| p.field)
        .collect();
    let standard_code = standard().procedures[0].code.clone();
    bad.procedures[0].code = standard_code;
    let again = check(&bad, &standard());
    assert!(
        again
            .problems
            .iter()
            .any(|p| p.field == "code" && p.message.contains("標準"))
    );
    for f in ["permission", "valid_until", "reason"] {
        assert!(fields.iter().any(|x| x == f), "{f} in {fields:?}");
    }
}

#[test]
fn a_failing_example_shows_what_was_found() {
    let report = check(
        &draft(r#"event.kind == "転入" and answer("uses_bicycle_parking")"#),
        &standard(),
    );
    assert!(report.problems.is_empty());
    let e = &report.examples[0];
    assert!(!e.passed);
    assert_eq!(e.missing, vec!["SAKURA-JITENSHA".to_owned()]);
    assert!(!report.ok());
}

#[test]
fn published_from_a_date_the_evaluation_changes_on_that_date() {
    let published = publish(&LocalCatalog::default(), &draft(RULE), d("2026-12-08"));
    let catalog = published.load().expect("loads");
    let on = |date: &str| {
        let mut e = draft(RULE).examples[0].clone();
        e.date = d(date);
        run_example(&catalog, &e)
            .found
            .contains(&"SAKURA-JITENSHA".to_owned())
    };
    assert!(!on("2026-12-07"));
    assert!(on("2026-12-08"));
    // Changed from 2027-01-01: both versions load; each date finds its own.
    let mut changed = draft_of(&published, d("2026-12-10"));
    changed.procedures[0].name = "駐輪場の定期利用登録".into();
    let again = publish(&published, &changed, d("2027-01-01"));
    let catalog = again.load().expect("two versions load");
    let name_on = |date: &str| {
        catalog
            .in_force(d(date))
            .find(|p| p.code == "SAKURA-JITENSHA")
            .map(|p| p.name.clone())
    };
    assert_eq!(name_on("2026-12-31").as_deref(), Some("自転車駐車場の登録"));
    assert_eq!(
        name_on("2027-01-01").as_deref(),
        Some("駐輪場の定期利用登録")
    );
    // Unchanged, publishing again changes nothing; removed, it ends on the date.
    assert_eq!(
        publish(&again, &draft_of(&again, d("2027-02-01")), d("2027-03-01")),
        again
    );
    let removed = publish(&again, &LocalCatalog::default(), d("2027-04-01"));
    assert!(
        removed
            .load()
            .expect("loads")
            .in_force(d("2027-04-01"))
            .all(|p| p.code != "SAKURA-JITENSHA")
    );
}

#[test]
fn overlapping_versions_of_one_code_are_refused() {
    let mut two = draft(RULE);
    two.procedures.push(bicycle(RULE));
    two.procedures[1].valid_from = d("2026-01-01");
    assert!(two.load().is_err());
    two.procedures[0].valid_until = Some(d("2026-01-01"));
    assert!(two.load().is_ok());
}

#[test]
fn the_diff_names_what_changes_against_what_is_in_force() {
    let published = publish(&LocalCatalog::default(), &draft(RULE), d("2026-12-01"));
    let mut next = draft_of(&published, d("2026-12-07"));
    next.procedures[0].bring.push("本人確認書類".into());
    let lines = diff(&published, &next, d("2026-12-07"));
    assert_eq!(lines.len(), 1);
    assert_eq!(
        (lines[0].change.as_str(), lines[0].field.as_str()),
        ("changed", "bring")
    );
    assert!(lines[0].after.contains("本人確認書類"));
    let gone = diff(&published, &LocalCatalog::default(), d("2026-12-07"));
    assert_eq!(gone[0].change, "removed");
    let new = diff(&LocalCatalog::default(), &next, d("2026-12-07"));
    assert_eq!(new[0].change, "added");
}
