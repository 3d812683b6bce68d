//! The card's APDU state machine.

use std::collections::HashMap;

use rsa::pkcs8::DecodePrivateKey;
use rsa::{Pkcs1v15Sign, RsaPrivateKey};

use crate::profile::CardProfile;

const AID_JPKI: [u8; 10] = [0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01];
const AID_TEXT: [u8; 10] = [0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08];
/// The contact ATR of the card (no historical bytes).
pub const ATR: [u8; 9] = [0x3B, 0xE0, 0x00, 0xFF, 0x81, 0x31, 0xFE, 0x45, 0x14];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum App {
    Text,
    Jpki,
}

struct PinState {
    value: Vec<u8>,
    left: u8,
    /// Tries after a correct PIN.
    max: u8,
}

/// A virtual My Number card. **Test double.**
pub struct VirtualCard {
    files: HashMap<(App, u16), Vec<u8>>,
    /// Which PIN protects which EF.
    protected: HashMap<(App, u16), u16>,
    pins: HashMap<(App, u16), PinState>,
    auth_key: Option<RsaPrivateKey>,
    app: Option<App>,
    ef: Option<u16>,
    verified: Vec<(App, u16)>,
    /// APDUs answered since the card was made.
    pub apdus: usize,
}

impl std::fmt::Debug for VirtualCard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VirtualCard")
            .field("apdus", &self.apdus)
            .finish_non_exhaustive()
    }
}

fn tlv(tag: &[u8], value: &[u8]) -> Vec<u8> {
    let mut out = tag.to_vec();
    let len = value.len();
    match len {
        0..=0x7F => out.push(len as u8),
        0x80..=0xFF => out.extend_from_slice(&[0x81, len as u8]),
        _ => out.extend_from_slice(&[0x82, (len >> 8) as u8, len as u8]),
    }
    out.extend_from_slice(value);
    out
}

/// EF 0002 of the 入力補助AP: `FF 20 { DF21 offsets, DF22 name, DF23 address, DF24 birth, DF25 sex }`.
fn basic4_ef(p: &CardProfile) -> Vec<u8> {
    let fields = [
        tlv(&[0xDF, 0x22], p.name.as_bytes()),
        tlv(&[0xDF, 0x23], p.address.as_bytes()),
        tlv(&[0xDF, 0x24], p.birth.as_bytes()),
        tlv(&[0xDF, 0x25], p.sex.as_bytes()),
    ];
    let body_len = 11 + fields.iter().map(Vec::len).sum::<usize>();
    let outer_header = tlv(&[0xFF, 0x20], &vec![0; body_len]).len() - body_len;
    let mut offsets = Vec::new();
    let mut at = outer_header + 11;
    for f in &fields {
        offsets.extend_from_slice(&(at as u16).to_be_bytes());
        at += f.len();
    }
    let mut body = tlv(&[0xDF, 0x21], &offsets);
    for f in fields {
        body.extend_from_slice(&f);
    }
    tlv(&[0xFF, 0x20], &body)
}

impl VirtualCard {
    pub fn new(p: &CardProfile) -> anyhow::Result<VirtualCard> {
        let mut files = HashMap::new();
        let mut my_number = tlv(&[0xFF, 0x10], p.my_number.as_bytes());
        my_number.extend_from_slice(&[0xFF, 0xFF]);
        files.insert((App::Text, 0x0001), my_number);
        files.insert((App::Text, 0x0002), basic4_ef(p));
        let mut token = b"JPKIAPICCTOKEN2".to_vec();
        token.resize(32, b' ');
        files.insert((App::Jpki, 0x0006), token);
        if let Some(cert) = CardProfile::der(&p.auth_certificate)? {
            files.insert((App::Jpki, 0x000A), cert);
        }
        if let Some(cert) = CardProfile::der(&p.ca_certificate)? {
            files.insert((App::Jpki, 0x000B), cert);
        }
        let auth_key = CardProfile::der(&p.auth_key)?
            .map(|der| RsaPrivateKey::from_pkcs8_der(&der))
            .transpose()
            .map_err(|e| anyhow::anyhow!("auth_key is not a PKCS#8 RSA key: {e}"))?;
        let protected = [((App::Text, 0x0001), 0x0011), ((App::Text, 0x0002), 0x0011)]
            .into_iter()
            .collect();
        let pins = [
            (
                (App::Text, 0x0011),
                PinState {
                    value: p.text_pin.as_bytes().to_vec(),
                    left: p.text_pin_retries,
                    max: 3,
                },
            ),
            (
                (App::Jpki, 0x0018),
                PinState {
                    value: p.auth_pin.as_bytes().to_vec(),
                    left: p.auth_pin_retries,
                    max: 3,
                },
            ),
            (
                (App::Jpki, 0x001B),
                PinState {
                    value: p.sign_password.as_bytes().to_vec(),
                    left: 5,
                    max: 5,
                },
            ),
        ]
        .into_iter()
        .collect();
        Ok(VirtualCard {
            files,
            protected,
            pins,
            auth_key,
            app: None,
            ef: None,
            verified: Vec::new(),
            apdus: 0,
        })
    }

    /// Power on, off or reset: nothing selected, no PIN verified (retry counters stay).
    pub fn reset(&mut self) {
        self.app = None;
        self.ef = None;
        self.verified.clear();
    }

