//! [`PortalStore`] on SQLite.

use madoguchi_store::prelude::*;
use madoguchi_store::{
    NewPortalApplication, PORTAL_ATTACHMENT_MAX_BYTES, PortalApplication, PortalAttachment,
    PortalAttachmentMeta, PortalStatusChange,
};

use crate::*;

const COLUMNS: &str = "application_no, kind, form_code, source, received_at, applicant, jpki_serial, \
                       imported_at, status, status_by, status_at, status_reason, case_id, status_sent_at";

fn opt_parse(s: Option<String>) -> StoreResult<Option<DateTime<Utc>>> {
    s.as_deref().map(parse_ts).transpose()
}

/// The row as SQLite gives it: texts, timestamps still to parse.
struct Raw([Option<String>; 14]);

fn read_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Raw> {
    let mut out: [Option<String>; 14] = Default::default();
    for (i, slot) in out.iter_mut().enumerate() {
        *slot = r.get(i)?;
    }
    Ok(Raw(out))
}

fn record(raw: Raw) -> StoreResult<PortalApplication> {
    let [
        no,
        kind,
        form,
        source,
        received,
        applicant,
        serial,
        imported,
        status,
        by,
        at,
        reason,
        case_id,
        sent,
    ] = raw.0;
    let req = |v: Option<String>| v.ok_or_else(|| StoreError::Backend("null column".into()));
    Ok(PortalApplication {
        application_no: req(no)?,
        kind: req(kind)?,
        form_code: req(form)?,
        source: req(source)?,
        received_at: parse_ts(&req(received)?)?,
        applicant: req(applicant)?,
        jpki_serial: serial,
        imported_at: parse_ts(&req(imported)?)?,
        status: req(status)?,
        status_by: by,
        status_at: opt_parse(at)?,
        status_reason: reason,
        case_id,
        status_sent_at: opt_parse(sent)?,
        attachments: Vec::new(),
    })
}

fn insert_one(
    tx: &Connection,
    tenant: &TenantId,
    a: &NewPortalApplication,
    at: DateTime<Utc>,
) -> StoreResult<bool> {
    let added = tx
        .execute(
            "INSERT INTO portal_applications (tenant_id, application_no, kind, form_code, source,
                 received_at, applicant, jpki_serial, imported_at, status)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'unprocessed') ON CONFLICT DO NOTHING",
            params![
                tenant.as_str(),
                a.application_no,
                a.kind,
                a.form_code,
                a.source,
                ts(a.received_at),
                a.applicant,
                a.jpki_serial,
                ts(at),
            ],
        )
        .map_err(constraint("tenant missing"))?;
    if added == 0 {
        return Ok(false);
    }
    for (i, f) in a.attachments.iter().enumerate() {
        tx.execute(
            "INSERT INTO portal_attachments (tenant_id, application_no, idx, name, media_type, content)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                tenant.as_str(),
                a.application_no,
                i as i64,
                f.name,
                f.media_type,
                f.bytes
            ],
        )
        .map_err(be)?;
    }
    Ok(true)
}

fn attachments_of(
    c: &Connection,
    tenant: &TenantId,
    no: &str,
) -> StoreResult<Vec<PortalAttachmentMeta>> {
    let mut stmt = c
        .prepare(
            "SELECT idx, name, media_type, length(content) FROM portal_attachments
             WHERE tenant_id = ?1 AND application_no = ?2 ORDER BY idx",
        )
        .map_err(be)?;
    stmt.query_map(params![tenant.as_str(), no], |r| {
        Ok(PortalAttachmentMeta {
            index: r.get(0)?,
            name: r.get(1)?,
            media_type: r.get(2)?,
            size: r.get(3)?,
        })
    })
    .map_err(be)?
    .collect::<Result<Vec<_>, _>>()
    .map_err(be)
}

