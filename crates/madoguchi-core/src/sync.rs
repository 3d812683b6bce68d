//! Terminal ↔ server sync, the pure part: from what the terminal holds (its outbox, its cached reference
//! versions) and what it knows of the server (the manifest, whether it answered), decide what to do next.
//! The executor in `madoguchi-terminal` carries the plan out and feeds the results back; nothing here
//! does I/O or reads a clock (`now_ms` is passed in).
//!
//! Rules:
//! - Uploads go in outbox order (oldest first), in batches, only for entries whose retry time has come
//!   and whose author holds the current session (a save is sent with the credentials of the person who
//!   made it; another person's saves wait for their login).
//! - Reference data is downloaded for every kind whose server version differs from the cached one;
//!   kinds the server no longer offers are dropped.
//! - After a failure the next attempt waits `backoff_ms(attempts)`: 1 s doubling to 5 min, with jitter.

use std::collections::BTreeMap;

/// One outbox entry waiting for the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    /// Position in the outbox (insertion order).
    pub seq: i64,
    /// Login of the staff member or kiosk account that made the save.
    pub author: String,
    /// Failed attempts so far.
    pub attempts: u32,
    /// Not before this time (ms since the epoch).
    pub next_attempt_ms: i64,
}

/// What the planner looks at.
#[derive(Debug, Clone, Default)]
pub struct SyncInput {
    pub now_ms: i64,
    /// Login of the session the terminal holds, if any.
    pub session: Option<String>,
    /// Pending outbox entries, any order.
    pub pending: Vec<Pending>,
    /// Versions of the reference data in the local cache, by kind.
    pub cached: BTreeMap<String, String>,
    /// The server's manifest (kind → version), when it was fetched in this round.
    pub manifest: Option<BTreeMap<String, String>>,
    /// Most entries per upload request.
    pub batch: usize,
}

