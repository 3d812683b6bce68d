//! What every benchmark shares: the tenant and date the data is made for, and the folder it is kept in.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use madoguchi_store::TenantId;

/// The day the demo city's ages and the benchmarks' dates are computed on.
pub fn reference_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default()
}

/// The tenant benchmark data is stored under.
pub fn tenant() -> TenantId {
    TenantId("bench".into())
}

/// `target/bench-data`, where generated files and databases are kept between runs.
pub fn work_dir() -> anyhow::Result<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/bench-data");
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
