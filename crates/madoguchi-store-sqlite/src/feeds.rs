//! Core-system feeds: the 支援措置 feed (`001o009`), the 資格 feed, the 印鑑登録 feed (`inkan`) and the
//! linkage ledger.

use chrono::{Datelike, NaiveDate, Utc};
use madoguchi_core::ids::AtenaNo;
use madoguchi_core::resident::SupportMeasure;
use madoguchi_store::{
    ImportApplied, ImportCounts, ImportMeta, ImportMode, LinkageFile, LinkageOutcome,
    QualificationChange, QualificationRecord, SealRegistration, SealRegistrationChange, StoreError,
    StoreResult, SupportMeasureRecord, TenantId,
};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use crate::append_audit_in;
use crate::sql::{be, parse_ts, ts};

pub(crate) fn date(d: Option<NaiveDate>) -> Option<String> {
    d.map(|d| format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()))
}

pub(crate) fn parse_date(s: Option<String>) -> StoreResult<Option<NaiveDate>> {
    s.map(|s| {
        NaiveDate::parse_from_str(&s, "%Y-%m-%d")
            .map_err(|_| StoreError::Backend("bad date in store".into()))
    })
    .transpose()
}

/// Runs `apply` as one ledgered import: nothing when the file's SHA-256 is in the ledger, else `apply`,
/// the ledger's counts and the audit record, committed together.
pub fn ledgered(
    c: &mut Connection,
    tenant: &TenantId,
    meta: &ImportMeta,
    apply: impl FnOnce(&Transaction<'_>) -> StoreResult<ImportCounts>,
) -> StoreResult<ImportApplied> {
    let tx = c
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(be)?;
    let prior: Option<String> = tx
        .query_row(
            "SELECT finished_at FROM import_ledger WHERE tenant_id = ?1 AND sha256 = ?2",
            params![tenant.as_str(), meta.sha256],
            |r| r.get(0),
        )
        .optional()
        .map_err(be)?;
    if let Some(at) = prior {
        return Ok(ImportApplied::AlreadyApplied {
            applied_at: parse_ts(&at)?,
        });
    }
    let exists: bool = tx
        .query_row(
            "SELECT EXISTS (SELECT 1 FROM tenants WHERE id = ?1)",
            [tenant.as_str()],
            |r| r.get(0),
        )
        .map_err(be)?;
    if !exists {
        return Err(StoreError::NotFound("tenant".into()));
    }
    let counts = apply(&tx)?;
    tx.execute(
        "INSERT INTO import_ledger (tenant_id, sha256, mode, source_name, started_at, finished_at,
                                    inserted, updated, unchanged, removed)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            tenant.as_str(),
            meta.sha256,
            meta.mode.as_str(),
            meta.source_name,
            ts(meta.started_at),
            ts(Utc::now()),
            counts.inserted as i64,
            counts.updated as i64,
            counts.unchanged as i64,
            counts.removed as i64
        ],
    )
    .map_err(be)?;
    if let Some(event) = &meta.audit {
        let mut event = event.clone();
        event.result = "applied".into();
        append_audit_in(&tx, &event)?;
    }
    tx.commit().map_err(be)?;
    Ok(ImportApplied::Committed(counts))
}

