//! PINs: zeroed when dropped, never printed.

use zeroize::Zeroizing;

/// A PIN or password typed by the resident. Its bytes are zeroed when it is dropped; `Debug` shows
/// only that it is there.
pub struct Pin(Zeroizing<Vec<u8>>);

impl Pin {
    /// A 4-digit PIN (券面事項入力補助, JPKI user authentication); `None` if it is not 4 ASCII digits.
    pub fn four_digits(text: &str) -> Option<Pin> {
        (text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit()))
            .then(|| Pin(Zeroizing::new(text.as_bytes().to_vec())))
    }

    pub(crate) fn bytes(&self) -> &[u8] {
        &self.0
    }
}

impl std::fmt::Debug for Pin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pin(****)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_four_digits_and_never_printed() {
        assert!(Pin::four_digits("1234").is_some());
        for bad in ["123", "12345", "12a4", "１２３４", ""] {
            assert!(Pin::four_digits(bad).is_none(), "{bad}");
        }
        let pin = Pin::four_digits("9876").expect("pin");
        assert_eq!(format!("{pin:?}"), "Pin(****)");
        assert_eq!(pin.bytes(), b"9876");
    }
}
