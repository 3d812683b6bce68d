//! The status of the core-system linkage (連携状況) for administrators (出雲 P48).

use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Utc};
use madoguchi_store::{LinkageFile, LinkageOutcome};
use serde::Serialize;
use utoipa::ToSchema;

use super::{ApiError, ErrorBody};
use crate::auth::Session;
use crate::linkage::{FEEDS, Waiting};
use crate::{AppState, blocking};

/// One file in the linkage ledger.
#[derive(Debug, Serialize, ToSchema)]
pub struct LinkageFileView {
    pub name: String,
    /// 連番 within the feed.
    pub sequence: i64,
    /// `full` or `delta`.
    pub mode: String,
    /// `applied` or `rejected`.
    pub outcome: String,
    pub rows: u64,
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub removed: u64,
    pub problems: u64,
    /// Japanese summary (the first problem, or a note such as 適用済み).
    pub message: Option<String>,
    pub finished_at: DateTime<Utc>,
}

impl From<&LinkageFile> for LinkageFileView {
    fn from(f: &LinkageFile) -> Self {
        LinkageFileView {
            name: f.name.clone(),
            sequence: f.sequence,
            mode: f.mode.as_str().into(),
            outcome: f.outcome.as_str().into(),
            rows: f.rows,
            inserted: f.counts.inserted,
            updated: f.counts.updated,
            unchanged: f.counts.unchanged,
            removed: f.counts.removed,
            problems: f.problems,
            message: f.message.clone(),
            finished_at: f.finished_at,
        }
    }
}

/// One feed: what was applied last, what was refused last, what waits.
#[derive(Debug, Serialize, ToSchema)]
pub struct FeedStatus {
    /// `001o006`, `001o009`, `shikaku`.
    pub feed: String,
    pub label: String,
    pub last_applied: Option<LinkageFileView>,
    pub last_rejected: Option<LinkageFileView>,
    /// Files seen in the inbound folder at the last poll and not taken yet, with the reason.
    pub waiting: Vec<Waiting>,
    /// Why the last poll of this feed failed (exchange or database unreachable), if it did.
    pub error: Option<String>,
    /// The latest files, newest first (at most 20).
    pub recent: Vec<LinkageFileView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LinkageStatus {
    /// Whether this server polls the exchange for the tenant.
    pub enabled: bool,
    pub interval_seconds: Option<u64>,
    pub last_poll_at: Option<DateTime<Utc>>,
    pub feeds: Vec<FeedStatus>,
}

/// The status of every core-system feed of the tenant (last file, time, rows, errors, waiting files).
#[utoipa::path(get, path = "/api/v1/linkage/status", security(("bearer" = [])),
    responses((status = 200, body = LinkageStatus), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn status(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<LinkageStatus>, ApiError> {
    let store = state.store.clone();
    let tenant = session.tenant().clone();
    let ledgers = blocking(move || {
        let mut out = Vec::new();
        for feed in FEEDS {
            out.push(store.linkage_files(&tenant, Some(feed.id), 200)?);
        }
        Ok(out)
    })
    .await?;
    let job = state
        .linkage
        .as_ref()
        .filter(|j| j.tenants().contains(session.tenant()));
    let feeds = FEEDS
        .iter()
        .zip(ledgers)
        .map(|(feed, files)| {
            let poll = job.map(|j| j.feed_poll(session.tenant(), feed.id));
            let last = |o: LinkageOutcome| {
                files
                    .iter()
                    .find(|f| f.outcome == o)
                    .map(LinkageFileView::from)
            };
            FeedStatus {
                feed: feed.id.into(),
                label: feed.label.into(),
                last_applied: last(LinkageOutcome::Applied),
                last_rejected: last(LinkageOutcome::Rejected),
                waiting: poll.as_ref().map(|p| p.waiting.clone()).unwrap_or_default(),
                error: poll.and_then(|p| p.error),
                recent: files.iter().take(20).map(LinkageFileView::from).collect(),
            }
        })
        .collect();
    Ok(Json(LinkageStatus {
        enabled: job.is_some(),
        interval_seconds: job.map(|j| j.interval_secs()),
        last_poll_at: job.and_then(|j| j.last_poll()),
        feeds,
    }))
}
