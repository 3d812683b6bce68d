//! Device watchers of a terminal: card reader changes (PC/SC monitor) announce a new status; a serial QR
//! scanner's lines are handed to a callback (the app turns them into a `qr-scanned` event for the
//! staff screen, which resolves them through the server).

use std::sync::Arc;
use std::time::Duration;

use madoguchi_card_pcsc::Monitor;
use madoguchi_qr::scanner::{Scan, SerialScanner};

use crate::runtime::Terminal;

/// Watches the card readers; every change reads the reader's state again and announces the terminal's status. Stops when the returned
/// monitor is dropped.
pub fn watch_cards(t: &Arc<Terminal>) -> Monitor {
    let (monitor, events) = Monitor::start(Duration::from_millis(500));
    let t = Arc::clone(t);
    std::thread::Builder::new()
        .name("madoguchi-card-events".into())
        .spawn(move || {
            for event in events {
                tracing::debug!(?event, "card reader event");
                t.card_changed();
            }
        })
        .map_err(|e| tracing::error!(error = %e, "cannot watch the card readers"))
        .ok();
    monitor
}

/// Reads the configured serial QR scanner, reopening it when it goes away (unplugged), and calls
/// `on_scan` with every line. Returns at once when no scanner is configured.
pub fn watch_qr_scanner(t: &Arc<Terminal>, on_scan: impl Fn(String) + Send + 'static) {
    let Some(path) = t.config().qr_scanner.clone() else {
        return;
    };
    std::thread::Builder::new()
        .name("madoguchi-qr-scanner".into())
        .spawn(move || {
            loop {
                match std::fs::File::open(&path) {
                    Ok(file) => {
                        for scan in SerialScanner::new(file) {
                            match scan {
                                Ok(Scan::Line(line)) => on_scan(line),
                                Ok(Scan::Rejected) => tracing::warn!("QR scan rejected"),
                                Err(e) => {
                                    tracing::warn!(error = %e, "QR scanner read failed");
                                    break;
                                }
                            }
                        }
                    }
                    Err(e) => tracing::debug!(error = %e, "QR scanner not available"),
                }
                std::thread::sleep(Duration::from_secs(2));
            }
        })
        .map_err(|e| tracing::error!(error = %e, "cannot read the QR scanner"))
        .ok();
}
