//! The sync executor: plans with [`madoguchi_core::sync::plan`] and carries the steps out against the
//! server, recording every outcome in the local store in one transaction per step. Uploads are safe to
//! repeat (the server applies each write id once), so a round cut off anywhere is simply run again.

use madoguchi_core::sync::{Step, SyncInput, UploadOutcome, backoff_ms, plan};
use serde_json::{Value, json};

use crate::client::ClientError;
use crate::runtime::{Terminal, now_ms};

/// Items per upload request (the server takes up to 100).
pub const BATCH: usize = 50;
/// Items per reference page.
pub const PAGE: usize = 1000;

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

/// One round. Never panics; failures are recorded as retries with backoff.
pub fn round(t: &Terminal) -> SyncReport {
    let _guard = t
        .sync_lock
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut report = SyncReport::default();
    if let Err(e) = t.note(t.ensure_kiosk_session()) {
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
        let input = {
            let store = t
                .store
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let (pending, cached) = match (store.pending(), store.reference_versions()) {
                (Ok(p), Ok(c)) => (p, c),
                (Err(e), _) | (_, Err(e)) => {
                    tracing::error!(error = %e, "sync: local store unreadable");
                    return report;
                }
            };
            SyncInput {
                now_ms: now_ms(),
                session: t.session_login(),
                pending,
                cached,
                manifest: manifest.clone(),
                batch: BATCH,
            }
        };
        let p = plan(&input);
        report.wake_at_ms = p.wake_at_ms;
        if p.steps.is_empty() {
            break;
        }
        for step in p.steps {
            let done = match step {
                Step::Upload(seqs) => upload(t, &seqs, &mut report),
                Step::FetchManifest => fetch_manifest(t).map(|m| manifest = Some(m)),
                Step::Download(kind) => download(t, &kind).map(|()| report.downloaded.push(kind)),
                Step::Drop(kind) => {
                    if let Err(e) = t
                        .store
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                        .drop_reference(&kind)
                    {
                        tracing::warn!(error = %e, "sync: drop failed");
                    }
                    Ok(())
                }
            };
            match done {
                Ok(()) => {}
                Err(e) if e.is_network() => {
                    report.offline = true;
                    return report;
                }
                Err(ClientError::Status { status: 401, .. }) => {
                    t.forget_session();
                    return report;
                }
                Err(e) => {
                    tracing::warn!(error = %e, "sync step failed");
                    return report;
                }
            }
        }
    }
    t.synced(now_ms());
    report
}

fn upload(t: &Terminal, seqs: &[i64], report: &mut SyncReport) -> Result<(), ClientError> {
    let entries = t
        .store
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .entries(seqs)
        .map_err(|e| ClientError::Protocol(e.to_string()))?;
    let items: Vec<Value> = entries
        .iter()
        .map(|e| json!({"case_id": e.case_id, "save": e.body}))
        .collect();
    let token = t.token();
    let answer = t.note(t.client.request(
        "POST",
        "/api/v1/sync/upload",
        token.as_deref(),
        Some(&json!({ "items": items })),
    ));
    let answer = match answer.and_then(|a| a.ok()) {
        Ok(a) => a,
        Err(e) => {
            if !matches!(e, ClientError::Status { status: 401, .. }) {
                let failed = t
                    .store
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .record_failure(seqs, |n| now_ms() + backoff_ms(n, jitter()));
                if let Err(se) = failed {
                    tracing::error!(error = %se, "sync: cannot record the failure");
                }
            }
            return Err(e);
        }
    };
    let v = answer.json();
    let mut results = Vec::new();
    for r in v["results"].as_array().map(Vec::as_slice).unwrap_or(&[]) {
        let (Some(write_id), Some(outcome)) = (
            r["write_id"].as_str(),
            r["outcome"].as_str().and_then(UploadOutcome::parse),
        ) else {
            continue;
        };
        match outcome {
            UploadOutcome::Applied => report.applied += 1,
            _ => report.attention += 1,
        }
        results.push((
            write_id.to_owned(),
            outcome,
            r["revision"].as_i64(),
            r["message"].as_str().map(str::to_owned),
        ));
    }
    report.uploaded += entries.len();
    t.store
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .record_results(&results, now_ms())
        .map_err(|e| ClientError::Protocol(e.to_string()))?;
    tracing::info!(
        items = entries.len(),
        applied = report.applied,
        "outbox uploaded"
    );
    Ok(())
}

fn fetch_manifest(t: &Terminal) -> Result<std::collections::BTreeMap<String, String>, ClientError> {
    let token = t.token();
    let v = t.note(
        t.client
            .json("GET", "/api/v1/sync/manifest", token.as_deref(), None),
    )?;
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
fn download(t: &Terminal, kind: &str) -> Result<(), ClientError> {
    let token = t.token();
    'again: for _ in 0..3 {
        let mut items = Vec::new();
        let mut version: Option<String> = None;
        let mut offset = Some(0usize);
        while let Some(o) = offset {
            let mut path = format!("/api/v1/sync/reference/{kind}?offset={o}&limit={PAGE}");
            if let Some(v) = &version {
                path.push_str(&format!("&version={v}"));
            }
            let page = match t.note(t.client.json("GET", &path, token.as_deref(), None)) {
                Ok(p) => p,
                Err(ClientError::Status { status: 409, .. }) => continue 'again,
                Err(e) => return Err(e),
            };
            version = page["version"].as_str().map(str::to_owned);
            items.extend(page["items"].as_array().cloned().unwrap_or_default());
            offset = page["next_offset"].as_u64().map(|n| n as usize);
        }
        let version = version.unwrap_or_default();
        t.store
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .put_reference(kind, &version, &items, now_ms())
            .map_err(|e| ClientError::Protocol(e.to_string()))?;
        tracing::info!(kind, items = items.len(), "reference data cached");
        return Ok(());
    }
    Err(ClientError::Protocol(format!(
        "{kind} kept changing during the download"
    )))
}
