//! Case saves through the outbox: queued durably first, sent by a sync round at once when the server
//! answers, and the outcome of each queued write; the outbox as the admin screen lists it.

use serde::Serialize;
use serde_json::Value;

use super::error::{CommandError, CommandResult, check_id};
use super::state::{Terminal, lock, now_ms};

/// What became of a case save (`case_save`).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CaseSaveResult {
    /// `applied`: on the server now; `queued`: in the outbox (offline), sent when the server answers
    /// again; `conflict` / `rejected`: the server refused it (`message` says why). The outbox's states
    /// (`store.rs`), `pending` answered as `queued` (`Terminal::outcome_of`).
    #[cfg_attr(
        feature = "ts",
        ts(type = r#""applied" | "queued" | "conflict" | "rejected""#)
    )]
    pub outcome: String,
    pub revision: Option<i64>,
    pub message: Option<String>,
}

impl Terminal {
    /// Saves a case through the outbox: queued durably first, then sent at once when the server
    /// answers. The same write id twice is queued once.
    pub fn case_save(&self, case_id: &str, save: &Value) -> CommandResult<CaseSaveResult> {
        check_id(case_id, "案件番号")?;
        let write_id = save["write_id"].as_str().unwrap_or_default().to_owned();
        check_id(&write_id, "書込み番号")?;
        let author = self
            .session_login()
            .ok_or_else(|| CommandError::new("unauthorized", "ログインしてください。"))?;
        lock(&self.store).enqueue(case_id, &write_id, &author, save, now_ms())?;
        self.sync_once();
        self.outcome_of(&write_id)
    }

    /// Where a queued write stands: `queued` (still pending), `applied` or what the server answered.
    pub(super) fn outcome_of(&self, write_id: &str) -> CommandResult<CaseSaveResult> {
        let entry = lock(&self.store)
            .by_write_id(write_id)?
            .ok_or_else(|| CommandError::internal("queued entry vanished"))?;
        Ok(CaseSaveResult {
            outcome: match entry.state.as_str() {
                "pending" => "queued",
                other => other,
            }
            .to_owned(),
            revision: entry.revision,
            message: entry.message,
        })
    }

    /// The outbox, oldest first (admin screen, tests).
    pub fn outbox_entries(&self) -> CommandResult<Vec<crate::store::OutboxEntry>> {
        Ok(lock(&self.store).all_entries()?)
    }
}
