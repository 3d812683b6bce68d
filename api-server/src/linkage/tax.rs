//! The 課税 feed (`tax`): one row per resident and 課税年度, the income and 住民税 amounts the
//! 所得・課税証明書 prints. Layout: `docs/linkage.md`. Read with the small feeds' reader
//! (`linkage::tables`): history rows, 削除フラグ in deltas, problems named by line and column.

use chrono::NaiveDate;
use madoguchi_core::certificate::tax::{
    AMOUNT_FIELDS, AMOUNTS, TaxAmounts, TaxYear, may_be_negative, nendo_ja, years_on,
};
use madoguchi_store::{ImportMode, TaxChange, TaxRecord};

use crate::linkage::tables::{FileProblem, Parsed, Row, read};

/// The columns of the `tax` file: the key, 非課税区分, 扶養人数, the 14 amounts (every one in the
/// header; a blank value is 0), then the history and deletion columns.
const TAX_COLUMNS: &[(&str, bool)] = &[
    ("市区町村コード", false),
    ("宛名番号", true),
    ("年度", true),
    ("非課税区分", true),
    ("扶養人数", false),
    ("給与収入", true),
    ("給与所得", true),
    ("公的年金等収入", true),
    ("年金所得", true),
    ("事業所得", true),
    ("不動産所得", true),
    ("その他所得", true),
    ("合計所得金額", true),
    ("所得控除合計", true),
    ("課税標準額", true),
    ("市町村民税所得割", true),
    ("市町村民税均等割", true),
    ("県民税所得割", true),
    ("県民税均等割", true),
    ("削除フラグ", false),
    ("履歴番号", false),
    ("履歴番号枝番", false),
    ("最新フラグ", false),
];

/// The largest amount accepted (a trillion yen): a typo rather than an income beyond it.
const MAX_AMOUNT: i64 = 999_999_999_999;

/// 年度: four digits (西暦), within [`years_on`] `today`.
fn year(row: &mut Row<'_, '_>, today: NaiveDate) -> Option<i32> {
    let v = row.required("年度")?;
    let parsed = (v.len() == 4 && v.bytes().all(|b| b.is_ascii_digit()))
        .then(|| v.parse::<i32>().ok())
        .flatten();
    let Some(y) = parsed else {
        row.problem("年度", "年度は西暦4桁（例 2026）で入力してください。");
        return None;
    };
    let years = years_on(today);
    if !years.contains(&y) {
        row.problem(
            "年度",
            format!(
                "年度「{y}」は受け付けられません。{}（{}）から{}（{}）までの年度を入力してください。",
                years.start(),
                nendo_ja(*years.start()),
                years.end(),
                nendo_ja(*years.end()),
            ),
        );
        return None;
    }
    Some(y)
}

/// One amount: yen in half-width digits without separators (a blank is 0), a minus sign only for 所得.
fn amount(row: &mut Row<'_, '_>, index: usize) -> Option<i64> {
    let col = AMOUNT_FIELDS[index].0;
    let Some(v) = row.get(col) else {
        return Some(0);
    };
    let (negative, digits) = match v.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, v.as_str()),
    };
    let value =
        (!digits.is_empty() && digits.len() <= 12 && digits.bytes().all(|b| b.is_ascii_digit()))
            .then(|| digits.parse::<i64>().ok())
            .flatten()
            .filter(|n| *n <= MAX_AMOUNT);
    match value {
        None => {
            row.problem(
                col,
                format!("{col}は円単位の半角数字（カンマなし、12桁以内）で入力してください。"),
            );
            None
        }
        Some(_) if negative && !may_be_negative(index) => {
            row.problem(col, format!("{col}にマイナスの金額は入力できません。"));
            None
        }
        Some(n) => Some(if negative { -n } else { n }),
    }
}

/// 非課税区分: 課税 (1) or 非課税 (2); `true` for 課税.
fn taxable(row: &mut Row<'_, '_>) -> Option<bool> {
    match row.required("非課税区分").as_deref() {
        Some("1" | "課税") => Some(true),
        Some("2" | "非課税") => Some(false),
        Some(_) => {
            row.problem(
                "非課税区分",
                "非課税区分は 課税（1）または 非課税（2）で入力してください。",
            );
            None
        }
        None => None,
    }
}

fn dependents(row: &mut Row<'_, '_>) -> Option<u32> {
    match row.get("扶養人数") {
        None => Some(0),
        Some(v) => match v.parse::<u32>() {
            Ok(n) if n <= 99 && v.bytes().all(|b| b.is_ascii_digit()) => Some(n),
            _ => {
                row.problem("扶養人数", "扶養人数は0〜99の半角数字で入力してください。");
                None
            }
        },
    }
}

