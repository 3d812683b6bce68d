//! The small core-system feeds read whole: 支援措置対象者情報 (`001o009`), 資格情報 (`shikaku`),
//! 印鑑登録情報 (`inkan`) and 利用者証明用電子証明書シリアル番号 (`cards`); the 課税 feed (`tax`) is read
//! with the same reader in `linkage::tax`. Layouts: `docs/linkage.md`. All are history-bearing like 001o006: only rows with 最新フラグ 1 count
//! (when the column is there), and of several for one key the highest (履歴番号, 履歴番号枝番) wins.

use std::collections::HashMap;

use madoguchi_core::ids::{AtenaNo, IdError};
use madoguchi_core::resident::SupportMeasure;
use madoguchi_core::wareki::parse_date;
use madoguchi_store::{
    CardSerial, CardSerialChange, ImportMode, QualificationChange, QualificationRecord,
    SealRegistration, SealRegistrationChange, SupportMeasureRecord,
};

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

pub(crate) struct Table<'a> {
    columns: &'a [(&'static str, bool)],
    index: HashMap<&'static str, usize>,
    len: usize,
}

pub(crate) struct Row<'a, 'b> {
    table: &'b Table<'a>,
    rec: &'b csv::StringRecord,
    line: u64,
    problems: &'b mut Vec<RowProblem>,
}

impl Row<'_, '_> {
    /// The record's line in the file (1 is the header).
    pub(crate) fn line(&self) -> u64 {
        self.line
    }

    pub(crate) fn problem(&mut self, col: &str, message: impl Into<String>) {
        self.problems.push(RowProblem {
            line: self.line,
            column: Some(col.to_owned()),
            message: message.into(),
        });
    }

    pub(crate) fn get(&mut self, col: &'static str) -> Option<String> {
        let i = *self.table.index.get(col)?;
        let v = self.rec.get(i)?.trim();
        // The 印影 alone is longer than any other field: its own limit is checked where it is decoded.
        if col != SEAL_IMAGE && v.len() > MAX_FIELD_BYTES {
            self.problem(
                col,
                format!("値が長すぎます（{MAX_FIELD_BYTES}バイト以内）。"),
            );
            return None;
        }
        (!v.is_empty()).then(|| v.to_owned())
    }

    pub(crate) fn required(&mut self, col: &'static str) -> Option<String> {
        let v = self.get(col);
        if v.is_none() && self.table.columns.iter().any(|(c, _)| *c == col) {
            self.problem(col, format!("{col}は必須です。"));
        }
        v
    }

