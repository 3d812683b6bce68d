//! The certificate issuance history and statistics (発行履歴・発行統計): periods in Japan days, the
//! labels of items and counters, and the counts over the light entries of
//! [`madoguchi_store::CertificateStore::find_certificates`]. No HTTP here; the routes are in
//! `api::certificate_history`.
//!
//! Every certificate issued in the period counts, revoked ones too (`revoked` says how many of them
//! were revoked since): the statistics describe what was handed out at the counters.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveDateTime, Timelike, Utc};
use madoguchi_core::fees::FeeTable;
use madoguchi_store::{CertificateEntry, CounterRecord};
use serde::Serialize;
use utoipa::ToSchema;

use crate::csv_text::cell;

/// The longest period a statistic covers, in days (a leap year).
pub const MAX_DAYS: i64 = 366;

/// Why a period is refused, in Japanese.
pub fn check_period(from: NaiveDate, to: NaiveDate) -> Result<(), &'static str> {
    if from > to {
        return Err("期間の開始日が終了日より後になっています。");
    }
    if (to - from).num_days() + 1 > MAX_DAYS {
        return Err("期間は366日以内で指定してください。");
    }
    Ok(())
}

/// The instants of a period of Japan days, both inclusive: `[from 0:00 JST, the day after to 0:00 JST)`.
pub fn period_bounds(from: NaiveDate, to: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
    (
        crate::audit::jst_midnight(from),
        crate::audit::jst_midnight(to + Duration::days(1)),
    )
}

/// An instant in Japan time.
pub fn jst(t: DateTime<Utc>) -> NaiveDateTime {
    FixedOffset::east_opt(9 * 3600).map_or(t.naive_utc(), |o| t.with_timezone(&o).naive_local())
}

/// The names of the tenant's fee-table items and counters; an unknown code is its own label.
#[derive(Debug, Clone, Default)]
pub struct Labels {
    items: HashMap<String, (usize, String)>,
    places: HashMap<String, String>,
}

impl Labels {
    pub fn new(fees: &FeeTable, counters: &[CounterRecord]) -> Self {
        Labels {
            items: fees
                .items
                .iter()
                .enumerate()
                .map(|(i, f)| (f.code.clone(), (i, f.name.clone())))
                .collect(),
            places: counters
                .iter()
                .map(|c| (c.code.clone(), c.name.clone()))
                .collect(),
        }
    }

    /// The fee-table name of an item (`住民票の写し`), or its code.
    pub fn item(&self, code: &str) -> String {
        self.items
            .get(code)
            .map_or_else(|| code.to_owned(), |(_, name)| name.clone())
    }

    /// The name of a counter when it is one of the tenant's.
    pub fn place_name(&self, code: &str) -> Option<&str> {
        self.places.get(code).map(String::as_str)
    }

    /// The name of a counter, or its code.
    pub fn place(&self, code: &str) -> String {
        self.place_name(code).unwrap_or(code).to_owned()
    }

    /// Fee-table order first, then unknown codes alphabetically.
    fn item_rank(&self, code: &str) -> (usize, String) {
        (
            self.items.get(code).map_or(usize::MAX, |(i, _)| *i),
            code.to_owned(),
        )
    }
}

/// One count of a statistic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct CountBy {
    /// What is counted: an item code, a day `2026-12-07`, an hour `9`, a counter code.
    pub key: String,
    /// How people read it: `住民票の写し`, `12月7日`, `9時`, the counter's name.
    pub label: String,
    pub count: u32,
}

