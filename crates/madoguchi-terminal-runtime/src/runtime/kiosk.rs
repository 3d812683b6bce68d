//! What only a kiosk does: a resident's application (queued with a receipt number, then the guide sheet
//! or a 受付票 printed), the administrator's unlock with its PIN, and the API paths the kiosk window
//! may reach.

use std::time::Instant;

use serde::Serialize;
use serde_json::{Value, json};

use super::admin_lock::{AdminUnlock, whole_seconds};
use super::error::{CommandError, CommandResult, check_id};
use super::state::{Terminal, lock, now_ms};
use crate::config::{Role, verify_pin};
use crate::printer::{self, Receipt};

/// A resident's application at the kiosk (`kiosk_submit`'s argument). Unknown fields are refused.
#[derive(Debug, Clone, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct KioskSubmission {
    /// Client-generated (8–64 of `A-Z a-z 0-9 - _`).
    pub case_id: String,
    /// Client-generated (8–64 of `A-Z a-z 0-9 - _`).
    pub write_id: String,
    /// The API's `CaseDocument`; its status is always 受付中 (open).
    #[cfg_attr(feature = "ts", ts(type = "unknown"))]
    pub document: Value,
    /// The screen's language; accepted, not used by the runtime.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub language: Option<String>,
}

/// What `kiosk_submit` answers.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct KioskReceipt {
    pub case_id: String,
    /// Short number printed for the resident: the terminal id and a counter, e.g. `kiosk-01-0007`.
    pub receipt_no: String,
    /// `false`: kept in the outbox, sent when the server is back.
    pub uploaded: bool,
    /// What was printed (`print_for_resident`): `guide` = 申請内容票 + 手続き案内書 (online), `receipt`
    /// = 受付票; empty when nothing could be printed.
    #[cfg_attr(feature = "ts", ts(type = r#"Array<"guide" | "receipt">"#))]
    pub printed: Vec<String>,
}

impl Terminal {
    /// A resident's application at the kiosk: queued durably, sent at once when the server answers,
    /// then the 申請内容票 and 手続き案内書 printed from the case as the server saved it. Offline, a 受付票
    /// with the receipt number is printed instead and the case is sent when the server is back.
    pub fn kiosk_submit(&self, sub: KioskSubmission) -> CommandResult<KioskReceipt> {
        if self.config.role != Role::Kiosk {
            return Err(CommandError::new(
                "not_allowed",
                "この端末では申請を受け付けません。",
            ));
        }
        check_id(&sub.case_id, "案件番号")?;
        check_id(&sub.write_id, "書込み番号")?;
        let Some(account) = &self.config.kiosk_account else {
            return Err(CommandError::internal("kiosk without an account"));
        };
        let KioskSubmission {
            case_id,
            write_id,
            document,
            ..
        } = sub;
        let receipt_no = self.queue_application(&case_id, &write_id, document, &account.login)?;
        if let Err(e) = self.note(self.ensure_kiosk_session()) {
            tracing::info!(error = %e, "kiosk offline: application kept in the outbox");
        }
        self.sync_once();
        let outcome = self.outcome_of(&write_id)?;
        let uploaded = match outcome.outcome.as_str() {
            "applied" => true,
            "queued" => false,
            _ => {
                return Err(CommandError::new(
                    "rejected",
                    outcome.message.unwrap_or_else(|| {
                        "申請を受け付けられませんでした。職員にお声がけください。".into()
                    }),
                ));
            }
        };
        let printed = self.print_for_resident(&case_id, &write_id, &receipt_no, uploaded)?;
        Ok(KioskReceipt {
            case_id,
            receipt_no,
            uploaded,
            printed,
        })
    }

