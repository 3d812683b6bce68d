//! Core-system feeds (the 支援措置 feed `001o009`, the 資格 feed, the 印鑑登録 feed `inkan`), the linkage ledger, the outbound
//! feeds' batches and the tenant hand-over, in PostgreSQL.

use std::collections::HashSet;

use chrono::{DateTime, NaiveDate, Utc};
use madoguchi_core::ids::AtenaNo;
use madoguchi_core::resident::SupportMeasure;
use madoguchi_store::{
    ImportApplied, ImportCounts, ImportMeta, ImportMode, LinkageFile, LinkageOutcome,
    OutboundBatch, QualificationChange, QualificationRecord, SealRegistration,
    SealRegistrationChange, StoreError, StoreResult, SupportMeasureRecord, TenantId,
};
use postgres::Transaction;

use crate::append_audit_in;
use crate::sql::{be, constraint};

fn n(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

fn atena(s: &str) -> StoreResult<AtenaNo> {
    AtenaNo::parse(s).map_err(|_| StoreError::Backend("bad 宛名番号 in store".into()))
}

/// One ledgered feed import: nothing when the file's SHA-256 is in the ledger, else `apply`, the
/// ledger's row and the audit record, in the caller's transaction.
pub fn ledgered(
    tx: &mut Transaction<'_>,
    tenant: &TenantId,
    meta: &ImportMeta,
    apply: impl FnOnce(&mut Transaction<'_>) -> StoreResult<ImportCounts>,
) -> StoreResult<ImportApplied> {
    let t = tenant.as_str();
    tx.execute(
        "SELECT pg_advisory_xact_lock(hashtextextended('madoguchi.import:' || $1, 0))",
        &[&t],
    )
    .map_err(be)?;
    if tx
        .query_opt("SELECT 1 FROM tenants WHERE id = $1", &[&t])
        .map_err(be)?
        .is_none()
    {
        return Err(StoreError::NotFound("tenant".into()));
    }
    if let Some(row) = tx
        .query_opt(
            "SELECT finished_at FROM import_ledger WHERE tenant_id = $1 AND sha256 = $2",
            &[&t, &meta.sha256],
        )
        .map_err(be)?
    {
        return Ok(ImportApplied::AlreadyApplied {
            applied_at: row.try_get(0).map_err(be)?,
        });
    }
    let counts = apply(tx)?;
    tx.execute(
        "INSERT INTO import_ledger (tenant_id, sha256, mode, source_name, started_at, finished_at,
                                    inserted, updated, unchanged, removed)
         VALUES ($1, $2, $3, $4, $5, now(), $6, $7, $8, $9)",
        &[
            &t,
            &meta.sha256,
            &meta.mode.as_str(),
            &meta.source_name,
            &meta.started_at,
            &n(counts.inserted),
            &n(counts.updated),
            &n(counts.unchanged),
            &n(counts.removed),
        ],
    )
    .map_err(constraint("file already in the import ledger"))?;
    if let Some(event) = &meta.audit {
        let mut event = event.clone();
        event.result = "applied".into();
        append_audit_in(tx, &event)?;
    }
    Ok(ImportApplied::Committed(counts))
}

pub fn put_support_measures(
    tx: &mut Transaction<'_>,
    tenant: &TenantId,
    mode: ImportMode,
    records: &[SupportMeasureRecord],
) -> StoreResult<ImportCounts> {
    let t = tenant.as_str();
    let mut counts = ImportCounts::default();
    let mut keep: HashSet<&str> = HashSet::new();
    for r in records {
        let a = r.atena_no.as_str();
        if r.measure == SupportMeasure::None {
            if mode == ImportMode::Delta {
                counts.removed += tx
                    .execute(
                        "DELETE FROM support_measures WHERE tenant_id = $1 AND atena_no = $2",
                        &[&t, &a],
                    )
                    .map_err(be)?;
            }
            continue;
        }
        keep.insert(a);
        let measure = r.measure.code() as i16;
        let before = tx
            .query_opt(
                "SELECT measure, start_on, end_on FROM support_measures WHERE tenant_id = $1 AND atena_no = $2",
                &[&t, &a],
            )
            .map_err(be)?;
        match before {
            Some(row) => {
                let same = row.try_get::<_, i16>(0).map_err(be)? == measure
                    && row.try_get::<_, Option<NaiveDate>>(1).map_err(be)? == r.start
                    && row.try_get::<_, Option<NaiveDate>>(2).map_err(be)? == r.end;
                if same {
                    counts.unchanged += 1;
                    continue;
                }
                counts.updated += 1;
            }
            None => counts.inserted += 1,
        }
        tx.execute(
            "INSERT INTO support_measures (tenant_id, atena_no, measure, start_on, end_on)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (tenant_id, atena_no) DO UPDATE SET measure = excluded.measure,
                 start_on = excluded.start_on, end_on = excluded.end_on",
            &[&t, &a, &measure, &r.start, &r.end],
        )
        .map_err(be)?;
    }
    if mode == ImportMode::Full {
        let keep: Vec<&str> = keep.into_iter().collect();
        counts.removed += tx
            .execute(
                "DELETE FROM support_measures WHERE tenant_id = $1 AND NOT (atena_no = ANY($2))",
                &[&t, &keep],
            )
            .map_err(be)?;
    }
    Ok(counts)
}

pub fn put_qualifications(
    tx: &mut Transaction<'_>,
    tenant: &TenantId,
    mode: ImportMode,
    changes: &[QualificationChange],
) -> StoreResult<ImportCounts> {
    let t = tenant.as_str();
    let mut counts = ImportCounts::default();
    let mut keep: HashSet<(&str, &str)> = HashSet::new();
    for change in changes {
        match change {
            QualificationChange::Put(r) => {
                let (a, k) = (r.atena_no.as_str(), r.kind.as_str());
                keep.insert((a, k));
                let before = tx
                    .query_opt(
                        "SELECT acquired_on, lost_on FROM qualifications
                         WHERE tenant_id = $1 AND atena_no = $2 AND kind = $3",
                        &[&t, &a, &k],
                    )
                    .map_err(be)?;
                match before {
                    Some(row) => {
                        let same = row.try_get::<_, Option<NaiveDate>>(0).map_err(be)?
                            == r.acquired
                            && row.try_get::<_, Option<NaiveDate>>(1).map_err(be)? == r.lost;
                        if same {
                            counts.unchanged += 1;
                            continue;
                        }
                        counts.updated += 1;
                    }
                    None => counts.inserted += 1,
                }
                tx.execute(
                    "INSERT INTO qualifications (tenant_id, atena_no, kind, acquired_on, lost_on)
                     VALUES ($1, $2, $3, $4, $5)
                     ON CONFLICT (tenant_id, atena_no, kind) DO UPDATE SET
                         acquired_on = excluded.acquired_on, lost_on = excluded.lost_on",
                    &[&t, &a, &k, &r.acquired, &r.lost],
                )
                .map_err(be)?;
            }
            QualificationChange::Remove { atena_no, kind } => {
                counts.removed += tx
                    .execute(
                        "DELETE FROM qualifications WHERE tenant_id = $1 AND atena_no = $2 AND kind = $3",
                        &[&t, &atena_no.as_str(), kind],
                    )
                    .map_err(be)?;
            }
        }
    }
    if mode == ImportMode::Full {
        let stored = tx
            .query(
                "SELECT atena_no, kind FROM qualifications WHERE tenant_id = $1",
                &[&t],
            )
            .map_err(be)?;
        for row in stored {
            let a: String = row.try_get(0).map_err(be)?;
            let k: String = row.try_get(1).map_err(be)?;
            if !keep.contains(&(a.as_str(), k.as_str())) {
                counts.removed += tx
                    .execute(
                        "DELETE FROM qualifications WHERE tenant_id = $1 AND atena_no = $2 AND kind = $3",
                        &[&t, &a, &k],
                    )
                    .map_err(be)?;
            }
        }
    }
    Ok(counts)
}

fn qualification_row(row: &postgres::Row) -> StoreResult<QualificationRecord> {
    Ok(QualificationRecord {
        atena_no: atena(&row.try_get::<_, String>(0).map_err(be)?)?,
        kind: row.try_get(1).map_err(be)?,
        acquired: row.try_get(2).map_err(be)?,
        lost: row.try_get(3).map_err(be)?,
    })
}

pub fn qualifications(
    tx: &mut Transaction<'_>,
    tenant: &TenantId,
    atena_nos: &[AtenaNo],
) -> StoreResult<Vec<QualificationRecord>> {
    let nos: Vec<&str> = atena_nos.iter().map(AtenaNo::as_str).collect();
    tx.query(
        "SELECT atena_no, kind, acquired_on, lost_on FROM qualifications
         WHERE tenant_id = $1 AND atena_no = ANY($2) ORDER BY atena_no, kind",
        &[&tenant.as_str(), &nos],
    )
    .map_err(be)?
    .iter()
    .map(qualification_row)
    .collect()
}

pub fn all_qualifications(
    tx: &mut Transaction<'_>,
    tenant: &TenantId,
) -> StoreResult<Vec<QualificationRecord>> {
    tx.query(
        "SELECT atena_no, kind, acquired_on, lost_on FROM qualifications
         WHERE tenant_id = $1 ORDER BY atena_no, kind",
        &[&tenant.as_str()],
    )
    .map_err(be)?
    .iter()
    .map(qualification_row)
    .collect()
}

fn seal_from_row(atena_no: AtenaNo, row: &postgres::Row) -> StoreResult<SealRegistration> {
    seal_from_row_at(atena_no, row, 0)
}

/// A registration from `row`, its [`SEAL_COLUMNS`] starting at column `at`.
fn seal_from_row_at(
    atena_no: AtenaNo,
    row: &postgres::Row,
    at: usize,
) -> StoreResult<SealRegistration> {
    let tenths = |i: usize| -> StoreResult<Option<u16>> {
        row.try_get::<_, Option<i32>>(at + i)
            .map_err(be)?
            .map(|v| {
                u16::try_from(v).map_err(|_| StoreError::Backend("bad seal size in store".into()))
            })
            .transpose()
    };
    Ok(SealRegistration {
        atena_no,
        registration_no: row.try_get(at).map_err(be)?,
        registered_on: row.try_get(at + 1).map_err(be)?,
        abolished_on: row.try_get(at + 2).map_err(be)?,
        image: row.try_get(at + 3).map_err(be)?,
        image_type: row.try_get(at + 4).map_err(be)?,
        width_tenth_mm: tenths(5)?,
        height_tenth_mm: tenths(6)?,
    })
}

const SEAL_COLUMNS: &str = "registration_no, registered_on, abolished_on, image, image_type, \
                            width_tenth_mm, height_tenth_mm";

pub fn put_seal_registrations(
    tx: &mut Transaction<'_>,
    tenant: &TenantId,
    mode: ImportMode,
    changes: &[SealRegistrationChange],
) -> StoreResult<ImportCounts> {
    let t = tenant.as_str();
    let mut counts = ImportCounts::default();
    let mut keep: Vec<&str> = Vec::new();
    for change in changes {
        match change {
            SealRegistrationChange::Put(r) => {
                let a = r.atena_no.as_str();
                keep.push(a);
                let before = tx
                    .query_opt(
                        &format!(
                            "SELECT {SEAL_COLUMNS} FROM seal_registrations
                             WHERE tenant_id = $1 AND atena_no = $2"
                        ),
                        &[&t, &a],
                    )
                    .map_err(be)?;
                match before {
                    Some(row) => {
                        if seal_from_row(r.atena_no.clone(), &row)? == *r {
                            counts.unchanged += 1;
                            continue;
                        }
                        counts.updated += 1;
                    }
                    None => counts.inserted += 1,
                }
                let (w, h) = (
                    r.width_tenth_mm.map(i32::from),
                    r.height_tenth_mm.map(i32::from),
                );
                tx.execute(
                    "INSERT INTO seal_registrations (tenant_id, atena_no, registration_no, registered_on,
                         abolished_on, image, image_type, width_tenth_mm, height_tenth_mm)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                     ON CONFLICT (tenant_id, atena_no) DO UPDATE SET
                         registration_no = excluded.registration_no,
                         registered_on = excluded.registered_on, abolished_on = excluded.abolished_on,
                         image = excluded.image, image_type = excluded.image_type,
                         width_tenth_mm = excluded.width_tenth_mm,
                         height_tenth_mm = excluded.height_tenth_mm",
                    &[
                        &t,
                        &a,
                        &r.registration_no,
                        &r.registered_on,
                        &r.abolished_on,
                        &r.image,
                        &r.image_type,
                        &w,
                        &h,
                    ],
                )
                .map_err(be)?;
            }
            SealRegistrationChange::Remove { atena_no } => {
                counts.removed += tx
                    .execute(
                        "DELETE FROM seal_registrations WHERE tenant_id = $1 AND atena_no = $2",
                        &[&t, &atena_no.as_str()],
                    )
                    .map_err(be)?;
            }
        }
    }
    if mode == ImportMode::Full {
        counts.removed += tx
            .execute(
                "DELETE FROM seal_registrations WHERE tenant_id = $1 AND NOT (atena_no = ANY($2))",
                &[&t, &keep],
            )
            .map_err(be)?;
    }
    Ok(counts)
}

