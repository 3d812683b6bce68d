//! The terminal's local store: SQLite in WAL mode with `synchronous=FULL`, so that a save the terminal
//! acknowledged survives a crash or a power cut. It holds the outbox (case saves for the server, each with
//! its client-generated ids), the cache of reference data, and a few settings. Migrations are append-only,
//! numbered by `PRAGMA user_version`.

use std::collections::BTreeMap;
use std::path::Path;

use madoguchi_core::sync::{Pending, UploadOutcome};
use rusqlite::{Connection, OptionalExtension, params};

const MIGRATIONS: &[&str] = &[
    // 1: outbox, reference cache, settings.
    "CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        case_id TEXT NOT NULL,
        write_id TEXT NOT NULL UNIQUE,
        author TEXT NOT NULL,
        body TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'applied', 'conflict', 'rejected')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_ms INTEGER NOT NULL DEFAULT 0,
        revision INTEGER,
        message TEXT,
        created_ms INTEGER NOT NULL,
        done_ms INTEGER
    );
    CREATE INDEX outbox_state ON outbox (state, seq);
    CREATE TABLE reference (
        kind TEXT PRIMARY KEY,
        version TEXT NOT NULL,
        items TEXT NOT NULL,
        fetched_ms INTEGER NOT NULL
    );
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);",
];

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("local store: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("local store: {0}")]
    Json(#[from] serde_json::Error),
}

/// One outbox entry as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxEntry {
    pub seq: i64,
    pub case_id: String,
    pub write_id: String,
    pub author: String,
    /// The `SaveCase` JSON sent to the server.
    pub body: serde_json::Value,
    pub state: String,
    pub attempts: u32,
    pub revision: Option<i64>,
    pub message: Option<String>,
}

/// Counts for the status bar.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct OutboxCounts {
    pub pending: u64,
    pub applied: u64,
    /// Conflicting or rejected: staff must look at them.
    pub attention: u64,
}

#[derive(Debug)]
pub struct LocalStore {
    conn: Connection,
}

