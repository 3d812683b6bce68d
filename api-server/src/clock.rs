//! The clock: the only place the server reads the date for domain rules (the core takes it as a value).

use chrono::{FixedOffset, NaiveDate, Utc};

/// Today's date in Japan: the counter's "today" for ages and date checks.
pub fn today_jst() -> NaiveDate {
    let now = Utc::now();
    FixedOffset::east_opt(9 * 3600)
        .map_or(now.date_naive(), |jst| now.with_timezone(&jst).date_naive())
}

/// The time of day in Japan now (local, no offset): for opening hours.
pub fn now_jst() -> chrono::NaiveDateTime {
    let now = Utc::now();
    FixedOffset::east_opt(9 * 3600)
        .map_or(now.naive_utc(), |jst| now.with_timezone(&jst).naive_local())
}
