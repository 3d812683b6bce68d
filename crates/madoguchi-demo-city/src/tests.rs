use std::collections::{HashMap, HashSet};

use super::*;
use madoguchi_core::relationship::parse_relation;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).expect("date")
}

fn generate(residents: usize, seed: u64) -> (Vec<u8>, Stats) {
    let mut out = Vec::new();
    let stats = write_csv(
        &mut out,
        &Options {
            residents,
            seed,
            reference_date: today(),
        },
    )
    .expect("write");
    (out, stats)
}

fn rows(bytes: &[u8]) -> (Vec<String>, Vec<HashMap<String, String>>) {
    let mut r = csv::Reader::from_reader(bytes);
    let header: Vec<String> = r
        .headers()
        .expect("header")
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = r
        .records()
        .map(|rec| {
            let rec = rec.expect("record");
            assert_eq!(rec.len(), header.len());
            header
                .iter()
                .cloned()
                .zip(rec.iter().map(str::to_owned))
                .collect()
        })
        .collect();
    (header, rows)
}

#[test]
fn header_matches_the_documented_layout() {
    let (bytes, _) = generate(10, 1);
    let (header, _) = rows(&bytes);
    assert_eq!(header, super::header());
    let doc = include_str!("../../../docs/resident-csv.md");
    for col in super::header() {
        assert!(doc.contains(&format!("| {col} |")), "{col} not documented");
    }
}

#[test]
fn exact_count_unique_valid_ids_and_one_head_per_household() {
    let (bytes, stats) = generate(20_000, 7);
    let (_, rows) = rows(&bytes);
    assert_eq!(rows.len(), 20_000);
    assert_eq!(stats.residents, 20_000);
    let mut ids = HashSet::new();
    let mut heads: HashMap<String, usize> = HashMap::new();
    for r in &rows {
        assert!(AtenaNo::parse(&r["宛名番号"]).is_ok());
        assert!(AtenaNo::parse(&r["世帯番号"]).is_ok());
        assert!(ids.insert(r["宛名番号"].clone()), "duplicate 宛名番号");
        parse_relation(&r["続柄表記"]).expect("standard 続柄");
        *heads.entry(r["世帯番号"].clone()).or_default() += usize::from(r["続柄表記"] == "世帯主");
    }
    assert_eq!(heads.len(), stats.households);
    assert!(
        heads.values().all(|n| *n == 1),
        "every household has exactly one 世帯主"
    );
    assert!(madoguchi_core::ids::is_valid_city_code(CITY_CODE));
}

#[test]
fn the_population_has_the_cases_a_counter_meets() {
    let (bytes, stats) = generate(20_000, 7);
    let (_, rows) = rows(&bytes);
    let has = |f: &dyn Fn(&HashMap<String, String>) -> bool| rows.iter().any(f);
    let age = |r: &HashMap<String, String>| {
        let b = NaiveDate::parse_from_str(&r["生年月日"], "%Y-%m-%d").expect("birth");
        madoguchi_core::age::age_on(b, today()).expect("born")
    };
    assert!(
        has(&|r| r["氏"] == "髙橋" || r["氏"] == "渡邉" || r["氏"] == "齋藤"),
        "variant kanji"
    );
    assert!(has(&|r| r["氏"] == "𠮷田"), "𠮷田");
    assert!(
        has(&|r| r["住民種別"] == "外国人住民" && !r["国籍名等"].is_empty()),
        "foreign"
    );
    assert!(has(&|r| !r["通称"].is_empty()), "通称");
    assert!(has(&|r| !r["旧氏"].is_empty()), "旧氏");
    assert!(has(&|r| age(r) == 0), "newborn");
    assert!(has(&|r| age(r) >= 90), "aged 90+");
    assert!(has(&|r| r["続柄表記"] == "子の子"), "three generations");
    assert!(
        has(&|r| r["生年月日_不詳フラグ"] == "1" && r["生年月日_不詳表記"].ends_with("頃")),
        "不詳"
    );
    assert!(has(&|r| !r["住所_方書"].is_empty()), "方書");
    assert!(stats.support_measure >= 1 && stats.support_measure < 200);
    let foreign_share = stats.foreign as f64 / stats.residents as f64;
    assert!((0.01..0.05).contains(&foreign_share), "{foreign_share}");
    for r in &rows {
        let birth = &r["生年月日"];
        assert!(r["住民となった年月日"].as_str() >= birth.as_str());
        assert!(r["住民となった年月日"].as_str() <= "2026-11-23");
    }
}

#[test]
fn deterministic_for_a_seed() {
    let (a, _) = generate(3_000, 42);
    let (b, _) = generate(3_000, 42);
    let (c, _) = generate(3_000, 43);
    assert_eq!(a, b);
    assert_ne!(a, c);
}

