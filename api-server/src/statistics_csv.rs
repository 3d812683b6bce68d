//! The case statistics as a CSV file for a spreadsheet (統計のCSV): a UTF-8 BOM, the header
//! `区分,キー,項目,件数` and one row per figure. A count of 1 to 4 is written `<5`, so that a
//! published table never singles out a few persons; 0 stays 0. Cells are neutralised against
//! spreadsheet formulas.

use crate::case_statistics::CaseStatistics;
use crate::certificate_history::CountBy;
use crate::csv_text::cell;

/// A count as the export shows it: `<5` for 1 to 4.
pub fn masked(n: u32) -> String {
    if (1..5).contains(&n) {
        "<5".to_owned()
    } else {
        n.to_string()
    }
}

fn row(out: &mut String, section: &str, key: &str, label: &str, n: u32) {
    let cells = [cell(section), cell(key), cell(label), cell(&masked(n))];
    out.push_str(&cells.join(","));
    out.push_str("\r\n");
}

fn rows(out: &mut String, section: &str, counts: &[CountBy]) {
    for c in counts {
        row(out, section, &c.key, &c.label, c.count);
    }
}

/// The statistics as CSV.
pub fn to_csv(s: &CaseStatistics) -> String {
    let mut out = String::from("\u{FEFF}区分,キー,項目,件数\r\n");
    let period = format!("{}..{}", s.from, s.to);
    row(&mut out, "合計", &period, "案件数", s.total);
    for p in &s.comparison {
        let key = format!("{}..{}", p.from, p.to);
        row(&mut out, "比較", &key, &p.label, p.total);
    }
    rows(&mut out, "日別", &s.by_day);
    rows(&mut out, "時間帯別", &s.by_hour);
    rows(&mut out, "曜日別", &s.by_weekday);
    rows(&mut out, "受付経路別", &s.by_channel);
    rows(&mut out, "窓口別", &s.by_counter);
    rows(&mut out, "職員別", &s.by_staff);
    rows(&mut out, "届出別", &s.by_notification);
    rows(&mut out, "手続別", &s.by_procedure);
    row(
        &mut out,
        "手続きナビ",
        "found",
        "案内した手続の数",
        s.procedures_found,
    );
    row(
        &mut out,
        "手続きナビ",
        "cases",
        "手続を案内した案件数",
        s.cases_with_procedures,
    );
    row(
        &mut out,
        "処理時間",
        "closed",
        "完了した案件数",
        s.handling.closed,
    );
    rows(&mut out, "処理時間", &s.handling.buckets);
    row(
        &mut out,
        "証明書",
        "total",
        "発行した証明書の数",
        s.certificates_issued,
    );
    rows(&mut out, "証明書", &s.certificates_by_item);
    out
}
