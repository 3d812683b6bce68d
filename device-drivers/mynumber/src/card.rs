//! The card's operations as sequences of APDUs over a [`Transport`].

use zeroize::Zeroize;

use crate::apdu::{self, AID_JPKI, AID_TEXT, Response, Status};
use crate::basic4::{self, Basic4, DecodeError};
use crate::pin::Pin;
use crate::tlv;

/// Carries one command APDU to the card and returns its raw response (data ‖ SW1 SW2).
pub trait Transport {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError>;
}

/// The reader or the card went away, or the PC/SC stack failed. Messages carry no card data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransportError {
    #[error("the card was removed")]
    CardRemoved,
    #[error("the reader is not available")]
    NoReader,
    #[error("smart card service error: {0}")]
    Service(String),
}

/// The card's applications this crate uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Application {
    /// 券面事項入力補助AP: PIN IEF 0011 (4 digits, 3 tries).
    Text,
    /// JPKI-AP, user authentication: PIN IEF 0018 (4 digits, 3 tries), key 0017, certificate 000A.
    JpkiAuth,
}

impl Application {
    fn aid(self) -> &'static [u8] {
        match self {
            Application::Text => &AID_TEXT,
            Application::JpkiAuth => &AID_JPKI,
        }
    }

    fn pin_ef(self) -> u16 {
        match self {
            Application::Text => 0x0011,
            Application::JpkiAuth => 0x0018,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CardError {
    #[error(transparent)]
    Transport(#[from] TransportError),
    #[error("not a My Number card (application missing)")]
    NotMyNumberCard,
    #[error("wrong PIN, {retries_left} tries left")]
    WrongPin { retries_left: u8 },
    #[error("the PIN is blocked")]
    Blocked,
    /// One try is left: a wrong PIN now would block the card, so the reader stops unless told to go on.
    #[error("one try left; not trying without confirmation")]
    LastTry,
    #[error("the card answered {0:#06X}")]
    Protocol(u16),
    #[error(transparent)]
    Decode(#[from] DecodeError),
}

impl CardError {
    /// The message for the resident or staff member, in Japanese.
    pub fn message_ja(&self) -> String {
        match self {
            CardError::Transport(TransportError::CardRemoved) => {
                "カードが取り外されました。カードをもう一度置いてください。".into()
            }
            CardError::Transport(TransportError::NoReader) => {
                "カードリーダーが見つかりません。接続を確認してください。".into()
            }
            CardError::Transport(TransportError::Service(_)) => {
                "カードリーダーの制御に失敗しました。職員にお声がけください。".into()
            }
            CardError::NotMyNumberCard => "マイナンバーカードを読み取れませんでした。カードを確認してください。".into(),
            CardError::WrongPin { retries_left } => {
                format!("暗証番号が違います。あと{retries_left}回間違えるとロックされます。")
            }
            CardError::Blocked => {
                "暗証番号がロックされています。市区町村の窓口で暗証番号の再設定が必要です。".into()
            }
            CardError::LastTry => {
                "暗証番号の入力はあと1回です。間違えるとロックされるため、確認のうえ職員にお声がけください。".into()
            }
            CardError::Protocol(_) | CardError::Decode(_) => {
                "カードの読み取り中にエラーが発生しました。カードを置き直してください。".into()
            }
        }
    }
}

/// A My Number card behind a transport. Counts the APDUs it sends (for benchmarks and diagnostics).
pub struct MyNumberCard<T: Transport> {
    transport: T,
    apdus: usize,
}

impl<T: Transport> std::fmt::Debug for MyNumberCard<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MyNumberCard")
            .field("apdus", &self.apdus)
            .finish_non_exhaustive()
    }
}

/// Largest chunk of a READ BINARY (short APDU).
const CHUNK: usize = 256;

impl<T: Transport> MyNumberCard<T> {
    pub fn new(transport: T) -> Self {
        MyNumberCard {
            transport,
            apdus: 0,
        }
    }

    /// APDUs exchanged so far.
    pub fn apdus(&self) -> usize {
        self.apdus
    }

    pub fn into_transport(self) -> T {
        self.transport
    }

    fn send(&mut self, command: &[u8]) -> Result<Response, CardError> {
        self.apdus += 1;
        let raw = self.transport.transmit(command)?;
        Response::parse(&raw).ok_or(CardError::Protocol(0))
    }

    fn expect_ok(&mut self, command: &[u8]) -> Result<Response, CardError> {
        let r = self.send(command)?;
        match apdu::status(r.sw) {
            Status::Ok => Ok(r),
            _ => Err(CardError::Protocol(r.sw)),
        }
    }

    fn select_app(&mut self, app: Application) -> Result<(), CardError> {
        let r = self.send(&apdu::select_df(app.aid()))?;
        match apdu::status(r.sw) {
            Status::Ok => Ok(()),
            Status::NotFound => Err(CardError::NotMyNumberCard),
            _ => Err(CardError::Protocol(r.sw)),
        }
    }

    /// Tries left on the application's PIN, without using one (0 when blocked).
    pub fn pin_retries(&mut self, app: Application) -> Result<u8, CardError> {
        self.select_app(app)?;
        self.expect_ok(&apdu::select_ef(app.pin_ef()))?;
        let r = self.send(&apdu::retry_query())?;
        match apdu::status(r.sw) {
            Status::RetriesLeft(n) => Ok(n),
            Status::Blocked => Ok(0),
            // Some cards answer 90 00 right after a successful VERIFY: the counter is full.
            Status::Ok => Ok(3),
            _ => Err(CardError::Protocol(r.sw)),
        }
    }

    /// Verifies the application's PIN (the application and PIN EF are selected first). With one try
    /// left it stops before sending unless `allow_last_try`.
    fn verify(
        &mut self,
        app: Application,
        pin: &Pin,
        allow_last_try: bool,
    ) -> Result<(), CardError> {
        let left = self.pin_retries(app)?;
        if left == 0 {
            return Err(CardError::Blocked);
        }
        if left == 1 && !allow_last_try {
            return Err(CardError::LastTry);
        }
        let mut command = apdu::verify(pin.bytes());
        let r = self.send(&command);
        command.zeroize();
        let r = r?;
        match apdu::status(r.sw) {
            Status::Ok => Ok(()),
            Status::RetriesLeft(0) | Status::Blocked => Err(CardError::Blocked),
            Status::RetriesLeft(n) => Err(CardError::WrongPin { retries_left: n }),
            _ => Err(CardError::Protocol(r.sw)),
        }
    }

    /// Reads a whole EF of the selected application: a short header first, its BER length, then the
    /// rest in chunks (long-form lengths, so long addresses and certificates come whole).
    fn read_ef(&mut self, ef: u16) -> Result<Vec<u8>, CardError> {
        self.expect_ok(&apdu::select_ef(ef))?;
        let mut data = self.expect_ok(&apdu::read_binary(0, 7))?.data;
        let total =
            tlv::encoded_len(&data)
                .map_err(DecodeError::from)?
                .ok_or(CardError::Decode(DecodeError::Tlv(
                    tlv::TlvError::Truncated,
                )))?;
        while data.len() < total {
            let want = (total - data.len()).min(CHUNK);
            let offset = u16::try_from(data.len()).map_err(|_| CardError::Protocol(0))?;
            let chunk = self
                .expect_ok(&apdu::read_binary(offset, want as u16))?
                .data;
            if chunk.is_empty() {
                return Err(CardError::Decode(DecodeError::Tlv(
                    tlv::TlvError::Truncated,
                )));
            }
            data.extend_from_slice(&chunk);
        }
        data.truncate(total);
        Ok(data)
    }

    /// 基本4情報, and the 個人番号 only when `with_my_number` (the caller checks the staff member's right).
    pub fn read_text(
        &mut self,
        pin: &Pin,
        with_my_number: bool,
        allow_last_try: bool,
    ) -> Result<(Basic4, Option<String>), CardError> {
        self.verify(Application::Text, pin, allow_last_try)?;
        let basic4 = basic4::decode_basic4(&self.read_ef(0x0002)?)?;
        let my_number = if with_my_number {
            Some(basic4::decode_my_number(&self.read_ef(0x0001)?)?)
        } else {
            None
        };
        Ok((basic4, my_number))
    }

    /// The 利用者証明用電子証明書 (DER), readable without a PIN.
    pub fn read_auth_certificate(&mut self) -> Result<Vec<u8>, CardError> {
        self.select_app(Application::JpkiAuth)?;
        self.read_ef(0x000A)
    }

    /// Signs a DigestInfo (e.g. SHA-256 of the server's challenge) with the user-authentication key;
    /// the PIN is verified right before.
    pub fn sign_auth(
        &mut self,
        pin: &Pin,
        digest_info: &[u8],
        allow_last_try: bool,
    ) -> Result<Vec<u8>, CardError> {
        self.verify(Application::JpkiAuth, pin, allow_last_try)?;
        self.expect_ok(&apdu::select_ef(0x0017))?;
        Ok(self.expect_ok(&apdu::sign(digest_info))?.data)
    }
}
