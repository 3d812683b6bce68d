//! BER-TLV as the card writes it: multi-byte tags (`FF 20`, `DF 21`) and long-form lengths
//! (`81 xx`, `82 xx xx`, `83 xx xx xx`), so that long addresses and certificates decode.

/// A decoding failure (the data is malformed or truncated). Carries no content.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TlvError {
    #[error("TLV truncated")]
    Truncated,
    #[error("TLV length form not supported")]
    BadLength,
    #[error("TLV tag longer than 3 bytes")]
    BadTag,
}

/// One TLV: its tag (all tag bytes, big-endian) and value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tlv<'a> {
    pub tag: u32,
    pub value: &'a [u8],
}

/// Tag and length of the TLV starting `buf`: (tag, header length, value length).
fn header(buf: &[u8]) -> Result<(u32, usize, usize), TlvError> {
    let first = *buf.first().ok_or(TlvError::Truncated)?;
    let mut tag = u32::from(first);
    let mut i = 1;
    if first & 0x1F == 0x1F {
        loop {
            let b = *buf.get(i).ok_or(TlvError::Truncated)?;
            tag = (tag << 8) | u32::from(b);
            i += 1;
            if b & 0x80 == 0 {
                break;
            }
            if i > 3 {
                return Err(TlvError::BadTag);
            }
        }
    }
    let l = *buf.get(i).ok_or(TlvError::Truncated)?;
    i += 1;
    let len = match l {
        0..=0x7F => usize::from(l),
        0x81..=0x83 => {
            let n = usize::from(l & 0x7F);
            let bytes = buf.get(i..i + n).ok_or(TlvError::Truncated)?;
            i += n;
            bytes
                .iter()
                .fold(0usize, |acc, b| (acc << 8) | usize::from(*b))
        }
        _ => return Err(TlvError::BadLength),
    };
    Ok((tag, i, len))
}

/// The whole encoded length (header + value) of the TLV whose first bytes are `start`, or `None` when
/// `start` does not yet hold the whole header (read more bytes and ask again).
pub fn encoded_len(start: &[u8]) -> Result<Option<usize>, TlvError> {
    match header(start) {
        Ok((_, h, len)) => Ok(Some(h + len)),
        Err(TlvError::Truncated) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The TLV at the start of `buf` and what follows it.
pub fn parse(buf: &[u8]) -> Result<(Tlv<'_>, &[u8]), TlvError> {
    let (tag, h, len) = header(buf)?;
    let end = h.checked_add(len).ok_or(TlvError::BadLength)?;
    let value = buf.get(h..end).ok_or(TlvError::Truncated)?;
    Ok((Tlv { tag, value }, &buf[end..]))
}

/// Every TLV of a constructed value, in order.
pub fn children(mut value: &[u8]) -> Result<Vec<Tlv<'_>>, TlvError> {
    let mut out = Vec::new();
    while !value.is_empty() {
        let (t, rest) = parse(value)?;
        out.push(t);
        value = rest;
    }
    Ok(out)
}

/// Encodes a TLV (tests and the virtual card build card files with it).
pub fn encode(tag: u32, value: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let tag_bytes = tag.to_be_bytes();
    let skip = tag_bytes.iter().take_while(|b| **b == 0).count().min(3);
    out.extend_from_slice(&tag_bytes[skip..]);
    let len = value.len();
    match len {
        0..=0x7F => out.push(len as u8),
        0x80..=0xFF => out.extend_from_slice(&[0x81, len as u8]),
        0x100..=0xFFFF => out.extend_from_slice(&[0x82, (len >> 8) as u8, len as u8]),
        _ => out.extend_from_slice(&[0x83, (len >> 16) as u8, (len >> 8) as u8, len as u8]),
    }
    out.extend_from_slice(value);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multi_byte_tags_and_long_lengths() {
        let (t, rest) = parse(&[0xDF, 0x25, 0x01, 0x31, 0xAA]).expect("tlv");
        assert_eq!((t.tag, t.value, rest), (0xDF25, &[0x31][..], &[0xAA][..]));
        let long = encode(0xFF20, &[7u8; 300]);
        assert_eq!(&long[..5], &[0xFF, 0x20, 0x82, 0x01, 0x2C]);
        assert_eq!(encoded_len(&long[..4]), Ok(None), "header not complete yet");
        assert_eq!(encoded_len(&long[..7]), Ok(Some(305)));
        let (t, _) = parse(&long).expect("tlv");
        assert_eq!(t.value.len(), 300);
        assert_eq!(encode(0x30, &[1, 2]), [0x30, 0x02, 1, 2]);
        assert_eq!(
            parse(&[0x30, 0x82, 0x06, 0x1F]).map(|_| ()),
            Err(TlvError::Truncated)
        );
        assert_eq!(encoded_len(&[0x30, 0x82, 0x06, 0x1F]), Ok(Some(0x623)));
        assert_eq!(
            parse(&[0x30, 0x84, 1, 1, 1, 1]).map(|_| ()),
            Err(TlvError::BadLength)
        );
    }

    proptest::proptest! {
        #[test]
        fn any_bytes_parse_or_fail_cleanly(data in proptest::collection::vec(proptest::num::u8::ANY, 0..600)) {
            let _ = children(&data);
            let _ = encoded_len(&data);
        }

        #[test]
        fn encode_then_parse_round_trips(tag in proptest::sample::select(vec![0x30u32, 0xDF21, 0xFF20, 0x5F4E]),
                                         value in proptest::collection::vec(proptest::num::u8::ANY, 0..70_000)) {
            let enc = encode(tag, &value);
            let (t, rest) = parse(&enc).expect("round trip");
            proptest::prop_assert_eq!(t.tag, tag);
            proptest::prop_assert_eq!(t.value, &value[..]);
            proptest::prop_assert!(rest.is_empty());
            proptest::prop_assert_eq!(encoded_len(&enc), Ok(Some(enc.len())));
        }
    }
}
