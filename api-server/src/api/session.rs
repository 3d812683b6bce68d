use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use chrono::Utc;
use madoguchi_api::{LoginRequest, LoginResponse, SessionUser};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::extract::PeerAddr;
use super::{ApiError, ErrorBody};
use crate::audit;
use crate::auth::{Session, new_token, verify_password};
use crate::enrollment::{LoginPlace, login_place};
use crate::{AppState, blocking};
use madoguchi_store::{AuditEvent, PermissionSet, TenantId};

/// The one answer to every refused login — unknown tenant or user, wrong password, an account that is
/// disabled, locked, past its validity or waiting after failures — so that it tells nothing about the
/// account (the audit record says which).
fn bad_login() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "login_failed",
        "ユーザーIDまたはパスワードが正しくないか、このアカウントは今ログインできません。しばらく待ってから入力し直すか、管理者に確認してください。",
    )
}

/// Audits a refusal of an unauthenticated request at most once per window per `key` (Security II
/// point 12); the others are only logged.
fn audit_refusal_once(state: &AppState, key: (String, String)) -> bool {
    state.refusal_audits.allow(key, std::time::Instant::now())
}

fn too_many() -> ApiError {
    ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_attempts",
        "ログインの試行が多すぎます。しばらく時間をおいてからお試しください。",
    )
}

/// Log in at a counter.
#[utoipa::path(post, path = "/api/v1/auth/login", request_body = LoginRequest,
    responses(
        (status = 200, body = LoginResponse),
        (status = 400, description = "no counter, or a counter that is not registered", body = ErrorBody),
        (status = 401, description = "refused: the same answer for an unknown user, a wrong password and an account that is disabled, locked, past its validity or backing off after failures", body = ErrorBody),
        (status = 403, description = "the right account, but not from here: `terminal_not_enrolled`, `terminal_proof_invalid`, `counter_not_on_terminal` or `browser_not_allowed`", body = ErrorBody),
        (status = 429, description = "too many attempts from this address or for this account", body = ErrorBody),
    ))]
pub async fn login(
    State(state): State<AppState>,
    PeerAddr(peer): PeerAddr,
    Json(req): Json<LoginRequest>,
) -> Result<Json<LoginResponse>, ApiError> {
    if req.user.len() > 100 || req.password.len() > 1024 || req.tenant.len() > 100 {
        return Err(bad_login());
    }
    let now_instant = std::time::Instant::now();
    refuse_if_rate_limited(&state, &req, peer, now_instant).await?;
    refuse_if_backing_off(&state, &req, now_instant).await?;
    let counter = req.counter.trim().to_owned();
    if counter.is_empty() || counter.chars().count() > 50 {
        return Err(ApiError::bad_request(
            "invalid_counter",
            "窓口を選択してください。",
        ));
    }
    let attempt = Attempt {
        store: state.store.clone(),
        ttl: state.settings.session_ttl,
        backoff: state.login_backoff.clone(),
        refusals: state.refusal_audits.clone(),
        peer,
        counter,
    };
    let _permit = password_permit(&state).await?;
    blocking(move || attempt.run(req)).await.map(Json)
}

/// Too many attempts from this address or for this account: refused before anything else (audited
/// once per window and kind).
async fn refuse_if_rate_limited(
    state: &AppState,
    req: &LoginRequest,
    peer: Option<std::net::IpAddr>,
    now: std::time::Instant,
) -> Result<(), ApiError> {
    let by_address = peer.is_none_or(|addr| state.login_limiter.allow(addr, now));
    let by_account = state
        .account_limiter
        .allow((req.tenant.clone(), req.user.clone()), now);
    if by_address && by_account {
        return Ok(());
    }
    tracing::warn!(
        per_address = !by_address,
        per_account = !by_account,
        "login refused: too many attempts"
    );
    let (result, who) = if by_address {
        (
            "rate_limited_account",
            format!("{}\u{0}{}", req.tenant, req.user),
        )
    } else {
        ("rate_limited", format!("addr:{peer:?}"))
    };
    if audit_refusal_once(state, (result.to_owned(), who)) {
        record_refusal(state, req, result).await?;
    }
    Err(too_many())
}

