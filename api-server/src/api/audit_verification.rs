//! The audit chain's verification for the audit viewer (permission `view_audit`): the whole hash chain
//! checked in the database, and the latest external checkpoint (anchor, [`crate::audit_anchor`]) with
//! whether the chain still holds the record it signed. The check is itself audited (`audit.verify`).

use axum::Json;
use axum::extract::State;
use chrono::Utc;
use madoguchi_store::AuditCheck;
use serde::Serialize;
use utoipa::ToSchema;

use super::audit_viewer::jst_text;
use super::{ApiError, ErrorBody};
use crate::auth::Session;
use crate::{AppState, audit, blocking};

/// The latest external checkpoint of the chain.
#[derive(Serialize, ToSchema)]
pub struct AnchorStatus {
    /// Whether the server anchors the chain outside the database (`MADOGUCHI_AUDIT_ANCHOR_URL`).
    pub configured: bool,
    /// The last record the latest anchor signed.
    pub last_id: Option<i64>,
    /// When that record was written (Japan time).
    pub head_at: Option<String>,
    /// When the anchor was written (Japan time).
    pub written_at: Option<String>,
    /// Whether the chain still has that record with the hash the anchor signed.
    pub matches: Option<bool>,
    /// What is wrong (Japanese), when something is.
    pub problem: Option<String>,
}

/// The outcome of verifying the audit chain.
#[derive(Serialize, ToSchema)]
pub struct AuditVerification {
    /// Every record links to its predecessor and matches its hash, up to the recorded head.
    pub intact: bool,
    /// The first record that does not fit (when broken).
    pub first_bad_id: Option<i64>,
    /// What is wrong (Japanese), when broken.
    pub problem: Option<String>,
    /// When the check ran (Japan time).
    pub checked_at: String,
    pub anchor: AnchorStatus,
}

async fn anchor_status(state: &AppState) -> AnchorStatus {
    let none = AnchorStatus {
        configured: false,
        last_id: None,
        head_at: None,
        written_at: None,
        matches: None,
        problem: None,
    };
    let Some(anchoring) = state.anchoring.clone() else {
        return none;
    };
    let configured = AnchorStatus {
        configured: true,
        ..none
    };
    let latest = crate::audit_anchor::latest(&anchoring.place, &anchoring.public_key).await;
    let anchor = match latest {
        Ok(None) => return configured,
        Ok(Some(Ok(a))) => a,
        Ok(Some(Err(why))) => {
            tracing::warn!(reason = %why, "latest audit anchor does not verify");
            return AnchorStatus {
                problem: Some(
                    "最新のアンカーの署名を確認できません（改ざんまたは別の鍵）。".into(),
                ),
                ..configured
            };
        }
        Err(e) => {
            tracing::warn!(error = %e, "audit anchors not readable");
            return AnchorStatus {
                problem: Some("アンカーの保存先を読めません。".into()),
                ..configured
            };
        }
    };
    let store = state.store.clone();
    let id = anchor.last_id;
    let state_now = tokio::task::spawn_blocking(move || store.audit_state(&[id])).await;
    let matches = match state_now {
        Ok(Ok(s)) => Some(s.hashes.get(&id) == Some(&anchor.hash) || id <= s.base.0),
        _ => None,
    };
    AnchorStatus {
        last_id: Some(id),
        head_at: Some(jst_text(anchor.head_at)),
        written_at: Some(jst_text(anchor.written_at)),
        problem: (matches == Some(false)).then(|| {
            format!(
                "記録番号 {id} がアンカーの署名した内容と一致しません（改ざん・削除の可能性）。"
            )
        }),
        matches,
        ..configured
    }
}

/// Verify the audit log's hash chain (every record, so it takes a while on a large log) and show the
/// latest external checkpoint.
#[utoipa::path(get, path = "/api/v1/audit/verification", security(("bearer" = [])),
    responses(
        (status = 200, body = AuditVerification),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
    ))]
pub async fn verify_audit(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<AuditVerification>, ApiError> {
    let store = state.store.clone();
    let check = blocking::<_, ApiError>(move || {
        let check = store.verify_audit()?;
        let result = match &check {
            AuditCheck::Intact { .. } => "ok",
            AuditCheck::Broken { .. } => "broken",
        };
        audit::by_session(store.as_ref(), &session, "audit.verify", None, result)?;
        Ok(check)
    })
    .await?;
    let (intact, first_bad_id, problem) = match check {
        AuditCheck::Intact { .. } => (true, None, None),
        AuditCheck::Broken {
            first_bad_id,
            reason,
        } => {
            tracing::error!(first_bad_id, reason = %reason, "audit chain broken");
            (
                false,
                Some(first_bad_id),
                Some(format!(
                    "記録番号 {first_bad_id} 以降の記録が、改ざん・削除・並べ替えされた可能性があります。"
                )),
            )
        }
    };
    Ok(Json(AuditVerification {
        intact,
        first_bad_id,
        problem,
        checked_at: jst_text(Utc::now()),
        anchor: anchor_status(&state).await,
    }))
}
