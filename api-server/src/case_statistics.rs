//! The statistics of counter cases (統計): cases by day, hour, weekday, counter, staff, procedure, 届出
//! kind and channel (窓口・キオスク・証明書発行端末), the handling time of closed cases, certificates
//! issued, the procedures 手続きナビ found, and the period compared with the one before and the same
//! period a year earlier. No HTTP here; the routes are in `api::statistics`.
//!
//! Figures are counts over [`madoguchi_store::CaseStore::cases_opened_between`] (a case counts on the
//! day it was opened, Japan time) and [`madoguchi_store::CertificateStore::find_certificates`]; nothing
//! personal is read but the case document's kinds and codes. The handling time of a case is from its
//! opening to its last save, for cases that are 完了 now.

use std::collections::{BTreeMap, HashSet};

use chrono::{Datelike, NaiveDate, Timelike};
use madoguchi_core::permission::Permission;
use madoguchi_store::{CaseRecord, CertificateEntry, CounterRecord};
use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::certificate_history::{CountBy, Labels, day_label, jst};

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

/// The few fields of a stored case document the statistics read (`core::case_document::CaseDocument`'s
/// names, unchanged by every schema version so far): parsing only these skips the signature strokes,
/// card faces and members that make up most of a document.
#[derive(Deserialize)]
struct CountedDocument {
    #[serde(default)]
    notifications: Vec<CountedNotification>,
    #[serde(default)]
    procedures: Vec<CountedProcedure>,
    #[serde(default)]
    station: Option<IgnoredAny>,
}

#[derive(Deserialize)]
struct CountedNotification {
    kind: String,
}

#[derive(Deserialize)]
struct CountedProcedure {
    code: String,
    name: String,
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

fn bump(map: &mut BTreeMap<String, (String, usize)>, key: &str, label: impl FnOnce() -> String) {
    map.entry(key.to_owned()).or_insert_with(|| (label(), 0)).1 += 1;
}

/// The channel of a case: a station request, a case opened at a kiosk counter, or the counter.
fn channel(record: &CaseRecord, doc: Option<&CountedDocument>, labels: &StatisticsLabels) -> usize {
    if doc.is_some_and(|d| d.station.is_some()) {
        2
    } else if labels.kiosks.contains(&record.opened_counter) {
        1
    } else {
        0
    }
}

/// Counts by the case document: 届出 kinds and procedures.
#[derive(Default)]
struct DocumentCounts {
    notifications: BTreeMap<String, (String, usize)>,
    procedures: BTreeMap<String, (String, usize)>,
    found: usize,
    with_procedures: usize,
}

impl DocumentCounts {
    fn add(&mut self, doc: &CountedDocument) {
        for n in &doc.notifications {
            bump(&mut self.notifications, &n.kind, || n.kind.clone());
        }
        let mut seen = HashSet::new();
        for p in doc
            .procedures
            .iter()
            .filter(|p| seen.insert(p.code.as_str()))
        {
            bump(&mut self.procedures, &p.code, || p.name.clone());
        }
        self.found += seen.len();
        self.with_procedures += usize::from(!seen.is_empty());
    }
}

/// The handling time of the closed cases.
fn handling(cases: &[&CaseRecord]) -> HandlingTime {
    let mut minutes: Vec<i64> = cases
        .iter()
        .filter(|c| c.status == "closed")
        .map(|c| (c.updated_at - c.opened_at).num_minutes().max(0))
        .collect();
    minutes.sort_unstable();
    let mut buckets = [0usize; HANDLING_BUCKETS.len()];
    for m in &minutes {
        let i = HANDLING_BUCKETS
            .iter()
            .position(|(upper, _)| m < upper)
            .unwrap_or(HANDLING_BUCKETS.len() - 1);
        buckets[i] += 1;
    }
    HandlingTime {
        closed: count(minutes.len()),
        median_minutes: minutes
            .get(minutes.len() / 2)
            .filter(|_| !minutes.is_empty())
            .map(|m| u32::try_from(*m).unwrap_or(u32::MAX)),
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

/// Certificates by item, in the fee table's order (the issuance statistics' own counting).
fn certificates(
    entries: &[CertificateEntry],
    (from, to): (NaiveDate, NaiveDate),
    labels: &Labels,
) -> (u32, Vec<CountBy>) {
    let s = crate::certificate_history::statistics(entries, from, to, labels);
    (s.total, s.by_item)
}

/// The statistics of the cases opened and certificates issued in `from..=to` (others are ignored).
pub fn statistics(
    cases: &[CaseRecord],
    issued: &[CertificateEntry],
    (from, to): (NaiveDate, NaiveDate),
    labels: &StatisticsLabels,
    comparison: Vec<PeriodTotal>,
) -> CaseStatistics {
    let inside: Vec<&CaseRecord> = cases
        .iter()
        .filter(|c| (from..=to).contains(&jst(c.opened_at).date()))
        .collect();
    let mut days: BTreeMap<NaiveDate, usize> = BTreeMap::new();
    let (mut hours, mut weekdays, mut channels) = ([0usize; 24], [0usize; 7], [0usize; 3]);
    let (mut counters, mut staff) = (BTreeMap::new(), BTreeMap::new());
    let mut docs = DocumentCounts::default();
    for c in &inside {
        let at = jst(c.opened_at);
        *days.entry(at.date()).or_default() += 1;
        hours[at.hour() as usize] += 1;
        weekdays[at.weekday().num_days_from_monday() as usize] += 1;
        bump(&mut counters, &c.opened_counter, || {
            labels.names.place(&c.opened_counter)
        });
        bump(&mut staff, &c.opened_by, || c.opened_by.clone());
        let doc = serde_json::from_str::<CountedDocument>(&c.document).ok();
        channels[channel(c, doc.as_ref(), labels)] += 1;
        if let Some(d) = &doc {
            docs.add(d);
        }
    }
    let (certificates_issued, certificates_by_item) =
        certificates(issued, (from, to), &labels.names);
    CaseStatistics {
        from,
        to,
        total: count(inside.len()),
        by_day: every_day(from, to, &days),
        by_hour: (0..24)
            .map(|h| fixed(h.to_string(), format!("{h}時"), hours[h]))
            .collect(),
        by_weekday: (0..7)
            .map(|d| fixed((d + 1).to_string(), WEEKDAYS[d].to_owned(), weekdays[d]))
            .collect(),
        by_counter: counts(counters),
        by_staff: counts(staff),
        by_channel: CHANNELS
            .iter()
            .zip(channels)
            .map(|((key, label), n)| fixed((*key).to_owned(), (*label).to_owned(), n))
            .collect(),
        by_notification: counts(docs.notifications),
        by_procedure: counts(docs.procedures),
        procedures_found: count(docs.found),
        cases_with_procedures: count(docs.with_procedures),
        handling: handling(&inside),
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
            &cases,
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
