//! 和暦 (Japanese era dates): conversion both ways and a lenient parser for what people type.
//!
//! The era table is data (`crates/madoguchi-core/data/eras.csv`), so a new era is added without a code change.

use std::fmt;
use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};

/// Why a date was rejected. `Display` is English (logs); [`DateError::message_ja`] is for users.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateError {
    Empty,
    TooLong,
    /// Not a recognisable date.
    Format,
    UnknownEra(String),
    /// Month or day out of range, or a day the calendar does not have (2月30日, 平年の2月29日).
    NoSuchDay,
    /// Year 0 of an era.
    EraYearZero {
        era: String,
    },
    /// The date lies after the era ended (平成32年).
    AfterEraEnd {
        era: String,
        year: u32,
        last: NaiveDate,
    },
    /// The date lies before the era began (令和1年4月30日).
    BeforeEraStart {
        era: String,
        first: NaiveDate,
    },
    /// Before 明治 or beyond year 9999.
    OutOfRange,
    /// Bad era table data.
    Table(String),
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateError::Empty => f.write_str("empty date"),
            DateError::TooLong => f.write_str("date input too long"),
            DateError::Format => f.write_str("unrecognised date format"),
            DateError::UnknownEra(_) => f.write_str("unknown era"),
            DateError::NoSuchDay => f.write_str("no such calendar day"),
            DateError::EraYearZero { .. } => f.write_str("era year 0"),
            DateError::AfterEraEnd { .. } => f.write_str("date after the end of its era"),
            DateError::BeforeEraStart { .. } => f.write_str("date before the start of its era"),
            DateError::OutOfRange => f.write_str("date out of supported range"),
            DateError::Table(m) => write!(f, "bad era table: {m}"),
        }
    }
}

impl std::error::Error for DateError {}

impl DateError {
    /// The message shown to staff and residents.
    pub fn message_ja(&self) -> String {
        match self {
            DateError::Empty => "日付が入力されていません。".into(),
            DateError::TooLong => "日付の入力が長すぎます。".into(),
            DateError::Format => {
                "日付の形式が正しくありません（例: 昭和50年1月1日、S50.1.1、1975-01-01）。".into()
            }
            DateError::UnknownEra(e) => format!("元号「{e}」は使用できません。"),
            DateError::NoSuchDay => "存在しない日付です。".into(),
            DateError::EraYearZero { era } => format!("{era}0年という年はありません。"),
            DateError::AfterEraEnd { era, year, last } => {
                let w = to_wareki(*last).map(|w| w.to_string()).unwrap_or_default();
                format!("{era}{year}年は存在しない年です（{era}は{w}まで）。")
            }
            DateError::BeforeEraStart { era, first } => {
                let w = to_wareki(*first).map(|w| w.to_string()).unwrap_or_default();
                format!("{era}は{w}からです。")
            }
            DateError::OutOfRange => {
                "対応していない範囲の日付です（明治以降の日付を入力してください）。".into()
            }
            DateError::Table(_) => "元号表の設定に誤りがあります。".into(),
        }
    }
}

/// One era of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Era {
    pub name: String,
    pub letter: char,
    /// Legacy numeric code (1 = 明治 … 5 = 令和) used in 7-digit `GYYMMDD` dates.
    pub code: u8,
    pub start: NaiveDate,
    /// The previous era's name may also be used for `start` (the change happened during that day).
    pub overlap: bool,
}

/// A date written in an era.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wareki {
    pub era: String,
    pub year: u32,
    pub month: u32,
    pub day: u32,
}

impl fmt::Display for Wareki {
    /// `令和元年5月1日` (year 1 is 元年).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.year == 1 {
            write!(f, "{}元年{}月{}日", self.era, self.month, self.day)
        } else {
            write!(
                f,
                "{}{}年{}月{}日",
                self.era, self.year, self.month, self.day
            )
        }
    }
}

impl Wareki {
    /// `R1.5.1`-style short form (the era's letter).
    pub fn short(&self) -> String {
        let letter = EraTable::standard()
            .eras
            .iter()
            .find(|e| e.name == self.era)
            .map_or('?', |e| e.letter);
        format!("{letter}{}.{}.{}", self.year, self.month, self.day)
    }
}

/// The eras, oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EraTable {
    eras: Vec<Era>,
}

const MAX_INPUT_CHARS: usize = 64;

