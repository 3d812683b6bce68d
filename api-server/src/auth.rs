//! Staff login: argon2id password hashes, the password policy, opaque bearer tokens stored only as
//! SHA-256, and the per-request session with its permissions.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use madoguchi_core::permission::PermissionSet;
use madoguchi_store::{AuditEvent, NewUser, SessionRecord, Store, TenantId};
use rand_core::{OsRng, RngCore};

/// Memory (KiB), iterations and lanes of argon2id for new hashes. Existing hashes carry their own
/// parameters in the PHC string and verify with those.
const ARGON2_M_KIB: u32 = 64 * 1024;
const ARGON2_T: u32 = 3;
const ARGON2_P: u32 = 1;

/// The parameters, for benchmark reports.
pub const ARGON2_PARAMS: &str = "m=65536 KiB (64 MiB), t=3, p=1";

fn argon2() -> Argon2<'static> {
    let params = Params::new(ARGON2_M_KIB, ARGON2_T, ARGON2_P, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// PHC-format argon2id hash of a password with a random salt.
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("password hashing failed: {e}"))
}

pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|h| argon2().verify_password(password.as_bytes(), &h).is_ok())
}

/// A fresh random session token (256 bits, hex) and its SHA-256.
pub fn new_token() -> (String, [u8; 32]) {
    let mut raw = [0u8; 32];
    OsRng.fill_bytes(&mut raw);
    let token = crate::import::hex(&raw);
    let hash = token_hash(&token);
    (token, hash)
}

pub fn token_hash(token: &str) -> [u8; 32] {
    let d = ring::digest::digest(&ring::digest::SHA256, token.as_bytes());
    let mut out = [0u8; 32];
    out.copy_from_slice(d.as_ref());
    out
}

/// A staff account to create: the password is checked against the policy and hashed here.
#[derive(Debug, Clone)]
pub struct AccountSpec<'a> {
    pub login: &'a str,
    pub display_name: &'a str,
    pub password: &'a str,
    pub groups: Vec<String>,
    pub valid_until: Option<chrono::NaiveDate>,
}

/// Checks a login name: 1–64 characters of ASCII letters, digits, `.`, `_`, `-` or `@`.
pub fn check_login(login: &str) -> Result<(), String> {
    let ok = !login.is_empty()
        && login.len() <= 64
        && login
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'));
    if ok {
        Ok(())
    } else {
        Err("ユーザーIDは64文字以内の半角英数字と . _ - @ で指定してください。".into())
    }
}

/// The new account as the store takes it, after the login and password checks (Japanese reasons).
pub fn new_account(spec: &AccountSpec<'_>) -> Result<NewUser, String> {
    check_login(spec.login)?;
    if spec.display_name.trim().is_empty() || spec.display_name.chars().count() > 100 {
        return Err("氏名を100文字以内で指定してください。".into());
    }
    madoguchi_core::password::check(spec.login, spec.password)?;
    let hash = hash_password(spec.password).map_err(|e| {
        tracing::error!(error = %e, "password hashing failed");
        "パスワードを保存できませんでした。".to_owned()
    })?;
    Ok(NewUser {
        login: spec.login.to_owned(),
        display_name: spec.display_name.trim().to_owned(),
        password_hash: Some(hash),
        groups: spec.groups.clone(),
        valid_until: spec.valid_until,
        must_change_password: false,
    })
}

/// Creates a staff account (CLI and demo seeding), audited as `audit`.
pub fn create_user(
    store: &dyn Store,
    tenant: &TenantId,
    spec: &AccountSpec<'_>,
    audit: &AuditEvent,
) -> anyhow::Result<i64> {
    let user = new_account(spec).map_err(anyhow::Error::msg)?;
    Ok(store.create_user(tenant, &user, audit)?)
}

/// A sliding-window limit of attempts per key (client address, or tenant and login). In memory: a restart
/// forgets it, which is acceptable because account lockout (stored) is the durable protection.
#[derive(Debug)]
pub struct AttemptLimiter<K = std::net::IpAddr> {
    max: u32,
    window: std::time::Duration,
    seen: std::sync::Mutex<
        std::collections::HashMap<K, std::collections::VecDeque<std::time::Instant>>,
    >,
}

impl<K: std::hash::Hash + Eq> AttemptLimiter<K> {
    pub fn new(max: u32, window: std::time::Duration) -> Self {
        AttemptLimiter {
            max,
            window,
            seen: std::sync::Mutex::new(std::collections::HashMap::new()),
        }
    }

    /// Records an attempt for `addr` (a client address, or an account) at `now`; `false` when it is
    /// over its limit.
    pub fn allow(&self, addr: K, now: std::time::Instant) -> bool {
        let Ok(mut seen) = self.seen.lock() else {
            return false;
        };
        // Forget addresses whose window has passed, so the map stays small.
        if seen.len() > 10_000 {
            seen.retain(|_, q| {
                q.back()
                    .is_some_and(|t| now.duration_since(*t) < self.window)
            });
        }
        let q = seen.entry(addr).or_default();
        while q
            .front()
            .is_some_and(|t| now.duration_since(*t) >= self.window)
        {
            q.pop_front();
        }
        if q.len() as u32 >= self.max {
            return false;
        }
        q.push_back(now);
        true
    }
}

/// The logged-in staff member of a request (extracting it in a handler enforces authentication: `api::extract`).
#[derive(Debug, Clone)]
pub struct Session {
    pub record: SessionRecord,
    pub token_hash: [u8; 32],
}

impl Session {
    pub fn tenant(&self) -> &TenantId {
        &self.record.tenant
    }

    /// What the user may do at the counter they logged in at, as groups and counter are now.
    pub fn permissions(&self) -> PermissionSet {
        self.record.permissions()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_hash_verifies_only_the_right_password() {
        let h = hash_password("correct horse").expect("hash");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &h));
        assert!(!verify_password("wrong", &h));
        assert!(!verify_password("correct horse", "not a hash"));
    }

    #[test]
    fn attempt_limiter_slides() {
        let l = AttemptLimiter::new(2, std::time::Duration::from_secs(60));
        let a: std::net::IpAddr = [192, 0, 2, 1].into();
        let b: std::net::IpAddr = [192, 0, 2, 2].into();
        let t0 = std::time::Instant::now();
        assert!(l.allow(a, t0));
        assert!(l.allow(a, t0 + std::time::Duration::from_secs(1)));
        assert!(
            !l.allow(a, t0 + std::time::Duration::from_secs(2)),
            "third within the window"
        );
        assert!(
            l.allow(b, t0 + std::time::Duration::from_secs(2)),
            "per address"
        );
        assert!(
            l.allow(a, t0 + std::time::Duration::from_secs(61)),
            "the oldest left the window"
        );
    }

    #[test]
    fn tokens_are_random_and_hashed() {
        let (a, ha) = new_token();
        let (b, _) = new_token();
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert_eq!(token_hash(&a), ha);
    }
}
