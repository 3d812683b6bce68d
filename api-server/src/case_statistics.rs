//! The statistics of counter cases (統計): cases by day, hour, weekday, counter, staff, procedure, 届出
//! kind and channel (窓口・キオスク・証明書発行端末), the handling time of closed cases, certificates
//! issued, the procedures 手続きナビ found, and the period compared with the one before and the same
//! period a year earlier. No HTTP here; the routes are in `api::statistics`.
//!
//! Figures are sums of the store's case summary ([`madoguchi_store::CaseStore::case_summary`]: daily
//! counts kept by every case write, see [`madoguchi_store::case_summary`] — a case counts on the day it
//! was opened, Japan time) and the certificates issued per item
//! ([`madoguchi_store::CertificateStore::count_certificates_by_item`]); no case document or
//! certificate row is read for a period.
//! The handling time of a case is from its opening to its last save, for cases that are 完了 now.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Datelike, NaiveDate};
use madoguchi_core::permission::Permission;
use madoguchi_store::CounterRecord;
use madoguchi_store::case_summary::{self as cs, SummaryCount};
use serde::Serialize;
use utoipa::ToSchema;

use crate::certificate_history::{CountBy, Labels, day_label};

/// How the case came in.
pub const CHANNELS: [(&str, &str); 3] = [
    ("counter", "窓口"),
    ("kiosk", "キオスク端末"),
    ("station", "証明書発行端末"),
];

/// Weekday labels, Monday first.
const WEEKDAYS: [&str; 7] = ["月", "火", "水", "木", "金", "土", "日"];

/// Handling-time buckets: upper bound in minutes (exclusive) and label.
const HANDLING_BUCKETS: [(i64, &str); 5] = [
    (15, "15分未満"),
    (30, "15分以上30分未満"),
    (60, "30分以上1時間未満"),
    (120, "1時間以上2時間未満"),
    (i64::MAX, "2時間以上"),
];

/// The number of cases of a period, for comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct PeriodTotal {
    /// `previous` (the same number of days just before) or `last_year` (the same days a year earlier).
    pub key: String,
    /// `前の期間`, `前年同期`.
    pub label: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Cases opened in that period.
    pub total: u32,
}

/// The handling time (opened → 完了) of the cases closed now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct HandlingTime {
    /// Cases of the period that are 完了.
    pub closed: u32,
    /// The median in minutes; none when no case is closed.
    pub median_minutes: Option<u32>,
    /// By bucket (`15分未満` …), every bucket listed.
    pub buckets: Vec<CountBy>,
}

/// The case statistics of a period (統計).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct CaseStatistics {
    /// First day, Japan time.
    pub from: NaiveDate,
    /// Last day (inclusive), Japan time.
    pub to: NaiveDate,
    /// Cases opened in the period.
    pub total: u32,
    /// Every day of the period, days without a case included.
    pub by_day: Vec<CountBy>,
    /// Every hour 0–23, Japan time.
    pub by_hour: Vec<CountBy>,
    /// Monday (`1`) to Sunday (`7`).
    pub by_weekday: Vec<CountBy>,
    /// By the counter where the case was opened.
    pub by_counter: Vec<CountBy>,
    /// By the staff login (or kiosk account) that opened the case.
    pub by_staff: Vec<CountBy>,
    /// By 窓口 (`counter`), キオスク端末 (`kiosk`), 証明書発行端末 (`station`); every channel listed.
    pub by_channel: Vec<CountBy>,
    /// By 届出 kind (転入, 転居 …), one count per 届出.
    pub by_notification: Vec<CountBy>,
    /// By procedure code, one count per case listing it.
    pub by_procedure: Vec<CountBy>,
    /// Procedures listed in the period's cases (what 手続きナビ found; 手続き漏れ prevented).
    pub procedures_found: u32,
    /// Cases with at least one procedure.
    pub cases_with_procedures: u32,
    pub handling: HandlingTime,
    /// Certificates issued in the period (one per 発行番号, revoked ones included).
    pub certificates_issued: u32,
    /// Certificates by fee-table item.
    pub certificates_by_item: Vec<CountBy>,
    /// The period before (the months before when the period starts on the 1st) and the same period a
    /// year earlier.
    pub comparison: Vec<PeriodTotal>,
}

/// Names of counters, items and which counters are kiosks (a counter that allows a kiosk's
/// application but not accepting 届出 at a staff counter).
pub struct StatisticsLabels {
    pub names: Labels,
    kiosks: HashSet<String>,
}

