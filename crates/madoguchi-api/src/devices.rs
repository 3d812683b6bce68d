//! What a counter terminal reports of its devices (`PUT /api/v1/terminal/devices`): the printers,
//! the signal tower and the card reader its `terminal.toml` configures, their state, and the app's
//! version. The runtime sends it when it changed; the admin screens (発行端末の設定, 端末管理) show it.
//! No file paths and nothing personal: printer queue names and hosts only; a test double says so.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Longest text a report may hold in one field.
pub const MAX_FIELD_CHARS: usize = 200;

/// How a printer is reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PrinterKind {
    /// A CUPS queue or Windows printer, by name.
    System,
    /// ESC/POS over TCP (`host:port`).
    Tcp,
    /// A device file (USB, serial): its path is not reported.
    Device,
    /// The mock printer of the tests (a folder): a test double, never a real printer.
    Mock,
}

/// A configured printer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PrinterReport {
    pub kind: PrinterKind,
    /// The queue name (`system`) or `host:port` (`tcp`); absent for a device file or the mock.
    #[serde(default)]
    pub name: Option<String>,
}

/// How the signal tower (表示灯) is reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TowerKind {
    /// PATLITE PNS over TCP.
    Tcp,
    /// The mock tower of the tests (a folder): a test double.
    Mock,
}

/// A configured signal tower.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TowerReport {
    pub kind: TowerKind,
    /// `host:port` (`tcp`); absent for the mock.
    #[serde(default)]
    pub name: Option<String>,
}

/// The card reader's state: `no_reader | no_card | card_error | ready`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CardReaderState {
    NoReader,
    NoCard,
    CardError,
    Ready,
}

/// `PUT /api/v1/terminal/devices`: a terminal's devices as configured and as they are now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DeviceReport {
    /// The desktop app's version, e.g. `0.9.0`.
    pub app_version: String,
    /// 受付票プリンタ (ESC/POS).
    #[serde(default)]
    pub receipt_printer: Option<PrinterReport>,
    /// 帳票プリンタ (PDF).
    #[serde(default)]
    pub document_printer: Option<PrinterReport>,
    /// 表示灯.
    #[serde(default)]
    pub signal_tower: Option<TowerReport>,
    /// The card reader's name as configured (absent: the first reader found).
    #[serde(default)]
    pub card_reader: Option<String>,
    pub card_state: CardReaderState,
    /// The receipt printer said its paper is out when last asked (issuance stations ask every sync
    /// round; other terminals never ask, and report `false`).
    pub receipt_paper_out: bool,
}

impl DeviceReport {
    /// Every text within [`MAX_FIELD_CHARS`], or the field that is not.
    pub fn check(&self) -> Result<(), &'static str> {
        let long = |s: Option<&str>| s.is_some_and(|s| s.chars().count() > MAX_FIELD_CHARS);
        if long(Some(&self.app_version)) {
            return Err("app_version");
        }
        if long(
            self.receipt_printer
                .as_ref()
                .and_then(|p| p.name.as_deref()),
        ) {
            return Err("receipt_printer");
        }
        if long(
            self.document_printer
                .as_ref()
                .and_then(|p| p.name.as_deref()),
        ) {
            return Err("document_printer");
        }
        if long(self.signal_tower.as_ref().and_then(|t| t.name.as_deref())) {
            return Err("signal_tower");
        }
        if long(self.card_reader.as_deref()) {
            return Err("card_reader");
        }
        Ok(())
    }
}

/// A terminal's last report as the server keeps it, with the time the server received it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeviceStatus {
    pub reported_at: DateTime<Utc>,
    #[serde(flatten)]
    pub report: DeviceReport,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_status_reads_back_and_long_texts_are_refused() {
        let report = DeviceReport {
            app_version: "0.9.0".into(),
            receipt_printer: Some(PrinterReport {
                kind: PrinterKind::Mock,
                name: None,
            }),
            document_printer: Some(PrinterReport {
                kind: PrinterKind::System,
                name: Some("Backoffice-A4".into()),
            }),
            signal_tower: Some(TowerReport {
                kind: TowerKind::Tcp,
                name: Some("192.0.2.7:10000".into()),
            }),
            card_reader: None,
            card_state: CardReaderState::NoReader,
            receipt_paper_out: true,
        };
        assert_eq!(report.check(), Ok(()));
        let status = DeviceStatus {
            reported_at: DateTime::from_timestamp(1_800_000_000, 0).expect("time"),
            report: report.clone(),
        };
        let text = serde_json::to_string(&status).expect("json");
        assert!(text.contains(r#""receipt_paper_out":true"#), "{text}");
        assert_eq!(
            serde_json::from_str::<DeviceStatus>(&text).expect("reads"),
            status
        );
        let long = DeviceReport {
            card_reader: Some("x".repeat(MAX_FIELD_CHARS + 1)),
            ..report
        };
        assert_eq!(long.check(), Err("card_reader"));
    }
}
