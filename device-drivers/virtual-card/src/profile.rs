//! The virtual card's data (JSON): the resident, PINs, and the JPKI material of a test CA.

use base64::Engine;
use serde::{Deserialize, Serialize};

/// What the virtual card holds. Certificates and the key are base64 DER (PKCS#8 for the key).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CardProfile {
    /// Family and given name separated by U+3000.
    pub name: String,
    pub address: String,
    /// `YYYYMMDD`.
    pub birth: String,
    /// ISO 5218: `1`, `2`, `9` or `0`.
    pub sex: String,
    /// 12 digits.
    pub my_number: String,
    /// 券面事項入力補助 PIN (4 digits).
    pub text_pin: String,
    /// JPKI user-authentication PIN (4 digits).
    pub auth_pin: String,
    /// JPKI signing password (6–16 of A–Z and 0–9); the card holds no signing key, only the password
    /// object that readers such as OpenSC query for its tries.
    #[serde(default = "sign_password")]
    pub sign_password: String,
    /// Tries left at start (default 3 each).
    #[serde(default = "three")]
    pub text_pin_retries: u8,
    #[serde(default = "three")]
    pub auth_pin_retries: u8,
    /// 利用者証明用電子証明書, DER, base64.
    #[serde(default)]
    pub auth_certificate: Option<String>,
    /// The issuing CA's certificate, DER, base64.
    #[serde(default)]
    pub ca_certificate: Option<String>,
    /// The user-authentication private key, PKCS#8 DER, base64.
    #[serde(default)]
    pub auth_key: Option<String>,
    /// Simulates pulling the card away: the connection to the reader closes after this many APDUs.
    #[serde(default)]
    pub pull_after_apdus: Option<usize>,
}

fn three() -> u8 {
    3
}

fn sign_password() -> String {
    "ABC123".into()
}

impl CardProfile {
    /// A card for tests and demos: 山田 太郎, text PIN `1234`, JPKI PIN `5678`, My Number
    /// `123456789018` (valid check digit), all tries left, no JPKI key or certificates.
    pub fn example() -> CardProfile {
        CardProfile {
            name: "山田\u{3000}太郎".into(),
            address: "東京都千代田区千代田１－１".into(),
            birth: "19800101".into(),
            sex: "1".into(),
            my_number: "123456789018".into(),
            text_pin: "1234".into(),
            auth_pin: "5678".into(),
            sign_password: sign_password(),
            text_pin_retries: 3,
            auth_pin_retries: 3,
            auth_certificate: None,
            ca_certificate: None,
            auth_key: None,
            pull_after_apdus: None,
        }
    }

    pub fn from_json(text: &str) -> anyhow::Result<CardProfile> {
        Ok(serde_json::from_str(text)?)
    }

    pub(crate) fn der(field: &Option<String>) -> anyhow::Result<Option<Vec<u8>>> {
        field
            .as_deref()
            .map(|b| {
                base64::engine::general_purpose::STANDARD
                    .decode(b)
                    .map_err(anyhow::Error::from)
            })
            .transpose()
    }

    /// Base64 for the JSON fields.
    pub fn encode(der: &[u8]) -> String {
        base64::engine::general_purpose::STANDARD.encode(der)
    }
}
