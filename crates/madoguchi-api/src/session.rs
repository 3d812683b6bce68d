//! Logging in: what a browser or a terminal sends, and the session it gets.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    /// Tenant (municipality) id, e.g. `demo`.
    pub tenant: String,
    pub user: String,
    pub password: String,
    /// Code of the counter (窓口) the staff member works at (see `/api/v1/auth/counters`).
    pub counter: String,
    /// An enrolled terminal's signature over this login (added by the desktop app's runtime); without
    /// it the login comes from a browser, which only counters allowing browsers accept. The session's
    /// terminal id (recorded with every audit record) comes from the verified proof, never from the
    /// request otherwise.
    #[serde(default)]
    pub device: Option<DeviceProof>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginResponse {
    /// Bearer token for `Authorization: Bearer …`.
    pub token: String,
    pub expires_at: DateTime<Utc>,
    pub user: SessionUser,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionUser {
    pub tenant: String,
    pub tenant_name: String,
    pub login: String,
    pub display_name: String,
    /// Code of the counter (窓口) of this session.
    pub counter: String,
    pub counter_name: String,
    /// Permission codes the user has at this counter (groups ∩ counter).
    pub permissions: Vec<String>,
    /// The password was set by an administrator (reset, initial password): until the user chooses
    /// their own, every route but the session's own (me, password change, logout) answers 403
    /// `password_change_required`.
    #[serde(default)]
    pub must_change_password: bool,
}

/// A terminal's signature over a login (added by the desktop app's runtime, never by the webview).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeviceProof {
    /// The terminal's id (`terminal_id` of its configuration).
    pub terminal: String,
    /// When the terminal signed, RFC 3339; within two minutes of the server's clock.
    pub signed_at: String,
    /// Base64 of the Ed25519 signature over [`login_message`].
    pub signature: String,
}
