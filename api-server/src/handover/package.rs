//! The hand-over package's files: its errors, writing a CSV file of the export (private, sealed when
//! asked, recorded for the manifest), reading one back as a table of named cells, and the parsing every
//! kind of data shares.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, Utc};
use madoguchi_core::ids::AtenaNo;
use madoguchi_store::{ImportApplied, StoreError};
use serde::{Deserialize, Serialize};

use crate::handover_seal::Sealer;

#[derive(Debug, thiserror::Error)]
pub enum HandoverError {
    /// For the operator, in Japanese.
    #[error("{0}")]
    Invalid(String),
    #[error("storage: {0}")]
    Store(#[from] StoreError),
    #[error("file: {0}")]
    Io(#[from] std::io::Error),
}

impl HandoverError {
    pub(super) fn invalid(m: impl Into<String>) -> Self {
        HandoverError::Invalid(m.into())
    }
}

pub(super) type Result<T> = std::result::Result<T, HandoverError>;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct FileEntry {
    pub name: String,
    pub rows: u64,
    pub sha256: String,
}

/// Cells are neutralised against spreadsheet formulas and restored on import ([`crate::csv_text`]).
pub(super) fn cell(v: &str) -> String {
    crate::csv_text::cell(v)
}

pub(super) fn date(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

pub(super) fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Writes one CSV file of the export and records it for the manifest.
pub(super) struct Writer<'a> {
    pub(super) dir: &'a Path,
    pub(super) files: Vec<FileEntry>,
    pub(super) seal: Option<&'a Sealer>,
}

impl Writer<'_> {
    pub(super) fn file(
        &mut self,
        name: &str,
        header: &[&str],
        rows: Vec<Vec<String>>,
    ) -> Result<()> {
        let mut out = String::from("\u{FEFF}");
        out.push_str(&header.join(","));
        out.push_str("\r\n");
        for r in &rows {
            out.push_str(&r.iter().map(|v| cell(v)).collect::<Vec<_>>().join(","));
            out.push_str("\r\n");
        }
        self.raw(name, out.as_bytes(), rows.len() as u64)
    }

    pub(super) fn raw(&mut self, name: &str, bytes: &[u8], rows: u64) -> Result<()> {
        let path = self.dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        write_file(&path, bytes, self.seal)?;
        self.files.push(FileEntry {
            name: name.into(),
            rows,
            sha256: sha256(bytes),
        });
        Ok(())
    }
}

/// Writes a file of the export, encrypted as `<name>.age` when the export is sealed.
pub(super) fn write_file(path: &Path, bytes: &[u8], seal: Option<&Sealer>) -> std::io::Result<()> {
    match seal {
        None => write_private(path, bytes),
        Some(sealer) => {
            let mut name = path.as_os_str().to_owned();
            name.push(SEALED_SUFFIX);
            write_private(Path::new(&name), &sealer.seal(bytes)?)
        }
    }
}

/// The suffix of an encrypted file of the export.
pub(super) const SEALED_SUFFIX: &str = ".age";

/// A file of the export: personal data, readable by its owner only (0600).
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(bytes)
}

pub(super) fn sha256(bytes: &[u8]) -> String {
    crate::import::hex(ring::digest::digest(&ring::digest::SHA256, bytes).as_ref())
}

/// A CSV file of the export, read back as rows of named cells.
pub(super) struct Table {
    pub(super) name: String,
    pub(super) header: Vec<String>,
    pub(super) rows: Vec<Vec<String>>,
}

impl Table {
    pub(super) fn col(&self, name: &str) -> Result<usize> {
        self.header.iter().position(|h| h == name).ok_or_else(|| {
            HandoverError::invalid(format!("{} に列「{name}」がありません。", self.name))
        })
    }

    pub(super) fn get<'a>(&self, row: &'a [String], name: &str) -> Result<&'a str> {
        let i = self.col(name)?;
        row.get(i).map(String::as_str).ok_or_else(|| {
            HandoverError::invalid(format!(
                "{} の行の列の数が見出しと一致しません。",
                self.name
            ))
        })
    }

    /// A cell, `None` when empty.
    pub(super) fn optional(&self, row: &[String], name: &str) -> Result<Option<String>> {
        Ok(Some(self.get(row, name)?)
            .filter(|v| !v.is_empty())
            .map(str::to_owned))
    }

    /// The refusal of a cell whose value is not valid: `what` names it.
    pub(super) fn invalid(&self, what: &str) -> HandoverError {
        HandoverError::invalid(format!("{} の{what}が正しくありません。", self.name))
    }
}

pub(super) fn table(files: &BTreeMap<String, Vec<u8>>, name: &str) -> Result<Table> {
    let bytes = files
        .get(name)
        .ok_or_else(|| HandoverError::invalid(format!("{name} がマニフェストにありません。")))?;
    let text = std::str::from_utf8(bytes)
        .map_err(|_| HandoverError::invalid(format!("{name} が UTF-8 ではありません。")))?;
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut rdr = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let header = rdr
        .headers()
        .map_err(|_| HandoverError::invalid(format!("{name} の見出しが読めません。")))?
        .iter()
        .map(str::to_owned)
        .collect();
    let mut rows = Vec::new();
    for r in rdr.records() {
        let r = r.map_err(|e| {
            HandoverError::invalid(format!(
                "{name} の {} 行目が読めません。",
                e.position().map_or(0, |p| p.line())
            ))
        })?;
        rows.push(
            r.iter()
                .map(|c| crate::csv_text::restore(c).to_owned())
                .collect(),
        );
    }
    Ok(Table {
        name: name.into(),
        header,
        rows,
    })
}

pub(super) fn parse_date(t: &Table, v: &str) -> Result<Option<chrono::NaiveDate>> {
    if v.is_empty() {
        return Ok(None);
    }
    chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| HandoverError::invalid(format!("{} の日付 {v} が正しくありません。", t.name)))
}

pub(super) fn parse_time(t: &Table, v: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(v)
        .map(|d| d.with_timezone(&Utc))
        .map_err(|_| HandoverError::invalid(format!("{} の日時 {v} が正しくありません。", t.name)))
}

pub(super) fn parse_atena(t: &Table, v: &str) -> Result<AtenaNo> {
    AtenaNo::parse(v).map_err(|_| {
        HandoverError::invalid(format!("{} の宛名番号 {v} が正しくありません。", t.name))
    })
}

/// What an import wrote, per kind of data.
#[derive(Debug, Clone, Default)]
pub struct ImportSummary {
    pub counts: Vec<(&'static str, u64)>,
}

pub(super) fn applied(a: ImportApplied) -> Result<()> {
    match a {
        ImportApplied::Committed(_) => Ok(()),
        ImportApplied::AlreadyApplied { .. } | ImportApplied::RolledBack => {
            Err(HandoverError::invalid(
                "取り込みが適用されませんでした（同じ内容のファイルが適用済み）。",
            ))
        }
    }
}
