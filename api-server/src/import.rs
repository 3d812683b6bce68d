//! Resident CSV import (layout: `docs/resident-csv.md`).
//!
//! The file is streamed row by row into one store transaction: every row is validated, valid rows are
//! written, and problems are collected. At the end the transaction commits only if there were no
//! problems (or `skip_invalid` was asked for); otherwise nothing changes.

use std::collections::HashMap;
use std::io::{self, BufRead, BufReader, Read};

use chrono::{NaiveDate, Utc};
use madoguchi_core::ids::{AtenaNo, IdError, is_valid_city_code};
use madoguchi_core::kana::normalize_reading;
use madoguchi_core::registry::{JuminhyoCode, RegistryItems};
use madoguchi_core::relationship::{Relation, parse_relation};
use madoguchi_core::resident::{
    Address, BirthDate, ForeignInfo, Name, Resident, ResidentKind, ResidentStatus, Sex,
    SupportMeasure,
};
use madoguchi_core::resident_csv::COLUMNS;
use madoguchi_core::wareki::parse_date;
use madoguchi_store::{
    ImportApplied, ImportCounts, ImportDecision, ImportMeta, ImportMode, Store, StoreError,
    TenantId,
};
use serde::Serialize;
use utoipa::ToSchema;

/// Longest accepted field, in bytes.
pub const MAX_FIELD_BYTES: usize = 4096;

/// Character encoding of an import file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsvEncoding {
    Utf8,
    /// Shift_JIS as written by Windows (CP932 / Windows-31J).
    Cp932,
}

impl CsvEncoding {
    /// Parses `utf-8`, `utf8`, `cp932`, `sjis`, `shift_jis`, `windows-31j` (any case).
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "utf-8" | "utf8" => Some(CsvEncoding::Utf8),
            "cp932" | "sjis" | "shift-jis" | "windows-31j" | "ms932" => Some(CsvEncoding::Cp932),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub mode: ImportMode,
    pub encoding: CsvEncoding,
    pub skip_invalid: bool,
    /// Today's date at the counter: birth dates after it are rejected.
    pub today: NaiveDate,
    pub source_name: String,
    /// Hex SHA-256 of the whole file (see [`sha256_hex`]).
    pub sha256: String,
    /// Audit record written in the import's transaction when rows are applied.
    pub audit: Option<madoguchi_store::AuditEvent>,
}

/// One problem with one field of one row. `message` is Japanese, for the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct RowProblem {
    /// Physical line (1-based) where the record starts.
    pub line: u64,
    /// Column name, when the problem belongs to one.
    pub column: Option<String>,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ImportStatus {
    /// Rows were written.
    Applied,
    /// Invalid rows were found and nothing was written.
    Rejected,
    /// This file was imported before; nothing was done.
    AlreadyApplied,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImportReport {
    pub status: ImportStatus,
    pub mode: String,
    pub sha256: String,
    pub rows_read: u64,
    pub rows_rejected: u64,
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub removed: u64,
    /// Every problem found, in file order.
    pub problems: Vec<RowProblem>,
}

/// A problem with the file as a whole: nothing was imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("import file rejected at line {line}: {log}")]
    File {
        line: u64,
        message: String,
        log: &'static str,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ImportError {
    fn file(line: u64, message: impl Into<String>, log: &'static str) -> Self {
        ImportError::File {
            line,
            message: message.into(),
            log,
        }
    }
}

/// Lower-case hex of bytes (digests, tokens).
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Hex SHA-256 of everything `r` yields.
pub fn sha256_hex(mut r: impl Read) -> io::Result<String> {
    let mut ctx = ring::digest::Context::new(&ring::digest::SHA256);
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = r.read(&mut buf)?;
        if n == 0 {
            break;
        }
        ctx.update(&buf[..n]);
    }
    Ok(hex(ctx.finish().as_ref()))
}

/// Skips a UTF-8 byte-order mark at the start of the stream.
fn skip_bom<R: Read>(r: R) -> io::Result<BufReader<R>> {
    let mut br = BufReader::with_capacity(1 << 16, r);
    let buf = br.fill_buf()?;
    if buf.starts_with(&[0xEF, 0xBB, 0xBF]) {
        br.consume(3);
    }
    Ok(br)
}

