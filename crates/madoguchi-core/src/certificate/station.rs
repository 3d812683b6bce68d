//! A certificate request made by a resident at an issuance station (証明書発行端末), and what staff do
//! with it: print the certificates, call the 受付番号, hand them over with the fee, or cancel.
//!
//! ```text
//! queued        ──print──▶ printed ──call──▶ called ──hand_over──▶ handed_over
//! queued        ──claim──▶ printing ──confirm──▶ printed
//! printing      ──fail (or its lease runs out)──▶ print_failed
//! print_failed  ──print──▶ printed        print_failed ──call──▶ called
//! printed       ──hand_over──▶ handed_over (without a call)
//! printed, called ──print (a reprint)──▶ unchanged
//! any state but handed_over and cancelled ──cancel──▶ cancelled
//! ```
//!
//! **Automatic printing.** A print agent (a back-office staff terminal) *claims* a queued request
//! (`printing`), prints it and *confirms* it (`printed`) or reports the failure (`print_failed`). A
//! claim not confirmed within [`CLAIM_LEASE_SECS`] counts as failed: the sheets may or may not have
//! come out, so nothing prints it again by itself — staff check the printer and print by hand (the
//! same 発行番号). A request is never lost and never printed twice automatically.

/// Where a station request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RequestState {
    /// 受付: requested at the station, not printed yet.
    Queued,
    /// 自動印刷中: claimed by a print agent, not confirmed yet.
    Printing,
    /// 印刷エラー: automatic printing failed or was never confirmed; staff check and print by hand.
    PrintFailed,
    /// 印刷済: the certificates came out of the back-office printer.
    Printed,
    /// 呼出済: the 受付番号 was called.
    Called,
    /// 交付済: handed over, the fee collected.
    HandedOver,
    /// 取消: cancelled (its certificates, if printed, revoked).
    Cancelled,
}

impl RequestState {
    pub const ALL: [RequestState; 7] = [
        RequestState::Queued,
        RequestState::Printing,
        RequestState::PrintFailed,
        RequestState::Printed,
        RequestState::Called,
        RequestState::HandedOver,
        RequestState::Cancelled,
    ];

    /// Stable code in the case document.
    pub fn code(self) -> &'static str {
        match self {
            RequestState::Queued => "queued",
            RequestState::Printing => "printing",
            RequestState::PrintFailed => "print_failed",
            RequestState::Printed => "printed",
            RequestState::Called => "called",
            RequestState::HandedOver => "handed_over",
            RequestState::Cancelled => "cancelled",
        }
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            RequestState::Queued => "受付",
            RequestState::Printing => "自動印刷中",
            RequestState::PrintFailed => "印刷エラー（要確認）",
            RequestState::Printed => "印刷済",
            RequestState::Called => "呼出済",
            RequestState::HandedOver => "交付済",
            RequestState::Cancelled => "取消",
        }
    }

    pub fn parse(code: &str) -> Option<RequestState> {
        RequestState::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Finished: nothing more happens to the request.
    pub fn is_final(self) -> bool {
        matches!(self, RequestState::HandedOver | RequestState::Cancelled)
    }
}

/// What staff do with a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// A print agent takes a queued request to print it automatically.
    Claim,
    /// The print agent's job came out of the printer.
    Confirm,
    /// The print agent's printer failed.
    Fail,
    /// The certificates were printed by hand (the first time or again).
    Print,
    /// The 受付番号 was called.
    Call,
    /// Handed over to the resident, the fee collected.
    HandOver,
    Cancel,
}

impl Action {
    pub fn parse(code: &str) -> Option<Action> {
        match code {
            "claim" => Some(Action::Claim),
            "confirm" => Some(Action::Confirm),
            "fail" => Some(Action::Fail),
            "print" => Some(Action::Print),
            "call" => Some(Action::Call),
            "hand_over" => Some(Action::HandOver),
            "cancel" => Some(Action::Cancel),
            _ => None,
        }
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            Action::Claim => "自動印刷",
            Action::Confirm => "自動印刷の完了",
            Action::Fail => "自動印刷の失敗",
            Action::Print => "印刷",
            Action::Call => "呼出",
            Action::HandOver => "交付",
            Action::Cancel => "取消",
        }
    }
}

