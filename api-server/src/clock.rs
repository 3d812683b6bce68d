//! The clock: the only place the server reads the date for domain rules (the core takes it as a value).

use chrono::{FixedOffset, NaiveDate, Utc};

/// Today's date in Japan: the counter's "today" for ages and date checks.
pub fn today_jst() -> NaiveDate {
    let now = Utc::now();
    FixedOffset::east_opt(9 * 3600)
        .map_or(now.date_naive(), |jst| now.with_timezone(&jst).date_naive())
}
