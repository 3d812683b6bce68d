//! The My Number card through the device drivers: the reader's state, the 基本4情報 read with the PIN,
//! and JPKI user authentication (the server's challenge signed by the card, verified by the server).

use base64::Engine;
use madoguchi_mynumber::{CardError, Pin, ReaderStatus};
use serde::Serialize;

use super::error::{CommandError, CommandResult};
use super::state::{Terminal, lock};

/// The card holder's 基本4情報 for the screen (`card_read`; 券面事項入力補助AP). Never the 個人番号.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "CardPerson"))]
pub struct CardPersonView {
    pub name: String,
    pub family_name: String,
    pub given_name: String,
    pub address: String,
    pub prefecture: String,
    pub city: String,
    pub address_rest: String,
    /// `YYYY-MM-DD`.
    pub birth: String,
    /// `昭和55年1月1日`.
    pub birth_wareki: String,
    /// `男`, `女` or empty.
    pub sex: String,
}

/// JPKI user authentication passed (`card_authenticate`): the server verified the card's signature.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "CardAuthentication"))]
pub struct Verified {
    /// Always `true` (a failure rejects instead).
    #[cfg_attr(feature = "ts", ts(type = "true"))]
    pub verified: bool,
    /// The serial number of the card's user certificate.
    pub serial: String,
    /// Names this verification in a case or a station request (once, within 30 minutes).
    pub verification_id: String,
}

/// The 4-digit PIN the card's text and JPKI user applications take.
fn four_digit_pin(pin: &str) -> CommandResult<Pin> {
    Pin::four_digits(pin)
        .ok_or_else(|| CommandError::new("invalid", "暗証番号は数字4桁で入力してください。"))
}

impl Terminal {
    /// The reader's state now (a few APDUs when a card is there), remembered for status reports.
    pub fn card_status(&self) -> ReaderStatus {
        let state = lock(&self.cards).status();
        *lock(&self.card_state) = Some(state.clone());
        state
    }

    /// A reader or card changed (monitor event) or a card operation ended: read the state again and
    /// announce it.
    pub fn card_changed(&self) {
        self.card_status();
        self.announce();
    }

    /// Reads the card holder's 基本4情報 with the 4-digit PIN. A terminal never reads the 個人番号
    /// through this command.
    pub fn card_read(&self, pin: &str, confirm_last_try: bool) -> CommandResult<CardPersonView> {
        let pin = four_digit_pin(pin)?;
        let read = {
            let mut readers = lock(&self.cards);
            readers
                .connect()
                .map_err(CardError::from)
                .and_then(|mut card| card.read_text(&pin, false, confirm_last_try))
        };
        // Tries left changed either way.
        self.card_changed();
        let (basic4, _) = read?;
        let p = basic4.person(None);
        tracing::info!(terminal = %self.config.terminal_id, "card read (basic 4)");
        Ok(CardPersonView {
            name: p.name,
            family_name: p.family_name,
            given_name: p.given_name,
            address: p.address,
            prefecture: p.prefecture,
            city: p.city,
            address_rest: p.address_rest,
            birth: p.birth.format("%Y-%m-%d").to_string(),
            birth_wareki: p.birth_wareki,
            sex: p.sex,
        })
    }

    /// JPKI user authentication: the server's challenge signed by the card, verified by the server
    /// (chain, validity, revocation).
    pub fn card_authenticate(&self, pin: &str, confirm_last_try: bool) -> CommandResult<Verified> {
        let pin = four_digit_pin(pin)?;
        let b64 = base64::engine::general_purpose::STANDARD;
        let challenge = self
            .send_api("POST", "/api/v1/jpki/challenge", None)?
            .ok()?
            .json();
        let challenge: madoguchi_api::ChallengeView = serde_json::from_value(challenge)
            .map_err(|_| CommandError::internal("challenge without bytes"))?;
        let bytes = b64
            .decode(&challenge.challenge)
            .map_err(|_| CommandError::internal("challenge without bytes"))?;
        let signed = self.sign_auth(&pin, &bytes, confirm_last_try);
        self.card_changed();
        let (certificate, signature) = signed?;
        let answer = madoguchi_api::CardAnswer {
            challenge_id: challenge.challenge_id,
            certificate: b64.encode(certificate),
            signature: b64.encode(signature),
        };
        let answer = serde_json::to_value(answer).map_err(CommandError::internal)?;
        let v = self
            .send_api("POST", "/api/v1/jpki/verify", Some(&answer))?
            .ok()?
            .json();
        let verified: madoguchi_api::VerifiedView =
            serde_json::from_value(v).map_err(CommandError::internal)?;
        Ok(Verified {
            verified: true,
            serial: verified.serial,
            verification_id: verified.verification_id,
        })
    }

    /// The card's JPKI user certificate and its signature of `challenge` (SHA-256), with the PIN.
    fn sign_auth(
        &self,
        pin: &Pin,
        challenge: &[u8],
        confirm_last_try: bool,
    ) -> Result<(Vec<u8>, Vec<u8>), CardError> {
        let digest = ring::digest::digest(&ring::digest::SHA256, challenge);
        let mut hash = [0u8; 32];
        hash.copy_from_slice(digest.as_ref());
        let mut readers = lock(&self.cards);
        readers
            .connect()
            .map_err(CardError::from)
            .and_then(|mut card| {
                let certificate = card.read_auth_certificate()?;
                let signature = card.sign_auth(
                    pin,
                    &madoguchi_mynumber::apdu::sha256_digest_info(&hash),
                    confirm_last_try,
                )?;
                Ok((certificate, signature))
            })
    }
}
