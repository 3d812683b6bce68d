//! 所得・課税証明書: a resident's income and 住民税 for one 課税年度 as the core systems' `tax` feed
//! states them, the refusal when the year is not loaded, and the data its template prints
//! (`forms/templates/shotoku-kazei.toml`; the keys are the template's binds).

use chrono::{Datelike, NaiveDate};
use serde_json::{Value, json};

use super::Refusal;
use super::juminhyo::IssueText;
use crate::resident::Resident;
pub use crate::wareki::nendo_ja;
use crate::wareki::to_wareki;

/// The template of the 所得・課税証明書.
pub const TEMPLATE: &str = "shotoku-kazei";

/// How many 年度 back the `tax` feed and the certificate reach (地方税法: 5 years).
pub const YEARS_BACK: i32 = 5;

/// The amounts of one person and 課税年度, in yen. 所得 may be negative (a loss); 収入 and taxes are not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TaxAmounts {
    /// 給与収入.
    pub salary_income: i64,
    /// 給与所得.
    pub salary: i64,
    /// 公的年金等収入.
    pub pension_income: i64,
    /// 年金所得 (公的年金等に係る雑所得).
    pub pension: i64,
    /// 事業所得.
    pub business: i64,
    /// 不動産所得.
    pub real_estate: i64,
    /// その他所得.
    pub other: i64,
    /// 合計所得金額.
    pub total_income: i64,
    /// 所得控除合計.
    pub deductions: i64,
    /// 課税標準額.
    pub taxable_base: i64,
    /// 市町村民税所得割.
    pub city_income_levy: i64,
    /// 市町村民税均等割.
    pub city_per_capita: i64,
    /// 県民税所得割.
    pub pref_income_levy: i64,
    /// 県民税均等割.
    pub pref_per_capita: i64,
}

/// Number of amounts in [`TaxAmounts`].
pub const AMOUNTS: usize = 14;

/// The amounts' Japanese names (the `tax` feed's columns and the certificate's labels) and stable keys
/// (template binds, database columns), in [`TaxAmounts::to_array`] order.
pub const AMOUNT_FIELDS: [(&str, &str); AMOUNTS] = [
    ("給与収入", "salary_income"),
    ("給与所得", "salary"),
    ("公的年金等収入", "pension_income"),
    ("年金所得", "pension"),
    ("事業所得", "business"),
    ("不動産所得", "real_estate"),
    ("その他所得", "other"),
    ("合計所得金額", "total_income"),
    ("所得控除合計", "deductions"),
    ("課税標準額", "taxable_base"),
    ("市町村民税所得割", "city_income_levy"),
    ("市町村民税均等割", "city_per_capita"),
    ("県民税所得割", "pref_income_levy"),
    ("県民税均等割", "pref_per_capita"),
];

/// Whether an amount may be negative: the 所得 (losses) but not 収入, deductions or taxes.
pub fn may_be_negative(index: usize) -> bool {
    matches!(index, 1 | 3..=7)
}

impl TaxAmounts {
    /// The amounts in [`AMOUNT_FIELDS`] order.
    pub fn to_array(&self) -> [i64; AMOUNTS] {
        [
            self.salary_income,
            self.salary,
            self.pension_income,
            self.pension,
            self.business,
            self.real_estate,
            self.other,
            self.total_income,
            self.deductions,
            self.taxable_base,
            self.city_income_levy,
            self.city_per_capita,
            self.pref_income_levy,
            self.pref_per_capita,
        ]
    }

    /// The amounts from [`AMOUNT_FIELDS`] order.
    pub fn from_array(a: [i64; AMOUNTS]) -> TaxAmounts {
        TaxAmounts {
            salary_income: a[0],
            salary: a[1],
            pension_income: a[2],
            pension: a[3],
            business: a[4],
            real_estate: a[5],
            other: a[6],
            total_income: a[7],
            deductions: a[8],
            taxable_base: a[9],
            city_income_levy: a[10],
            city_per_capita: a[11],
            pref_income_levy: a[12],
            pref_per_capita: a[13],
        }
    }
}

/// One person's 課税 for one 年度.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaxYear {
    /// 課税年度 (西暦).
    pub year: i32,
    /// 非課税区分: `true` 課税, `false` 非課税.
    pub taxable: bool,
    /// 扶養人数.
    pub dependents: u32,
    pub amounts: TaxAmounts,
}

/// The 課税年度 the feed accepts and the certificate may ask for on `today`: from
/// [`YEARS_BACK`] years back to the current year.
///
/// ```
/// use chrono::NaiveDate;
/// use madoguchi_core::certificate::tax::years_on;
/// let today = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
/// assert_eq!(years_on(today), 2021..=2026);
/// assert!(!years_on(today).contains(&2027));
/// ```
pub fn years_on(today: NaiveDate) -> std::ops::RangeInclusive<i32> {
    (today.year() - YEARS_BACK)..=today.year()
}