    pub(crate) fn atena(&mut self) -> Option<AtenaNo> {
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

    pub(crate) fn flag(&mut self, col: &'static str) -> Result<bool, ()> {
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
pub(crate) fn read<T, K: std::hash::Hash + Eq>(
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

/// The column holding the 印影 as base64: the only one exempt from [`MAX_FIELD_BYTES`].
const SEAL_IMAGE: &str = "印影データ";

/// The largest 印影 once decoded.
pub const MAX_SEAL_IMAGE_BYTES: usize = 64 * 1024;

/// The 8–25 mm square rule, in tenths of a millimetre.
const SEAL_SIDE_TENTHS: std::ops::RangeInclusive<u16> = 80..=250;

const SEAL_COLUMNS: &[(&str, bool)] = &[
    ("市区町村コード", false),
    ("宛名番号", true),
    ("印鑑登録番号", true),
    ("登録年月日", true),
    ("登録状態", true),
    ("廃止年月日", false),
    (SEAL_IMAGE, false),
    ("印影_幅mm", false),
    ("印影_高さmm", false),
    ("削除フラグ", false),
    ("履歴番号", false),
    ("履歴番号枝番", false),
    ("最新フラグ", false),
    ("操作年月日", false),
];

/// `png` or `jpeg` by the image's magic bytes.
fn image_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some("png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("jpeg")
    } else {
        None
    }
}

/// `8`, `12.5`, `25.0` → tenths of a millimetre, within 8.0–25.0 (at most one decimal).
fn side_tenths(v: &str) -> Option<u16> {
    let (whole, tenth) = match v.split_once('.') {
        Some((w, f)) => (w, f),
        None => (v, "0"),
    };
    let digits = |s: &str, max: usize| {
        !s.is_empty() && s.len() <= max && s.bytes().all(|b| b.is_ascii_digit())
    };
    if !digits(whole, 2) || !digits(tenth, 1) {
        return None;
    }
    let t = whole.parse::<u16>().ok()? * 10 + tenth.parse::<u16>().ok()?;
    SEAL_SIDE_TENTHS.contains(&t).then_some(t)
}

impl Row<'_, '_> {
    /// The 印影: base64 (line breaks allowed) of a PNG or JPEG of at most 64 KB.
    fn seal_image(&mut self) -> Result<Option<(Vec<u8>, &'static str)>, ()> {
        use base64::Engine as _;
        let Some(v) = self.get(SEAL_IMAGE) else {
            return Ok(None);
        };
        // Base64 is 4 characters for 3 bytes: anything longer than the limit's encoding (with room
        // for line breaks) is too large without decoding it.
        if v.len() > MAX_SEAL_IMAGE_BYTES.div_ceil(3) * 4 * 11 / 10 {
            self.problem(SEAL_IMAGE, "印影データが大きすぎます（64KB 以内）。");
            return Err(());
        }
        let compact: String = v.chars().filter(|c| !c.is_ascii_whitespace()).collect();
        let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(compact.as_bytes()) else {
            self.problem(
                SEAL_IMAGE,
                "印影データは画像を base64 で符号化した文字列で入力してください。",
            );
            return Err(());
        };
        if bytes.len() > MAX_SEAL_IMAGE_BYTES {
            self.problem(SEAL_IMAGE, "印影データが大きすぎます（64KB 以内）。");
            return Err(());
        }
        match image_type(&bytes) {
            Some(kind) => Ok(Some((bytes, kind))),
            None => {
                self.problem(
                    SEAL_IMAGE,
                    "印影データは PNG または JPEG の画像にしてください。",
                );
                Err(())
            }
        }
    }

    fn seal_side(&mut self, col: &'static str) -> Result<Option<u16>, ()> {
        match self.get(col) {
            None => Ok(None),
            Some(v) => side_tenths(&v).map(Some).ok_or_else(|| {
                self.problem(
                    col,
                    format!(
                        "{col}は 8.0〜25.0 の数値（小数第1位まで）で入力してください（印影は一辺 8mm〜25mm の正方形に収まる大きさ）。"
                    ),
                );
            }),
        }
    }
}

/// 印鑑登録情報 (`inkan`): one row per resident (one seal per person). 登録状態: 1 登録, 2 廃止.
pub fn seal_registrations(
    text: &str,
    mode: ImportMode,
) -> Result<Parsed<SealRegistrationChange>, FileProblem> {
    read(text, SEAL_COLUMNS, |row| {
        let atena = row.atena();
        let deleted = row.flag("削除フラグ").ok()?;
        if deleted {
            if mode == ImportMode::Full {
                row.problem("削除フラグ", "全件ファイルでは削除フラグは使えません。");
                return None;
            }
            let atena = atena?;
            return Some((
                atena.clone(),
                SealRegistrationChange::Remove { atena_no: atena },
            ));
        }
        let number = match row.required("印鑑登録番号") {
            Some(v) if !v.is_empty() && v.len() <= 12 && v.bytes().all(|b| b.is_ascii_digit()) => {
                Some(v)
            }
            Some(_) => {
                row.problem(
                    "印鑑登録番号",
                    "印鑑登録番号は12桁以内の数字で入力してください。",
                );
                None
            }
            None => None,
        };
        let registered = match row.date("登録年月日") {
            Ok(Some(d)) => Ok(d),
            Ok(None) => {
                row.problem("登録年月日", "登録年月日は必須です。");
                Err(())
            }
            Err(()) => Err(()),
        };
        let active = match row.required("登録状態").as_deref() {
            Some("1" | "登録") => Some(true),
            Some("2" | "廃止") => Some(false),
            Some(_) => {
                row.problem(
                    "登録状態",
                    "登録状態は 1（登録）または 2（廃止）で入力してください。",
                );
                None
            }
            None => None,
        };
        let abolished = row.date("廃止年月日");
        let image = row.seal_image();
        let width = row.seal_side("印影_幅mm");
        let height = row.seal_side("印影_高さmm");
        let active = active?;
        let abolished = match abolished {
            Ok(Some(_)) if active => {
                row.problem(
                    "廃止年月日",
                    "登録状態が登録（1）の行には廃止年月日を入力できません。",
                );
                return None;
            }
            Ok(None) if !active => {
                row.problem(
                    "廃止年月日",
                    "登録状態が廃止（2）の行は廃止年月日が必須です。",
                );
                return None;
            }
            Ok(d) => d,
            Err(()) => return None,
        };
        if let (Ok(r), Some(a)) = (registered, abolished)
            && a < r
        {
            row.problem("廃止年月日", "廃止年月日が登録年月日より前です。");
            return None;
        }
        let (image, width, height) = (image.ok()?, width.ok()?, height.ok()?);
        if active {
            let mut missing = false;
            for (col, absent) in [
                (SEAL_IMAGE, image.is_none()),
                ("印影_幅mm", width.is_none()),
                ("印影_高さmm", height.is_none()),
            ] {
                if absent {
                    row.problem(col, format!("登録状態が登録（1）の行は{col}が必須です。"));
                    missing = true;
                }
            }
            if missing {
                return None;
            }
        }
        let (atena, number, registered) = (atena?, number?, registered.ok()?);
        let (image, image_type) =
            image.map_or((None, None), |(b, t)| (Some(b), Some(t.to_owned())));
        Some((
            atena.clone(),
            SealRegistrationChange::Put(SealRegistration {
                atena_no: atena,
                registration_no: number,
                registered_on: registered,
                abolished_on: abolished,
                image,
                image_type,
                width_tenth_mm: width,
                height_tenth_mm: height,
            }),
        ))
    })
}

const CARD_COLUMNS: &[(&str, bool)] = &[
    ("市区町村コード", false),
    ("宛名番号", true),
    ("シリアル番号", true),
    ("失効年月日", false),
    ("削除フラグ", false),
    ("履歴番号", false),
    ("履歴番号枝番", false),
    ("最新フラグ", false),
    ("操作年月日", false),
];

/// 利用者証明用電子証明書シリアル番号 (`cards`): one row per certificate serial, the key (a resident may
/// have several). Serials are stored normalized ([`madoguchi_core::card_serial::normalize`]).
pub fn card_serials(text: &str, mode: ImportMode) -> Result<Parsed<CardSerialChange>, FileProblem> {
    read(text, CARD_COLUMNS, |row| {
        let deleted = row.flag("削除フラグ").ok()?;
        if deleted && mode == ImportMode::Full {
            row.problem("削除フラグ", "全件ファイルでは削除フラグは使えません。");
            return None;
        }
        let serial = match row.required("シリアル番号") {
            Some(v) => match madoguchi_core::card_serial::normalize(&v) {
                Some(s) => Some(s),
                None => {
                    row.problem(
                        "シリアル番号",
                        "シリアル番号は40桁以内の16進数（0〜9、A〜F。区切りの「:」や空白は可）で入力してください。",
                    );
                    None
                }
            },
            None => None,
        };
        if deleted {
            let serial = serial?;
            return Some((serial.clone(), CardSerialChange::Remove { serial }));
        }
        let atena = row.atena();
        let revoked = row.date("失効年月日");
        let (atena, serial, revoked) = (atena?, serial?, revoked.ok()?);
        Some((
            serial.clone(),
            CardSerialChange::Put(CardSerial {
                atena_no: atena,
                serial,
                revoked_on: revoked,
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

    fn b64(bytes: &[u8]) -> String {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(bytes)
    }

    fn png(len: usize) -> Vec<u8> {
        let mut v = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
        v.resize(len, 7);
        v
    }

    const SEAL_HEAD: &str =
        "宛名番号,印鑑登録番号,登録年月日,登録状態,廃止年月日,印影データ,印影_幅mm,印影_高さmm\n";

    /// The problems of a one-row seal file, as (line, column).
    fn seal_problems(row: &str) -> Vec<(u64, Option<String>, String)> {
        let p =
            seal_registrations(&format!("{SEAL_HEAD}{row}\n"), ImportMode::Full).expect("parsed");
        p.problems
            .into_iter()
            .map(|p| (p.line, p.column, p.message))
            .collect()
    }

    #[test]
    fn seal_rows_are_read_with_their_image() {
        let jpeg = [&[0xFF, 0xD8, 0xFF, 0xE0][..], &[1; 60 * 1024]].concat();
        // Base64 wrapped at 76 characters, as MIME writes it: line breaks inside the quoted field.
        let wrapped = b64(&jpeg)
            .as_bytes()
            .chunks(76)
            .map(|c| std::str::from_utf8(c).expect("ascii"))
            .collect::<Vec<_>>()
            .join("\r\n");
        let text = format!(
            "{SEAL_HEAD}{a1},000123,2015-04-01,1,,{png},15,15.5\n{a2},7,H27.4.1,登録,,\"{wrapped}\",8.0,25\n{a3},9,2010-01-01,廃止,2020-02-02,,,\n",
            a1 = a(1),
            a2 = a(2),
            a3 = a(3),
            png = b64(&png(100)),
        );
        let p = seal_registrations(&text, ImportMode::Full).expect("parsed");
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        let got: Vec<&SealRegistration> = p
            .items
            .iter()
            .map(|c| match c {
                SealRegistrationChange::Put(r) => r,
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(got[0].registration_no, "000123");
        assert_eq!(got[0].image.as_deref(), Some(&png(100)[..]));
        assert_eq!(got[0].image_type.as_deref(), Some("png"));
        assert_eq!(
            (got[0].width_tenth_mm, got[0].height_tenth_mm),
            (Some(150), Some(155))
        );
        assert_eq!(
            got[1].image.as_deref(),
            Some(&jpeg[..]),
            "longer than 4,096 bytes"
        );
        assert_eq!(got[1].image_type.as_deref(), Some("jpeg"));
        assert_eq!(
            (got[1].width_tenth_mm, got[1].height_tenth_mm),
            (Some(80), Some(250))
        );
        assert_eq!(
            got[1].registered_on,
            chrono::NaiveDate::from_ymd_opt(2015, 4, 1).expect("date")
        );
        assert_eq!(
            got[2].abolished_on,
            chrono::NaiveDate::from_ymd_opt(2020, 2, 2)
        );
        assert_eq!(got[2].image, None);
        assert!(!got[2].is_active());
    }

    #[test]
    fn each_seal_column_rule_names_its_column() {
        let ok_image = b64(&png(100));
        let one = |row: String| -> (Option<String>, String) {
            let p = seal_problems(&row);
            assert_eq!(p.len(), 1, "{row}: {p:?}");
            assert_eq!(p[0].0, 2);
            (p[0].1.clone(), p[0].2.clone())
        };
        let row =
            |image: &str, w: &str, h: &str| format!("{},1,2015-04-01,1,,{image},{w},{h}", a(1));
        // Not base64.
        let (col, msg) = one(row("これは画像ではない", "15", "15"));
        assert_eq!(col.as_deref(), Some("印影データ"));
        assert!(msg.contains("base64"), "{msg}");
        let (col, _) = one(row("iVBORw0KGgo=!", "15", "15"));
        assert_eq!(col.as_deref(), Some("印影データ"));
        // Base64 of something that is neither PNG nor JPEG (a GIF).
        let (col, msg) = one(row(&b64(b"GIF89a\x01\x00"), "15", "15"));
        assert_eq!(col.as_deref(), Some("印影データ"));
        assert!(msg.contains("PNG または JPEG"), "{msg}");
        // Larger than 64 KB decoded, just over and far over.
        let (col, msg) = one(row(&b64(&png(64 * 1024 + 1)), "15", "15"));
        assert_eq!(col.as_deref(), Some("印影データ"));
        assert!(msg.contains("64KB"), "{msg}");
        assert_eq!(
            one(row(&b64(&png(1 << 20)), "15", "15")).0.as_deref(),
            Some("印影データ")
        );
        assert!(
            seal_problems(&row(&b64(&png(64 * 1024)), "15", "15")).is_empty(),
            "exactly 64 KB"
        );
        // Sizes outside 8.0–25.0, or not a number with one decimal.
        for (w, h, bad) in [
            ("7.9", "15", "印影_幅mm"),
            ("15", "25.1", "印影_高さmm"),
            ("30", "15", "印影_幅mm"),
            ("15", "1５", "印影_高さmm"),
            ("12.55", "15", "印影_幅mm"),
            ("-9", "15", "印影_幅mm"),
        ] {
            let (col, msg) = one(row(&ok_image, w, h));
            assert_eq!(col.as_deref(), Some(bad), "{w}×{h}");
            assert!(msg.contains("8.0〜25.0"), "{msg}");
        }
        // Required with 登録: the image and both sizes.
        let (col, _) = one(row("", "15", "15"));
        assert_eq!(col.as_deref(), Some("印影データ"));
        let (col, _) = one(row(&ok_image, "", "15"));
        assert_eq!(col.as_deref(), Some("印影_幅mm"));
        // 廃止 without its date, 廃止 before 登録, a date on a 登録 row.
        let (col, msg) = one(format!("{},1,2015-04-01,2,,,,", a(1)));
        assert_eq!(col.as_deref(), Some("廃止年月日"));
        assert!(msg.contains("必須"), "{msg}");
        let (col, msg) = one(format!("{},1,2015-04-01,廃止,2015-03-31,,,", a(1)));
        assert_eq!(col.as_deref(), Some("廃止年月日"));
        assert!(msg.contains("登録年月日より前"), "{msg}");
        assert!(seal_problems(&format!("{},1,2015-04-01,廃止,2015-04-01,,,", a(1))).is_empty());
        let (col, _) = one(format!(
            "{},1,2015-04-01,1,2016-01-01,{ok_image},15,15",
            a(1)
        ));
        assert_eq!(col.as_deref(), Some("廃止年月日"));
        // 印鑑登録番号: 1–12 digits; 登録状態: 1/2/登録/廃止; 登録年月日 required.
        for no in ["", "1234567890123", "12a"] {
            let (col, _) = one(format!("{},{no},2015-04-01,1,,{ok_image},15,15", a(1)));
            assert_eq!(col.as_deref(), Some("印鑑登録番号"), "{no:?}");
        }
        let (col, _) = one(format!("{},1,2015-04-01,3,,{ok_image},15,15", a(1)));
        assert_eq!(col.as_deref(), Some("登録状態"));
        let (col, _) = one(format!("{},1,,1,,{ok_image},15,15", a(1)));
        assert_eq!(col.as_deref(), Some("登録年月日"));
    }

    #[test]
    fn seal_deltas_delete_and_history_picks_the_current_row() {
        let img = b64(&png(50));
        let text = format!(
            "宛名番号,印鑑登録番号,登録年月日,登録状態,廃止年月日,印影データ,印影_幅mm,印影_高さmm,削除フラグ,履歴番号,最新フラグ\n\
             {a1},1,2015-04-01,1,,{img},15,15,,1,0\n\
             {a1},2,2020-04-01,1,,{img},12,12,,3,1\n\
             {a1},1,2015-04-01,2,2020-03-31,,,,,2,1\n\
             {a2},,,,,,,,1,1,1\n",
            a1 = a(1),
            a2 = a(2)
        );
        let p = seal_registrations(&text, ImportMode::Delta).expect("parsed");
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        assert_eq!(p.items.len(), 2);
        assert!(
            matches!(&p.items[0], SealRegistrationChange::Put(r) if r.registration_no == "2" && r.width_tenth_mm == Some(120))
        );
        assert!(
            matches!(&p.items[1], SealRegistrationChange::Remove { atena_no } if *atena_no == AtenaNo::from_sequence(2))
        );
        let p = seal_registrations(&text, ImportMode::Full).expect("parsed");
        assert_eq!(
            p.problems
                .iter()
                .map(|p| (p.line, p.column.as_deref()))
                .collect::<Vec<_>>(),
            vec![(5, Some("削除フラグ"))]
        );
        let e = seal_registrations("宛名番号,印鑑登録番号,登録年月日\n", ImportMode::Full)
            .err()
            .expect("rejected");
        assert!(e.message.contains("登録状態"), "{}", e.message);
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

    const CARD_HEAD: &str = "宛名番号,シリアル番号,失効年月日\n";

    /// The problems of a one-row card file, as (line, column, message).
    fn card_problems(row: &str, mode: ImportMode) -> Vec<(u64, Option<String>, String)> {
        let p = card_serials(&format!("{CARD_HEAD}{row}\n"), mode).expect("parsed");
        p.problems
            .into_iter()
            .map(|p| (p.line, p.column, p.message))
            .collect()
    }

    #[test]
    fn card_rows_are_read_with_normalized_serials() {
        let text = format!(
            "{CARD_HEAD}{a1},00:4D:01:23,\n{a1},3C 01,令和6年3月31日\n{a2},\"8f0002\",2026-11-01\n",
            a1 = a(1),
            a2 = a(2)
        );
        let p = card_serials(&text, ImportMode::Full).expect("parsed");
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        assert_eq!(p.rows_read, 3);
        let d = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d);
        assert_eq!(
            p.items,
            vec![
                CardSerialChange::Put(CardSerial {
                    atena_no: AtenaNo::from_sequence(1),
                    serial: "4d0123".into(),
                    revoked_on: None,
                }),
                CardSerialChange::Put(CardSerial {
                    atena_no: AtenaNo::from_sequence(1),
                    serial: "3c01".into(),
                    revoked_on: d(2024, 3, 31),
                }),
                CardSerialChange::Put(CardSerial {
                    atena_no: AtenaNo::from_sequence(2),
                    serial: "8f0002".into(),
                    revoked_on: d(2026, 11, 1),
                }),
            ]
        );
    }

    #[test]
    fn each_card_column_rule_names_its_column() {
        let one = |row: String| {
            let p = card_problems(&row, ImportMode::Full);
            assert_eq!(p.len(), 1, "{row}: {p:?}");
            let (line, col, msg) = p.into_iter().next().expect("one");
            assert_eq!(line, 2);
            (col, msg)
        };
        for bad in ["", "0x12", "12-34", "xyz", &"f".repeat(41)] {
            let (col, msg) = one(format!("{},{bad},", a(1)));
            assert_eq!(col.as_deref(), Some("シリアル番号"), "{bad:?}");
            assert!(msg.contains("シリアル番号"), "{msg}");
        }
        let (col, msg) = one("123,4d01,".into());
        assert_eq!(col.as_deref(), Some("宛名番号"));
        assert!(msg.contains("チェックデジット"), "{msg}");
        let (col, msg) = one(",4d01,".into());
        assert_eq!(col.as_deref(), Some("宛名番号"));
        assert!(msg.contains("必須"), "{msg}");
        let (col, msg) = one(format!("{},4d01,2026-13-01", a(1)));
        assert_eq!(col.as_deref(), Some("失効年月日"));
        assert!(msg.contains("日付"), "{msg}");
        assert!(card_problems(&format!("{},4d01,2026-12-01", a(1)), ImportMode::Full).is_empty());
    }

    #[test]
    fn card_deltas_delete_by_serial_and_history_picks_the_current_row() {
        let text = format!(
            "宛名番号,シリアル番号,失効年月日,削除フラグ,履歴番号,最新フラグ\n\
             {a1},4D01,,,1,0\n\
             {a1},4d01,2026-10-01,,3,1\n\
             {a1},004d01,,,2,1\n\
             ,ab:cd,,1,1,1\n",
            a1 = a(1)
        );
        let p = card_serials(&text, ImportMode::Delta).expect("parsed");
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        assert_eq!(p.items.len(), 2);
        assert!(
            matches!(&p.items[0], CardSerialChange::Put(r) if r.serial == "4d01" && r.revoked_on.is_some()),
            "{:?}",
            p.items[0]
        );
        assert_eq!(
            p.items[1],
            CardSerialChange::Remove {
                serial: "abcd".into()
            }
        );
        let p = card_serials(&text, ImportMode::Full).expect("parsed");
        assert_eq!(
            p.problems
                .iter()
                .map(|p| (p.line, p.column.as_deref()))
                .collect::<Vec<_>>(),
            vec![(5, Some("削除フラグ"))]
        );
        let e = card_serials("宛名番号,失効年月日\n", ImportMode::Full)
            .err()
            .expect("rejected");
        assert!(e.message.contains("シリアル番号"), "{}", e.message);
    }
}
