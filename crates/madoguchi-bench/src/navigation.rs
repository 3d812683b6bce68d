//! `cargo xtask bench navigation`: a 6-person 転入 evaluated against a catalogue of 300 procedures (the
//! standard ones plus synthetic ones made for this benchmark only), against the same household on the
//! standard catalogue alone, in the same run.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use madoguchi_core::navigation::{Answer, Catalog, Input, MemberInput, STANDARD_FILES, evaluate};

use crate::report::{machine, ms, percentile};

const RUNS: usize = 20_000;

/// Synthetic procedures with rules of the shapes the real ones use.
fn synthetic(n: usize) -> String {
    let shapes = [
        |i: usize| format!("event.kind == \"転入\" and any(after, m.age >= {})", i % 90),
        |i: usize| {
            format!(
                "count(after, m.school in [\"小学生\", \"中学生\"]) > {}",
                i % 3
            )
        },
        |i: usize| {
            format!(
                "event.kind in [\"転入\", \"転居\"] and any(movers, m.kokuho or m.age < {})",
                i % 20
            )
        },
        |_: usize| "answer(\"has_dog\") and any(movers, not m.foreign)".to_owned(),
        |i: usize| format!("all(after, m.age < {}) and size(after) >= 2", 30 + i % 60),
        |_: usize| "any(after, has(m.techou, \"身体\")) or answer(\"nanbyou\")".to_owned(),
    ];
    let mut s = String::new();
    for i in 0..n {
        s.push_str(&format!(
            "[[procedures]]\ncode = \"SYN-{i}\"\nname = \"合成手続き{i}\"\ndepartment = \"課{d}\"\ncounter = \"窓口{d}\"\n\
             on_the_spot = false\nguidance = \"g\"\nlegal_basis = \"l\"\nexplanation = \"e\"\n\
             permission = \"accept_notification\"\nvalid_from = \"2000-01-01\"\n",
            d = i % 12
        ));
        for r in 0..2 {
            let rule = shapes[(i + r) % shapes.len()](i + r);
            s.push_str(&format!(
                "[[procedures.rules]]\nwhen = '{rule}'\nreason = \"理由{i}-{r}\"\n"
            ));
        }
    }
    s
}

fn household() -> Input {
    let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap_or_default();
    let m = |birth, relation: &str| MemberInput {
        birth,
        relation: relation.into(),
        mover: true,
        ..MemberInput::default()
    };
    let mut answers = BTreeMap::new();
    answers.insert("kokuho_other_insurance".to_owned(), Answer::YesNo(false));
    Input {
        event: "転入".into(),
        detail: "国内".into(),
        date: d(2026, 11, 20),
        before: Vec::new(),
        after: vec![
            m(d(1950, 4, 10), "世帯主"),
            m(d(1952, 8, 20), "妻"),
            m(d(1980, 1, 1), "子"),
            m(d(1982, 5, 5), "子の妻"),
            m(d(2015, 6, 6), "孫"),
            m(d(2023, 3, 3), "孫"),
        ],
        answers,
    }
}

fn time(catalog: &Catalog, input: &Input) -> (Vec<Duration>, usize) {
    let mut found = 0;
    for _ in 0..1000 {
        found = evaluate(catalog, input).procedures.len();
    }
    let mut t: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let started = Instant::now();
            let out = evaluate(catalog, input);
            let took = started.elapsed();
            std::hint::black_box(out);
            took
        })
        .collect();
    t.sort();
    (t, found)
}

pub fn bench_navigation() -> anyhow::Result<()> {
    let standard = Catalog::standard().map_err(|e| anyhow::anyhow!("{e}"))?;
    let extra = 300 - standard.procedures.len();
    let synthetic = synthetic(extra);
    let mut files: Vec<(&str, &str)> = STANDARD_FILES.to_vec();
    files.push(("synthetic.toml", &synthetic));
    let full = Catalog::load(&files).map_err(|e| anyhow::anyhow!("{e}"))?;
    let input = household();
    let (small, small_found) = time(&standard, &input);
    let (big, big_found) = time(&full, &input);
    println!("machine: {}", machine());
    println!(
        "household: 6 members (転入); catalogue {} procedures ({} standard + {extra} synthetic); {RUNS} evaluations each",
        full.procedures.len(),
        standard.procedures.len()
    );
    println!(
        "| figure | p50 | p99 | found | baseline: standard catalogue only, p50 / p99 | ratio (p99) |"
    );
    println!("| --- | --- | --- | --- | --- | --- |");
    println!(
        "| evaluate, 300 procedures | {:.3} ms | {:.3} ms | {big_found} | {:.3} / {:.3} ms ({small_found} found) | {:.1}× |",
        ms(percentile(&big, 0.5)),
        ms(percentile(&big, 0.99)),
        ms(percentile(&small, 0.5)),
        ms(percentile(&small, 0.99)),
        ms(percentile(&big, 0.99)) / ms(percentile(&small, 0.99))
    );
    Ok(())
}
