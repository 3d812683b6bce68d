//! **Test and benchmark harness, not for production**: a private, throwaway PostgreSQL server.
//!
//! [`Cluster::start`] finds Debian's server binaries (`/usr/lib/postgresql/<version>/bin`, the newest
//! version, or the folder in `MADOGUCHI_PG_BIN`), runs `initdb` into a new temporary directory (UTF8,
//! `C.UTF-8`), starts `postgres` on 127.0.0.1 with a free port and its Unix socket in that directory,
//! waits until it accepts connections, and creates three roles:
//!
//! * `madoguchi_admin`, the bootstrap superuser, reachable only over the Unix socket; the harness uses
//!   it to create databases;
//! * `madoguchi_owner`, which owns each database the harness creates and runs its migrations (`LOGIN`
//!   with a random password);
//! * `madoguchi_app`, the application role: `LOGIN` with a random password, `NOSUPERUSER NOBYPASSRLS
//!   NOCREATEDB NOCREATEROLE`, bound by row-level security, granted by the migration only what the
//!   store needs (on the audit chain only INSERT and SELECT), as in production.
//!
//! [`Cluster::fresh_database`] returns the URL, for the application role, of a new database migrated by
//! the owner role ([`Cluster::owner_url`]).
//! Dropping the cluster stops the server by its PID (SIGTERM, then SIGINT, then SIGKILL if it does not
//! stop) and removes the directory. No system service is involved.
//!
//! `initdb` and `postgres` refuse to run as root: when the effective user is root, they run as the
//! `postgres` system user created by Debian's `postgresql` package, the directory given to it. If the
//! server binaries are missing, [`Cluster::start`] fails and names the package to install.
//!
//! The server runs with `fsync = off`: a crash of the machine may lose its data, which a throwaway
//! cluster does not mind.

use std::fmt;
use std::fs;
use std::io::Read;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use postgres::{Client, Config, NoTls};

/// The bootstrap superuser (Unix socket only).
pub const ADMIN_ROLE: &str = "madoguchi_admin";
/// The role that owns the databases.
pub const OWNER_ROLE: &str = "madoguchi_owner";
/// The application role the store connects as.
pub const APP_ROLE: &str = "madoguchi_app";

const START_TIMEOUT: Duration = Duration::from_secs(60);
const STOP_WAIT: Duration = Duration::from_secs(10);

/// Why a cluster could not be started or used.
#[derive(Debug)]
pub struct ClusterError(String);

impl fmt::Display for ClusterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ClusterError {}

fn err(msg: impl Into<String>) -> ClusterError {
    ClusterError(msg.into())
}

/// The user the server runs as, when the harness runs as root.
#[derive(Debug, Clone, Copy)]
struct RunAs {
    uid: u32,
    gid: u32,
}

/// A running throwaway PostgreSQL server. See the module docs.
pub struct Cluster {
    bin: PathBuf,
    dir: Option<tempfile::TempDir>,
    server: Mutex<Option<Child>>,
    watchdog: Mutex<Option<Child>>,
    port: u16,
    app_password: String,
    owner_password: String,
    admin: Mutex<Option<Client>>,
    next_db: AtomicU64,
}

impl fmt::Debug for Cluster {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cluster")
            .field("bin", &self.bin)
            .field("dir", &self.dir.as_ref().map(|d| d.path().to_owned()))
            .field("port", &self.port)
            .finish()
    }
}

/// Finds the newest `/usr/lib/postgresql/<version>/bin` with `initdb` and `postgres` (or the folder
/// named by `MADOGUCHI_PG_BIN`).
pub fn find_binaries() -> Result<PathBuf, ClusterError> {
    let chosen = std::env::var_os("MADOGUCHI_PG_BIN").map(PathBuf::from);
    binaries_in(chosen.as_deref(), Path::new("/usr/lib/postgresql"))
}

