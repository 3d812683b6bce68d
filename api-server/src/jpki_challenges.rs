//! JPKI card authentications in flight: challenges handed out and not yet answered, verifications not yet
//! named by a case, and the tenants' parsed CRLs.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine;
use chrono::{DateTime, Utc};

use crate::jpki::{CrlSet, JpkiError};

/// How long a challenge may be answered.
pub(crate) const CHALLENGE_TTL: Duration = Duration::from_secs(120);
/// Challenges one session may hold unanswered at once.
pub(crate) const CHALLENGES_PER_SESSION: usize = 3;
/// How long a verification may be named by a case (the card was checked at this visit).
pub(crate) const VERIFICATION_TTL: Duration = Duration::from_secs(30 * 60);

/// A challenge handed out: the session it belongs to (token hash), the bytes, when.
pub(crate) type Pending = ([u8; 32], [u8; 32], Instant);

/// Challenges handed out and not yet answered, by id; verifications not yet named by a case; the
/// tenants' parsed CRLs (by the SHA-256 of the stored text, so a new list is parsed once).
/// A tenant's parsed CRLs with the SHA-256 of the stored text they were parsed from.
type CachedCrls = ([u8; 32], Arc<CrlSet>);

#[derive(Default)]
pub struct Challenges {
    pub(crate) pending: Mutex<HashMap<String, Pending>>,
    pub(crate) verifications: Mutex<HashMap<String, Verification>>,
    pub(crate) crls: Mutex<HashMap<String, CachedCrls>>,
}

/// A card authentication that verified: the session it belongs to, the certificate, when.
#[derive(Debug, Clone)]
pub struct Verification {
    pub session: [u8; 32],
    pub serial: String,
    pub at: Instant,
    pub verified_at: DateTime<Utc>,
    /// The case that named it.
    pub case: Option<String>,
}

impl Challenges {
    /// Claims the verification `id` of the session with token hash `session` for case `case_id`
    /// (within [`VERIFICATION_TTL`]); the same case may claim it again (a retried save), no other.
    pub fn claim_verification(
        &self,
        id: &str,
        session: &[u8; 32],
        case_id: &str,
    ) -> Option<Verification> {
        let mut map = self.verifications.lock().ok()?;
        map.retain(|_, v| v.at.elapsed() < VERIFICATION_TTL);
        let v = map.get_mut(id)?;
        if &v.session != session || v.case.as_deref().is_some_and(|c| c != case_id) {
            return None;
        }
        v.case = Some(case_id.to_owned());
        Some(v.clone())
    }

    /// The verification `id` of the session with token hash `session`, if still valid and not yet
    /// claimed (a look, not a claim: an issuance station shows the card holder's choices first).
    pub fn peek_verification(&self, id: &str, session: &[u8; 32]) -> Option<Verification> {
        let mut map = self.verifications.lock().ok()?;
        map.retain(|_, v| v.at.elapsed() < VERIFICATION_TTL);
        map.get(id)
            .filter(|v| &v.session == session && v.case.is_none())
            .cloned()
    }

    pub(crate) fn crls(
        &self,
        tenant: &str,
        text: &str,
        anchors: &[Vec<u8>],
    ) -> Result<Arc<CrlSet>, JpkiError> {
        let digest: [u8; 32] = ring::digest::digest(&ring::digest::SHA256, text.as_bytes())
            .as_ref()
            .try_into()
            .unwrap_or([0; 32]);
        if let Ok(cache) = self.crls.lock()
            && let Some((d, set)) = cache.get(tenant)
            && *d == digest
        {
            return Ok(set.clone());
        }
        let set = Arc::new(CrlSet::load(&decode_crls(text)?, anchors)?);
        if let Ok(mut cache) = self.crls.lock() {
            cache.insert(tenant.to_owned(), (digest, set.clone()));
        }
        Ok(set)
    }
}

impl std::fmt::Debug for Challenges {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Challenges")
    }
}

/// CRLs as stored: base64 DER, one per line.
pub(crate) fn decode_crls(text: &str) -> Result<Vec<Vec<u8>>, JpkiError> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            base64::engine::general_purpose::STANDARD
                .decode(l)
                .map_err(|_| JpkiError::BadCrl)
        })
        .collect()
}