/// One step of a plan, in the order to carry them out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Send these outbox entries (by `seq`) in one request.
    Upload(Vec<i64>),
    /// Ask the server for its manifest, then plan again.
    FetchManifest,
    /// Download every page of a kind and replace the cache in one transaction.
    Download(String),
    /// Remove a kind the server no longer offers to this terminal.
    Drop(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Plan {
    pub steps: Vec<Step>,
    /// When to plan again if nothing else happens (ms since the epoch): the earliest retry of an entry
    /// that is waiting for its backoff; `None` when nothing waits.
    pub wake_at_ms: Option<i64>,
    /// Entries that wait for their author to log in.
    pub waiting_for_login: usize,
}

/// The plan for one round.
pub fn plan(input: &SyncInput) -> Plan {
    let mut plan = Plan::default();
    let batch = input.batch.max(1);
    let mut due: Vec<&Pending> = Vec::new();
    for p in &input.pending {
        if input.session.as_deref() != Some(p.author.as_str()) {
            plan.waiting_for_login += 1;
        } else if p.next_attempt_ms <= input.now_ms {
            due.push(p);
        } else {
            plan.wake_at_ms = Some(
                plan.wake_at_ms
                    .map_or(p.next_attempt_ms, |w| w.min(p.next_attempt_ms)),
            );
        }
    }
    due.sort_by_key(|p| p.seq);
    for chunk in due.chunks(batch) {
        plan.steps
            .push(Step::Upload(chunk.iter().map(|p| p.seq).collect()));
    }
    if input.session.is_some() {
        match &input.manifest {
            None => plan.steps.push(Step::FetchManifest),
            Some(server) => {
                for (kind, version) in server {
                    if input.cached.get(kind) != Some(version) {
                        plan.steps.push(Step::Download(kind.clone()));
                    }
                }
                for kind in input.cached.keys() {
                    if !server.contains_key(kind) {
                        plan.steps.push(Step::Drop(kind.clone()));
                    }
                }
            }
        }
    }
    plan
}

/// First and longest wait between attempts.
pub const BACKOFF_FIRST_MS: i64 = 1_000;
pub const BACKOFF_MAX_MS: i64 = 300_000;

/// The wait after the `attempts`-th failure: 1 s, 2 s, 4 s … capped at 5 min, each shortened by up to a
/// quarter by `jitter` (any number: the caller passes randomness so that terminals that lost the server
/// together do not come back together).
pub fn backoff_ms(attempts: u32, jitter: u64) -> i64 {
    let exp = attempts.saturating_sub(1).min(20);
    let base = BACKOFF_FIRST_MS
        .saturating_mul(1_i64 << exp)
        .min(BACKOFF_MAX_MS);
    let quarter = (base / 4).max(1);
    base - (jitter % (quarter as u64)) as i64
}

/// What the server said about one uploaded entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadOutcome {
    /// Applied now or before: the entry leaves the outbox.
    Applied,
    /// The case changed on the server since the entry's revision: kept for staff to resolve.
    Conflict,
    /// The server refuses the content: kept for staff, never retried as is.
    Rejected,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pending(seq: i64, author: &str, next: i64) -> Pending {
        Pending {
            seq,
            author: author.into(),
            attempts: 0,
            next_attempt_ms: next,
        }
    }

    fn versions(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).into(), (*v).into()))
            .collect()
    }

    #[test]
    fn due_entries_of_the_session_upload_in_order_in_batches() {
        let input = SyncInput {
            now_ms: 1_000,
            session: Some("kiosk-01".into()),
            pending: vec![
                pending(5, "kiosk-01", 0),
                pending(2, "kiosk-01", 1_000),
                pending(9, "kiosk-01", 0),
                pending(7, "kiosk-01", 0),
            ],
            manifest: Some(BTreeMap::new()),
            batch: 3,
            ..SyncInput::default()
        };
        let plan = plan(&input);
        assert_eq!(
            plan.steps,
            vec![Step::Upload(vec![2, 5, 7]), Step::Upload(vec![9])]
        );
        assert_eq!(plan.wake_at_ms, None);
    }

    #[test]
    fn entries_in_backoff_wait_and_set_the_wake_time() {
        let input = SyncInput {
            now_ms: 1_000,
            session: Some("a".into()),
            pending: vec![
                pending(1, "a", 9_000),
                pending(2, "a", 4_000),
                pending(3, "a", 500),
            ],
            manifest: Some(BTreeMap::new()),
            batch: 10,
            ..SyncInput::default()
        };
        let plan = plan(&input);
        assert_eq!(plan.steps, vec![Step::Upload(vec![3])]);
        assert_eq!(plan.wake_at_ms, Some(4_000));
    }

    #[test]
    fn another_persons_saves_wait_for_their_login() {
        let mut input = SyncInput {
            now_ms: 0,
            session: Some("sato".into()),
            pending: vec![pending(1, "tanaka", 0), pending(2, "sato", 0)],
            manifest: Some(BTreeMap::new()),
            batch: 10,
            ..SyncInput::default()
        };
        let p = plan(&input);
        assert_eq!(p.steps, vec![Step::Upload(vec![2])]);
        assert_eq!(p.waiting_for_login, 1);
        // Nobody logged in: nothing is sent and nothing is downloaded.
        input.session = None;
        let p = plan(&input);
        assert!(p.steps.is_empty());
        assert_eq!(p.waiting_for_login, 2);
    }

    #[test]
    fn reference_kinds_download_when_their_version_differs() {
        let mut input = SyncInput {
            now_ms: 0,
            session: Some("a".into()),
            cached: versions(&[("towns", "v1"), ("fees", "f1"), ("old", "x")]),
            batch: 10,
            ..SyncInput::default()
        };
        // Without a manifest the first step is to fetch it.
        assert_eq!(plan(&input).steps, vec![Step::FetchManifest]);
        input.manifest = Some(versions(&[
            ("towns", "v2"),
            ("fees", "f1"),
            ("procedures", "p1"),
        ]));
        assert_eq!(
            plan(&input).steps,
            vec![
                Step::Download("procedures".into()),
                Step::Download("towns".into()),
                Step::Drop("old".into()),
            ]
        );
        // Everything current: nothing to do.
        input.cached = input.manifest.clone().unwrap_or_default();
        assert!(plan(&input).steps.is_empty());
    }

    #[test]
    fn backoff_doubles_to_a_cap_and_jitter_only_shortens_it() {
        assert_eq!(backoff_ms(1, 0), 1_000);
        assert_eq!(backoff_ms(2, 0), 2_000);
        assert_eq!(backoff_ms(4, 0), 8_000);
        assert_eq!(backoff_ms(30, 0), BACKOFF_MAX_MS);
        assert_eq!(backoff_ms(0, 0), 1_000);
        for jitter in [1, 77, 249, 250, 999_999] {
            let b = backoff_ms(3, jitter);
            assert!((3_000..=4_000).contains(&b), "{b}");
        }
        assert_ne!(backoff_ms(3, 1), backoff_ms(3, 2));
    }
}