pub fn put_support_measures(
    tx: &Transaction<'_>,
    tenant: &TenantId,
    mode: ImportMode,
    records: &[SupportMeasureRecord],
) -> StoreResult<ImportCounts> {
    let mut counts = ImportCounts::default();
    let mut keep: std::collections::HashSet<&str> = std::collections::HashSet::new();
    let mut find = tx
        .prepare_cached(
            "SELECT measure, start_on, end_on FROM support_measures WHERE tenant_id = ?1 AND atena_no = ?2",
        )
        .map_err(be)?;
    let mut upsert = tx
        .prepare_cached(
            "INSERT INTO support_measures (tenant_id, atena_no, measure, start_on, end_on) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (tenant_id, atena_no) DO UPDATE SET measure = excluded.measure,
                 start_on = excluded.start_on, end_on = excluded.end_on",
        )
        .map_err(be)?;
    let mut delete = tx
        .prepare_cached("DELETE FROM support_measures WHERE tenant_id = ?1 AND atena_no = ?2")
        .map_err(be)?;
    for r in records {
        let atena = r.atena_no.as_str();
        if r.measure == SupportMeasure::None {
            if mode == ImportMode::Delta {
                counts.removed += delete
                    .execute(params![tenant.as_str(), atena])
                    .map_err(be)? as u64;
            }
            continue;
        }
        keep.insert(atena);
        let now = (r.measure.code(), date(r.start), date(r.end));
        let before: Option<(i64, Option<String>, Option<String>)> = find
            .query_row(params![tenant.as_str(), atena], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?))
            })
            .optional()
            .map_err(be)?;
        match before {
            Some(b) if b == now => counts.unchanged += 1,
            Some(_) => counts.updated += 1,
            None => counts.inserted += 1,
        }
        upsert
            .execute(params![tenant.as_str(), atena, now.0, now.1, now.2])
            .map_err(be)?;
    }
    if mode == ImportMode::Full {
        let stored: Vec<String> = {
            let mut s = tx
                .prepare("SELECT atena_no FROM support_measures WHERE tenant_id = ?1")
                .map_err(be)?;
            s.query_map([tenant.as_str()], |r| r.get(0))
                .map_err(be)?
                .collect::<Result<_, _>>()
                .map_err(be)?
        };
        for a in stored.iter().filter(|a| !keep.contains(a.as_str())) {
            counts.removed += delete.execute(params![tenant.as_str(), a]).map_err(be)? as u64;
        }
    }
    Ok(counts)
}

pub fn put_qualifications(
    tx: &Transaction<'_>,
    tenant: &TenantId,
    mode: ImportMode,
    changes: &[QualificationChange],
) -> StoreResult<ImportCounts> {
    let mut counts = ImportCounts::default();
    let mut keep: std::collections::HashSet<(&str, &str)> = std::collections::HashSet::new();
    let mut find = tx
        .prepare_cached(
            "SELECT acquired_on, lost_on FROM qualifications WHERE tenant_id = ?1 AND atena_no = ?2 AND kind = ?3",
        )
        .map_err(be)?;
    let mut upsert = tx
        .prepare_cached(
            "INSERT INTO qualifications (tenant_id, atena_no, kind, acquired_on, lost_on) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (tenant_id, atena_no, kind) DO UPDATE SET acquired_on = excluded.acquired_on,
                 lost_on = excluded.lost_on",
        )
        .map_err(be)?;
    let mut delete = tx
        .prepare_cached(
            "DELETE FROM qualifications WHERE tenant_id = ?1 AND atena_no = ?2 AND kind = ?3",
        )
        .map_err(be)?;
    for change in changes {
        match change {
            QualificationChange::Put(r) => {
                keep.insert((r.atena_no.as_str(), r.kind.as_str()));
                let now = (date(r.acquired), date(r.lost));
                let before: Option<(Option<String>, Option<String>)> = find
                    .query_row(
                        params![tenant.as_str(), r.atena_no.as_str(), r.kind],
                        |row| Ok((row.get(0)?, row.get(1)?)),
                    )
                    .optional()
                    .map_err(be)?;
                match before {
                    Some(b) if b == now => counts.unchanged += 1,
                    Some(_) => counts.updated += 1,
                    None => counts.inserted += 1,
                }
                upsert
                    .execute(params![
                        tenant.as_str(),
                        r.atena_no.as_str(),
                        r.kind,
                        now.0,
                        now.1
                    ])
                    .map_err(be)?;
            }
            QualificationChange::Remove { atena_no, kind } => {
                counts.removed += delete
                    .execute(params![tenant.as_str(), atena_no.as_str(), kind])
                    .map_err(be)? as u64;
            }
        }
    }
    if mode == ImportMode::Full {
        let stored: Vec<(String, String)> = {
            let mut s = tx
                .prepare("SELECT atena_no, kind FROM qualifications WHERE tenant_id = ?1")
                .map_err(be)?;
            s.query_map([tenant.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))
                .map_err(be)?
                .collect::<Result<_, _>>()
                .map_err(be)?
        };
        for (a, k) in stored
            .iter()
            .filter(|(a, k)| !keep.contains(&(a.as_str(), k.as_str())))
        {
            counts.removed += delete.execute(params![tenant.as_str(), a, k]).map_err(be)? as u64;
        }
    }
    Ok(counts)
}

