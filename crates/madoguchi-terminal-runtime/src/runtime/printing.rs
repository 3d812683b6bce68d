//! The terminal's printers as configured: the document printer for the server's PDFs and the receipt
//! printer (ESC/POS).

use serde::Serialize;

use super::error::{CommandError, CommandResult};
use super::state::Terminal;
use crate::printer::{self, PrintError, Target};

/// What `print_pdf` answers: the printer the PDF went to.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Printed {
    pub printer: String,
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
