//! The demo city's 利用者証明用電子証明書 serials, as the core systems' `cards` feed
//! (`docs/linkage.md`): about 70 % of the residents hold a My Number card with user authentication,
//! and about one holder in twenty also has the revoked serial of an earlier card. Serials are derived
//! from the 宛名番号 ([`demo_card_serial`]), so a test or a demo can give the virtual card the serial
//! of a chosen resident (`madoguchi-virtual-card jpki-test-card --serial …`).

use chrono::{Days, NaiveDate};
use madoguchi_core::ids::AtenaNo;

use crate::seals::mix;

/// The columns of the generated `cards` file.
pub const CARD_HEADER: &[&str] = &["宛名番号", "シリアル番号", "失効年月日"];

/// What [`write_card_csv`](crate::write_card_csv) wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CardStats {
    /// Residents with a serial in force.
    pub holders: usize,
    /// Revoked serials of earlier cards.
    pub revoked: usize,
}

/// Per mille of residents holding a card, and of those, with an earlier revoked card.
const HOLDER_PER_MILLE: u64 = 700;
const EARLIER_PER_MILLE: u64 = 50;
/// Salt of the card draws, apart from the seal draws.
const SALT: u64 = 0x6361_7264_0000_0000;

/// The serial of the demo city's card of `atena_no`, normalized (lowercase hex without leading
/// zeros): `4d` followed by the 宛名番号's digits, e.g. `4d000000000000019`.
pub fn demo_card_serial(atena_no: &AtenaNo) -> String {
    format!("4d{}", atena_no.as_str())
}

/// The revoked serial of an earlier card: `3c` followed by the 宛名番号's digits.
fn earlier_serial(atena_no: &AtenaNo) -> String {
    format!("3c{}", atena_no.as_str())
}

/// The `cards` rows of resident `seq`, if the draw gives them a card; counted in `stats`.
pub(crate) fn card_rows(
    seed: u64,
    today: NaiveDate,
    seq: u64,
    stats: &mut CardStats,
) -> Vec<[String; 3]> {
    if mix(seed, seq, SALT | 1) % 1000 >= HOLDER_PER_MILLE {
        return Vec::new();
    }
    let atena = AtenaNo::from_sequence(seq);
    stats.holders += 1;
    let mut rows = vec![[
        atena.as_str().to_owned(),
        demo_card_serial(&atena),
        String::new(),
    ]];
    if mix(seed, seq, SALT | 2) % 1000 < EARLIER_PER_MILLE {
        stats.revoked += 1;
        let revoked = today - Days::new(30 + mix(seed, seq, SALT | 3) % 1500);
        rows.push([
            atena.as_str().to_owned(),
            earlier_serial(&atena),
            revoked.format("%Y-%m-%d").to_string(),
        ]);
    }
    rows
}