/// The state after `action`, or why staff cannot do it now (Japanese).
///
/// ```
/// use madoguchi_core::certificate::station::{Action, RequestState as S, next};
/// assert_eq!(next(S::Queued, Action::Print), Ok(S::Printed));
/// assert_eq!(next(S::Called, Action::Print), Ok(S::Called)); // a reprint keeps the call
/// assert_eq!(next(S::Printed, Action::HandOver), Ok(S::HandedOver));
/// assert!(next(S::Queued, Action::HandOver).is_err()); // nothing printed to hand over
/// assert!(next(S::HandedOver, Action::Cancel).is_err());
/// // automatic printing: claimed, then confirmed or failed; a failed one is printed by hand
/// assert_eq!(next(S::Queued, Action::Claim), Ok(S::Printing));
/// assert_eq!(next(S::Printing, Action::Confirm), Ok(S::Printed));
/// assert_eq!(next(S::Printing, Action::Fail), Ok(S::PrintFailed));
/// assert!(next(S::Printing, Action::Print).is_err()); // the agent is at it
/// assert!(next(S::PrintFailed, Action::Claim).is_err()); // never again by itself
/// assert_eq!(next(S::PrintFailed, Action::Print), Ok(S::Printed));
/// assert_eq!(next(S::PrintFailed, Action::Call), Ok(S::Called)); // the sheets were there after all
/// ```
pub fn next(state: RequestState, action: Action) -> Result<RequestState, &'static str> {
    use RequestState as S;
    match (state, action) {
        (S::HandedOver, _) => Err("この申込みは交付済みです。"),
        (S::Cancelled, _) => Err("この申込みは取り消されています。"),
        (_, Action::Cancel) => Ok(S::Cancelled),
        (S::Queued, Action::Claim) => Ok(S::Printing),
        (_, Action::Claim) => Err("この申込みは自動印刷の対象ではありません。"),
        (S::Printing, Action::Confirm) => Ok(S::Printed),
        (S::Printing, Action::Fail) => Ok(S::PrintFailed),
        (_, Action::Confirm | Action::Fail) => Err("この申込みは自動印刷中ではありません。"),
        (S::Printing, _) => Err("自動印刷中です。しばらくお待ちください。"),
        (S::Queued | S::PrintFailed, Action::Print) => Ok(S::Printed),
        (S::Printed | S::Called, Action::Print) => Ok(state),
        (S::Queued, Action::Call | Action::HandOver) | (S::PrintFailed, Action::HandOver) => {
            Err("先に証明書を印刷してください。")
        }
        // After a failed or unconfirmed automatic print, staff who found the sheets in the printer
        // call the number without printing again.
        (S::Printed | S::Called | S::PrintFailed, Action::Call) => Ok(S::Called),
        (S::Printed | S::Called, Action::HandOver) => Ok(S::HandedOver),
    }
}

/// How long a print agent's claim holds (seconds): longer than rendering and spooling a few pages.
pub const CLAIM_LEASE_SECS: i64 = 120;

/// The state as it stands at `now`: a claim older than [`CLAIM_LEASE_SECS`] that was never confirmed
/// counts as failed (the agent died, or its answer was lost).
///
/// ```
/// use chrono::{Duration, TimeZone, Utc};
/// use madoguchi_core::certificate::station::{RequestState as S, effective};
/// let claimed = Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).unwrap();
/// assert_eq!(effective(S::Printing, Some(claimed), claimed + Duration::seconds(30)), S::Printing);
/// assert_eq!(effective(S::Printing, Some(claimed), claimed + Duration::minutes(3)), S::PrintFailed);
/// assert_eq!(effective(S::Printing, None, claimed), S::PrintFailed);
/// assert_eq!(effective(S::Printed, Some(claimed), claimed + Duration::hours(1)), S::Printed);
/// ```
pub fn effective(
    state: RequestState,
    claimed_at: Option<chrono::DateTime<chrono::Utc>>,
    now: chrono::DateTime<chrono::Utc>,
) -> RequestState {
    match (state, claimed_at) {
        (RequestState::Printing, Some(at)) if (now - at).num_seconds() <= CLAIM_LEASE_SECS => {
            RequestState::Printing
        }
        (RequestState::Printing, _) => RequestState::PrintFailed,
        (s, _) => s,
    }
}

/// A 受付番号 as shown and printed: four digits.
///
/// ```
/// assert_eq!(madoguchi_core::certificate::station::reception_label(7), "0007");
/// ```
pub fn reception_label(no: u32) -> String {
    format!("{no:04}")
}

/// The change for a cash payment of `fee` with `received`, or why it is not enough (Japanese).
///
/// ```
/// use madoguchi_core::certificate::station::change;
/// assert_eq!(change(300, 1000), Ok(700));
/// assert!(change(600, 500).is_err());
/// ```
pub fn change(fee: u32, received: u32) -> Result<u32, String> {
    received
        .checked_sub(fee)
        .ok_or_else(|| format!("お預かり金額が手数料（{fee}円）に足りません。"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_and_action_has_an_answer_and_final_states_stay_final() {
        let actions = [
            Action::Claim,
            Action::Confirm,
            Action::Fail,
            Action::Print,
            Action::Call,
            Action::HandOver,
            Action::Cancel,
        ];
        for s in RequestState::ALL {
            assert_eq!(RequestState::parse(s.code()), Some(s));
            for a in actions {
                match next(s, a) {
                    Ok(to) => assert!(!s.is_final(), "{s:?} --{a:?}--> {to:?}"),
                    Err(m) => assert!(!m.is_empty()),
                }
            }
        }
        assert_eq!(
            next(RequestState::Printed, Action::Cancel),
            Ok(RequestState::Cancelled)
        );
        assert_eq!(Action::parse("hand_over"), Some(Action::HandOver));
        assert_eq!(Action::parse("delete"), None);
    }
}
