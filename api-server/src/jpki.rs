//! JPKI user authentication (公的個人認証 利用者証明用電子証明書): the terminal has the card sign a random
//! challenge from the server; the server checks the certificate chain against its configured trust
//! anchors, the validity period, revocation (a CRL the city loads — J-LIS's CRL/OCSP needs a contract,
//! so the source is pluggable), and the signature over the challenge, with `ring`.

use chrono::{DateTime, Utc};
use ring::signature::{RSA_PKCS1_2048_8192_SHA256, UnparsedPublicKey};
use x509_parser::prelude::{FromDer, X509Certificate};
use x509_parser::revocation_list::CertificateRevocationList;

/// Why a card authentication was refused. Messages carry no personal data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JpkiError {
    #[error("no JPKI trust anchors are configured")]
    NotConfigured,
    #[error("the certificate is not a well-formed X.509 certificate")]
    BadCertificate,
    #[error("the certificate was not issued by a trusted JPKI CA")]
    UnknownIssuer,
    #[error("the certificate is outside its validity period")]
    Expired,
    #[error("the certificate is revoked")]
    Revoked,
    #[error("the signature over the challenge does not verify")]
    BadSignature,
    #[error("the certificate is not for digital signatures")]
    WrongKeyUsage,
    #[error("the CRL is not well-formed or not signed by a trusted CA")]
    BadCrl,
    #[error("no CRL of the certificate's issuer is loaded: revocation cannot be checked")]
    NoCrl,
    #[error("the CRL of the certificate's issuer is past its next update")]
    StaleCrl,
}

impl JpkiError {
    /// Stable code for the API.
    pub fn code(&self) -> &'static str {
        match self {
            JpkiError::NotConfigured => "jpki_not_configured",
            JpkiError::BadCertificate => "jpki_bad_certificate",
            JpkiError::UnknownIssuer => "jpki_unknown_issuer",
            JpkiError::Expired => "jpki_expired",
            JpkiError::Revoked => "jpki_revoked",
            JpkiError::BadSignature => "jpki_bad_signature",
            JpkiError::WrongKeyUsage => "jpki_wrong_key_usage",
            JpkiError::BadCrl => "jpki_bad_crl",
            JpkiError::NoCrl => "jpki_no_crl",
            JpkiError::StaleCrl => "jpki_stale_crl",
        }
    }

    /// For the resident and staff, in Japanese.
    pub fn message_ja(&self) -> &'static str {
        match self {
            JpkiError::NotConfigured => {
                "公的個人認証の設定がされていないため、カードによる本人確認はできません。"
            }
            JpkiError::BadCertificate | JpkiError::UnknownIssuer | JpkiError::WrongKeyUsage => {
                "カードの電子証明書を確認できませんでした。職員にお声がけください。"
            }
            JpkiError::Expired => {
                "カードの利用者証明用電子証明書の有効期間が過ぎています。更新の手続きが必要です。"
            }
            JpkiError::Revoked => {
                "カードの利用者証明用電子証明書は失効しています。職員にお声がけください。"
            }
            JpkiError::BadSignature => {
                "カードによる本人確認に失敗しました。もう一度お試しください。"
            }
            JpkiError::BadCrl => {
                "失効リストを確認できません。発行元の署名がある失効リストを登録してください。"
            }
            JpkiError::NoCrl | JpkiError::StaleCrl => {
                "失効リストが登録されていないか有効期限が切れているため、カードによる本人確認ができません。管理者に失効リストの更新を依頼してください。"
            }
        }
    }
}

/// Whether a certificate (by issuer and serial number) is good at `now`. The city's loaded CRL today;
/// an OCSP client or a J-LIS platform operator's service can implement the same trait. It **fails
/// closed**: without current revocation information the answer is an error, never "not revoked".
pub trait RevocationSource: Send + Sync {
    fn check(&self, issuer: &[u8], serial: &[u8], now: DateTime<Utc>) -> Result<(), JpkiError>;
}

/// A CRL as loaded: its issuer (name DER), revoked serial numbers and next update.
#[derive(Debug, Clone)]
struct Crl {
    issuer: Vec<u8>,
    revoked: Vec<Vec<u8>>,
    next_update: Option<DateTime<Utc>>,
}

/// Revocation from CRLs, each checked against the trust anchors when loaded.
#[derive(Debug, Default, Clone)]
pub struct CrlSet {
    lists: Vec<Crl>,
}

impl CrlSet {
    /// Loads DER CRLs; every one must be signed by one of `anchors`.
    pub fn load(crls: &[Vec<u8>], anchors: &[Vec<u8>]) -> Result<CrlSet, JpkiError> {
        let mut lists = Vec::new();
        for der in crls {
            let (_, crl) =
                CertificateRevocationList::from_der(der).map_err(|_| JpkiError::BadCrl)?;
            let signed = anchors.iter().any(|a| {
                X509Certificate::from_der(a).is_ok_and(|(_, ca)| {
                    ca.subject().as_raw() == crl.issuer().as_raw()
                        && crl.verify_signature(ca.public_key()).is_ok()
                })
            });
            if !signed {
                return Err(JpkiError::BadCrl);
            }
            let revoked = crl
                .iter_revoked_certificates()
                .map(|r| r.raw_serial().to_vec())
                .collect();
            let next_update = crl
                .next_update()
                .and_then(|t| DateTime::from_timestamp(t.timestamp(), 0));
            lists.push(Crl {
                issuer: crl.issuer().as_raw().to_vec(),
                revoked,
                next_update,
            });
        }
        Ok(CrlSet { lists })
    }
}

