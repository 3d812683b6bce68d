use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ApiError, ErrorBody};
use crate::audit;
use crate::auth::{PeerAddr, Session, new_token, verify_password};
use crate::{AppState, blocking};
use madoguchi_store::TenantId;

#[derive(Deserialize, ToSchema)]
pub struct LoginRequest {
    /// Tenant (municipality) id, e.g. `demo`.
    pub tenant: String,
    pub user: String,
    pub password: String,
    /// The counter (窓口) the staff member works at.
    pub counter: String,
}

#[derive(Serialize, ToSchema)]
pub struct LoginResponse {
    /// Bearer token for `Authorization: Bearer …`.
    pub token: String,
    pub expires_at: DateTime<Utc>,
    pub user: SessionUser,
}

#[derive(Serialize, ToSchema)]
pub struct SessionUser {
    pub tenant: String,
    pub tenant_name: String,
    pub login: String,
    pub display_name: String,
    pub counter: String,
}

fn locked() -> ApiError {
    ApiError::new(
        StatusCode::LOCKED,
        "account_locked",
        "パスワードを続けて間違えたため、アカウントをロックしました。管理者に解除を依頼してください。",
    )
}

fn bad_login() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "login_failed",
        "ユーザーIDまたはパスワードが正しくありません。",
    )
}

/// Log in at a counter.
#[utoipa::path(post, path = "/api/v1/auth/login", request_body = LoginRequest,
    responses(
        (status = 200, body = LoginResponse),
        (status = 400, body = ErrorBody),
        (status = 401, description = "wrong user or password", body = ErrorBody),
        (status = 403, description = "account disabled or past its validity period", body = ErrorBody),
        (status = 423, description = "account locked after repeated failures", body = ErrorBody),
        (status = 429, description = "too many attempts from this address", body = ErrorBody),
    ))]
pub async fn login(
    State(state): State<AppState>,
    PeerAddr(peer): PeerAddr,
    Json(req): Json<LoginRequest>,
) -> Result<Json<LoginResponse>, ApiError> {
    if let Some(addr) = peer
        && !state.login_limiter.allow(addr, std::time::Instant::now())
    {
        tracing::warn!("login refused: too many attempts from one address");
        let store = state.store.clone();
        let tenant = TenantId(req.tenant.clone());
        let user = req.user.clone();
        blocking(move || {
            audit::record(
                store.as_ref(),
                &tenant,
                Some(&user),
                None,
                "login_failed",
                None,
                "rate_limited",
            )
        })
        .await?;
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_attempts",
            "ログインの試行が多すぎます。しばらく時間をおいてからお試しください。",
        ));
    }
    let counter = req.counter.trim().to_owned();
    if counter.is_empty() || counter.chars().count() > 50 {
        return Err(ApiError::bad_request(
            "invalid_counter",
            "窓口を選択してください。",
        ));
    }
    if req.user.len() > 100 || req.password.len() > 1024 || req.tenant.len() > 100 {
        return Err(bad_login());
    }
    let store = state.store.clone();
    let ttl = state.settings.session_ttl;
    let lock_after = state.settings.lockout_after_failures;
    blocking(move || {
        let tenant = TenantId(req.tenant.clone());
        let tenant_name = store.tenant_name(&tenant)?.ok_or_else(bad_login)?;
        let user = store.find_user(&tenant, &req.user)?;
        // Verify against a dummy hash when the user is unknown, so timing does not reveal which.
        let hash = user
            .as_ref()
            .map_or_else(|| dummy_hash().to_owned(), |u| u.password_hash.clone());
        let ok = verify_password(&req.password, &hash);
        let audit_failure = |result: &str| {
            audit::record(
                store.as_ref(),
                &tenant,
                Some(&req.user),
                Some(&counter),
                "login_failed",
                None,
                result,
            )
        };
        let Some(user) = user else {
            tracing::warn!("login failed: unknown user");
            audit_failure("unknown_user")?;
            return Err(bad_login());
        };
        if user.locked {
            tracing::warn!(user_id = user.id, "login refused: account locked");
            audit_failure("locked")?;
            return Err(locked());
        }
        if !ok {
            let after = store.record_login_failure(user.id, lock_after)?;
            tracing::warn!(
                user_id = user.id,
                failures = after.failed_logins,
                "login failed"
            );
            audit_failure(if after.locked {
                "wrong_password_locked"
            } else {
                "wrong_password"
            })?;
            return Err(if after.locked { locked() } else { bad_login() });
        }
        if user.disabled {
            tracing::warn!(user_id = user.id, "login refused: account disabled");
            audit_failure("disabled")?;
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "account_disabled",
                "このアカウントは無効になっています。管理者に連絡してください。",
            ));
        }
        if user
            .valid_until
            .is_some_and(|last| last < super::today_jst())
        {
            tracing::warn!(user_id = user.id, "login refused: account validity ended");
            audit_failure("expired")?;
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "account_expired",
                "このアカウントの有効期間は終了しています。管理者に連絡してください。",
            ));
        }
        store.record_login_success(user.id)?;
        let (token, token_hash) = new_token();
        let now = Utc::now();
        let expires_at = now + ttl;
        store.create_session(&token_hash, user.id, &counter, now, expires_at)?;
        audit::record(
            store.as_ref(),
            &tenant,
            Some(&user.login),
            Some(&counter),
            "login",
            None,
            "ok",
        )?;
        tracing::info!(user_id = user.id, "login");
        Ok(Json(LoginResponse {
            token,
            expires_at,
            user: SessionUser {
                tenant: tenant.0,
                tenant_name,
                login: user.login,
                display_name: user.display_name,
                counter,
            },
        }))
    })
    .await
}

/// A real argon2id hash of a random token, verified against when the login name does not exist.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| crate::auth::hash_password(&new_token().0).unwrap_or_default())
}

/// End the current session.
#[utoipa::path(post, path = "/api/v1/auth/logout", security(("bearer" = [])),
    responses((status = 204), (status = 401, body = ErrorBody)))]
pub async fn logout(
    State(state): State<AppState>,
    session: Session,
) -> Result<StatusCode, ApiError> {
    let store = state.store.clone();
    blocking(move || {
        store.delete_session(&session.token_hash)?;
        audit::by_session(store.as_ref(), &session, "logout", None, "ok")
    })
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The current session's user and counter.
#[utoipa::path(get, path = "/api/v1/auth/me", security(("bearer" = [])),
    responses((status = 200, body = SessionUser), (status = 401, body = ErrorBody)))]
pub async fn me(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<SessionUser>, ApiError> {
    let store = state.store.clone();
    let tenant = session.record.tenant.clone();
    let tenant_name = blocking(move || Ok(store.tenant_name(&tenant)?.unwrap_or_default())).await?;
    let r = session.record;
    Ok(Json(SessionUser {
        tenant: r.tenant.0,
        tenant_name,
        login: r.login,
        display_name: r.display_name,
        counter: r.counter,
    }))
}