impl EraTable {
    /// Parses `name,letter,code,YYYY-MM-DD` lines (`#` comments allowed), in any order.
    pub fn from_csv(text: &str) -> Result<EraTable, DateError> {
        let mut eras = Vec::new();
        for line in text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            let cols: Vec<&str> = line.split(',').map(str::trim).collect();
            let [name, letter, code, start, overlap] = cols[..] else {
                return Err(DateError::Table(format!("expected 5 columns: {line}")));
            };
            let overlap = match overlap {
                "0" => false,
                "1" => true,
                _ => return Err(DateError::Table(format!("overlap must be 0 or 1: {line}"))),
            };
            let mut letters = letter.chars();
            let (Some(letter), None) = (letters.next(), letters.next()) else {
                return Err(DateError::Table(format!(
                    "letter must be one character: {line}"
                )));
            };
            let code = code
                .parse::<u8>()
                .map_err(|_| DateError::Table(format!("bad code: {line}")))?;
            let start = NaiveDate::parse_from_str(start, "%Y-%m-%d")
                .map_err(|_| DateError::Table(format!("bad start date: {line}")))?;
            if name.is_empty() {
                return Err(DateError::Table("empty era name".into()));
            }
            eras.push(Era {
                name: name.to_owned(),
                letter: letter.to_ascii_uppercase(),
                code,
                start,
                overlap,
            });
        }
        if eras.is_empty() {
            return Err(DateError::Table("no eras".into()));
        }
        eras.sort_by_key(|e| e.start);
        Ok(EraTable { eras })
    }

    /// The table compiled in from `crates/madoguchi-core/data/eras.csv`.
    pub fn standard() -> &'static EraTable {
        static TABLE: OnceLock<EraTable> = OnceLock::new();
        TABLE.get_or_init(|| {
            EraTable::from_csv(include_str!("../data/eras.csv"))
                .unwrap_or(EraTable { eras: Vec::new() })
        })
    }

    pub fn eras(&self) -> &[Era] {
        &self.eras
    }

    fn next_era(&self, i: usize) -> Option<&Era> {
        self.eras.get(i + 1)
    }

    pub fn to_wareki(&self, date: NaiveDate) -> Result<Wareki, DateError> {
        let i = self
            .eras
            .iter()
            .rposition(|e| date >= e.start)
            .ok_or(DateError::OutOfRange)?;
        let era = &self.eras[i];
        Ok(Wareki {
            era: era.name.clone(),
            year: (date.year() - era.start.year() + 1) as u32,
            month: date.month(),
            day: date.day(),
        })
    }

    /// The Gregorian date of an era date, checking that it lies within the era. The first day of an
    /// era marked `overlap` may also be written in the previous era (明治45年7月30日, 大正15年12月25日:
    /// 住記 allows them, as a 戸籍 may hold either name).
    pub fn from_era(
        &self,
        era_index: usize,
        year: u32,
        month: u32,
        day: u32,
    ) -> Result<NaiveDate, DateError> {
        let era = self.eras.get(era_index).ok_or(DateError::Format)?;
        if year == 0 {
            return Err(DateError::EraYearZero {
                era: era.name.clone(),
            });
        }
        let y = era.start.year() + year as i32 - 1;
        if y > 9999 {
            return Err(DateError::OutOfRange);
        }
        let date = NaiveDate::from_ymd_opt(y, month, day).ok_or(DateError::NoSuchDay)?;
        if date < era.start {
            return Err(DateError::BeforeEraStart {
                era: era.name.clone(),
                first: era.start,
            });
        }
        if let Some(next) = self.next_era(era_index)
            && (date > next.start || (date == next.start && !next.overlap))
        {
            let last = next.start.pred_opt().unwrap_or(next.start);
            return Err(DateError::AfterEraEnd {
                era: era.name.clone(),
                year,
                last,
            });
        }
        Ok(date)
    }

    fn era_by_name(&self, s: &str) -> Option<usize> {
        self.eras.iter().position(|e| e.name == s)
    }

    fn era_by_letter(&self, c: char) -> Option<usize> {
        let c = c.to_ascii_uppercase();
        self.eras.iter().position(|e| e.letter == c)
    }

    fn era_by_code(&self, code: u8) -> Option<usize> {
        self.eras.iter().position(|e| e.code == code)
    }

    /// Parses a date as people type it. See the module tests for the accepted forms.
    pub fn parse_date(&self, input: &str) -> Result<NaiveDate, DateError> {
        if input.chars().count() > MAX_INPUT_CHARS {
            return Err(DateError::TooLong);
        }
        let s: String = input.chars().filter_map(fold_char).collect();
        if s.is_empty() {
            return Err(DateError::Empty);
        }
        // Pure digits: YYYYMMDD or legacy GYYMMDD.
        if s.bytes().all(|b| b.is_ascii_digit()) {
            return match s.len() {
                8 => gregorian(num(&s[0..4])?, num(&s[4..6])?, num(&s[6..8])?),
                7 => {
                    let era = self
                        .era_by_code(num(&s[0..1])? as u8)
                        .ok_or(DateError::UnknownEra(s[0..1].to_owned()))?;
                    self.from_era(era, num(&s[1..3])?, num(&s[3..5])?, num(&s[5..7])?)
                }
                _ => Err(DateError::Format),
            };
        }
        // Era name (昭和…) or letter (S…), then year (digits or 元), then month and day.
        let (era, rest) = if let Some((i, rest)) = self
            .eras
            .iter()
            .enumerate()
            .find_map(|(i, e)| s.strip_prefix(e.name.as_str()).map(|r| (i, r)))
        {
            (Some(i), rest)
        } else {
            let first = s.chars().next().unwrap_or(' ');
            if first.is_ascii_alphabetic() {
                let era = self
                    .era_by_letter(first)
                    .ok_or_else(|| DateError::UnknownEra(first.to_string()))?;
                (Some(era), &s[1..])
            } else if !first.is_ascii_digit() {
                // An era-like prefix we do not know (e.g. 慶応).
                let prefix: String = s
                    .chars()
                    .take_while(|c| !c.is_ascii_digit() && *c != '元')
                    .collect();
                return Err(
                    if prefix.chars().count() == 2 && self.era_by_name(&prefix).is_none() {
                        DateError::UnknownEra(prefix)
                    } else {
                        DateError::Format
                    },
                );
            } else {
                (None, s.as_str())
            }
        };
        let parts = split_ymd(rest, era.is_some())?;
        match era {
            Some(e) => self.from_era(e, parts.0, parts.1, parts.2),
            None => gregorian(parts.0, parts.1, parts.2),
        }
    }
}

