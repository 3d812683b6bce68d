//! An issuance station keeps its receipt printer's paper in its status: the start screen says the
//! paper is out before a resident chooses anything (the mock printer, a TEST DOUBLE, reads a
//! `paper-out` marker file).

use std::sync::{Arc, Mutex};

use madoguchi_terminal_runtime::config::TerminalConfig;
use madoguchi_terminal_runtime::{Terminal, TerminalStatus};

#[test]
fn the_station_announces_when_its_receipt_paper_runs_out_and_is_refilled() {
    let dir = tempfile::tempdir().expect("dir");
    let receipts = dir.path().join("receipts");
    std::fs::create_dir_all(&receipts).expect("receipts");
    let text = format!(
        r#"
server_url = "http://127.0.0.1:9"
tenant = "demo"
terminal_id = "station-paper-1"
role = "issuance"
counter = "station"
receipt_printer = "mock:{receipts}"
data_dir = "{data}"
kiosk_account = {{ login = "station-01", password = "sakurano-station-terminal" }}
"#,
        receipts = receipts.display(),
        data = dir.path().join("data").display(),
    );
    let t = Terminal::open(TerminalConfig::parse(&text).expect("config")).expect("terminal");
    let seen: Arc<Mutex<Vec<bool>>> = Arc::default();
    let log = Arc::clone(&seen);
    t.on_status(move |s: &TerminalStatus| log.lock().expect("log").push(s.receipt_paper_out));

    assert!(!t.check_receipt_paper());
    assert!(!t.status().receipt_paper_out);
    std::fs::write(receipts.join("paper-out"), b"").expect("marker");
    assert!(t.check_receipt_paper());
    assert!(t.status().receipt_paper_out);
    assert!(t.check_receipt_paper(), "asked again: still out");
    std::fs::remove_file(receipts.join("paper-out")).expect("refilled");
    assert!(!t.check_receipt_paper());
    assert_eq!(
        *seen.lock().expect("log"),
        [true, false],
        "announced when it changed, only then"
    );
}