/// Transcodes CP932 to UTF-8 while reading; malformed bytes become an `InvalidData` error naming the line.
struct Cp932Reader<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    input: Vec<u8>,
    in_start: usize,
    in_end: usize,
    output: Vec<u8>,
    out_start: usize,
    out_end: usize,
    eof: bool,
    line: u64,
}

impl<R: Read> Cp932Reader<R> {
    fn new(inner: R) -> Self {
        Cp932Reader {
            inner,
            decoder: encoding_rs::SHIFT_JIS.new_decoder_without_bom_handling(),
            input: vec![0; 1 << 16],
            in_start: 0,
            in_end: 0,
            output: vec![0; 3 << 16],
            out_start: 0,
            out_end: 0,
            eof: false,
            line: 1,
        }
    }
}

impl<R: Read> Read for Cp932Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.out_start < self.out_end {
                let n = buf.len().min(self.out_end - self.out_start);
                buf[..n].copy_from_slice(&self.output[self.out_start..self.out_start + n]);
                self.out_start += n;
                return Ok(n);
            }
            if self.in_start == self.in_end && !self.eof {
                let n = self.inner.read(&mut self.input)?;
                self.in_start = 0;
                self.in_end = n;
                self.eof = n == 0;
            }
            if self.in_start == self.in_end && self.eof {
                // Flush the decoder: a truncated lead byte at the end is malformed too.
                let (res, _, written) =
                    self.decoder
                        .decode_to_utf8_without_replacement(&[], &mut self.output, true);
                if let encoding_rs::DecoderResult::Malformed(..) = res {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!("cp932 line {}", self.line),
                    ));
                }
                if written == 0 {
                    return Ok(0);
                }
                self.out_start = 0;
                self.out_end = written;
                continue;
            }
            let (res, read, written) = self.decoder.decode_to_utf8_without_replacement(
                &self.input[self.in_start..self.in_end],
                &mut self.output,
                false,
            );
            self.line += self.output[..written]
                .iter()
                .filter(|b| **b == b'\n')
                .count() as u64;
            self.in_start += read;
            self.out_start = 0;
            self.out_end = written;
            if let encoding_rs::DecoderResult::Malformed(..) = res {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("cp932 line {}", self.line),
                ));
            }
        }
    }
}

/// Imports a resident CSV into `tenant` as one transaction. See the module docs.
pub fn import_residents(
    store: &dyn Store,
    tenant: &TenantId,
    source: impl Read,
    opts: &ImportOptions,
) -> Result<ImportReport, ImportError> {
    match opts.encoding {
        CsvEncoding::Utf8 => run(store, tenant, skip_bom(source).map_err(io_error)?, opts),
        CsvEncoding::Cp932 => run(store, tenant, Cp932Reader::new(source), opts),
    }
}

fn io_error(e: io::Error) -> ImportError {
    if e.kind() == io::ErrorKind::InvalidData {
        let line = e
            .to_string()
            .rsplit(' ')
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        ImportError::file(
            line,
            format!(
                "{line}行目付近に Shift_JIS（CP932）として読めない文字があります。文字コードを確認してください。"
            ),
            "undecodable bytes in declared encoding",
        )
    } else {
        ImportError::file(0, "ファイルを読み込めませんでした。", "read error")
    }
}

fn csv_error(e: csv::Error) -> ImportError {
    let line = e.position().map_or(0, |p| p.line());
    match e.into_kind() {
        csv::ErrorKind::Io(io) => io_error(io),
        _ => ImportError::file(
            line,
            format!("{line}行目: CSVの形式が正しくありません。"),
            "csv syntax error",
        ),
    }
}

struct Header {
    index: HashMap<&'static str, usize>,
    len: usize,
}

