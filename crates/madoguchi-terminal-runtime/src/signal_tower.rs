//! The back office's signal tower (表示灯): a network LED tower lit when residents' requests arrive.
//! Spoken in PATLITE's PNS command protocol over TCP (the LA6-POE and NH series): a product category
//! `AB`, the command (`S`: operation control), a spare byte, the data length (big-endian) and the data
//! (red, amber, green, blue, white, buzzer); the tower answers ACK (`0x06`) or NAK (`0x15`).
//! `mock:<folder>` is the **mock signal tower** of the tests (a test double: it writes each command's
//! bytes to the folder); it is never the default.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::time::Duration;

const PRODUCT: [u8; 2] = *b"AB";
const OPERATION_CONTROL: u8 = b'S';
const ACK: u8 = 0x06;

/// LED unit pattern values of the operation control command.
const OFF: u8 = 0x00;
const BLINK: u8 = 0x02;

/// What the tower shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// New requests: the amber lamp blinks, the buzzer sounds its first pattern.
    Alert,
    /// Everything off (staff acknowledged).
    Off,
}

impl Signal {
    pub fn parse(code: &str) -> Option<Signal> {
        match code {
            "alert" => Some(Signal::Alert),
            "off" => Some(Signal::Off),
            _ => None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum TowerError {
    #[error("no signal tower configured")]
    NotConfigured,
    #[error("signal tower failed: {0}")]
    Failed(String),
}

impl TowerError {
    pub fn message_ja(&self) -> String {
        match self {
            TowerError::NotConfigured => "表示灯が設定されていません。".into(),
            TowerError::Failed(_) => {
                "表示灯に送れませんでした。表示灯の電源とネットワークを確認してください。".into()
            }
        }
    }
}

/// The operation control command for `signal`.
///
/// ```
/// use madoguchi_terminal_runtime::signal_tower::{Signal, command};
/// assert_eq!(command(Signal::Alert), b"AB\x53\x00\x00\x06\x00\x02\x00\x00\x00\x01");
/// assert_eq!(command(Signal::Off), b"AB\x53\x00\x00\x06\x00\x00\x00\x00\x00\x00");
/// ```
pub fn command(signal: Signal) -> Vec<u8> {
    // red, amber, green, blue, white, buzzer
    let data: [u8; 6] = match signal {
        Signal::Alert => [OFF, BLINK, OFF, OFF, OFF, 0x01],
        Signal::Off => [OFF; 6],
    };
    let mut out = Vec::with_capacity(6 + data.len());
    out.extend_from_slice(&PRODUCT);
    out.push(OPERATION_CONTROL);
    out.push(0x00);
    out.extend_from_slice(&(data.len() as u16).to_be_bytes());
    out.extend_from_slice(&data);
    out
}

/// Where the tower is, from the configuration: `tcp://host:10000` or `mock:<folder>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tower {
    Tcp(String),
    Mock(PathBuf),
}

impl Tower {
    pub fn parse(spec: &str) -> Option<Tower> {
        if let Some(dir) = spec.strip_prefix("mock:") {
            Some(Tower::Mock(PathBuf::from(dir)))
        } else {
            spec.strip_prefix("tcp://")
                .map(|a| Tower::Tcp(a.to_owned()))
        }
    }

    pub fn label(&self) -> String {
        match self {
            Tower::Tcp(a) => format!("tcp://{a}"),
            Tower::Mock(_) => "mock".into(),
        }
    }

    /// Shows `signal` on the tower; an answer other than ACK is a failure.
    pub fn show(&self, signal: Signal) -> Result<(), TowerError> {
        let bytes = command(signal);
        match self {
            Tower::Mock(dir) => mock_write(dir, &bytes),
            Tower::Tcp(addr) => tcp_send(addr, &bytes),
        }
    }
}

fn mock_write(dir: &PathBuf, bytes: &[u8]) -> Result<(), TowerError> {
    let failed = |e: std::io::Error| TowerError::Failed(e.to_string());
    std::fs::create_dir_all(dir).map_err(failed)?;
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.6f");
    let tmp = dir.join(format!(".{stamp}.pns.part"));
    std::fs::write(&tmp, bytes).map_err(failed)?;
    std::fs::rename(&tmp, dir.join(format!("{stamp}.pns"))).map_err(failed)
}

fn tcp_send(addr: &str, bytes: &[u8]) -> Result<(), TowerError> {
    use std::net::ToSocketAddrs;
    let failed = |e: std::io::Error| TowerError::Failed(e.to_string());
    let sock = addr
        .to_socket_addrs()
        .map_err(failed)?
        .next()
        .ok_or_else(|| TowerError::Failed(format!("{addr}: no address")))?;
    let mut s =
        std::net::TcpStream::connect_timeout(&sock, Duration::from_secs(2)).map_err(failed)?;
    s.set_read_timeout(Some(Duration::from_secs(2)))
        .map_err(failed)?;
    s.set_write_timeout(Some(Duration::from_secs(2)))
        .map_err(failed)?;
    s.write_all(bytes).map_err(failed)?;
    let mut answer = [0u8; 1];
    s.read_exact(&mut answer).map_err(failed)?;
    if answer[0] == ACK {
        Ok(())
    } else {
        Err(TowerError::Failed(format!("answered {:#04x}", answer[0])))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tower on loopback (test double) that records the command and answers `answer`.
    fn tower(answer: u8) -> (String, std::sync::mpsc::Receiver<Vec<u8>>) {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("addr").to_string();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let (mut s, _) = listener.accept().expect("accept");
            let mut got = vec![0u8; 12];
            s.read_exact(&mut got).expect("read");
            let _ = tx.send(got); // the caller may not look
            s.write_all(&[answer]).expect("answer");
        });
        (addr, rx)
    }

    #[test]
    fn the_tower_is_sent_the_operation_control_command_and_a_nak_is_a_failure() {
        let (addr, got) = tower(ACK);
        let t = Tower::parse(&format!("tcp://{addr}")).expect("tower");
        t.show(Signal::Alert).expect("lit");
        assert_eq!(got.recv().expect("command"), command(Signal::Alert));

        let (addr, _) = tower(0x15);
        let t = Tower::parse(&format!("tcp://{addr}")).expect("tower");
        let e = t.show(Signal::Off).expect_err("nak");
        assert!(e.to_string().contains("0x15"), "{e}");
        assert!(e.message_ja().contains("表示灯"));
        assert_eq!(Tower::parse("192.168.0.5"), None);
        assert_eq!(Signal::parse("alert"), Some(Signal::Alert));
    }

    #[test]
    fn the_mock_tower_writes_each_command_to_its_folder() {
        let dir = tempfile::tempdir().expect("dir");
        let t = Tower::parse(&format!("mock:{}", dir.path().display())).expect("mock");
        t.show(Signal::Alert).expect("alert");
        let files: Vec<_> = std::fs::read_dir(dir.path())
            .expect("read")
            .map(|e| e.expect("entry").path())
            .collect();
        assert_eq!(files.len(), 1);
        assert_eq!(
            std::fs::read(&files[0]).expect("bytes"),
            command(Signal::Alert)
        );
    }
}
