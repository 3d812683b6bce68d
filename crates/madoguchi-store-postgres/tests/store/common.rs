//! One throwaway cluster for the test binary, shared by its tests and stopped when the last one using it
//! ends (a test that starts later starts another).

use std::sync::{Arc, Mutex, Weak};

use madoguchi_testkit::throwaway::Cluster;

static SHARED: Mutex<Weak<Cluster>> = Mutex::new(Weak::new());

/// The binary's cluster, started on first use. Fails (never skips) when PostgreSQL is missing.
pub fn cluster() -> Arc<Cluster> {
    let mut shared = SHARED.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(c) = shared.upgrade() {
        return c;
    }
    let c = Arc::new(Cluster::start().unwrap_or_else(|e| panic!("{e}")));
    *shared = Arc::downgrade(&c);
    c
}