fn read_header<R: Read>(rdr: &mut csv::Reader<R>) -> Result<Header, ImportError> {
    let mut rec = csv::ByteRecord::new();
    if !rdr.read_byte_record(&mut rec).map_err(csv_error)? {
        return Err(ImportError::file(
            1,
            "ファイルが空です（見出し行がありません）。",
            "empty file",
        ));
    }
    let mut index = HashMap::new();
    for (i, raw) in rec.iter().enumerate() {
        let Ok(name) = std::str::from_utf8(raw) else {
            return Err(ImportError::file(
                1,
                "見出し行が UTF-8 として読めません。Shift_JIS のファイルは文字コードに cp932 を指定してください。",
                "header not utf-8",
            ));
        };
        let name = name.trim();
        let Some((known, _)) = COLUMNS.iter().find(|(c, _)| *c == name) else {
            return Err(ImportError::file(
                1,
                format!("見出し行に未知の列「{name}」があります。"),
                "unknown column",
            ));
        };
        if index.insert(*known, i).is_some() {
            return Err(ImportError::file(
                1,
                format!("見出し行に列「{name}」が重複しています。"),
                "duplicate column",
            ));
        }
    }
    for (col, required) in COLUMNS {
        if *required && !index.contains_key(col) {
            return Err(ImportError::file(
                1,
                format!("必須の列「{col}」が見出し行にありません。"),
                "missing column",
            ));
        }
    }
    Ok(Header {
        index,
        len: rec.len(),
    })
}

fn run<R: Read>(
    store: &dyn Store,
    tenant: &TenantId,
    source: R,
    opts: &ImportOptions,
) -> Result<ImportReport, ImportError> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(source);
    let header = read_header(&mut rdr)?;
    let meta = ImportMeta {
        mode: opts.mode,
        sha256: opts.sha256.clone(),
        source_name: opts.source_name.clone(),
        started_at: Utc::now(),
        // The record names the file by its hash unless the caller said otherwise.
        audit: opts.audit.clone().map(|mut e| {
            e.subject.get_or_insert_with(|| opts.sha256.clone());
            e
        }),
    };
    let mut problems: Vec<RowProblem> = Vec::new();
    let mut rows_read = 0u64;
    let mut rows_rejected = 0u64;
    let mut file_error: Option<ImportError> = None;
    let applied = store.import_residents(tenant, &meta, &mut |sink| {
        let mut rec = csv::ByteRecord::new();
        let mut households = HouseholdCheck::default();
        // 宛名番号 are at most 15 digits: kept as integers with the row's history number, 24 bytes
        // each even for a million rows.
        let mut seen: HashMap<u64, (u64, u64)> = HashMap::new();
        let history = header.index.contains_key("最新フラグ");
        loop {
            match rdr.read_byte_record(&mut rec) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => {
                    file_error = Some(csv_error(e));
                    return Ok(ImportDecision::Rollback);
                }
            }
            rows_read += 1;
            let line = rec.position().map_or(0, |p| p.line());
            let before = problems.len();
            let mut row = RowView {
                rec: &rec,
                header: &header,
                line,
                problems: &mut problems,
            };
            let version = if history {
                match row.history() {
                    Some(Some(v)) => v,
                    // A past row (最新フラグ 0): history, not the current state.
                    Some(None) => continue,
                    None => {
                        rows_rejected += 1;
                        continue;
                    }
                }
            } else {
                (0, 0)
            };
            match parse_row(row, opts) {
                Some(RowAction::Put(r)) => {
                    let key = r.atena_no.as_str().parse().unwrap_or(u64::MAX);
                    match seen.get(&key).copied() {
                        None => {
                            seen.insert(key, version);
                            match households.record(opts.mode, &r, line) {
                                Some(p) => problems.push(p),
                                None => {
                                    sink.put(&r)?;
                                }
                            }
                        }
                        // A newer current row of the same resident replaces the one written.
                        Some(earlier) if history && version > earlier => {
                            seen.insert(key, version);
                            sink.put(&r)?;
                        }
                        Some(earlier) if history && version < earlier => {}
                        Some(_) => {
                            problems.push(RowProblem {
                                line,
                                column: Some("宛名番号".into()),
                                message: "同じ宛名番号の行がファイル内に既にあります。".into(),
                            });
                        }
                    }
                }
                Some(RowAction::Remove(a)) => {
                    sink.remove(&a)?;
                }
                None => {}
            }
            if problems.len() > before {
                rows_rejected += 1;
            }
        }
        problems.extend(households.without_head());
        problems.sort_by_key(|p| p.line);
        Ok(if problems.is_empty() || opts.skip_invalid {
            ImportDecision::Commit
        } else {
            ImportDecision::Rollback
        })
    })?;
    if let Some(e) = file_error {
        return Err(e);
    }
    let (status, counts) = match applied {
        ImportApplied::Committed(c) => (ImportStatus::Applied, c),
        ImportApplied::RolledBack => (ImportStatus::Rejected, ImportCounts::default()),
        ImportApplied::AlreadyApplied { .. } => {
            (ImportStatus::AlreadyApplied, ImportCounts::default())
        }
    };
    Ok(ImportReport {
        status,
        mode: opts.mode.as_str().to_owned(),
        sha256: opts.sha256.clone(),
        rows_read,
        rows_rejected,
        inserted: counts.inserted,
        updated: counts.updated,
        unchanged: counts.unchanged,
        removed: counts.removed,
        problems,
    })
}

