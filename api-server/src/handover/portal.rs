//! The hand-over files of the マイナポータル applications (申請管理): each application as received, with
//! where staff left it (status, who set it and when, 差戻し理由, the case it became, whether the status
//! was reported to the portal), and its attachments with their bytes (base64). A package written before
//! they were handed over has neither file, and its import leaves 申請管理 empty.

use std::collections::BTreeMap;

use base64::Engine;
use madoguchi_store::{
    AuditEvent, NewPortalApplication, PortalApplication, PortalAttachment, PortalStatusChange,
    Store, TenantId,
};

use super::package::{
    HandoverError, ImportSummary, Result, Table, Writer, parse_time, table, time,
};

/// The hand-over file of the applications.
pub(super) const APPLICATIONS_FILE: &str = "portal_applications.csv";
const APPLICATION_COLUMNS: [&str; 14] = [
    "申請番号",
    "種類",
    "様式コード",
    "受信方法",
    "受信日時",
    "申請者",
    "署名用電子証明書シリアル番号",
    "取込日時",
    "状態",
    "状態の設定者",
    "状態の設定日時",
    "差戻し理由",
    "案件ID",
    "状態の報告日時",
];
/// The hand-over file of their attachments.
pub(super) const ATTACHMENTS_FILE: &str = "portal_attachments.csv";
const ATTACHMENT_COLUMNS: [&str; 5] = ["申請番号", "順番", "ファイル名", "メディアタイプ", "内容"];

const BASE64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

fn application_row(a: &PortalApplication) -> Vec<String> {
    vec![
        a.application_no.clone(),
        a.kind.clone(),
        a.form_code.clone(),
        a.source.clone(),
        time(a.received_at),
        a.applicant.clone(),
        a.jpki_serial.clone().unwrap_or_default(),
        time(a.imported_at),
        a.status.clone(),
        a.status_by.clone().unwrap_or_default(),
        a.status_at.map(time).unwrap_or_default(),
        a.status_reason.clone().unwrap_or_default(),
        a.case_id.clone().unwrap_or_default(),
        a.status_sent_at.map(time).unwrap_or_default(),
    ]
}

/// The applications, oldest received first, and their attachments.
pub(super) fn export(w: &mut Writer<'_>, store: &dyn Store, tenant: &TenantId) -> Result<()> {
    let mut applications = store.portal_applications(tenant, None)?;
    applications.reverse();
    let mut rows = Vec::new();
    let mut attachments = Vec::new();
    for listed in &applications {
        let no = &listed.application_no;
        let Some(a) = store.portal_application(tenant, no)? else {
            continue;
        };
        rows.push(application_row(&a));
        for meta in &a.attachments {
            let file = store
                .portal_attachment(tenant, no, meta.index)?
                .ok_or_else(|| {
                    HandoverError::invalid(format!("申請 {no} の添付ファイルが読めません。"))
                })?;
            attachments.push(vec![
                no.clone(),
                meta.index.to_string(),
                file.name,
                file.media_type,
                BASE64.encode(&file.bytes),
            ]);
        }
    }
    w.file(APPLICATIONS_FILE, &APPLICATION_COLUMNS, rows)?;
    w.file(ATTACHMENTS_FILE, &ATTACHMENT_COLUMNS, attachments)
}

fn optional_time(
    t: &Table,
    r: &[String],
    column: &str,
) -> Result<Option<chrono::DateTime<chrono::Utc>>> {
    t.optional(r, column)?
        .map(|v| parse_time(t, &v))
        .transpose()
}

/// The attachments by application, in their order (0, 1, … without gaps).
fn attachments(
    files: &BTreeMap<String, Vec<u8>>,
) -> Result<BTreeMap<String, Vec<PortalAttachment>>> {
    if !files.contains_key(ATTACHMENTS_FILE) {
        return Ok(BTreeMap::new());
    }
    let mut out: BTreeMap<String, BTreeMap<i64, PortalAttachment>> = BTreeMap::new();
    let t = table(files, ATTACHMENTS_FILE)?;
    for r in &t.rows {
        let index: i64 = t.get(r, "順番")?.parse().map_err(|_| t.invalid("順番"))?;
        let file = PortalAttachment {
            name: t.get(r, "ファイル名")?.into(),
            media_type: t.get(r, "メディアタイプ")?.into(),
            bytes: BASE64
                .decode(t.get(r, "内容")?)
                .map_err(|_| t.invalid("内容"))?,
        };
        if out
            .entry(t.get(r, "申請番号")?.into())
            .or_default()
            .insert(index, file)
            .is_some()
        {
            return Err(t.invalid("順番"));
        }
    }
    out.into_iter()
        .map(|(no, by_index)| {
            if by_index.keys().copied().ne(0..by_index.len() as i64) {
                return Err(t.invalid("順番"));
            }
            Ok((no, by_index.into_values().collect()))
        })
        .collect()
}

