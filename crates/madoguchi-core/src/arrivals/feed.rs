//! The `tenshutsu` feed (転出証明書情報 from the 住記 system): one row per member, the 通知番号 grouping
//! them into one notice. Layout: `docs/linkage.md` (“tenshutsu 転出証明書情報”). The server reads the
//! CSV records; this module turns each record's fields into a member ([`read_row`]) and the members into
//! notices ([`group`]), with every problem named by line and column in Japanese.

use chrono::NaiveDate;

use crate::case_document::{CaseMember, IncomingMoveView};
use crate::navigation::MemberInput;
use crate::wareki::parse_date;

/// The columns of the file; `true` = required in the header.
pub const COLUMNS: &[(&str, bool)] = &[
    ("通知番号", true),
    ("転出元住所", true),
    ("転出予定日", true),
    ("転入予定地", false),
    ("来庁予定日", false),
    ("世帯主", true),
    ("氏名", true),
    ("フリガナ", true),
    ("生年月日", true),
    ("性別", true),
    ("続柄", true),
    ("国保", false),
    ("国民年金", false),
    ("外国人", false),
    ("削除フラグ", false),
];

/// A problem with one field of one line (line 0: the file as a whole).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: u64,
    pub column: Option<String>,
    pub message: String,
}

/// The fields of a notice every row of it repeats.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Head {
    old_address: String,
    planned_on: NaiveDate,
    new_address: Option<String>,
    visit_on: Option<NaiveDate>,
    head_name: String,
}

/// One record read: a member of a notice, or (削除フラグ 1) the notice's cancellation.
#[derive(Debug, Clone)]
pub struct FeedRow {
    pub line: u64,
    pub notice_no: String,
    body: Option<(Head, CaseMember)>,
}

/// A notice of the file with what it says about the reservation.
#[derive(Debug, Clone)]
pub struct FeedNotice {
    pub notice_no: String,
    /// The first line of the notice in the file.
    pub line: u64,
    /// `None` for a cancellation (削除フラグ 1): the notice itself is not in the file.
    pub notice: Option<IncomingMoveView>,
    /// 来庁予定日: a reservation for that day.
    pub visit_on: Option<NaiveDate>,
    /// 削除フラグ 1: the reservation is cancelled (取消).
    pub cancelled: bool,
}

struct Fields<'a> {
    line: u64,
    get: &'a dyn Fn(&str) -> Option<String>,
    problems: Vec<Problem>,
}

impl Fields<'_> {
    fn problem(&mut self, col: &str, message: impl Into<String>) {
        self.problems.push(Problem {
            line: self.line,
            column: Some(col.to_owned()),
            message: message.into(),
        });
    }

    fn required(&mut self, col: &str, max_chars: usize) -> Option<String> {
        match (self.get)(col) {
            None => {
                self.problem(col, format!("{col}は必須です。"));
                None
            }
            Some(v) if v.chars().count() > max_chars => {
                self.problem(
                    col,
                    format!("{col}は{max_chars}文字以内で入力してください。"),
                );
                None
            }
            Some(v) => Some(v),
        }
    }

    fn date(&mut self, col: &str, required: bool) -> Result<Option<NaiveDate>, ()> {
        match (self.get)(col) {
            None if required => {
                self.problem(col, format!("{col}は必須です。"));
                Err(())
            }
            None => Ok(None),
            Some(v) => parse_date(&v).map(Some).map_err(|_| {
                self.problem(
                    col,
                    format!("{col}は日付（例 2026-04-01、令和8年4月1日）で入力してください。"),
                );
            }),
        }
    }

    fn flag(&mut self, col: &str) -> Result<bool, ()> {
        match (self.get)(col).as_deref() {
            None | Some("0") => Ok(false),
            Some("1") => Ok(true),
            Some(_) => {
                self.problem(col, format!("{col}は 0 または 1 で入力してください。"));
                Err(())
            }
        }
    }
}

/// 通知番号: 1–30 half-width letters, digits and hyphens.
fn notice_no(f: &mut Fields<'_>) -> Option<String> {
    let v = f.required("通知番号", 30)?;
    if v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        Some(v)
    } else {
        f.problem(
            "通知番号",
            "通知番号は半角英数字とハイフンで入力してください。",
        );
        None
    }
}

fn sex(f: &mut Fields<'_>) -> Option<String> {
    match f.required("性別", 2)?.as_str() {
        "男" | "1" => Some("男".into()),
        "女" | "2" => Some("女".into()),
        _ => {
            f.problem("性別", "性別は 男（1）または 女（2）で入力してください。");
            None
        }
    }
}

fn pension(f: &mut Fields<'_>) -> Option<String> {
    match (f.get)("国民年金").as_deref() {
        None => Some(String::new()),
        Some(v @ ("1号" | "2号" | "3号" | "受給")) => Some(v.to_owned()),
        Some(_) => {
            f.problem(
                "国民年金",
                "国民年金は 1号・2号・3号・受給 のいずれかを入力するか、空欄にしてください。",
            );
            None
        }
    }
}