    /// Queues an application in the outbox, its receipt number put at the head of the memo, and
    /// answers that number. The same submission again (the UI retried) keeps its receipt number.
    fn queue_application(
        &self,
        case_id: &str,
        write_id: &str,
        mut document: Value,
        author: &str,
    ) -> CommandResult<String> {
        let mut store = lock(&self.store);
        let receipt_key = format!("receipt_no:{write_id}");
        let receipt_no = match store.meta(&receipt_key)? {
            Some(no) => no,
            None => {
                let n = store.next_number("receipt_no")?;
                let no = format!("{}-{n:04}", self.config.terminal_id);
                store.set_meta(&receipt_key, &no)?;
                no
            }
        };
        let memo = document["memo"].as_str().unwrap_or_default().to_owned();
        document["memo"] = json!(if memo.is_empty() {
            format!("キオスク受付番号 {receipt_no}")
        } else {
            format!("キオスク受付番号 {receipt_no}\n{memo}")
        });
        let save = json!({"write_id": write_id, "revision": null, "status": "open",
            "document": document});
        store.enqueue(case_id, write_id, author, &save, now_ms())?;
        Ok(receipt_no)
    }

    /// What the resident takes away: the guide sheet when the server saved the application, else
    /// (or when it could not be printed) a 受付票. Answers what was printed.
    fn print_for_resident(
        &self,
        case_id: &str,
        write_id: &str,
        receipt_no: &str,
        uploaded: bool,
    ) -> CommandResult<Vec<String>> {
        let mut printed = Vec::new();
        if uploaded && self.print_guide(case_id, write_id)? {
            printed.push("guide".to_owned());
        }
        if printed.is_empty() {
            match self.print_receipt(receipt_no, uploaded) {
                Ok(()) => printed.push("receipt".to_owned()),
                Err(e) => tracing::warn!(code = %e.code, "receipt not printed"),
            }
        }
        Ok(printed)
    }

    /// The 申請内容票 and 手続き案内書 of the case as the server saved it, on the document printer;
    /// `false` when the server did not render them or the printer failed (both logged).
    fn print_guide(&self, case_id: &str, write_id: &str) -> CommandResult<bool> {
        let print_id = format!("p-{}", &write_id[..write_id.len().min(60)]);
        let body = json!({"write_id": print_id,
            "templates": ["shinsei-naiyou", "tetsuzuki-annai"]});
        let answer = self.send_api(
            "POST",
            &format!("/api/v1/cases/{case_id}/print"),
            Some(&body),
        )?;
        match answer.ok() {
            Ok(a) => match self.print_pdf(&a.bytes) {
                Ok(_) => Ok(true),
                Err(e) => {
                    tracing::warn!(code = %e.code, "guide sheet not printed");
                    Ok(false)
                }
            },
            Err(e) => {
                tracing::warn!(error = %e, "guide sheet not rendered");
                Ok(false)
            }
        }
    }

    fn print_receipt(&self, receipt_no: &str, uploaded: bool) -> CommandResult<()> {
        let target = self.receipt_printer()?;
        let today = madoguchi_core::wareki::to_wareki(chrono::Local::now().date_naive())
            .map(|w| w.to_string())
            .unwrap_or_default();
        let job = Receipt::new()
            .center(true)
            .size(2, 2)
            .line("受付票")
            .size(1, 1)
            .line(&today)
            .line("受付番号")
            .size(3, 3)
            .line(receipt_no)
            .size(1, 1)
            .qr(receipt_no, 6)
            .center(false)
            .line(if uploaded {
                "この票を持って窓口へお越しください。"
            } else {
                "申請内容は端末に保存しました。この票を持って窓口へお越しください。"
            })
            .cut();
        printer::print_receipt(&target, &job)?;
        Ok(())
    }

    /// Checks the administrator PIN; after success the kiosk may be left (`admin_exit`) for
    /// [`ADMIN_UNLOCK_TTL`](super::admin_lock::ADMIN_UNLOCK_TTL). After
    /// [`ADMIN_PIN_FREE_TRIES`](super::admin_lock::ADMIN_PIN_FREE_TRIES) wrong PINs in a row the PIN
    /// is not checked while the back-off lasts (`wait_seconds`); any answer but `unlocked` leaves the
    /// kiosk locked.
    pub fn admin_unlock(&self, pin: &str) -> AdminUnlock {
        self.admin_unlock_at(pin, Instant::now())
    }

