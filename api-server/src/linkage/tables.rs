//! The small core-system feeds read whole: 支援措置対象者情報 (`001o009`) and 資格情報 (`shikaku`).
//! Layouts: `docs/linkage.md`. Both are history-bearing like 001o006: only rows with 最新フラグ 1 count
//! (when the column is there), and of several for one key the highest (履歴番号, 履歴番号枝番) wins.

use std::collections::HashMap;

use madoguchi_core::ids::{AtenaNo, IdError};
use madoguchi_core::resident::SupportMeasure;
use madoguchi_core::wareki::parse_date;
use madoguchi_store::{ImportMode, QualificationChange, QualificationRecord, SupportMeasureRecord};

use crate::import::{CsvEncoding, MAX_FIELD_BYTES, RowProblem};

/// A problem with the file as a whole (line 0 when not tied to a line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileProblem {
    pub line: u64,
    pub message: String,
}

/// What a feed file holds once read: its rows (in order), or why it cannot be read.
pub struct Parsed<T> {
    pub rows_read: u64,
    pub items: Vec<T>,
    pub problems: Vec<RowProblem>,
}

/// Decodes the file (UTF-8 with or without BOM, or CP932) into text.
pub fn decode(bytes: &[u8], encoding: CsvEncoding) -> Result<String, FileProblem> {
    match encoding {
        CsvEncoding::Utf8 => {
            let body = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
            String::from_utf8(body.to_vec()).map_err(|e| {
                let line = 1 + body[..e.utf8_error().valid_up_to()]
                    .iter()
                    .filter(|b| **b == b'\n')
                    .count() as u64;
                FileProblem {
                    line,
                    message: format!(
                        "{line}行目に UTF-8 として読めない文字があります。文字コードを確認してください（Shift_JIS の場合はマニフェストに encoding: cp932 を指定）。"
                    ),
                }
            })
        }
        CsvEncoding::Cp932 => {
            let (text, had_errors) = encoding_rs::SHIFT_JIS.decode_without_bom_handling(bytes);
            if had_errors {
                let line = 1 + text
                    .split('\u{FFFD}')
                    .next()
                    .map_or(0, |p| p.matches('\n').count()) as u64;
                return Err(FileProblem {
                    line,
                    message: format!(
                        "{line}行目付近に Shift_JIS（CP932）として読めない文字があります。文字コードを確認してください。"
                    ),
                });
            }
            Ok(text.into_owned())
        }
    }
}

struct Table<'a> {
    columns: &'a [(&'static str, bool)],
    index: HashMap<&'static str, usize>,
    len: usize,
}

struct Row<'a, 'b> {
    table: &'b Table<'a>,
    rec: &'b csv::StringRecord,
    line: u64,
    problems: &'b mut Vec<RowProblem>,
}

impl Row<'_, '_> {
    fn problem(&mut self, col: &str, message: impl Into<String>) {
        self.problems.push(RowProblem {
            line: self.line,
            column: Some(col.to_owned()),
            message: message.into(),
        });
    }

    fn get(&mut self, col: &'static str) -> Option<String> {
        let i = *self.table.index.get(col)?;
        let v = self.rec.get(i)?.trim();
        if v.len() > MAX_FIELD_BYTES {
            self.problem(
                col,
                format!("値が長すぎます（{MAX_FIELD_BYTES}バイト以内）。"),
            );
            return None;
        }
        (!v.is_empty()).then(|| v.to_owned())
    }

    fn required(&mut self, col: &'static str) -> Option<String> {
        let v = self.get(col);
        if v.is_none() && self.table.columns.iter().any(|(c, _)| *c == col) {
            self.problem(col, format!("{col}は必須です。"));
        }
        v
    }

    fn atena(&mut self) -> Option<AtenaNo> {
        let v = self.required("宛名番号")?;
        match AtenaNo::parse(&v) {
            Ok(a) => Some(a),
            Err(IdError::CheckDigit { .. }) => {
                self.problem("宛名番号", "宛名番号のチェックデジットが正しくありません。");
                None
            }
            Err(_) => {
                self.problem("宛名番号", "宛名番号は15桁以内の数字で入力してください。");
                None
            }
        }
    }

    fn date(&mut self, col: &'static str) -> Result<Option<chrono::NaiveDate>, ()> {
        match self.get(col) {
            None => Ok(None),
            Some(v) => parse_date(&v).map(Some).map_err(|_| {
                self.problem(
                    col,
                    format!("{col}は日付（例 2026-04-01、令和8年4月1日）で入力してください。"),
                );
            }),
        }
    }