/// One application of the file as it was stored (its attachments are in their own file).
fn application(t: &Table, r: &[String]) -> Result<PortalApplication> {
    let no = t.get(r, "申請番号")?;
    let status = t.get(r, "状態")?;
    if !madoguchi_store::PORTAL_STATUSES.contains(&status) {
        return Err(t.invalid("状態"));
    }
    Ok(PortalApplication {
        application_no: no.into(),
        kind: t.get(r, "種類")?.into(),
        form_code: t.get(r, "様式コード")?.into(),
        source: t.get(r, "受信方法")?.into(),
        received_at: parse_time(t, t.get(r, "受信日時")?)?,
        applicant: t.get(r, "申請者")?.into(),
        jpki_serial: t.optional(r, "署名用電子証明書シリアル番号")?,
        imported_at: parse_time(t, t.get(r, "取込日時")?)?,
        status: status.into(),
        status_by: t.optional(r, "状態の設定者")?,
        status_at: optional_time(t, r, "状態の設定日時")?,
        status_reason: t.optional(r, "差戻し理由")?,
        case_id: t.optional(r, "案件ID")?,
        status_sent_at: optional_time(t, r, "状態の報告日時")?,
        attachments: Vec::new(),
    })
}

/// Stores one application as received, then sets its status and report as they were.
fn restore(
    store: &dyn Store,
    tenant: &TenantId,
    a: &PortalApplication,
    attachments: Vec<PortalAttachment>,
    event: &dyn Fn(&str) -> AuditEvent,
) -> Result<()> {
    let no = &a.application_no;
    let new = NewPortalApplication {
        application_no: no.clone(),
        kind: a.kind.clone(),
        form_code: a.form_code.clone(),
        source: a.source.clone(),
        received_at: a.received_at,
        applicant: a.applicant.clone(),
        jpki_serial: a.jpki_serial.clone(),
        attachments,
    };
    let stored =
        store.put_portal_applications(tenant, &[new], a.imported_at, &event("portal.restore"))?;
    if stored.is_empty() {
        return Err(HandoverError::invalid(format!(
            "{APPLICATIONS_FILE} に申請番号 {no} が2回あります。"
        )));
    }
    let set_by_staff = a.status_by.is_some()
        || a.status_at.is_some()
        || a.status != "unprocessed"
        || a.status_reason.is_some()
        || a.case_id.is_some();
    if set_by_staff {
        let change = PortalStatusChange {
            status: a.status.clone(),
            by: a.status_by.clone().unwrap_or_default(),
            at: a.status_at.unwrap_or(a.imported_at),
            reason: a.status_reason.clone(),
            case_id: a.case_id.clone(),
        };
        store.set_portal_status(tenant, no, &change, &event("portal.status"))?;
    }
    if let Some(sent) = a.status_sent_at {
        store.mark_portal_status_sent(tenant, no, &a.status, sent)?;
    }
    Ok(())
}

/// The applications with their attachments, statuses and reports, each stored as it was.
pub(super) fn import(
    store: &dyn Store,
    tenant: &TenantId,
    files: &BTreeMap<String, Vec<u8>>,
    event: &dyn Fn(&str) -> AuditEvent,
    summary: &mut ImportSummary,
) -> Result<()> {
    let mut attachments = attachments(files)?;
    if !files.contains_key(APPLICATIONS_FILE) {
        if !attachments.is_empty() {
            return Err(HandoverError::invalid(format!(
                "{ATTACHMENTS_FILE} がありますが {APPLICATIONS_FILE} がありません。"
            )));
        }
        return Ok(());
    }
    let t = table(files, APPLICATIONS_FILE)?;
    for r in &t.rows {
        let a = application(&t, r)?;
        let files = attachments.remove(&a.application_no).unwrap_or_default();
        restore(store, tenant, &a, files, event)?;
    }
    if let Some(no) = attachments.keys().next() {
        return Err(HandoverError::invalid(format!(
            "{ATTACHMENTS_FILE} の申請番号 {no} の申請が {APPLICATIONS_FILE} にありません。"
        )));
    }
    summary
        .counts
        .push(("マイナポータルの申請", t.rows.len() as u64));
    Ok(())
}