pub fn qualifications(
    c: &Connection,
    tenant: &TenantId,
    atena_nos: &[AtenaNo],
) -> StoreResult<Vec<QualificationRecord>> {
    let mut stmt = c
        .prepare_cached(
            "SELECT kind, acquired_on, lost_on FROM qualifications WHERE tenant_id = ?1 AND atena_no = ?2 ORDER BY kind",
        )
        .map_err(be)?;
    let mut sorted: Vec<&AtenaNo> = atena_nos.iter().collect();
    sorted.sort_by(|a, b| a.as_str().cmp(b.as_str()));
    sorted.dedup();
    let mut out = Vec::new();
    for a in sorted {
        let rows: Vec<(String, Option<String>, Option<String>)> = stmt
            .query_map(params![tenant.as_str(), a.as_str()], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .map_err(be)?
            .collect::<Result<_, _>>()
            .map_err(be)?;
        for (kind, acquired, lost) in rows {
            out.push(QualificationRecord {
                atena_no: a.clone(),
                kind,
                acquired: parse_date(acquired)?,
                lost: parse_date(lost)?,
            });
        }
    }
    Ok(out)
}

/// The stored columns of a registration, as compared and written.
type SealRow = (
    String,
    Option<String>,
    Option<String>,
    Option<Vec<u8>>,
    Option<String>,
    Option<i64>,
    Option<i64>,
);

fn seal_row(r: &SealRegistration) -> SealRow {
    (
        r.registration_no.clone(),
        date(Some(r.registered_on)),
        date(r.abolished_on),
        r.image.clone(),
        r.image_type.clone(),
        r.width_tenth_mm.map(i64::from),
        r.height_tenth_mm.map(i64::from),
    )
}

pub fn put_seal_registrations(
    tx: &Transaction<'_>,
    tenant: &TenantId,
    mode: ImportMode,
    changes: &[SealRegistrationChange],
) -> StoreResult<ImportCounts> {
    let mut counts = ImportCounts::default();
    let mut keep: std::collections::HashSet<&str> = std::collections::HashSet::new();
    let mut find = tx
        .prepare_cached(
            "SELECT registration_no, registered_on, abolished_on, image, image_type, width_tenth_mm,
                    height_tenth_mm
             FROM seal_registrations WHERE tenant_id = ?1 AND atena_no = ?2",
        )
        .map_err(be)?;
    let mut upsert = tx
        .prepare_cached(
            "INSERT INTO seal_registrations (tenant_id, atena_no, registration_no, registered_on,
                 abolished_on, image, image_type, width_tenth_mm, height_tenth_mm)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT (tenant_id, atena_no) DO UPDATE SET registration_no = excluded.registration_no,
                 registered_on = excluded.registered_on, abolished_on = excluded.abolished_on,
                 image = excluded.image, image_type = excluded.image_type,
                 width_tenth_mm = excluded.width_tenth_mm, height_tenth_mm = excluded.height_tenth_mm",
        )
        .map_err(be)?;
    let mut delete = tx
        .prepare_cached("DELETE FROM seal_registrations WHERE tenant_id = ?1 AND atena_no = ?2")
        .map_err(be)?;
    for change in changes {
        match change {
            SealRegistrationChange::Put(r) => {
                let atena = r.atena_no.as_str();
                keep.insert(atena);
                let now = seal_row(r);
                let before: Option<SealRow> = find
                    .query_row(params![tenant.as_str(), atena], |row| {
                        Ok((
                            row.get(0)?,
                            row.get(1)?,
                            row.get(2)?,
                            row.get(3)?,
                            row.get(4)?,
                            row.get(5)?,
                            row.get(6)?,
                        ))
                    })
                    .optional()
                    .map_err(be)?;
                match before {
                    Some(b) if b == now => {
                        counts.unchanged += 1;
                        continue;
                    }
                    Some(_) => counts.updated += 1,
                    None => counts.inserted += 1,
                }
                upsert
                    .execute(params![
                        tenant.as_str(),
                        atena,
                        now.0,
                        now.1,
                        now.2,
                        now.3,
                        now.4,
                        now.5,
                        now.6
                    ])
                    .map_err(be)?;
            }
            SealRegistrationChange::Remove { atena_no } => {
                counts.removed += delete
                    .execute(params![tenant.as_str(), atena_no.as_str()])
                    .map_err(be)? as u64;
            }
        }
    }
    if mode == ImportMode::Full {
        let stored: Vec<String> = {
            let mut s = tx
                .prepare("SELECT atena_no FROM seal_registrations WHERE tenant_id = ?1")
                .map_err(be)?;
            s.query_map([tenant.as_str()], |r| r.get(0))
                .map_err(be)?
                .collect::<Result<_, _>>()
                .map_err(be)?
        };
        for a in stored.iter().filter(|a| !keep.contains(a.as_str())) {
            counts.removed += delete.execute(params![tenant.as_str(), a]).map_err(be)? as u64;
        }
    }
    Ok(counts)
}

