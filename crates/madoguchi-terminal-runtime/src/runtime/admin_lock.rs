//! The kiosk administrator's unlock as plain data (Security II point 14): how long it lasts and how
//! wrong PINs back off. The kiosk's commands (`kiosk.rs`) check the PIN and keep one of these.

use std::time::{Duration, Instant};

use serde::Serialize;

/// How long the kiosk administrator's unlock lasts.
pub const ADMIN_UNLOCK_TTL: Duration = Duration::from_secs(120);
/// Wrong admin PINs in a row before each further try must wait.
pub const ADMIN_PIN_FREE_TRIES: u32 = 3;
/// The first wait; it doubles with every further wrong PIN, up to [`ADMIN_PIN_MAX_WAIT`].
pub const ADMIN_PIN_FIRST_WAIT: Duration = Duration::from_secs(30);
/// The longest wait between admin PIN tries.
pub const ADMIN_PIN_MAX_WAIT: Duration = Duration::from_secs(15 * 60);

/// The answer of `admin_unlock`. The unlock ends by itself 2 minutes after the right PIN
/// (`ADMIN_UNLOCK_TTL`; the window then goes back to full screen), or with `admin_lock`. After 3 wrong
/// PINs in a row each further try waits 30 s, doubling, at most 15 minutes, counted from the last
/// wrong PIN; the right PIN clears the count. While a wait lasts the PIN is not checked. The count is
/// kept in memory (a restart of the app clears it).
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AdminUnlock {
    /// The PIN was right: the kiosk may be left (`admin_exit`) for 2 minutes, or until `admin_lock`.
    pub unlocked: bool,
    /// Seconds until the next PIN is checked (0: at once; rounded up): after too many wrong PINs in a
    /// row.
    pub wait_seconds: u64,
}

/// The kiosk administrator's unlock (Security II point 14): it lasts [`ADMIN_UNLOCK_TTL`] from the
/// right PIN, or until `admin_lock`. After [`ADMIN_PIN_FREE_TRIES`] wrong PINs in a row each further
/// try waits from the last wrong one, [`ADMIN_PIN_FIRST_WAIT`] doubling up to [`ADMIN_PIN_MAX_WAIT`];
/// the right PIN clears the count. In memory: a restart of the app forgets it.
#[derive(Debug, Default)]
pub(super) struct AdminLock {
    unlocked_at: Option<Instant>,
    pub(super) failures: u32,
    last_failure: Option<Instant>,
}

impl AdminLock {
    pub(super) fn unlocked(&self, now: Instant) -> bool {
        self.unlocked_at
            .is_some_and(|at| now.saturating_duration_since(at) < ADMIN_UNLOCK_TTL)
    }

    /// How long the next try must still wait at `now`; `None` when the PIN may be checked.
    pub(super) fn waiting(&self, now: Instant) -> Option<Duration> {
        let until = self.last_failure? + admin_pin_wait(self.failures);
        (until > now).then(|| until - now)
    }

    pub(super) fn failed(&mut self, now: Instant) {
        self.unlocked_at = None;
        self.failures = self.failures.saturating_add(1);
        self.last_failure = Some(now);
    }

    pub(super) fn succeeded(&mut self, now: Instant) {
        self.unlocked_at = Some(now);
        self.failures = 0;
        self.last_failure = None;
    }

    pub(super) fn lock(&mut self) {
        self.unlocked_at = None;
    }
}

/// The wait after `failures` wrong admin PINs in a row.
fn admin_pin_wait(failures: u32) -> Duration {
    if failures < ADMIN_PIN_FREE_TRIES {
        return Duration::ZERO;
    }
    let doublings = (failures - ADMIN_PIN_FREE_TRIES).min(16);
    ADMIN_PIN_FIRST_WAIT
        .checked_mul(1 << doublings)
        .map_or(ADMIN_PIN_MAX_WAIT, |d| d.min(ADMIN_PIN_MAX_WAIT))
}

/// Whole seconds, rounded up (a wait of 0.2 s is still 1 s on the screen).
pub(super) fn whole_seconds(d: Duration) -> u64 {
    d.as_secs() + u64::from(d.subsec_nanos() > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECOND: Duration = Duration::from_secs(1);

    #[test]
    fn the_admin_pin_waits_double_after_three_wrong_ones_up_to_15_minutes() {
        let waits: Vec<u64> = (0..=10).map(|n| admin_pin_wait(n).as_secs()).collect();
        assert_eq!(waits, [0, 0, 0, 30, 60, 120, 240, 480, 900, 900, 900]);
        assert_eq!(admin_pin_wait(u32::MAX), ADMIN_PIN_MAX_WAIT, "no overflow");
        assert_eq!(whole_seconds(Duration::from_millis(29_001)), 30);
        assert_eq!(whole_seconds(Duration::from_secs(30)), 30);
    }

    #[test]
    fn the_back_off_counts_from_the_last_wrong_pin_and_the_right_one_clears_it() {
        let t0 = Instant::now();
        let mut a = AdminLock::default();
        a.failed(t0);
        a.failed(t0);
        assert_eq!(a.waiting(t0), None, "two wrong PINs: no wait");
        a.failed(t0 + SECOND);
        assert_eq!(a.waiting(t0 + SECOND), Some(30 * SECOND));
        assert_eq!(a.waiting(t0 + 11 * SECOND), Some(20 * SECOND));
        assert_eq!(a.waiting(t0 + 31 * SECOND), None, "the wait ended");
        a.failed(t0 + 31 * SECOND);
        assert_eq!(a.waiting(t0 + 31 * SECOND), Some(60 * SECOND), "doubled");
        a.succeeded(t0 + 100 * SECOND);
        assert_eq!(a.waiting(t0 + 100 * SECOND), None);
        a.failed(t0 + 101 * SECOND);
        assert_eq!(a.waiting(t0 + 101 * SECOND), None, "counted afresh");
    }

    #[test]
    fn the_unlock_ends_after_two_minutes_or_when_locked() {
        let t0 = Instant::now();
        let mut a = AdminLock::default();
        assert!(!a.unlocked(t0));
        a.succeeded(t0);
        assert!(a.unlocked(t0));
        assert!(a.unlocked(t0 + ADMIN_UNLOCK_TTL - SECOND));
        assert!(!a.unlocked(t0 + ADMIN_UNLOCK_TTL), "expired by itself");
        a.succeeded(t0 + 200 * SECOND);
        a.lock();
        assert!(!a.unlocked(t0 + 201 * SECOND), "locked");
        a.succeeded(t0 + 300 * SECOND);
        a.failed(t0 + 301 * SECOND);
        assert!(!a.unlocked(t0 + 301 * SECOND), "a wrong PIN locks");
    }
}
