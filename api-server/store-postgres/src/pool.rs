//! A small bounded pool of synchronous connections.
//!
//! The `postgres` crate drives each connection with its own single-threaded Tokio runtime, so a
//! [`Client`] may be used from any thread that is not itself running async code: the server calls the
//! store from `tokio::task::spawn_blocking`, which is such a thread. Clients are dropped (which closes
//! them through their runtime) on a plain thread of their own, so that dropping the store inside an
//! async context cannot panic.

use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

use madoguchi_store::{StoreError, StoreResult};
use postgres::{Client, Config, NoTls};

/// Most connections one store opens at once.
pub const MAX_CONNECTIONS: usize = 16;
/// How long a caller waits for a free connection before giving up.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(30);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Where a store connects, printable without its password.
#[derive(Clone)]
pub struct Target {
    pub config: Config,
}

impl Target {
    /// Parses a `postgres://` or `postgresql://` URL. The error never repeats the URL (it may hold a
    /// password).
    pub fn parse(url: &str) -> StoreResult<Self> {
        let scheme_ok = ["postgres://", "postgresql://"]
            .iter()
            .any(|s| url.len() >= s.len() && url[..s.len()].eq_ignore_ascii_case(s));
        if !scheme_ok {
            return Err(StoreError::Backend(
                "a PostgreSQL store is opened with a postgres:// or postgresql:// URL".into(),
            ));
        }
        let mut config: Config = url.parse().map_err(|e: postgres::Error| {
            StoreError::Backend(format!(
                "invalid PostgreSQL URL: {}",
                redact(&e.to_string(), url)
            ))
        })?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        if config.get_application_name().is_none() {
            config.application_name("madoguchi");
        }
        Ok(Target { config })
    }
}

/// Removes anything of `secret_source`'s password from `text` (belt and braces: the driver's messages
/// do not repeat it).
pub(crate) fn redact(text: &str, secret_source: &str) -> String {
    match password_of(secret_source) {
        Some(pw) if !pw.is_empty() => text.replace(&pw, "****"),
        _ => text.to_owned(),
    }
}

/// The password part of a URL's user info, as written.
fn password_of(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?']).next()?;
    let userinfo = authority.rsplit_once('@')?.0;
    userinfo.split_once(':').map(|(_, p)| p.to_owned())
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let c = &self.config;
        let hosts: Vec<String> = c
            .get_hosts()
            .iter()
            .map(|h| match h {
                postgres::config::Host::Tcp(name) => name.clone(),
                postgres::config::Host::Unix(path) => path.display().to_string(),
            })
            .collect();
        f.debug_struct("Target")
            .field("user", &c.get_user())
            .field("password", &c.get_password().map(|_| "****"))
            .field("hosts", &hosts)
            .field("ports", &c.get_ports())
            .field("dbname", &c.get_dbname())
            .finish()
    }
}

struct State {
    idle: Vec<Client>,
    /// Connections open, idle or lent.
    open: usize,
}

pub struct Pool {
    target: Target,
    state: Mutex<State>,
    freed: Condvar,
}

impl std::fmt::Debug for Pool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pool")
            .field("target", &self.target)
            .finish()
    }
}

/// A lent connection; returned to the pool when dropped (closed instead when it broke).
pub struct Conn<'a> {
    pool: &'a Pool,
    client: Option<Client>,
}

impl std::ops::Deref for Conn<'_> {
    type Target = Client;
    fn deref(&self) -> &Client {
        self.client
            .as_ref()
            .expect("a lent connection is present until dropped")
    }
}

impl std::ops::DerefMut for Conn<'_> {
    fn deref_mut(&mut self) -> &mut Client {
        self.client
            .as_mut()
            .expect("a lent connection is present until dropped")
    }
}

impl Drop for Conn<'_> {
    fn drop(&mut self) {
        let Some(client) = self.client.take() else {
            return;
        };
        let mut st = match self.pool.state.lock() {
            Ok(s) => s,
            Err(p) => p.into_inner(),
        };
        if client.is_closed() {
            st.open = st.open.saturating_sub(1);
            drop(st);
            close_off_thread(vec![client]);
        } else {
            st.idle.push(client);
        }
        self.pool.freed.notify_one();
    }
}