impl PortalStore for SqliteStore {
    fn put_portal_applications(
        &self,
        tenant: &TenantId,
        applications: &[NewPortalApplication],
        at: DateTime<Utc>,
        audit: &AuditEvent,
    ) -> StoreResult<Vec<String>> {
        let too_large = applications
            .iter()
            .flat_map(|a| &a.attachments)
            .any(|f| f.bytes.len() > PORTAL_ATTACHMENT_MAX_BYTES);
        if too_large {
            return Err(StoreError::Conflict("attachment too large".into()));
        }
        self.audited(audit, |tx| {
            let mut added = Vec::new();
            for a in applications {
                if insert_one(tx, tenant, a, at)? {
                    added.push(a.application_no.clone());
                }
            }
            Ok(added)
        })
    }

    fn portal_applications(
        &self,
        tenant: &TenantId,
        status: Option<&str>,
    ) -> StoreResult<Vec<PortalApplication>> {
        self.with_reader(|c| {
            let mut stmt = c
                .prepare(&format!(
                    "SELECT {COLUMNS} FROM portal_applications
                     WHERE tenant_id = ?1 AND (?2 IS NULL OR status = ?2)
                     ORDER BY received_at DESC, application_no"
                ))
                .map_err(be)?;
            let rows = stmt
                .query_map(params![tenant.as_str(), status], read_row)
                .map_err(be)?
                .collect::<Result<Vec<_>, _>>()
                .map_err(be)?;
            rows.into_iter().map(record).collect()
        })
    }

    fn portal_application(
        &self,
        tenant: &TenantId,
        application_no: &str,
    ) -> StoreResult<Option<PortalApplication>> {
        self.with_reader(|c| {
            let raw = c
                .query_row(
                    &format!(
                        "SELECT {COLUMNS} FROM portal_applications
                         WHERE tenant_id = ?1 AND application_no = ?2"
                    ),
                    params![tenant.as_str(), application_no],
                    read_row,
                )
                .optional()
                .map_err(be)?;
            let Some(raw) = raw else { return Ok(None) };
            let mut app = record(raw)?;
            app.attachments = attachments_of(c, tenant, application_no)?;
            Ok(Some(app))
        })
    }

    fn portal_attachment(
        &self,
        tenant: &TenantId,
        application_no: &str,
        index: i64,
    ) -> StoreResult<Option<PortalAttachment>> {
        self.with_reader(|c| {
            c.query_row(
                "SELECT name, media_type, content FROM portal_attachments
                 WHERE tenant_id = ?1 AND application_no = ?2 AND idx = ?3",
                params![tenant.as_str(), application_no, index],
                |r| {
                    Ok(PortalAttachment {
                        name: r.get(0)?,
                        media_type: r.get(1)?,
                        bytes: r.get(2)?,
                    })
                },
            )
            .optional()
            .map_err(be)
        })
    }

    fn set_portal_status(
        &self,
        tenant: &TenantId,
        application_no: &str,
        ch: &PortalStatusChange,
        audit: &AuditEvent,
    ) -> StoreResult<()> {
        self.audited(audit, |tx| {
            let n = tx
                .execute(
                    "UPDATE portal_applications SET status = ?3, status_by = ?4, status_at = ?5,
                         status_reason = ?6, case_id = coalesce(?7, case_id), status_sent_at = NULL
                     WHERE tenant_id = ?1 AND application_no = ?2",
                    params![
                        tenant.as_str(),
                        application_no,
                        ch.status,
                        ch.by,
                        ts(ch.at),
                        ch.reason,
                        ch.case_id
                    ],
                )
                .map_err(constraint("unknown status"))?;
            if n == 0 {
                return Err(StoreError::NotFound("portal application".into()));
            }
            Ok(())
        })
    }

    fn mark_portal_status_sent(
        &self,
        tenant: &TenantId,
        application_no: &str,
        status: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<bool> {
        self.with_writer(|c| {
            let n = c
                .execute(
                    "UPDATE portal_applications SET status_sent_at = ?4
                     WHERE tenant_id = ?1 AND application_no = ?2 AND status = ?3",
                    params![tenant.as_str(), application_no, status, ts(at)],
                )
                .map_err(be)?;
            Ok(n > 0)
        })
    }
}
