//! My Number card readers over PC/SC (pcscd on Linux, WinSCard on Windows). **Architecture
//! invariant:** this is the only crate that links libpcsclite.
//!
//! - [`PcscTransport`]: APDUs to a connected card (extended responses allowed).
//! - [`Readers`]: the state of a reader, queryable at any time ([`Readers::status`]): `no_reader`
//!   (also while the PC/SC service is down), `no_card`, `card_error`, `ready` with PIN tries left.
//! - [`Monitor`]: a thread that waits for reader and card changes with `get_status_change` and a finite
//!   timeout, announces each change on a channel, survives a pcscd restart, and stops when dropped.

use std::ffi::{CStr, CString};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

use madoguchi_mynumber::card::Application;
use madoguchi_mynumber::{
    CardError, DeviceState, MyNumberCard, ReaderStatus, Transport, TransportError,
};
use pcsc::{Card, Context, Protocols, ReaderState, Scope, ShareMode, State};

fn transport_error(e: pcsc::Error) -> TransportError {
    match e {
        pcsc::Error::RemovedCard | pcsc::Error::ResetCard | pcsc::Error::NoSmartcard => {
            TransportError::CardRemoved
        }
        pcsc::Error::ReaderUnavailable
        | pcsc::Error::UnknownReader
        | pcsc::Error::NoReadersAvailable => TransportError::NoReader,
        pcsc::Error::NoService | pcsc::Error::ServiceStopped => TransportError::NoReader,
        other => TransportError::Service(other.to_string()),
    }
}

/// A connected card.
pub struct PcscTransport {
    card: Card,
    buffer: Vec<u8>,
}

impl std::fmt::Debug for PcscTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PcscTransport")
    }
}

impl Transport for PcscTransport {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        let response = self
            .card
            .transmit(command, &mut self.buffer)
            .map_err(transport_error)?;
        // A response without a status word means the card stopped answering mid-exchange (taken off a
        // contactless reader, vpcd's card gone): the same as a removed card for the caller.
        if response.len() < 2 {
            return Err(TransportError::CardRemoved);
        }
        Ok(response.to_vec())
    }
}

/// The readers of this machine, through one PC/SC context (re-established when the service restarts).
pub struct Readers {
    context: Option<Context>,
    /// Use this reader (by name, as PC/SC lists it); `None`: the first reader.
    wanted: Option<String>,
}

impl std::fmt::Debug for Readers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Readers")
            .field("wanted", &self.wanted)
            .finish_non_exhaustive()
    }
}

impl Readers {
    pub fn new(wanted: Option<String>) -> Readers {
        Readers {
            context: None,
            wanted,
        }
    }

    fn context(&mut self) -> Result<&Context, TransportError> {
        let stale = match &self.context {
            Some(c) => c.is_valid().is_err(),
            None => true,
        };
        if stale {
            self.context = Some(Context::establish(Scope::User).map_err(transport_error)?);
        }
        self.context.as_ref().ok_or(TransportError::NoReader)
    }

    /// Reader names as PC/SC lists them.
    pub fn list(&mut self) -> Result<Vec<String>, TransportError> {
        let ctx = self.context()?;
        match ctx.list_readers_owned() {
            Ok(names) => Ok(names
                .into_iter()
                .map(|n| n.to_string_lossy().into_owned())
                .collect()),
            Err(pcsc::Error::NoReadersAvailable) => Ok(Vec::new()),
            Err(e) => {
                if matches!(
                    e,
                    pcsc::Error::NoService
                        | pcsc::Error::ServiceStopped
                        | pcsc::Error::InvalidHandle
                ) {
                    self.context = None;
                }
                Err(transport_error(e))
            }
        }
    }

    fn reader(&mut self) -> Result<CString, TransportError> {
        let names = self.list()?;
        let name = match &self.wanted {
            Some(w) => names.into_iter().find(|n| n == w),
            None => names.into_iter().next(),
        }
        .ok_or(TransportError::NoReader)?;
        CString::new(name).map_err(|_| TransportError::NoReader)
    }

    /// Connects to the card in the reader.
    pub fn connect(&mut self) -> Result<MyNumberCard<PcscTransport>, TransportError> {
        let reader = self.reader()?;
        let ctx = self.context()?;
        let card = ctx
            .connect(&reader, ShareMode::Shared, Protocols::ANY)
            .map_err(transport_error)?;
        Ok(MyNumberCard::new(PcscTransport {
            card,
            buffer: vec![0; pcsc::MAX_BUFFER_SIZE_EXTENDED],
        }))
    }

