//! Temporary back-off of an account after failed logins (Security II point 11).
//!
//! A stranger who knows a login name must not be able to lock its owner out for good, so repeated
//! failures make the account wait instead: after `free` failures in a row, each further attempt must
//! wait `base · 2^(failures − free)`, at most `max`, from the last failure; a success clears it.
//! Unknown logins back off exactly like real ones, and a waiting account is answered with the same 401
//! as a wrong password, before any password is checked. Failed password changes count as well.
//! In memory per server process (a restart forgets it); the count of failures is also kept in the
//! store for administrators, and the per-address and per-account attempt limits still apply.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Debug)]
pub struct LoginBackoff {
    free: u32,
    base: Duration,
    max: Duration,
    failures: Mutex<HashMap<(String, String), (u32, Instant)>>,
}

impl LoginBackoff {
    pub fn new(free: u32, base: Duration, max: Duration) -> Self {
        LoginBackoff {
            free,
            base,
            max,
            failures: Mutex::new(HashMap::new()),
        }
    }

    fn delay(&self, failures: u32) -> Duration {
        if failures < self.free {
            return Duration::ZERO;
        }
        let doublings = (failures - self.free).min(16);
        self.base
            .checked_mul(1 << doublings)
            .map_or(self.max, |d| d.min(self.max))
    }

    /// How long the account (tenant, login) must still wait at `now`; `None` when it may try.
    pub fn waiting(&self, key: &(String, String), now: Instant) -> Option<Duration> {
        let failures = self.failures.lock().ok()?;
        let (n, last) = failures.get(key)?;
        let until = *last + self.delay(*n);
        (until > now).then(|| until - now)
    }

    /// Records a failure at `now`.
    pub fn failed(&self, key: (String, String), now: Instant) {
        let Ok(mut failures) = self.failures.lock() else {
            return;
        };
        // Forget accounts whose back-off ended long ago, so the map stays small.
        if failures.len() > 10_000 {
            let max = self.max;
            failures.retain(|_, (_, last)| now.duration_since(*last) < max * 4);
        }
        let e = failures.entry(key).or_insert((0, now));
        e.0 = e.0.saturating_add(1);
        e.1 = now;
    }

    /// A successful login clears the account's failures.
    pub fn succeeded(&self, key: &(String, String)) {
        if let Ok(mut failures) = self.failures.lock() {
            failures.remove(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_after_the_free_failures_and_end() {
        let b = LoginBackoff::new(3, Duration::from_secs(30), Duration::from_secs(600));
        let key = ("t".to_owned(), "staff".to_owned());
        let t0 = Instant::now();
        for i in 0..2 {
            b.failed(key.clone(), t0);
            assert_eq!(b.waiting(&key, t0), None, "failure {}", i + 1);
        }
        b.failed(key.clone(), t0);
        assert_eq!(b.waiting(&key, t0), Some(Duration::from_secs(30)));
        assert_eq!(
            b.waiting(&key, t0 + Duration::from_secs(30)),
            None,
            "temporary"
        );
        b.failed(key.clone(), t0 + Duration::from_secs(30));
        assert_eq!(
            b.waiting(&key, t0 + Duration::from_secs(30)),
            Some(Duration::from_secs(60))
        );
        for _ in 0..20 {
            b.failed(key.clone(), t0);
        }
        assert_eq!(
            b.waiting(&key, t0),
            Some(Duration::from_secs(600)),
            "capped"
        );
        b.succeeded(&key);
        assert_eq!(b.waiting(&key, t0), None);
    }
}
