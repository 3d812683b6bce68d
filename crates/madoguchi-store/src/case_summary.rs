//! The case summary every backend keeps for the statistics (統計): daily counts per tenant, day (Japan
//! time, the day the case was opened), dimension and key, adjusted on every case write in the write's own
//! transaction, so that they can never disagree with the cases.
//!
//! Why daily counts and not one narrow row per case: the dashboard reads up to a year. One row per case
//! is still ~330,000 rows to group for a year (hundreds of milliseconds even narrow); daily counts are
//! ~365 × a few dozen to a few hundred rows whatever the number of cases. Every figure of the dashboard
//! is a sum over days, but two need care:
//! * the median handling time: the dimension [`MINUTES`] counts closed cases per exact whole minute,
//!   so the median and the buckets come out exact from the summed histogram;
//! * the channel depends on which counters are kiosks *now* (the counters' permissions): the summary
//!   counts cases by opening counter ([`COUNTER`]) and station requests by counter ([`STATION`]); the
//!   reader derives the channel.
//!
//! A write subtracts the case's old contribution (computed from the row as it was) and adds the new
//! one. Cases stored before the summary existed are listed as pending by the migration and counted the
//! first time the tenant's summary is read ([`crate::CaseStore::case_summary`] drains them in batches,
//! each in its own transaction; a write to a pending case counts it then). Changing [`contribution`]
//! later needs a migration that rebuilds the counts (empty them, list every case as pending).

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Duration, NaiveDate, Timelike, Utc};
use serde::Deserialize;
use serde::de::IgnoredAny;

/// Cases opened that day (key: the day, `YYYY-MM-DD`).
pub const DAY: &str = "day";
/// By hour of opening, Japan time (key `0`–`23`).
pub const HOUR: &str = "hour";
/// By the counter where the case was opened (key: the counter code).
pub const COUNTER: &str = "counter";
/// By the login that opened the case.
pub const STAFF: &str = "staff";
/// Station requests (証明書発行端末) by the counter where they were opened.
pub const STATION: &str = "station";
/// One per 届出 (key: its kind).
pub const NOTIFICATION: &str = "notification";
/// One per case listing the procedure (key: its code; label: its name).
pub const PROCEDURE: &str = "procedure";
/// Cases with at least one procedure (key empty).
pub const WITH_PROCEDURES: &str = "with_procedures";
/// Cases 完了 now, by handling time in whole minutes (opened → last save).
pub const MINUTES: &str = "minutes";

/// The summary of a period: one count per dimension and key, summed over the days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryCount {
    pub dim: String,
    pub key: String,
    /// The procedure's name; empty for the other dimensions.
    pub label: String,
    pub count: i64,
}

/// What one case adds to the summary of its opening day.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct CaseCount {
    pub dim: &'static str,
    pub key: String,
    pub label: String,
}

/// The fields of a case the summary reads.
pub struct SummarizedCase<'a> {
    pub status: &'a str,
    pub opened_at: DateTime<Utc>,
    pub opened_by: &'a str,
    pub opened_counter: &'a str,
    pub updated_at: DateTime<Utc>,
    pub document: &'a str,
}

/// The few fields of a stored case document counted (the names of `core::case_document::CaseDocument`).
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

/// The Japan-time day a case counts on.
pub fn jst_day(at: DateTime<Utc>) -> NaiveDate {
    (at + Duration::hours(9)).date_naive()
}

fn item(dim: &'static str, key: impl Into<String>) -> CaseCount {
    CaseCount {
        dim,
        key: key.into(),
        label: String::new(),
    }
}

