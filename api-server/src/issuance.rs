//! Certificate requests at an issuance station (証明書発行端末): what a station offers, whose card was
//! put on the reader (the `cards` feed maps the JPKI user certificate's serial to a resident), the
//! request as a case with its 受付番号, and staff's actions on it. No HTTP here: the routes are in
//! `api/issuance.rs`.
//!
//! A request is a case (案件) whose document carries [`StationRequest`]: it is found, printed, audited,
//! resumed and exported like every other case, and the certificates are issued from it by the same
//! route as at the counter (`POST /api/v1/cases/{id}/certificates`), which marks it printed.

use chrono::NaiveDate;
use chrono::{DateTime, Utc};
use madoguchi_core::case_document::{
    CaseDocument, CertificateLine, JpkiCheck, Payment, StationRequest, Visitor,
};
use madoguchi_core::certificate::station::{
    Action, RequestState, effective, next, reception_label,
};
use madoguchi_core::certificate::station_setup::StationSetup;
use madoguchi_core::fees::FeeTable;
use madoguchi_core::resident::Resident;
use madoguchi_store::{Store, StoreError, TenantId};

use crate::certificates::{INKAN, JUMINHYO, KISAI, SHOTOKU};

/// The certificates a station can offer, in the order of its tiles (and of 発行端末の設定's boxes).
/// 個人番号 is never printed at a station: Madoguchi's copy of the resident record does not hold it
/// (a 住民票 with the 個人番号 is the core system's, at the counter).
pub const STATION_ITEMS: [&str; 4] = [JUMINHYO, KISAI, INKAN, SHOTOKU];
/// What a station the city never set up offers: 住民票の写し and 印鑑登録証明書. The others are opt-in
/// on 発行端末の設定.
pub const DEFAULT_OFFERS: [&str; 2] = [JUMINHYO, INKAN];
/// The procedure code station requests are indexed by (`CaseFilter::procedure`).
pub const STATION_PROCEDURE: &str = "station-certificates";
/// The most copies of one certificate a station takes in one request.
pub const MAX_COPIES: u32 = 5;

/// One certificate a station offers, with its fee per copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    pub item: &'static str,
    pub name: String,
    pub yen: u32,
}

/// The station's offers: the items its setup offers that the city's fee table has, in the setup's
/// order.
pub fn offers(fees: &FeeTable, setup: &StationSetup) -> Vec<Offer> {
    setup
        .offers
        .iter()
        .filter_map(|code| {
            let item = STATION_ITEMS.into_iter().find(|i| i == code)?;
            let f = fees.items.iter().find(|f| f.code == item)?;
            Some(Offer {
                item,
                name: f.name.clone(),
                yen: f.yen,
            })
        })
        .collect()
}

/// The resident whose card has the JPKI user certificate `serial` (hex, as verified), per the `cards`
/// feed; `None` for a card the city's data does not know or has marked revoked.
pub fn card_holder(
    store: &dyn Store,
    tenant: &TenantId,
    serial: &str,
) -> Result<Option<Resident>, StoreError> {
    let Some(serial) = madoguchi_core::card_serial::normalize(serial) else {
        return Ok(None);
    };
    let Some(card) = store.resident_by_card_serial(tenant, &serial)? else {
        return Ok(None);
    };
    if card.revoked_on.is_some() {
        return Ok(None);
    }
    store.get_resident(tenant, &card.atena_no)
}