impl CrlSet {
    /// Every list is still current at `now` (before its next update), and there is at least one: the
    /// revocation check will not refuse for a stale or missing list.
    pub fn is_current(&self, now: DateTime<Utc>) -> bool {
        !self.lists.is_empty()
            && self
                .lists
                .iter()
                .all(|c| c.next_update.is_some_and(|n| n >= now))
    }
}

impl RevocationSource for CrlSet {
    fn check(&self, issuer: &[u8], serial: &[u8], now: DateTime<Utc>) -> Result<(), JpkiError> {
        let of_issuer: Vec<&Crl> = self.lists.iter().filter(|c| c.issuer == issuer).collect();
        if of_issuer.is_empty() {
            return Err(JpkiError::NoCrl);
        }
        if of_issuer
            .iter()
            .any(|c| c.revoked.iter().any(|s| s == serial))
        {
            return Err(JpkiError::Revoked);
        }
        // At least one list of the issuer must still be current (a CRL without a next update counts
        // as stale).
        if !of_issuer
            .iter()
            .any(|c| c.next_update.is_some_and(|n| n >= now))
        {
            return Err(JpkiError::StaleCrl);
        }
        Ok(())
    }
}

/// A verified card authentication: which certificate signed (no personal data: the user-authentication
/// certificate carries none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub serial_hex: String,
    pub issuer: String,
    pub not_after: DateTime<Utc>,
}

/// Checks a card's answer to `challenge`: certificate chain, validity on `now`, revocation, key usage,
/// and the PKCS#1 v1.5 SHA-256 signature the card made over the challenge.
pub fn verify_auth(
    certificate: &[u8],
    signature: &[u8],
    challenge: &[u8],
    anchors: &[Vec<u8>],
    revocation: &dyn RevocationSource,
    now: DateTime<Utc>,
) -> Result<Verified, JpkiError> {
    if anchors.is_empty() {
        return Err(JpkiError::NotConfigured);
    }
    let (_, cert) =
        X509Certificate::from_der(certificate).map_err(|_| JpkiError::BadCertificate)?;
    // Roots of different generations share one name: match by signature, not by name alone.
    let trusted = anchors.iter().any(|a| {
        X509Certificate::from_der(a).is_ok_and(|(_, ca)| {
            ca.subject().as_raw() == cert.issuer().as_raw()
                && cert.verify_signature(Some(ca.public_key())).is_ok()
        })
    });
    if !trusted {
        return Err(JpkiError::UnknownIssuer);
    }
    let validity = cert.validity();
    let (from, to) = (
        validity.not_before.timestamp(),
        validity.not_after.timestamp(),
    );
    if now.timestamp() < from || now.timestamp() > to {
        return Err(JpkiError::Expired);
    }
    // The key usage must be there and allow digital signatures (a missing extension is refused).
    match cert.key_usage() {
        Ok(Some(ku)) if ku.value.digital_signature() => {}
        _ => return Err(JpkiError::WrongKeyUsage),
    }
    revocation.check(cert.issuer().as_raw(), cert.raw_serial(), now)?;
    UnparsedPublicKey::new(
        &RSA_PKCS1_2048_8192_SHA256,
        &cert.public_key().subject_public_key.data,
    )
    .verify(challenge, signature)
    .map_err(|_| JpkiError::BadSignature)?;
    Ok(Verified {
        serial_hex: cert
            .raw_serial()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect(),
        issuer: cert.issuer().to_string(),
        not_after: DateTime::from_timestamp(to, 0).unwrap_or(now),
    })
}

/// Trust anchors from `MADOGUCHI_JPKI_ANCHORS`: a folder of CA certificates (`.der`, `.cer`, `.pem`),
/// e.g. J-LIS's 利用者証明用 root CAs of every generation in force. Empty when unset.
pub fn anchors_from_env() -> Vec<Vec<u8>> {
    let Some(dir) = std::env::var_os("MADOGUCHI_JPKI_ANCHORS") else {
        return Vec::new();
    };
    let Ok(entries) = std::fs::read_dir(&dir) else {
        tracing::error!("MADOGUCHI_JPKI_ANCHORS is not a readable folder");
        return Vec::new();
    };
    let mut out = Vec::new();
    for e in entries.flatten() {
        let Ok(bytes) = std::fs::read(e.path()) else {
            continue;
        };
        match x509_parser::pem::parse_x509_pem(&bytes) {
            Ok((_, pem)) => out.push(pem.contents),
            Err(_) => out.push(bytes),
        }
    }
    out.retain(|der| X509Certificate::from_der(der).is_ok());
    tracing::info!(anchors = out.len(), "JPKI trust anchors loaded");
    out
}
