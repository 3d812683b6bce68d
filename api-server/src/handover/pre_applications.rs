//! The hand-over file of the 事前申請 sent from residents' phones under a 受付番号, so that the new
//! system finds each by its number until it expires. Only those still kept are handed over: one that
//! expired before the day of the export is left out (it would be purged). 受付番号 are drawn at random,
//! so there is no counter to carry on. A package written before they were handed over has no such file.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use madoguchi_store::{AuditEvent, PreApplication, Store, TenantId};

use super::package::{
    HandoverError, ImportSummary, Result, Table, Writer, date, parse_date, parse_time, table, time,
};

/// The hand-over file of the 事前申請.
pub(super) const PRE_APPLICATIONS_FILE: &str = "pre_applications.csv";
const PRE_APPLICATION_COLUMNS: [&str; 6] = [
    "受付番号",
    "書込ID",
    "生年月日",
    "内容",
    "保存期限",
    "送信日時",
];

/// The 事前申請 not expired on `today`.
pub(super) fn export(
    w: &mut Writer<'_>,
    store: &dyn Store,
    tenant: &TenantId,
    today: NaiveDate,
) -> Result<()> {
    let rows = store
        .all_pre_applications(tenant)?
        .into_iter()
        .filter(|p| p.expires >= today)
        .map(|p| {
            vec![
                p.number,
                p.write_id,
                date(Some(p.birth)),
                p.body,
                date(Some(p.expires)),
                time(p.sent_at),
            ]
        })
        .collect();
    w.file(PRE_APPLICATIONS_FILE, &PRE_APPLICATION_COLUMNS, rows)
}

fn pre_application(t: &Table, r: &[String]) -> Result<PreApplication> {
    let number = t.get(r, "受付番号")?;
    if number.is_empty() {
        return Err(t.invalid("受付番号"));
    }
    let day = |column: &str| parse_date(t, t.get(r, column)?)?.ok_or_else(|| t.invalid(column));
    Ok(PreApplication {
        number: number.into(),
        write_id: t.get(r, "書込ID")?.into(),
        birth: day("生年月日")?,
        body: t.get(r, "内容")?.into(),
        expires: day("保存期限")?,
        sent_at: parse_time(t, t.get(r, "送信日時")?)?,
    })
}

/// The 事前申請 under their own numbers (those expired before `today` are purged, as on any sending).
pub(super) fn import(
    store: &dyn Store,
    tenant: &TenantId,
    files: &BTreeMap<String, Vec<u8>>,
    today: NaiveDate,
    event: &dyn Fn(&str) -> AuditEvent,
    summary: &mut ImportSummary,
) -> Result<()> {
    if !files.contains_key(PRE_APPLICATIONS_FILE) {
        return Ok(());
    }
    let t = table(files, PRE_APPLICATIONS_FILE)?;
    for r in &t.rows {
        let p = pre_application(&t, r)?;
        let stored =
            store.send_pre_application(tenant, &p, today, &event("pre_application.restore"))?;
        if stored.map(|s| s.number).as_ref() != Some(&p.number) {
            return Err(HandoverError::invalid(format!(
                "{} の受付番号 {} または書込IDが重複しています。",
                t.name, p.number
            )));
        }
    }
    summary.counts.push(("事前申請", t.rows.len() as u64));
    Ok(())
}
