//! Age and school year on a given date.
//!
//! 年齢計算ニ関スル法律: a person attains a new age at the end of the day before the birthday. For a
//! whole-day question ("how old on date X") that is the ordinary count, with two consequences that
//! matter here: someone born on 29 February attains the age at the end of 28 February in common years
//! (so has it on 1 March), and a child born on 1 April attains 6 at the end of 31 March, so belongs to
//! the school year that starts on that 1 April (born 2 April … 1 April form one 学年).

use std::fmt;

use chrono::{Datelike, NaiveDate};

/// Age in completed years on `on`, or `None` if `on` is before the birth.
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> Option<u32> {
    if on < birth {
        return None;
    }
    let mut age = on.year() - birth.year();
    // Birthday in this year not reached yet? Compare (month, day); 29 Feb in a common year is
    // reached on 1 March (the age is attained at the end of 28 Feb).
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    Some(age as u32)
}

/// Whether the person is younger than `years` on `on`.
pub fn is_under(birth: NaiveDate, on: NaiveDate, years: u32) -> bool {
    age_on(birth, on).is_some_and(|a| a < years)
}

/// The 年度 (April–March school and fiscal year) that contains `on`, by its starting calendar year.
pub fn school_year_start(on: NaiveDate) -> i32 {
    if on.month() >= 4 {
        on.year()
    } else {
        on.year() - 1
    }
}

/// 学年 of a child on a date (or 未就学 / 成人 outside school ages).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchoolGrade {
    /// Not yet at elementary school; `age_at_april1` is the age on 1 April of the current 年度.
    Preschool {
        age_at_april1: u32,
    },
    Elementary(u8),
    JuniorHigh(u8),
    /// High-school age (高校相当: whether or not the person attends).
    HighSchool(u8),
    /// Past high-school age.
    Adult,
}

impl fmt::Display for SchoolGrade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SchoolGrade::Preschool { age_at_april1 } => {
                write!(f, "未就学（{age_at_april1}歳児クラス）")
            }
            SchoolGrade::Elementary(n) => write!(f, "小学{n}年"),
            SchoolGrade::JuniorHigh(n) => write!(f, "中学{n}年"),
            SchoolGrade::HighSchool(n) => write!(f, "高校{n}年相当"),
            SchoolGrade::Adult => f.write_str("高校卒業年齢以上"),
        }
    }
}

/// The school grade on `on` of a person born on `birth`.
pub fn school_grade(birth: NaiveDate, on: NaiveDate) -> SchoolGrade {
    // The cohort: born 2 April of year Y … 1 April of Y+1 enter elementary school in April of Y+7.
    let cohort = if (birth.month(), birth.day()) >= (4, 2) {
        birth.year()
    } else {
        birth.year() - 1
    };
    let entry_year = cohort + 7;
    let grade = school_year_start(on) - entry_year + 1;
    match grade {
        g if g <= 0 => {
            // Age on 1 April of this 年度, by the same rule: the 保育 "N歳児クラス".
            let april1 = NaiveDate::from_ymd_opt(school_year_start(on), 4, 1).unwrap_or(on);
            SchoolGrade::Preschool {
                age_at_april1: age_on(birth, april1).unwrap_or(0),
            }
        }
        1..=6 => SchoolGrade::Elementary(grade as u8),
        7..=9 => SchoolGrade::JuniorHigh((grade - 6) as u8),
        10..=12 => SchoolGrade::HighSchool((grade - 9) as u8),
        _ => SchoolGrade::Adult,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn age_counts_completed_years() {
        assert_eq!(age_on(d(1975, 1, 1), d(2026, 11, 23)), Some(51));
        assert_eq!(age_on(d(1975, 11, 23), d(2026, 11, 22)), Some(50));
        assert_eq!(age_on(d(1975, 11, 23), d(2026, 11, 23)), Some(51));
        assert_eq!(age_on(d(2026, 11, 23), d(2026, 11, 23)), Some(0));
        assert_eq!(age_on(d(2026, 11, 24), d(2026, 11, 23)), None);
    }

    #[test]
    fn leap_day_birthdays_age_on_first_of_march() {
        let b = d(2004, 2, 29);
        assert_eq!(age_on(b, d(2025, 2, 28)), Some(20));
        assert_eq!(age_on(b, d(2025, 3, 1)), Some(21));
        assert_eq!(age_on(b, d(2028, 2, 28)), Some(23));
        assert_eq!(age_on(b, d(2028, 2, 29)), Some(24));
        assert!(is_under(b, d(2025, 2, 28), 21));
        assert!(!is_under(b, d(2025, 3, 1), 21));
    }

    #[test]
    fn school_year_boundary_is_april_first() {
        let on = d(2026, 11, 23);
        assert_eq!(school_grade(d(2019, 4, 2), on), SchoolGrade::Elementary(1));
        assert_eq!(school_grade(d(2020, 4, 1), on), SchoolGrade::Elementary(1));
        assert_eq!(
            school_grade(d(2020, 4, 2), on),
            SchoolGrade::Preschool { age_at_april1: 5 }
        );
        assert_eq!(
            school_grade(d(2013, 4, 1), on),
            school_grade(d(2012, 4, 2), on)
        );
        assert_eq!(school_grade(d(2013, 4, 1), on), SchoolGrade::JuniorHigh(2));
        assert_eq!(school_grade(d(2013, 4, 2), on), SchoolGrade::JuniorHigh(1));
        assert_eq!(school_grade(d(2014, 4, 2), on), SchoolGrade::Elementary(6));
        assert_eq!(school_grade(d(2010, 7, 7), on), SchoolGrade::HighSchool(1));
        assert_eq!(school_grade(d(2008, 5, 1), on), SchoolGrade::HighSchool(3));
        assert_eq!(school_grade(d(2007, 5, 1), on), SchoolGrade::Adult);
        assert_eq!(
            school_grade(d(2026, 6, 1), on),
            SchoolGrade::Preschool { age_at_april1: 0 }
        );
        assert_eq!(school_grade(d(2019, 4, 2), on).to_string(), "小学1年");
        assert_eq!(school_year_start(d(2027, 3, 31)), 2026);
        assert_eq!(school_year_start(d(2027, 4, 1)), 2027);
    }
}