/// An account waiting after failures is refused before any password is checked — after the same work
/// as any other refusal, so that the answer's timing tells nothing either.
async fn refuse_if_backing_off(
    state: &AppState,
    req: &LoginRequest,
    now: std::time::Instant,
) -> Result<(), ApiError> {
    let account = (req.tenant.clone(), req.user.clone());
    if state.login_backoff.waiting(&account, now).is_none() {
        return Ok(());
    }
    tracing::warn!("login refused: account backing off after failures");
    let _permit = password_permit(state).await?;
    let password = req.password.clone();
    blocking::<_, ApiError>(move || {
        verify_password(&password, dummy_hash());
        Ok(())
    })
    .await?;
    let who = format!("{}\u{0}{}", account.0, account.1);
    if audit_refusal_once(state, ("backoff".to_owned(), who)) {
        record_refusal(state, req, "backoff").await?;
    }
    Err(bad_login())
}

/// The audit record of a login refused before any account was looked at.
async fn record_refusal(
    state: &AppState,
    req: &LoginRequest,
    result: &'static str,
) -> Result<(), ApiError> {
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
            result,
        )
    })
    .await?;
    Ok(())
}

/// One login attempt past the limits, run off the async runtime: the account, its password, the
/// counter and where the login comes from, then the session.
struct Attempt {
    store: std::sync::Arc<dyn madoguchi_store::Store>,
    ttl: chrono::Duration,
    backoff: std::sync::Arc<crate::login_backoff::LoginBackoff>,
    refusals: std::sync::Arc<crate::auth::AttemptLimiter<(String, String)>>,
    peer: Option<std::net::IpAddr>,
    counter: String,
}

