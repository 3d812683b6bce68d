//! Tenant hand-over: reading a tenant's whole data set, restoring cases as they were, deleting a tenant.

use madoguchi_core::ids::AtenaNo;
use madoguchi_core::resident::SupportMeasure;
use madoguchi_store::{
    CaseEntry, CaseRecord, IncomingMove, QualificationRecord, StoreError, StoreResult,
    SupportMeasureRecord, TenantId,
};
use rusqlite::{Connection, params};

use crate::sql::{be, parse_ts, ts};

fn date(s: Option<String>) -> StoreResult<Option<chrono::NaiveDate>> {
    s.map(|s| {
        chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d")
            .map_err(|_| StoreError::Backend("bad date in store".into()))
    })
    .transpose()
}

fn atena(s: &str) -> StoreResult<AtenaNo> {
    AtenaNo::parse(s).map_err(|_| StoreError::Backend("bad 宛名番号 in store".into()))
}

pub fn all_support_measures(
    c: &Connection,
    tenant: &TenantId,
) -> StoreResult<Vec<SupportMeasureRecord>> {
    let mut stmt = c
        .prepare(
            "SELECT atena_no, measure, start_on, end_on FROM support_measures WHERE tenant_id = ?1
             ORDER BY atena_no",
        )
        .map_err(be)?;
    let rows = stmt
        .query_map([tenant.as_str()], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<String>>(3)?,
            ))
        })
        .map_err(be)?;
    rows.map(|r| {
        let (a, m, s, e) = r.map_err(be)?;
        Ok(SupportMeasureRecord {
            atena_no: atena(&a)?,
            measure: SupportMeasure::from_code(m),
            start: date(s)?,
            end: date(e)?,
        })
    })
    .collect()
}

pub fn all_qualifications(
    c: &Connection,
    tenant: &TenantId,
) -> StoreResult<Vec<QualificationRecord>> {
    let mut stmt = c
        .prepare(
            "SELECT atena_no, kind, acquired_on, lost_on FROM qualifications WHERE tenant_id = ?1
             ORDER BY atena_no, kind",
        )
        .map_err(be)?;
    let rows = stmt
        .query_map([tenant.as_str()], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<String>>(3)?,
            ))
        })
        .map_err(be)?;
    rows.map(|r| {
        let (a, kind, acq, lost) = r.map_err(be)?;
        Ok(QualificationRecord {
            atena_no: atena(&a)?,
            kind,
            acquired: date(acq)?,
            lost: date(lost)?,
        })
    })
    .collect()
}

pub fn case_ids(c: &Connection, tenant: &TenantId) -> StoreResult<Vec<String>> {
    let mut stmt = c
        .prepare("SELECT id FROM cases WHERE tenant_id = ?1 ORDER BY opened_at, rowid")
        .map_err(be)?;
    let rows = stmt
        .query_map([tenant.as_str()], |r| r.get(0))
        .map_err(be)?;
    rows.collect::<Result<Vec<String>, _>>().map_err(be)
}

pub fn tenant_settings(c: &Connection, tenant: &TenantId) -> StoreResult<Vec<(String, String)>> {
    let mut stmt = c
        .prepare("SELECT key, value FROM tenant_settings WHERE tenant_id = ?1 ORDER BY key")
        .map_err(be)?;
    let rows = stmt
        .query_map([tenant.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))
        .map_err(be)?;
    rows.collect::<Result<Vec<_>, _>>().map_err(be)
}

pub fn incoming_moves(c: &Connection, tenant: &TenantId) -> StoreResult<Vec<IncomingMove>> {
    let mut stmt = c
        .prepare(
            "SELECT notice_no, received_at, search_keys, document FROM incoming_moves
             WHERE tenant_id = ?1 ORDER BY received_at, notice_no",
        )
        .map_err(be)?;
    let rows = stmt
        .query_map([tenant.as_str()], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })
        .map_err(be)?;
    rows.map(|r| {
        let (notice_no, received_at, keys, document) = r.map_err(be)?;
        Ok(IncomingMove {
            notice_no,
            received_at: parse_ts(&received_at)?,
            search_keys: keys.split_whitespace().map(str::to_owned).collect(),
            document,
        })
    })
    .collect()
}

pub fn restore_case(
    c: &Connection,
    tenant: &TenantId,
    case: &CaseRecord,
    history: &[CaseEntry],
    subjects: &[String],
    procedures: &[String],
) -> StoreResult<()> {
    c.execute(
        "INSERT INTO cases (tenant_id, id, revision, status, title, opened_at, opened_by, opened_counter,
             updated_at, updated_by, updated_counter, document)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            tenant.as_str(),
            case.id,
            case.revision,
            case.status,
            case.title,
            ts(case.opened_at),
            case.opened_by,
            case.opened_counter,
            ts(case.updated_at),
            case.updated_by,
            case.updated_counter,
            case.document
        ],
    )
    .map_err(|e| match e {
        rusqlite::Error::SqliteFailure(f, _)
            if f.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            StoreError::Conflict("case id exists (or tenant missing)".into())
        }
        e => be(e),
    })?;
    let rowid = c.last_insert_rowid();
    // Counted in the statistics' summary on its first read.
    c.execute(
        "INSERT INTO case_summary_pending (case_rowid, tenant_id) VALUES (?1, ?2)",
        params![rowid, tenant.as_str()],
    )
    .map_err(be)?;
    for code in procedures {
        c.execute(
            "INSERT OR IGNORE INTO case_procedures (case_rowid, code) VALUES (?1, ?2)",
            params![rowid, code],
        )
        .map_err(be)?;
    }
    for a in subjects {
        c.execute(
            "INSERT OR IGNORE INTO case_subjects (case_rowid, atena_no) VALUES (?1, ?2)",
            params![rowid, a],
        )
        .map_err(be)?;
    }
    for e in history {
        c.execute(
            "INSERT INTO case_entries (case_rowid, write_id, at, user_login, counter, terminal, lines)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                rowid,
                e.write_id,
                ts(e.at),
                e.user,
                e.counter,
                e.terminal,
                e.lines.join("\n")
            ],
        )
        .map_err(be)?;
    }
    Ok(())
}

