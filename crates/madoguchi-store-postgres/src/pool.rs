//! A small bounded pool of synchronous connections.
//!
//! The `postgres` crate drives each connection with its own single-threaded Tokio runtime, so a
//! [`Client`] may be used from any thread that is not itself running async code: the server calls the
//! store from `tokio::task::spawn_blocking`, which is such a thread. Clients are dropped (which closes
//! them through their runtime) on a plain thread of their own, so that dropping the store inside an
//! async context cannot panic.
//!
//! Connections use TLS (rustls with `ring`) as the URL's `sslmode` says, by default `verify-full` (the
//! server's certificate chained to a trusted CA and naming the host) unless every host is loopback,
//! where the default is `disable`. `sslrootcert` names the CA file; without it (or `system`) the
//! operating system's store is trusted.

use std::net::IpAddr;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use madoguchi_store::{StoreError, StoreResult};
use postgres::{Client, Config, NoTls};
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, SignatureScheme};

/// Most connections one store opens at once.
pub const MAX_CONNECTIONS: usize = 16;
/// How long a caller waits for a free connection before giving up.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(30);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// How a connection is protected: the URL's `sslmode` (libpq's meaning; `allow` and `prefer`, which
/// fall back to plain text, are refused).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslMode {
    /// No TLS: the default on loopback; elsewhere only when the URL says so.
    Disable,
    /// TLS without checking the server's certificate (checked against `sslrootcert` when given).
    Require,
    /// TLS with the server's certificate chained to a trusted CA, whatever host it names.
    VerifyCa,
    /// TLS with the server's certificate chained to a trusted CA and naming the host: the default
    /// outside loopback.
    VerifyFull,
}

impl SslMode {
    pub fn as_str(self) -> &'static str {
        match self {
            SslMode::Disable => "disable",
            SslMode::Require => "require",
            SslMode::VerifyCa => "verify-ca",
            SslMode::VerifyFull => "verify-full",
        }
    }

    fn parse(value: &str) -> StoreResult<SslMode> {
        Ok(match value {
            "disable" => SslMode::Disable,
            "require" => SslMode::Require,
            "verify-ca" => SslMode::VerifyCa,
            "verify-full" => SslMode::VerifyFull,
            "allow" | "prefer" => {
                return Err(StoreError::Backend(format!(
                    "sslmode={value} may connect without TLS: use verify-full (or require), or disable explicitly"
                )));
            }
            other => {
                return Err(StoreError::Backend(format!(
                    "invalid sslmode {other:?}: use disable, require, verify-ca or verify-full"
                )));
            }
        })
    }
}

/// Where a store connects, printable without its password.
#[derive(Clone)]
pub struct Target {
    pub config: Config,
    pub ssl_mode: SslMode,
    /// The TLS client configuration, unless `ssl_mode` is `Disable`.
    tls: Option<Arc<rustls::ClientConfig>>,
}

