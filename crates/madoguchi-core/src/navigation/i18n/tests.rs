use super::*;
use crate::navigation::STANDARD_FILES;

const EXTRA: &str = r#"
[[questions]]
id = "test_choice"
text = "どちらですか"
kind = "choice"
options = ["東", "西"]
"#;

/// A small Vietnamese fixture (the real files live in `data/procedures/i18n/`).
const VI: &str = r#"
[procedures.JUKI-TENNYU]
name = "Thông báo chuyển đến"
department = "Ban Thị dân"
counter = "Quầy đăng ký cư trú"
bring = ["Giấy chứng nhận chuyển đi", "Giấy tờ tùy thân", "Hộ chiếu, thẻ cư trú"]

[questions.inkan_register]
text = "Bạn có đăng ký con dấu không?"

[questions.test_choice]
text = "Hướng nào?"
options = ["Đông", "Tây"]

[reasons]
"市外から引っ越してきたため" = "Vì bạn chuyển đến từ ngoài thành phố"
"お子さんが生まれたため" = "Vì có em bé mới sinh"
"#;

fn standard_with_extra() -> Catalog {
    let mut files: Vec<(&str, &str)> = STANDARD_FILES.to_vec();
    files.push(("extra.toml", EXTRA));
    Catalog::load(&files).expect("catalogue")
}

fn find<'a>(c: &'a Catalog, code: &str) -> &'a Procedure {
    c.procedures
        .iter()
        .find(|p| p.code == code)
        .expect("procedure")
}

#[test]
fn translated_field_by_field_with_the_rest_in_japanese() {
    let c = standard_with_extra();
    let vi = parse("vi.toml", VI).expect("parse");
    assert!(check("vi.toml", &vi, &c).is_empty());
    let p = procedure(find(&c, "JUKI-TENNYU"), &c, Some(&vi));
    assert_eq!(p.name, "Thông báo chuyển đến");
    assert_eq!(p.bring[0], "Giấy chứng nhận chuyển đi");
    // No explanation in the fixture: the Japanese one, said so.
    assert_eq!(p.explanation, find(&c, "JUKI-TENNYU").explanation);
    assert_eq!(p.japanese, vec!["explanation"]);
}

#[test]
fn options_are_labels_in_the_same_order_and_questions_fall_back() {
    let c = standard_with_extra();
    let vi = parse("vi.toml", VI).expect("parse");
    let q = c
        .questions
        .iter()
        .find(|q| q.id == "test_choice")
        .expect("q");
    let t = question(q, &c, Some(&vi));
    assert_eq!(t.text, "Hướng nào?");
    assert_eq!(t.options, vec!["Đông", "Tây"]);
    assert!(t.japanese.is_empty());
    let other = c
        .questions
        .iter()
        .find(|q| q.id == "certificate_needed")
        .expect("q");
    let t = question(other, &c, Some(&vi));
    assert_eq!(t.text, other.text);
    assert_eq!(t.japanese, vec!["text"]);
}

#[test]
fn a_tenant_edited_text_is_japanese_and_listed() {
    let standard = standard_with_extra();
    let mut edited = standard.clone();
    let p = edited
        .procedures
        .iter_mut()
        .find(|p| p.code == "JUKI-TENNYU")
        .expect("p");
    p.name = "転入届（本町）".into();
    let vi = parse("vi.toml", VI).expect("parse");
    let t = procedure(find(&edited, "JUKI-TENNYU"), &standard, Some(&vi));
    assert_eq!(t.name, "転入届（本町）");
    assert_eq!(t.counter, "Quầy đăng ký cư trú");
    assert_eq!(t.japanese, vec!["name", "explanation"]);
    let listed = missing(&edited, &standard, Some(&vi));
    assert!(
        listed.contains(&"procedure JUKI-TENNYU: name, explanation".to_owned()),
        "{listed:?}"
    );
    assert!(!listed.iter().any(|l| l.starts_with("question test_choice")));
}

/// The standard catalogue with one reason reworded, as a tenant's edit.
fn with_reason_edited(from: &str, to: &str) -> Catalog {
    let files: Vec<(&str, String)> = STANDARD_FILES
        .iter()
        .map(|(name, text)| (*name, text.replace(from, to)))
        .collect();
    let refs: Vec<(&str, &str)> = files.iter().map(|(n, t)| (*n, t.as_str())).collect();
    Catalog::load(&refs).expect("edited catalogue")
}

#[test]
fn reasons_are_translated_while_their_text_is_the_standard_one() {
    let standard = standard_with_extra();
    let vi = parse("vi.toml", VI).expect("parse");
    let found = vec![
        "お子さんが生まれたため".to_owned(),
        "ご家族が亡くなったため".to_owned(),
    ];
    let (shown, japanese) = reasons(&found, &standard, Some(&vi));
    assert_eq!(
        shown,
        vec!["Vì có em bé mới sinh", "ご家族が亡くなったため"]
    );
    assert!(japanese, "one left in Japanese");
    let (shown, japanese) = reasons(&found[..1], &standard, Some(&vi));
    assert_eq!(shown, vec!["Vì có em bé mới sinh"]);
    assert!(!japanese);
    // No reason found, nothing in Japanese; no language, everything.
    assert_eq!(reasons(&[], &standard, Some(&vi)), (Vec::new(), false));
    assert_eq!(reasons(&found, &standard, None), (found.clone(), true));
}