/// 課税情報 (`tax`): one row per resident and 課税年度. `today` bounds the 年度 accepted (five years
/// back to the current year): the core has no clock, the job passes its own.
pub fn tax_records(
    text: &str,
    mode: ImportMode,
    today: NaiveDate,
) -> Result<Parsed<TaxChange>, FileProblem> {
    read(text, TAX_COLUMNS, |row| {
        let atena = row.atena();
        let year = year(row, today);
        let deleted = row.flag("削除フラグ").ok()?;
        if deleted {
            if mode == ImportMode::Full {
                row.problem("削除フラグ", "全件ファイルでは削除フラグは使えません。");
                return None;
            }
            let (atena, year) = (atena?, year?);
            return Some((
                (atena.clone(), year),
                TaxChange::Remove {
                    atena_no: atena,
                    year,
                },
            ));
        }
        let taxable = taxable(row);
        let dependents = dependents(row);
        let mut amounts = [0i64; AMOUNTS];
        let mut bad = false;
        for (i, a) in amounts.iter_mut().enumerate() {
            match amount(row, i) {
                Some(v) => *a = v,
                None => bad = true,
            }
        }
        let (atena, year, taxable, dependents) = (atena?, year?, taxable?, dependents?);
        if bad {
            return None;
        }
        Some((
            (atena.clone(), year),
            TaxChange::Put(TaxRecord {
                atena_no: atena,
                tax: TaxYear {
                    year,
                    taxable,
                    dependents,
                    amounts: TaxAmounts::from_array(amounts),
                },
            }),
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use madoguchi_core::ids::AtenaNo;

    fn a(seq: u64) -> String {
        AtenaNo::from_sequence(seq).as_str().to_owned()
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 7).expect("date")
    }

    fn head() -> String {
        let mut h = vec!["宛名番号", "年度", "非課税区分", "扶養人数"];
        h.extend(AMOUNT_FIELDS.iter().map(|(c, _)| *c));
        h.join(",")
    }

    /// A row with `amounts` (the rest blank).
    fn row(atena: &str, year: &str, status: &str, amounts: &[&str]) -> String {
        let mut cells = vec![
            atena.to_owned(),
            year.to_owned(),
            status.to_owned(),
            "1".into(),
        ];
        cells.extend((0..AMOUNTS).map(|i| amounts.get(i).copied().unwrap_or("").to_owned()));
        cells.join(",")
    }

    fn problems(text: &str) -> Vec<(u64, Option<String>, String)> {
        tax_records(text, ImportMode::Full, today())
            .expect("parsed")
            .problems
            .into_iter()
            .map(|p| (p.line, p.column, p.message))
            .collect()
    }

    #[test]
    fn tax_rows_are_read_with_their_amounts() {
        let text = format!(
            "{}\n{}\n{}\n",
            head(),
            row(
                &a(1),
                "2026",
                "課税",
                &["4200000", "2980000", "", "", "-120000"]
            ),
            row(&a(2), "2025", "2", &[]),
        );
        let p = tax_records(&text, ImportMode::Full, today()).expect("parsed");
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        let TaxChange::Put(first) = &p.items[0] else {
            panic!("{:?}", p.items[0]);
        };
        assert_eq!(first.tax.year, 2026);
        assert!(first.tax.taxable);
        assert_eq!(first.tax.dependents, 1);
        assert_eq!(first.tax.amounts.salary_income, 4_200_000);
        assert_eq!(first.tax.amounts.business, -120_000);
        assert!(
            matches!(&p.items[1], TaxChange::Put(r) if !r.tax.taxable && r.tax.amounts == TaxAmounts::default())
        );
    }

    #[test]
    fn unknown_years_and_bad_amounts_are_refused_in_japanese() {
        let text = format!(
            "{}\n{}\n{}\n{}\n{}\n{}\n",
            head(),
            row(&a(1), "2020", "課税", &[]),
            row(&a(1), "2027", "課税", &[]),
            row(&a(1), "R8", "課税", &[]),
            row(&a(2), "2026", "課税", &["\"4,200,000\""]),
            row(&a(2), "2025", "課税", &["-1"]),
        );
        let got = problems(&text);
        let cols: Vec<(u64, Option<&str>)> =
            got.iter().map(|(l, c, _)| (*l, c.as_deref())).collect();
        assert_eq!(
            cols,
            vec![
                (2, Some("年度")),
                (3, Some("年度")),
                (4, Some("年度")),
                (5, Some("給与収入")),
                (6, Some("給与収入")),
            ]
        );
        assert!(
            got[0].2.contains("2021（令和3年度）から2026（令和8年度）"),
            "{}",
            got[0].2
        );
        assert!(got[3].2.contains("半角数字"), "{}", got[3].2);
        assert!(got[4].2.contains("マイナス"), "{}", got[4].2);
    }

    #[test]
    fn deltas_delete_person_years_and_full_files_may_not() {
        let text = format!(
            "{},削除フラグ\n{},\n{},1\n",
            head(),
            row(&a(1), "2026", "1", &["100"]),
            row(&a(1), "2025", "", &[]),
        );
        let p = tax_records(&text, ImportMode::Delta, today()).expect("parsed");
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        assert_eq!(
            p.items[1],
            TaxChange::Remove {
                atena_no: AtenaNo::from_sequence(1),
                year: 2025
            }
        );
        let got = problems(&text);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].1.as_deref(), Some("削除フラグ"));
        let e = tax_records("宛名番号,年度,非課税区分\n", ImportMode::Full, today())
            .err()
            .expect("rejected");
        assert!(e.message.contains("給与収入"), "{}", e.message);
    }
}
