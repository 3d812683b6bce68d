//! The status of the core-system linkage (連携状況) for administrators (出雲 P48).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use madoguchi_store::{LinkageFile, LinkageOutcome, OutboundBatch};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ApiError, ErrorBody};
use crate::auth::Session;
use crate::linkage::{Confirmation, FEEDS, Waiting, outbound};
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
    /// `001o006`, `001o009`, `shikaku`, `inkan`, `cards`.
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

/// An outbound file (batch).
#[derive(Debug, Serialize, ToSchema)]
pub struct OutboundView {
    /// `ido`, `kofu`, `kari_ido`, `kari_kofu`, `rpa`.
    pub kind: String,
    pub label: String,
    pub batch_no: i64,
    /// Empty when the batch had no rows (its cases had nothing of this kind): no file is written.
    pub file_name: String,
    pub records: u64,
    pub cases: u64,
    pub created_at: DateTime<Utc>,
    /// `None` while the file waits to be written to the exchange.
    pub delivered_at: Option<DateTime<Utc>>,
}

impl From<&OutboundBatch> for OutboundView {
    fn from(b: &OutboundBatch) -> Self {
        OutboundView {
            kind: b.kind.clone(),
            label: outbound::kind(&b.kind).map_or("", |k| k.label).into(),
            batch_no: b.batch_no,
            file_name: if b.records > 0 {
                b.file_name.clone()
            } else {
                String::new()
            },
            records: b.records,
            cases: b.case_ids.len() as u64,
            created_at: b.created_at,
            delivered_at: b.delivered_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LinkageStatus {
    /// Whether this server polls the exchange for the tenant.
    pub enabled: bool,
    pub interval_seconds: Option<u64>,
    pub last_poll_at: Option<DateTime<Utc>>,
    pub feeds: Vec<FeedStatus>,
    /// The latest outbound files, newest first (at most 50).
    pub outbound: Vec<OutboundView>,
    /// Why the last outbound run failed, if it did.
    pub outbound_error: Option<String>,
}

/// What an on-demand export wrote.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExportResult {
    pub batches: Vec<OutboundView>,
}

/// Write the outbound files now (accepted 届出 and 証明書 requests not yet exported), instead of waiting
/// for the next scheduled run. Each case is still exported only once per kind.
#[utoipa::path(post, path = "/api/v1/linkage/export", security(("bearer" = [])),
    responses((status = 200, body = ExportResult), (status = 409, description = "linkage is not configured for the tenant", body = ErrorBody),
        (status = 503, description = "the exchange or the database is unreachable", body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn export(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<ExportResult>, ApiError> {
    let Some(job) = state
        .linkage
        .clone()
        .filter(|j| j.tenants().contains(session.tenant()))
    else {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "linkage_off",
            "このテナントの基幹系連携は設定されていません。",
        ));
    };
    let batches = job
        .export(session.tenant(), Utc::now())
        .await
        .map_err(|e| {
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "linkage_failed",
                e.message_ja(),
            )
        })?;
    let store = state.store.clone();
    let kinds = batches
        .iter()
        .map(|b| format!("{}:{}", b.kind, b.batch_no))
        .collect::<Vec<_>>()
        .join(" ");
    blocking::<_, ApiError>(move || {
        crate::audit::by_session(
            store.as_ref(),
            &session,
            "linkage.export_now",
            (!kinds.is_empty()).then_some(kinds),
            "ok",
        )?;
        Ok(())
    })
    .await?;
    Ok(Json(ExportResult {
        batches: batches.iter().map(OutboundView::from).collect(),
    }))
}

/// An admin's confirmation of a held full file.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfirmRequest {
    /// `001o006`, `001o009` or `inkan` (the feeds whose full files are removal-checked).
    pub feed: String,
    /// The held file's name, as the status shows it.
    pub file: String,
    /// The SHA-256 the status showed (`waiting[].hold.sha256`); when given, the file must still be the
    /// same.
    #[serde(default)]
    pub sha256: Option<String>,
}

/// The confirmation recorded: the job applies the file at its next poll.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConfirmResult {
    pub feed: String,
    pub file: String,
    pub sha256: String,
    pub current: u64,
    pub removed: u64,
}

/// Confirm a full file the linkage job holds because it would remove more than the allowed share of the
/// current residents or 支援措置 records (Security II point 17). The confirmation names the file and its
/// SHA-256 (a file replaced under the same name is held again) and is audited (`linkage.confirm`); the
/// next poll applies the file.
#[utoipa::path(post, path = "/api/v1/linkage/confirm", security(("bearer" = [])), request_body = ConfirmRequest,
    responses((status = 200, body = ConfirmResult),
        (status = 400, description = "unknown feed", body = ErrorBody),
        (status = 409, description = "linkage is not configured for the tenant, or the file is not (or no longer) held", body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn confirm(
    State(state): State<AppState>,
    session: Session,
    Json(req): Json<ConfirmRequest>,
) -> Result<Json<ConfirmResult>, ApiError> {
    let Some(job) = state
        .linkage
        .clone()
        .filter(|j| j.tenants().contains(session.tenant()))
    else {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "linkage_off",
            "このテナントの基幹系連携は設定されていません。",
        ));
    };
    let Some(feed) = FEEDS.iter().find(|f| f.id == req.feed) else {
        return Err(ApiError::bad_request(
            "invalid_feed",
            "連携の種類（001o006、001o009、inkan）が正しくありません。",
        ));
    };
    let hold = job
        .held(session.tenant(), feed.id, &req.file)
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::CONFLICT,
                "not_held",
                "このファイルは管理者の確認を待っていません。最新の状況を表示してください。",
            )
        })?;
    if req
        .sha256
        .as_deref()
        .is_some_and(|s| !s.eq_ignore_ascii_case(&hold.sha256))
    {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "file_changed",
            "ファイルが差し替えられています。最新の状況を表示して確認し直してください。",
        ));
    }
    let confirmation = Confirmation {
        file: req.file.clone(),
        sha256: hold.sha256.clone(),
        current: hold.current,
        removed: hold.removed,
        by: session.record.login.clone(),
        at: Utc::now(),
    };
    let store = state.store.clone();
    let feed_id = feed.id;
    blocking::<_, ApiError>(move || {
        let event = crate::audit::event_for(
            &session,
            "linkage.confirm",
            Some(confirmation.sha256.clone()),
            "ok",
        );
        crate::linkage::record_confirmation(
            store.as_ref(),
            session.tenant(),
            feed_id,
            &confirmation,
            &event,
        )?;
        Ok(())
    })
    .await?;
    Ok(Json(ConfirmResult {
        feed: feed.id.into(),
        file: req.file,
        sha256: hold.sha256,
        current: hold.current,
        removed: hold.removed,
    }))
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
    let (ledgers, batches) = blocking::<_, ApiError>(move || {
        let mut out = Vec::new();
        for feed in FEEDS {
            out.push(store.linkage_files(&tenant, Some(feed.id), 200)?);
        }
        Ok((out, store.outbound_batches(&tenant, None, false, 50)?))
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
        outbound: batches.iter().map(OutboundView::from).collect(),
        outbound_error: job.and_then(|j| j.outbound_error(session.tenant())),
    }))
}