/// Every registration of the tenant, by 宛名番号.
pub fn all_seal_registrations(
    c: &Connection,
    tenant: &TenantId,
) -> StoreResult<Vec<SealRegistration>> {
    let ids: Vec<String> = c
        .prepare("SELECT atena_no FROM seal_registrations WHERE tenant_id = ?1 ORDER BY atena_no")
        .map_err(be)?
        .query_map(params![tenant.as_str()], |r| r.get(0))
        .map_err(be)?
        .collect::<Result<_, _>>()
        .map_err(be)?;
    let mut all = Vec::with_capacity(ids.len());
    for id in ids {
        let atena =
            AtenaNo::parse(&id).map_err(|_| StoreError::Backend("bad 宛名番号 in store".into()))?;
        all.extend(seal_registration(c, tenant, &atena)?);
    }
    Ok(all)
}

pub fn seal_registration(
    c: &Connection,
    tenant: &TenantId,
    atena_no: &AtenaNo,
) -> StoreResult<Option<SealRegistration>> {
    let row: Option<SealRow> = c
        .prepare_cached(
            "SELECT registration_no, registered_on, abolished_on, image, image_type, width_tenth_mm,
                    height_tenth_mm
             FROM seal_registrations WHERE tenant_id = ?1 AND atena_no = ?2",
        )
        .map_err(be)?
        .query_row(params![tenant.as_str(), atena_no.as_str()], |row| {
            Ok((
                row.get(0)?,
                row.get(1)?,
                row.get(2)?,
                row.get(3)?,
                row.get(4)?,
                row.get(5)?,
                row.get(6)?,
            ))
        })
        .optional()
        .map_err(be)?;
    let tenths = |v: Option<i64>| {
        v.map(|v| {
            u16::try_from(v).map_err(|_| StoreError::Backend("bad seal size in store".into()))
        })
        .transpose()
    };
    row.map(|(no, registered, abolished, image, image_type, w, h)| {
        Ok(SealRegistration {
            atena_no: atena_no.clone(),
            registration_no: no,
            registered_on: parse_date(registered)?
                .ok_or_else(|| StoreError::Backend("bad date in store".into()))?,
            abolished_on: parse_date(abolished)?,
            image,
            image_type,
            width_tenth_mm: tenths(w)?,
            height_tenth_mm: tenths(h)?,
        })
    })
    .transpose()
}