/// The case document of a station request: the card holder as the visitor (本人, identified by the
/// JPKI user authentication), the certificate lines about them, and the 受付番号.
pub fn request_document(
    holder: &Resident,
    jpki: JpkiCheck,
    lines: Vec<CertificateLine>,
    station: &str,
    reception_no: u32,
    day: NaiveDate,
) -> CaseDocument {
    CaseDocument {
        visitor: Visitor {
            kind: "本人".into(),
            atena_no: Some(holder.atena_no.as_str().to_owned()),
            name: holder.name.full.clone(),
            relation: String::new(),
            proxy_letter: false,
            id_document: "マイナンバーカード".into(),
            card: None,
            jpki_verification: None,
            jpki: Some(jpki),
        },
        notifications: Vec::new(),
        answers: Default::default(),
        procedures: Vec::new(),
        certificates: lines,
        fee_total: 0,
        memo: format!(
            "証明書発行端末からの申込み（受付番号 {}）",
            reception_label(reception_no)
        ),
        signature: None,
        station: Some(StationRequest {
            reception_no,
            day,
            station: station.to_owned(),
            state: RequestState::Queued.code().into(),
            payment: None,
            cancel_reason: None,
            claimed_by: None,
            claimed_at: None,
            print_error: None,
            staff_check: false,
        }),
    }
}

/// The request's state at `now` (an unknown code reads as queued: nothing is skipped; an automatic
/// print never confirmed reads as failed).
pub fn state_of(request: &StationRequest, now: DateTime<Utc>) -> RequestState {
    let stored = RequestState::parse(&request.state).unwrap_or(RequestState::Queued);
    effective(stored, request.claimed_at, now)
}

/// What comes with an action: the payment of a hand-over, the reason of a cancellation or the
/// printer's problem of a failed automatic print, and the terminal doing it.
#[derive(Debug, Clone, Default)]
pub struct Details<'a> {
    pub payment: Option<Payment>,
    pub reason: Option<&'a str>,
    /// The terminal acting (a print agent claims, confirms and fails only its own claims).
    pub terminal: Option<&'a str>,
}

/// Applies `action` to the station request of `doc` at `now`: the new state, or why not (Japanese).
/// The payment is checked against the fee for a hand-over; a cancellation needs its reason; only the
/// agent that claimed a request confirms or fails it.
pub fn apply(
    doc: &mut CaseDocument,
    action: Action,
    details: &Details<'_>,
    now: DateTime<Utc>,
) -> Result<RequestState, String> {
    let fee = doc.fee_total;
    let Some(request) = doc.station.as_mut() else {
        return Err("この案件は証明書発行端末からの申込みではありません。".into());
    };
    let to = next(state_of(request, now), action).map_err(str::to_owned)?;
    match action {
        Action::HandOver => request.payment = Some(checked_payment(fee, details.payment.clone())?),
        Action::Cancel => {
            let reason = details.reason.map(str::trim).filter(|r| !r.is_empty());
            let Some(reason) = reason else {
                return Err("取消の理由を入力してください。".into());
            };
            request.cancel_reason = Some(reason.chars().take(200).collect());
        }
        Action::Claim => {
            let Some(agent) = details.terminal else {
                return Err("自動印刷は登録された端末から行います。".into());
            };
            request.claimed_by = Some(agent.to_owned());
            request.claimed_at = Some(now);
            request.print_error = None;
        }
        Action::Confirm | Action::Fail => {
            if request.claimed_by.as_deref() != details.terminal || details.terminal.is_none() {
                return Err("この申込みは別の端末が自動印刷しています。".into());
            }
            if action == Action::Fail {
                let problem = details.reason.map(str::trim).unwrap_or("");
                let problem = if problem.is_empty() {
                    "印刷できませんでした。"
                } else {
                    problem
                };
                request.print_error = Some(problem.chars().take(200).collect());
            }
        }
        Action::Print => request.print_error = None,
        Action::Call => {}
    }
    request.state = to.code().into();
    Ok(to)
}

