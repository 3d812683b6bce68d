//! Command APDUs of the card and the status words it answers.

/// JPKI-AP (公的個人認証AP).
pub const AID_JPKI: [u8; 10] = [0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01];
/// 券面事項入力補助AP.
pub const AID_TEXT: [u8; 10] = [0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08];

/// `00 A4 04 0C Lc AID`: select an application by name, no FCI.
pub fn select_df(aid: &[u8]) -> Vec<u8> {
    let mut c = vec![0x00, 0xA4, 0x04, 0x0C, aid.len() as u8];
    c.extend_from_slice(aid);
    c
}

/// `00 A4 02 0C 02 EF`: select an elementary file of the current application.
pub fn select_ef(ef: u16) -> Vec<u8> {
    let [hi, lo] = ef.to_be_bytes();
    vec![0x00, 0xA4, 0x02, 0x0C, 0x02, hi, lo]
}

/// `00 B0 P1 P2 Le` with a 15-bit offset; `le` 1..=256 (256 is sent as `00`). Short APDUs only: they
/// work with every reader, contactless ones included.
pub fn read_binary(offset: u16, le: u16) -> Vec<u8> {
    let [hi, lo] = (offset & 0x7FFF).to_be_bytes();
    vec![0x00, 0xB0, hi, lo, if le >= 256 { 0 } else { le as u8 }]
}

/// `00 20 00 80`: the retry counter of the selected PIN, without using a try.
pub fn retry_query() -> Vec<u8> {
    vec![0x00, 0x20, 0x00, 0x80]
}

/// `00 20 00 80 Lc PIN` (the PIN as ASCII). The caller zeroes the returned buffer.
pub fn verify(pin: &[u8]) -> Vec<u8> {
    let mut c = vec![0x00, 0x20, 0x00, 0x80, pin.len() as u8];
    c.extend_from_slice(pin);
    c
}

/// `80 2A 00 80 Lc DigestInfo 00`: JPKI's COMPUTE DIGITAL SIGNATURE with the selected key.
pub fn sign(digest_info: &[u8]) -> Vec<u8> {
    let mut c = vec![0x80, 0x2A, 0x00, 0x80, digest_info.len() as u8];
    c.extend_from_slice(digest_info);
    c.push(0x00);
    c
}

/// The DER DigestInfo prefix of SHA-256 (RFC 8017), followed by the 32-byte hash.
pub const SHA256_DIGEST_INFO_PREFIX: [u8; 19] = [
    0x30, 0x31, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05,
    0x00, 0x04, 0x20,
];

/// DigestInfo of a SHA-256 hash.
pub fn sha256_digest_info(hash: &[u8; 32]) -> Vec<u8> {
    let mut d = SHA256_DIGEST_INFO_PREFIX.to_vec();
    d.extend_from_slice(hash);
    d
}

/// A response: data and status word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub data: Vec<u8>,
    pub sw: u16,
}

impl Response {
    /// Splits a raw response (data ‖ SW1 SW2); `None` when shorter than a status word.
    pub fn parse(raw: &[u8]) -> Option<Response> {
        let n = raw.len().checked_sub(2)?;
        Some(Response {
            data: raw[..n].to_vec(),
            sw: u16::from_be_bytes([raw[n], raw[n + 1]]),
        })
    }

    pub fn ok(&self) -> bool {
        self.sw == 0x9000
    }
}

/// What a status word means for the reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Ok,
    /// `63 Cx`: wrong PIN (or the retry query), `x` tries left.
    RetriesLeft(u8),
    /// `69 84`: the PIN is blocked.
    Blocked,
    /// `69 82`: the object needs a PIN that was not verified.
    SecurityNotSatisfied,
    /// `6A 82`: no such application or file.
    NotFound,
    /// `6B 00`: read past the end of the file.
    WrongOffset,
    Other(u16),
}

pub fn status(sw: u16) -> Status {
    match sw {
        0x9000 => Status::Ok,
        0x63C0..=0x63CF => Status::RetriesLeft((sw & 0x0F) as u8),
        0x6984 => Status::Blocked,
        0x6982 => Status::SecurityNotSatisfied,
        0x6A82 => Status::NotFound,
        0x6B00 => Status::WrongOffset,
        other => Status::Other(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_match_the_real_card_trace() {
        assert_eq!(
            select_df(&AID_JPKI),
            [
                0x00, 0xA4, 0x04, 0x0C, 0x0A, 0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00,
                0x01
            ]
        );
        assert_eq!(
            select_ef(0x000A),
            [0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x0A]
        );
        assert_eq!(read_binary(0, 4), [0x00, 0xB0, 0x00, 0x00, 0x04]);
        assert_eq!(read_binary(0x0104, 256), [0x00, 0xB0, 0x01, 0x04, 0x00]);
        assert_eq!(
            verify(b"1234"),
            [0x00, 0x20, 0x00, 0x80, 0x04, 0x31, 0x32, 0x33, 0x34]
        );
    }

    #[test]
    fn the_sha256_abc_signature_command_matches_the_reference_vector() {
        // SHA-256("abc")
        let hash: [u8; 32] = [
            0xBA, 0x78, 0x16, 0xBF, 0x8F, 0x01, 0xCF, 0xEA, 0x41, 0x41, 0x40, 0xDE, 0x5D, 0xAE,
            0x22, 0x23, 0xB0, 0x03, 0x61, 0xA3, 0x96, 0x17, 0x7A, 0x9C, 0xB4, 0x10, 0xFF, 0x61,
            0xF2, 0x00, 0x15, 0xAD,
        ];
        let c = sign(&sha256_digest_info(&hash));
        assert_eq!(&c[..5], &[0x80, 0x2A, 0x00, 0x80, 0x33]);
        assert_eq!(c.len(), 5 + 0x33 + 1);
        assert_eq!(*c.last().unwrap_or(&1), 0x00);
    }

    #[test]
    fn status_words() {
        assert_eq!(status(0x9000), Status::Ok);
        assert_eq!(status(0x63C2), Status::RetriesLeft(2));
        assert_eq!(status(0x6984), Status::Blocked);
        assert_eq!(Response::parse(&[0x90]), None);
        assert_eq!(
            Response::parse(&[0x01, 0x90, 0x00]),
            Some(Response {
                data: vec![1],
                sw: 0x9000
            })
        );
    }
}
