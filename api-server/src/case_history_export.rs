//! The 対応履歴 export (出雲 N44): what was done at the counters in a period, one row per history
//! entry, for the city's auditors. Residents appear by 宛名番号 only — never by name, address or
//! memo: the auditors can look a person up in the core systems when they must, and a file that leaves
//! the system carries nothing more. The history lines themselves hold kinds, procedure and certificate
//! names, never a person's data (`core::case::history_lines`).
//!
//! The file: a UTF-8 BOM, the header `日時,案件ID,窓口,窓口名,端末,職員,宛名番号,内容`, cells
//! neutralised against spreadsheet formulas (`csv_text::cell`). `docs/admin.md` §4 documents the
//! columns.

use madoguchi_store::CaseHistoryRow;

use crate::certificate_history::{Labels, jst};
use crate::csv_text::cell;

/// The header of the file.
pub const HEADER: &str = "日時,案件ID,窓口,窓口名,端末,職員,宛名番号,内容";

/// The rows as CSV, in their order.
pub fn to_csv(rows: &[CaseHistoryRow], labels: &Labels) -> String {
    let mut out = format!("\u{FEFF}{HEADER}\r\n");
    for r in rows {
        let e = &r.entry;
        let cells = [
            jst(e.at).format("%Y-%m-%d %H:%M:%S").to_string(),
            r.case_id.clone(),
            e.counter.clone(),
            labels.place_name(&e.counter).unwrap_or_default().to_owned(),
            e.terminal.clone().unwrap_or_default(),
            e.user.clone(),
            r.subjects.join(" "),
            e.lines.join("／"),
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
    use chrono::{TimeZone, Utc};
    use madoguchi_core::fees::FeeTable;
    use madoguchi_core::permission::PermissionSet;
    use madoguchi_store::{CaseEntry, CounterRecord};

    #[test]
    fn rows_are_in_japan_time_with_atena_numbers_and_neutralised_cells() {
        let counter = CounterRecord {
            code: "shimin-1".into(),
            name: "市民課1番".into(),
            permissions: PermissionSet::EMPTY,
            browser_allowed: false,
        };
        let labels = Labels::new(&FeeTable::standard().expect("fees"), &[counter]);
        let row = |case_id: &str, counter: &str, lines: Vec<String>| CaseHistoryRow {
            case_id: case_id.into(),
            subjects: vec!["000000000000019".into(), "000000000000027".into()],
            entry: CaseEntry {
                write_id: "w".into(),
                at: Utc
                    .with_ymd_and_hms(2026, 12, 7, 0, 5, 0)
                    .single()
                    .expect("t"),
                user: "sato".into(),
                counter: counter.into(),
                terminal: Some("t1".into()),
                lines,
            },
        };
        let rows = [
            row(
                "c-1",
                "shimin-1",
                vec!["案件を作成".into(), "状態: 受付中".into()],
            ),
            row("=cmd|' /C calc'!A0", "@x", vec!["-1+1".into()]),
        ];
        let csv = to_csv(&rows, &labels);
        assert_eq!(
            csv,
            "\u{FEFF}日時,案件ID,窓口,窓口名,端末,職員,宛名番号,内容\r\n\
             2026-12-07 09:05:00,c-1,shimin-1,市民課1番,t1,sato,000000000000019 000000000000027,案件を作成／状態: 受付中\r\n\
             2026-12-07 09:05:00,'=cmd|' /C calc'!A0,'@x,,t1,sato,000000000000019 000000000000027,'-1+1\r\n"
        );
    }
}
