//! **Test double.** A TEST JPKI PKI for the virtual card: a CA (“JPKI for user authentication (TEST
//! CA)”), a 利用者証明用電子証明書 it issued with a chosen serial, the user's key, and the CA's current
//! CRL revoking nothing — what a server needs as its trust anchor and CRL to verify the virtual card's
//! user authentication. Never a real JPKI certificate: every name says TEST.

use std::path::Path;

use anyhow::Context;
use rcgen::{
    BasicConstraints, CertificateParams, CertificateRevocationListParams, DistinguishedName,
    DnType, IsCa, KeyIdMethod, KeyPair, KeyUsagePurpose, PKCS_RSA_SHA256, SerialNumber,
    date_time_ymd,
};
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey, LineEnding};

use crate::CardProfile;

/// The CA, the user certificate and key, the CRL, and the card profile holding them.
#[derive(Debug, Clone)]
pub struct TestPki {
    /// The test CA's certificate, DER: the server's trust anchor.
    pub ca_der: Vec<u8>,
    /// The 利用者証明用電子証明書, DER, its serial the one asked for.
    pub auth_cert_der: Vec<u8>,
    /// The user-authentication private key, PKCS#8 DER.
    pub auth_key_pkcs8: Vec<u8>,
    /// The CA's CRL, DER: revokes nothing, issued yesterday, next update 30 days ahead.
    pub crl_der: Vec<u8>,
    /// The base profile with `auth_certificate`, `auth_key` and `ca_certificate` set.
    pub profile: CardProfile,
}

/// The bytes of a hexadecimal serial (`:` and spaces allowed between digits, an odd count padded
/// with a leading zero); an error for anything else, for no digit or for a zero serial.
pub fn serial_bytes(serial_hex: &str) -> anyhow::Result<Vec<u8>> {
    let digits: String = serial_hex
        .trim()
        .chars()
        .filter(|c| !matches!(c, ':' | ' '))
        .collect();
    anyhow::ensure!(
        !digits.is_empty() && digits.chars().all(|c| c.is_ascii_hexdigit()),
        "the serial must be hexadecimal digits: {serial_hex:?}"
    );
    let padded = if digits.len() % 2 == 1 {
        format!("0{digits}")
    } else {
        digits
    };
    let bytes = (0..padded.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&padded[i..i + 2], 16))
        .collect::<Result<Vec<u8>, _>>()?;
    anyhow::ensure!(bytes.iter().any(|b| *b != 0), "the serial must not be zero");
    anyhow::ensure!(
        bytes.iter().skip_while(|b| **b == 0).count() <= 20,
        "the serial has more than 20 octets"
    );
    Ok(bytes)
}

fn rsa_key() -> anyhow::Result<(Vec<u8>, KeyPair)> {
    let key = rsa::RsaPrivateKey::new(&mut rsa::rand_core::OsRng, 2048)?;
    let pkcs8 = key.to_pkcs8_der()?.as_bytes().to_vec();
    let pair = KeyPair::from_pkcs8_der_and_sign_algo(&pkcs8.clone().into(), &PKCS_RSA_SHA256)?;
    Ok((pkcs8, pair))
}

fn dn(ou: &str) -> DistinguishedName {
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CountryName, "JP");
    dn.push(DnType::OrganizationName, "JPKI (TEST)");
    dn.push(DnType::OrganizationalUnitName, ou);
    dn
}

/// Builds a TEST JPKI PKI whose user-authentication certificate has the serial `serial_hex` (see
/// [`serial_bytes`]), and `base` with the certificate, the key and the CA certificate set.
///
/// # Panics
///
/// When `serial_hex` is not a valid serial (check it with [`serial_bytes`] first) or when rcgen or
/// the RSA key generation fails.
pub fn jpki_test_pki(serial_hex: &str, base: CardProfile) -> TestPki {
    let serial = serial_bytes(serial_hex).expect("a valid serial");
    build(serial, base).expect("TEST JPKI PKI")
}

