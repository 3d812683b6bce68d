//! Terminal enrollment (Security II point 9): which terminal may log in at which counter.
//!
//! A counter terminal keeps an Ed25519 device key and shows its public key as an enrollment code
//! ([`madoguchi_core::enrollment`]). An administrator registers the code with the counters the terminal
//! serves (admin screen 端末登録, or `madoguchi-server terminal add`). Every login from the terminal
//! carries a [`DeviceProof`]: the terminal's signature over the login's tenant, terminal, user, counter
//! and time. The server decides where a login comes from with [`login_place`]:
//!
//! * a valid proof of an enrolled terminal at one of its counters: that terminal (its id is the one
//!   the audit records, never one the request names);
//! * no proof, or a proof of a terminal nobody enrolled: a browser, which only counters that allow
//!   browsers explicitly (`browser_allowed`) accept;
//! * a proof that does not verify, or an enrolled terminal at a counter not its own: refused.

use chrono::{DateTime, Utc};
pub use madoguchi_api::DeviceProof;
use madoguchi_core::enrollment::{PROOF_WINDOW_SECONDS, login_message, parse_enrollment_code};
use madoguchi_store::{CounterRecord, Store, StoreError, StoreResult, TenantId, TerminalRecord};

/// Where a login comes from, once accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginPlace {
    /// An enrolled terminal, by its registered id.
    Terminal(String),
    /// A browser (or a terminal nobody enrolled) at a counter that takes browser logins.
    Browser,
}

/// Why a login may not happen where it was asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaceRefusal {
    /// A terminal nobody enrolled, at a counter that takes no browser logins.
    NotEnrolled,
    /// The proof does not verify (another key, a changed login, an old or future time).
    BadProof,
    /// An enrolled terminal at a counter it is not registered for.
    CounterNotOnTerminal,
    /// A browser at a counter that takes logins from enrolled terminals only.
    BrowserNotAllowed,
}

impl PlaceRefusal {
    /// The audit record's result.
    pub fn code(self) -> &'static str {
        match self {
            Self::NotEnrolled => "terminal_not_enrolled",
            Self::BadProof => "terminal_proof_invalid",
            Self::CounterNotOnTerminal => "counter_not_on_terminal",
            Self::BrowserNotAllowed => "browser_not_allowed",
        }
    }

    pub fn message_ja(self) -> &'static str {
        match self {
            Self::NotEnrolled => {
                "この端末は登録されていないため、この窓口にログインできません。端末の登録コードを管理者に伝えて、端末登録を依頼してください。"
            }
            Self::BadProof => {
                "この端末の認証に失敗しました。端末の時計が正しいか確認し、解決しない場合は管理者に端末の再登録を依頼してください。"
            }
            Self::CounterNotOnTerminal => {
                "この端末はこの窓口で使うように登録されていません。窓口を選び直すか、管理者に確認してください。"
            }
            Self::BrowserNotAllowed => {
                "この窓口は登録された窓口端末からのみ利用できます。ブラウザからはログインできません。"
            }
        }
    }
}

/// Decides where a login of `user` at `counter` comes from (see the module documentation).
pub fn login_place(
    store: &dyn Store,
    tenant: &TenantId,
    user: &str,
    counter: &CounterRecord,
    proof: Option<&DeviceProof>,
    now: DateTime<Utc>,
) -> StoreResult<Result<LoginPlace, PlaceRefusal>> {
    let browser = || {
        if counter.browser_allowed {
            Ok(LoginPlace::Browser)
        } else {
            Err(PlaceRefusal::BrowserNotAllowed)
        }
    };
    let Some(proof) = proof else {
        return Ok(browser());
    };
    if !valid_id(&proof.terminal) {
        return Ok(Err(PlaceRefusal::BadProof));
    }
    let Some(terminal) = store.find_terminal(tenant, &proof.terminal)? else {
        return Ok(browser().map_err(|_| PlaceRefusal::NotEnrolled));
    };
    if !proof_verifies(&terminal, tenant, user, &counter.code, proof, now) {
        return Ok(Err(PlaceRefusal::BadProof));
    }
    if !terminal.counters.contains(&counter.code) {
        return Ok(Err(PlaceRefusal::CounterNotOnTerminal));
    }
    Ok(Ok(LoginPlace::Terminal(terminal.id)))
}

fn proof_verifies(
    terminal: &TerminalRecord,
    tenant: &TenantId,
    user: &str,
    counter: &str,
    proof: &DeviceProof,
    now: DateTime<Utc>,
) -> bool {
    use base64::Engine as _;
    let Ok(signed_at) = DateTime::parse_from_rfc3339(&proof.signed_at) else {
        return false;
    };
    if (now - signed_at.with_timezone(&Utc)).num_seconds().abs() > PROOF_WINDOW_SECONDS {
        return false;
    }
    let Some(message) = login_message(
        tenant.as_str(),
        &terminal.id,
        user,
        counter,
        &proof.signed_at,
    ) else {
        return false;
    };
    let Ok(signature) = base64::engine::general_purpose::STANDARD.decode(&proof.signature) else {
        return false;
    };
    ring::signature::UnparsedPublicKey::new(&ring::signature::ED25519, terminal.public_key)
        .verify(&message, &signature)
        .is_ok()
}

/// A terminal id as configurations hold it: 1–64 half-width letters, digits and `. _ -`.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// What an administrator enters to register a terminal.
#[derive(Debug, Clone)]
pub struct Registration<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub enrollment_code: &'a str,
    pub counters: Vec<String>,
}

/// Why a registration is refused (Japanese for the administrator).
#[derive(Debug, thiserror::Error)]
pub enum RegistrationError {
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Registers (or re-registers) a terminal; `by` is the administrator's login.
pub fn register(
    store: &dyn Store,
    tenant: &TenantId,
    r: &Registration<'_>,
    by: &str,
    now: DateTime<Utc>,
    audit: &madoguchi_store::AuditEvent,
) -> Result<TerminalRecord, RegistrationError> {
    let invalid = |m: &str| RegistrationError::Invalid(m.to_owned());
    if !valid_id(r.id) {
        return Err(invalid(
            "端末IDは64文字以内の半角英数字と . _ - で入力してください（端末の設定の terminal_id）。",
        ));
    }
    let name = r.name.trim();
    if name.chars().count() > 100 {
        return Err(invalid("端末の名称は100文字以内で入力してください。"));
    }
    let public_key = parse_enrollment_code(r.enrollment_code)
        .map_err(|e| RegistrationError::Invalid(e.message_ja().into()))?;
    let mut counters: Vec<String> = r.counters.iter().map(|c| c.trim().to_owned()).collect();
    counters.retain(|c| !c.is_empty());
    counters.sort();
    counters.dedup();
    if counters.is_empty() {
        return Err(invalid("この端末で使う窓口を1つ以上選んでください。"));
    }
    let record = TerminalRecord {
        id: r.id.to_owned(),
        name: if name.is_empty() { r.id } else { name }.to_owned(),
        public_key,
        counters,
        registered_at: now,
        registered_by: by.to_owned(),
    };
    match store.put_terminal(tenant, &record, audit) {
        Err(StoreError::NotFound(_)) => Err(invalid(
            "選ばれた窓口の中に登録されていないものがあります。窓口を選び直してください。",
        )),
        other => other.map(|()| record).map_err(Into::into),
    }
}