impl LocalStore {
    /// Opens (creating if needed) the store at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<LocalStore, StoreError> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let mut store = LocalStore { conn };
        store.migrate()?;
        Ok(store)
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        let current: i64 = self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?;
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
            let tx = self.conn.transaction()?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", (i + 1) as i64)?;
            tx.commit()?;
        }
        Ok(())
    }

    /// Adds a save to the outbox. The same `write_id` again is ignored (returns `false`): an entry is
    /// queued once however often the UI retries. Returns once the entry is durable.
    pub fn enqueue(
        &mut self,
        case_id: &str,
        write_id: &str,
        author: &str,
        body: &serde_json::Value,
        now_ms: i64,
    ) -> Result<bool, StoreError> {
        let n = self.conn.execute(
            "INSERT INTO outbox (case_id, write_id, author, body, state, created_ms)
             VALUES (?1, ?2, ?3, ?4, 'pending', ?5)
             ON CONFLICT (write_id) DO NOTHING",
            params![
                case_id,
                write_id,
                author,
                serde_json::to_string(body)?,
                now_ms
            ],
        )?;
        Ok(n == 1)
    }

    /// Pending entries, for the planner.
    pub fn pending(&self) -> Result<Vec<Pending>, StoreError> {
        let mut st = self.conn.prepare(
            "SELECT seq, author, attempts, next_attempt_ms FROM outbox WHERE state = 'pending' ORDER BY seq",
        )?;
        let rows = st.query_map([], |r| {
            Ok(Pending {
                seq: r.get(0)?,
                author: r.get(1)?,
                attempts: r.get(2)?,
                next_attempt_ms: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn entry(r: &rusqlite::Row<'_>) -> rusqlite::Result<(OutboxEntry, String)> {
        let body: String = r.get(4)?;
        Ok((
            OutboxEntry {
                seq: r.get(0)?,
                case_id: r.get(1)?,
                write_id: r.get(2)?,
                author: r.get(3)?,
                body: serde_json::Value::Null,
                state: r.get(5)?,
                attempts: r.get(6)?,
                revision: r.get(7)?,
                message: r.get(8)?,
            },
            body,
        ))
    }

    const COLUMNS: &'static str =
        "seq, case_id, write_id, author, body, state, attempts, revision, message";

    /// Entries by `seq`, in that order.
    pub fn entries(&self, seqs: &[i64]) -> Result<Vec<OutboxEntry>, StoreError> {
        let mut out = Vec::with_capacity(seqs.len());
        let mut st = self.conn.prepare(&format!(
            "SELECT {} FROM outbox WHERE seq = ?1",
            Self::COLUMNS
        ))?;
        for seq in seqs {
            if let Some((mut e, body)) = st.query_row([seq], Self::entry).optional()? {
                e.body = serde_json::from_str(&body)?;
                out.push(e);
            }
        }
        Ok(out)
    }

    /// Every entry (tests and the admin screen), oldest first.
    pub fn all_entries(&self) -> Result<Vec<OutboxEntry>, StoreError> {
        let mut st = self.conn.prepare(&format!(
            "SELECT {} FROM outbox ORDER BY seq",
            Self::COLUMNS
        ))?;
        let rows = st.query_map([], Self::entry)?;
        let mut out = Vec::new();
        for row in rows {
            let (mut e, body) = row?;
            e.body = serde_json::from_str(&body)?;
            out.push(e);
        }
        Ok(out)
    }

    /// The entry of a write id.
    pub fn by_write_id(&self, write_id: &str) -> Result<Option<OutboxEntry>, StoreError> {
        let found = self
            .conn
            .query_row(
                &format!("SELECT {} FROM outbox WHERE write_id = ?1", Self::COLUMNS),
                [write_id],
                Self::entry,
            )
            .optional()?;
        Ok(match found {
            None => None,
            Some((mut e, body)) => {
                e.body = serde_json::from_str(&body)?;
                Some(e)
            }
        })
    }

    /// Records the server's answers for uploaded entries, in one transaction.
    pub fn record_results(
        &mut self,
        results: &[(String, UploadOutcome, Option<i64>, Option<String>)],
        now_ms: i64,
    ) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        for (write_id, outcome, revision, message) in results {
            let state = match outcome {
                UploadOutcome::Applied => "applied",
                UploadOutcome::Conflict => "conflict",
                UploadOutcome::Rejected => "rejected",
            };
            tx.execute(
                "UPDATE outbox SET state = ?2, revision = ?3, message = ?4, done_ms = ?5
                 WHERE write_id = ?1 AND state = 'pending'",
                params![write_id, state, revision, message, now_ms],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Counts one more failed attempt for these entries and sets when to try again.
    pub fn record_failure(
        &mut self,
        seqs: &[i64],
        next_attempt_ms: impl Fn(u32) -> i64,
    ) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        for seq in seqs {
            let attempts: u32 =
                tx.query_row("SELECT attempts FROM outbox WHERE seq = ?1", [seq], |r| {
                    r.get(0)
                })?;
            let attempts = attempts.saturating_add(1);
            tx.execute(
                "UPDATE outbox SET attempts = ?2, next_attempt_ms = ?3 WHERE seq = ?1",
                params![seq, attempts, next_attempt_ms(attempts)],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Makes every waiting entry due now (the server answered again, or staff asked to sync).
    pub fn make_due(&mut self) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE outbox SET next_attempt_ms = 0 WHERE state = 'pending'",
            [],
        )?;
        Ok(())
    }

    pub fn counts(&self) -> Result<OutboxCounts, StoreError> {
        let mut st = self
            .conn
            .prepare("SELECT state, COUNT(*) FROM outbox GROUP BY state")?;
        let mut c = OutboxCounts::default();
        let rows = st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, u64>(1)?)))?;
        for row in rows {
            let (state, n) = row?;
            match state.as_str() {
                "pending" => c.pending = n,
                "applied" => c.applied = n,
                _ => c.attention += n,
            }
        }
        Ok(c)
    }

    /// Applied entries older than `before_ms` are removed (their content is on the server).
    pub fn prune_applied(&mut self, before_ms: i64) -> Result<usize, StoreError> {
        Ok(self.conn.execute(
            "DELETE FROM outbox WHERE state = 'applied' AND done_ms < ?1",
            [before_ms],
        )?)
    }

    // --- Reference cache -------------------------------------------------------------------

    pub fn reference_versions(&self) -> Result<BTreeMap<String, String>, StoreError> {
        let mut st = self.conn.prepare("SELECT kind, version FROM reference")?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Replaces a kind's cached items in one transaction.
    pub fn put_reference(
        &mut self,
        kind: &str,
        version: &str,
        items: &[serde_json::Value],
        now_ms: i64,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO reference (kind, version, items, fetched_ms) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (kind) DO UPDATE SET version = ?2, items = ?3, fetched_ms = ?4",
            params![kind, version, serde_json::to_string(items)?, now_ms],
        )?;
        Ok(())
    }

    pub fn drop_reference(&mut self, kind: &str) -> Result<(), StoreError> {
        self.conn
            .execute("DELETE FROM reference WHERE kind = ?1", [kind])?;
        Ok(())
    }

    pub fn reference(&self, kind: &str) -> Result<Option<Vec<serde_json::Value>>, StoreError> {
        let text: Option<String> = self
            .conn
            .query_row("SELECT items FROM reference WHERE kind = ?1", [kind], |r| {
                r.get(0)
            })
            .optional()?;
        Ok(match text {
            None => None,
            Some(t) => Some(serde_json::from_str(&t)?),
        })
    }

    // --- Settings ----------------------------------------------------------------------------

    pub fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    pub fn set_meta(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = ?2",
            params![key, value],
        )?;
        Ok(())
    }

    /// The next number of a counter kept in the store (receipt numbers), durably.
    pub fn next_number(&mut self, key: &str) -> Result<u64, StoreError> {
        let tx = self.conn.transaction()?;
        let current: Option<String> = tx
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?;
        let next = current.and_then(|v| v.parse::<u64>().ok()).unwrap_or(0) + 1;
        tx.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = ?2",
            params![key, next.to_string()],
        )?;
        tx.commit()?;
        Ok(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn store() -> (tempfile::TempDir, LocalStore) {
        let dir = tempfile::tempdir().expect("dir");
        let s = LocalStore::open(&dir.path().join("t.db")).expect("open");
        (dir, s)
    }

    #[test]
    fn the_outbox_keeps_one_entry_per_write_id_and_records_results() {
        let (_d, mut s) = store();
        assert!(
            s.enqueue("case-1", "write-1", "a", &json!({"x": 1}), 10)
                .expect("q")
        );
        assert!(
            !s.enqueue("case-1", "write-1", "a", &json!({"x": 2}), 11)
                .expect("q")
        );
        assert!(
            s.enqueue("case-2", "write-2", "a", &json!({"x": 3}), 12)
                .expect("q")
        );
        let pending = s.pending().expect("pending");
        assert_eq!(pending.len(), 2);
        let first = s.entries(&[pending[0].seq]).expect("entries");
        assert_eq!(first[0].body, json!({"x": 1}), "the first content is kept");
        s.record_failure(&[pending[1].seq], |n| i64::from(n) * 100)
            .expect("fail");
        assert_eq!(s.pending().expect("p")[1].next_attempt_ms, 100);
        s.record_results(
            &[
                ("write-1".into(), UploadOutcome::Applied, Some(1), None),
                (
                    "write-2".into(),
                    UploadOutcome::Rejected,
                    None,
                    Some("だめ".into()),
                ),
            ],
            20,
        )
        .expect("results");
        assert_eq!(
            s.counts().expect("counts"),
            OutboxCounts {
                pending: 0,
                applied: 1,
                attention: 1
            }
        );
        assert_eq!(s.prune_applied(21).expect("prune"), 1);
    }

    #[test]
    fn reference_data_and_numbers_persist_across_reopening() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("t.db");
        {
            let mut s = LocalStore::open(&path).expect("open");
            s.put_reference("towns", "v1", &[json!({"town": "本町"})], 1)
                .expect("put");
            assert_eq!(s.next_number("receipt").expect("n"), 1);
            assert_eq!(s.next_number("receipt").expect("n"), 2);
        }
        let mut s = LocalStore::open(&path).expect("reopen");
        assert_eq!(
            s.reference_versions()
                .expect("v")
                .get("towns")
                .map(String::as_str),
            Some("v1")
        );
        assert_eq!(
            s.reference("towns").expect("r"),
            Some(vec![json!({"town": "本町"})])
        );
        assert_eq!(s.next_number("receipt").expect("n"), 3);
        s.drop_reference("towns").expect("drop");
        assert_eq!(s.reference("towns").expect("r"), None);
    }
}