/// Folds full-width digits, letters and punctuation to ASCII; drops spaces.
fn fold_char(c: char) -> Option<char> {
    match c {
        ' ' | '\u{3000}' | '\t' => None,
        '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' | '．' | '／' | '－' => {
            char::from_u32(c as u32 - 0xFEE0)
        }
        'ー' | '―' | '‐' | '−' => Some('-'),
        _ => Some(c),
    }
}

fn num(s: &str) -> Result<u32, DateError> {
    if s.is_empty() || s.len() > 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(DateError::Format);
    }
    s.parse().map_err(|_| DateError::Format)
}

fn gregorian(y: u32, m: u32, d: u32) -> Result<NaiveDate, DateError> {
    if !(1..=9999).contains(&y) {
        return Err(DateError::OutOfRange);
    }
    let date = NaiveDate::from_ymd_opt(y as i32, m, d).ok_or(DateError::NoSuchDay)?;
    let meiji = EraTable::standard().eras.first().map(|e| e.start);
    if meiji.is_some_and(|m| date < m) {
        return Err(DateError::OutOfRange);
    }
    Ok(date)
}

/// Splits `50.1.1`, `50/1/1`, `50-1-1`, `50年1月1日`, `元年5月1日`, `元.5.1` into numbers.
fn split_ymd(s: &str, era: bool) -> Result<(u32, u32, u32), DateError> {
    let (s, day_mark) = match s.strip_suffix('日') {
        Some(rest) => (rest, true),
        None => (s, false),
    };
    let mut fields: Vec<String> = Vec::with_capacity(3);
    let mut cur = String::new();
    let mut seps: Vec<char> = Vec::new();
    for c in s.chars() {
        match c {
            '0'..='9' => cur.push(c),
            '元' if era && fields.is_empty() && cur.is_empty() => cur.push('1'),
            '.' | '/' | '-' | '年' | '月' => {
                if cur.is_empty() {
                    return Err(DateError::Format);
                }
                fields.push(std::mem::take(&mut cur));
                seps.push(c);
            }
            _ => return Err(DateError::Format),
        }
    }
    fields.push(cur);
    if fields.len() != 3 || fields.iter().any(String::is_empty) {
        return Err(DateError::Format);
    }
    // Either 年/月 or one repeated ASCII separator.
    let kanji = seps == ['年', '月'] && day_mark;
    let ascii = seps[0] == seps[1] && matches!(seps[0], '.' | '/' | '-') && !day_mark;
    if !kanji && !ascii {
        return Err(DateError::Format);
    }
    if !era && fields[0].len() != 4 {
        return Err(DateError::Format);
    }
    Ok((num(&fields[0])?, num(&fields[1])?, num(&fields[2])?))
}

