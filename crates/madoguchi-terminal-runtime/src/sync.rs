//! The sync executor: plans with [`madoguchi_core::sync::plan`] and carries the steps out against the
//! server, recording every outcome in the local store in one transaction per step. Uploads are safe to
//! repeat (the server applies each write id once), so a round cut off anywhere is simply run again.
//!
//! A round reaches the terminal only through its [`Port`]: the local store, the session and the
//! server. The runtime implements the port (`runtime/sync_port.rs`); this module names nothing of the
//! runtime, so the dependency goes one way, runtime → sync.

use std::collections::BTreeMap;
use std::sync::MutexGuard;

use madoguchi_core::sync::{Step, SyncInput, UploadOutcome, backoff_ms, plan};
use serde_json::{Value, json};

use crate::client::{Answer, ClientError};
use crate::store::LocalStore;

/// Items per upload request (the server takes up to 100).
pub const BATCH: usize = 50;
/// Items per reference page.
pub const PAGE: usize = 1000;

/// What a sync round needs from the terminal, and nothing more.
pub trait Port {
    /// The clock (ms since the epoch).
    fn now_ms(&self) -> i64;
    /// The local store (outbox and reference cache), locked while the guard lives.
    fn store(&self) -> MutexGuard<'_, LocalStore>;
    /// A kiosk logs in with its own account when it holds no session; other terminals have nothing
    /// to do. Whether the server answered is noted.
    fn ensure_session(&self) -> Result<(), ClientError>;
    /// The login of the session held, if any.
    fn session_login(&self) -> Option<String>;
    /// The token of the session held, if any.
    fn token(&self) -> Option<String>;
    /// The server refused the token (401): the session is gone.
    fn forget_session(&self);
    /// A request to the server (`/api/v1/…`) with `token`; whether the server answered is noted.
    fn request(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> Result<Answer, ClientError>;
    /// A round ran to its end at `now_ms`.
    fn synced(&self, now_ms: i64);
}

/// The server's reference versions by kind.
type Manifest = BTreeMap<String, String>;

/// What a round did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncReport {
    pub uploaded: usize,
    pub applied: usize,
    pub attention: usize,
    pub downloaded: Vec<String>,
    /// The server did not answer (the round stopped there).
    pub offline: bool,
    /// When the next entry's retry is due, if one waits.
    pub wake_at_ms: Option<i64>,
}

fn jitter() -> u64 {
    use rand_core::RngCore;
    rand_core::OsRng.next_u64()
}

/// One round. Never panics; failures are recorded as retries with backoff. The caller runs one round
/// at a time.
pub fn round(port: &dyn Port) -> SyncReport {
    let mut report = SyncReport::default();
    if let Err(e) = port.ensure_session() {
        tracing::debug!(error = %e, "sync: no kiosk session");
        if e.is_network() {
            report.offline = true;
            return report;
        }
    }
    let mut manifest = None;
    // A round ends when the plan is empty; the bound only guards against a server that keeps
    // changing its data under us.
    for _ in 0..8 {
        let Some(input) = plan_input(port, &manifest) else {
            return report;
        };
        let p = plan(&input);
        report.wake_at_ms = p.wake_at_ms;
        if p.steps.is_empty() {
            break;
        }
        for step in p.steps {
            if let Err(e) = run_step(port, step, &mut manifest, &mut report) {
                stop(port, e, &mut report);
                return report;
            }
        }
    }
    port.synced(port.now_ms());
    report
}

/// What the planner needs, read from the local store; `None` when the store cannot be read.
fn plan_input(port: &dyn Port, manifest: &Option<Manifest>) -> Option<SyncInput> {
    let store = port.store();
    let (pending, cached) = match (store.pending(), store.reference_versions()) {
        (Ok(p), Ok(c)) => (p, c),
        (Err(e), _) | (_, Err(e)) => {
            tracing::error!(error = %e, "sync: local store unreadable");
            return None;
        }
    };
    Some(SyncInput {
        now_ms: port.now_ms(),
        session: port.session_login(),
        pending,
        cached,
        manifest: manifest.clone(),
        batch: BATCH,
    })
}

