//! The demo city's 課税, as the core systems' `tax` feed (`docs/linkage.md`): a row for each resident
//! aged 18 or over for the current and the previous 課税年度. Most of working age earn a salary, some
//! run a business (a few at a loss) or let a property, those from 65 draw a pension, a few have no
//! income; the deductions and 住民税 follow simplified rules, so that a 非課税 person is one whose
//! income is below the threshold. Each resident's draws are their own hash of the seed and the
//! 宛名番号, apart from the population's generator.

use chrono::{Datelike, NaiveDate};
use madoguchi_core::certificate::tax::{AMOUNT_FIELDS, AMOUNTS, TaxAmounts};
use madoguchi_core::ids::AtenaNo;

use crate::seals::mix;

/// The columns of the generated `tax` file: the key, 非課税区分, 扶養人数 and the amounts.
pub fn tax_header() -> Vec<&'static str> {
    let mut h = vec!["宛名番号", "年度", "非課税区分", "扶養人数"];
    h.extend(AMOUNT_FIELDS.iter().map(|(c, _)| *c));
    h
}

/// What [`write_tax_csv`](crate::write_tax_csv) wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaxStats {
    /// Person-years 課税.
    pub taxable: usize,
    /// Person-years 非課税.
    pub exempt: usize,
}

/// Salt of the tax draws, apart from the seal and card draws.
const SALT: u64 = 0x7461_7800_0000_0000;

/// The youngest age with a row.
const MIN_AGE: u32 = 18;

/// 給与所得: 給与収入 less the 給与所得控除 (simplified from the 2020 table).
fn salary_after_deduction(income: i64) -> i64 {
    let deduction = if income <= 1_625_000 {
        550_000
    } else if income <= 1_800_000 {
        income * 4 / 10 - 100_000
    } else if income <= 3_600_000 {
        income * 3 / 10 + 80_000
    } else if income <= 6_600_000 {
        income * 2 / 10 + 440_000
    } else if income <= 8_500_000 {
        income / 10 + 1_100_000
    } else {
        1_950_000
    };
    (income - deduction).max(0)
}

/// The draw `n` of resident `seq` in `0..span`.
fn draw(seed: u64, seq: u64, n: u64, span: u64) -> i64 {
    (mix(seed, seq, SALT | n) % span) as i64
}

/// Rounded down to `unit`.
fn floor(v: i64, unit: i64) -> i64 {
    v.max(0) / unit * unit
}

/// The amounts of a resident aged `age`, scaled by `per_mille` (the earlier year earned a little
/// less), with `dependents`; `true` with them when 課税.
fn amounts(seed: u64, seq: u64, age: u32, per_mille: i64, dependents: u32) -> (bool, TaxAmounts) {
    let scale = |v: i64| floor(v * per_mille / 1000, 1000);
    let mut a = TaxAmounts::default();
    let kind = draw(seed, seq, 1, 100);
    if age >= 65 {
        a.pension_income = scale(1_200_000 + draw(seed, seq, 2, 1_800) * 1000);
        a.pension = (a.pension_income - 1_100_000).max(0);
    } else if kind < 80 {
        a.salary_income = scale(1_500_000 + draw(seed, seq, 3, 6_500) * 1000);
        a.salary = salary_after_deduction(a.salary_income);
    } else if kind < 92 {
        // A business, one in five at a loss.
        a.business = if draw(seed, seq, 4, 5) == 0 {
            -scale(50_000 + draw(seed, seq, 5, 300) * 1000)
        } else {
            scale(500_000 + draw(seed, seq, 5, 4_500) * 1000)
        };
    }
    if draw(seed, seq, 6, 100) < 6 {
        a.real_estate = scale(200_000 + draw(seed, seq, 7, 1_300) * 1000);
    }
    a.total_income = (a.salary + a.pension + a.business + a.real_estate + a.other).max(0);
    // 基礎控除, 社会保険料控除 (about 15 % of a salary, 5 % of a pension) and 扶養控除.
    a.deductions = 430_000
        + a.salary_income * 15 / 100
        + a.pension_income * 5 / 100
        + i64::from(dependents) * 330_000;
    let limit = if dependents == 0 {
        450_000
    } else {
        350_000 * (i64::from(dependents) + 1) + 310_000
    };
    let taxable = a.total_income > limit;
    if taxable {
        a.taxable_base = floor(a.total_income - a.deductions, 1000);
        a.city_income_levy = floor(a.taxable_base * 6 / 100 - 1_500, 100);
        a.pref_income_levy = floor(a.taxable_base * 4 / 100 - 1_000, 100);
        a.city_per_capita = 3_500;
        a.pref_per_capita = 1_500;
    }
    (taxable, a)
}

/// The `tax` rows of resident `seq` (born `birth`): for the current and the previous year, from 18;
/// counted in `stats`.
pub(crate) fn tax_rows(
    seed: u64,
    today: NaiveDate,
    seq: u64,
    birth: NaiveDate,
    stats: &mut TaxStats,
) -> Vec<Vec<String>> {
    let age = madoguchi_core::age::age_on(birth, today).unwrap_or(0);
    if age < MIN_AGE {
        return Vec::new();
    }
    let dependents = if (30..60).contains(&age) {
        draw(seed, seq, 8, 3) as u32
    } else {
        0
    };
    let atena = AtenaNo::from_sequence(seq);
    let mut rows = Vec::new();
    for (year, per_mille) in [(today.year() - 1, 960), (today.year(), 1000)] {
        let (taxable, a) = amounts(seed, seq, age, per_mille, dependents);
        if taxable {
            stats.taxable += 1;
        } else {
            stats.exempt += 1;
        }
        let mut row = vec![
            atena.as_str().to_owned(),
            year.to_string(),
            if taxable { "課税" } else { "非課税" }.to_owned(),
            dependents.to_string(),
        ];
        let values: [i64; AMOUNTS] = a.to_array();
        row.extend(values.iter().map(i64::to_string));
        rows.push(row);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn salary_deduction_follows_the_table() {
        assert_eq!(salary_after_deduction(1_000_000), 450_000);
        assert_eq!(salary_after_deduction(4_000_000), 2_760_000);
        assert_eq!(salary_after_deduction(10_000_000), 8_050_000);
    }
}