impl StatisticsLabels {
    pub fn new(names: Labels, counters: &[CounterRecord]) -> Self {
        let kiosks = counters
            .iter()
            .filter(|c| {
                c.permissions.contains(Permission::KioskApply)
                    && !c.permissions.contains(Permission::AcceptNotification)
            })
            .map(|c| c.code.clone())
            .collect();
        StatisticsLabels { names, kiosks }
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn counts(map: BTreeMap<String, (String, usize)>) -> Vec<CountBy> {
    let mut v: Vec<CountBy> = map
        .into_iter()
        .map(|(key, (label, n))| CountBy {
            key,
            label,
            count: count(n),
        })
        .collect();
    v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
    v
}

/// The summary's counts of one dimension: key → (label, count).
fn dimension<'a>(summary: &'a [SummaryCount], dim: &str) -> impl Iterator<Item = &'a SummaryCount> {
    let dim = dim.to_owned();
    summary.iter().filter(move |c| c.dim == dim)
}

fn n(c: &SummaryCount) -> usize {
    usize::try_from(c.count).unwrap_or(0)
}

/// Counts by key, most first, labelled by `label`.
fn by_key(
    summary: &[SummaryCount],
    dim: &str,
    label: impl Fn(&SummaryCount) -> String,
) -> Vec<CountBy> {
    counts(
        dimension(summary, dim)
            .map(|c| (c.key.clone(), (label(c), n(c))))
            .collect(),
    )
}

/// Cases by channel: station requests, then the rest at a kiosk counter, then the counter.
fn channels(summary: &[SummaryCount], labels: &StatisticsLabels) -> [usize; 3] {
    let stations: HashMap<&str, usize> = dimension(summary, cs::STATION)
        .map(|c| (c.key.as_str(), n(c)))
        .collect();
    let mut out = [0, 0, stations.values().sum()];
    for c in dimension(summary, cs::COUNTER) {
        let rest = n(c).saturating_sub(stations.get(c.key.as_str()).copied().unwrap_or(0));
        if labels.kiosks.contains(&c.key) {
            out[1] += rest;
        } else {
            out[0] += rest;
        }
    }
    out
}

/// The handling time of the closed cases, from the histogram of whole minutes.
fn handling(summary: &[SummaryCount]) -> HandlingTime {
    let mut minutes: Vec<(i64, usize)> = dimension(summary, cs::MINUTES)
        .filter_map(|c| Some((c.key.parse::<i64>().ok()?, n(c))))
        .collect();
    minutes.sort_unstable();
    let closed: usize = minutes.iter().map(|(_, k)| k).sum();
    let mut buckets = [0usize; HANDLING_BUCKETS.len()];
    let (mut seen, mut median) = (0usize, None);
    for (m, k) in &minutes {
        let i = HANDLING_BUCKETS
            .iter()
            .position(|(upper, _)| m < upper)
            .unwrap_or(HANDLING_BUCKETS.len() - 1);
        buckets[i] += k;
        if median.is_none() && seen + k > closed / 2 {
            median = Some(u32::try_from(*m).unwrap_or(u32::MAX));
        }
        seen += k;
    }
    HandlingTime {
        closed: count(closed),
        median_minutes: median,
        buckets: HANDLING_BUCKETS
            .iter()
            .zip(buckets)
            .enumerate()
            .map(|(i, ((_, label), n))| CountBy {
                key: i.to_string(),
                label: (*label).to_owned(),
                count: count(n),
            })
            .collect(),
    }
}

