//! The terminal's info and status for the webview, the listeners told of every change, and the
//! reachability of the server as the last request saw it.

use super::report::{TerminalInfo, TerminalStatus};
use super::state::{Terminal, lock};
use crate::printer::Target;

impl Terminal {
    pub fn info(&self) -> TerminalInfo {
        let c = &self.config;
        TerminalInfo {
            role: c.role,
            terminal_id: c.terminal_id.clone(),
            tenant: c.tenant.clone(),
            counter: c.counter.clone(),
            idle_reset_seconds: c.idle_reset_seconds,
            languages: c.languages.clone(),
            document_printer: c
                .printer
                .as_deref()
                .map(|p| Target::parse(p, false).label()),
            receipt_printer: c
                .receipt_printer
                .as_deref()
                .map(|p| Target::parse(p, true).label()),
            signal_tower: c
                .signal_tower
                .as_deref()
                .and_then(crate::signal_tower::Tower::parse)
                .map(|t| t.label()),
            enrollment_code: self.device_key.enrollment_code(),
        }
    }

    pub fn status(&self) -> TerminalStatus {
        let cached = lock(&self.card_state).clone();
        let card = cached.unwrap_or_else(|| self.card_status());
        let counts = lock(&self.store).counts().unwrap_or_default();
        let (update, update_refused) = {
            let u = lock(&self.update);
            (u.offer.clone(), u.refused.clone())
        };
        let flags = lock(&self.flags);
        TerminalStatus {
            online: flags.online,
            logged_in: lock(&self.session).is_some(),
            outbox_pending: counts.pending,
            outbox_attention: counts.attention,
            last_sync_at: flags
                .last_sync_ms
                .and_then(|ms| chrono::DateTime::from_timestamp_millis(ms).map(|t| t.to_rfc3339())),
            card,
            update,
            update_refused,
            receipt_paper_out: flags.receipt_paper_out,
        }
    }

    /// Calls `listener` whenever the status changes (online, outbox, card).
    pub fn on_status(&self, listener: impl Fn(&TerminalStatus) + Send + Sync + 'static) {
        lock(&self.listeners).push(Box::new(listener));
    }

    /// Announces the status if it changed since the last announcement.
    pub fn announce(&self) {
        let now = self.status();
        let mut last = lock(&self.last_status);
        if last.as_ref() != Some(&now) {
            *last = Some(now.clone());
            drop(last);
            for l in lock(&self.listeners).iter() {
                l(&now);
            }
        }
    }

    pub(super) fn set_online(&self, online: bool) {
        let mut f = lock(&self.flags);
        let was = f.online;
        f.online = online;
        drop(f);
        if online && !was {
            // The server is back: everything waiting in the outbox may go now.
            if let Err(e) = lock(&self.store).make_due() {
                tracing::warn!(error = %e, "outbox could not be made due");
            }
            self.kick();
        }
        if online != was {
            // The worker's next round (now) announces the new status.
            tracing::info!(online, "server reachability changed");
            self.kick();
        }
    }

    pub(super) fn synced(&self, now: i64) {
        lock(&self.flags).last_sync_ms = Some(now);
    }
}