    fn flag(&mut self, col: &'static str) -> Result<bool, ()> {
        match self.get(col).as_deref() {
            None | Some("0") => Ok(false),
            Some("1") => Ok(true),
            Some(_) => {
                self.problem(col, format!("{col}は 0 または 1 で入力してください。"));
                Err(())
            }
        }
    }

    /// `Ok(None)`: a past row (最新フラグ 0); `Ok(Some(version))` a current one.
    fn history(&mut self) -> Result<Option<(u64, u64)>, ()> {
        if !self.table.index.contains_key("最新フラグ") {
            return Ok(Some((0, 0)));
        }
        match self.get("最新フラグ").as_deref() {
            Some("1") => {}
            Some("0") => return Ok(None),
            _ => {
                self.problem("最新フラグ", "最新フラグは 0 または 1 で入力してください。");
                return Err(());
            }
        }
        let mut n = |col: &'static str| match self.get(col) {
            None => Ok(0),
            Some(v) => v.parse::<u64>().map_err(|_| {
                self.problem(col, format!("{col}は数字で入力してください。"));
            }),
        };
        Ok(Some((n("履歴番号")?, n("履歴番号枝番")?)))
    }
}

/// Reads the header and every record; `each` turns a record into an item keyed for history resolution.
fn read<T, K: std::hash::Hash + Eq>(
    text: &str,
    columns: &[(&'static str, bool)],
    mut each: impl FnMut(&mut Row<'_, '_>) -> Option<(K, T)>,
) -> Result<Parsed<T>, FileProblem> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rec = csv::StringRecord::new();
    let syntax = |e: csv::Error| {
        let line = e.position().map_or(0, |p| p.line());
        FileProblem {
            line,
            message: format!("{line}行目: CSVの形式が正しくありません。"),
        }
    };
    if !rdr.read_record(&mut rec).map_err(syntax)? {
        return Err(FileProblem {
            line: 1,
            message: "ファイルが空です（見出し行がありません）。".into(),
        });
    }
    let mut index = HashMap::new();
    for (i, name) in rec.iter().enumerate() {
        let name = name.trim();
        let Some((known, _)) = columns.iter().find(|(c, _)| *c == name) else {
            return Err(FileProblem {
                line: 1,
                message: format!("見出し行に未知の列「{name}」があります。"),
            });
        };
        if index.insert(*known, i).is_some() {
            return Err(FileProblem {
                line: 1,
                message: format!("見出し行に列「{name}」が重複しています。"),
            });
        }
    }
    for (col, required) in columns {
        if *required && !index.contains_key(col) {
            return Err(FileProblem {
                line: 1,
                message: format!("必須の列「{col}」が見出し行にありません。"),
            });
        }
    }
    let table = Table {
        columns,
        index,
        len: rec.len(),
    };
    let mut problems = Vec::new();
    let mut rows_read = 0;
    // Key → (version, position in `items`).
    let mut current: HashMap<K, ((u64, u64), usize)> = HashMap::new();
    let mut items: Vec<Option<T>> = Vec::new();
    while rdr.read_record(&mut rec).map_err(syntax)? {
        rows_read += 1;
        let line = rec.position().map_or(0, |p| p.line());
        let mut row = Row {
            table: &table,
            rec: &rec,
            line,
            problems: &mut problems,
        };
        if rec.len() != table.len {
            let (want, got) = (table.len, rec.len());
            row.problems.push(RowProblem {
                line,
                column: None,
                message: format!(
                    "列の数が見出し行と一致しません（見出し {want} 列、この行 {got} 列）。"
                ),
            });
            continue;
        }
        let Ok(Some(version)) = row.history() else {
            continue;
        };
        let Some((key, item)) = each(&mut row) else {
            continue;
        };
        match current.get(&key) {
            Some((earlier, _)) if *earlier > version => {}
            Some((earlier, _)) if *earlier == version => {
                row.problem(
                    "宛名番号",
                    "同じ内容の行（同じ履歴番号）がファイル内に既にあります。",
                );
            }
            Some((_, at)) => {
                let at = *at;
                items[at] = Some(item);
                current.insert(key, (version, at));
            }
            None => {
                current.insert(key, (version, items.len()));
                items.push(Some(item));
            }
        }
    }
    Ok(Parsed {
        rows_read,
        items: items.into_iter().flatten().collect(),
        problems,
    })
}

const SUPPORT_COLUMNS: &[(&str, bool)] = &[
    ("市区町村コード", false),
    ("宛名番号", true),
    ("措置区分", true),
    ("支援措置開始年月日", false),
    ("支援措置終了年月日", false),
    ("削除フラグ", false),
    ("履歴番号", false),
    ("履歴番号枝番", false),
    ("最新フラグ", false),
    ("操作年月日", false),
    ("操作時刻", false),
    ("操作者", false),
];

/// 支援措置対象者情報 (`001o009`). 措置区分: 1 支援措置, 2 仮支援措置, 3 終了.
pub fn support_measures(
    text: &str,
    mode: ImportMode,
) -> Result<Parsed<SupportMeasureRecord>, FileProblem> {
    read(text, SUPPORT_COLUMNS, |row| {
        let atena = row.atena();
        let measure = match row.required("措置区分").as_deref() {
            Some("1") => Some(SupportMeasure::Active),
            Some("2") => Some(SupportMeasure::Provisional),
            Some("3") => Some(SupportMeasure::None),
            Some(_) => {
                row.problem(
                    "措置区分",
                    "措置区分は 1（支援措置）、2（仮支援措置）、3（終了）のいずれかで入力してください。",
                );
                None
            }
            None => None,
        };
        let start = row.date("支援措置開始年月日");
        let end = row.date("支援措置終了年月日");
        let deleted = row.flag("削除フラグ");
        if let (Ok(s), Ok(e)) = (start, end)
            && let (Some(s), Some(e)) = (s, e)
            && e < s
        {
            row.problem(
                "支援措置終了年月日",
                "支援措置終了年月日が開始年月日より前です。",
            );
            return None;
        }
        let (atena, mut measure, start, end, deleted) =
            (atena?, measure?, start.ok()?, end.ok()?, deleted.ok()?);
        if deleted {
            if mode == ImportMode::Full {
                row.problem("削除フラグ", "全件ファイルでは削除フラグは使えません。");
                return None;
            }
            measure = SupportMeasure::None;
        }
        Some((
            atena.clone(),
            SupportMeasureRecord {
                atena_no: atena,
                measure,
                start,
                end,
            },
        ))
    })
}

const ELIGIBILITY_COLUMNS: &[(&str, bool)] = &[
    ("市区町村コード", false),
    ("宛名番号", true),
    ("資格種別", true),
    ("資格取得日", false),
    ("資格喪失日", false),
    ("削除フラグ", false),
    ("履歴番号", false),
    ("履歴番号枝番", false),
    ("最新フラグ", false),
];

/// The kinds of 資格 and their stable codes.
pub const ELIGIBILITY_KINDS: &[(&str, &str)] = &[
    ("kokuho", "国保"),
    ("kouki", "後期高齢"),
    ("kaigo", "介護"),
    ("nenkin", "国民年金"),
    ("jidou_teate", "児童手当"),
];

fn qualification_kind(v: &str) -> Option<&'static str> {
    let v = v.trim();
    ELIGIBILITY_KINDS
        .iter()
        .find(|(code, label)| *code == v || *label == v)
        .map(|(code, _)| *code)
        .or(match v {
            "国民健康保険" => Some("kokuho"),
            "後期高齢者医療" => Some("kouki"),
            "介護保険" => Some("kaigo"),
            _ => None,
        })
}