/// Reads one record. `get` returns a column's trimmed value, `None` when blank or not in the file;
/// `deltas` says whether 削除フラグ may be used (only in delta files).
///
/// ```
/// use madoguchi_core::arrivals::feed::read_row;
/// let row = |cells: &[(&str, &str)]| {
///     let cells: Vec<(String, String)> =
///         cells.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
///     move |col: &str| cells.iter().find(|(k, _)| k == col).map(|(_, v)| v.clone())
/// };
/// let member = row(&[
///     ("通知番号", "T-1"), ("転出元住所", "東京都世田谷区太子堂二丁目5番8号"),
///     ("転出予定日", "2026-12-01"), ("来庁予定日", "令和8年12月8日"), ("世帯主", "山田　太郎"),
///     ("氏名", "山田　太郎"), ("フリガナ", "ヤマダ　タロウ"), ("生年月日", "1988-04-12"),
///     ("性別", "1"), ("続柄", "世帯主"), ("国保", "1"), ("国民年金", "1号"),
/// ]);
/// assert!(read_row(2, &member, false).is_ok());
/// let bad = row(&[("通知番号", "T-1"), ("性別", "M")]);
/// let problems = read_row(3, &bad, false).unwrap_err();
/// assert!(problems.iter().any(|p| p.column.as_deref() == Some("性別")
///     && p.message == "性別は 男（1）または 女（2）で入力してください。"));
/// ```
pub fn read_row(
    line: u64,
    get: &dyn Fn(&str) -> Option<String>,
    deltas: bool,
) -> Result<FeedRow, Vec<Problem>> {
    let mut f = Fields {
        line,
        get,
        problems: Vec::new(),
    };
    let no = notice_no(&mut f);
    let deleted = f.flag("削除フラグ");
    if deleted == Ok(true) {
        if !deltas {
            f.problem("削除フラグ", "全件ファイルでは削除フラグは使えません。");
        }
        return match no {
            Some(notice_no) if f.problems.is_empty() => Ok(FeedRow {
                line,
                notice_no,
                body: None,
            }),
            _ => Err(f.problems),
        };
    }
    let old_address = f.required("転出元住所", 200);
    let planned_on = f.date("転出予定日", true);
    let new_address = (f.get)("転入予定地");
    if new_address
        .as_ref()
        .is_some_and(|a| a.chars().count() > 200)
    {
        f.problem("転入予定地", "転入予定地は200文字以内で入力してください。");
    }
    let visit_on = f.date("来庁予定日", false);
    let head_name = f.required("世帯主", 50);
    let name = f.required("氏名", 50);
    let kana = f.required("フリガナ", 100);
    let birth = f.date("生年月日", true);
    let sex = sex(&mut f);
    let relation = f.required("続柄", 20);
    let kokuho = f.flag("国保");
    let foreign = f.flag("外国人");
    let pension = pension(&mut f);
    if let (Ok(Some(planned)), Ok(Some(visit))) = (planned_on, visit_on)
        && visit < planned
    {
        f.problem("来庁予定日", "来庁予定日が転出予定日より前です。");
    }
    if let (Ok(Some(planned)), Ok(Some(b))) = (planned_on, birth)
        && b > planned
    {
        f.problem("生年月日", "生年月日が転出予定日より後です。");
    }
    if !f.problems.is_empty() {
        return Err(f.problems);
    }
    let (Some(notice_no), Some(old_address), Ok(Some(planned_on)), Ok(visit_on)) =
        (no, old_address, planned_on, visit_on)
    else {
        return Err(f.problems);
    };
    let (Some(head_name), Some(name), Some(kana), Ok(Some(birth))) = (head_name, name, kana, birth)
    else {
        return Err(f.problems);
    };
    let (Some(sex), Some(relation), Ok(kokuho), Ok(foreign), Some(pension)) =
        (sex, relation, kokuho, foreign, pension)
    else {
        return Err(f.problems);
    };
    let member = CaseMember {
        atena_no: None,
        name,
        kana,
        facts: MemberInput {
            birth,
            sex,
            relation,
            mover: true,
            foreign,
            kokuho,
            pension,
            ..MemberInput::default()
        },
    };
    let head = Head {
        old_address,
        planned_on,
        new_address,
        visit_on,
        head_name,
    };
    Ok(FeedRow {
        line,
        notice_no,
        body: Some((head, member)),
    })
}

/// The column whose value differs between two rows of one notice, if any.
fn differing(a: &Head, b: &Head) -> Option<&'static str> {
    if a.old_address != b.old_address {
        Some("転出元住所")
    } else if a.planned_on != b.planned_on {
        Some("転出予定日")
    } else if a.new_address != b.new_address {
        Some("転入予定地")
    } else if a.visit_on != b.visit_on {
        Some("来庁予定日")
    } else if a.head_name != b.head_name {
        Some("世帯主")
    } else {
        None
    }
}

