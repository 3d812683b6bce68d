//! [`PortalStore`] on PostgreSQL.

use madoguchi_store::prelude::*;
use madoguchi_store::{
    NewPortalApplication, PORTAL_ATTACHMENT_MAX_BYTES, PortalApplication, PortalAttachment,
    PortalAttachmentMeta, PortalStatusChange,
};

use crate::*;

const COLUMNS: &str = "application_no, kind, form_code, source, received_at, applicant, jpki_serial, \
                       imported_at, status, status_by, status_at, status_reason, case_id, status_sent_at";

fn record(r: &Row) -> StoreResult<PortalApplication> {
    Ok(PortalApplication {
        application_no: r.try_get(0).map_err(be)?,
        kind: r.try_get(1).map_err(be)?,
        form_code: r.try_get(2).map_err(be)?,
        source: r.try_get(3).map_err(be)?,
        received_at: r.try_get(4).map_err(be)?,
        applicant: r.try_get(5).map_err(be)?,
        jpki_serial: r.try_get(6).map_err(be)?,
        imported_at: r.try_get(7).map_err(be)?,
        status: r.try_get(8).map_err(be)?,
        status_by: r.try_get(9).map_err(be)?,
        status_at: r.try_get(10).map_err(be)?,
        status_reason: r.try_get(11).map_err(be)?,
        case_id: r.try_get(12).map_err(be)?,
        status_sent_at: r.try_get(13).map_err(be)?,
        attachments: Vec::new(),
    })
}

fn insert_one(
    tx: &mut Transaction<'_>,
    tenant: &TenantId,
    a: &NewPortalApplication,
    at: DateTime<Utc>,
) -> StoreResult<bool> {
    let added = tx
        .execute(
            "INSERT INTO portal_applications (tenant_id, application_no, kind, form_code, source,
                 received_at, applicant, jpki_serial, imported_at, status)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'unprocessed') ON CONFLICT DO NOTHING",
            &[
                &tenant.as_str(),
                &a.application_no,
                &a.kind,
                &a.form_code,
                &a.source,
                &a.received_at,
                &a.applicant,
                &a.jpki_serial,
                &at,
            ],
        )
        .map_err(constraint("tenant missing"))?;
    if added == 0 {
        return Ok(false);
    }
    for (i, f) in a.attachments.iter().enumerate() {
        tx.execute(
            "INSERT INTO portal_attachments (tenant_id, application_no, idx, name, media_type, content)
             VALUES ($1, $2, $3, $4, $5, $6)",
            &[
                &tenant.as_str(),
                &a.application_no,
                &(i as i64),
                &f.name,
                &f.media_type,
                &f.bytes,
            ],
        )
        .map_err(be)?;
    }
    Ok(true)
}

impl PortalStore for PostgresStore {
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
        self.audited(tenant, audit, |tx| {
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
        self.with_tenant(tenant, |tx| {
            tx.query(
                &format!(
                    "SELECT {COLUMNS} FROM portal_applications
                     WHERE tenant_id = $1 AND ($2::text IS NULL OR status = $2)
                     ORDER BY received_at DESC, application_no"
                ),
                &[&tenant.as_str(), &status],
            )
            .map_err(be)?
            .iter()
            .map(record)
            .collect()
        })
    }

    fn portal_application(
        &self,
        tenant: &TenantId,
        application_no: &str,
    ) -> StoreResult<Option<PortalApplication>> {
        self.with_tenant(tenant, |tx| {
            let Some(row) = tx
                .query_opt(
                    &format!(
                        "SELECT {COLUMNS} FROM portal_applications
                         WHERE tenant_id = $1 AND application_no = $2"
                    ),
                    &[&tenant.as_str(), &application_no],
                )
                .map_err(be)?
            else {
                return Ok(None);
            };
            let mut app = record(&row)?;
            app.attachments = tx
                .query(
                    "SELECT idx, name, media_type, length(content)::bigint FROM portal_attachments
                     WHERE tenant_id = $1 AND application_no = $2 ORDER BY idx",
                    &[&tenant.as_str(), &application_no],
                )
                .map_err(be)?
                .iter()
                .map(|r| {
                    Ok(PortalAttachmentMeta {
                        index: r.try_get(0).map_err(be)?,
                        name: r.try_get(1).map_err(be)?,
                        media_type: r.try_get(2).map_err(be)?,
                        size: r.try_get(3).map_err(be)?,
                    })
                })
                .collect::<StoreResult<Vec<_>>>()?;
            Ok(Some(app))
        })
    }

    fn portal_attachment(
        &self,
        tenant: &TenantId,
        application_no: &str,
        index: i64,
    ) -> StoreResult<Option<PortalAttachment>> {
        self.with_tenant(tenant, |tx| {
            let row = tx
                .query_opt(
                    "SELECT name, media_type, content FROM portal_attachments
                     WHERE tenant_id = $1 AND application_no = $2 AND idx = $3",
                    &[&tenant.as_str(), &application_no, &index],
                )
                .map_err(be)?;
            row.map(|r| {
                Ok(PortalAttachment {
                    name: r.try_get(0).map_err(be)?,
                    media_type: r.try_get(1).map_err(be)?,
                    bytes: r.try_get(2).map_err(be)?,
                })
            })
            .transpose()
        })
    }

    fn set_portal_status(
        &self,
        tenant: &TenantId,
        application_no: &str,
        ch: &PortalStatusChange,
        audit: &AuditEvent,
    ) -> StoreResult<()> {
        self.audited(tenant, audit, |tx| {
            let n = tx
                .execute(
                    "UPDATE portal_applications SET status = $3, status_by = $4, status_at = $5,
                         status_reason = $6, case_id = coalesce($7, case_id), status_sent_at = NULL
                     WHERE tenant_id = $1 AND application_no = $2",
                    &[
                        &tenant.as_str(),
                        &application_no,
                        &ch.status,
                        &ch.by,
                        &ch.at,
                        &ch.reason,
                        &ch.case_id,
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
        self.with_tenant(tenant, |tx| {
            let n = tx
                .execute(
                    "UPDATE portal_applications SET status_sent_at = $4
                     WHERE tenant_id = $1 AND application_no = $2 AND status = $3",
                    &[&tenant.as_str(), &application_no, &status, &at],
                )
                .map_err(be)?;
            Ok(n > 0)
        })
    }
}
