//! Terminals of the tests: an Ed25519 device key, enrolled for counters, that signs its logins as the
//! terminal's runtime does (`madoguchi_core::enrollment`).

use crate::staff::setup_event;

/// An enrolled terminal of the tests: a fresh Ed25519 device key registered for `counters`.
pub struct TestDevice {
    pub id: String,
    pair: ring::signature::Ed25519KeyPair,
}

impl TestDevice {
    /// The key of terminal `id` (the same for the same id), not enrolled anywhere yet.
    pub fn new(id: &str) -> TestDevice {
        Self::with_seed(id, id)
    }

    /// Terminal `id` with the key made from `seed` (another seed: another key).
    pub fn with_seed(id: &str, seed: &str) -> TestDevice {
        let seed = ring::digest::digest(&ring::digest::SHA256, seed.as_bytes());
        TestDevice {
            id: id.into(),
            pair: ring::signature::Ed25519KeyPair::from_seed_unchecked(seed.as_ref()).expect("key"),
        }
    }

    /// The key of [`Self::new`], enrolled in `tenant` for `counters`.
    pub fn enroll(
        store: &dyn madoguchi_store::Store,
        tenant: &madoguchi_store::TenantId,
        id: &str,
        counters: &[&str],
    ) -> TestDevice {
        let device = Self::new(id);
        store
            .put_terminal(
                tenant,
                &madoguchi_store::TerminalRecord {
                    id: id.into(),
                    name: id.into(),
                    public_key: device.public_key(),
                    counters: counters.iter().map(|c| (*c).to_owned()).collect(),
                    registered_at: chrono::Utc::now(),
                    registered_by: "test-setup".into(),
                },
                &setup_event(tenant, "terminal.put"),
            )
            .expect("terminal");
        device
    }

    pub fn public_key(&self) -> [u8; 32] {
        use ring::signature::KeyPair as _;
        self.pair
            .public_key()
            .as_ref()
            .try_into()
            .expect("32 bytes")
    }

    pub fn enrollment_code(&self) -> String {
        madoguchi_core::enrollment::enrollment_code(&self.public_key())
    }

    /// A login request as the terminal's runtime sends it, signed at `signed_at`.
    pub fn login_at(
        &self,
        tenant: &str,
        user: &str,
        password: &str,
        counter: &str,
        signed_at: chrono::DateTime<chrono::Utc>,
    ) -> serde_json::Value {
        use base64::Engine as _;
        let at = signed_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let message =
            madoguchi_core::enrollment::login_message(tenant, &self.id, user, counter, &at)
                .expect("message");
        let signature = base64::engine::general_purpose::STANDARD.encode(self.pair.sign(&message));
        serde_json::json!({"tenant": tenant, "user": user, "password": password, "counter": counter,
            "device": {"terminal": self.id, "signed_at": at, "signature": signature}})
    }

    /// [`Self::login_at`] now.
    pub fn login(
        &self,
        tenant: &str,
        user: &str,
        password: &str,
        counter: &str,
    ) -> serde_json::Value {
        self.login_at(tenant, user, password, counter, chrono::Utc::now())
    }
}
