//! The payload format of Madoguchi's QR symbols, version 1.
//!
//! ```text
//! message = version (1) ‖ kind (1) ‖ key id (1) ‖ body (UTF-8) ‖ tag (16)
//! tag     = HMAC-SHA256(key, version ‖ kind ‖ key id ‖ body), first 16 bytes
//! text    = base64url(message), no padding
//! symbol  = "MDG1." part "." parts "." id "." chunk      (part 1..=parts, parts ≤ 16,
//!                                                          id = first 6 characters of base64url(tag))
//! ```
//!
//! Compact (binary header, base64url so every scanner and keyboard wedge passes it), versioned (the
//! `MDG1` prefix and the version byte), tamper-evident (the server's HMAC key, chosen by key id so keys
//! can rotate), and split over several symbols when long (each symbol says which part it is of how
//! many, and the message id binds the parts together; any order, repeats ignored).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::hmac;

const PREFIX: &str = "MDG1";
const VERSION: u8 = 1;
const TAG_LEN: usize = 16;
/// Most parts one message may be split into.
pub const MAX_PARTS: usize = 16;

/// What a payload carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A case id (printed on the 手続き案内書 and the 受付票): staff open the case by scanning it.
    Case,
    /// 事前申請: what the resident entered on their phone before coming.
    PreApplication,
    /// A certificate's verification code: `<発行番号>.<first 16 bytes of the content digest, base64url>`.
    Certificate,
}

impl Kind {
    fn byte(self) -> u8 {
        match self {
            Kind::Case => 1,
            Kind::PreApplication => 2,
            Kind::Certificate => 3,
        }
    }

    fn from_byte(b: u8) -> Option<Kind> {
        match b {
            1 => Some(Kind::Case),
            2 => Some(Kind::PreApplication),
            3 => Some(Kind::Certificate),
            _ => None,
        }
    }
}

/// A verified payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payload {
    pub kind: Kind,
    pub key_id: u8,
    pub body: String,
}

/// Why scanned text is not (yet) a payload. No content in the messages.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PayloadError {
    #[error("not a Madoguchi QR code")]
    NotOurs,
    #[error("the QR code is damaged or malformed")]
    Malformed,
    #[error("unsupported payload version {0}")]
    UnsupportedVersion(u8),
    #[error("{have} of {need} parts scanned")]
    Incomplete { have: usize, need: usize },
    #[error("the QR code was issued with an unknown key")]
    UnknownKey,
    #[error("the QR code's signature does not match (altered or forged)")]
    BadSignature,
    #[error("the payload is too long for {MAX_PARTS} symbols")]
    TooLong,
}

impl PayloadError {
    pub fn message_ja(&self) -> String {
        match self {
            PayloadError::NotOurs => "窓口システムのQRコードではありません。".into(),
            PayloadError::Incomplete { have, need } => {
                format!("QRコードは{need}枚に分かれています（{have}枚読み取り済み）。残りも読み取ってください。")
            }
            PayloadError::BadSignature | PayloadError::UnknownKey => {
                "QRコードの内容を確認できません（改変された可能性があります）。職員にお声がけください。".into()
            }
            _ => "QRコードを読み取れませんでした。もう一度読み取ってください。".into(),
        }
    }
}

/// The keys that sign and verify payloads (the server's; never on a terminal).
pub struct Signer {
    keys: Vec<(u8, hmac::Key)>,
    current: u8,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer")
            .field("current", &self.current)
            .finish_non_exhaustive()
    }
}

impl Signer {
    /// Keys by id (secret bytes, at least 32); new payloads are signed with `current`.
    pub fn new(keys: &[(u8, &[u8])], current: u8) -> Signer {
        Signer {
            keys: keys
                .iter()
                .map(|(id, k)| (*id, hmac::Key::new(hmac::HMAC_SHA256, k)))
                .collect(),
            current,
        }
    }

    fn key(&self, id: u8) -> Option<&hmac::Key> {
        self.keys.iter().find(|(k, _)| *k == id).map(|(_, k)| k)
    }