    fn admin_unlock_at(&self, pin: &str, now: Instant) -> AdminUnlock {
        let _attempt = lock(&self.admin_attempt);
        let waiting = {
            let mut admin = lock(&self.admin);
            let waiting = admin.waiting(now);
            if waiting.is_some() {
                admin.lock();
            }
            waiting
        };
        if let Some(wait) = waiting {
            let wait_seconds = whole_seconds(wait);
            tracing::warn!(
                terminal = %self.config.terminal_id,
                wait_seconds,
                "kiosk admin unlock refused: waiting after wrong PINs"
            );
            return AdminUnlock {
                unlocked: false,
                wait_seconds,
            };
        }
        let ok = self
            .config
            .admin_pin_hash
            .as_deref()
            .is_some_and(|h| verify_pin(pin, h));
        let mut admin = lock(&self.admin);
        if ok {
            admin.succeeded(now);
        } else {
            admin.failed(now);
        }
        let wait_seconds = admin.waiting(now).map_or(0, whole_seconds);
        tracing::warn!(
            terminal = %self.config.terminal_id,
            ok,
            failures = admin.failures,
            wait_seconds,
            "kiosk admin unlock"
        );
        AdminUnlock {
            unlocked: ok,
            wait_seconds,
        }
    }

    /// Ends the administrator's unlock at once (the admin panel closed).
    pub fn admin_lock(&self) {
        lock(&self.admin).lock();
        tracing::info!(terminal = %self.config.terminal_id, "kiosk admin locked");
    }

    /// Whether the administrator's PIN was given less than
    /// [`ADMIN_UNLOCK_TTL`](super::admin_lock::ADMIN_UNLOCK_TTL) ago and not locked since.
    pub fn admin_unlocked(&self) -> bool {
        self.admin_unlocked_at(Instant::now())
    }

    fn admin_unlocked_at(&self, now: Instant) -> bool {
        lock(&self.admin).unlocked(now)
    }
}

/// The API paths the kiosk window may reach through [`Terminal::api_request`] (Security II point 14):
/// what its screens need — 手続きナビ, the 町字 list, the reference data its steps show, the city's
/// public maintenance notices (planned stops, shown on the start screen) and a resident's 事前申請 read
/// by its QR code or 受付番号 (its entries only). Everything
/// else of the kiosk account (its applications, printing its guide sheet) goes through typed commands.
pub(super) fn kiosk_may_call(method: &str, route: &str) -> bool {
    matches!(
        (method, route),
        ("POST", "/api/v1/navigation/evaluate")
            | ("GET", "/api/v1/towns")
            | ("GET", "/api/v1/procedures")
            | ("GET", "/api/v1/fees/table")
            | ("GET", "/api/v1/cases-vocabulary")
            | ("GET", "/api/v1/status/maintenance")
            | ("POST", "/api/v1/kiosk/pre-application")
    )
}

#[cfg(test)]
mod tests {

    #[test]
    fn the_kiosk_window_reaches_only_its_allow_list() {
        for (method, route) in [
            ("POST", "/api/v1/navigation/evaluate"),
            ("GET", "/api/v1/towns"),
            ("GET", "/api/v1/procedures"),
            ("GET", "/api/v1/status/maintenance"),
            ("POST", "/api/v1/kiosk/pre-application"),
        ] {
            assert!(super::kiosk_may_call(method, route), "{method} {route}");
        }
        for (method, route) in [
            ("GET", "/api/v1/residents"),
            ("GET", "/api/v1/cases/case-0001"),
            ("PUT", "/api/v1/cases/case-0001"),
            ("POST", "/api/v1/cases/case-0001/print"),
            ("POST", "/api/v1/auth/login"),
            ("GET", "/api/v1/navigation/evaluate"),
            ("POST", "/api/v1/sync/upload"),
            ("GET", "/api/v1/audit"),
            // The staff's reads of a 事前申請 (they answer case ids and more).
            ("POST", "/api/v1/qr/resolve"),
            ("GET", "/api/v1/pre-applications/12345671"),
        ] {
            assert!(!super::kiosk_may_call(method, route), "{method} {route}");
        }
    }
    use super::*;
    use crate::config::TerminalConfig;
    use std::sync::Arc;
    use std::time::Duration;