pub fn active_seal_registrations(c: &Connection, tenant: &TenantId) -> StoreResult<Vec<AtenaNo>> {
    let mut stmt = c
        .prepare_cached(
            "SELECT atena_no FROM seal_registrations WHERE tenant_id = ?1 AND abolished_on IS NULL
             ORDER BY atena_no",
        )
        .map_err(be)?;
    let rows: Vec<String> = stmt
        .query_map([tenant.as_str()], |r| r.get(0))
        .map_err(be)?
        .collect::<Result<_, _>>()
        .map_err(be)?;
    rows.iter()
        .map(|a| AtenaNo::parse(a).map_err(|_| StoreError::Backend("bad 宛名番号 in store".into())))
        .collect()
}

pub fn record_linkage_file(c: &Connection, tenant: &TenantId, f: &LinkageFile) -> StoreResult<()> {
    c.execute(
        "INSERT INTO linkage_files (tenant_id, feed, name, sequence, mode, sha256, size, outcome, rows_read,
             inserted, updated, unchanged, removed, problems, message, finished_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
        params![
            tenant.as_str(),
            f.feed,
            f.name,
            f.sequence,
            f.mode.as_str(),
            f.sha256,
            f.size as i64,
            f.outcome.as_str(),
            f.rows as i64,
            f.counts.inserted as i64,
            f.counts.updated as i64,
            f.counts.unchanged as i64,
            f.counts.removed as i64,
            f.problems as i64,
            f.message,
            ts(f.finished_at)
        ],
    )
    .map_err(|e| match e {
        rusqlite::Error::SqliteFailure(f, _)
            if f.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            StoreError::NotFound("tenant".into())
        }
        e => be(e),
    })?;
    Ok(())
}

pub fn linkage_files(
    c: &Connection,
    tenant: &TenantId,
    feed: Option<&str>,
    limit: usize,
) -> StoreResult<Vec<LinkageFile>> {
    let mut stmt = c
        .prepare_cached(
            "SELECT feed, name, sequence, mode, sha256, size, outcome, rows_read, inserted, updated, unchanged,
                    removed, problems, message, finished_at
             FROM linkage_files WHERE tenant_id = ?1 AND (?2 IS NULL OR feed = ?2) ORDER BY id DESC LIMIT ?3",
        )
        .map_err(be)?;
    let rows = stmt
        .query_map(params![tenant.as_str(), feed, limit as i64], |r| {
            Ok((
                (
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, i64>(5)?,
                    r.get::<_, String>(6)?,
                ),
                (
                    r.get::<_, i64>(7)?,
                    r.get::<_, i64>(8)?,
                    r.get::<_, i64>(9)?,
                    r.get::<_, i64>(10)?,
                    r.get::<_, i64>(11)?,
                    r.get::<_, i64>(12)?,
                    r.get::<_, Option<String>>(13)?,
                    r.get::<_, String>(14)?,
                ),
            ))
        })
        .map_err(be)?;
    let mut out = Vec::new();
    for row in rows {
        let (
            (feed, name, sequence, mode, sha256, size, outcome),
            (rows, ins, upd, unch, rem, problems, message, at),
        ) = row.map_err(be)?;
        out.push(LinkageFile {
            feed,
            name,
            sequence,
            mode: if mode == "full" {
                ImportMode::Full
            } else {
                ImportMode::Delta
            },
            sha256,
            size: size as u64,
            outcome: LinkageOutcome::parse(&outcome)
                .ok_or_else(|| StoreError::Backend("bad linkage outcome in store".into()))?,
            rows: rows as u64,
            counts: ImportCounts {
                inserted: ins as u64,
                updated: upd as u64,
                unchanged: unch as u64,
                removed: rem as u64,
            },
            problems: problems as u64,
            message,
            finished_at: parse_ts(&at)?,
        });
    }
    Ok(out)
}
