//! **Test support**: a private `pcscd` with its own vsmartcard-vpcd reader configuration, and putting
//! a virtual card on that reader. Used by the PC/SC tests and the card benchmark. One pcscd per
//! machine (its socket is fixed): callers run their scenarios in sequence.

use std::net::{Shutdown, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::vpcd::{self, Ended};
use crate::{CardProfile, VirtualCard};

const VPCD: &str = "/usr/lib/pcsc/drivers/serial/libifdvpcd.so";
const PCSCD: &str = "/usr/sbin/pcscd";
const SOCKET: &str = "/run/pcscd/pcscd.comm";

/// A pcscd started by this process, stopped (SIGTERM, by PID) when dropped.
pub struct Pcscd {
    child: Child,
    dir: PathBuf,
}

impl std::fmt::Debug for Pcscd {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pcscd")
            .field("pid", &self.child.id())
            .finish()
    }
}

impl Pcscd {
    /// Starts `pcscd -f -c DIR` where DIR holds one vpcd reader stanza on `port` (vpcd then serves
    /// `Virtual PCD 00 00` on `port` and `Virtual PCD 00 01` on `port + 1`). Waits for its socket.
    pub fn start(port: u16) -> anyhow::Result<Pcscd> {
        anyhow::ensure!(
            Path::new(PCSCD).exists() && Path::new(VPCD).exists(),
            "pcscd and vsmartcard-vpcd are needed (cargo xtask test installs them)"
        );
        let dir =
            std::env::temp_dir().join(format!("madoguchi-pcscd-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        std::fs::write(
            dir.join("vpcd"),
            format!(
                "FRIENDLYNAME \"Virtual PCD\"\nDEVICENAME /dev/null:{port:#06X}\nLIBPATH {VPCD}\nCHANNELID {port:#06X}\n"
            ),
        )?;
        let child = Command::new(PCSCD)
            .args(["-f", "-c"])
            .arg(&dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        let started = Instant::now();
        while !Path::new(SOCKET).exists() {
            anyhow::ensure!(
                started.elapsed() < Duration::from_secs(20),
                "pcscd did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(Pcscd { child, dir })
    }

    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        let _ = Command::new("kill")
            .arg(self.child.id().to_string())
            .status();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Drop for Pcscd {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// A virtual card on a vpcd reader: its thread, and the socket to pull it away with.
pub struct Inserted {
    socket: TcpStream,
    thread: JoinHandle<Ended>,
}

impl std::fmt::Debug for Inserted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Inserted")
    }
}

/// Connects the card to vpcd on `port` (the reader sees a card put on it).
pub fn insert(profile: &CardProfile, port: u16) -> anyhow::Result<Inserted> {
    let mut card = VirtualCard::new(profile)?;
    let pull = profile.pull_after_apdus;
    let mut stream = vpcd::connect(port, Duration::from_secs(10))?;
    let socket = stream.try_clone()?;
    let thread = std::thread::spawn(move || {
        vpcd::serve(&mut stream, &mut card, pull).unwrap_or(Ended::ReaderGone)
    });
    Ok(Inserted { socket, thread })
}

impl Inserted {
    /// Takes the card off the reader.
    pub fn pull(self) {
        let _ = self.socket.shutdown(Shutdown::Both);
        let _ = self.thread.join();
    }
}
