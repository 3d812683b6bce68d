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
const PID_FILE: &str = "/run/pcscd/pcscd.pid";

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
    /// A socket left by a pcscd that is gone is removed first; a pcscd still running is an error
    /// (its readers are not ours), and so is one that exits while starting (its log is in the error).
    pub fn start(port: u16) -> anyhow::Result<Pcscd> {
        anyhow::ensure!(
            Path::new(PCSCD).exists() && Path::new(VPCD).exists(),
            "pcscd and vsmartcard-vpcd are needed (cargo xtask test installs them)"
        );
        clear_stale_socket()?;
        let dir =
            std::env::temp_dir().join(format!("madoguchi-pcscd-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        std::fs::write(
            dir.join("vpcd"),
            format!(
                "FRIENDLYNAME \"Virtual PCD\"\nDEVICENAME /dev/null:{port:#06X}\nLIBPATH {VPCD}\nCHANNELID {port:#06X}\n"
            ),
        )?;
        let log = dir.join("pcscd.log");
        let mut child = Command::new(PCSCD)
            .args(["-f", "-c"])
            .arg(&dir)
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log)?)
            .spawn()?;
        let started = Instant::now();
        while !Path::new(SOCKET).exists() {
            if let Some(status) = child.try_wait()? {
                let printed = std::fs::read_to_string(&log).unwrap_or_default();
                anyhow::bail!("pcscd exited while starting ({status}): {printed}");
            }
            anyhow::ensure!(
                started.elapsed() < Duration::from_secs(20),
                "pcscd did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(Pcscd { child, dir })
    }

    /// What this pcscd printed so far (for a test's failure message).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("pcscd.log")).unwrap_or_default()
    }

    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        // Once stopped (and reaped), its PID may belong to another process: never signal it again.
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = Command::new("kill")
                .arg(self.child.id().to_string())
                .status();
            let _ = self.child.wait();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Drop for Pcscd {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// Removes the socket and PID file of a pcscd that is no longer running; refuses when it still runs.
fn clear_stale_socket() -> anyhow::Result<()> {
    if !Path::new(SOCKET).exists() {
        return Ok(());
    }
    let pid = std::fs::read_to_string(PID_FILE).unwrap_or_default();
    let pid = pid.trim();
    anyhow::ensure!(
        pid.is_empty() || !Path::new("/proc").join(pid).exists(),
        "another pcscd (pid {pid}) is running: stop it before the card tests"
    );
    let _ = std::fs::remove_file(SOCKET);
    let _ = std::fs::remove_file(PID_FILE);
    Ok(())
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
