//! The terminal tells the server what devices it has (`PUT /api/v1/terminal/devices`, the API's
//! [`DeviceReport`]): the printers, the signal tower and the card reader its configuration names, the
//! receipt paper and the reader's state, and the app's version. Sent after a sync round when it
//! changed since the last report the server took (and once after start), with the session the
//! terminal holds; a staff terminal nobody is logged in on reports at its next login. No file paths:
//! a device file or a mock folder (test double) is reported by its kind only.

use madoguchi_api::{
    CardReaderState, DeviceReport, PrinterKind, PrinterReport, TowerKind, TowerReport,
};
use madoguchi_mynumber::DeviceState;

use super::state::{Terminal, lock};
use crate::printer::Target;
use crate::signal_tower::Tower;

/// The route the report goes to.
pub const DEVICES_PATH: &str = "/api/v1/terminal/devices";

fn printer(target: Target) -> PrinterReport {
    let (kind, name) = match target {
        Target::System(n) => (PrinterKind::System, Some(n)),
        Target::Tcp(a) => (PrinterKind::Tcp, Some(a)),
        Target::Device(_) => (PrinterKind::Device, None),
        Target::Mock(_) => (PrinterKind::Mock, None),
    };
    PrinterReport { kind, name }
}

fn tower(tower: Tower) -> TowerReport {
    match tower {
        Tower::Tcp(a) => TowerReport {
            kind: TowerKind::Tcp,
            name: Some(a),
        },
        Tower::Mock(_) => TowerReport {
            kind: TowerKind::Mock,
            name: None,
        },
    }
}

fn card_state(state: DeviceState) -> CardReaderState {
    match state {
        DeviceState::NoReader => CardReaderState::NoReader,
        DeviceState::NoCard => CardReaderState::NoCard,
        DeviceState::CardError => CardReaderState::CardError,
        DeviceState::Ready => CardReaderState::Ready,
    }
}

impl Terminal {
    /// The devices as configured and as last seen (the reader's cached state; read once if never).
    pub fn device_report(&self) -> DeviceReport {
        let c = &self.config;
        let reader = lock(&self.card_state).clone();
        let reader = reader.unwrap_or_else(|| self.card_status());
        DeviceReport {
            app_version: crate::update::current_version().to_owned(),
            receipt_printer: c
                .receipt_printer
                .as_deref()
                .map(|p| printer(Target::parse(p, true))),
            document_printer: c
                .printer
                .as_deref()
                .map(|p| printer(Target::parse(p, false))),
            signal_tower: c.signal_tower.as_deref().and_then(Tower::parse).map(tower),
            card_reader: c.card_reader.clone(),
            card_state: card_state(reader.state),
            receipt_paper_out: lock(&self.flags).receipt_paper_out,
        }
    }

    /// Sends the device report if it differs from the last one the server took; `true` when it was
    /// sent and taken. Without a session nothing is sent (tried again next round); a refusal other
    /// than a lost session (a terminal nobody enrolled) is logged and not repeated until the devices
    /// change.
    pub fn report_devices(&self) -> bool {
        let report = self.device_report();
        if lock(&self.reported_devices).as_ref() == Some(&report) || self.token().is_none() {
            return false;
        }
        let Ok(body) = serde_json::to_value(&report) else {
            return false;
        };
        match self.send_api("PUT", DEVICES_PATH, Some(&body)) {
            Ok(a) if a.status == 401 => false,
            Ok(a) if (200..300).contains(&a.status) => {
                tracing::info!("device report taken by the server");
                *lock(&self.reported_devices) = Some(report);
                true
            }
            Ok(a) if (400..500).contains(&a.status) => {
                tracing::warn!(status = a.status, "device report refused");
                *lock(&self.reported_devices) = Some(report);
                false
            }
            Ok(a) => {
                tracing::warn!(status = a.status, "device report failed");
                false
            }
            Err(e) => {
                tracing::debug!(code = %e.code, "device report not sent");
                false
            }
        }
    }
}
