//! 発行番号: one per certificate sheet set (one per copy), numbered per city and 年度 from 1.

use chrono::{Datelike, NaiveDate};

use crate::wareki::to_wareki;

/// The 年度 (fiscal year, from 1 April) a date falls in, as the Gregorian year it starts in.
///
/// ```
/// use chrono::NaiveDate;
/// use madoguchi_core::certificate::fiscal_year;
/// assert_eq!(fiscal_year(NaiveDate::from_ymd_opt(2027, 3, 31).unwrap()), 2026);
/// assert_eq!(fiscal_year(NaiveDate::from_ymd_opt(2027, 4, 1).unwrap()), 2027);
/// ```
pub fn fiscal_year(date: NaiveDate) -> i32 {
    if date.month() >= 4 {
        date.year()
    } else {
        date.year() - 1
    }
}

/// A 発行番号: the 年度 in the era's letter and two digits, then the serial in six digits.
///
/// ```
/// use madoguchi_core::certificate::IssueNo;
/// let n = IssueNo::new(2026, 123);
/// assert_eq!(n.to_string(), "R08-000123");
/// assert_eq!(IssueNo::parse("R08-000123"), Some(n));
/// assert_eq!(IssueNo::parse("R08-123"), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IssueNo {
    pub fiscal_year: i32,
    pub serial: u32,
}

impl IssueNo {
    pub fn new(fiscal_year: i32, serial: u32) -> IssueNo {
        IssueNo {
            fiscal_year,
            serial,
        }
    }

    /// Parses the printed form back (the era letter must name the era the 年度 starts in).
    pub fn parse(text: &str) -> Option<IssueNo> {
        let (year, serial) = text.split_once('-')?;
        if serial.len() != 6 || !serial.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let serial: u32 = serial.parse().ok()?;
        let mut chars = year.chars();
        let letter = chars.next()?;
        let digits = chars.as_str();
        if digits.len() != 2 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let era_year: i32 = digits.parse().ok()?;
        let era = crate::wareki::EraTable::standard()
            .eras()
            .iter()
            .find(|e| e.letter == letter)?;
        let no = IssueNo::new(era.start.year() + era_year - 1, serial);
        (no.to_string() == text).then_some(no)
    }
}

impl std::fmt::Display for IssueNo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let april = NaiveDate::from_ymd_opt(self.fiscal_year, 4, 1).unwrap_or_default();
        match to_wareki(april) {
            Ok(w) => {
                let letter = crate::wareki::EraTable::standard()
                    .eras()
                    .iter()
                    .find(|e| e.name == w.era)
                    .map_or('?', |e| e.letter);
                write!(f, "{letter}{:02}-{:06}", w.year, self.serial)
            }
            Err(_) => write!(f, "{}-{:06}", self.fiscal_year, self.serial),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_round_trip_across_eras() {
        assert_eq!(IssueNo::new(2019, 1).to_string(), "H31-000001");
        assert_eq!(IssueNo::parse("H31-000001"), Some(IssueNo::new(2019, 1)));
        assert_eq!(IssueNo::new(2020, 999_999).to_string(), "R02-999999");
        assert_eq!(IssueNo::parse("X02-000001"), None);
        assert_eq!(IssueNo::parse("R02-00000１"), None);
    }
}