pub fn seal_registration(
    tx: &mut Transaction<'_>,
    tenant: &TenantId,
    atena_no: &AtenaNo,
) -> StoreResult<Option<SealRegistration>> {
    tx.query_opt(
        &format!(
            "SELECT {SEAL_COLUMNS} FROM seal_registrations WHERE tenant_id = $1 AND atena_no = $2"
        ),
        &[&tenant.as_str(), &atena_no.as_str()],
    )
    .map_err(be)?
    .map(|row| seal_from_row(atena_no.clone(), &row))
    .transpose()
}

/// Every registration of the tenant, by 宛名番号.
pub fn all_seal_registrations(
    tx: &mut Transaction<'_>,
    tenant: &TenantId,
) -> StoreResult<Vec<SealRegistration>> {
    tx.query(
        &format!(
            "SELECT atena_no, {SEAL_COLUMNS} FROM seal_registrations WHERE tenant_id = $1 ORDER BY atena_no"
        ),
        &[&tenant.as_str()],
    )
    .map_err(be)?
    .iter()
    .map(|row| {
        let a = atena(&row.try_get::<_, String>(0).map_err(be)?)?;
        seal_from_row_at(a, row, 1)
    })
    .collect()
}

pub fn active_seal_registrations(
    tx: &mut Transaction<'_>,
    tenant: &TenantId,
) -> StoreResult<Vec<AtenaNo>> {
    tx.query(
        "SELECT atena_no FROM seal_registrations WHERE tenant_id = $1 AND abolished_on IS NULL
         ORDER BY atena_no",
        &[&tenant.as_str()],
    )
    .map_err(be)?
    .iter()
    .map(|r| atena(&r.try_get::<_, String>(0).map_err(be)?))
    .collect()
}

