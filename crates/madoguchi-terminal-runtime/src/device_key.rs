//! The terminal's device key (Security II point 9): an Ed25519 key pair made on first use and kept in
//! the data folder (`device-key.p8`, readable only by the service account). Its public half is the
//! enrollment code an administrator registers on the server; every login from this terminal is signed
//! with it ([`madoguchi_core::enrollment::login_message`]).

use madoguchi_api::DeviceProof;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use chrono::{DateTime, SecondsFormat, Utc};
use ring::signature::{Ed25519KeyPair, KeyPair as _};

/// The key file in the data folder.
pub const KEY_FILE: &str = "device-key.p8";

pub struct DeviceKey {
    pair: Ed25519KeyPair,
}

impl std::fmt::Debug for DeviceKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DeviceKey({})", self.enrollment_code())
    }
}

impl DeviceKey {
    /// The key of the data folder `dir`, made (and written) the first time.
    pub fn load_or_create(dir: &Path) -> anyhow::Result<DeviceKey> {
        let path = dir.join(KEY_FILE);
        match std::fs::read(&path) {
            Ok(bytes) => Self::from_pkcs8(&bytes, &path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Self::create(dir, &path),
            Err(e) => anyhow::bail!("cannot read the device key {}: {e}", path.display()),
        }
    }

    fn from_pkcs8(bytes: &[u8], path: &Path) -> anyhow::Result<DeviceKey> {
        let pair = Ed25519KeyPair::from_pkcs8(bytes)
            .map_err(|_| anyhow::anyhow!("the device key {} is damaged", path.display()))?;
        Ok(DeviceKey { pair })
    }

    fn create(dir: &Path, path: &PathBuf) -> anyhow::Result<DeviceKey> {
        std::fs::create_dir_all(dir)?;
        let rng = ring::rand::SystemRandom::new();
        let pkcs8 = Ed25519KeyPair::generate_pkcs8(&rng)
            .map_err(|_| anyhow::anyhow!("cannot generate a device key"))?;
        // Written to a private temporary file first, so that a crash leaves no half key.
        let tmp = dir.join(format!("{KEY_FILE}.tmp"));
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&tmp)?;
        file.write_all(pkcs8.as_ref())?;
        file.sync_all()?;
        drop(file);
        // Another process may have made one meanwhile: the first one written wins.
        if std::fs::hard_link(&tmp, path).is_err() && !path.exists() {
            std::fs::rename(&tmp, path)?;
        }
        let _ = std::fs::remove_file(&tmp);
        Self::from_pkcs8(&std::fs::read(path)?, path)
    }

    pub fn public_key(&self) -> [u8; 32] {
        let mut key = [0u8; 32];
        key.copy_from_slice(self.pair.public_key().as_ref());
        key
    }

    /// What the administrator types into the server (53 characters in groups of four).
    pub fn enrollment_code(&self) -> String {
        madoguchi_core::enrollment::enrollment_code(&self.public_key())
    }

    /// The `device` part of a login request: this terminal's signature over the login.
    pub fn login_proof(
        &self,
        tenant: &str,
        terminal: &str,
        user: &str,
        counter: &str,
        now: DateTime<Utc>,
    ) -> Option<DeviceProof> {
        let signed_at = now.to_rfc3339_opts(SecondsFormat::Secs, true);
        let message =
            madoguchi_core::enrollment::login_message(tenant, terminal, user, counter, &signed_at)?;
        let signature = self.pair.sign(&message);
        Some(DeviceProof {
            terminal: terminal.to_owned(),
            signed_at,
            signature: base64::engine::general_purpose::STANDARD.encode(signature.as_ref()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_is_made_once_and_kept_private() {
        let dir = tempfile::tempdir().expect("dir");
        let first = DeviceKey::load_or_create(dir.path()).expect("key");
        let again = DeviceKey::load_or_create(dir.path()).expect("key");
        assert_eq!(first.public_key(), again.public_key());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(dir.path().join(KEY_FILE))
                .expect("file")
                .permissions();
            assert_eq!(mode.mode() & 0o777, 0o600);
        }
        let other = tempfile::tempdir().expect("dir");
        let elsewhere = DeviceKey::load_or_create(other.path()).expect("key");
        assert_ne!(first.public_key(), elsewhere.public_key());
    }

    #[test]
    fn a_proof_verifies_with_the_public_key_only_for_its_login() {
        let dir = tempfile::tempdir().expect("dir");
        let key = DeviceKey::load_or_create(dir.path()).expect("key");
        let now = DateTime::parse_from_rfc3339("2026-12-06T10:00:00Z")
            .expect("t")
            .to_utc();
        let proof = key
            .login_proof("demo", "t-1", "suzuki", "shimin-1", now)
            .expect("proof");
        assert_eq!(proof.signed_at, "2026-12-06T10:00:00Z");
        let signature = base64::engine::general_purpose::STANDARD
            .decode(&proof.signature)
            .expect("b64");
        let public =
            ring::signature::UnparsedPublicKey::new(&ring::signature::ED25519, key.public_key());
        let message = |counter| {
            madoguchi_core::enrollment::login_message(
                "demo",
                "t-1",
                "suzuki",
                counter,
                "2026-12-06T10:00:00Z",
            )
            .expect("message")
        };
        assert!(public.verify(&message("shimin-1"), &signature).is_ok());
        assert!(public.verify(&message("kanri"), &signature).is_err());
    }
}
