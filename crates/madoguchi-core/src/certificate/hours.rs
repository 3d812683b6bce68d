//! The opening hours of the issuance stations (発行端末の受付時間), set by the city: the weekdays and the
//! time of day a station takes requests. Outside them a station says when it opens next. Times are
//! Japan's local time, passed in (no clock here). Public holidays are not known here.

use chrono::{Datelike, Duration, NaiveDateTime, NaiveTime, Timelike, Weekday};

/// Weekdays as shown, Monday first.
const DAYS_JA: [&str; 7] = ["月", "火", "水", "木", "金", "土", "日"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

    /// When the station next opens after `at`; `None` when no weekday is open.
    pub fn next_opening(&self, at: NaiveDateTime) -> Option<NaiveDateTime> {
        (0..=7).find_map(|n| {
            let day = at.date() + Duration::days(n);
            let start = day.and_time(self.open);
            (self.open_on(day.weekday()) && start > at).then_some(start)
        })
    }

    /// What a closed station says, for `at`.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use madoguchi_core::certificate::hours::Hours;
    /// let h = Hours::parse("1,2,3,4,5 08:30-17:15").unwrap();
    /// let saturday = NaiveDate::from_ymd_opt(2026, 12, 5).unwrap().and_hms_opt(10, 0, 0).unwrap();
    /// assert!(!h.is_open(saturday));
    /// assert_eq!(
    ///     h.closed_message(saturday),
    ///     "ただいまは受付時間外です。次の受付開始は 12月7日（月）8時30分 です。"
    /// );
    /// ```
    pub fn closed_message(&self, at: NaiveDateTime) -> String {
        match self.next_opening(at) {
            Some(next) => format!(
                "ただいまは受付時間外です。次の受付開始は {}月{}日（{}）{}時{} です。",
                next.month(),
                next.day(),
                DAYS_JA[next.weekday().num_days_from_monday() as usize],
                next.hour(),
                next.format("%M分"),
            ),
            None => "ただいま、この端末での受付を休止しています。窓口でお尋ねください。".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(d: u32, h: u32, m: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 12, d)
            .and_then(|x| x.and_hms_opt(h, m, 0))
            .expect("time")
    }

    #[test]
    fn opening_hours_on_weekdays_with_the_next_opening() {
        let h = Hours::parse("1,2,3,4,5 08:30-17:15").expect("hours");
        // 2026-12-07 is a Monday.
        assert!(!h.is_open(at(7, 8, 29)));
        assert!(h.is_open(at(7, 8, 30)));
        assert!(h.is_open(at(7, 17, 14)));
        assert!(!h.is_open(at(7, 17, 15)));
        assert_eq!(h.next_opening(at(7, 7, 0)), Some(at(7, 8, 30)));
        assert_eq!(h.next_opening(at(7, 18, 0)), Some(at(8, 8, 30)));
        // Friday evening → Monday.
        assert_eq!(h.next_opening(at(11, 18, 0)), Some(at(14, 8, 30)));
        assert!(
            h.closed_message(at(11, 18, 0))
                .contains("12月14日（月）8時30分")
        );
        let never = Hours::parse(" 08:30-17:15").expect("no day");
        assert_eq!(never.next_opening(at(7, 9, 0)), None);
        assert!(never.closed_message(at(7, 9, 0)).contains("休止"));
        assert!(Hours::parse("1 8:30").is_err());
    }
}
