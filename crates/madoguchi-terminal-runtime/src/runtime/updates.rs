//! The signed update check (`crate::update`) as the terminal runs it: on demand and from the sync
//! worker, its outcome kept for the status.

use super::state::{Terminal, UpdateState, lock, now_ms};
use crate::update::{self, CheckError, UpdateOffer};

impl Terminal {
    /// Asks the server for a newer signed version now (`update::check`), keeps the result for the
    /// status and announces it. An offer or nothing published replaces what was known; a refused file
    /// removes the offer and says why; a server that does not answer changes nothing (tried again
    /// sooner). Without `update_public_key` nothing is asked.
    pub fn check_update(&self) -> Result<Option<UpdateOffer>, CheckError> {
        let result = match (self.config.update_key(), update::platform()) {
            (None, _) => Err(CheckError::Off("no update_public_key configured")),
            (_, None) => Err(CheckError::Off("no update platform for this build")),
            (Some(key), Some(platform)) => {
                update::check(&self.client, &key, platform, update::current_version())
            }
        };
        let now = now_ms();
        remember(&mut lock(&self.update), &result, now);
        self.announce();
        result
    }

    /// The worker's update check: at its first round, then every few hours.
    pub(super) fn check_update_if_due(&self) {
        if now_ms() >= lock(&self.update).next_check_ms {
            // The outcome is kept for the status and logged.
            let _ = self.check_update();
        }
    }
}

/// Keeps the outcome of a check made at `now` and when to check next.
fn remember(u: &mut UpdateState, result: &Result<Option<UpdateOffer>, CheckError>, now: i64) {
    match result {
        Ok(offer) => {
            if let Some(o) = offer.as_ref().filter(|o| u.offer.as_ref() != Some(*o)) {
                tracing::info!(version = %o.version, "signed update offered");
            }
            u.offer = offer.clone();
            u.refused = None;
            u.next_check_ms = now + update::CHECK_INTERVAL_MS;
        }
        Err(CheckError::Refused(r)) => {
            tracing::warn!(kind = ?r.kind, reason = %r.reason, "update refused");
            u.offer = None;
            u.refused = Some(r.message_ja.clone());
            u.next_check_ms = now + update::CHECK_INTERVAL_MS;
        }
        Err(CheckError::Server(e)) => {
            tracing::info!(error = %e, "update check failed at the server; trying again later");
            u.next_check_ms = now + update::RETRY_INTERVAL_MS;
        }
        Err(CheckError::Off(why)) => {
            tracing::info!(why, "update checks are off");
            u.next_check_ms = i64::MAX;
        }
    }
}