    /// Answers one command APDU (response data ‖ SW1 SW2).
    pub fn transmit(&mut self, c: &[u8]) -> Vec<u8> {
        self.apdus += 1;
        let sw = |s: u16| s.to_be_bytes().to_vec();
        if c.len() < 4 {
            return sw(0x6700);
        }
        let (cla, ins, p1, p2) = (c[0], c[1], c[2], c[3]);
        let body = &c[4..];
        // Lc + data (Le, if any, follows)
        let data = |body: &[u8]| -> Option<Vec<u8>> {
            let lc = usize::from(*body.first()?);
            body.get(1..1 + lc).map(<[u8]>::to_vec)
        };
        match (cla, ins) {
            (0x00, 0xA4) => self.select(p1, body, data(body)),
            (0x00, 0xB0) => self.read_binary(p1, p2, body),
            (0x00, 0x20) if p1 == 0x00 && p2 == 0x80 => self.verify(data(body)),
            (0x80, 0x2A) if p1 == 0x00 && p2 == 0x80 => self.sign(data(body)),
            (0x00 | 0x80, _) => sw(0x6D00),
            _ => sw(0x6E00),
        }
    }

    fn select(&mut self, p1: u8, body: &[u8], data: Option<Vec<u8>>) -> Vec<u8> {
        let Some(name) = data else {
            return vec![0x67, 0x00];
        };
        let _ = body;
        match p1 {
            0x04 => {
                let app = if name == AID_JPKI {
                    App::Jpki
                } else if name == AID_TEXT {
                    App::Text
                } else {
                    return vec![0x6A, 0x82];
                };
                self.app = Some(app);
                self.ef = None;
                self.verified.clear();
                vec![0x90, 0x00]
            }
            0x02 if name.len() == 2 => {
                let Some(app) = self.app else {
                    return vec![0x6A, 0x82];
                };
                let ef = u16::from_be_bytes([name[0], name[1]]);
                let exists = self.files.contains_key(&(app, ef))
                    || self.pins.contains_key(&(app, ef))
                    || (app == App::Jpki && ef == 0x0017 && self.auth_key.is_some());
                if !exists {
                    return vec![0x6A, 0x82];
                }
                self.ef = Some(ef);
                vec![0x90, 0x00]
            }
            _ => vec![0x6A, 0x86],
        }
    }

    fn read_binary(&mut self, p1: u8, p2: u8, body: &[u8]) -> Vec<u8> {
        let (Some(app), Some(ef)) = (self.app, self.ef) else {
            return vec![0x69, 0x86];
        };
        if self.pins.contains_key(&(app, ef)) || (app == App::Jpki && ef == 0x0017) {
            return vec![0x69, 0x81];
        }
        if let Some(pin) = self.protected.get(&(app, ef))
            && !self.verified.contains(&(app, *pin))
        {
            return vec![0x69, 0x82];
        }
        let Some(file) = self.files.get(&(app, ef)) else {
            return vec![0x6A, 0x82];
        };
        let offset = usize::from(u16::from_be_bytes([p1 & 0x7F, p2]));
        let le = match body {
            [] => 256,
            [0] => 256,
            [n] => usize::from(*n),
            [0, hi, lo] => match usize::from(u16::from_be_bytes([*hi, *lo])) {
                0 => 65536,
                n => n,
            },
            _ => return vec![0x67, 0x00],
        };
        if offset >= file.len() {
            return vec![0x6B, 0x00];
        }
        let end = (offset + le).min(file.len());
        let mut out = file[offset..end].to_vec();
        out.extend_from_slice(&[0x90, 0x00]);
        out
    }

    fn verify(&mut self, data: Option<Vec<u8>>) -> Vec<u8> {
        let (Some(app), Some(ef)) = (self.app, self.ef) else {
            return vec![0x69, 0x86];
        };
        let Some(pin) = self.pins.get_mut(&(app, ef)) else {
            return vec![0x69, 0x86];
        };
        let Some(given) = data else {
            // The retry query: no try used.
            return vec![0x63, 0xC0 | pin.left];
        };
        if pin.left == 0 {
            return vec![0x69, 0x84];
        }
        if given == pin.value {
            pin.left = pin.max;
            self.verified.push((app, ef));
            vec![0x90, 0x00]
        } else {
            pin.left -= 1;
            vec![0x63, 0xC0 | pin.left]
        }
    }

    fn sign(&mut self, data: Option<Vec<u8>>) -> Vec<u8> {
        let (Some(App::Jpki), Some(0x0017)) = (self.app, self.ef) else {
            return vec![0x69, 0x82];
        };
        if !self.verified.contains(&(App::Jpki, 0x0018)) {
            return vec![0x69, 0x82];
        }
        let (Some(key), Some(digest_info)) = (&self.auth_key, data) else {
            return vec![0x6A, 0x80];
        };
        if digest_info.is_empty() || digest_info.len() > 245 {
            return vec![0x67, 0x00];
        }
        match key.sign(Pkcs1v15Sign::new_unprefixed(), &digest_info) {
            Ok(mut sig) => {
                sig.extend_from_slice(&[0x90, 0x00]);
                sig
            }
            Err(_) => vec![0x6F, 0x00],
        }
    }
}
