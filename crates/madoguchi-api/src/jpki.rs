//! JPKI user authentication: the server's challenge, the card's answer, the verification.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChallengeView {
    pub challenge_id: String,
    /// 32 random bytes, base64: the card signs SHA-256 of them (DigestInfo, `80 2A 00 80`).
    pub challenge: String,
    pub expires_in_seconds: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CardAnswer {
    pub challenge_id: String,
    /// The card's 利用者証明用電子証明書, DER, base64.
    pub certificate: String,
    /// The card's signature over the challenge, base64.
    pub signature: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VerifiedView {
    /// Names this verification in the case (`visitor.jpki_verification`) within 30 minutes, once: the
    /// server then records the check in the case itself.
    pub verification_id: String,
    /// Serial number of the certificate (hex), for the audit trail and a later status re-check.
    pub serial: String,
    pub issuer: String,
    pub not_after: DateTime<Utc>,
}
