//! The hand-over file of the 転入予約 (来庁予定者): each household expected at the counter, by the
//! number of its 転出証明書情報 (`incoming_moves.csv`), with where it came from and where it stands
//! (予定, 準備済み with the case prepared, 来庁済み, 取消). A package written before they were handed over
//! has no such file, and its import leaves the reservations empty.

use std::collections::BTreeMap;

use madoguchi_store::{
    AuditEvent, Reservation, ReservationSource, ReservationStatus, Store, TenantId,
};

use super::package::{
    ImportSummary, Result, Table, Writer, date, parse_date, parse_time, table, time,
};

/// The hand-over file of the reservations.
pub(super) const RESERVATIONS_FILE: &str = "arrival_reservations.csv";
const RESERVATION_COLUMNS: [&str; 7] = [
    "番号",
    "来庁予定日",
    "登録元",
    "状態",
    "準備した案件ID",
    "準備できなかった理由",
    "更新日時",
];

/// Every reservation, whatever its day and status.
pub(super) fn export(w: &mut Writer<'_>, store: &dyn Store, tenant: &TenantId) -> Result<()> {
    let rows = store
        .all_reservations(tenant)?
        .into_iter()
        .map(|r| {
            vec![
                r.notice_no,
                date(Some(r.expected_on)),
                r.source.as_str().into(),
                r.status.as_str().into(),
                r.prepared_case_id.unwrap_or_default(),
                r.problem.unwrap_or_default(),
                time(r.updated_at),
            ]
        })
        .collect();
    w.file(RESERVATIONS_FILE, &RESERVATION_COLUMNS, rows)
}

fn reservation(t: &Table, r: &[String]) -> Result<Reservation> {
    Ok(Reservation {
        notice_no: t.get(r, "番号")?.into(),
        expected_on: parse_date(t, t.get(r, "来庁予定日")?)?
            .ok_or_else(|| t.invalid("来庁予定日"))?,
        source: ReservationSource::parse(t.get(r, "登録元")?).ok_or_else(|| t.invalid("登録元"))?,
        status: ReservationStatus::parse(t.get(r, "状態")?).ok_or_else(|| t.invalid("状態"))?,
        prepared_case_id: t.optional(r, "準備した案件ID")?,
        problem: t.optional(r, "準備できなかった理由")?,
        updated_at: parse_time(t, t.get(r, "更新日時")?)?,
    })
}

/// The reservations, each stored as it was.
pub(super) fn import(
    store: &dyn Store,
    tenant: &TenantId,
    files: &BTreeMap<String, Vec<u8>>,
    event: &dyn Fn(&str) -> AuditEvent,
    summary: &mut ImportSummary,
) -> Result<()> {
    if !files.contains_key(RESERVATIONS_FILE) {
        return Ok(());
    }
    let t = table(files, RESERVATIONS_FILE)?;
    let mut seen = std::collections::BTreeSet::new();
    for r in &t.rows {
        let reservation = reservation(&t, r)?;
        if !seen.insert(reservation.notice_no.clone()) {
            return Err(t.invalid("番号（重複）"));
        }
        store.put_reservation(tenant, &reservation, &event("reservation.restore"))?;
    }
    summary.counts.push(("転入予約", t.rows.len() as u64));
    Ok(())
}