fn binaries_in(chosen: Option<&Path>, root: &Path) -> Result<PathBuf, ClusterError> {
    let missing = || {
        err(format!(
            "PostgreSQL server binaries (initdb, postgres) not found in {}/*/bin: install the \
             Debian package `postgresql` (apt-get install postgresql), or set MADOGUCHI_PG_BIN to \
             a folder that has them",
            root.display()
        ))
    };
    let has_both = |dir: &Path| dir.join("initdb").is_file() && dir.join("postgres").is_file();
    if let Some(dir) = chosen {
        return if has_both(dir) {
            Ok(dir.to_owned())
        } else {
            Err(missing())
        };
    }
    let mut found: Vec<(u32, PathBuf)> = fs::read_dir(root)
        .map_err(|_| missing())?
        .filter_map(Result::ok)
        .filter_map(|e| {
            let version: u32 = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            has_both(&bin).then_some((version, bin))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, bin)| bin).ok_or_else(missing)
}

/// Root may not run the server: the `postgres` system user's ids, when the effective user is root.
fn run_as() -> Result<Option<RunAs>, ClusterError> {
    let euid = fs::metadata("/proc/self")
        .map_err(|e| err(format!("cannot tell the effective user: {e}")))?
        .uid();
    if euid != 0 {
        return Ok(None);
    }
    let passwd = fs::read_to_string("/etc/passwd")
        .map_err(|e| err(format!("cannot read /etc/passwd: {e}")))?;
    passwd
        .lines()
        .find_map(|line| {
            let f: Vec<&str> = line.split(':').collect();
            (f.len() > 3 && f[0] == "postgres").then(|| {
                Some(RunAs {
                    uid: f[2].parse().ok()?,
                    gid: f[3].parse().ok()?,
                })
            })?
        })
        .map(Some)
        .ok_or_else(|| {
            err(
                "running as root, and PostgreSQL refuses to: no `postgres` system user to run it \
                 as (the Debian package `postgresql` creates it)",
            )
        })
}

fn command(bin: &Path, run_as: Option<RunAs>, cwd: &Path) -> Command {
    let mut c = Command::new(bin);
    c.current_dir(cwd).env("LC_ALL", "C.UTF-8");
    if let Some(u) = run_as {
        // Supplementary groups are dropped by std when root changes the uid.
        c.uid(u.uid).gid(u.gid);
    }
    c
}

fn free_port() -> Result<u16, ClusterError> {
    let l = std::net::TcpListener::bind("127.0.0.1:0")
        .map_err(|e| err(format!("cannot find a free port: {e}")))?;
    l.local_addr()
        .map(|a| a.port())
        .map_err(|e| err(format!("cannot find a free port: {e}")))
}

fn tail(path: &Path) -> String {
    let mut s = String::new();
    if let Ok(mut f) = fs::File::open(path) {
        let _ = f.read_to_string(&mut s);
    }
    let lines: Vec<&str> = s.lines().collect();
    lines[lines.len().saturating_sub(20)..].join("\n")
}

fn random_hex(bytes: usize) -> Result<String, ClusterError> {
    use ring::rand::SecureRandom;
    let mut buf = vec![0u8; bytes];
    ring::rand::SystemRandom::new()
        .fill(&mut buf)
        .map_err(|_| err("no randomness for the application role's password"))?;
    Ok(buf.iter().map(|b| format!("{b:02x}")).collect())
}