#[test]
fn about_forty_percent_of_residents_from_15_register_seals_a_few_abolished() {
    let opts = Options {
        residents: 2000,
        seed: 3,
        reference_date: today(),
    };
    let mut out = Vec::new();
    let stats = write_seal_csv(&mut out, &opts).expect("write");
    let mut again = Vec::new();
    write_seal_csv(&mut again, &opts).expect("write");
    assert_eq!(out, again, "deterministic");
    let (residents, _) = generate(2000, 3);
    let (_, rows) = rows(&residents);
    let adults = rows
        .iter()
        .filter(|r| {
            let b = NaiveDate::parse_from_str(&r["生年月日"], "%Y-%m-%d").expect("date");
            age(b, today()) >= 15
        })
        .count();
    let all = stats.registered + stats.abolished;
    assert!(
        (all * 100 / adults).abs_diff(40) <= 4,
        "{all} of {adults} adults"
    );
    assert!(
        stats.abolished > 0 && stats.abolished * 10 < all,
        "{stats:?}"
    );
    let mut r = csv::Reader::from_reader(&out[..]);
    assert_eq!(
        r.headers().expect("header").iter().collect::<Vec<_>>(),
        SEAL_HEADER
    );
    for rec in r.records() {
        let rec = rec.expect("record");
        let registered = NaiveDate::parse_from_str(&rec[2], "%Y-%m-%d").expect("date");
        assert!(registered <= today());
        match &rec[3] {
            "1" => {
                assert!(rec[4].is_empty() && rec[5].starts_with("iVBORw0KGgo") && rec[6] == rec[7])
            }
            _ => {
                let abolished = NaiveDate::parse_from_str(&rec[4], "%Y-%m-%d").expect("date");
                assert!(registered < abolished && abolished <= today());
            }
        }
    }
}

#[test]
fn about_seventy_percent_of_residents_hold_a_card_with_a_serial_of_their_atena_no() {
    let opts = Options {
        residents: 2000,
        seed: 3,
        reference_date: today(),
    };
    let mut out = Vec::new();
    let stats = write_card_csv(&mut out, &opts).expect("write");
    let mut again = Vec::new();
    write_card_csv(&mut again, &opts).expect("write");
    assert_eq!(out, again, "deterministic");
    assert!((stats.holders * 100 / 2000).abs_diff(70) <= 4, "{stats:?}");
    assert!(
        stats.revoked > 0 && stats.revoked * 10 < stats.holders,
        "{stats:?}"
    );
    let mut r = csv::Reader::from_reader(&out[..]);
    assert_eq!(
        r.headers().expect("header").iter().collect::<Vec<_>>(),
        CARD_HEADER
    );
    let mut serials = HashSet::new();
    let (mut active, mut revoked) = (0, 0);
    for rec in r.records() {
        let rec = rec.expect("record");
        let atena = AtenaNo::parse(&rec[0]).expect("宛名番号");
        assert!(serials.insert(rec[1].to_owned()), "unique serials");
        assert_eq!(
            madoguchi_core::card_serial::normalize(&rec[1]).as_deref(),
            Some(&rec[1]),
            "normalized"
        );
        if rec[2].is_empty() {
            active += 1;
            assert_eq!(rec[1], demo_card_serial(&atena));
        } else {
            revoked += 1;
            let on = NaiveDate::parse_from_str(&rec[2], "%Y-%m-%d").expect("date");
            assert!(on < today());
        }
    }
    assert_eq!((active, revoked), (stats.holders, stats.revoked));
    assert_eq!(
        demo_card_serial(&AtenaNo::from_sequence(1)),
        format!("4d{}", AtenaNo::from_sequence(1).as_str())
    );
}

#[test]
fn adults_have_two_years_of_tax_some_exempt() {
    let opts = Options {
        residents: 1000,
        seed: 5,
        reference_date: today(),
    };
    let mut out = Vec::new();
    let stats = write_tax_csv(&mut out, &opts).expect("write");
    let mut again = Vec::new();
    write_tax_csv(&mut again, &opts).expect("write");
    assert_eq!(out, again, "deterministic");
    assert!(
        stats.taxable > stats.exempt && stats.exempt > 0,
        "{stats:?}"
    );
    let mut r = csv::Reader::from_reader(&out[..]);
    assert_eq!(
        r.headers().expect("header").iter().collect::<Vec<_>>(),
        tax_header()
    );
    let mut years = HashSet::new();
    for rec in r.records() {
        let rec = rec.expect("record");
        AtenaNo::parse(&rec[0]).expect("宛名番号");
        years.insert(rec[1].to_owned());
        let levy: i64 = rec[14].parse().expect("市町村民税所得割");
        if &rec[2] == "非課税" {
            assert_eq!(levy, 0, "非課税 pays no 所得割");
        }
    }
    assert_eq!(years.len(), 2);
}
