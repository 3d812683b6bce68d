//! Whether a receipt printer has paper, asked before an issuance station takes a request (the station
//! says so and takes nothing rather than leave a resident without a 受付票). ESC/POS real-time status
//! `DLE EOT 4` (roll paper sensor) over TCP; the mock printer (test double) reads a `paper-out` marker
//! file in its folder. A device file cannot be read back: its state is unknown, and the job is tried.

use std::io::{Read, Write};
use std::time::Duration;

use crate::printer::Target;

/// The paper of a receipt printer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paper {
    Present,
    /// The roll-paper end sensor says the paper is out.
    Out,
    /// The printer cannot be asked (a device file, no answer).
    Unknown,
}

/// `DLE EOT 4`: transmit the roll paper sensor status.
const PAPER_STATUS: [u8; 3] = [0x10, 0x04, 0x04];
/// Bits 5 and 6 of the answer: roll paper end detected.
const PAPER_END: u8 = 0x60;

/// Asks the printer of `target` for its paper.
pub fn paper(target: &Target) -> Paper {
    match target {
        Target::Mock(dir) if dir.join("paper-out").exists() => Paper::Out,
        Target::Mock(_) => Paper::Present,
        Target::Tcp(addr) => tcp_paper(addr).unwrap_or(Paper::Unknown),
        Target::Device(_) | Target::System(_) => Paper::Unknown,
    }
}

fn tcp_paper(addr: &str) -> Option<Paper> {
    use std::net::ToSocketAddrs;
    let sock = addr.to_socket_addrs().ok()?.next()?;
    let mut s = std::net::TcpStream::connect_timeout(&sock, Duration::from_secs(2)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    s.set_write_timeout(Some(Duration::from_secs(2))).ok()?;
    s.write_all(&PAPER_STATUS).ok()?;
    let mut answer = [0u8; 1];
    s.read_exact(&mut answer).ok()?;
    Some(if answer[0] & PAPER_END != 0 {
        Paper::Out
    } else {
        Paper::Present
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A receipt printer on loopback (test double) answering `DLE EOT 4` with `status`.
    fn printer(status: u8) -> String {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("addr").to_string();
        std::thread::spawn(move || {
            if let Ok((mut s, _)) = listener.accept() {
                let mut asked = [0u8; 3];
                if s.read_exact(&mut asked).is_ok() && asked == PAPER_STATUS {
                    let _ = s.write_all(&[status]);
                }
            }
        });
        addr
    }

    #[test]
    fn the_paper_sensor_is_read_over_tcp_and_from_the_mock_printer() {
        assert_eq!(paper(&Target::Tcp(printer(0x12))), Paper::Present);
        assert_eq!(paper(&Target::Tcp(printer(0x72))), Paper::Out);
        // Nobody listening: unknown, not "out".
        let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = closed.local_addr().expect("addr").to_string();
        drop(closed);
        assert_eq!(paper(&Target::Tcp(addr)), Paper::Unknown);
        let dir = tempfile::tempdir().expect("dir");
        let mock = Target::Mock(dir.path().to_owned());
        assert_eq!(paper(&mock), Paper::Present);
        std::fs::write(dir.path().join("paper-out"), b"").expect("marker");
        assert_eq!(paper(&mock), Paper::Out);
        assert_eq!(
            paper(&Target::Device("/dev/usb/lp0".into())),
            Paper::Unknown
        );
    }
}
