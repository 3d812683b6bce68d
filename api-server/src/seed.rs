//! Seeding a tenant with the demo city: the generator writes the import CSV, which then goes through
//! the same importer as a real 住民記録 file.

use std::io::{BufWriter, Seek, SeekFrom};

use chrono::NaiveDate;
use madoguchi_demo_city::{Options, Stats, write_csv};
use madoguchi_store::{ImportMode, Store, TenantId};

use crate::import::{
    CsvEncoding, ImportError, ImportOptions, ImportReport, import_residents, sha256_hex,
};

/// Generates `residents` demo residents with `seed` and imports them (full mode) into `tenant`.
pub fn seed_demo_city(
    store: &dyn Store,
    tenant: &TenantId,
    residents: usize,
    seed: u64,
    today: NaiveDate,
) -> anyhow::Result<(Stats, ImportReport)> {
    let mut file = tempfile::tempfile()?;
    let stats = {
        let mut w = BufWriter::with_capacity(1 << 20, &mut file);
        let stats = write_csv(
            &mut w,
            &Options {
                residents,
                seed,
                reference_date: today,
            },
        )?;
        std::io::Write::flush(&mut w)?;
        stats
    };
    file.seek(SeekFrom::Start(0))?;
    let sha256 = sha256_hex(std::io::BufReader::new(&mut file))?;
    file.seek(SeekFrom::Start(0))?;
    let opts = ImportOptions {
        audit: Some(madoguchi_store::AuditEvent {
            terminal: Some("cli-seed".into()),
            ..crate::audit::event(tenant, None, None, "resident.import", None, "pending")
        }),
        mode: ImportMode::Full,
        encoding: CsvEncoding::Utf8,
        skip_invalid: false,
        today,
        source_name: format!("demo-city seed={seed} residents={residents}"),
        sha256,
    };
    let report = import_residents(store, tenant, &mut file, &opts).map_err(|e| match e {
        ImportError::File { line, log, .. } => {
            anyhow::anyhow!("demo city CSV rejected at line {line}: {log}")
        }
        ImportError::Store(e) => e.into(),
    })?;
    if !report.problems.is_empty() {
        anyhow::bail!(
            "demo city generator produced {} invalid rows (first: {:?})",
            report.problems.len(),
            report.problems.first()
        );
    }
    Ok((stats, report))
}