impl Pool {
    pub fn new(target: Target) -> Self {
        Pool {
            target,
            state: Mutex::new(State {
                idle: Vec::new(),
                open: 0,
            }),
            freed: Condvar::new(),
        }
    }

    pub fn target(&self) -> &Target {
        &self.target
    }

    /// A connection: an idle one, a new one while fewer than [`MAX_CONNECTIONS`] are open, or the
    /// next one returned.
    pub fn get(&self) -> StoreResult<Conn<'_>> {
        let deadline = Instant::now() + ACQUIRE_TIMEOUT;
        let mut st = self
            .state
            .lock()
            .map_err(|_| StoreError::Backend("connection pool lock poisoned".into()))?;
        loop {
            if let Some(client) = st.idle.pop() {
                if client.is_closed() {
                    st.open = st.open.saturating_sub(1);
                    close_off_thread(vec![client]);
                    continue;
                }
                return Ok(Conn {
                    pool: self,
                    client: Some(client),
                });
            }
            if st.open < MAX_CONNECTIONS {
                st.open += 1;
                drop(st);
                return match self.target.config.connect(NoTls) {
                    Ok(client) => Ok(Conn {
                        pool: self,
                        client: Some(client),
                    }),
                    Err(e) => {
                        if let Ok(mut st) = self.state.lock() {
                            st.open = st.open.saturating_sub(1);
                        }
                        self.freed.notify_one();
                        Err(StoreError::Backend(format!(
                            "cannot connect to PostgreSQL: {}",
                            connect_error(&e, &self.target)
                        )))
                    }
                };
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(StoreError::Backend(
                    "no PostgreSQL connection became free in time".into(),
                ));
            }
            st = self
                .freed
                .wait_timeout(st, deadline - now)
                .map_err(|_| StoreError::Backend("connection pool lock poisoned".into()))?
                .0;
        }
    }
}

/// The driver's connection error, with the password removed should it ever appear.
fn connect_error(e: &postgres::Error, target: &Target) -> String {
    let text = e.to_string();
    match target.config.get_password() {
        Some(pw) if !pw.is_empty() => match std::str::from_utf8(pw) {
            Ok(pw) => text.replace(pw, "****"),
            Err(_) => text,
        },
        _ => text,
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        let idle = match self.state.get_mut() {
            Ok(s) => std::mem::take(&mut s.idle),
            Err(p) => std::mem::take(&mut p.into_inner().idle),
        };
        close_off_thread(idle);
    }
}

/// Closes clients on a thread outside any async runtime (closing blocks on the client's own runtime,
/// which Tokio refuses inside another runtime's worker).
fn close_off_thread(clients: Vec<Client>) {
    if clients.is_empty() {
        return;
    }
    let handle = std::thread::Builder::new()
        .name("pg-close".into())
        .spawn(move || drop(clients));
    match handle {
        Ok(h) => {
            let _ = h.join();
        }
        Err(e) => tracing::warn!(error = %e, "could not start a thread to close connections"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_checked_and_never_echoed() {
        let e = Target::parse("mysql://u:hunter2@h/db").expect_err("scheme");
        assert!(!e.to_string().contains("hunter2"));
        let e = Target::parse("postgres://u:hunter2@h:notaport/db").expect_err("port");
        assert!(!e.to_string().contains("hunter2"), "{e}");
        let t = Target::parse("postgresql://u:hunter2@h:5433/db").expect("parse");
        let dbg = format!("{t:?}");
        assert!(!dbg.contains("hunter2"), "{dbg}");
        assert!(dbg.contains("5433") && dbg.contains("db"), "{dbg}");
        assert_eq!(
            password_of("postgres://u:p%40ss@h/db").as_deref(),
            Some("p%40ss")
        );
        assert_eq!(password_of("postgres://h/db"), None);
    }
}