pub fn all_support_measures(
    tx: &mut Transaction<'_>,
    tenant: &TenantId,
) -> StoreResult<Vec<SupportMeasureRecord>> {
    tx.query(
        "SELECT atena_no, measure, start_on, end_on FROM support_measures
         WHERE tenant_id = $1 ORDER BY atena_no",
        &[&tenant.as_str()],
    )
    .map_err(be)?
    .iter()
    .map(|row| {
        Ok(SupportMeasureRecord {
            atena_no: atena(&row.try_get::<_, String>(0).map_err(be)?)?,
            measure: SupportMeasure::from_code(i64::from(row.try_get::<_, i16>(1).map_err(be)?)),
            start: row.try_get(2).map_err(be)?,
            end: row.try_get(3).map_err(be)?,
        })
    })
    .collect()
}

pub fn record_linkage_file(
    tx: &mut Transaction<'_>,
    tenant: &TenantId,
    f: &LinkageFile,
) -> StoreResult<()> {
    tx.execute(
        "INSERT INTO linkage_files (tenant_id, feed, name, sequence, mode, sha256, size, outcome, rows_read,
             inserted, updated, unchanged, removed, problems, message, finished_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
        &[
            &tenant.as_str(),
            &f.feed,
            &f.name,
            &f.sequence,
            &f.mode.as_str(),
            &f.sha256,
            &n(f.size),
            &f.outcome.as_str(),
            &n(f.rows),
            &n(f.counts.inserted),
            &n(f.counts.updated),
            &n(f.counts.unchanged),
            &n(f.counts.removed),
            &n(f.problems),
            &f.message,
            &f.finished_at,
        ],
    )
    .map_err(|e| {
        if e.code() == Some(&postgres::error::SqlState::FOREIGN_KEY_VIOLATION) {
            StoreError::NotFound("tenant".into())
        } else {
            be(e)
        }
    })?;
    Ok(())
}