impl Attempt {
    fn run(self, req: LoginRequest) -> Result<LoginResponse, ApiError> {
        let tenant = TenantId(req.tenant.clone());
        let Some(tenant_name) = self.store.tenant_name(&tenant)? else {
            return Err(self.unknown_tenant(&tenant, &req));
        };
        let user = self.verified_user(&tenant, &req)?;
        let Some(desk) = self.store.find_counter(&tenant, &self.counter)? else {
            tracing::warn!(user_id = user.id, "login refused: unknown counter");
            self.append_failure(&tenant, &req, "unknown_counter")?;
            return Err(ApiError::bad_request(
                "unknown_counter",
                "選択された窓口は登録されていません。窓口を選び直してください。",
            ));
        };
        let now = Utc::now();
        let place = login_place(
            self.store.as_ref(),
            &tenant,
            &req.user,
            &desk,
            req.device.as_ref(),
            now,
        )?;
        let terminal = match place {
            Ok(LoginPlace::Terminal(id)) => Some(id),
            Ok(LoginPlace::Browser) => None,
            Err(refusal) => {
                tracing::warn!(
                    user_id = user.id,
                    reason = refusal.code(),
                    "login refused at this counter"
                );
                self.append_failure(&tenant, &req, refusal.code())?;
                return Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    refusal.code(),
                    refusal.message_ja(),
                ));
            }
        };
        self.open_session(tenant, tenant_name, user, desk, terminal, now)
    }

    fn failed_attempt(&self, req: &LoginRequest) {
        self.backoff.failed(
            (req.tenant.clone(), req.user.clone()),
            std::time::Instant::now(),
        );
    }

    /// An unknown tenant: verified against the dummy hash all the same (the answer's timing tells
    /// nothing), audited once per window.
    fn unknown_tenant(&self, tenant: &TenantId, req: &LoginRequest) -> ApiError {
        verify_password(&req.password, dummy_hash());
        self.failed_attempt(req);
        tracing::warn!("login failed: unknown tenant");
        let key = ("unknown_tenant".into(), format!("addr:{:?}", self.peer));
        if self.refusals.allow(key, std::time::Instant::now())
            && let Err(e) = audit::record(
                self.store.as_ref(),
                tenant,
                Some(&req.user),
                None,
                "login_failed",
                None,
                "unknown_tenant",
            )
        {
            return e.into();
        }
        bad_login()
    }

    /// The audit event of a refused login. The terminal a refused login names is not verified: it goes
    /// into the subject, not the record's terminal.
    fn failure(&self, tenant: &TenantId, req: &LoginRequest, result: &str) -> AuditEvent {
        let claimed = req.device.as_ref().map(|d| {
            format!(
                "claimed_terminal:{}",
                d.terminal.chars().take(64).collect::<String>()
            )
        });
        audit::event(
            tenant,
            Some(&req.user),
            Some(&self.counter),
            "login_failed",
            claimed,
            result,
        )
    }

    fn append_failure(
        &self,
        tenant: &TenantId,
        req: &LoginRequest,
        result: &str,
    ) -> Result<(), ApiError> {
        self.store
            .append_audit(&self.failure(tenant, req, result))
            .map(|_| ())
            .map_err(ApiError::internal)
    }

    /// The account, if it may log in and the password is right. Accounts that may not log in are
    /// refused before their password is checked, after the same work (a dummy verification), with the
    /// same answer as a wrong password.
    fn verified_user(
        &self,
        tenant: &TenantId,
        req: &LoginRequest,
    ) -> Result<madoguchi_store::UserRecord, ApiError> {
        let user = self.store.find_user(tenant, &req.user)?;
        let refusal = match &user {
            None => Some("unknown_user"),
            Some(u) if u.disabled => Some("disabled"),
            Some(u) if u.locked => Some("locked"),
            Some(u) if u.valid_until.is_some_and(|last| last < super::today_jst()) => {
                Some("expired")
            }
            Some(_) => None,
        };
        let user = match (refusal, user) {
            (None, Some(user)) => user,
            (result, _) => {
                let result = result.unwrap_or("unknown_user");
                verify_password(&req.password, dummy_hash());
                self.failed_attempt(req);
                tracing::warn!(reason = result, "login refused");
                self.append_failure(tenant, req, result)?;
                return Err(bad_login());
            }
        };
        if !verify_password(&req.password, &user.password_hash) {
            // Counted in the store for administrators; never a permanent lock (the back-off is).
            let after = self.store.record_login_failure(
                user.id,
                u32::MAX,
                &self.failure(tenant, req, "wrong_password"),
            )?;
            self.failed_attempt(req);
            tracing::warn!(
                user_id = user.id,
                failures = after.failed_logins,
                "login failed"
            );
            return Err(bad_login());
        }
        self.backoff
            .succeeded(&(req.tenant.clone(), req.user.clone()));
        Ok(user)
    }

    /// Creates the session (with its audit record) and answers with it.
    fn open_session(
        self,
        tenant: TenantId,
        tenant_name: String,
        user: madoguchi_store::UserRecord,
        desk: madoguchi_store::CounterRecord,
        terminal: Option<String>,
        now: chrono::DateTime<Utc>,
    ) -> Result<LoginResponse, ApiError> {
        let (token, token_hash) = new_token();
        let expires_at = now + self.ttl;
        let event = AuditEvent {
            terminal: terminal.clone(),
            ..audit::event(
                &tenant,
                Some(&user.login),
                Some(&self.counter),
                "login",
                None,
                "ok",
            )
        };
        self.store.create_session(
            &token_hash,
            user.id,
            &self.counter,
            terminal.as_deref(),
            now,
            expires_at,
            &event,
        )?;
        tracing::info!(user_id = user.id, "login");
        let session = self
            .store
            .find_session(&token_hash, now)?
            .ok_or_else(|| ApiError::internal("session vanished after login"))?;
        Ok(LoginResponse {
            token,
            expires_at,
            user: SessionUser {
                tenant: tenant.0,
                tenant_name,
                login: user.login,
                display_name: user.display_name,
                counter: self.counter,
                counter_name: desk.name,
                permissions: codes(session.permissions()),
                must_change_password: session.must_change_password,
            },
        })
    }
}

/// Waits for a turn to verify or hash a password (see `AppState::password_permits`).
async fn password_permit(state: &AppState) -> Result<tokio::sync::SemaphorePermit<'_>, ApiError> {
    state
        .password_permits
        .acquire()
        .await
        .map_err(ApiError::internal)
}

fn codes(p: PermissionSet) -> Vec<String> {
    p.iter().map(|p| p.code().to_owned()).collect()
}

/// A real argon2id hash of a random token, verified against when the login name does not exist.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| crate::auth::hash_password(&new_token().0).unwrap_or_default())
}

#[derive(Deserialize, IntoParams)]
pub struct CountersQuery {
    /// Tenant (municipality) id.
    pub tenant: String,
}

#[derive(Serialize, ToSchema)]
pub struct CounterView {
    pub code: String,
    pub name: String,
}

/// The counters (窓口) of a tenant, for the login screen. Names only; no permissions.
#[utoipa::path(get, path = "/api/v1/auth/counters", params(CountersQuery),
    responses((status = 200, body = [CounterView]), (status = 400, body = ErrorBody)))]