/// The statistics of the period `from..=to` from its case summary and the certificates issued in it
/// per item (as the store counts them).
pub fn statistics(
    summary: &[SummaryCount],
    issued: &[(String, u64)],
    (from, to): (NaiveDate, NaiveDate),
    labels: &StatisticsLabels,
    comparison: Vec<PeriodTotal>,
) -> CaseStatistics {
    let mut days: BTreeMap<NaiveDate, usize> = BTreeMap::new();
    let mut weekdays = [0usize; 7];
    for c in dimension(summary, cs::DAY) {
        let Ok(day) = c.key.parse::<NaiveDate>() else {
            continue;
        };
        *days.entry(day).or_default() += n(c);
        weekdays[day.weekday().num_days_from_monday() as usize] += n(c);
    }
    let mut hours = [0usize; 24];
    for c in dimension(summary, cs::HOUR) {
        if let Some(h) = c.key.parse::<usize>().ok().filter(|h| *h < 24) {
            hours[h] += n(c);
        }
    }
    let by_procedure = by_key(summary, cs::PROCEDURE, |c| c.label.clone());
    let procedures_found: usize = by_procedure.iter().map(|c| c.count as usize).sum();
    let with_procedures: usize = dimension(summary, cs::WITH_PROCEDURES).map(n).sum();
    let (certificates_issued, certificates_by_item) =
        crate::certificate_history::by_item(issued, &labels.names);
    CaseStatistics {
        from,
        to,
        total: count(days.values().sum()),
        by_day: every_day(from, to, &days),
        by_hour: (0..24)
            .map(|h| fixed(h.to_string(), format!("{h}時"), hours[h]))
            .collect(),
        by_weekday: (0..7)
            .map(|d| fixed((d + 1).to_string(), WEEKDAYS[d].to_owned(), weekdays[d]))
            .collect(),
        by_counter: by_key(summary, cs::COUNTER, |c| labels.names.place(&c.key)),
        by_staff: by_key(summary, cs::STAFF, |c| c.key.clone()),
        by_channel: CHANNELS
            .iter()
            .zip(channels(summary, labels))
            .map(|((key, label), n)| fixed((*key).to_owned(), (*label).to_owned(), n))
            .collect(),
        by_notification: by_key(summary, cs::NOTIFICATION, |c| c.key.clone()),
        by_procedure,
        procedures_found: count(procedures_found),
        cases_with_procedures: count(with_procedures),
        handling: handling(summary),
        certificates_issued,
        certificates_by_item,
        comparison,
    }
}

fn fixed(key: String, label: String, n: usize) -> CountBy {
    CountBy {
        key,
        label,
        count: count(n),
    }
}

fn every_day(from: NaiveDate, to: NaiveDate, days: &BTreeMap<NaiveDate, usize>) -> Vec<CountBy> {
    from.iter_days()
        .take_while(|d| *d <= to)
        .map(|d| {
            fixed(
                d.to_string(),
                day_label(d),
                days.get(&d).copied().unwrap_or(0),
            )
        })
        .collect()
}