/// The issuance statistics of a period (発行統計).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct CertificateStatistics {
    /// First day, Japan time.
    pub from: NaiveDate,
    /// Last day (inclusive), Japan time.
    pub to: NaiveDate,
    /// Certificates issued (one per 発行番号), revoked ones included.
    pub total: u32,
    /// How many of them are revoked (失効) now.
    pub revoked: u32,
    /// By fee-table item, in the table's order; items not issued are left out.
    pub by_item: Vec<CountBy>,
    /// Every day of the period, days without an issue included.
    pub by_day: Vec<CountBy>,
    /// Every hour 0–23 of the day, Japan time.
    pub by_hour: Vec<CountBy>,
    /// By counter (or station) code.
    pub by_place: Vec<CountBy>,
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The statistics of the entries issued in `from..=to` (entries outside the period are ignored).
pub fn statistics(
    entries: &[CertificateEntry],
    from: NaiveDate,
    to: NaiveDate,
    labels: &Labels,
) -> CertificateStatistics {
    let inside: Vec<&CertificateEntry> = entries
        .iter()
        .filter(|e| (from..=to).contains(&jst(e.issued_at).date()))
        .collect();
    let mut items: BTreeMap<(usize, String), usize> = BTreeMap::new();
    let mut days: BTreeMap<NaiveDate, usize> = BTreeMap::new();
    let mut hours = [0usize; 24];
    let mut places: BTreeMap<&str, usize> = BTreeMap::new();
    for e in &inside {
        let at = jst(e.issued_at);
        *items.entry(labels.item_rank(&e.item)).or_default() += 1;
        *days.entry(at.date()).or_default() += 1;
        hours[at.hour() as usize] += 1;
        *places.entry(&e.place).or_default() += 1;
    }
    let by_day = from
        .iter_days()
        .take_while(|d| *d <= to)
        .map(|d| CountBy {
            key: d.to_string(),
            label: day_label(d),
            count: count(days.get(&d).copied().unwrap_or(0)),
        })
        .collect();
    CertificateStatistics {
        from,
        to,
        total: count(inside.len()),
        revoked: count(inside.iter().filter(|e| e.revoked_at.is_some()).count()),
        by_item: items
            .into_iter()
            .map(|((_, code), n)| CountBy {
                label: labels.item(&code),
                key: code,
                count: count(n),
            })
            .collect(),
        by_day,
        by_hour: (0..24)
            .map(|h| CountBy {
                key: h.to_string(),
                label: format!("{h}時"),
                count: count(hours[h]),
            })
            .collect(),
        by_place: places
            .into_iter()
            .map(|(code, n)| CountBy {
                key: code.to_owned(),
                label: labels.place(code),
                count: count(n),
            })
            .collect(),
    }
}

/// Counts per item (counted by the store) as the statistics show them: the total, and by item in the
/// fee table's order (unknown codes last, alphabetically).
pub fn by_item(counts: &[(String, u64)], labels: &Labels) -> (u32, Vec<CountBy>) {
    let mut items: Vec<(&String, u64)> = counts.iter().map(|(c, n)| (c, *n)).collect();
    items.sort_by_key(|(code, _)| labels.item_rank(code));
    let total: u64 = items.iter().map(|(_, n)| n).sum();
    let by_item = items
        .into_iter()
        .map(|(code, n)| CountBy {
            key: code.clone(),
            label: labels.item(code),
            count: u32::try_from(n).unwrap_or(u32::MAX),
        })
        .collect();
    (u32::try_from(total).unwrap_or(u32::MAX), by_item)
}

/// A day as the statistics show it: `12月7日`.
pub fn day_label(d: NaiveDate) -> String {
    format!("{}月{}日", d.month(), d.day())
}

/// A row of the CSV file: day, hour, item (rank and code) and counter code, in the rows' order.
type CsvRow<'a> = (NaiveDate, u32, (usize, String), &'a str);