fn run_step(
    port: &dyn Port,
    step: Step,
    manifest: &mut Option<Manifest>,
    report: &mut SyncReport,
) -> Result<(), ClientError> {
    match step {
        Step::Upload(seqs) => upload(port, &seqs, report),
        Step::FetchManifest => fetch_manifest(port).map(|m| *manifest = Some(m)),
        Step::Download(kind) => download(port, &kind).map(|()| report.downloaded.push(kind)),
        Step::Drop(kind) => {
            if let Err(e) = port.store().drop_reference(&kind) {
                tracing::warn!(error = %e, "sync: drop failed");
            }
            Ok(())
        }
    }
}

/// A step failed and the round stops: no answer (or the server unavailable: 502–504, a maintenance
/// window's 503) means offline, the entries kept in the outbox; a refused token is forgotten.
fn stop(port: &dyn Port, e: ClientError, report: &mut SyncReport) {
    match e {
        e if e.is_unavailable() => report.offline = true,
        ClientError::Status { status: 401, .. } => port.forget_session(),
        e => tracing::warn!(error = %e, "sync step failed"),
    }
}

fn upload(port: &dyn Port, seqs: &[i64], report: &mut SyncReport) -> Result<(), ClientError> {
    let entries = port
        .store()
        .entries(seqs)
        .map_err(|e| ClientError::Protocol(e.to_string()))?;
    let items: Vec<Value> = entries
        .iter()
        .map(|e| json!({"case_id": e.case_id, "save": e.body}))
        .collect();
    let token = port.token();
    let answer = port.request(
        "POST",
        "/api/v1/sync/upload",
        token.as_deref(),
        Some(&json!({ "items": items })),
    );
    let answer = match answer.and_then(|a| a.ok()) {
        Ok(a) => a,
        Err(e) => {
            if !matches!(e, ClientError::Status { status: 401, .. }) {
                record_failure(port, seqs);
            }
            return Err(e);
        }
    };
    let response: madoguchi_api::UploadResponse = serde_json::from_value(answer.json())
        .map_err(|e| ClientError::Protocol(format!("upload answer: {e}")))?;
    let results = outcomes(response, report);
    report.uploaded += entries.len();
    port.store()
        .record_results(&results, port.now_ms())
        .map_err(|e| ClientError::Protocol(e.to_string()))?;
    tracing::info!(
        items = entries.len(),
        applied = report.applied,
        "outbox uploaded"
    );
    Ok(())
}

/// The entries go again after a backoff.
fn record_failure(port: &dyn Port, seqs: &[i64]) {
    let failed = port
        .store()
        .record_failure(seqs, |n| port.now_ms() + backoff_ms(n, jitter()));
    if let Err(se) = failed {
        tracing::error!(error = %se, "sync: cannot record the failure");
    }
}

/// The outcome of every item of an upload's answer (write id, outcome, revision, message), counted
/// into `report`.
fn outcomes(
    response: madoguchi_api::UploadResponse,
    report: &mut SyncReport,
) -> Vec<(String, UploadOutcome, Option<i64>, Option<String>)> {
    let mut results = Vec::new();
    for r in response.results {
        let outcome = r.outcome.for_outbox();
        match outcome {
            UploadOutcome::Applied => report.applied += 1,
            _ => report.attention += 1,
        }
        results.push((r.write_id, outcome, r.revision, r.message));
    }
    results
}

/// A JSON request that must succeed.
fn get_json(port: &dyn Port, path: &str, token: Option<&str>) -> Result<Value, ClientError> {
    Ok(port.request("GET", path, token, None)?.ok()?.json())
}