    const SECOND: Duration = Duration::from_secs(1);

    /// A PIN hash with one PBKDF2 iteration: the check is cheap in a test.
    fn cheap_hash(pin: &str) -> String {
        let salt = [7u8; 16];
        let mut out = [0u8; 32];
        ring::pbkdf2::derive(
            ring::pbkdf2::PBKDF2_HMAC_SHA256,
            std::num::NonZeroU32::MIN,
            &salt,
            pin.as_bytes(),
            &mut out,
        );
        format!(
            "pbkdf2-sha256$1${}${}",
            crate::config::hex(&salt),
            crate::config::hex(&out)
        )
    }

    fn kiosk(dir: &std::path::Path) -> Arc<Terminal> {
        let config = TerminalConfig::parse(&format!(
            r#"
server_url = "http://127.0.0.1:9"
tenant = "demo"
terminal_id = "kiosk-test-1"
role = "kiosk"
counter = "kiosk"
data_dir = "{data}"
admin_pin_hash = "{hash}"
kiosk_account = {{ login = "kiosk-01", password = "sakurano-kiosk-terminal" }}
"#,
            data = dir.join("data").display(),
            hash = cheap_hash("246810"),
        ))
        .expect("config");
        Terminal::open(config).expect("terminal")
    }

    #[test]
    fn the_kiosk_admin_unlock_expires_locks_and_backs_off() {
        let dir = tempfile::tempdir().expect("dir");
        let t = kiosk(dir.path());
        let t0 = Instant::now();
        let open = AdminUnlock {
            unlocked: true,
            wait_seconds: 0,
        };
        assert_eq!(t.admin_unlock_at("246810", t0), open);
        assert!(t.admin_unlocked_at(t0 + 119 * SECOND));
        assert!(!t.admin_unlocked_at(t0 + 120 * SECOND), "expired");
        assert_eq!(t.admin_unlock_at("246810", t0 + 130 * SECOND), open);
        t.admin_lock();
        assert!(!t.admin_unlocked_at(t0 + 131 * SECOND), "locked");

        // Three wrong PINs, then the right one is not even checked until the wait ended.
        let t1 = t0 + 200 * SECOND;
        for (i, wait) in [0, 0, 30].into_iter().enumerate() {
            let answer = t.admin_unlock_at("000000", t1 + i as u32 * SECOND);
            assert_eq!(
                answer,
                AdminUnlock {
                    unlocked: false,
                    wait_seconds: wait
                }
            );
        }
        let waiting = t.admin_unlock_at("246810", t1 + 12 * SECOND);
        assert_eq!(
            waiting,
            AdminUnlock {
                unlocked: false,
                wait_seconds: 20
            }
        );
        assert!(!t.admin_unlocked_at(t1 + 12 * SECOND));
        // A wrong PIN after the wait: the next wait is twice as long.
        let answer = t.admin_unlock_at("111111", t1 + 32 * SECOND);
        assert_eq!(answer.wait_seconds, 60);
        assert_eq!(t.admin_unlock_at("246810", t1 + 92 * SECOND), open);
        assert_eq!(
            t.admin_unlock_at("000000", t1 + 93 * SECOND).wait_seconds,
            0,
            "counted afresh"
        );
    }
}
