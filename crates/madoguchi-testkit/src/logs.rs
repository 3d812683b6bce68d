//! What the server logs during the tests: one JSON subscriber for the whole test process (a process has
//! one global subscriber), at every level, writing into a buffer that tests read.
//!
//! Every [`crate::app::TestApp`] installs it before its server is built, so everything servers log in
//! the process from then on is captured — across all the tests that share the process, whichever runs
//! first. A test that checks the logs (no personal data in them) therefore checks those of every
//! in-process server of its test binary, not only its own requests.

use std::sync::{Arc, Mutex, OnceLock};

/// The captured log lines (JSON, one per line), installing the subscriber on first use.
pub fn captured() -> Arc<Mutex<Vec<u8>>> {
    static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOGS.get_or_init(|| {
        let buf = Arc::new(Mutex::new(Vec::new()));
        let sink = buf.clone();
        let subscriber = tracing_subscriber::fmt()
            .json()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(move || LogWriter(sink.clone()))
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("subscriber");
        buf
    })
    .clone()
}

/// Everything captured so far, as text.
pub fn text() -> String {
    String::from_utf8(captured().lock().expect("logs").clone()).expect("utf-8 logs")
}

struct LogWriter(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for LogWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("log buffer").extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