pub fn linkage_files(
    tx: &mut Transaction<'_>,
    tenant: &TenantId,
    feed: Option<&str>,
    limit: usize,
) -> StoreResult<Vec<LinkageFile>> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let rows = tx
        .query(
            "SELECT feed, name, sequence, mode, sha256, size, outcome, rows_read, inserted, updated,
                    unchanged, removed, problems, message, finished_at
             FROM linkage_files WHERE tenant_id = $1 AND ($2::text IS NULL OR feed = $2)
             ORDER BY id DESC LIMIT $3",
            &[&tenant.as_str(), &feed, &limit],
        )
        .map_err(be)?;
    rows.iter()
        .map(|r| {
            let u = |i: usize| -> StoreResult<u64> {
                Ok(u64::try_from(r.try_get::<_, i64>(i).map_err(be)?).unwrap_or(0))
            };
            let mode: String = r.try_get(3).map_err(be)?;
            let outcome: String = r.try_get(6).map_err(be)?;
            Ok(LinkageFile {
                feed: r.try_get(0).map_err(be)?,
                name: r.try_get(1).map_err(be)?,
                sequence: r.try_get(2).map_err(be)?,
                mode: if mode == "full" {
                    ImportMode::Full
                } else {
                    ImportMode::Delta
                },
                sha256: r.try_get(4).map_err(be)?,
                size: u(5)?,
                outcome: LinkageOutcome::parse(&outcome)
                    .ok_or_else(|| StoreError::Backend("bad linkage outcome in store".into()))?,
                rows: u(7)?,
                counts: ImportCounts {
                    inserted: u(8)?,
                    updated: u(9)?,
                    unchanged: u(10)?,
                    removed: u(11)?,
                },
                problems: u(12)?,
                message: r.try_get(13).map_err(be)?,
                finished_at: r.try_get(14).map_err(be)?,
            })
        })
        .collect()
}