/// The periods compared with `from..=to`: the period before — the whole months before when the
/// period starts on the 1st (this month so far → all of last month; this year so far → all of last
/// year), else the same number of days just before — and the same days a year earlier (29 February
/// falls back to the 28th).
pub fn comparison_periods(
    from: NaiveDate,
    to: NaiveDate,
) -> [(&'static str, &'static str, NaiveDate, NaiveDate); 2] {
    let before_to = from - chrono::Duration::days(1);
    let before_from = if from.day() == 1 {
        let months = (to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32 + 1;
        from.checked_sub_months(chrono::Months::new(months.unsigned_abs()))
            .unwrap_or(from)
    } else {
        from - chrono::Duration::days((to - from).num_days() + 1)
    };
    let year_back = |d: NaiveDate| {
        d.with_year(d.year() - 1)
            .or_else(|| NaiveDate::from_ymd_opt(d.year() - 1, d.month(), 28))
            .unwrap_or(d)
    };
    [
        ("previous", "前の期間", before_from, before_to),
        ("last_year", "前年同期", year_back(from), year_back(to)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone, Utc};
    use madoguchi_core::fees::FeeTable;
    use madoguchi_core::permission::PermissionSet;
    use madoguchi_store::CaseRecord;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    /// A case opened at `hour`:00 JST on 2026-12-07 (a Monday), `minutes` long when closed.
    fn case(hour: i64, counter: &str, closed_after: Option<i64>) -> CaseRecord {
        let opened = Utc
            .with_ymd_and_hms(2026, 12, 6, 15, 0, 0)
            .single()
            .expect("t")
            + Duration::hours(hour);
        CaseRecord {
            id: format!("c-{hour}-{counter}"),
            revision: 1,
            status: if closed_after.is_some() {
                "closed"
            } else {
                "open"
            }
            .into(),
            title: String::new(),
            opened_at: opened,
            opened_by: "sato".into(),
            opened_counter: counter.into(),
            updated_at: opened + Duration::minutes(closed_after.unwrap_or(0)),
            updated_by: "sato".into(),
            updated_counter: counter.into(),
            document: "{}".into(),
        }
    }

    /// The summary the store would keep for `cases`, over the days `from..=to`.
    fn summary(cases: &[CaseRecord], from: NaiveDate, to: NaiveDate) -> Vec<SummaryCount> {
        let mut sums: BTreeMap<(&str, String), (String, i64)> = BTreeMap::new();
        for c in cases {
            let (day, items) = cs::contribution(&cs::SummarizedCase {
                status: &c.status,
                opened_at: c.opened_at,
                opened_by: &c.opened_by,
                opened_counter: &c.opened_counter,
                updated_at: c.updated_at,
                document: &c.document,
            });
            if !(from..=to).contains(&day) {
                continue;
            }
            for i in items {
                sums.entry((i.dim, i.key)).or_insert((i.label, 0)).1 += 1;
            }
        }
        sums.into_iter()
            .map(|((dim, key), (label, count))| SummaryCount {
                dim: dim.to_owned(),
                key,
                label,
                count,
            })
            .collect()
    }

    fn labels() -> StatisticsLabels {
        let counter = |code: &str, permissions: PermissionSet| CounterRecord {
            code: code.into(),
            name: format!("{code}窓口"),
            permissions,
            browser_allowed: false,
        };
        let counters = [
            counter("shimin-1", PermissionSet::all()),
            counter("kiosk", [Permission::KioskApply].into_iter().collect()),
        ];
        let names = Labels::new(&FeeTable::standard().expect("fees"), &counters);
        StatisticsLabels::new(names, &counters)
    }

    #[test]
    fn cases_count_by_time_counter_channel_and_handling_time() {
        let cases = [
            case(9, "shimin-1", Some(10)),
            case(9, "shimin-1", Some(45)),
            case(10, "kiosk", None),
            case(13, "shimin-1", Some(200)),
            case(24 + 9, "shimin-1", None),
        ];
        let s = statistics(
            &summary(&cases, d(2026, 12, 7), d(2026, 12, 7)),
            &[],
            (d(2026, 12, 7), d(2026, 12, 7)),
            &labels(),
            vec![],
        );
        assert_eq!(s.total, 4, "the 8th is outside");
        assert_eq!(s.by_day.len(), 1);
        assert_eq!(
            (s.by_hour[9].count, s.by_hour[10].count, s.by_hour[13].count),
            (2, 1, 1)
        );
        assert_eq!(
            (s.by_weekday[0].label.as_str(), s.by_weekday[0].count),
            ("月", 4)
        );
        let pairs: Vec<(&str, u32)> = s
            .by_counter
            .iter()
            .map(|c| (c.label.as_str(), c.count))
            .collect();
        assert_eq!(pairs, [("shimin-1窓口", 3), ("kiosk窓口", 1)], "most first");
        let channels: Vec<u32> = s.by_channel.iter().map(|c| c.count).collect();
        assert_eq!(channels, [3, 1, 0]);
        assert_eq!(s.handling.closed, 3);
        assert_eq!(s.handling.median_minutes, Some(45));
        let buckets: Vec<u32> = s.handling.buckets.iter().map(|c| c.count).collect();
        assert_eq!(buckets, [1, 0, 1, 0, 1]);
        assert_eq!(
            s.procedures_found, 0,
            "unreadable documents count only as cases"
        );
    }

    #[test]
    fn no_closed_case_has_no_median() {
        let s = statistics(
            &[],
            &[],
            (d(2026, 12, 1), d(2026, 12, 31)),
            &labels(),
            vec![],
        );
        assert_eq!((s.total, s.handling.median_minutes), (0, None));
        assert_eq!(s.by_day.len(), 31);
    }

    #[test]
    fn comparison_is_the_period_before_and_a_year_earlier() {
        let [before, year] = comparison_periods(d(2026, 12, 1), d(2026, 12, 7));
        assert_eq!(
            (before.2, before.3),
            (d(2026, 11, 1), d(2026, 11, 30)),
            "last month"
        );
        assert_eq!((year.2, year.3), (d(2025, 12, 1), d(2025, 12, 7)));
        let [before, _] = comparison_periods(d(2026, 1, 1), d(2026, 12, 7));
        assert_eq!(
            (before.2, before.3),
            (d(2025, 1, 1), d(2025, 12, 31)),
            "last year"
        );
        let [before, _] = comparison_periods(d(2026, 12, 5), d(2026, 12, 7));
        assert_eq!(
            (before.2, before.3),
            (d(2026, 12, 2), d(2026, 12, 4)),
            "days before"
        );
        let [_, leap] = comparison_periods(d(2028, 2, 29), d(2028, 2, 29));
        assert_eq!(leap.2, d(2027, 2, 28));
    }

    #[test]
    fn exports_write_counts_under_five_as_less_than_five() {
        let masked: Vec<String> = [0, 1, 4, 5, 120]
            .into_iter()
            .map(crate::statistics_csv::masked)
            .collect();
        assert_eq!(masked, ["0", "<5", "<5", "5", "120"]);
    }
}
