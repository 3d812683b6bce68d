//! `import residents`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Subcommand, ValueEnum};
use madoguchi_server::api::today_jst;
use madoguchi_server::import::{
    CsvEncoding, ImportError, ImportOptions, ImportStatus, import_residents, sha256_hex,
};
use madoguchi_store::{ImportMode, Store, TenantId};

#[derive(Subcommand)]
pub(crate) enum ImportWhat {
    /// Import a resident CSV (docs/resident-csv.md) as one transaction.
    Residents {
        file: PathBuf,
        #[arg(long, value_enum, default_value_t = Mode::Full)]
        mode: Mode,
        /// utf-8 (default) or cp932 (Shift_JIS).
        #[arg(long, default_value = "utf-8")]
        encoding: String,
        /// Apply the valid rows even when some rows are invalid.
        #[arg(long)]
        skip_invalid: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum Mode {
    Full,
    Delta,
}

pub(crate) fn run(
    store: &dyn Store,
    tenant: TenantId,
    what: ImportWhat,
) -> anyhow::Result<ExitCode> {
    let ImportWhat::Residents {
        file,
        mode,
        encoding,
        skip_invalid,
    } = what;
    store.ensure_tenant(&tenant, tenant.as_str())?;
    let encoding = CsvEncoding::parse(&encoding)
        .ok_or_else(|| anyhow::anyhow!("文字コードは utf-8 または cp932 を指定してください"))?;
    let open =
        || std::fs::File::open(&file).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()));
    let opts = ImportOptions {
        audit: Some(madoguchi_store::AuditEvent {
            terminal: Some("cli".into()),
            ..madoguchi_server::audit::event(
                &tenant,
                None,
                None,
                "resident.import",
                None,
                "pending",
            )
        }),
        mode: match mode {
            Mode::Full => ImportMode::Full,
            Mode::Delta => ImportMode::Delta,
        },
        encoding,
        skip_invalid,
        today: today_jst(),
        source_name: file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        sha256: sha256_hex(std::io::BufReader::new(open()?))?,
    };
    match import_residents(store, &tenant, open()?, &opts) {
        Ok(report) => {
            for p in &report.problems {
                println!(
                    "{}行目 {}: {}",
                    p.line,
                    p.column.as_deref().unwrap_or("-"),
                    p.message
                );
            }
            match report.status {
                ImportStatus::Applied => {
                    println!(
                        "取り込みました: {} 行（追加 {}、更新 {}、変更なし {}、削除 {}、不正 {}）",
                        report.rows_read,
                        report.inserted,
                        report.updated,
                        report.unchanged,
                        report.removed,
                        report.rows_rejected
                    );
                    Ok(ExitCode::SUCCESS)
                }
                ImportStatus::AlreadyApplied => {
                    println!("このファイルは取り込み済みです。何も変更していません。");
                    Ok(ExitCode::SUCCESS)
                }
                ImportStatus::Rejected => {
                    println!(
                        "不正な行が {} 行あるため、取り込みを中止しました（データは変更していません）。",
                        report.rows_rejected
                    );
                    Ok(ExitCode::from(1))
                }
            }
        }
        Err(ImportError::File { line, message, .. }) => {
            println!("{line}行目: {message}");
            println!("取り込みを中止しました（データは変更していません）。");
            Ok(ExitCode::from(1))
        }
        Err(ImportError::Store(e)) => Err(e.into()),
    }
}
