//! 転出証明書情報 received ahead of a 転入 (転入届の特例): stored with the search keys of the family's names,
//! so that the counter finds the notice by a member's name or kana. They arrive through the `tenshutsu`
//! feed (`linkage::tenshutsu`), which stores them with [`record`].

use chrono::{DateTime, Utc};
use madoguchi_core::case_document::IncomingMoveView;

/// The stored form of a notice: its document and the search keys of every member's name and kana.
pub fn record(
    notice: &IncomingMoveView,
    received_at: DateTime<Utc>,
) -> anyhow::Result<madoguchi_store::IncomingMove> {
    let mut keys = Vec::new();
    for m in &notice.members {
        for text in [&m.name, &m.kana] {
            let k = madoguchi_core::text::search_key(text);
            if !k.is_empty() {
                keys.push(k);
            }
        }
    }
    Ok(madoguchi_store::IncomingMove {
        notice_no: notice.notice_no.clone(),
        received_at,
        search_keys: keys,
        document: serde_json::to_string(notice)?,
    })
}