/// Deletes the tenant's rows, children before parents. The audit log is kept (see the trait).
pub fn delete_tenant(c: &Connection, tenant: &TenantId) -> StoreResult<Vec<(String, u64)>> {
    let exists: bool = c
        .query_row(
            "SELECT EXISTS (SELECT 1 FROM tenants WHERE id = ?1)",
            [tenant.as_str()],
            |r| r.get(0),
        )
        .map_err(be)?;
    if !exists {
        return Err(StoreError::NotFound("tenant".into()));
    }
    let t = tenant.as_str();
    let mut report = Vec::new();
    let mut run = |label: &str, sql: &str| -> StoreResult<u64> {
        let n = c.execute(sql, [t]).map_err(be)? as u64;
        if !label.is_empty() {
            report.push((label.to_owned(), n));
        }
        Ok(n)
    };
    run(
        "",
        "DELETE FROM residents_fts WHERE rowid IN (SELECT id FROM residents WHERE tenant_id = ?1)",
    )?;
    run("residents", "DELETE FROM residents WHERE tenant_id = ?1")?;
    run(
        "support_measures",
        "DELETE FROM support_measures WHERE tenant_id = ?1",
    )?;
    run(
        "qualifications",
        "DELETE FROM qualifications WHERE tenant_id = ?1",
    )?;
    run(
        "seal_registrations",
        "DELETE FROM seal_registrations WHERE tenant_id = ?1",
    )?;
    run(
        "pre_applications",
        "DELETE FROM pre_applications WHERE tenant_id = ?1",
    )?;
    run(
        "arrival_reservations",
        "DELETE FROM arrival_reservations WHERE tenant_id = ?1",
    )?;
    run(
        "card_serials",
        "DELETE FROM card_serials WHERE tenant_id = ?1",
    )?;
    run(
        "tax_records",
        "DELETE FROM tax_records WHERE tenant_id = ?1",
    )?;
    run(
        "import_ledger",
        "DELETE FROM import_ledger WHERE tenant_id = ?1",
    )?;
    run("towns", "DELETE FROM towns WHERE tenant_id = ?1")?;
    run(
        "certificates",
        "DELETE FROM certificates WHERE tenant_id = ?1",
    )?;
    run(
        "certificate_numbers",
        "DELETE FROM certificate_numbers WHERE tenant_id = ?1",
    )?;
    run(
        "reception_numbers",
        "DELETE FROM reception_numbers WHERE tenant_id = ?1",
    )?;
    run(
        "case_history",
        "DELETE FROM case_entries WHERE case_rowid IN (SELECT rowid FROM cases WHERE tenant_id = ?1)",
    )?;
    run(
        "",
        "DELETE FROM case_procedures WHERE case_rowid IN (SELECT rowid FROM cases WHERE tenant_id = ?1)",
    )?;
    run(
        "",
        "DELETE FROM case_subjects WHERE case_rowid IN (SELECT rowid FROM cases WHERE tenant_id = ?1)",
    )?;
    run(
        "outbound_cases",
        "DELETE FROM outbound_cases WHERE tenant_id = ?1",
    )?;
    run(
        "portal_attachments",
        "DELETE FROM portal_attachments WHERE tenant_id = ?1",
    )?;
    run(
        "portal_applications",
        "DELETE FROM portal_applications WHERE tenant_id = ?1",
    )?;
    run("", "DELETE FROM case_daily_counts WHERE tenant_id = ?1")?;
    run("", "DELETE FROM case_summary_pending WHERE tenant_id = ?1")?;
    run("cases", "DELETE FROM cases WHERE tenant_id = ?1")?;
    run(
        "outbound_batches",
        "DELETE FROM outbound_batches WHERE tenant_id = ?1",
    )?;
    run(
        "linkage_files",
        "DELETE FROM linkage_files WHERE tenant_id = ?1",
    )?;
    run(
        "incoming_moves",
        "DELETE FROM incoming_moves WHERE tenant_id = ?1",
    )?;
    run(
        "tenant_settings",
        "DELETE FROM tenant_settings WHERE tenant_id = ?1",
    )?;
    run(
        "form_templates",
        "DELETE FROM form_templates WHERE tenant_id = ?1",
    )?;
    run(
        "form_backgrounds",
        "DELETE FROM form_backgrounds WHERE tenant_id = ?1",
    )?;
    run("", "DELETE FROM notice_reads WHERE tenant_id = ?1")?;
    run("notices", "DELETE FROM notices WHERE tenant_id = ?1")?;
    run(
        "sessions",
        "DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE tenant_id = ?1)",
    )?;
    run(
        "",
        "DELETE FROM user_groups WHERE user_id IN (SELECT id FROM users WHERE tenant_id = ?1)",
    )?;
    run("users", "DELETE FROM users WHERE tenant_id = ?1")?;
    run("groups", "DELETE FROM staff_groups WHERE tenant_id = ?1")?;
    run("terminals", "DELETE FROM terminals WHERE tenant_id = ?1")?;
    run("counters", "DELETE FROM counters WHERE tenant_id = ?1")?;
    run("", "DELETE FROM tenants WHERE id = ?1")?;
    Ok(report)
}