/// 資格情報 (`shikaku`): one row per resident and kind.
pub fn qualifications(
    text: &str,
    mode: ImportMode,
) -> Result<Parsed<QualificationChange>, FileProblem> {
    read(text, ELIGIBILITY_COLUMNS, |row| {
        let atena = row.atena();
        let kind = match row.required("資格種別") {
            Some(v) => qualification_kind(&v).or_else(|| {
                row.problem(
                    "資格種別",
                    "資格種別は 国保、後期高齢、介護、国民年金、児童手当 のいずれかで入力してください。",
                );
                None
            }),
            None => None,
        };
        let acquired = row.date("資格取得日");
        let lost = row.date("資格喪失日");
        let deleted = row.flag("削除フラグ");
        let (atena, kind, acquired, lost, deleted) =
            (atena?, kind?, acquired.ok()?, lost.ok()?, deleted.ok()?);
        if let (Some(a), Some(l)) = (acquired, lost)
            && l < a
        {
            row.problem("資格喪失日", "資格喪失日が資格取得日より前です。");
            return None;
        }
        let key = (atena.clone(), kind);
        if deleted {
            if mode == ImportMode::Full {
                row.problem("削除フラグ", "全件ファイルでは削除フラグは使えません。");
                return None;
            }
            return Some((
                key,
                QualificationChange::Remove {
                    atena_no: atena,
                    kind: kind.into(),
                },
            ));
        }
        Some((
            key,
            QualificationChange::Put(QualificationRecord {
                atena_no: atena,
                kind: kind.into(),
                acquired,
                lost,
            }),
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(seq: u64) -> String {
        AtenaNo::from_sequence(seq).as_str().to_owned()
    }

    #[test]
    fn support_feed_takes_the_latest_history_row() {
        let text = format!(
            "宛名番号,措置区分,支援措置開始年月日,支援措置終了年月日,履歴番号,最新フラグ\n\
             {a1},2,2026-01-10,,1,0\n\
             {a1},1,2026-02-01,2027-01-31,3,1\n\
             {a1},2,2026-01-10,,2,1\n\
             {a2},3,2025-01-01,2025-12-31,1,1\n",
            a1 = a(1),
            a2 = a(2)
        );
        let p = support_measures(&text, ImportMode::Delta).expect("parsed");
        assert_eq!(p.rows_read, 4);
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        assert_eq!(p.items.len(), 2);
        assert_eq!(p.items[0].measure, SupportMeasure::Active);
        assert_eq!(
            p.items[0].start,
            chrono::NaiveDate::from_ymd_opt(2026, 2, 1)
        );
        assert_eq!(
            p.items[1].measure,
            SupportMeasure::None,
            "措置区分 3 ends it"
        );
    }

    #[test]
    fn bad_rows_are_named_by_line_and_column() {
        let text = format!(
            "宛名番号,措置区分,支援措置開始年月日\n{},9,2026-01-01\nabc,1,2026-13-01\n{},1\n",
            a(1),
            a(3)
        );
        let p = support_measures(&text, ImportMode::Full).expect("parsed");
        let got: Vec<(u64, Option<&str>)> = p
            .problems
            .iter()
            .map(|p| (p.line, p.column.as_deref()))
            .collect();
        assert_eq!(
            got,
            vec![
                (2, Some("措置区分")),
                (3, Some("宛名番号")),
                (3, Some("支援措置開始年月日")),
                (4, None)
            ]
        );
        assert!(p.problems[3].message.contains("列の数"));
    }

    #[test]
    fn header_problems_reject_the_file() {
        let e = support_measures("宛名番号,氏名\n", ImportMode::Full)
            .err()
            .expect("rejected");
        assert!(e.message.contains("未知の列「氏名」"), "{}", e.message);
        let e = qualifications("宛名番号\n", ImportMode::Full)
            .err()
            .expect("rejected");
        assert!(e.message.contains("資格種別"), "{}", e.message);
        let e = qualifications("", ImportMode::Full)
            .err()
            .expect("rejected");
        assert_eq!(e.line, 1);
    }

    #[test]
    fn qualification_kinds_and_deletions() {
        let text = format!(
            "宛名番号,資格種別,資格取得日,資格喪失日,削除フラグ\n{a1},国保,2020-04-01,,0\n{a1},kaigo,R8.11.1,,\n{a2},国民年金,,,1\n{a2},健保,,,\n",
            a1 = a(1),
            a2 = a(2)
        );
        let p = qualifications(&text, ImportMode::Delta).expect("parsed");
        assert_eq!(p.items.len(), 3);
        assert!(
            matches!(&p.items[1], QualificationChange::Put(r) if r.kind == "kaigo" && r.acquired == chrono::NaiveDate::from_ymd_opt(2026, 11, 1))
        );
        assert!(
            matches!(&p.items[2], QualificationChange::Remove { kind, .. } if kind == "nenkin")
        );
        assert_eq!(p.problems.len(), 1);
        assert_eq!(
            (p.problems[0].line, p.problems[0].column.as_deref()),
            (5, Some("資格種別"))
        );
        let p = qualifications(&text, ImportMode::Full).expect("parsed");
        assert!(
            p.problems
                .iter()
                .any(|p| p.line == 4 && p.column.as_deref() == Some("削除フラグ"))
        );
    }

    #[test]
    fn encodings() {
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("宛名番号,措置区分\n");
        assert_eq!(
            decode(&sjis, CsvEncoding::Cp932).expect("cp932"),
            "宛名番号,措置区分\n"
        );
        let e = decode(&sjis, CsvEncoding::Utf8).expect_err("not utf-8");
        assert_eq!(e.line, 1);
        let bom = [&[0xEF, 0xBB, 0xBF][..], "宛名番号\n".as_bytes()].concat();
        assert_eq!(decode(&bom, CsvEncoding::Utf8).expect("bom"), "宛名番号\n");
        let e = decode(b"a\nb\n\xff\n", CsvEncoding::Cp932).expect_err("bad cp932");
        assert_eq!(e.line, 3);
    }
}