/// The day a case counts on and what it adds there (one count each; a document that cannot be read
/// counts the case by time, counter and staff only).
pub fn contribution(c: &SummarizedCase<'_>) -> (NaiveDate, Vec<CaseCount>) {
    let day = jst_day(c.opened_at);
    let hour = (c.opened_at + Duration::hours(9)).hour();
    let mut out = vec![
        item(DAY, day.to_string()),
        item(HOUR, hour.to_string()),
        item(COUNTER, c.opened_counter),
        item(STAFF, c.opened_by),
    ];
    if c.status == "closed" {
        let minutes = (c.updated_at - c.opened_at).num_minutes().max(0);
        out.push(item(MINUTES, minutes.to_string()));
    }
    let Ok(doc) = serde_json::from_str::<CountedDocument>(c.document) else {
        return (day, out);
    };
    if doc.station.is_some() {
        out.push(item(STATION, c.opened_counter));
    }
    out.extend(
        doc.notifications
            .into_iter()
            .map(|n| item(NOTIFICATION, n.kind)),
    );
    let mut seen = HashSet::new();
    for p in doc.procedures {
        if seen.insert(p.code.clone()) {
            out.push(CaseCount {
                dim: PROCEDURE,
                key: p.code,
                label: p.name,
            });
        }
    }
    if !seen.is_empty() {
        out.push(item(WITH_PROCEDURES, ""));
    }
    (day, out)
}

/// The net change of the summary when a case goes from `old` (none for a new case or one not counted
/// yet) to `new`: (day, dimension, key) → (label, delta), zero deltas left out.
pub fn delta(
    old: Option<&SummarizedCase<'_>>,
    new: &SummarizedCase<'_>,
) -> BTreeMap<(NaiveDate, &'static str, String), (String, i64)> {
    let mut out: BTreeMap<(NaiveDate, &'static str, String), (String, i64)> = BTreeMap::new();
    let mut add = |c: &SummarizedCase<'_>, sign: i64| {
        let (day, items) = contribution(c);
        for i in items {
            let e = out.entry((day, i.dim, i.key)).or_insert((i.label, 0));
            e.1 += sign;
        }
    };
    if let Some(o) = old {
        add(o, -1);
    }
    add(new, 1);
    out.retain(|_, (_, n)| *n != 0);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn case<'a>(status: &'a str, document: &'a str, minutes: i64) -> SummarizedCase<'a> {
        // 2026-12-06 23:30 JST.
        let opened = Utc
            .with_ymd_and_hms(2026, 12, 6, 14, 30, 0)
            .single()
            .expect("t");
        SummarizedCase {
            status,
            opened_at: opened,
            opened_by: "sato",
            opened_counter: "shimin-1",
            updated_at: opened + Duration::minutes(minutes),
            document,
        }
    }

    #[test]
    fn a_case_counts_on_its_japan_day_with_its_document() {
        let doc = r#"{"notifications":[{"kind":"転入"},{"kind":"転入"}],
            "procedures":[{"code":"A","name":"甲"},{"code":"A","name":"甲"},{"code":"B","name":"乙"}],
            "station":{"terminal":"t1"}}"#;
        let (day, items) = contribution(&case("closed", doc, 75));
        assert_eq!(day, NaiveDate::from_ymd_opt(2026, 12, 6).expect("d"));
        let dims: Vec<(&str, &str)> = items.iter().map(|i| (i.dim, i.key.as_str())).collect();
        assert_eq!(
            dims,
            [
                (DAY, "2026-12-06"),
                (HOUR, "23"),
                (COUNTER, "shimin-1"),
                (STAFF, "sato"),
                (MINUTES, "75"),
                (STATION, "shimin-1"),
                (NOTIFICATION, "転入"),
                (NOTIFICATION, "転入"),
                (PROCEDURE, "A"),
                (PROCEDURE, "B"),
                (WITH_PROCEDURES, ""),
            ]
        );
        assert_eq!(items[9].label, "乙");
    }

    #[test]
    fn an_unreadable_document_counts_the_case_only() {
        let (_, items) = contribution(&case("open", "not json", 0));
        assert_eq!(items.len(), 4);
    }

    #[test]
    fn closing_a_case_moves_only_what_changed() {
        let doc = r#"{"procedures":[{"code":"A","name":"甲"}]}"#;
        let d = delta(Some(&case("open", doc, 0)), &case("closed", doc, 20));
        let changed: Vec<(&str, &str, i64)> = d
            .iter()
            .map(|((_, dim, key), (_, n))| (*dim, key.as_str(), *n))
            .collect();
        assert_eq!(changed, [(MINUTES, "20", 1)]);
    }
}