/// The payment of `fee`: 現金 with the amount received, キャッシュレス with the 決済番号; nothing for 0円.
fn checked_payment(fee: u32, payment: Option<Payment>) -> Result<Payment, String> {
    let none = || Payment {
        method: "none".into(),
        yen: 0,
        received: None,
        reference: None,
    };
    let Some(p) = payment else {
        return if fee == 0 {
            Ok(none())
        } else {
            Err(format!("手数料（{fee}円）の受領方法を入力してください。"))
        };
    };
    match p.method.as_str() {
        "cash" => {
            let received = p.received.unwrap_or(0);
            madoguchi_core::certificate::station::change(fee, received)?;
            Ok(Payment {
                method: "cash".into(),
                yen: fee,
                received: Some(received),
                reference: None,
            })
        }
        "cashless" => {
            let reference = p.reference.as_deref().map(str::trim).unwrap_or("");
            if reference.is_empty() || reference.chars().count() > 64 {
                return Err(
                    "キャッシュレス決済の決済番号を入力してください（64文字以内）。".into(),
                );
            }
            Ok(Payment {
                method: "cashless".into(),
                yen: fee,
                received: None,
                reference: Some(reference.to_owned()),
            })
        }
        _ if fee == 0 => Ok(none()),
        _ => Err("受領方法は「現金」か「キャッシュレス」を選んでください。".into()),
    }
}