    /// The symbols' texts for `body`, split so that none carries more than `max_chunk` characters of
    /// the message.
    pub fn encode(
        &self,
        kind: Kind,
        body: &str,
        max_chunk: usize,
    ) -> Result<Vec<String>, PayloadError> {
        let key = self.key(self.current).ok_or(PayloadError::UnknownKey)?;
        let mut message = vec![VERSION, kind.byte(), self.current];
        message.extend_from_slice(body.as_bytes());
        let tag = hmac::sign(key, &message);
        message.extend_from_slice(&tag.as_ref()[..TAG_LEN]);
        let text = URL_SAFE_NO_PAD.encode(&message);
        let id: String = URL_SAFE_NO_PAD
            .encode(&tag.as_ref()[..TAG_LEN])
            .chars()
            .take(6)
            .collect();
        let chunk = max_chunk.max(16);
        let parts: Vec<&str> = text
            .as_bytes()
            .chunks(chunk)
            .map(|c| std::str::from_utf8(c).unwrap_or_default())
            .collect();
        if parts.len() > MAX_PARTS {
            return Err(PayloadError::TooLong);
        }
        let n = parts.len();
        Ok(parts
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{PREFIX}.{}.{n}.{id}.{c}", i + 1))
            .collect())
    }

    /// Verifies a whole message (the joined parts).
    fn verify(&self, text: &str) -> Result<Payload, PayloadError> {
        let message = URL_SAFE_NO_PAD
            .decode(text)
            .map_err(|_| PayloadError::Malformed)?;
        if message.len() < 3 + TAG_LEN {
            return Err(PayloadError::Malformed);
        }
        if message[0] != VERSION {
            return Err(PayloadError::UnsupportedVersion(message[0]));
        }
        let (signed, tag) = message.split_at(message.len() - TAG_LEN);
        let key = self.key(signed[2]).ok_or(PayloadError::UnknownKey)?;
        let expected = hmac::sign(key, signed);
        // Constant-time comparison of the truncated tag.
        let diff = expected.as_ref()[..TAG_LEN]
            .iter()
            .zip(tag)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b));
        if diff != 0 {
            return Err(PayloadError::BadSignature);
        }
        let kind = Kind::from_byte(signed[1]).ok_or(PayloadError::Malformed)?;
        let body = String::from_utf8(signed[3..].to_vec()).map_err(|_| PayloadError::Malformed)?;
        Ok(Payload {
            kind,
            key_id: signed[2],
            body,
        })
    }
}

/// Collects the parts of one message as they are scanned (camera frames, keyboard wedge, serial).
#[derive(Debug, Default)]
pub struct Assembler {
    id: Option<String>,
    parts: Vec<Option<String>>,
}

impl Assembler {
    /// Adds one scanned symbol text. `Ok(Some)` once every part is in and the signature checks;
    /// `Err(Incomplete)` tells how many are still missing.
    pub fn push(&mut self, scanned: &str, signer: &Signer) -> Result<Payload, PayloadError> {
        let text = scanned.trim();
        let mut fields = text.splitn(5, '.');
        if fields.next() != Some(PREFIX) {
            return Err(PayloadError::NotOurs);
        }
        let part: usize = fields
            .next()
            .and_then(|p| p.parse().ok())
            .ok_or(PayloadError::Malformed)?;
        let total: usize = fields
            .next()
            .and_then(|p| p.parse().ok())
            .ok_or(PayloadError::Malformed)?;
        let id = fields.next().ok_or(PayloadError::Malformed)?;
        let chunk = fields.next().ok_or(PayloadError::Malformed)?;
        if !(1..=MAX_PARTS).contains(&total)
            || !(1..=total).contains(&part)
            || id.len() != 6
            || chunk.is_empty()
        {
            return Err(PayloadError::Malformed);
        }
        // A symbol of another message starts over with that message.
        if self.id.as_deref() != Some(id) || self.parts.len() != total {
            self.id = Some(id.to_owned());
            self.parts = vec![None; total];
        }
        self.parts[part - 1] = Some(chunk.to_owned());
        let have = self.parts.iter().filter(|p| p.is_some()).count();
        if have < total {
            return Err(PayloadError::Incomplete { have, need: total });
        }
        let joined: String = self.parts.iter().flatten().map(String::as_str).collect();
        self.id = None;
        self.parts.clear();
        signer.verify(&joined)
    }
}