pub fn add_outbound_batch(
    tx: &mut Transaction<'_>,
    tenant: &TenantId,
    b: &OutboundBatch,
) -> StoreResult<i64> {
    let t = tenant.as_str();
    // Batches of one kind are numbered one after the other.
    tx.execute(
        "SELECT pg_advisory_xact_lock(hashtextextended('madoguchi.outbound:' || $1 || ':' || $2, 0))",
        &[&t, &b.kind],
    )
    .map_err(be)?;
    if tx
        .query_opt("SELECT 1 FROM tenants WHERE id = $1", &[&t])
        .map_err(be)?
        .is_none()
    {
        return Err(StoreError::NotFound("tenant".into()));
    }
    let no: i64 = tx
        .query_one(
            "SELECT coalesce(max(batch_no), 0) + 1 FROM outbound_batches WHERE tenant_id = $1 AND kind = $2",
            &[&t, &b.kind],
        )
        .map_err(be)?
        .try_get(0)
        .map_err(be)?;
    tx.execute(
        "INSERT INTO outbound_batches (tenant_id, kind, batch_no, file_name, content, sha256, records, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        &[
            &t,
            &b.kind,
            &no,
            &b.file_name,
            &b.content,
            &b.sha256,
            &n(b.records),
            &b.created_at,
        ],
    )
    .map_err(be)?;
    let ids: Vec<&str> = b.case_ids.iter().map(String::as_str).collect();
    let taken = tx
        .query_opt(
            "SELECT 1 FROM outbound_cases WHERE tenant_id = $1 AND kind = $2 AND case_id = ANY($3) LIMIT 1",
            &[&t, &b.kind, &ids],
        )
        .map_err(be)?;
    if taken.is_some() || ids.iter().collect::<HashSet<_>>().len() != ids.len() {
        return Err(StoreError::Conflict(
            "case already exported for this kind".into(),
        ));
    }
    tx.execute(
        "INSERT INTO outbound_cases (tenant_id, kind, case_id, batch_no)
         SELECT $1, $2, unnest($3::text[]), $4",
        &[&t, &b.kind, &ids, &no],
    )
    .map_err(constraint("case already exported for this kind"))?;
    Ok(no)
}

