//! The PostgreSQL store's integration tests in one test binary, on throwaway clusters
//! (`madoguchi_testkit::throwaway`): the tests share one cluster (`common`), a fresh database each,
//! instead of one cluster per file; `tls` starts its own clusters with and without TLS.
//!
//! * `audit`: tampering in the database found, concurrent appends serialized into one chain.
//! * `conformance`: the conformance suite every backend passes, and the store used as the server does.
//! * `import`: imports larger than one write batch.
//! * `migrations`: append-only migrations run by the owner role; what the application role may do.
//! * `rls`: row-level security probed with raw SQL as the application role.
//! * `tls`: connections that verify the server's certificate (Security II point 10).

mod audit;
mod common;
mod conformance;
mod import;
mod migrations;
mod rls;
mod tls;
