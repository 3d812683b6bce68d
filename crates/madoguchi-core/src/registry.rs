//! The 住民票 items a resident record carries beyond what the counter shows (住民基本台帳法 §7): 本籍と
//! 筆頭者 (Japanese residents only), 住民票コード and 前住所. A certificate prints them only when they are
//! requested; 本籍 and 住民票コード are sensitive, so their `Debug` never shows them (nothing logs them).

use std::fmt;

/// 住民票コード: 11 digits. Its 検査数字 is not checked here (the core system assigns and checks it).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct JuminhyoCode(String);

impl JuminhyoCode {
    /// Exactly 11 ASCII digits (half-width; full-width digits are folded).
    pub fn parse(text: &str) -> Option<JuminhyoCode> {
        let digits: String = text
            .trim()
            .chars()
            .map(|c| match c {
                '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
                _ => c,
            })
            .collect();
        (digits.len() == 11 && digits.bytes().all(|b| b.is_ascii_digit()))
            .then_some(JuminhyoCode(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for JuminhyoCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("JuminhyoCode(***)")
    }
}

/// The optional 住民票 items of one resident.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct RegistryItems {
    /// 本籍 (Japanese residents only).
    pub honseki: Option<String>,
    /// 筆頭者 (of the 戸籍 at the 本籍).
    pub hittosha: Option<String>,
    pub juminhyo_code: Option<JuminhyoCode>,
    /// 前住所 as one line (the address before the one the resident has here).
    pub previous_address: Option<String>,
}

impl fmt::Debug for RegistryItems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = |v: bool| if v { "***" } else { "-" };
        f.debug_struct("RegistryItems")
            .field("honseki", &shown(self.honseki.is_some()))
            .field("hittosha", &shown(self.hittosha.is_some()))
            .field("juminhyo_code", &shown(self.juminhyo_code.is_some()))
            .field("previous_address", &shown(self.previous_address.is_some()))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_is_eleven_digits_and_never_debug_printed() {
        let c = JuminhyoCode::parse(" 12345678901 ").expect("code");
        assert_eq!(c.as_str(), "12345678901");
        assert_eq!(
            JuminhyoCode::parse("１２３４５６７８９０１").map(|c| c.0),
            Some("12345678901".to_owned())
        );
        assert_eq!(JuminhyoCode::parse("1234567890"), None);
        assert_eq!(JuminhyoCode::parse("1234567890a"), None);
        let items = RegistryItems {
            honseki: Some("群馬県みどり市笠懸町阿左美1番地".into()),
            juminhyo_code: Some(c),
            ..Default::default()
        };
        let debug = format!("{items:?}");
        assert!(
            !debug.contains("12345678901") && !debug.contains("群馬"),
            "{debug}"
        );
    }
}