/// Full imports describe whole households: each must have exactly one 世帯主.
#[derive(Default)]
struct HouseholdCheck {
    /// 世帯番号 → (number of heads, line of the first member, the number as written).
    seen: HashMap<u64, (u32, u64)>,
}

impl HouseholdCheck {
    /// Notes a member (full imports only); returns a problem when it is a second head.
    fn record(&mut self, mode: ImportMode, r: &Resident, line: u64) -> Option<RowProblem> {
        if mode != ImportMode::Full {
            return None;
        }
        let key = r.household_no.as_str().parse().unwrap_or(u64::MAX);
        let entry = self.seen.entry(key).or_insert((0, line));
        if r.relation == madoguchi_core::relationship::Relation::HouseholdHead {
            entry.0 += 1;
            if entry.0 > 1 {
                return Some(RowProblem {
                    line,
                    column: Some("続柄表記".into()),
                    message: "同じ世帯に世帯主が複数います。".into(),
                });
            }
        }
        None
    }

    /// Households that ended without a head, reported at their first member's line.
    fn without_head(&mut self) -> Vec<RowProblem> {
        let mut out: Vec<RowProblem> = self
            .seen
            .iter()
            .filter(|(_, (heads, _))| *heads == 0)
            .map(|(no, (_, line))| RowProblem {
                line: *line,
                column: Some("世帯番号".into()),
                message: format!("世帯番号 {no:015} の世帯に世帯主がいません。"),
            })
            .collect();
        out.sort_by_key(|p| p.line);
        out
    }
}

enum RowAction {
    Put(Box<Resident>),
    Remove(AtenaNo),
}

struct RowView<'a> {
    rec: &'a csv::ByteRecord,
    header: &'a Header,
    line: u64,
    problems: &'a mut Vec<RowProblem>,
}