pub fn mark_outbound_delivered(
    tx: &mut Transaction<'_>,
    tenant: &TenantId,
    kind: &str,
    batch_no: i64,
    at: DateTime<Utc>,
) -> StoreResult<bool> {
    let n = tx
        .execute(
            "UPDATE outbound_batches SET delivered_at = coalesce(delivered_at, $4)
             WHERE tenant_id = $1 AND kind = $2 AND batch_no = $3",
            &[&tenant.as_str(), &kind, &batch_no, &at],
        )
        .map_err(be)?;
    Ok(n > 0)
}

pub fn outbound_batches(
    tx: &mut Transaction<'_>,
    tenant: &TenantId,
    kind: Option<&str>,
    undelivered_only: bool,
    limit: usize,
) -> StoreResult<Vec<OutboundBatch>> {
    let t = tenant.as_str();
    let limit = i64::try_from(limit.clamp(1, 1 << 30)).unwrap_or(i64::MAX);
    let rows = tx
        .query(
            "SELECT b.kind, b.batch_no, b.file_name, b.content, b.sha256, b.records, b.created_at,
                    b.delivered_at,
                    coalesce((SELECT array_agg(o.case_id ORDER BY o.case_id) FROM outbound_cases o
                              WHERE o.tenant_id = b.tenant_id AND o.kind = b.kind
                                AND o.batch_no = b.batch_no), '{}')
             FROM outbound_batches b
             WHERE b.tenant_id = $1 AND ($2::text IS NULL OR b.kind = $2)
               AND (NOT $3 OR b.delivered_at IS NULL)
             ORDER BY b.created_at DESC, b.kind, b.batch_no DESC LIMIT $4",
            &[&t, &kind, &undelivered_only, &limit],
        )
        .map_err(be)?;
    rows.iter()
        .map(|r| {
            Ok(OutboundBatch {
                kind: r.try_get(0).map_err(be)?,
                batch_no: r.try_get(1).map_err(be)?,
                file_name: r.try_get(2).map_err(be)?,
                content: r.try_get(3).map_err(be)?,
                sha256: r.try_get(4).map_err(be)?,
                records: u64::try_from(r.try_get::<_, i64>(5).map_err(be)?).unwrap_or(0),
                created_at: r.try_get(6).map_err(be)?,
                delivered_at: r.try_get(7).map_err(be)?,
                case_ids: r.try_get(8).map_err(be)?,
            })
        })
        .collect()
}

pub fn tenant_settings(
    tx: &mut Transaction<'_>,
    tenant: &TenantId,
) -> StoreResult<Vec<(String, String)>> {
    tx.query(
        "SELECT key, value FROM tenant_settings WHERE tenant_id = $1 ORDER BY key COLLATE \"C\"",
        &[&tenant.as_str()],
    )
    .map_err(be)?
    .iter()
    .map(|r| Ok((r.try_get(0).map_err(be)?, r.try_get(1).map_err(be)?)))
    .collect()
}

