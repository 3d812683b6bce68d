//! Sync rounds: one now (after a save, the staff's 「今すぐ送信」) and the worker thread that runs them
//! until shutdown, sleeping until the next retry, the sync interval or a kick.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use super::state::{Terminal, lock, now_ms};
use crate::sync::{self, SyncReport};

impl Terminal {
    /// One sync round now (uploads due, reference data changed), then the device report if the
    /// devices changed. Never fails: problems are logged and retried later.
    pub fn sync_once(&self) -> SyncReport {
        let report = {
            // One round at a time (the worker's and the one a save starts).
            let _round = lock(&self.sync_lock);
            let report = sync::round(self);
            if !report.offline {
                self.report_devices();
            }
            report
        };
        self.announce();
        report
    }

    /// Every waiting entry due now, then a round (the staff's 「今すぐ送信」, and a server that is back).
    pub fn sync_now(&self) -> SyncReport {
        if let Err(e) = lock(&self.store).make_due() {
            tracing::warn!(error = %e, "outbox could not be made due");
        }
        self.sync_once()
    }

    /// Wakes the sync worker.
    pub fn kick(&self) {
        let (m, c) = &self.wake;
        *lock(m) = true;
        c.notify_all();
    }

    /// Runs sync rounds until [`Terminal::shutdown`]: after every round it sleeps until the next entry's
    /// retry time, the sync interval, or a kick, whichever comes first.
    pub fn spawn_sync_worker(self: &Arc<Self>) -> std::thread::JoinHandle<()> {
        let me = Arc::clone(self);
        std::thread::Builder::new()
            .name("madoguchi-sync".into())
            .spawn(move || {
                while !me.stop.load(Ordering::SeqCst) {
                    me.check_receipt_paper();
                    let report = me.sync_once();
                    if !report.offline {
                        me.check_update_if_due();
                    }
                    me.sleep_until_due(&report);
                }
            })
            .unwrap_or_else(|e| panic!("cannot start the sync thread: {e}"))
    }

    /// The worker's sleep after a round: until the next entry's retry, the sync interval or a kick.
    fn sleep_until_due(&self, report: &SyncReport) {
        let interval = i64::from(self.config.sync_interval_seconds) * 1000;
        let wait = report
            .wake_at_ms
            .map_or(interval, |w| (w - now_ms()).clamp(50, interval));
        let (m, c) = &self.wake;
        let mut woken = lock(m);
        if !*woken {
            woken = c
                .wait_timeout(woken, Duration::from_millis(wait as u64))
                .map(|(g, _)| g)
                .unwrap_or_else(|e| e.into_inner().0);
        }
        *woken = false;
    }

    pub fn shutdown(&self) {
        self.stop.store(true, Ordering::SeqCst);
        self.kick();
    }
}
