//! 転出証明書情報 received ahead of a 転入 (転入届の特例): stored with the search keys of the family's names,
//! so that the counter finds the notice by a member's name or kana.

use chrono::Utc;
use madoguchi_core::case_document::IncomingMoveView;

/// Stores a 転出証明書情報 notice for a tenant (seeding, and the linkage import later).
pub fn put_incoming_move(
    store: &dyn madoguchi_store::Store,
    tenant: &madoguchi_store::TenantId,
    notice: &IncomingMoveView,
    audit_event: &madoguchi_store::AuditEvent,
) -> anyhow::Result<()> {
    let mut keys = Vec::new();
    for m in &notice.members {
        for text in [&m.name, &m.kana] {
            let k = madoguchi_core::text::search_key(text);
            if !k.is_empty() {
                keys.push(k);
            }
        }
    }
    store.put_incoming_move(
        tenant,
        &madoguchi_store::IncomingMove {
            notice_no: notice.notice_no.clone(),
            received_at: Utc::now(),
            search_keys: keys,
            document: serde_json::to_string(notice)?,
        },
        audit_event,
    )?;
    Ok(())
}