pub async fn counters(
    State(state): State<AppState>,
    Query(q): Query<CountersQuery>,
) -> Result<Json<Vec<CounterView>>, ApiError> {
    if q.tenant.is_empty() || q.tenant.len() > 100 {
        return Err(ApiError::bad_request(
            "invalid_tenant",
            "自治体を指定してください。",
        ));
    }
    let store = state.store.clone();
    let list =
        blocking::<_, ApiError>(move || Ok(store.list_counters(&TenantId(q.tenant))?)).await?;
    Ok(Json(
        list.into_iter()
            .map(|c| CounterView {
                code: c.code,
                name: c.name,
            })
            .collect(),
    ))
}

/// End the current session.
#[utoipa::path(post, path = "/api/v1/auth/logout", security(("bearer" = [])),
    responses((status = 204), (status = 401, body = ErrorBody)))]
pub async fn logout(
    State(state): State<AppState>,
    session: Session,
) -> Result<StatusCode, ApiError> {
    let store = state.store.clone();
    blocking::<_, ApiError>(move || {
        store.delete_session(
            &session.token_hash,
            &audit::event_for(&session, "logout", None, "ok"),
        )?;
        Ok(())
    })
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The current session's user, counter and permissions there.
#[utoipa::path(get, path = "/api/v1/auth/me", security(("bearer" = [])),
    responses((status = 200, body = SessionUser), (status = 401, body = ErrorBody)))]
pub async fn me(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<SessionUser>, ApiError> {
    let store = state.store.clone();
    let tenant = session.record.tenant.clone();
    let counter = session.record.counter.clone();
    let (tenant_name, counter_name) = blocking::<_, ApiError>(move || {
        Ok((
            store.tenant_name(&tenant)?.unwrap_or_default(),
            store
                .find_counter(&tenant, &counter)?
                .map(|c| c.name)
                .unwrap_or_default(),
        ))
    })
    .await?;
    let permissions = codes(session.permissions());
    let r = session.record;
    Ok(Json(SessionUser {
        tenant: r.tenant.0,
        tenant_name,
        login: r.login,
        display_name: r.display_name,
        counter: r.counter,
        counter_name,
        permissions,
        must_change_password: r.must_change_password,
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
}

/// Change one's own password. Every session of the account ends (log in again with the new password).
#[utoipa::path(post, path = "/api/v1/auth/password", security(("bearer" = [])), request_body = PasswordChange,
    responses(
        (status = 204),
        (status = 401, body = ErrorBody),
        (status = 422, description = "the new password does not meet the policy", body = ErrorBody),
    ))]
pub async fn change_password(
    State(state): State<AppState>,
    session: Session,
    Json(req): Json<PasswordChange>,
) -> Result<StatusCode, ApiError> {
    if req.current_password.len() > 1024 {
        return Err(bad_login());
    }
    let store = state.store.clone();
    let backoff = state.login_backoff.clone();
    let account = (
        session.tenant().as_str().to_owned(),
        session.record.login.clone(),
    );
    let wrong_current = || {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "login_failed",
            "現在のパスワードが正しくないか、続けて間違えたため、しばらく変更できません。",
        )
    };
    // Failed changes count towards the account's back-off like failed logins (a stolen session must
    // not become a way to guess the password).
    if backoff
        .waiting(&account, std::time::Instant::now())
        .is_some()
    {
        return Err(wrong_current());
    }
    let _permit = password_permit(&state).await?;
    blocking(move || {
        let tenant = session.tenant().clone();
        let login = session.record.login.clone();
        let user = store
            .find_user(&tenant, &login)?
            .ok_or_else(ApiError::unauthorized)?;
        if !verify_password(&req.current_password, &user.password_hash) {
            store.record_login_failure(
                user.id,
                u32::MAX,
                &audit::event_for(&session, "password.change", None, "wrong_password"),
            )?;
            backoff.failed(account, std::time::Instant::now());
            return Err(wrong_current());
        }
        if req.new_password == req.current_password {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "password_policy",
                "新しいパスワードは現在のものと変えてください。",
            ));
        }
        madoguchi_core::password::check(&login, &req.new_password).map_err(|reason| {
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "password_policy", reason)
        })?;
        let hash = crate::auth::hash_password(&req.new_password).map_err(ApiError::internal)?;
        store.set_password(
            &tenant,
            &login,
            &hash,
            &audit::event_for(&session, "password.change", None, "ok"),
        )?;
        Ok(StatusCode::NO_CONTENT)
    })
    .await
}