impl RowView<'_> {
    fn problem(&mut self, column: Option<&str>, message: impl Into<String>) {
        self.problems.push(RowProblem {
            line: self.line,
            column: column.map(str::to_owned),
            message: message.into(),
        });
    }

    /// The trimmed value of a column, `None` when absent or empty. Records encoding and length problems.
    fn get(&mut self, col: &'static str) -> Option<String> {
        let i = *self.header.index.get(col)?;
        let raw = self.rec.get(i)?;
        if raw.len() > MAX_FIELD_BYTES {
            self.problem(
                Some(col),
                format!("値が長すぎます（{MAX_FIELD_BYTES}バイト以内）。"),
            );
            return None;
        }
        match std::str::from_utf8(raw) {
            Ok(s) => {
                let s = s.trim_matches(|c: char| c == ' ' || c == '\t' || c == '\u{3000}');
                if s.is_empty() {
                    None
                } else {
                    Some(s.to_owned())
                }
            }
            Err(_) => {
                self.problem(
                    Some(col),
                    "UTF-8 として読めない文字があります。Shift_JIS のファイルは文字コードに cp932 を指定してください。",
                );
                None
            }
        }
    }

    fn required(&mut self, col: &'static str) -> Option<String> {
        let v = self.get(col);
        if v.is_none() && !self.has_problem_for(col) {
            self.problem(Some(col), format!("「{col}」が入力されていません。"));
        }
        v
    }

    fn has_problem_for(&self, col: &str) -> bool {
        self.problems
            .iter()
            .rev()
            .take_while(|p| p.line == self.line)
            .any(|p| p.column.as_deref() == Some(col))
    }

    fn date(&mut self, col: &'static str) -> Option<NaiveDate> {
        let v = self.get(col)?;
        match parse_date(&v) {
            Ok(d) => Some(d),
            Err(e) => {
                self.problem(Some(col), e.message_ja());
                None
            }
        }
    }

    /// A date that may not lie after `today`.
    fn past_date(&mut self, col: &'static str, today: NaiveDate) -> Option<NaiveDate> {
        let d = self.date(col)?;
        if d > today {
            self.problem(Some(col), format!("{col}が未来の日付です。"));
            return None;
        }
        Some(d)
    }

    fn id(&mut self, col: &'static str) -> Option<AtenaNo> {
        let v = self.required(col)?;
        match AtenaNo::parse(&v) {
            Ok(a) => Some(a),
            Err(IdError::CheckDigit { .. }) => {
                self.problem(
                    Some(col),
                    format!("{col}のチェックデジットが正しくありません。"),
                );
                None
            }
            Err(_) => {
                self.problem(
                    Some(col),
                    format!("{col}は15桁以内の数字で入力してください。"),
                );
                None
            }
        }
    }

    /// The row's place in a history-bearing file: `Some(None)` for a past row (最新フラグ 0),
    /// `Some(Some((履歴番号, 履歴番号枝番)))` for a current one, `None` (with a problem) when unreadable.
    fn history(&mut self) -> Option<Option<(u64, u64)>> {
        let latest = match self.get("最新フラグ").as_deref() {
            Some("1") => true,
            Some("0") => false,
            _ => {
                self.problem(
                    Some("最新フラグ"),
                    "最新フラグは 0 または 1 で入力してください。",
                );
                return None;
            }
        };
        if !latest {
            return Some(None);
        }
        let mut number = |col: &'static str| -> Option<u64> {
            match self.get(col) {
                None => Some(0),
                Some(v) => v.parse::<u64>().ok().or_else(|| {
                    self.problem(Some(col), format!("{col}は数字で入力してください。"));
                    None
                }),
            }
        };
        let no = number("履歴番号")?;
        let branch = number("履歴番号枝番")?;
        Some(Some((no, branch)))
    }

    fn flag(&mut self, col: &'static str) -> bool {
        match self.get(col).as_deref() {
            None | Some("0") => false,
            Some("1") => true,
            Some(_) => {
                self.problem(
                    Some(col),
                    format!("{col}は 0 または 1 で入力してください。"),
                );
                false
            }
        }
    }

    fn reading(&mut self, col: &'static str) -> Option<String> {
        let v = self.get(col)?;
        match normalize_reading(&v) {
            Ok(k) => Some(k),
            Err(e) => {
                self.problem(Some(col), e.message_ja());
                None
            }
        }
    }

    fn digits(&mut self, col: &'static str, len: usize, label: &str) -> Option<String> {
        let v = self.get(col)?;
        let d: String = v
            .chars()
            .filter(|c| *c != '-' && *c != 'ー' && *c != '－')
            .collect();
        if d.len() == len && d.bytes().all(|b| b.is_ascii_digit()) {
            Some(d)
        } else {
            self.problem(
                Some(col),
                format!("{label}は{len}桁の数字で入力してください。"),
            );
            None
        }
    }
}

