//! The read-audit spool: audit records of reads (search results, a resident or household shown) are
//! appended to a plain file next to the database (one `write`, no flush to disk, so a crash of the
//! server process loses nothing) and moved into the hash chain in batches, at least every
//! [`crate::READ_AUDIT_SYNC_INTERVAL`], before any other audit record and before the audit log is read.
//!
//! Each open store has its own spool file (`<db>.audit-spool-<pid>-<n>`), held with an exclusive lock
//! for as long as the store is open, so that an administration command run beside the server never
//! touches the server's spool. A spool file nobody holds was left by a crashed process: the next store
//! to open the database moves its records into the chain and deletes it.
//!
//! Why: a commit per search would make every other connection drop its page cache (SQLite's WAL readers
//! reset their cache when another connection has written), which cost searches 20–30 % at p50.
//!
//! File format, one frame per event: `b"AUD1"`, the payload length (u32 BE), the payload (the event's
//! fields, each as u32 BE length or `u32::MAX` for none, then the bytes), and the first 8 bytes of the
//! payload's SHA-256. A torn last frame (power loss mid-write) fails its check and ends the replay.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, SecondsFormat, Utc};
use madoguchi_store::{AuditEvent, StoreError, StoreResult, TenantId};

const MAGIC: &[u8; 4] = b"AUD1";

/// Pending read audits: in memory for the next batch, and in the spool file until that batch commits.
#[derive(Debug, Default)]
pub(crate) struct Spool {
    /// This store's spool file and its path (none for an in-memory store).
    file: Option<(File, PathBuf)>,
    pub(crate) pending: Vec<AuditEvent>,
}

/// Spool files left by crashed processes, locked by us until their records are in the chain.
#[derive(Debug, Default)]
pub(crate) struct Leftovers {
    pub(crate) events: Vec<AuditEvent>,
    files: Vec<(File, PathBuf)>,
}

impl Leftovers {
    /// After the events are committed: the files go.
    pub(crate) fn remove(self) {
        for (file, path) in self.files {
            if let Err(e) = std::fs::remove_file(&path) {
                tracing::error!(error = %e, "could not remove a recovered audit spool file");
            }
            drop(file);
        }
    }
}

fn io(e: std::io::Error) -> StoreError {
    StoreError::Backend(format!("audit spool: {e}"))
}

/// File-name prefix of the spool files of `db`.
pub(crate) fn prefix_for(db: &Path) -> String {
    let name = db
        .file_name()
        .map_or_else(|| "db".into(), |n| n.to_string_lossy().into_owned());
    format!("{name}.audit-spool-")
}

fn spool_files(db: &Path) -> StoreResult<Vec<PathBuf>> {
    let dir = db
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let prefix = prefix_for(db);
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        if entry.file_name().to_string_lossy().starts_with(&prefix) {
            out.push(entry.path());
        }
    }
    out.sort();
    Ok(out)
}

fn put(out: &mut Vec<u8>, v: Option<&str>) {
    match v {
        None => out.extend_from_slice(&u32::MAX.to_be_bytes()),
        Some(s) => {
            out.extend_from_slice(&(s.len() as u32).to_be_bytes());
            out.extend_from_slice(s.as_bytes());
        }
    }
}

fn checksum(payload: &[u8]) -> [u8; 8] {
    let d = ring::digest::digest(&ring::digest::SHA256, payload);
    let mut out = [0u8; 8];
    out.copy_from_slice(&d.as_ref()[..8]);
    out
}

/// One frame for `e`.
pub(crate) fn encode(e: &AuditEvent) -> Vec<u8> {
    let mut payload = Vec::with_capacity(256);
    put(&mut payload, Some(e.tenant.as_str()));
    put(
        &mut payload,
        Some(&e.at.to_rfc3339_opts(SecondsFormat::Micros, true)),
    );
    put(&mut payload, e.user.as_deref());
    put(&mut payload, e.counter.as_deref());
    put(&mut payload, e.terminal.as_deref());
    put(&mut payload, Some(&e.action));
    put(&mut payload, e.subject.as_deref());
    put(&mut payload, Some(&e.result));
    put(&mut payload, e.reason.as_deref());
    let mut frame = Vec::with_capacity(payload.len() + 16);
    frame.extend_from_slice(MAGIC);
    frame.extend_from_slice(&(payload.len() as u32).to_be_bytes());
    frame.extend_from_slice(&payload);
    frame.extend_from_slice(&checksum(&payload));
    frame
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (a, b) = self.0.split_at(n);
        self.0 = b;
        Some(a)
    }

    fn u32(&mut self) -> Option<u32> {
        self.take(4)
            .and_then(|b| b.try_into().ok())
            .map(u32::from_be_bytes)
    }

    fn field(&mut self) -> Option<Option<String>> {
        let n = self.u32()?;
        if n == u32::MAX {
            return Some(None);
        }
        let bytes = self.take(n as usize)?;
        String::from_utf8(bytes.to_vec()).ok().map(Some)
    }
}

