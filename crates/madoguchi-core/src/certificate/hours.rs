//! The opening hours of the issuance stations (発行端末の受付時間), set by the city: the weekdays and the
//! time of day a station takes requests, per station or city-wide; and the city's closed days (休日:
//! 年末年始, public holidays, entered as dates by the city — public holidays are not computed here).
//! Outside them a station says when it opens next. Times are Japan's local time, passed in (no clock
//! here).

use std::collections::BTreeSet;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Weekday};
use serde::{Deserialize, Serialize};

/// Weekdays as shown, Monday first.
const DAYS_JA: [&str; 7] = ["月", "火", "水", "木", "金", "土", "日"];

/// Stored (and serialized, in a station's setup) as its text form, [`Hours::to_text`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Hours {
    /// Monday first.
    pub days: [bool; 7],
    pub open: NaiveTime,
    pub close: NaiveTime,
}

impl Hours {
    /// The stored form: the open weekdays (1 Monday … 7 Sunday, comma-separated, possibly none) and
    /// the hours, e.g. `1,2,3,4,5 08:30-17:15`.
    ///
    /// ```
    /// use madoguchi_core::certificate::hours::Hours;
    /// let h = Hours::parse("1,2,3,4,5 08:30-17:15").unwrap();
    /// assert_eq!(h.to_text(), "1,2,3,4,5 08:30-17:15");
    /// assert!(Hours::parse("1,8 08:30-17:15").is_err());
    /// assert!(Hours::parse("1 17:15-08:30").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<Hours, String> {
        let (days_text, times) = text
            .trim()
            .rsplit_once(' ')
            .map_or(("", text.trim()), |(d, t)| (d.trim(), t));
        let mut days = [false; 7];
        for d in days_text
            .split(',')
            .map(str::trim)
            .filter(|d| !d.is_empty())
        {
            match d.parse::<usize>() {
                Ok(n @ 1..=7) => days[n - 1] = true,
                _ => return Err("曜日は1（月）〜7（日）で指定してください。".into()),
            }
        }
        let (open, close) = times
            .split_once('-')
            .ok_or("受付時間は「08:30-17:15」の形で指定してください。")?;
        let time = |t: &str| {
            NaiveTime::parse_from_str(t.trim(), "%H:%M")
                .map_err(|_| "時刻は「08:30」の形で指定してください。".to_owned())
        };
        Hours::new(days, time(open)?, time(close)?)
    }

    /// Checked: the station opens before it closes.
    pub fn new(days: [bool; 7], open: NaiveTime, close: NaiveTime) -> Result<Hours, String> {
        if open >= close {
            return Err("受付の開始は終了より前の時刻にしてください。".into());
        }
        Ok(Hours { days, open, close })
    }

    pub fn to_text(&self) -> String {
        let days: Vec<String> = (1..=7)
            .filter(|n| self.days[n - 1])
            .map(|n| n.to_string())
            .collect();
        format!(
            "{} {}-{}",
            days.join(","),
            self.open.format("%H:%M"),
            self.close.format("%H:%M")
        )
    }

    fn open_on(&self, day: Weekday) -> bool {
        self.days[day.num_days_from_monday() as usize]
    }

    /// Whether a station takes requests at `at` (Japan's local time): an open weekday, from `open`
    /// to before `close`.
    pub fn is_open(&self, at: NaiveDateTime) -> bool {
        self.open_on(at.weekday()) && at.time() >= self.open && at.time() < self.close
    }
}

impl TryFrom<String> for Hours {
    type Error = String;
    fn try_from(text: String) -> Result<Hours, String> {
        Hours::parse(&text)
    }
}

impl From<Hours> for String {
    fn from(h: Hours) -> String {
        h.to_text()
    }
}

/// The most closed days a city keeps (a few years of 休日).
pub const MAX_CLOSED_DAYS: usize = 400;

/// The city's closed days (休日): every station is closed all day, whatever its hours.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClosedDays(BTreeSet<NaiveDate>);

