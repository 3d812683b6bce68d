//! What the benchmark binary and its examples share: the fixtures, the report format, the in-process
//! HTTP helpers and the statistics benchmark (whose PostgreSQL half is the example `statistics_pg`, as
//! it needs the test kit's throwaway cluster, a dev-dependency).

pub mod bench_store;
pub mod fixture;
pub mod http;
pub mod report;
pub mod statistics;