/// The statistics as a CSV file for a spreadsheet: a UTF-8 BOM, the header `日付,時,証明書,窓口,件数`
/// and one row per day, hour, item and counter with at least one issue, in that order. Cells are
/// neutralised against spreadsheet formulas.
pub fn statistics_csv(entries: &[CertificateEntry], labels: &Labels) -> String {
    let mut rows: BTreeMap<CsvRow<'_>, usize> = BTreeMap::new();
    for e in entries {
        let at = jst(e.issued_at);
        let key = (
            at.date(),
            at.hour(),
            labels.item_rank(&e.item),
            e.place.as_str(),
        );
        *rows.entry(key).or_default() += 1;
    }
    let mut out = String::from("\u{FEFF}日付,時,証明書,窓口,件数\r\n");
    for ((day, hour, (_, item), place), n) in rows {
        let cells = [
            day.to_string(),
            hour.to_string(),
            labels.item(&item),
            labels.place(place),
            n.to_string(),
        ];
        let line: Vec<String> = cells.iter().map(|c| cell(c)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use madoguchi_core::permission::PermissionSet;

    /// 2026-12-07 00:00 JST.
    fn dec7() -> DateTime<Utc> {
        crate::audit::jst_midnight(NaiveDate::from_ymd_opt(2026, 12, 7).expect("date"))
    }

    fn entry(no: u32, item: &str, place: &str, hours: i64, revoked: bool) -> CertificateEntry {
        CertificateEntry {
            issue_no: format!("R08-{no:06}"),
            case_id: None,
            item: item.into(),
            subjects: vec![],
            place: place.into(),
            issued_by: "staff1".into(),
            issued_at: dec7() + Duration::hours(hours) + Duration::minutes(5),
            revoked_at: revoked.then(dec7),
            revoke_reason: None,
        }
    }

    fn labels() -> Labels {
        let counter = CounterRecord {
            code: "shimin-1".into(),
            name: "市民課1番".into(),
            permissions: PermissionSet::EMPTY,
            browser_allowed: false,
        };
        Labels::new(&FeeTable::standard().expect("fees"), &[counter])
    }

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, day).expect("date")
    }

    fn counts(v: &[CountBy]) -> Vec<(&str, &str, u32)> {
        v.iter()
            .map(|c| (c.key.as_str(), c.label.as_str(), c.count))
            .collect()
    }

    #[test]
    fn periods_are_checked_and_bounded_in_japan_time() {
        assert_eq!(check_period(d(7), d(7)), Ok(()));
        assert!(check_period(d(8), d(7)).is_err());
        let jan1 = NaiveDate::from_ymd_opt(2026, 1, 1).expect("date");
        assert_eq!(check_period(jan1, jan1 + Duration::days(365)), Ok(()));
        assert!(check_period(jan1, jan1 + Duration::days(366)).is_err());
        let (from, to) = period_bounds(d(7), d(8));
        assert_eq!(from.to_rfc3339(), "2026-12-06T15:00:00+00:00");
        assert_eq!(to.to_rfc3339(), "2026-12-08T15:00:00+00:00");
    }

    #[test]
    fn statistics_count_by_item_day_hour_and_place() {
        let entries = [
            entry(1, "JUMINHYO", "shimin-1", 9, false),
            entry(2, "JUMINHYO", "shimin-1", 9, true),
            entry(3, "INKAN-SHOMEI", "station-9", 14, false),
            entry(4, "JUMINHYO", "shimin-1", 24 + 10, false),
            entry(5, "OTHER", "shimin-1", 48 + 8, false),
        ];
        let s = statistics(&entries, d(7), d(9), &labels());
        assert_eq!((s.total, s.revoked), (5, 1));
        assert_eq!(
            counts(&s.by_item),
            [
                ("JUMINHYO", "住民票の写し", 3),
                ("INKAN-SHOMEI", "印鑑登録証明書", 1),
                ("OTHER", "OTHER", 1)
            ]
        );
        assert_eq!(
            counts(&s.by_day),
            [
                ("2026-12-07", "12月7日", 3),
                ("2026-12-08", "12月8日", 1),
                ("2026-12-09", "12月9日", 1)
            ]
        );
        assert_eq!(s.by_hour.len(), 24);
        assert_eq!(counts(&s.by_hour)[9], ("9", "9時", 2));
        assert_eq!(counts(&s.by_hour)[0], ("0", "0時", 0));
        assert_eq!(
            counts(&s.by_place),
            [("shimin-1", "市民課1番", 4), ("station-9", "station-9", 1)]
        );
    }

    #[test]
    fn days_without_issues_and_entries_outside_are_handled() {
        let entries = [entry(1, "JUMINHYO", "shimin-1", -1, false)];
        let s = statistics(&entries, d(7), d(8), &labels());
        assert_eq!(s.total, 0, "issued on the 6th (23:05 JST)");
        assert_eq!(
            counts(&s.by_day),
            [("2026-12-07", "12月7日", 0), ("2026-12-08", "12月8日", 0)]
        );
        assert!(s.by_item.is_empty() && s.by_place.is_empty());
    }

    #[test]
    fn csv_has_a_bom_a_header_and_neutralised_cells() {
        let entries = [
            entry(1, "JUMINHYO", "shimin-1", 9, false),
            entry(2, "JUMINHYO", "shimin-1", 9, false),
            entry(3, "=HYPERLINK(1)", "@evil", 14, false),
        ];
        let csv = statistics_csv(&entries, &labels());
        assert_eq!(
            csv,
            "\u{FEFF}日付,時,証明書,窓口,件数\r\n\
             2026-12-07,9,住民票の写し,市民課1番,2\r\n\
             2026-12-07,14,'=HYPERLINK(1),'@evil,1\r\n"
        );
    }
}