/// The history line of an action.
pub fn history_line(action: Action, request: &StationRequest) -> String {
    let no = reception_label(request.reception_no);
    match (action, &request.payment, &request.cancel_reason) {
        (Action::HandOver, Some(p), _) if p.method == "cash" => format!(
            "交付（受付番号 {no}）: 手数料 {}円 現金 お預かり {}円",
            p.yen,
            p.received.unwrap_or(0)
        ),
        (Action::HandOver, Some(p), _) if p.method == "cashless" => format!(
            "交付（受付番号 {no}）: 手数料 {}円 キャッシュレス 決済番号 {}",
            p.yen,
            p.reference.as_deref().unwrap_or("")
        ),
        (Action::Cancel, _, Some(r)) => format!("取消（受付番号 {no}）: {r}"),
        (Action::Fail, _, _) => format!(
            "自動印刷の失敗（受付番号 {no}）: {}",
            request.print_error.as_deref().unwrap_or("")
        ),
        (Action::Claim, _, _) => format!(
            "自動印刷（受付番号 {no}）: 端末 {}",
            request.claimed_by.as_deref().unwrap_or("")
        ),
        (a, _, _) => format!("{}（受付番号 {no}）", a.label_ja()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(fee: u32) -> CaseDocument {
        let mut d: CaseDocument =
            serde_json::from_str(r#"{"visitor":{"kind":"本人"}}"#).expect("doc");
        d.fee_total = fee;
        d.station = Some(StationRequest {
            reception_no: 12,
            day: NaiveDate::from_ymd_opt(2026, 12, 7).expect("day"),
            station: "station-1".into(),
            state: "queued".into(),
            payment: None,
            cancel_reason: None,
            claimed_by: None,
            claimed_at: None,
            print_error: None,
            staff_check: false,
        });
        d
    }

    fn now() -> DateTime<Utc> {
        Utc::now()
    }

    fn cash(received: u32) -> Option<Payment> {
        Some(Payment {
            method: "cash".into(),
            yen: 0,
            received: Some(received),
            reference: None,
        })
    }

    #[test]
    fn a_request_is_printed_called_and_handed_over_with_the_fee_checked() {
        let mut d = doc(300);
        assert!(
            apply(
                &mut d,
                Action::HandOver,
                &Details {
                    payment: cash(300),
                    ..Details::default()
                },
                now()
            )
            .is_err()
        );
        assert_eq!(
            apply(&mut d, Action::Print, &Details::default(), now()),
            Ok(RequestState::Printed)
        );
        assert_eq!(
            apply(&mut d, Action::Call, &Details::default(), now()),
            Ok(RequestState::Called)
        );
        let short = apply(
            &mut d,
            Action::HandOver,
            &Details {
                payment: cash(200),
                ..Details::default()
            },
            now(),
        )
        .expect_err("short");
        assert!(short.contains("300円"), "{short}");
        assert!(apply(&mut d, Action::HandOver, &Details::default(), now()).is_err());
        assert_eq!(
            apply(
                &mut d,
                Action::HandOver,
                &Details {
                    payment: cash(1000),
                    ..Details::default()
                },
                now()
            ),
            Ok(RequestState::HandedOver)
        );
        let request = d.station.as_ref().expect("station");
        assert_eq!(
            request.payment.as_ref().and_then(|p| p.received),
            Some(1000)
        );
        let line = history_line(Action::HandOver, request);
        assert!(line.contains("0012") && line.contains("300円"), "{line}");
        assert!(
            apply(
                &mut d,
                Action::Cancel,
                &Details {
                    reason: Some("誤り"),
                    ..Details::default()
                },
                now()
            )
            .is_err()
        );
    }

    #[test]
    fn cashless_needs_its_reference_and_a_cancellation_its_reason() {
        let mut d = doc(450);
        apply(&mut d, Action::Print, &Details::default(), now()).expect("printed");
        let no_ref = Some(Payment {
            method: "cashless".into(),
            yen: 0,
            received: None,
            reference: Some("  ".into()),
        });
        assert!(
            apply(
                &mut d,
                Action::HandOver,
                &Details {
                    payment: no_ref,
                    ..Details::default()
                },
                now()
            )
            .is_err()
        );
        assert!(
            apply(
                &mut d,
                Action::Cancel,
                &Details {
                    reason: Some(" "),
                    ..Details::default()
                },
                now()
            )
            .is_err()
        );
        assert_eq!(
            apply(
                &mut d,
                Action::Cancel,
                &Details {
                    reason: Some("本人が不要と申出"),
                    ..Details::default()
                },
                now()
            ),
            Ok(RequestState::Cancelled)
        );
        let mut free = doc(0);
        apply(&mut free, Action::Print, &Details::default(), now()).expect("printed");
        assert_eq!(
            apply(&mut free, Action::HandOver, &Details::default(), now()),
            Ok(RequestState::HandedOver)
        );
    }

    #[test]
    fn an_automatic_print_is_confirmed_or_failed_only_by_its_agent_and_expires_into_a_failure() {
        let agent = |t| Details {
            terminal: Some(t),
            ..Details::default()
        };
        let at = now();
        let mut d = doc(300);
        assert!(apply(&mut d, Action::Claim, &Details::default(), at).is_err());
        assert_eq!(
            apply(&mut d, Action::Claim, &agent("back-office"), at),
            Ok(RequestState::Printing)
        );
        assert!(apply(&mut d, Action::Claim, &agent("other"), at).is_err());
        assert!(apply(&mut d, Action::Print, &Details::default(), at).is_err());
        assert!(apply(&mut d, Action::Confirm, &agent("other"), at).is_err());
        let failed = Details {
            reason: Some("用紙切れ"),
            ..agent("back-office")
        };
        assert_eq!(
            apply(&mut d, Action::Fail, &failed, at),
            Ok(RequestState::PrintFailed)
        );
        let request = d.station.as_ref().expect("station");
        assert_eq!(request.print_error.as_deref(), Some("用紙切れ"));
        assert!(history_line(Action::Fail, request).contains("用紙切れ"));
        // a failed print is never claimed again; staff print it by hand
        assert!(apply(&mut d, Action::Claim, &agent("back-office"), at).is_err());
        assert_eq!(
            apply(&mut d, Action::Print, &Details::default(), at),
            Ok(RequestState::Printed)
        );
        assert_eq!(d.station.as_ref().and_then(|r| r.print_error.clone()), None);

        let mut lost = doc(300);
        apply(&mut lost, Action::Claim, &agent("back-office"), at).expect("claimed");
        let later = at + chrono::Duration::minutes(5);
        let request = lost.station.as_ref().expect("station");
        assert_eq!(state_of(request, later), RequestState::PrintFailed);
        assert!(apply(&mut lost, Action::Confirm, &agent("back-office"), later).is_err());
    }

    #[test]
    fn a_case_that_is_no_station_request_is_refused() {
        let mut d = doc(0);
        d.station = None;
        assert!(apply(&mut d, Action::Print, &Details::default(), now()).is_err());
    }
}