fn signal(pid: u32, sig: &str) {
    let _ = Command::new("kill")
        .args([sig, &pid.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

impl Cluster {
    /// Starts a new cluster with the default settings.
    pub fn start() -> Result<Cluster, ClusterError> {
        Self::start_with(&[])
    }

    /// Starts a new cluster with extra server settings (`-c name=value`), e.g. `shared_buffers` for a
    /// benchmark.
    pub fn start_with(settings: &[(&str, &str)]) -> Result<Cluster, ClusterError> {
        let bin = find_binaries()?;
        let run_as = run_as()?;
        let dir = tempfile::Builder::new()
            .prefix("madoguchi-pg-")
            .tempdir()
            .map_err(|e| err(format!("cannot create a temporary directory: {e}")))?;
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o700))
            .map_err(|e| err(format!("cannot restrict the temporary directory: {e}")))?;
        if let Some(u) = run_as {
            std::os::unix::fs::chown(dir.path(), Some(u.uid), Some(u.gid)).map_err(|e| {
                err(format!(
                    "cannot give the temporary directory to postgres: {e}"
                ))
            })?;
        }
        let data = dir.path().join("data");
        let initdb_log = dir.path().join("initdb.log");
        let log = fs::File::create(&initdb_log)
            .map_err(|e| err(format!("cannot create the initdb log: {e}")))?;
        let log2 = log
            .try_clone()
            .map_err(|e| err(format!("cannot create the initdb log: {e}")))?;
        let status = command(&bin.join("initdb"), run_as, dir.path())
            .arg("-D")
            .arg(&data)
            .args([
                "-U",
                ADMIN_ROLE,
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
                "--no-instructions",
            ])
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(log2)
            .status()
            .map_err(|e| err(format!("cannot run initdb: {e}")))?;
        if !status.success() {
            return Err(err(format!(
                "initdb failed ({status}):\n{}",
                tail(&initdb_log)
            )));
        }

        let mut last = String::new();
        for _ in 0..5 {
            let port = free_port()?;
            match Self::launch(&bin, run_as, dir.path(), &data, port, settings) {
                Ok(child) => {
                    let mut cluster = Cluster {
                        bin: bin.clone(),
                        dir: None,
                        server: Mutex::new(Some(child)),
                        watchdog: Mutex::new(None),
                        port,
                        app_password: random_hex(16)?,
                        owner_password: random_hex(16)?,
                        admin: Mutex::new(None),
                        next_db: AtomicU64::new(1),
                    };
                    match cluster.wait_ready(dir.path()) {
                        Ok(admin) => {
                            cluster.start_watchdog(dir.path());
                            cluster.dir = Some(dir);
                            *cluster
                                .admin
                                .lock()
                                .map_err(|_| err("admin connection lock poisoned"))? = Some(admin);
                            cluster.create_roles()?;
                            return Ok(cluster);
                        }
                        Err(e) => {
                            last = e.0;
                            cluster.stop_server();
                        }
                    }
                }
                Err(e) => last = e.0,
            }
        }
        Err(err(format!("PostgreSQL did not start: {last}")))
    }

    fn launch(
        bin: &Path,
        run_as: Option<RunAs>,
        dir: &Path,
        data: &Path,
        port: u16,
        settings: &[(&str, &str)],
    ) -> Result<Child, ClusterError> {
        let log = fs::File::create(dir.join("server.log"))
            .map_err(|e| err(format!("cannot create the server log: {e}")))?;
        let log2 = log
            .try_clone()
            .map_err(|e| err(format!("cannot create the server log: {e}")))?;
        let mut c = command(&bin.join("postgres"), run_as, dir);
        c.arg("-D")
            .arg(data)
            .arg("-p")
            .arg(port.to_string())
            .arg("-k")
            .arg(dir)
            .args(["-c", "listen_addresses=127.0.0.1"])
            .args(["-c", "fsync=off", "-c", "full_page_writes=off"])
            .args(["-c", "max_connections=200"]);
        for (k, v) in settings {
            c.arg("-c").arg(format!("{k}={v}"));
        }
        // Its own process group: a Ctrl-C meant for the tests does not reach the server first.
        c.process_group(0)
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(log2)
            .spawn()
            .map_err(|e| err(format!("cannot start postgres: {e}")))
    }

    fn admin_config(dir: &Path, port: u16, dbname: &str) -> Config {
        let mut c = Config::new();
        c.host_path(dir)
            .port(port)
            .user(ADMIN_ROLE)
            .dbname(dbname)
            .connect_timeout(Duration::from_secs(5));
        c
    }

    fn wait_ready(&self, dir: &Path) -> Result<Client, ClusterError> {
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            {
                let mut server = self
                    .server
                    .lock()
                    .map_err(|_| err("server handle lock poisoned"))?;
                if let Some(child) = server.as_mut()
                    && let Ok(Some(status)) = child.try_wait()
                {
                    server.take();
                    return Err(err(format!(
                        "postgres exited ({status}):\n{}",
                        tail(&dir.join("server.log"))
                    )));
                }
            }
            if let Ok(client) = Self::admin_config(dir, self.port, "postgres").connect(NoTls) {
                return Ok(client);
            }
            if Instant::now() > deadline {
                return Err(err(format!(
                    "postgres did not accept connections within {START_TIMEOUT:?}:\n{}",
                    tail(&dir.join("server.log"))
                )));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Stops the server and removes the directory should this process die without dropping the
    /// cluster.
    fn start_watchdog(&self, dir: &Path) {
        let Some(pid) = self.pid() else { return };
        let script = "while kill -0 \"$1\" 2>/dev/null; do sleep 1; done; \
                      kill -INT \"$2\" 2>/dev/null; sleep 5; kill -KILL \"$2\" 2>/dev/null; rm -rf \"$3\"";
        let child = Command::new("sh")
            .arg("-c")
            .arg(script)
            .arg("madoguchi-pg-watchdog")
            .arg(std::process::id().to_string())
            .arg(pid.to_string())
            .arg(dir)
            .process_group(0)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
        match child {
            Ok(c) => {
                if let Ok(mut w) = self.watchdog.lock() {
                    *w = Some(c);
                }
            }
            Err(e) => tracing::warn!(error = %e, "no watchdog for the throwaway cluster"),
        }
    }

    fn create_roles(&self) -> Result<(), ClusterError> {
        self.admin_sql(
            "postgres",
            &format!(
                "CREATE ROLE {OWNER_ROLE} LOGIN PASSWORD '{}' NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
                 CREATE ROLE {APP_ROLE} LOGIN PASSWORD '{}' NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;",
                self.owner_password, self.app_password
            ),
        )?;
        // PostgreSQL 15: only the database's owner may create in `public`; the application role may not.
        self.admin_sql(
            "template1",
            &format!("REVOKE CREATE ON SCHEMA public FROM {APP_ROLE}"),
        )
    }

    /// Runs SQL as the bootstrap superuser in database `dbname`.
    pub fn admin_sql(&self, dbname: &str, sql: &str) -> Result<(), ClusterError> {
        if dbname == "postgres" {
            let mut admin = self
                .admin
                .lock()
                .map_err(|_| err("admin connection lock poisoned"))?;
            if let Some(c) = admin.as_mut() {
                return c
                    .batch_execute(sql)
                    .map_err(|e| err(format!("admin SQL failed: {e}")));
            }
        }
        let mut c = self.admin_client(dbname)?;
        c.batch_execute(sql)
            .map_err(|e| err(format!("admin SQL failed: {e}")))
    }

    /// A superuser connection to `dbname` (bypasses row-level security: for checks only).
    pub fn admin_client(&self, dbname: &str) -> Result<Client, ClusterError> {
        let dir = self
            .dir
            .as_ref()
            .ok_or_else(|| err("the cluster has no directory"))?;
        Self::admin_config(dir.path(), self.port, dbname)
            .connect(NoTls)
            .map_err(|e| err(format!("cannot connect as {ADMIN_ROLE}: {e}")))
    }

    /// The URL of database `dbname` for the application role (password included).
    pub fn app_url(&self, dbname: &str) -> String {
        format!(
            "postgres://{APP_ROLE}:{}@127.0.0.1:{}/{dbname}",
            self.app_password, self.port
        )
    }

    /// The URL of database `dbname` for the owner role, which runs migrations.
    pub fn owner_url(&self, dbname: &str) -> String {
        format!(
            "postgres://{OWNER_ROLE}:{}@127.0.0.1:{}/{dbname}",
            self.owner_password, self.port
        )
    }

    /// The application role's password (for tests that check it is never printed).
    pub fn app_password(&self) -> &str {
        &self.app_password
    }

    /// The cluster's directory (data in `data/`, the server's log in `server.log`).
    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_ref().map(|d| d.path())
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The server's process id, while it runs.
    pub fn pid(&self) -> Option<u32> {
        self.server.lock().ok()?.as_ref().map(Child::id)
    }

    /// Creates a new empty database owned by [`OWNER_ROLE`], returning its name.
    pub fn try_fresh_database(&self) -> Result<String, ClusterError> {
        let n = self.next_db.fetch_add(1, Ordering::Relaxed);
        let name = format!("madoguchi_{n}");
        self.admin_sql(
            "postgres",
            &format!("CREATE DATABASE {name} OWNER {OWNER_ROLE} STRATEGY file_copy"),
        )?;
        Ok(name)
    }

    /// The URL, for the application role, of a new database that the owner role migrated. Panics if it
    /// cannot be created (this is a test harness).
    pub fn fresh_database(&self) -> String {
        let name = self
            .try_fresh_database()
            .unwrap_or_else(|e| panic!("cannot create a database in the throwaway cluster: {e}"));
        if let Err(e) =
            madoguchi_store_postgres::PostgresStore::migrate(&self.owner_url(&name), APP_ROLE)
        {
            panic!("cannot migrate a database of the throwaway cluster: {e}");
        }
        self.app_url(&name)
    }

    fn stop_server(&self) {
        let child = match self.server.lock() {
            Ok(mut s) => s.take(),
            Err(p) => p.into_inner().take(),
        };
        let Some(mut child) = child else { return };
        let pid = child.id();
        let wait = |child: &mut Child, for_: Duration| {
            let deadline = Instant::now() + for_;
            while Instant::now() < deadline {
                if let Ok(Some(_)) = child.try_wait() {
                    return true;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            false
        };
        // SIGTERM: smart shutdown (waits for sessions); SIGINT: fast (ends them); then SIGKILL.
        signal(pid, "-TERM");
        if wait(&mut child, STOP_WAIT) {
            return;
        }
        signal(pid, "-INT");
        if wait(&mut child, STOP_WAIT) {
            return;
        }
        let _ = child.kill();
        let _ = child.wait();
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let admin = match self.admin.lock() {
            Ok(mut a) => a.take(),
            Err(p) => p.into_inner().take(),
        };
        if let Some(admin) = admin {
            // Closing blocks on the client's own runtime: not on an async worker thread.
            let _ = std::thread::spawn(move || drop(admin)).join();
        }
        self.stop_server();
        let watchdog = match self.watchdog.lock() {
            Ok(mut w) => w.take(),
            Err(p) => p.into_inner().take(),
        };
        if let Some(mut w) = watchdog {
            let _ = w.kill();
            let _ = w.wait();
        }
        // The TempDir removes the directory.
        self.dir.take();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_binaries_name_the_debian_package() {
        let empty = tempfile::tempdir().expect("tempdir");
        for e in [
            binaries_in(None, &empty.path().join("nothing")),
            binaries_in(None, empty.path()),
            binaries_in(Some(empty.path()), empty.path()),
        ] {
            let msg = e.expect_err("missing").to_string();
            assert!(msg.contains("`postgresql`"), "{msg}");
        }
    }

    #[test]
    fn the_newest_version_is_chosen() {
        let root = tempfile::tempdir().expect("tempdir");
        for v in ["9", "15", "13", "notaversion"] {
            let bin = root.path().join(v).join("bin");
            fs::create_dir_all(&bin).expect("dir");
            for f in ["initdb", "postgres"] {
                fs::write(bin.join(f), "").expect("file");
            }
        }
        assert_eq!(
            binaries_in(None, root.path()).expect("found"),
            root.path().join("15").join("bin")
        );
    }
}