fn decode_payload(p: &[u8]) -> Option<AuditEvent> {
    let mut r = Reader(p);
    let tenant = r.field()??;
    let at = r.field()??;
    let event = AuditEvent {
        tenant: TenantId(tenant),
        at: DateTime::parse_from_rfc3339(&at).ok()?.with_timezone(&Utc),
        user: r.field()?,
        counter: r.field()?,
        terminal: r.field()?,
        action: r.field()??,
        subject: r.field()?,
        result: r.field()??,
        reason: r.field()?,
    };
    r.0.is_empty().then_some(event)
}

/// The events of a spool file's bytes, up to the first frame that is torn or does not check.
pub(crate) fn decode_all(mut bytes: &[u8]) -> Vec<AuditEvent> {
    let mut out = Vec::new();
    loop {
        let mut r = Reader(bytes);
        let Some(magic) = r.take(4) else { break };
        if magic != MAGIC {
            break;
        }
        let Some(len) = r.u32() else { break };
        let Some(payload) = r.take(len as usize) else {
            break;
        };
        let Some(sum) = r.take(8) else { break };
        if sum != checksum(payload) {
            break;
        }
        let Some(event) = decode_payload(payload) else {
            break;
        };
        out.push(event);
        bytes = r.0;
    }
    out
}

impl Spool {
    /// Creates this store's spool file for `db` (locked while the store lives) and collects the spool
    /// files of crashed processes.
    pub(crate) fn open(db: &Path) -> StoreResult<(Spool, Leftovers)> {
        let mut left = Leftovers::default();
        for path in spool_files(db)? {
            let Ok(mut file) = OpenOptions::new().read(true).write(true).open(&path) else {
                continue;
            };
            match file.try_lock() {
                Ok(()) => {
                    let mut bytes = Vec::new();
                    file.read_to_end(&mut bytes).map_err(io)?;
                    left.events.extend(decode_all(&bytes));
                    left.files.push((file, path));
                }
                // Held by a live process (the server, or another command).
                Err(std::fs::TryLockError::WouldBlock) => {}
                Err(std::fs::TryLockError::Error(e)) => return Err(io(e)),
            }
        }
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let mut own = PathBuf::from(format!("{}{}-{n}", prefix_for(db), std::process::id()));
        if let Some(dir) = db.parent().filter(|d| !d.as_os_str().is_empty()) {
            own = dir.join(own);
        }
        let mut options = OpenOptions::new();
        options.create(true).truncate(true).write(true);
        // Audit records of reads name residents: owner only, like the database.
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options.open(&own).map_err(io)?;
        file.try_lock().map_err(|e| {
            StoreError::Backend(format!("audit spool: cannot lock a new spool file: {e}"))
        })?;
        Ok((
            Spool {
                file: Some((file, own)),
                pending: Vec::new(),
            },
            left,
        ))
    }

    /// Path of this store's spool file.
    #[cfg(test)]
    pub(crate) fn path(&self) -> Option<&Path> {
        self.file.as_ref().map(|(_, p)| p.as_path())
    }

    /// At close, after the last drain: the empty file goes.
    pub(crate) fn close(&mut self) {
        if let Some((file, path)) = self.file.take() {
            if self.pending.is_empty() {
                let _ = std::fs::remove_file(&path);
            }
            drop(file);
        }
    }

    /// Records one read audit: written to the file (safe from a crash of this process) and queued.
    pub(crate) fn push(&mut self, event: &AuditEvent) -> StoreResult<()> {
        if let Some((f, _)) = &mut self.file {
            f.write_all(&encode(event)).map_err(io)?;
        }
        self.pending.push(event.clone());
        Ok(())
    }

    /// After the pending events (and any replayed ones) are committed to the chain.
    pub(crate) fn clear(&mut self) -> StoreResult<()> {
        self.pending.clear();
        if let Some((f, _)) = &mut self.file {
            f.set_len(0).map_err(io)?;
            f.seek(SeekFrom::Start(0)).map_err(io)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn ev(subject: Option<&str>, reason: Option<&str>) -> AuditEvent {
        AuditEvent {
            tenant: TenantId("t1".into()),
            at: Utc
                .timestamp_opt(1_790_000_000, 123_456_000)
                .single()
                .expect("time"),
            user: Some("staff".into()),
            counter: Some("市民課1番".into()),
            terminal: None,
            action: "resident.search".into(),
            subject: subject.map(str::to_owned),
            result: "ok".into(),
            reason: reason.map(str::to_owned),
        }
    }

    #[test]
    fn frames_round_trip_and_a_torn_tail_is_dropped() {
        let a = ev(Some("000000000000019 000000000000027"), None);
        let b = ev(None, Some("本人の申出"));
        let mut bytes = encode(&a);
        bytes.extend(encode(&b));
        assert_eq!(decode_all(&bytes), [a.clone(), b.clone()]);
        let whole = bytes.len();
        // A frame cut anywhere is ignored; the complete ones before it are kept.
        let torn = encode(&a);
        for cut in 1..torn.len() {
            let mut t = bytes.clone();
            t.extend_from_slice(&torn[..cut]);
            assert_eq!(decode_all(&t).len(), 2, "cut at {cut}");
        }
        // A flipped byte in the last frame fails its checksum.
        let mut bad = bytes.clone();
        bad[whole - 12] ^= 1;
        assert_eq!(decode_all(&bad), [a]);
        assert!(decode_all(b"").is_empty());
        assert!(decode_all(b"garbage").is_empty());
    }
}