/// Converts with the standard era table.
pub fn to_wareki(date: NaiveDate) -> Result<Wareki, DateError> {
    EraTable::standard().to_wareki(date)
}

/// Parses with the standard era table.
pub fn parse_date(input: &str) -> Result<NaiveDate, DateError> {
    EraTable::standard().parse_date(input)
}

/// A 年度 (as the 課税年度, named by its calendar year) in 和暦: `令和8年度`, `令和元年度` (2019).
///
/// ```
/// use madoguchi_core::wareki::nendo_ja;
/// assert_eq!(nendo_ja(2026), "令和8年度");
/// assert_eq!(nendo_ja(2019), "令和元年度");
/// assert_eq!(nendo_ja(2018), "平成30年度");
/// ```
pub fn nendo_ja(year: i32) -> String {
    // The era at the end of the calendar year names the 年度 (2019 is 令和元年度).
    match NaiveDate::from_ymd_opt(year, 12, 31).map(to_wareki) {
        Some(Ok(w)) if w.year == 1 => format!("{}元年度", w.era),
        Some(Ok(w)) => format!("{}{}年度", w.era, w.year),
        _ => format!("{year}年度"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn to_wareki_at_era_boundaries() {
        let cases = [
            (d(1868, 1, 25), "明治元年1月25日"),
            (d(1912, 7, 29), "明治45年7月29日"),
            (d(1912, 7, 30), "大正元年7月30日"),
            (d(1926, 12, 24), "大正15年12月24日"),
            (d(1926, 12, 25), "昭和元年12月25日"),
            (d(1975, 1, 1), "昭和50年1月1日"),
            (d(1989, 1, 7), "昭和64年1月7日"),
            (d(1989, 1, 8), "平成元年1月8日"),
            (d(2019, 4, 30), "平成31年4月30日"),
            (d(2019, 5, 1), "令和元年5月1日"),
            (d(2026, 11, 23), "令和8年11月23日"),
        ];
        for (date, want) in cases {
            assert_eq!(to_wareki(date).expect("convert").to_string(), want);
        }
        assert_eq!(to_wareki(d(1868, 1, 24)), Err(DateError::OutOfRange));
        assert_eq!(to_wareki(d(2019, 5, 1)).expect("r1").short(), "R1.5.1");
    }

    #[test]
    fn parses_every_accepted_form() {
        let want = d(1975, 1, 1);
        for input in [
            "1975-01-01",
            "1975/1/1",
            "1975.1.1",
            "19750101",
            "1975年1月1日",
            "S50.1.1",
            "s50.1.1",
            "S50/1/1",
            "S50-1-1",
            "昭和50年1月1日",
            "昭和50.1.1",
            "3500101",
            "１９７５／０１／０１",
            "Ｓ５０．１．１",
            " 昭和 50年 1月 1日 ",
        ] {
            assert_eq!(parse_date(input), Ok(want), "{input}");
        }
        assert_eq!(parse_date("R1.5.1"), Ok(d(2019, 5, 1)));
        assert_eq!(parse_date("R元.5.1"), Ok(d(2019, 5, 1)));
        assert_eq!(parse_date("令和元年5月1日"), Ok(d(2019, 5, 1)));
        assert_eq!(parse_date("令和1年5月1日"), Ok(d(2019, 5, 1)));
        assert_eq!(parse_date("H31.4.30"), Ok(d(2019, 4, 30)));
        assert_eq!(parse_date("平成元年1月8日"), Ok(d(1989, 1, 8)));
        assert_eq!(parse_date("4010108"), Ok(d(1989, 1, 8)));
        assert_eq!(parse_date("5080101"), Ok(d(2026, 1, 1)));
    }

    #[test]
    fn change_days_may_be_written_in_either_era() {
        assert_eq!(parse_date("明治45年7月30日"), Ok(d(1912, 7, 30)));
        assert_eq!(parse_date("大正元年7月30日"), Ok(d(1912, 7, 30)));
        assert_eq!(parse_date("大正15年12月25日"), Ok(d(1926, 12, 25)));
        assert_eq!(parse_date("昭和元年12月25日"), Ok(d(1926, 12, 25)));
    }

    #[test]
    fn rejects_impossible_dates_with_reasons() {
        assert!(matches!(
            parse_date("平成32年1月1日"),
            Err(DateError::AfterEraEnd { year: 32, .. })
        ));
        assert!(matches!(
            parse_date("平成31年5月1日"),
            Err(DateError::AfterEraEnd { .. })
        ));
        assert!(matches!(
            parse_date("昭和64年1月8日"),
            Err(DateError::AfterEraEnd { .. })
        ));
        assert!(matches!(
            parse_date("昭和64年1月9日"),
            Err(DateError::AfterEraEnd { .. })
        ));
        assert!(matches!(
            parse_date("令和1年4月30日"),
            Err(DateError::BeforeEraStart { .. })
        ));
        assert!(matches!(
            parse_date("R0.1.1"),
            Err(DateError::EraYearZero { .. })
        ));
        assert_eq!(parse_date("2023-02-29"), Err(DateError::NoSuchDay));
        assert_eq!(parse_date("令和5年2月29日"), Err(DateError::NoSuchDay));
        assert_eq!(parse_date("1975-13-01"), Err(DateError::NoSuchDay));
        assert_eq!(parse_date("1975-04-31"), Err(DateError::NoSuchDay));
        assert_eq!(parse_date(""), Err(DateError::Empty));
        assert_eq!(parse_date("   "), Err(DateError::Empty));
        assert_eq!(parse_date(&"1".repeat(65)), Err(DateError::TooLong));
        assert_eq!(
            parse_date("X50.1.1"),
            Err(DateError::UnknownEra("X".into()))
        );
        assert_eq!(
            parse_date("慶応3年1月1日"),
            Err(DateError::UnknownEra("慶応".into()))
        );
        assert_eq!(
            parse_date("9500101"),
            Err(DateError::UnknownEra("9".into()))
        );
        for bad in [
            "1975-1/1",
            "75-01-01",
            "1975",
            "abc",
            "昭和五十年",
            "S50.1",
            "S50..1",
            "1975年1月1",
            "1800-01-01",
            "𠮷",
        ] {
            assert!(parse_date(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_date("1800-01-01"), Err(DateError::OutOfRange));
    }

    #[test]
    fn messages_are_japanese_and_specific() {
        let e = parse_date("平成32年1月1日").expect_err("invalid");
        assert_eq!(
            e.message_ja(),
            "平成32年は存在しない年です（平成は平成31年4月30日まで）。"
        );
        assert_eq!(
            parse_date("2023-02-29").expect_err("x").message_ja(),
            "存在しない日付です。"
        );
    }

    #[test]
    fn a_new_era_is_added_by_data() {
        let csv = format!(
            "{}\n新元,N,6,2040-01-01,0\n",
            include_str!("../data/eras.csv")
        );
        let t = EraTable::from_csv(&csv).expect("table");
        assert_eq!(
            t.to_wareki(d(2040, 1, 1)).expect("w").to_string(),
            "新元元年1月1日"
        );
        assert_eq!(t.parse_date("N2.3.4"), Ok(d(2041, 3, 4)));
        assert!(matches!(
            t.parse_date("令和22年1月1日"),
            Err(DateError::AfterEraEnd { .. })
        ));
        assert!(EraTable::from_csv("bad").is_err());
        assert!(EraTable::from_csv("").is_err());
    }

    #[test]
    fn round_trips_every_day_across_boundaries() {
        let mut day = d(1868, 1, 25);
        while day < d(2030, 1, 1) {
            let w = to_wareki(day).expect("w");
            assert_eq!(parse_date(&w.to_string()), Ok(day), "{w}");
            assert_eq!(parse_date(&w.short()), Ok(day), "{}", w.short());
            day = day
                .checked_add_days(chrono::Days::new(97))
                .expect("in range");
        }
    }
}