/// Groups the rows into notices, in the order of their first line. Every row of a notice repeats the
/// same 転出元住所, 転出予定日, 転入予定地, 来庁予定日 and 世帯主; a notice is either cancelled (every row
/// 削除フラグ 1) or not; at most 20 members.
///
/// ```
/// use madoguchi_core::arrivals::feed::{group, read_row};
/// let cells = |no: &str, name: &str, visit: &str| {
///     let v: Vec<(String, String)> = [
///         ("通知番号", no), ("転出元住所", "埼玉県さいたま市浦和区高砂三丁目1番2号"),
///         ("転出予定日", "2026-12-01"), ("来庁予定日", visit), ("世帯主", "髙橋　美咲"),
///         ("氏名", name), ("フリガナ", "タカハシ"), ("生年月日", "1999-11-30"),
///         ("性別", "女"), ("続柄", "世帯主"),
///     ].iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| (k.to_string(), v.to_string())).collect();
///     move |col: &str| v.iter().find(|(k, _)| k == col).map(|(_, v)| v.clone())
/// };
/// let rows = vec![
///     read_row(2, &cells("T-1", "髙橋　美咲", "2026-12-08"), false).unwrap(),
///     read_row(3, &cells("T-1", "髙橋　陽翔", "2026-12-08"), false).unwrap(),
///     read_row(4, &cells("T-2", "髙橋　美咲", ""), false).unwrap(),
/// ];
/// let notices = group(rows).unwrap();
/// assert_eq!(notices.len(), 2);
/// assert_eq!(notices[0].notice.as_ref().unwrap().members.len(), 2);
/// assert_eq!(notices[0].visit_on.unwrap().to_string(), "2026-12-08");
/// assert_eq!(notices[1].visit_on, None, "no 来庁予定日: a notice without a reservation");
///
/// let clash = vec![
///     read_row(2, &cells("T-1", "髙橋　美咲", "2026-12-08"), false).unwrap(),
///     read_row(3, &cells("T-1", "髙橋　陽翔", "2026-12-09"), false).unwrap(),
/// ];
/// let problems = group(clash).unwrap_err();
/// assert_eq!(problems[0].line, 3);
/// assert_eq!(problems[0].message, "同じ通知番号の2行目と来庁予定日が異なります。");
/// ```
pub fn group(rows: Vec<FeedRow>) -> Result<Vec<FeedNotice>, Vec<Problem>> {
    let mut out: Vec<(FeedNotice, Option<Head>)> = Vec::new();
    let mut at: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut problems = Vec::new();
    let mut problem = |line: u64, col: &str, message: String| {
        problems.push(Problem {
            line,
            column: Some(col.to_owned()),
            message,
        });
    };
    for row in rows {
        let Some(&i) = at.get(&row.notice_no) else {
            at.insert(row.notice_no.clone(), out.len());
            out.push(new_notice(row));
            continue;
        };
        let (notice, head) = &mut out[i];
        match (row.body, notice.cancelled) {
            (None, true) => {}
            (None, false) | (Some(_), true) => problem(
                row.line,
                "削除フラグ",
                format!(
                    "同じ通知番号の{}行目と削除フラグが異なります。",
                    notice.line
                ),
            ),
            (Some((h, member)), false) => {
                if let Some(col) = head.as_ref().and_then(|first| differing(first, &h)) {
                    problem(
                        row.line,
                        col,
                        format!("同じ通知番号の{}行目と{col}が異なります。", notice.line),
                    );
                    continue;
                }
                let members = &mut notice.notice.as_mut().expect("not cancelled").members;
                if members.len() >= 20 {
                    problem(
                        row.line,
                        "通知番号",
                        "1つの通知番号の世帯員は20人までです。".into(),
                    );
                    continue;
                }
                members.push(member);
            }
        }
    }
    if problems.is_empty() {
        Ok(out.into_iter().map(|(n, _)| n).collect())
    } else {
        Err(problems)
    }
}

fn new_notice(row: FeedRow) -> (FeedNotice, Option<Head>) {
    match row.body {
        None => (
            FeedNotice {
                notice_no: row.notice_no,
                line: row.line,
                notice: None,
                visit_on: None,
                cancelled: true,
            },
            None,
        ),
        Some((head, member)) => (
            FeedNotice {
                notice_no: row.notice_no.clone(),
                line: row.line,
                notice: Some(IncomingMoveView {
                    notice_no: row.notice_no,
                    old_address: head.old_address.clone(),
                    new_address: head.new_address.clone(),
                    planned_on: head.planned_on,
                    head_name: head.head_name.clone(),
                    members: vec![member],
                    prepared_case_id: None,
                }),
                visit_on: head.visit_on,
                cancelled: false,
            },
            Some(head),
        ),
    }
}