/// Deletes the tenant's rows, children before parents; the audit chain is kept (see the trait).
pub fn delete_tenant(
    tx: &mut Transaction<'_>,
    tenant: &TenantId,
) -> StoreResult<Vec<(String, u64)>> {
    let t = tenant.as_str();
    if tx
        .query_opt("SELECT 1 FROM tenants WHERE id = $1", &[&t])
        .map_err(be)?
        .is_none()
    {
        return Err(StoreError::NotFound("tenant".into()));
    }
    let steps: &[(&str, &str)] = &[
        ("", "DELETE FROM resident_search WHERE tenant_id = $1"),
        ("residents", "DELETE FROM residents WHERE tenant_id = $1"),
        (
            "support_measures",
            "DELETE FROM support_measures WHERE tenant_id = $1",
        ),
        (
            "qualifications",
            "DELETE FROM qualifications WHERE tenant_id = $1",
        ),
        (
            "seal_registrations",
            "DELETE FROM seal_registrations WHERE tenant_id = $1",
        ),
        (
            "card_serials",
            "DELETE FROM card_serials WHERE tenant_id = $1",
        ),
        (
            "tax_records",
            "DELETE FROM tax_records WHERE tenant_id = $1",
        ),
        (
            "import_ledger",
            "DELETE FROM import_ledger WHERE tenant_id = $1",
        ),
        ("towns", "DELETE FROM towns WHERE tenant_id = $1"),
        (
            "portal_attachments",
            "DELETE FROM portal_attachments WHERE tenant_id = $1",
        ),
        (
            "portal_applications",
            "DELETE FROM portal_applications WHERE tenant_id = $1",
        ),
        (
            "certificates",
            "DELETE FROM certificates WHERE tenant_id = $1",
        ),
        (
            "certificate_numbers",
            "DELETE FROM certificate_numbers WHERE tenant_id = $1",
        ),
        (
            "reception_numbers",
            "DELETE FROM reception_numbers WHERE tenant_id = $1",
        ),
        (
            "case_history",
            "DELETE FROM case_entries WHERE tenant_id = $1",
        ),
        ("", "DELETE FROM case_procedures WHERE tenant_id = $1"),
        ("", "DELETE FROM case_subjects WHERE tenant_id = $1"),
        (
            "outbound_cases",
            "DELETE FROM outbound_cases WHERE tenant_id = $1",
        ),
        ("", "DELETE FROM case_daily_counts WHERE tenant_id = $1"),
        ("", "DELETE FROM case_summary_pending WHERE tenant_id = $1"),
        ("cases", "DELETE FROM cases WHERE tenant_id = $1"),
        (
            "outbound_batches",
            "DELETE FROM outbound_batches WHERE tenant_id = $1",
        ),
        (
            "linkage_files",
            "DELETE FROM linkage_files WHERE tenant_id = $1",
        ),
        (
            "pre_applications",
            "DELETE FROM pre_applications WHERE tenant_id = $1",
        ),
        (
            "arrival_reservations",
            "DELETE FROM arrival_reservations WHERE tenant_id = $1",
        ),
        (
            "incoming_moves",
            "DELETE FROM incoming_moves WHERE tenant_id = $1",
        ),
        (
            "tenant_settings",
            "DELETE FROM tenant_settings WHERE tenant_id = $1",
        ),
        (
            "form_templates",
            "DELETE FROM form_templates WHERE tenant_id = $1",
        ),
        (
            "form_backgrounds",
            "DELETE FROM form_backgrounds WHERE tenant_id = $1",
        ),
        ("", "DELETE FROM notice_reads WHERE tenant_id = $1"),
        ("notices", "DELETE FROM notices WHERE tenant_id = $1"),
        ("sessions", "DELETE FROM sessions WHERE tenant_id = $1"),
        ("", "DELETE FROM user_groups WHERE tenant_id = $1"),
        ("users", "DELETE FROM users WHERE tenant_id = $1"),
        ("groups", "DELETE FROM staff_groups WHERE tenant_id = $1"),
        ("terminals", "DELETE FROM terminals WHERE tenant_id = $1"),
        ("counters", "DELETE FROM counters WHERE tenant_id = $1"),
        ("", "DELETE FROM tenants WHERE id = $1"),
    ];
    let mut report = Vec::new();
    for (label, sql) in steps {
        let n = tx.execute(*sql, &[&t]).map_err(be)?;
        if !label.is_empty() {
            report.push(((*label).to_owned(), n));
        }
    }
    Ok(report)
}