/// The kind and body of complete symbols **without checking their signature**: only to word the
/// refusal of a code that did not verify (another city's key, say). Never act on it. `None` when the
/// symbols are not one whole message.
pub fn peek_unverified(symbols: &[String]) -> Option<(Kind, String)> {
    let mut parts: Vec<(usize, &str)> = Vec::new();
    for s in symbols {
        let fields: Vec<&str> = s.trim().splitn(5, '.').collect();
        if fields.len() != 5 || fields[0] != PREFIX {
            return None;
        }
        let part: usize = fields[1].parse().ok()?;
        if !parts.iter().any(|(p, _)| *p == part) {
            parts.push((part, fields[4]));
        }
    }
    parts.sort_by_key(|(p, _)| *p);
    let joined: String = parts.iter().map(|(_, c)| *c).collect();
    let message = URL_SAFE_NO_PAD.decode(joined).ok()?;
    if message.len() < 3 + TAG_LEN || message[0] != VERSION {
        return None;
    }
    let kind = Kind::from_byte(message[1])?;
    let body = String::from_utf8(message[3..message.len() - TAG_LEN].to_vec()).ok()?;
    Some((kind, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signer() -> Signer {
        Signer::new(
            &[
                (1, b"old key, still accepted for QR codes already printed"),
                (2, b"current key of the server: 32+ bytes long"),
            ],
            2,
        )
    }

    #[test]
    fn a_case_id_fits_one_symbol_and_verifies() {
        let s = signer();
        let symbols = s
            .encode(Kind::Case, "case-3b1279e1-f80c-4e4b-9bc3-18cae27f7b35", 300)
            .expect("encode");
        assert_eq!(symbols.len(), 1);
        assert!(symbols[0].starts_with("MDG1.1.1."));
        let got = Assembler::default().push(&symbols[0], &s).expect("payload");
        assert_eq!(
            got,
            Payload {
                kind: Kind::Case,
                key_id: 2,
                body: "case-3b1279e1-f80c-4e4b-9bc3-18cae27f7b35".into()
            }
        );
    }

    #[test]
    fn long_payloads_split_and_join_in_any_order() {
        let s = signer();
        let body = format!(
            "{{\"name\":\"𠮷田　花子\",\"address\":\"{}\"}}",
            "群馬県さくら野市本町一丁目2番3号".repeat(20)
        );
        let symbols = s.encode(Kind::PreApplication, &body, 200).expect("encode");
        assert!(symbols.len() > 3);
        let mut a = Assembler::default();
        let mut order: Vec<usize> = (0..symbols.len()).rev().collect();
        order.insert(1, symbols.len() - 1); // a repeated scan
        let mut result = None;
        for (n, i) in order.iter().enumerate() {
            match a.push(&symbols[*i], &s) {
                Ok(p) => result = Some(p),
                Err(PayloadError::Incomplete { have, need }) => {
                    assert_eq!(need, symbols.len());
                    assert!(have <= n + 1);
                }
                Err(e) => panic!("{e}"),
            }
        }
        assert_eq!(result.map(|p| p.body), Some(body));
    }

    #[test]
    fn altered_forged_or_foreign_symbols_are_refused() {
        let s = signer();
        let symbols = s.encode(Kind::Case, "case-0001", 300).expect("encode");
        // Altered body (a character of the base64 text changed).
        let mut altered = symbols[0].clone().into_bytes();
        let last = altered.len() - 30;
        altered[last] = if altered[last] == b'A' { b'B' } else { b'A' };
        let altered = String::from_utf8(altered).expect("ascii");
        assert!(matches!(
            Assembler::default().push(&altered, &s),
            Err(PayloadError::BadSignature | PayloadError::Malformed)
        ));
        // Signed with a key the server does not have.
        let other = Signer::new(&[(2, b"someone else's key, of the same id...")], 2);
        let forged = other.encode(Kind::Case, "case-0001", 300).expect("encode");
        assert_eq!(
            Assembler::default().push(&forged[0], &s),
            Err(PayloadError::BadSignature)
        );
        let unknown = Signer::new(&[(9, b"a key id the server never issued......")], 9);
        let forged = unknown
            .encode(Kind::Case, "case-0001", 300)
            .expect("encode");
        assert_eq!(
            Assembler::default().push(&forged[0], &s),
            Err(PayloadError::UnknownKey)
        );
        assert_eq!(
            Assembler::default().push("https://example.com/", &s),
            Err(PayloadError::NotOurs)
        );
        assert_eq!(
            Assembler::default().push("MDG1.2.1.abcdef.xx", &s),
            Err(PayloadError::Malformed)
        );
        // Old key still verifies what it signed.
        let old = Signer::new(
            &[(1, b"old key, still accepted for QR codes already printed")],
            1,
        );
        let printed = old.encode(Kind::Case, "case-0002", 300).expect("encode");
        assert_eq!(
            Assembler::default().push(&printed[0], &s).map(|p| p.key_id),
            Ok(1)
        );
    }

    proptest::proptest! {
        #[test]
        fn any_scanned_text_is_handled_without_panic(text in ".{0,400}") {
            let _ = Assembler::default().push(&text, &signer());
            let _ = Assembler::default().push(&format!("MDG1.{text}"), &signer());
        }
    }
}
