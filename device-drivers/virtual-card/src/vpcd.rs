//! The vsmartcard-vpcd socket protocol (card side): every message is a big-endian u16 length and its
//! bytes; one-byte messages are control codes (0 off, 1 on, 2 reset, 4 ATR), longer ones APDUs.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use crate::emulator::{ATR, VirtualCard};

fn send(s: &mut TcpStream, bytes: &[u8]) -> std::io::Result<()> {
    let mut m = (bytes.len() as u16).to_be_bytes().to_vec();
    m.extend_from_slice(bytes);
    s.write_all(&m)
}

/// How a session with the reader ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Ended {
    /// vpcd closed the connection (pcscd stopped).
    ReaderGone,
    /// The card was "pulled" after `pull_after_apdus` commands.
    Pulled,
}

/// Serves the card on one connection to vpcd until it closes, or until `pull_after` APDUs were
/// answered (the card is then "pulled": the connection is closed).
pub fn serve(
    stream: &mut TcpStream,
    card: &mut VirtualCard,
    pull_after: Option<usize>,
) -> std::io::Result<Ended> {
    let mut answered = 0usize;
    loop {
        let mut header = [0u8; 2];
        if stream.read_exact(&mut header).is_err() {
            return Ok(Ended::ReaderGone);
        }
        let mut msg = vec![0u8; usize::from(u16::from_be_bytes(header))];
        stream.read_exact(&mut msg)?;
        match msg.as_slice() {
            [0x00] | [0x01] | [0x02] => card.reset(),
            [0x04] => send(stream, &ATR)?,
            [_] => {}
            apdu => {
                if pull_after.is_some_and(|n| answered >= n) {
                    // The reader sees the connection close: the card is gone.
                    let _ = stream.shutdown(std::net::Shutdown::Both);
                    return Ok(Ended::Pulled);
                }
                let response = card.transmit(apdu);
                answered += 1;
                send(stream, &response)?;
            }
        }
    }
}

/// Connects to vpcd on `127.0.0.1:port`, retrying until it listens (pcscd may start later).
pub fn connect(port: u16, timeout: Duration) -> std::io::Result<TcpStream> {
    let started = std::time::Instant::now();
    loop {
        match TcpStream::connect(("127.0.0.1", port)) {
            Ok(s) => {
                s.set_nodelay(true)?;
                return Ok(s);
            }
            Err(e) if started.elapsed() >= timeout => return Err(e),
            Err(_) => std::thread::sleep(Duration::from_millis(100)),
        }
    }
}