fn parse_row(mut row: RowView<'_>, opts: &ImportOptions) -> Option<RowAction> {
    let start = row.problems.len();
    if row.rec.len() != row.header.len {
        row.problem(
            None,
            format!(
                "列の数が見出し行と一致しません（見出し {} 列、この行 {} 列）。",
                row.header.len,
                row.rec.len()
            ),
        );
        return None;
    }
    let atena_no = row.id("宛名番号");
    if row.flag("削除フラグ") {
        if opts.mode == ImportMode::Full {
            row.problem(
                Some("削除フラグ"),
                "全件取込では削除フラグは使えません。差分取込を指定してください。",
            );
            return None;
        }
        return atena_no.map(RowAction::Remove);
    }
    // Every field is read (and its problems recorded, in column order) before the row is judged.
    let household_no = row.id("世帯番号");
    let kind = row.kind();
    let status = row.status();
    let (full, name) = row.name(kind);
    let birth = row.birth(opts.today);
    let sex = row.sex();
    let relation = row.relation();
    let address = row.address();
    let became_resident_on = row.past_date("住民となった年月日", opts.today);
    let address_fixed_on = row.past_date("住所を定めた年月日", opts.today);
    let foreign = row.foreign(kind, &name);
    let support_measure = row.support_measure();
    let registry = row.registry(kind);
    if row.problems.len() > start {
        return None;
    }
    let (
        Some(atena_no),
        Some(household_no),
        Some(kind),
        Some(status),
        Some(_),
        Some(birth),
        Some(sex),
        Some(relation),
    ) = (
        atena_no,
        household_no,
        kind,
        status,
        full,
        birth,
        sex,
        relation,
    )
    else {
        return None;
    };
    Some(RowAction::Put(Box::new(Resident {
        atena_no,
        household_no,
        kind,
        status,
        name,
        birth,
        sex,
        relation,
        address,
        became_resident_on,
        address_fixed_on,
        foreign,
        support_measure,
        registry,
    })))
}