fn build(serial: Vec<u8>, base: CardProfile) -> anyhow::Result<TestPki> {
    let (_, ca_key) = rsa_key()?;
    let mut p = CertificateParams::default();
    p.distinguished_name = dn("JPKI for user authentication (TEST CA)");
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    p.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    p.not_before = date_time_ymd(2023, 1, 1);
    p.not_after = date_time_ymd(2033, 7, 15);
    let ca = p.self_signed(&ca_key).context("CA")?;
    let (user_pkcs8, user_key) = rsa_key()?;
    let mut p = CertificateParams::default();
    p.distinguished_name = dn("JPKI for user authentication (TEST)");
    p.serial_number = Some(SerialNumber::from(serial));
    p.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    // rcgen writes the extensions (key usage included) only with another one: basic constraints.
    p.is_ca = IsCa::ExplicitNoCa;
    p.not_before = date_time_ymd(2024, 4, 1);
    p.not_after = date_time_ymd(2033, 4, 1);
    let user = p
        .signed_by(&user_key, &ca, &ca_key)
        .context("user certificate")?;
    // Today plus `days`, as rcgen dates.
    let day = |days: i64| {
        use chrono::Datelike;
        let d = chrono::Utc::now() + chrono::Duration::days(days);
        date_time_ymd(d.year(), d.month() as u8, d.day() as u8)
    };
    let crl = CertificateRevocationListParams {
        this_update: day(-1),
        next_update: day(30),
        crl_number: SerialNumber::from(1u64),
        issuing_distribution_point: None,
        revoked_certs: Vec::new(),
        key_identifier_method: KeyIdMethod::Sha256,
    }
    .signed_by(&ca, &ca_key)
    .context("CRL")?;
    let profile = CardProfile {
        auth_certificate: Some(CardProfile::encode(user.der())),
        auth_key: Some(CardProfile::encode(&user_pkcs8)),
        ca_certificate: Some(CardProfile::encode(ca.der())),
        ..base
    };
    Ok(TestPki {
        ca_der: ca.der().to_vec(),
        auth_cert_der: user.der().to_vec(),
        auth_key_pkcs8: user_pkcs8,
        crl_der: crl.der().to_vec(),
        profile,
    })
}

impl TestPki {
    /// Writes `anchors/ca.der`, `crl.txt` (the CRL as one base64 line), `card.json`,
    /// `auth-key.pk8.pem` and `auth-cert.der` into `dir` (created if missing).
    pub fn write_to(&self, dir: &Path) -> anyhow::Result<()> {
        let write = |name: &str, bytes: &[u8]| {
            let path = dir.join(name);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))
        };
        write("anchors/ca.der", &self.ca_der)?;
        write(
            "crl.txt",
            format!("{}\n", CardProfile::encode(&self.crl_der)).as_bytes(),
        )?;
        let json = serde_json::to_string_pretty(&self.profile)?;
        write("card.json", format!("{json}\n").as_bytes())?;
        let key = rsa::RsaPrivateKey::from_pkcs8_der(&self.auth_key_pkcs8)?;
        write(
            "auth-key.pk8.pem",
            key.to_pkcs8_pem(LineEnding::LF)?.as_bytes(),
        )?;
        write("auth-cert.der", &self.auth_cert_der)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serials_parse_as_bytes() {
        assert_eq!(serial_bytes("4d0123").ok(), Some(vec![0x4d, 0x01, 0x23]));
        assert_eq!(serial_bytes("A:B").ok(), Some(vec![0xab]));
        assert_eq!(serial_bytes("fff").ok(), Some(vec![0x0f, 0xff]));
        assert_eq!(serial_bytes("00 8f").ok(), Some(vec![0x00, 0x8f]));
        for bad in ["", "xyz", "0x12", "00", &"ab".repeat(21)] {
            assert!(serial_bytes(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_pki_carries_the_serial_and_writes_its_files() {
        let pki = jpki_test_pki("8f4d0123", CardProfile::example());
        // The DER serial follows the version and is encoded minimally, a 00 before a high bit.
        let needle = [0x02, 0x05, 0x00, 0x8f, 0x4d, 0x01, 0x23];
        assert!(
            pki.auth_cert_der.windows(needle.len()).any(|w| w == needle),
            "the certificate's serial"
        );
        assert_eq!(pki.profile.name, CardProfile::example().name);
        let dir = std::env::temp_dir().join(format!("virtual-card-pki-{}", std::process::id()));
        pki.write_to(&dir).expect("write");
        assert_eq!(
            std::fs::read(dir.join("anchors/ca.der")).expect("ca"),
            pki.ca_der
        );
        let crl = std::fs::read_to_string(dir.join("crl.txt")).expect("crl");
        assert_eq!(crl.trim_end(), CardProfile::encode(&pki.crl_der));
        assert_eq!(crl.lines().count(), 1);
        let card =
            CardProfile::from_json(&std::fs::read_to_string(dir.join("card.json")).expect("json"))
                .expect("profile");
        assert_eq!(card.auth_certificate, pki.profile.auth_certificate);
        assert!(card.ca_certificate.is_some());
        let pem = std::fs::read_to_string(dir.join("auth-key.pk8.pem")).expect("pem");
        assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----"));
        assert_eq!(
            std::fs::read(dir.join("auth-cert.der")).expect("cert"),
            pki.auth_cert_der
        );
        std::fs::remove_dir_all(&dir).expect("clean up");
    }
}