impl ClosedDays {
    /// The stored form: ISO dates separated by commas (`2026-12-29,2026-12-30`), in any order, each
    /// kept once; empty: none.
    ///
    /// ```
    /// use madoguchi_core::certificate::hours::ClosedDays;
    /// let c = ClosedDays::parse("2027-01-01, 2026-12-31,2027-01-01").unwrap();
    /// assert_eq!(c.to_text(), "2026-12-31,2027-01-01");
    /// assert!(ClosedDays::parse("2026-02-30").unwrap_err().contains("2026-02-30"));
    /// ```
    pub fn parse(text: &str) -> Result<ClosedDays, String> {
        let days = text
            .split(',')
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(|d| {
                NaiveDate::parse_from_str(d, "%Y-%m-%d")
                    .map_err(|_| format!("休日の日付が正しくありません: {d}"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        ClosedDays::new(days)
    }

    /// Checked: at most [`MAX_CLOSED_DAYS`].
    pub fn new(days: impl IntoIterator<Item = NaiveDate>) -> Result<ClosedDays, String> {
        let set: BTreeSet<NaiveDate> = days.into_iter().collect();
        if set.len() > MAX_CLOSED_DAYS {
            return Err(format!(
                "休日は{MAX_CLOSED_DAYS}日までです。過ぎた日を削除してください。"
            ));
        }
        Ok(ClosedDays(set))
    }

    pub fn to_text(&self) -> String {
        self.dates()
            .map(|d| d.format("%Y-%m-%d").to_string())
            .collect::<Vec<_>>()
            .join(",")
    }

    /// In date order.
    pub fn dates(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.0.iter().copied()
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        self.0.contains(&day)
    }
}

/// When one station takes requests: its hours (its own or the city's; `None`: whenever it is on)
/// and the city's closed days.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Calendar {
    pub hours: Option<Hours>,
    pub closed: ClosedDays,
}

impl Calendar {
    /// Whether the station takes requests at `at`: not on a closed day, and within its hours.
    pub fn is_open(&self, at: NaiveDateTime) -> bool {
        !self.closed.contains(at.date()) && self.hours.is_none_or(|h| h.is_open(at))
    }

    /// When the station next opens after `at`, skipping closed days; `None` when no weekday is
    /// open. Without hours a station opens at the start of its next day that is not closed.
    pub fn next_opening(&self, at: NaiveDateTime) -> Option<NaiveDateTime> {
        // Each closed day ahead can hide one occurrence of an open weekday: looking one week per
        // closed day further than a week always finds the opening if there is one.
        let ahead = self.closed.0.range(at.date()..).count();
        let horizon = 7 * (ahead as i64 + 1) + 1;
        (0..=horizon).find_map(|n| {
            let day = at.date() + Duration::days(n);
            if self.closed.contains(day) {
                return None;
            }
            let start = match self.hours {
                Some(h) if !h.open_on(day.weekday()) => return None,
                Some(h) => day.and_time(h.open),
                None => day.and_time(NaiveTime::MIN),
            };
            (start > at).then_some(start)
        })
    }

    /// What the station says at `at` when it is closed (Japanese, with when it opens next); `None`
    /// when it is open.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use madoguchi_core::certificate::hours::{Calendar, ClosedDays, Hours};
    /// let at = |m, d, h| NaiveDate::from_ymd_opt(2026, m, d).unwrap().and_hms_opt(h, 0, 0).unwrap();
    /// let weekdays = Calendar {
    ///     hours: Some(Hours::parse("1,2,3,4,5 08:30-17:15").unwrap()),
    ///     closed: ClosedDays::parse("2026-12-29,2026-12-30,2026-12-31,2027-01-01,2027-01-02,2027-01-03").unwrap(),
    /// };
    /// assert_eq!(weekdays.closed_message(at(12, 7, 10)), None); // a Monday morning
    /// assert_eq!(
    ///     weekdays.closed_message(at(12, 5, 10)).unwrap(), // a Saturday
    ///     "ただいまは受付時間外です。次の受付開始は 12月7日（月）8時30分 です。"
    /// );
    /// // 年末年始: closed from Tuesday 12/29; Monday 1/4 is the next open day.
    /// assert_eq!(
    ///     weekdays.closed_message(at(12, 29, 10)).unwrap(),
    ///     "本日は休日のため、受付を休止しています。次の受付開始は 1月4日（月）8時30分 です。"
    /// );
    /// ```
    pub fn closed_message(&self, at: NaiveDateTime) -> Option<String> {
        if self.is_open(at) {
            return None;
        }
        let Some(next) = self.next_opening(at) else {
            return Some(
                "ただいま、この端末での受付を休止しています。窓口でお尋ねください。".into(),
            );
        };
        let why = if self.closed.contains(at.date()) {
            "本日は休日のため、受付を休止しています。"
        } else {
            "ただいまは受付時間外です。"
        };
        Some(format!(
            "{why}次の受付開始は {}月{}日（{}）{}時{} です。",
            next.month(),
            next.day(),
            DAYS_JA[next.weekday().num_days_from_monday() as usize],
            next.hour(),
            next.format("%M分"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn on(m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        let year = if m == 1 { 2027 } else { 2026 };
        NaiveDate::from_ymd_opt(year, m, d)
            .and_then(|x| x.and_hms_opt(h, min, 0))
            .expect("time")
    }

    fn at(d: u32, h: u32, m: u32) -> NaiveDateTime {
        on(12, d, h, m)
    }

    fn calendar(hours: &str, closed: &str) -> Calendar {
        Calendar {
            hours: (!hours.is_empty()).then(|| Hours::parse(hours).expect("hours")),
            closed: ClosedDays::parse(closed).expect("closed"),
        }
    }

    #[test]
    fn opening_hours_on_weekdays_with_the_next_opening() {
        let c = calendar("1,2,3,4,5 08:30-17:15", "");
        // 2026-12-07 is a Monday.
        assert!(!c.is_open(at(7, 8, 29)));
        assert!(c.is_open(at(7, 8, 30)));
        assert!(c.is_open(at(7, 17, 14)));
        assert!(!c.is_open(at(7, 17, 15)));
        assert_eq!(c.next_opening(at(7, 7, 0)), Some(at(7, 8, 30)));
        assert_eq!(c.next_opening(at(7, 18, 0)), Some(at(8, 8, 30)));
        // Friday evening → Monday.
        assert_eq!(c.next_opening(at(11, 18, 0)), Some(at(14, 8, 30)));
        let message = c.closed_message(at(11, 18, 0)).expect("closed");
        assert!(message.contains("12月14日（月）8時30分"), "{message}");
        let never = calendar(" 08:30-17:15", "");
        assert_eq!(never.next_opening(at(7, 9, 0)), None);
        assert!(
            never
                .closed_message(at(7, 9, 0))
                .expect("closed")
                .contains("休止")
        );
        assert!(Hours::parse("1 8:30").is_err());
    }

    #[test]
    fn closed_days_skip_to_the_next_open_day() {
        // 年末年始 12/29 (Tue) – 1/3 (Sun) and the 成人の日 1/11 (Mon) as the city entered them.
        let year_end = "2026-12-29,2026-12-30,2026-12-31,2027-01-01,2027-01-02,2027-01-03";
        let weekdays = calendar("1,2,3,4,5 08:30-17:15", &format!("{year_end},2027-01-11"));
        assert!(!weekdays.is_open(at(29, 10, 0)));
        assert_eq!(weekdays.next_opening(at(28, 18, 0)), Some(on(1, 4, 8, 30)));
        // Friday 1/8 after hours: Monday 1/11 is closed, Tuesday 1/12 opens.
        assert_eq!(
            weekdays.next_opening(on(1, 8, 18, 0)),
            Some(on(1, 12, 8, 30))
        );
        let message = weekdays.closed_message(on(1, 11, 10, 0)).expect("closed");
        assert!(message.starts_with("本日は休日のため"), "{message}");
        assert!(message.contains("1月12日（火）8時30分"), "{message}");
        // A 支所 station open on Saturdays keeps the city's closed days.
        let saturdays = calendar("1,2,3,4,5,6 09:00-12:00", year_end);
        assert_eq!(saturdays.next_opening(at(26, 13, 0)), Some(at(28, 9, 0)));
        assert!(saturdays.is_open(at(26, 9, 0)));
        assert_eq!(saturdays.next_opening(at(28, 13, 0)), Some(on(1, 4, 9, 0)));
        // Without hours: open whenever on, but not on a closed day (then from the next day's start).
        let always = calendar("", year_end);
        assert!(always.is_open(at(28, 23, 59)));
        assert_eq!(always.next_opening(at(29, 10, 0)), Some(on(1, 4, 0, 0)));
        // Only Mondays, and the next three Mondays closed: still found.
        let mondays = calendar("1 08:30-17:15", "2026-12-07,2026-12-14,2026-12-21");
        assert_eq!(mondays.next_opening(at(5, 10, 0)), Some(at(28, 8, 30)));
    }

    #[test]
    fn hours_travel_as_their_text_and_closed_days_are_bounded() {
        let h = Hours::parse("6 09:00-12:00").expect("hours");
        let json = serde_json::to_string(&h).expect("json");
        assert_eq!(json, r#""6 09:00-12:00""#);
        assert_eq!(serde_json::from_str::<Hours>(&json).expect("back"), h);
        assert!(serde_json::from_str::<Hours>(r#""6 12:00-09:00""#).is_err());
        let many = (0..=MAX_CLOSED_DAYS as i64).map(|n| at(1, 0, 0).date() + Duration::days(n));
        assert!(ClosedDays::new(many).is_err());
    }
}