/// An amount with thousands separators, a loss with a minus sign: `1,234,567`, `-50,000`.
///
/// ```
/// use madoguchi_core::certificate::tax::yen;
/// assert_eq!(yen(0), "0");
/// assert_eq!(yen(999), "999");
/// assert_eq!(yen(1_234_567), "1,234,567");
/// assert_eq!(yen(-50_000), "-50,000");
/// ```
pub fn yen(amount: i64) -> String {
    let digits = amount.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if amount < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Why a 所得・課税証明書 for `year` cannot be issued with `tax` (the feed's row for that person and
/// year, if any), besides the refusals of every certificate.
///
/// ```
/// use madoguchi_core::certificate::{Refusal, tax};
/// let refusals = tax::check(2025, None);
/// assert_eq!(refusals, vec![Refusal::TaxNotLoaded(2025)]);
/// assert_eq!(
///     refusals[0].message_ja(),
///     "令和7年度の課税データがまだ取り込まれていません。"
/// );
/// ```
pub fn check(year: i32, tax: Option<&TaxYear>) -> Vec<Refusal> {
    match tax {
        Some(t) if t.year == year => Vec::new(),
        _ => vec![Refusal::TaxNotLoaded(year)],
    }
}

/// The template data of the 所得・課税証明書 of `person` for `tax` (checked with [`check`]): the
/// 年度 in 和暦, every amount with thousands separators.
pub fn data(person: &Resident, tax: &TaxYear, issue: &IssueText<'_>) -> Value {
    let mut amounts = serde_json::Map::new();
    for ((_, key), amount) in AMOUNT_FIELDS.iter().zip(tax.amounts.to_array()) {
        amounts.insert((*key).to_owned(), Value::String(yen(amount)));
    }
    amounts.insert("year".into(), Value::String(nendo_ja(tax.year)));
    // The income year (所得年分) is the calendar year before the 課税年度.
    amounts.insert(
        "income_year".into(),
        Value::String(format!(
            "{}分",
            nendo_ja(tax.year - 1).trim_end_matches("年度").to_owned() + "年"
        )),
    );
    amounts.insert(
        "status".into(),
        Value::String(if tax.taxable { "課税" } else { "非課税" }.into()),
    );
    amounts.insert(
        "dependents".into(),
        Value::String(format!("{}人", tax.dependents)),
    );
    json!({
        "certificate": {
            "title": "所得・課税証明書",
            "issue_no": issue.issue_no,
            "issued_on": to_wareki(issue.issued_on)
                .map_or_else(|_| issue.issued_on.to_string(), |w| w.to_string()),
            "attestation": "上記のとおり証明します。",
            "mayor": issue.mayor,
            "seal_image": issue.seal_image.unwrap_or(""),
            "qr": issue.qr,
            "city": issue.city,
        },
        "tax": Value::Object(amounts),
        "person": {
            "name": person.name.full,
            "birth": person.birth.display_ja(person.kind),
            "address": person.address.one_line(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_round_trip_in_field_order() {
        let a: [i64; AMOUNTS] = std::array::from_fn(|i| i as i64 * 1000 - 3000);
        assert_eq!(TaxAmounts::from_array(a).to_array(), a);
        assert_eq!(AMOUNT_FIELDS[7].0, "合計所得金額");
        assert!(may_be_negative(4) && !may_be_negative(0) && !may_be_negative(10));
    }

    #[test]
    fn only_the_loaded_year_is_issued() {
        let t = TaxYear {
            year: 2026,
            taxable: false,
            dependents: 0,
            amounts: TaxAmounts::default(),
        };
        assert_eq!(check(2026, Some(&t)), vec![]);
        assert_eq!(check(2025, Some(&t)), vec![Refusal::TaxNotLoaded(2025)]);
        let r = Refusal::TaxNotLoaded(2025);
        assert_eq!(r.code(), "tax_not_loaded");
        assert!(r.message_resident_ja().contains("課税"));
    }

    fn person() -> Resident {
        use crate::resident::{
            Address, BirthDate, Name, ResidentKind, ResidentStatus, Sex, SupportMeasure,
        };
        Resident {
            atena_no: crate::ids::AtenaNo::from_sequence(1),
            household_no: crate::ids::AtenaNo::from_sequence(1),
            kind: ResidentKind::Japanese,
            status: ResidentStatus::Resident,
            name: Name {
                full: "桜井　花子".into(),
                ..Default::default()
            },
            birth: BirthDate::Known(NaiveDate::from_ymd_opt(1980, 5, 1).expect("d")),
            sex: Sex::Female,
            relation: crate::relationship::Relation::HouseholdHead,
            address: Address {
                city: "さくら野市".into(),
                town: "本町".into(),
                ..Default::default()
            },
            became_resident_on: None,
            address_fixed_on: None,
            foreign: None,
            support_measure: SupportMeasure::None,
            registry: Default::default(),
        }
    }

    #[test]
    fn income_year_is_the_year_before() {
        let t = TaxYear {
            year: 2020,
            taxable: true,
            dependents: 2,
            amounts: TaxAmounts {
                salary_income: 4_200_000,
                business: -120_000,
                ..Default::default()
            },
        };
        let person = person();
        let issue = IssueText {
            issue_no: "R08-000001",
            issued_on: NaiveDate::from_ymd_opt(2026, 12, 7).expect("d"),
            city: "さくら野市",
            mayor: "さくら野市長",
            seal_image: None,
            qr: "",
        };
        let d = data(&person, &t, &issue);
        assert_eq!(d["tax"]["year"], "令和2年度");
        assert_eq!(d["tax"]["income_year"], "令和元年分");
        assert_eq!(d["tax"]["dependents"], "2人");
        assert_eq!(d["certificate"]["issued_on"], "令和8年12月7日");
        assert_eq!(d["certificate"]["title"], "所得・課税証明書");
        assert_eq!(d["tax"]["salary_income"], "4,200,000");
        assert_eq!(d["tax"]["business"], "-120,000");
        assert_eq!(d["tax"]["status"], "課税");
        assert_eq!(d["person"]["name"], "桜井　花子");
    }
}
