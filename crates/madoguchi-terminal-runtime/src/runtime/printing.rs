//! The terminal's printers as configured: the document printer for the server's PDFs and the receipt
//! printer (ESC/POS); and the signal tower beside them.

use serde::Serialize;

use super::error::{CommandError, CommandResult};
use super::state::Terminal;
use crate::printer::{self, PrintError, Target};
use crate::signal_tower::{Signal, Tower, TowerError};

/// What `print_pdf` answers: the printer the PDF went to.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Printed {
    pub printer: String,
}

/// What `signal_tower` answers: the tower the signal went to.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Signalled {
    pub tower: String,
}

impl Terminal {
    fn document_printer(&self) -> Result<Target, PrintError> {
        self.config
            .printer
            .as_deref()
            .map(|p| Target::parse(p, false))
            .ok_or(PrintError::NotConfigured)
    }

    pub(super) fn receipt_printer(&self) -> Result<Target, PrintError> {
        self.config
            .receipt_printer
            .as_deref()
            .map(|p| Target::parse(p, true))
            .ok_or(PrintError::NotConfigured)
    }

    /// Shows `signal` (`alert` or `off`) on the signal tower; answers the tower's label.
    pub fn signal_tower(&self, signal: &str) -> CommandResult<Signalled> {
        let signal = Signal::parse(signal)
            .ok_or_else(|| CommandError::new("invalid", "表示灯の指示が正しくありません。"))?;
        let tower = self
            .config
            .signal_tower
            .as_deref()
            .and_then(Tower::parse)
            .ok_or(TowerError::NotConfigured)?;
        tower.show(signal)?;
        Ok(Signalled {
            tower: tower.label(),
        })
    }

    /// Prints a PDF (from the server) on the document printer.
    pub fn print_pdf(&self, pdf: &[u8]) -> CommandResult<String> {
        if !pdf.starts_with(b"%PDF-") {
            return Err(CommandError::new(
                "invalid",
                "印刷するデータが正しくありません。",
            ));
        }
        let target = self.document_printer()?;
        printer::print_pdf(&target, pdf)?;
        Ok(target.label())
    }
}