impl Target {
    /// Parses a `postgres://` or `postgresql://` URL, with `sslmode` and `sslrootcert` (see
    /// [`SslMode`]). The error never repeats the URL (it may hold a password).
    pub fn parse(url: &str) -> StoreResult<Self> {
        let scheme_ok = ["postgres://", "postgresql://"]
            .iter()
            .any(|s| url.len() >= s.len() && url[..s.len()].eq_ignore_ascii_case(s));
        if !scheme_ok {
            return Err(StoreError::Backend(
                "a PostgreSQL store is opened with a postgres:// or postgresql:// URL".into(),
            ));
        }
        let (rest, tls_params) = take_tls_params(url);
        let mut config: Config = rest.parse().map_err(|e: postgres::Error| {
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
        let loopback = is_loopback(&config);
        let ssl_mode = match tls_params.sslmode.as_deref() {
            Some(v) => SslMode::parse(v)?,
            None if loopback => SslMode::Disable,
            None => SslMode::VerifyFull,
        };
        let tls = match ssl_mode {
            SslMode::Disable => {
                if !loopback {
                    tracing::warn!(
                        "PostgreSQL connection without TLS to a host that is not loopback (sslmode=disable)"
                    );
                }
                config.ssl_mode(postgres::config::SslMode::Disable);
                None
            }
            mode => {
                // TLS or no connection: never the plain-text fallback of `prefer`.
                config.ssl_mode(postgres::config::SslMode::Require);
                Some(Arc::new(tls_config(
                    mode,
                    tls_params.sslrootcert.as_deref(),
                )?))
            }
        };
        Ok(Target {
            config,
            ssl_mode,
            tls,
        })
    }

    /// Connects once (no pool).
    pub fn connect(&self) -> Result<Client, postgres::Error> {
        match &self.tls {
            None => self.config.connect(NoTls),
            Some(tls) => self
                .config
                .connect(tokio_postgres_rustls::MakeRustlsConnect::new(
                    (**tls).clone(),
                )),
        }
    }
}

/// `sslmode` and `sslrootcert` of a URL's query, which the driver does not take (it knows neither
/// `verify-full` nor `sslrootcert`).
#[derive(Debug, Default, PartialEq, Eq)]
struct TlsParams {
    sslmode: Option<String>,
    sslrootcert: Option<String>,
}

/// The URL without `sslmode` and `sslrootcert`, and their values (percent-decoded).
fn take_tls_params(url: &str) -> (String, TlsParams) {
    // As the driver reads a URL: the user info ends at the first `@`, the query starts at the next `?`.
    let from = url.find('@').unwrap_or(0);
    let Some(q) = url[from..].find('?').map(|i| from + i) else {
        return (url.to_owned(), TlsParams::default());
    };
    let mut params = TlsParams::default();
    let mut kept = Vec::new();
    for part in url[q + 1..].split('&') {
        let (key, value) = part.split_once('=').unwrap_or((part, ""));
        match percent_decode(key).as_str() {
            "sslmode" => params.sslmode = Some(percent_decode(value)),
            "sslrootcert" => params.sslrootcert = Some(percent_decode(value)),
            _ => kept.push(part),
        }
    }
    let mut rest = url[..q].to_owned();
    if !kept.is_empty() {
        rest.push('?');
        rest.push_str(&kept.join("&"));
    }
    (rest, params)
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        if b[i] == b'%'
            && let (Some(h), Some(l)) = (
                b.get(i + 1).copied().and_then(hex),
                b.get(i + 2).copied().and_then(hex),
            )
        {
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Whether every host the configuration connects to is this machine (a Unix socket, `localhost`, a
/// loopback address); `hostaddr`, when given, is where the connection goes.
fn is_loopback(config: &Config) -> bool {
    let addrs = config.get_hostaddrs();
    if !addrs.is_empty() {
        return addrs.iter().all(IpAddr::is_loopback);
    }
    config.get_hosts().iter().all(|h| match h {
        postgres::config::Host::Tcp(name) => {
            name.eq_ignore_ascii_case("localhost")
                || name
                    .trim_start_matches('[')
                    .trim_end_matches(']')
                    .parse::<IpAddr>()
                    .is_ok_and(|ip| ip.is_loopback())
        }
        #[cfg(unix)]
        postgres::config::Host::Unix(_) => true,
    })
}

/// The rustls client configuration of a TLS mode: the CAs of `sslrootcert` (a PEM file), or the
/// operating system's store when it is absent or `system`.
fn tls_config(mode: SslMode, sslrootcert: Option<&str>) -> StoreResult<rustls::ClientConfig> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let ca_file = sslrootcert.filter(|p| !p.is_empty() && *p != "system");
    let mut roots = rustls::RootCertStore::empty();
    match ca_file {
        Some(path) => {
            let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(path)
                .and_then(|i| i.collect::<Result<_, _>>())
                .map_err(|e| StoreError::Backend(format!("cannot read sslrootcert {path}: {e}")))?;
            let (added, _) = roots.add_parsable_certificates(certs);
            if added == 0 {
                return Err(StoreError::Backend(format!(
                    "sslrootcert {path} holds no usable CA certificate"
                )));
            }
        }
        None => {
            let found = rustls_native_certs::load_native_certs();
            roots.add_parsable_certificates(found.certs);
            if roots.is_empty() && mode != SslMode::Require {
                return Err(StoreError::Backend(format!(
                    "sslmode={}: no CA certificates in the operating system's store; set sslrootcert=<CA file> in the database URL",
                    mode.as_str()
                )));
            }
        }
    }
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| StoreError::Backend(format!("TLS configuration: {e}")))?;
    let chain = || {
        WebPkiServerVerifier::builder_with_provider(Arc::new(roots.clone()), provider.clone())
            .build()
            .map_err(|e| StoreError::Backend(format!("TLS configuration: {e}")))
    };
    let config = match mode {
        SslMode::VerifyFull => builder.with_root_certificates(roots.clone()),
        // libpq: `require` with a root certificate file checks the chain as `verify-ca` does.
        SslMode::VerifyCa | SslMode::Require if mode == SslMode::VerifyCa || ca_file.is_some() => {
            builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(ChainOnly(chain()?)))
        }
        _ => {
            tracing::warn!(
                "sslmode=require: the PostgreSQL connection is encrypted but the server's certificate is not checked (use verify-full)"
            );
            builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(AnyCertificate(provider.clone())))
        }
    };
    Ok(config.with_no_client_auth())
}

/// `verify-ca`: the chain is checked, the host name is not.
#[derive(Debug)]
struct ChainOnly(Arc<WebPkiServerVerifier>);

impl ServerCertVerifier for ChainOnly {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match self
            .0
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
        {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}

/// `require` without a root certificate: encrypted, the certificate not checked (libpq's meaning).
#[derive(Debug)]
struct AnyCertificate(Arc<CryptoProvider>);

impl ServerCertVerifier for AnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
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
            .field("sslmode", &self.ssl_mode.as_str())
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
                return match self.target.connect() {
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

/// The driver's connection error with the TLS mode, the password removed should it ever appear.
fn connect_error(e: &postgres::Error, target: &Target) -> String {
    let mut text = format!("(sslmode={}) {e}", target.ssl_mode.as_str());
    if let Some(source) = std::error::Error::source(e) {
        text.push_str(&format!(": {source}"));
    }
    if text.contains("does not support TLS") {
        text.push_str(
            "; the server offers no TLS: turn ssl on in PostgreSQL, or put sslmode=disable in the URL for a loopback or otherwise protected connection",
        );
    }
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

    /// A CA certificate file for `sslrootcert`.
    fn ca_file(dir: &std::path::Path) -> String {
        let key = rcgen::KeyPair::generate().expect("key");
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).expect("params");
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        let cert = params.self_signed(&key).expect("CA");
        let path = dir.join("ca.pem");
        std::fs::write(&path, cert.pem()).expect("write");
        path.display().to_string()
    }

    #[test]
    fn point_10_sslmode_defaults_to_verify_full_outside_loopback() {
        let dir = tempfile::tempdir().expect("tempdir");
        let ca = ca_file(dir.path());
        let mode = |url: &str| Target::parse(url).map(|t| t.ssl_mode);
        // Loopback and Unix sockets: no TLS unless asked for.
        for url in [
            "postgres://u:pw@127.0.0.1:5432/db",
            "postgres://u:pw@127.8.9.10/db",
            "postgres://u:pw@localhost/db",
            "postgres://u:pw@[::1]:5432/db",
            "postgres://u:pw@%2Fvar%2Frun%2Fpostgresql/db",
            "postgres://u:pw@db.example.lg.jp/db?hostaddr=127.0.0.1",
        ] {
            assert_eq!(mode(url).expect(url), SslMode::Disable, "{url}");
        }
        // Anywhere else: verify-full, with the given CA file …
        for url in [
            format!("postgres://u:pw@db.example.lg.jp/db?sslrootcert={ca}"),
            format!("postgres://u:pw@10.0.0.5:5432/db?sslrootcert={ca}&application_name=x"),
            format!("postgres://u:pw@localhost,10.0.0.5/db?sslrootcert={ca}"),
        ] {
            assert_eq!(mode(&url).expect(&url), SslMode::VerifyFull, "{url}");
        }
        // … or the operating system's store (a machine without one is told to name a CA file).
        match mode("postgres://u:pw@db.example.lg.jp/db") {
            Ok(m) => assert_eq!(m, SslMode::VerifyFull),
            Err(e) => assert!(e.to_string().contains("sslrootcert"), "{e}"),
        }
        // Explicit values are respected.
        let t = Target::parse("postgres://u:pw@db.example.lg.jp/db?sslmode=disable").expect("ok");
        assert_eq!(t.ssl_mode, SslMode::Disable);
        assert!(t.tls.is_none());
        assert_eq!(t.config.get_ssl_mode(), postgres::config::SslMode::Disable);
        for (m, want) in [
            ("require", SslMode::Require),
            ("verify-ca", SslMode::VerifyCa),
            ("verify-full", SslMode::VerifyFull),
        ] {
            let url = format!(
                "postgres://u:pw@127.0.0.1/db?application_name=madoguchi-test&sslmode={m}&sslrootcert={ca}"
            );
            let t = Target::parse(&url).expect(&url);
            assert_eq!(t.ssl_mode, want);
            assert!(t.tls.is_some());
            assert_eq!(
                t.config.get_ssl_mode(),
                postgres::config::SslMode::Require,
                "TLS or no connection"
            );
            assert_eq!(t.config.get_application_name(), Some("madoguchi-test"));
            assert_eq!(t.config.get_dbname(), Some("db"));
        }
        // What could fall back to plain text, or is unknown, is refused, the password never echoed.
        for bad in ["prefer", "allow", "verify_full"] {
            let e = Target::parse(&format!("postgres://u:hunter2@h/db?sslmode={bad}"))
                .expect_err(bad)
                .to_string();
            assert!(e.contains(bad) && !e.contains("hunter2"), "{e}");
        }
        let e = Target::parse("postgres://u:hunter2@h/db?sslrootcert=%2Fno%2Fsuch%2Fca.pem")
            .expect_err("no CA file")
            .to_string();
        assert!(
            e.contains("/no/such/ca.pem") && !e.contains("hunter2"),
            "{e}"
        );
        let dbg = format!(
            "{:?}",
            Target::parse(&format!("postgres://u:hunter2@h/db?sslrootcert={ca}")).expect("ok")
        );
        assert!(
            dbg.contains("verify-full") && !dbg.contains("hunter2"),
            "{dbg}"
        );
    }

    #[test]
    fn point_10_tls_parameters_leave_the_rest_of_the_url_alone() {
        let (rest, p) = take_tls_params(
            "postgres://u:p%3Fw@h:1/db?connect_timeout=3&sslmode=verify-ca&sslrootcert=%2Fetc%2Fca.pem",
        );
        assert_eq!(rest, "postgres://u:p%3Fw@h:1/db?connect_timeout=3");
        assert_eq!(p.sslmode.as_deref(), Some("verify-ca"));
        assert_eq!(p.sslrootcert.as_deref(), Some("/etc/ca.pem"));
        let (rest, p) = take_tls_params("postgres://u@h/db?sslmode=disable");
        assert_eq!(
            (rest.as_str(), p.sslmode.as_deref()),
            ("postgres://u@h/db", Some("disable"))
        );
        let (rest, p) = take_tls_params("postgres://h/db");
        assert_eq!(
            (rest.as_str(), p),
            ("postgres://h/db", TlsParams::default())
        );
    }
}