fn fetch_manifest(port: &dyn Port) -> Result<Manifest, ClientError> {
    let token = port.token();
    let v = get_json(port, "/api/v1/sync/manifest", token.as_deref())?;
    Ok(v["kinds"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or(&[])
        .iter()
        .filter_map(|k| {
            Some((
                k["kind"].as_str()?.to_owned(),
                k["version"].as_str()?.to_owned(),
            ))
        })
        .collect())
}

/// Downloads every page of a kind at one version; replaces the cache only when all pages came.
fn download(port: &dyn Port, kind: &str) -> Result<(), ClientError> {
    let token = port.token();
    'again: for _ in 0..3 {
        let mut items = Vec::new();
        let mut version: Option<String> = None;
        let mut offset = Some(0usize);
        while let Some(o) = offset {
            let mut path = format!("/api/v1/sync/reference/{kind}?offset={o}&limit={PAGE}");
            if let Some(v) = &version {
                path.push_str(&format!("&version={v}"));
            }
            let page = match get_json(port, &path, token.as_deref()) {
                Ok(p) => p,
                Err(ClientError::Status { status: 409, .. }) => continue 'again,
                Err(e) => return Err(e),
            };
            version = page["version"].as_str().map(str::to_owned);
            items.extend(page["items"].as_array().cloned().unwrap_or_default());
            offset = page["next_offset"].as_u64().map(|n| n as usize);
        }
        let version = version.unwrap_or_default();
        port.store()
            .put_reference(kind, &version, &items, port.now_ms())
            .map_err(|e| ClientError::Protocol(e.to_string()))?;
        tracing::info!(kind, items = items.len(), "reference data cached");
        return Ok(());
    }
    Err(ClientError::Protocol(format!(
        "{kind} kept changing during the download"
    )))
}

#[cfg(test)]
mod tests {
    //! A maintenance window's 503 is "server unavailable": the round stops offline and the outbox keeps
    //! its entries for a later round.

    use std::sync::Mutex;

    use super::*;

    struct Unavailable {
        store: Mutex<LocalStore>,
        _dir: tempfile::TempDir,
    }

    impl Port for Unavailable {
        fn now_ms(&self) -> i64 {
            1_000_000
        }
        fn store(&self) -> MutexGuard<'_, LocalStore> {
            self.store.lock().expect("store")
        }
        fn ensure_session(&self) -> Result<(), ClientError> {
            Ok(())
        }
        fn session_login(&self) -> Option<String> {
            Some("staff".into())
        }
        fn token(&self) -> Option<String> {
            Some("token".into())
        }
        fn forget_session(&self) {}
        fn request(
            &self,
            _method: &str,
            _path: &str,
            _token: Option<&str>,
            _body: Option<&Value>,
        ) -> Result<Answer, ClientError> {
            let body = json!({"error": {"code": "maintenance",
                "message": "システムの保守作業のため、ただいま停止しています。"}});
            Ok(Answer {
                status: 503,
                content_type: "application/json".into(),
                bytes: body.to_string().into_bytes(),
                issue_numbers: None,
            })
        }
        fn synced(&self, _now_ms: i64) {}
    }

    #[test]
    fn a_maintenance_503_keeps_the_entries_in_the_outbox_and_the_round_offline() {
        let dir = tempfile::tempdir().expect("dir");
        let mut store = LocalStore::open(&dir.path().join("local.db")).expect("store");
        store
            .enqueue("case-1", "w-1", "staff", &json!({"write_id": "w-1"}), 0)
            .expect("enqueue");
        let port = Unavailable {
            store: Mutex::new(store),
            _dir: dir,
        };
        let report = round(&port);
        assert!(report.offline, "{report:?}");
        assert_eq!(report.uploaded, 0);
        let counts = port.store().counts().expect("counts");
        assert_eq!(
            (counts.pending, counts.attention),
            (1, 0),
            "kept, nothing to look at"
        );
        let entry = port.store().all_entries().expect("entries").remove(0);
        assert_eq!(
            (entry.state.as_str(), entry.attempts),
            ("pending", 1),
            "retried later"
        );
    }
}
