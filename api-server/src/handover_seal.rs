//! Encryption of a tenant hand-over (Security II point 18) with [age](https://age-encryption.org/v1):
//! every file of the export, the manifest included, is encrypted to the recipients (X25519 public keys,
//! `age1…`) given at export and written as `<name>.age`; the import decrypts them with the matching
//! identity file (`AGE-SECRET-KEY-1…`, as `age-keygen` or `madoguchi-server tenant keygen` write it).
//! Interoperable with the `age` and `rage` tools.

use std::io::{Read as _, Write as _};
use std::path::Path;

/// The recipients an export is encrypted to.
pub struct Sealer {
    recipients: Vec<age::x25519::Recipient>,
}

/// Why a recipient or identity cannot be used, or a file cannot be opened (Japanese).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct SealError(pub String);

fn err(m: impl Into<String>) -> SealError {
    SealError(m.into())
}

impl Sealer {
    /// Recipients as given on the command line (`age1…`, one or more).
    pub fn new(recipients: &[String]) -> Result<Sealer, SealError> {
        let recipients = recipients
            .iter()
            .map(|r| {
                r.trim().parse::<age::x25519::Recipient>().map_err(|_| {
                    err(format!(
                        "暗号化の宛先 {} が正しくありません。age の公開鍵（age1 で始まる文字列）を指定してください。",
                        r.trim()
                    ))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        if recipients.is_empty() {
            return Err(err("暗号化の宛先を 1 つ以上指定してください。"));
        }
        Ok(Sealer { recipients })
    }

    /// `bytes` encrypted to every recipient.
    pub fn seal(&self, bytes: &[u8]) -> std::io::Result<Vec<u8>> {
        let recipients = self.recipients.iter().map(|r| r as &dyn age::Recipient);
        let encryptor = age::Encryptor::with_recipients(recipients)
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        let mut out = Vec::with_capacity(bytes.len() + 256);
        let mut writer = encryptor.wrap_output(&mut out)?;
        writer.write_all(bytes)?;
        writer.finish()?;
        Ok(out)
    }
}

/// The identities an import decrypts with.
pub struct Opener {
    identities: Vec<age::x25519::Identity>,
}

impl Opener {
    /// Reads an identity file: lines `AGE-SECRET-KEY-1…`, comments (`#`) and blank lines ignored.
    pub fn from_file(path: &Path) -> Result<Opener, SealError> {
        let text = std::fs::read_to_string(path).map_err(|_| {
            err("復号鍵のファイルを読めません。--identity のパスを確認してください。")
        })?;
        let identities = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|l| {
                l.parse::<age::x25519::Identity>().map_err(|_| {
                    err("復号鍵のファイルの形式が正しくありません（AGE-SECRET-KEY-1 で始まる行が必要です）。")
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        if identities.is_empty() {
            return Err(err("復号鍵のファイルに鍵がありません。"));
        }
        Ok(Opener { identities })
    }

    /// The plaintext of `name`'s encrypted bytes.
    pub fn open(&self, name: &str, sealed: &[u8]) -> Result<Vec<u8>, SealError> {
        let refused = || {
            err(format!(
                "{name} を復号できません。この出力の宛先に対応する復号鍵か、ファイルが壊れていないか確認してください。"
            ))
        };
        let decryptor = age::Decryptor::new(sealed).map_err(|_| refused())?;
        let identities = self.identities.iter().map(|i| i as &dyn age::Identity);
        let mut reader = decryptor.decrypt(identities).map_err(|_| refused())?;
        let mut out = Vec::new();
        reader.read_to_end(&mut out).map_err(|_| refused())?;
        Ok(out)
    }
}

/// A new identity: its file text (for the city's safe) and its recipient (for `--recipient`).
pub fn new_identity() -> (String, String) {
    use age::secrecy::ExposeSecret as _;
    let identity = age::x25519::Identity::generate();
    let recipient = identity.to_public().to_string();
    let text = format!(
        "# Madoguchi のテナント引き継ぎ出力の復号鍵\n# public key: {recipient}\n{}\n",
        identity.to_string().expose_secret()
    );
    (text, recipient)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_bytes_open_with_the_identity_only() {
        let dir = tempfile::tempdir().expect("dir");
        let (text, recipient) = new_identity();
        std::fs::write(dir.path().join("key.txt"), text).expect("key");
        let sealer = Sealer::new(&[recipient]).expect("recipient");
        let sealed = sealer.seal("住民,宛名番号".as_bytes()).expect("seal");
        assert!(!sealed.windows(6).any(|w| w == "住民".as_bytes()));
        let opener = Opener::from_file(&dir.path().join("key.txt")).expect("identity");
        assert_eq!(
            opener.open("residents.csv", &sealed).expect("open"),
            "住民,宛名番号".as_bytes()
        );

        let (other, _) = new_identity();
        std::fs::write(dir.path().join("other.txt"), other).expect("key");
        let stranger = Opener::from_file(&dir.path().join("other.txt")).expect("identity");
        let e = stranger
            .open("residents.csv", &sealed)
            .expect_err("another key");
        assert!(
            e.to_string().contains("residents.csv を復号できません"),
            "{e}"
        );
        assert!(Sealer::new(&["age1nonsense".into()]).is_err());
        assert!(Sealer::new(&[]).is_err());
    }
}
