//! The 転出証明書情報 feed (`tenshutsu`) from the 住記 system: one row per member, grouped by 通知番号,
//! with an optional 来庁予定日 that makes a 転入予約. Layout: `docs/linkage.md`. The CSV records are
//! read with the small feeds' reader (`linkage::tables`); each record's fields and the grouping are
//! `madoguchi_core::arrivals::feed`. Notices are stored like every 転出証明書情報
//! ([`crate::incoming_moves::record`]), so the counter's search finds them.

use chrono::{DateTime, Utc};
use madoguchi_core::arrivals::feed::{COLUMNS, FeedNotice, Problem, group, read_row};
use madoguchi_store::{ImportMode, IncomingMove, ReservationChange, ReservationSource};

use crate::import::RowProblem;
use crate::linkage::tables::{FileProblem, Parsed, read};

fn row_problem(p: Problem) -> RowProblem {
    RowProblem {
        line: p.line,
        column: p.column,
        message: p.message,
    }
}

/// Reads a `tenshutsu` file into its notices (problems by line and column, in Japanese).
pub fn notices(text: &str, mode: ImportMode) -> Result<Parsed<FeedNotice>, FileProblem> {
    let deltas = mode == ImportMode::Delta;
    let parsed = read(text, COLUMNS, |row| {
        let values: Vec<(&str, Option<String>)> =
            COLUMNS.iter().map(|(c, _)| (*c, row.get(c))).collect();
        let get = |col: &str| {
            values
                .iter()
                .find(|(c, _)| *c == col)
                .and_then(|(_, v)| v.clone())
        };
        match read_row(row.line(), &get, deltas) {
            Ok(r) => Some((r.line, r)),
            Err(problems) => {
                for p in problems {
                    let col = p.column.clone().unwrap_or_default();
                    row.problem(&col, p.message);
                }
                None
            }
        }
    })?;
    if !parsed.problems.is_empty() {
        return Ok(Parsed {
            rows_read: parsed.rows_read,
            items: Vec::new(),
            problems: parsed.problems,
        });
    }
    Ok(match group(parsed.items) {
        Ok(items) => Parsed {
            rows_read: parsed.rows_read,
            items,
            problems: Vec::new(),
        },
        Err(problems) => Parsed {
            rows_read: parsed.rows_read,
            items: Vec::new(),
            problems: problems.into_iter().map(row_problem).collect(),
        },
    })
}

/// What the store applies for the file's notices: the notices, and the reservations they make or
/// cancel (source `feed`).
pub fn changes(
    notices: &[FeedNotice],
    received_at: DateTime<Utc>,
) -> anyhow::Result<(Vec<IncomingMove>, Vec<ReservationChange>)> {
    let mut moves = Vec::new();
    let mut changes = Vec::new();
    for n in notices {
        if let Some(view) = &n.notice {
            moves.push(crate::incoming_moves::record(view, received_at)?);
            if let Some(day) = n.visit_on {
                changes.push(ReservationChange::Expect {
                    notice_no: view.notice_no.clone(),
                    expected_on: day,
                    source: ReservationSource::Feed,
                });
            }
        }
    }
    for n in notices.iter().filter(|n| n.cancelled) {
        changes.push(ReservationChange::Cancel {
            notice_no: n.notice_no.clone(),
        });
    }
    Ok((moves, changes))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "通知番号,転出元住所,転出予定日,転入予定地,来庁予定日,世帯主,氏名,フリガナ,生年月日,性別,続柄,国保,国民年金";

    fn problems(text: &str, mode: ImportMode) -> Vec<(u64, Option<String>, String)> {
        notices(text, mode)
            .expect("read")
            .problems
            .into_iter()
            .map(|p| (p.line, p.column, p.message))
            .collect()
    }

    #[test]
    fn members_group_into_notices_with_their_reservation() {
        let text = format!(
            "{HEAD}\nT-1,東京都世田谷区太子堂二丁目5番8号,2026-12-01,さくら野市本町1-1,2026-12-08,山田　太郎,山田　太郎,ヤマダ　タロウ,1988-04-12,男,世帯主,1,1号\n\
             T-1,東京都世田谷区太子堂二丁目5番8号,2026-12-01,さくら野市本町1-1,2026-12-08,山田　太郎,山田　花子,ヤマダ　ハナコ,1990-09-03,女,妻,1,3号\n\
             T-2,埼玉県さいたま市浦和区高砂三丁目1番2号,2026-12-02,,,髙橋　美咲,髙橋　美咲,タカハシ　ミサキ,1999-11-30,2,世帯主,0,\n"
        );
        let p = notices(&text, ImportMode::Full).expect("read");
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        assert_eq!(p.rows_read, 3);
        let at = Utc::now();
        let (moves, changes) = changes(&p.items, at).expect("changes");
        assert_eq!(moves.len(), 2);
        assert!(moves[0].search_keys.len() >= 4, "names and kana of both");
        assert_eq!(changes.len(), 1, "only T-1 has a 来庁予定日");
        assert!(
            matches!(&changes[0], ReservationChange::Expect { notice_no, .. } if notice_no == "T-1")
        );
        let view = p.items[0].notice.as_ref().expect("notice");
        assert_eq!(view.new_address.as_deref(), Some("さくら野市本町1-1"));
        assert_eq!(view.members[1].facts.pension, "3号");
        assert!(view.members.iter().all(|m| m.facts.mover));
    }

    #[test]
    fn bad_rows_are_reported_in_japanese_by_line_and_column() {
        let text = format!(
            "{HEAD}\nT_1,東京都,2026-12-01,,2026-11-30,山田,山田,ヤマダ,1988-04-12,X,世帯主,2,\n\
             T-2,東京都,明日,,,山田,山田,ヤマダ,,男,世帯主,,4号\n"
        );
        let got = problems(&text, ImportMode::Full);
        let cols: Vec<(u64, Option<&str>)> =
            got.iter().map(|(l, c, _)| (*l, c.as_deref())).collect();
        assert_eq!(
            cols,
            vec![
                (2, Some("通知番号")),
                (2, Some("性別")),
                (2, Some("国保")),
                (2, Some("来庁予定日")),
                (3, Some("転出予定日")),
                (3, Some("生年月日")),
                (3, Some("国民年金")),
            ]
        );
        assert_eq!(got[3].2, "来庁予定日が転出予定日より前です。");
        let e = notices("通知番号,氏名\n", ImportMode::Full)
            .err()
            .expect("refused");
        assert!(e.message.contains("転出元住所"), "{}", e.message);
    }

    #[test]
    fn deltas_cancel_reservations_and_full_files_may_not() {
        let text = format!("{HEAD},削除フラグ\nT-1,,,,,,,,,,,,,1\n");
        let p = notices(&text, ImportMode::Delta).expect("read");
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        let (moves, changes) = changes(&p.items, Utc::now()).expect("changes");
        assert!(moves.is_empty());
        assert_eq!(
            changes,
            vec![ReservationChange::Cancel {
                notice_no: "T-1".into()
            }]
        );
        let got = problems(&text, ImportMode::Full);
        assert_eq!(got[0].1.as_deref(), Some("削除フラグ"));
    }
}
