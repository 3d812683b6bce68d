//! What only an issuance station (証明書発行端末) does: a resident's certificate request after JPKI user
//! authentication, sent to the server (which takes the 受付番号), then the 受付票 printed on the receipt
//! printer from the server's answer. The station keeps nothing: with the server away it takes nothing.

use serde::{Deserialize, Serialize};

use super::error::{CommandError, CommandResult, check_id};
use super::state::{Terminal, lock};
use crate::config::Role;
use crate::printer::{self, Receipt};

/// A resident's request at the station (`station_request`'s argument).
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct StationSubmission {
    /// Client-generated (8–64 of `A-Z a-z 0-9 - _`): the same id again answers the same 受付番号.
    pub request_id: String,
    /// From `card_authenticate`.
    pub verification_id: String,
    /// The API's `StationLine`s.
    #[cfg_attr(
        feature = "ts",
        ts(
            type = "Array<{ item: string; copies: number; scope?: string | null; items?: Array<string> | null; year?: number | null }>"
        )
    )]
    pub lines: Vec<madoguchi_api::StationLine>,
}

/// What `station_request` answers: the 受付番号 and what the 受付票 printed.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StationTicket {
    pub request_id: String,
    /// `0012`.
    pub reception_label: String,
    pub fee_total: u32,
    /// The 受付票 came out of the receipt printer; `false`: the resident tells staff the number.
    pub printed: bool,
}

impl Terminal {
    /// An issuance station asks its receipt printer for paper and keeps the answer in its status
    /// (announced when it changes); `true` when the paper is out. Other roles ask nothing.
    pub fn check_receipt_paper(&self) -> bool {
        if self.config.role != Role::Issuance {
            return false;
        }
        let out = self
            .receipt_printer()
            .is_ok_and(|t| crate::receipt_paper::paper(&t) == crate::receipt_paper::Paper::Out);
        let changed = {
            let mut flags = lock(&self.flags);
            std::mem::replace(&mut flags.receipt_paper_out, out) != out
        };
        if changed {
            self.announce();
        }
        out
    }

    /// Sends a resident's request to the server and prints the 受付票 with the 受付番号 it took. A
    /// refusal (the card, the rules) comes back with the server's message for the resident; a receipt
    /// printer out of paper refuses before anything is sent; a printer fault after the request leaves
    /// it queued (`printed: false`).
    pub fn station_request(&self, sub: StationSubmission) -> CommandResult<StationTicket> {
        if self.config.role != Role::Issuance {
            return Err(CommandError::new(
                "not_allowed",
                "この端末では証明書の申込みを受け付けません。",
            ));
        }
        check_id(&sub.request_id, "申込番号")?;
        // No 受付票 can come out: say so and take nothing.
        if self.check_receipt_paper() {
            tracing::warn!("station request refused: the receipt printer is out of paper");
            return Err(CommandError::new(
                "printer",
                "受付票の用紙がありません。申込みは受け付けていません。お手数ですが、窓口でお尋ねください。",
            ));
        }
        let body = serde_json::to_value(madoguchi_api::StationApplication {
            verification_id: sub.verification_id,
            lines: sub.lines,
        })
        .map_err(CommandError::internal)?;
        let path = format!("/api/v1/issuance/requests/{}", sub.request_id);
        let answer = self.send_api("PUT", &path, Some(&body))?.ok()?.json();
        let receipt: madoguchi_api::StationReceipt =
            serde_json::from_value(answer).map_err(CommandError::internal)?;
        let printed = match self.print_station_receipt(&receipt) {
            Ok(()) => true,
            Err(e) => {
                tracing::warn!(code = %e.code, "station receipt not printed");
                false
            }
        };
        Ok(StationTicket {
            request_id: receipt.request_id,
            reception_label: receipt.reception_label,
            fee_total: receipt.fee_total,
            printed,
        })
    }

    /// The 受付票: the 受付番号 large, what was asked for and the fee. No name: receipts get left behind.
    fn print_station_receipt(&self, r: &madoguchi_api::StationReceipt) -> CommandResult<()> {
        let target = self.receipt_printer()?;
        let jst = r.requested_at + chrono::Duration::hours(9);
        let when = madoguchi_core::wareki::to_wareki(jst.date_naive())
            .map(|w| format!("{w} {}", jst.format("%H:%M")))
            .unwrap_or_default();
        let mut job = Receipt::new()
            .center(true)
            .size(2, 2)
            .line("証明書 受付票")
            .size(1, 1)
            .line(&when)
            .line("受付番号")
            .size(4, 4)
            .line(&r.reception_label)
            .size(1, 1)
            .qr(&r.qr, 5)
            .center(false);
        for l in &r.lines {
            job = job.line(&format!("{} {}通 {}円", l.name, l.copies, l.yen));
        }
        let job = job
            .line(&format!("手数料 合計 {}円", r.fee_total))
            .line("番号が呼ばれたら、窓口で手数料をお支払いのうえ")
            .line("証明書をお受け取りください。")
            .line("（お名前は印字していません。QRコードは窓口用です）")
            .cut();
        printer::print_receipt(&target, &job)?;
        Ok(())
    }
}

/// The API paths a station's window may reach (its request goes through `station_request`).
pub(super) fn station_may_call(method: &str, route: &str) -> bool {
    matches!(
        (method, route),
        ("GET", "/api/v1/issuance/station/status")
            | ("POST", "/api/v1/issuance/station/identify")
            // The city's public maintenance notices (planned stops), shown on the start screen.
            | ("GET", "/api/v1/status/maintenance")
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_station_window_reaches_only_its_allow_list() {
        assert!(super::station_may_call("GET", "/api/v1/status/maintenance"));
        assert!(super::station_may_call(
            "GET",
            "/api/v1/issuance/station/status"
        ));
        assert!(super::station_may_call(
            "POST",
            "/api/v1/issuance/station/identify"
        ));
        for (method, route) in [
            ("PUT", "/api/v1/issuance/requests/r-0001-0001"),
            ("GET", "/api/v1/residents"),
            ("GET", "/api/v1/issuance/requests"),
            ("POST", "/api/v1/navigation/evaluate"),
        ] {
            assert!(!super::station_may_call(method, route), "{method} {route}");
        }
    }
}