#[test]
fn a_tenant_edited_reason_is_japanese_and_listed() {
    let standard = standard_with_extra();
    let edited = with_reason_edited(
        "市外から引っ越してきたため",
        "本町の外から引っ越してきたため",
    );
    let vi = parse("vi.toml", VI).expect("parse");
    let p = find(&edited, "JUKI-TENNYU");
    let found: Vec<String> = p.reasons().map(str::to_owned).collect();
    assert_eq!(found, vec!["本町の外から引っ越してきたため"]);
    assert_eq!(
        reasons(&found, &standard, Some(&vi)),
        (found.clone(), true),
        "an edited reason has no translation"
    );
    let listed = missing(&edited, &standard, Some(&vi));
    assert!(
        listed.contains(&"procedure JUKI-TENNYU: explanation, reasons".to_owned()),
        "{listed:?}"
    );
    // Unedited, its one reason is translated: only the explanation is listed.
    let listed = missing(&standard, &standard, Some(&vi));
    assert!(
        listed.contains(&"procedure JUKI-TENNYU: explanation".to_owned()),
        "{listed:?}"
    );
}

#[test]
fn without_a_translation_everything_is_listed() {
    let c = Catalog::standard().expect("standard");
    let listed = missing(&c, &c, None);
    assert_eq!(listed.len(), c.procedures.len() + c.questions.len());
}

#[test]
fn unknown_keys_and_wrong_counts_are_errors() {
    let c = standard_with_extra();
    let bad = r#"
[procedures.NO-SUCH]
name = "x"
[procedures.JUKI-TENNYU]
bring = ["only one"]
[questions.no_such]
text = "x"
[questions.test_choice]
options = ["one", "two", "three"]
[reasons]
"市外から引っ越してきたため" = "Because you moved here from outside the city"
"転入された世帯のため" = "Because your household moved in"
"#;
    let t = parse("bad.toml", bad).expect("parse");
    let errors = check("bad.toml", &t, &c);
    assert_eq!(errors.len(), 5, "{errors:?}");
    assert!(
        errors
            .iter()
            .any(|e| e == "bad.toml: 理由「転入された世帯のため」は標準の一覧にありません。"),
        "{errors:?}"
    );
    assert!(errors.iter().any(|e| e.contains("NO-SUCH")));
    assert!(
        errors
            .iter()
            .any(|e| e.contains("bring は 1 個ですが、日本語は 3 個"))
    );
    assert!(errors.iter().any(|e| e.contains("no_such")));
    assert!(
        errors
            .iter()
            .any(|e| e.contains("options は 3 個ですが、日本語は 2 個"))
    );
    // A wrong count is never shown mismatched: the Japanese list instead.
    let p = procedure(find(&c, "JUKI-TENNYU"), &c, Some(&t));
    assert_eq!(p.bring, find(&c, "JUKI-TENNYU").bring);
}

#[test]
fn unknown_fields_are_refused_with_their_place() {
    let e = parse("x.toml", "[procedures.JUKI-TENNYU]\nnmae = \"x\"\n").expect_err("typo");
    assert_eq!(e.line, 2);
    assert!(e.to_string().starts_with("x.toml 2行"));
}

#[test]
fn every_compiled_in_translation_file_matches_the_standard_catalogue() {
    let c = Catalog::standard().expect("standard");
    let all = standard(&c).unwrap_or_else(|e| panic!("{}", e.join("\n")));
    for lang in all.keys() {
        assert!(LANGUAGES.contains(&lang.as_str()));
    }
}

/// The catalogue check: a language whose file is here translates every procedure and question of
/// the standard catalogue (a file is a claim of completeness); languages without a file are listed.
/// `cargo test -p madoguchi-core catalogue_translation_gaps -- --nocapture` prints the list.
#[test]
fn catalogue_translation_gaps() {
    let c = Catalog::standard().expect("standard");
    let all = standard(&c).unwrap_or_else(|e| panic!("{}", e.join("\n")));
    let mut incomplete = Vec::new();
    for lang in LANGUAGES {
        let gaps = missing(&c, &c, all.get(*lang));
        match all.get(*lang) {
            None => println!(
                "{lang}: no translation file ({} texts in Japanese)",
                gaps.len()
            ),
            Some(_) if gaps.is_empty() => println!("{lang}: complete"),
            Some(_) => {
                println!(
                    "{lang}: {} without translation:\n  {}",
                    gaps.len(),
                    gaps.join("\n  ")
                );
                incomplete.push(format!("{lang}: {}", gaps.join("; ")));
            }
        }
    }
    assert!(
        incomplete.is_empty(),
        "incomplete translation files:\n{}",
        incomplete.join("\n")
    );
}