/// The fields of a resident row, each read with its problems recorded.
impl RowView<'_> {
    fn kind(&mut self) -> Option<ResidentKind> {
        self.required("住民種別").and_then(|v| {
            ResidentKind::parse(&v).or_else(|| {
                self.problem(
                    Some("住民種別"),
                    "住民種別は「日本人住民」または「外国人住民」で入力してください。",
                );
                None
            })
        })
    }

    fn status(&mut self) -> Option<ResidentStatus> {
        match self.get("住民状態") {
            None => Some(ResidentStatus::Resident),
            Some(v) => ResidentStatus::parse(&v).or_else(|| {
                self.problem(
                    Some("住民状態"),
                    "住民状態は「住民」「転出」「死亡」「消除」のいずれかで入力してください。",
                );
                None
            }),
        }
    }

    /// 氏名 as given (`None` when missing) and the whole name with its readings.
    fn name(&mut self, kind: Option<ResidentKind>) -> (Option<String>, Name) {
        let full = self.required("氏名");
        let kana = self.reading("氏名_フリガナ");
        if kind == Some(ResidentKind::Japanese)
            && kana.is_none()
            && !self.has_problem_for("氏名_フリガナ")
        {
            self.problem(
                Some("氏名_フリガナ"),
                "日本人住民は「氏名_フリガナ」が必要です。",
            );
        }
        let name = Name {
            full: full.clone().unwrap_or_default(),
            surname: self.get("氏"),
            given: self.get("名"),
            kana,
            surname_kana: self.reading("氏_フリガナ"),
            given_kana: self.reading("名_フリガナ"),
            former_surname: self.get("旧氏"),
            former_surname_kana: self.reading("旧氏_フリガナ"),
            alias: self.get("通称"),
            alias_kana: self.reading("通称_フリガナ"),
            foreign_romaji: self.get("氏名_外国人ローマ字"),
            foreign_kanji: self.get("氏名_外国人漢字"),
        };
        (full, name)
    }

    /// 生年月日, or its 不詳 notation; never after `today`.
    fn birth(&mut self, today: NaiveDate) -> Option<BirthDate> {
        let unknown_flag = self.flag("生年月日_不詳フラグ");
        let birth_date = self.date("生年月日");
        let birth = if unknown_flag {
            match self.get("生年月日_不詳表記") {
                Some(text) => Some(BirthDate::Unknown {
                    text,
                    internal: birth_date,
                }),
                None => {
                    self.problem(
                        Some("生年月日_不詳表記"),
                        "生年月日が不詳の場合は「生年月日_不詳表記」が必要です。",
                    );
                    None
                }
            }
        } else {
            match birth_date {
                Some(d) => Some(BirthDate::Known(d)),
                None => {
                    if !self.has_problem_for("生年月日") {
                        self.problem(Some("生年月日"), "「生年月日」が入力されていません。");
                    }
                    None
                }
            }
        };
        if birth
            .as_ref()
            .and_then(BirthDate::date)
            .is_some_and(|d| d > today)
        {
            self.problem(Some("生年月日"), "生年月日が未来の日付です。");
        }
        birth
    }

    fn sex(&mut self) -> Option<Sex> {
        self.required("性別").and_then(|v| {
            Sex::parse(&v).or_else(|| {
                self.problem(Some("性別"), "性別は「男」または「女」で入力してください。");
                None
            })
        })
    }

    fn relation(&mut self) -> Option<Relation> {
        self.required("続柄表記")
            .and_then(|v| match parse_relation(&v) {
                Ok(r) => Some(r),
                Err(e) => {
                    self.problem(Some("続柄表記"), e.message_ja());
                    None
                }
            })
    }

    fn address(&mut self) -> Address {
        let city_code = self.required("住所_市区町村コード").and_then(|v| {
            if is_valid_city_code(&v) {
                Some(v)
            } else {
                self.problem(
                    Some("住所_市区町村コード"),
                    "市区町村コードは6桁（チェックデジット付き）の全国地方公共団体コードで入力してください。",
                );
                None
            }
        });
        Address {
            city_code: city_code.unwrap_or_default(),
            town_code: self.digits("住所_町字コード", 7, "町字コード"),
            prefecture: self.required("住所_都道府県").unwrap_or_default(),
            city: self.required("住所_市区郡町村名").unwrap_or_default(),
            town: self.required("住所_町字").unwrap_or_default(),
            banchi: self.get("住所_番地号表記"),
            katagaki: self.get("住所_方書"),
            postal_code: self.digits("住所_郵便番号", 7, "郵便番号"),
        }
    }

    /// A foreign resident's nationality and residence status; none of it for a Japanese resident.
    fn foreign(&mut self, kind: Option<ResidentKind>, name: &Name) -> Option<ForeignInfo> {
        let nationality = self.get("国籍名等");
        if kind != Some(ResidentKind::Foreign) {
            for col in ["在留資格", "在留期間", "在留期間の満了の日"] {
                if self.get(col).is_some() {
                    self.problem(
                        Some(col),
                        format!("日本人住民に「{col}」は入力できません。"),
                    );
                }
            }
            return None;
        }
        if name.foreign_romaji.is_none() && !self.has_problem_for("氏名_外国人ローマ字") {
            self.problem(
                Some("氏名_外国人ローマ字"),
                "外国人住民は「氏名_外国人ローマ字」が必要です。",
            );
        }
        match nationality {
            Some(nationality) => Some(ForeignInfo {
                nationality,
                status_of_residence: self.get("在留資格"),
                period_of_stay: self.get("在留期間"),
                expiry: self.date("在留期間の満了の日"),
            }),
            None => {
                if !self.has_problem_for("国籍名等") {
                    self.problem(Some("国籍名等"), "外国人住民は「国籍名等」が必要です。");
                }
                None
            }
        }
    }

    /// 本籍・筆頭者 (Japanese residents only), 住民票コード (11 digits) and 前住所, all optional.
    fn registry(&mut self, kind: Option<ResidentKind>) -> RegistryItems {
        let honseki = self.get("本籍");
        let hittosha = self.get("筆頭者");
        if kind == Some(ResidentKind::Foreign) {
            for (col, v) in [("本籍", &honseki), ("筆頭者", &hittosha)] {
                if v.is_some() {
                    self.problem(
                        Some(col),
                        format!("外国人住民に「{col}」は入力できません。"),
                    );
                }
            }
        }
        let juminhyo_code = self.get("住民票コード").and_then(|v| {
            JuminhyoCode::parse(&v).or_else(|| {
                self.problem(
                    Some("住民票コード"),
                    "住民票コードは11桁の数字で入力してください。",
                );
                None
            })
        });
        RegistryItems {
            honseki,
            hittosha,
            juminhyo_code,
            previous_address: self.get("前住所"),
        }
    }

    /// A decided 支援措置 outranks a provisional one.
    fn support_measure(&mut self) -> SupportMeasure {
        match (self.flag("支援措置"), self.flag("仮支援措置")) {
            (true, _) => SupportMeasure::Active,
            (false, true) => SupportMeasure::Provisional,
            (false, false) => SupportMeasure::None,
        }
    }
}