    /// The reader's state now, with the PIN tries left when a My Number card is there.
    pub fn status(&mut self) -> ReaderStatus {
        let reader = match self.reader() {
            Ok(r) => r,
            Err(_) => return ReaderStatus::new(DeviceState::NoReader, None),
        };
        let name = reader.to_string_lossy().into_owned();
        let present = self.context().ok().and_then(|ctx| {
            let mut states = [ReaderState::new(reader.clone(), State::UNAWARE)];
            ctx.get_status_change(Some(Duration::ZERO), &mut states)
                .ok()?;
            Some(states[0].event_state().contains(State::PRESENT))
        });
        match present {
            None => ReaderStatus::new(DeviceState::NoReader, None),
            Some(false) => ReaderStatus::new(DeviceState::NoCard, Some(name)),
            Some(true) => {
                let probe = self
                    .connect()
                    .map_err(CardError::from)
                    .and_then(|mut card| {
                        Ok((
                            card.pin_retries(Application::Text)?,
                            card.pin_retries(Application::JpkiAuth)?,
                        ))
                    });
                match probe {
                    Ok((text, auth)) => {
                        let mut s = ReaderStatus::new(DeviceState::Ready, Some(name));
                        s.text_pin_retries = Some(text);
                        s.auth_pin_retries = Some(auth);
                        s.blocked = text == 0 || auth == 0;
                        s
                    }
                    Err(CardError::Transport(TransportError::CardRemoved)) => {
                        ReaderStatus::new(DeviceState::NoCard, Some(name))
                    }
                    Err(_) => ReaderStatus::new(DeviceState::CardError, Some(name)),
                }
            }
        }
    }
}

/// A change in the readers: a reader came or went, a card was put on or taken off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReaderEvent {
    /// The set of readers changed (hot-plug), or the PC/SC service came back.
    ReadersChanged(Vec<String>),
    CardInserted(String),
    CardRemoved(String),
    /// The PC/SC service is not running (readers are unavailable until it returns).
    ServiceDown,
}

/// Watches the readers on its own thread; every change is sent on the channel. Waits are bounded
/// (`poll`), so the thread notices a stop request or a dead service within that time; dropping the
/// monitor stops and joins it.
pub struct Monitor {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for Monitor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Monitor")
    }
}

impl Monitor {
    pub fn start(poll: Duration) -> (Monitor, mpsc::Receiver<ReaderEvent>) {
        let (tx, rx) = mpsc::channel();
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::spawn(move || watch(&flag, &tx, poll));
        (
            Monitor {
                stop,
                thread: Some(thread),
            },
            rx,
        )
    }

    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Monitor {
    fn drop(&mut self) {
        self.shutdown();
    }
}

fn pnp() -> &'static CStr {
    pcsc::PNP_NOTIFICATION()
}

/// The monitor's loop: one context while the service runs; a new one after it restarts.
fn watch(stop: &AtomicBool, tx: &mpsc::Sender<ReaderEvent>, poll: Duration) {
    let mut service_up = true;
    while !stop.load(Ordering::SeqCst) {
        let ctx = match Context::establish(Scope::User) {
            Ok(c) => c,
            Err(_) => {
                if service_up {
                    service_up = false;
                    if tx.send(ReaderEvent::ServiceDown).is_err() {
                        return;
                    }
                }
                std::thread::sleep(poll);
                continue;
            }
        };
        service_up = true;
        if watch_context(&ctx, stop, tx, poll).is_err() {
            // The receiver is gone: nobody listens any more.
            return;
        }
    }
}

/// Watches with one context until the service fails or a stop is requested. `Err` when the channel
/// closed.
fn watch_context(
    ctx: &Context,
    stop: &AtomicBool,
    tx: &mpsc::Sender<ReaderEvent>,
    poll: Duration,
) -> Result<(), ()> {
    let mut readers: Vec<String> = Vec::new();
    let mut states: Vec<ReaderState> = vec![ReaderState::new(pnp(), State::UNAWARE)];
    let mut first = true;
    while !stop.load(Ordering::SeqCst) {
        let names: Vec<String> = match ctx.list_readers_owned() {
            Ok(n) => n
                .into_iter()
                .map(|n| n.to_string_lossy().into_owned())
                .collect(),
            Err(pcsc::Error::NoReadersAvailable) => Vec::new(),
            Err(_) => {
                tx.send(ReaderEvent::ServiceDown).map_err(|_| ())?;
                return Ok(());
            }
        };
        if names != readers || first {
            first = false;
            readers = names.clone();
            states.retain(|s| {
                s.name() == pnp() || names.iter().any(|n| s.name().to_string_lossy() == *n)
            });
            for n in &names {
                if !states.iter().any(|s| s.name().to_string_lossy() == *n)
                    && let Ok(c) = CString::new(n.as_str())
                {
                    states.push(ReaderState::new(c, State::UNAWARE));
                }
            }
            tx.send(ReaderEvent::ReadersChanged(names))
                .map_err(|_| ())?;
        }
        let before: Vec<bool> = states
            .iter()
            .map(|s| s.current_state().contains(State::PRESENT))
            .collect();
        match ctx.get_status_change(Some(poll), &mut states) {
            Ok(()) => {}
            Err(pcsc::Error::Timeout) => continue,
            Err(pcsc::Error::Cancelled) => return Ok(()),
            Err(_) => {
                tx.send(ReaderEvent::ServiceDown).map_err(|_| ())?;
                return Ok(());
            }
        }
        for (s, was) in states.iter_mut().zip(before) {
            if s.name() != pnp() {
                let now = s.event_state().contains(State::PRESENT);
                let name = s.name().to_string_lossy().into_owned();
                if now && !was {
                    tx.send(ReaderEvent::CardInserted(name)).map_err(|_| ())?;
                } else if !now && was {
                    tx.send(ReaderEvent::CardRemoved(name)).map_err(|_| ())?;
                }
            }
            s.sync_current_state();
        }
    }
    Ok(())
}
