//! Transport security: the server speaks TLS itself (rustls with `ring`) with certificate files that are
//! reloaded when they change, plain HTTP only on loopback or behind a TLS-terminating load balancer, and
//! the proxies whose `X-Forwarded-For` is believed for the client's address.
//!
//! Environment:
//! - `MADOGUCHI_TLS_CERT`, `MADOGUCHI_TLS_KEY`: PEM files, the certificate chain (leaf first) and its
//!   private key (PKCS#8, PKCS#1 or SEC1). When set, `serve` listens with TLS and checks the files every
//!   [`RELOAD_EVERY`]: a renewed certificate takes effect without a restart; a broken new file keeps the
//!   old certificate and logs an error.
//! - `MADOGUCHI_BEHIND_TLS_PROXY=1`: plain HTTP on any address, for a load balancer that terminates TLS.
//!   Without it and without a certificate, `serve` refuses any address but loopback.
//! - `MADOGUCHI_TRUSTED_PROXIES`: comma-separated IP addresses or CIDR blocks of those proxies. When the
//!   TCP peer is one of them, the client's address is the right-most address of `X-Forwarded-For` that is
//!   not; any other peer's `X-Forwarded-For` is ignored.

use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use tokio_rustls::rustls;
use tokio_rustls::rustls::crypto::CryptoProvider;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::rustls::server::{ClientHello, ResolvesServerCert};
use tokio_rustls::rustls::sign::CertifiedKey;

pub const TLS_CERT_ENV: &str = "MADOGUCHI_TLS_CERT";
pub const TLS_KEY_ENV: &str = "MADOGUCHI_TLS_KEY";
pub const BEHIND_TLS_PROXY_ENV: &str = "MADOGUCHI_BEHIND_TLS_PROXY";
pub const TRUSTED_PROXIES_ENV: &str = "MADOGUCHI_TRUSTED_PROXIES";

/// How often the certificate and key files are checked for a change.
pub const RELOAD_EVERY: Duration = Duration::from_secs(5);
/// A client that has not finished its TLS handshake by then is dropped.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// A client that has not sent a request's headers by then is dropped.
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// The certificate chain and private key files (PEM).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsFiles {
    pub cert: PathBuf,
    pub key: PathBuf,
}

/// How the server is reached, from the environment ([`Transport::from_env`]).
#[derive(Debug, Clone, Default)]
pub struct Transport {
    /// TLS by the server itself.
    pub tls: Option<TlsFiles>,
    /// Plain HTTP on any address: a load balancer in front terminates TLS.
    pub behind_tls_proxy: bool,
    /// The proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: TrustedProxies,
}

impl Transport {
    /// Reads `MADOGUCHI_TLS_CERT`, `MADOGUCHI_TLS_KEY`, `MADOGUCHI_BEHIND_TLS_PROXY` and
    /// `MADOGUCHI_TRUSTED_PROXIES` (Japanese errors).
    pub fn from_env() -> anyhow::Result<Transport> {
        Self::from_vars(|k| std::env::var(k).ok())
    }

    /// As [`Transport::from_env`], from any source of variables (tests).
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> anyhow::Result<Transport> {
        let var = |k: &str| {
            var(k)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let tls = match (var(TLS_CERT_ENV), var(TLS_KEY_ENV)) {
            (Some(cert), Some(key)) => Some(TlsFiles {
                cert: cert.into(),
                key: key.into(),
            }),
            (None, None) => None,
            (Some(_), None) => anyhow::bail!(
                "{TLS_CERT_ENV}（証明書）を指定したときは {TLS_KEY_ENV}（秘密鍵）も指定してください"
            ),
            (None, Some(_)) => anyhow::bail!(
                "{TLS_KEY_ENV}（秘密鍵）を指定したときは {TLS_CERT_ENV}（証明書）も指定してください"
            ),
        };
        let behind_tls_proxy = match var(BEHIND_TLS_PROXY_ENV).as_deref() {
            None | Some("0" | "false" | "no" | "off") => false,
            Some("1" | "true" | "yes" | "on") => true,
            Some(_) => anyhow::bail!("{BEHIND_TLS_PROXY_ENV} は 1 または 0 で指定してください"),
        };
        let trusted_proxies = match var(TRUSTED_PROXIES_ENV) {
            None => TrustedProxies::default(),
            Some(list) => TrustedProxies::parse(&list)
                .map_err(|e| anyhow::anyhow!("{TRUSTED_PROXIES_ENV}: {e}"))?,
        };
        Ok(Transport {
            tls,
            behind_tls_proxy,
            trusted_proxies,
        })
    }

    /// Whether the server may listen on `addr`: with TLS anywhere, plain HTTP only on loopback unless a
    /// TLS-terminating proxy is declared.
    pub fn check_listen(&self, addr: SocketAddr) -> anyhow::Result<()> {
        if self.tls.is_some() || self.behind_tls_proxy || addr.ip().is_loopback() {
            return Ok(());
        }
        anyhow::bail!(
            "暗号化されていない HTTP で {addr} を待ち受けることはできません（平文の HTTP はループバックアドレス 127.0.0.1・::1 だけで使えます）。\
             {TLS_CERT_ENV} と {TLS_KEY_ENV} に TLS の証明書と秘密鍵（PEM）を指定するか、\
             TLS を終端するロードバランサーの後ろで動かす場合は {BEHIND_TLS_PROXY_ENV}=1 を設定してください"
        )
    }

    /// `http` or `https`, for the URLs the server prints.
    pub fn scheme(&self) -> &'static str {
        if self.tls.is_some() { "https" } else { "http" }
    }
}

/// IP addresses and CIDR blocks of the proxies whose `X-Forwarded-For` is believed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<(IpAddr, u8)>);

impl TrustedProxies {
    /// Parses `10.0.0.0/8, 192.0.2.7, fd00::/8` (Japanese errors naming the bad entry).
    pub fn parse(list: &str) -> Result<TrustedProxies, String> {
        let mut out = Vec::new();
        for entry in list.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let bad = || {
                format!(
                    "「{entry}」は IP アドレスまたは CIDR（例 10.0.0.0/8）ではありません（カンマ区切りで指定してください）"
                )
            };
            let (addr, len) = match entry.split_once('/') {
                Some((a, l)) => (a, Some(l)),
                None => (entry, None),
            };
            let addr: IpAddr = addr.trim().parse().map_err(|_| bad())?;
            let addr = canonical(addr);
            let max = if addr.is_ipv4() { 32 } else { 128 };
            let len = match len {
                None => max,
                Some(l) => match l.trim().parse::<u8>() {
                    Ok(n) if n <= max => n,
                    _ => return Err(bad()),
                },
            };
            out.push((mask(addr, len), len));
        }
        Ok(TrustedProxies(out))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether `addr` is one of the trusted proxies.
    pub fn contains(&self, addr: IpAddr) -> bool {
        let addr = canonical(addr);
        self.0
            .iter()
            .any(|(net, len)| net.is_ipv4() == addr.is_ipv4() && mask(addr, *len) == *net)
    }

    /// The client's address of a request from `peer` (the TCP peer) with these `X-Forwarded-For`
    /// header values (in order): `peer` unless it is a trusted proxy; else the right-most forwarded
    /// address that is not a trusted proxy (what the nearest trusted proxy saw). A forwarded entry that
    /// is not an address stops the walk at the last trusted hop, which is then the answer.
    pub fn client_addr<'a>(
        &self,
        peer: IpAddr,
        forwarded_for: impl DoubleEndedIterator<Item = &'a str>,
    ) -> IpAddr {
        if !self.contains(peer) {
            return peer;
        }
        let mut last_trusted = peer;
        for value in forwarded_for.rev() {
            for entry in value.rsplit(',') {
                let entry = entry.trim();
                if entry.is_empty() {
                    continue;
                }
                let Some(addr) = forwarded_addr(entry) else {
                    return last_trusted;
                };
                if !self.contains(addr) {
                    return canonical(addr);
                }
                last_trusted = addr;
            }
        }
        last_trusted
    }
}

/// An `X-Forwarded-For` entry: an address, possibly with a port (`192.0.2.1:5000`, `[2001:db8::1]:80`).
fn forwarded_addr(entry: &str) -> Option<IpAddr> {
    entry
        .parse::<IpAddr>()
        .ok()
        .or_else(|| entry.parse::<SocketAddr>().ok().map(|s| s.ip()))
}

/// IPv4-mapped IPv6 addresses (`::ffff:192.0.2.1`, a dual-stack socket's view of an IPv4 peer) as IPv4.
fn canonical(addr: IpAddr) -> IpAddr {
    match addr {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(addr, IpAddr::V4),
        v4 => v4,
    }
}

fn mask(addr: IpAddr, len: u8) -> IpAddr {
    match addr {
        IpAddr::V4(a) => {
            let bits = u32::from(a);
            let m = if len == 0 {
                0
            } else {
                u32::MAX << (32 - u32::from(len))
            };
            IpAddr::V4((bits & m).into())
        }
        IpAddr::V6(a) => {
            let bits = u128::from(a);
            let m = if len == 0 {
                0
            } else {
                u128::MAX << (128 - u32::from(len))
            };
            IpAddr::V6((bits & m).into())
        }
    }
}

/// The server's certificate, swapped when its files change ([`CertStore::reload`]).
pub struct CertStore {
    files: TlsFiles,
    provider: Arc<CryptoProvider>,
    current: RwLock<Arc<CertifiedKey>>,
    /// The files' bytes last looked at, and the last error logged (each logged once).
    seen: Mutex<Seen>,
}

#[derive(Default)]
struct Seen {
    cert: Vec<u8>,
    key: Vec<u8>,
    error: Option<String>,
}

impl std::fmt::Debug for CertStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CertStore")
            .field("files", &self.files)
            .finish_non_exhaustive()
    }
}

impl ResolvesServerCert for CertStore {
    fn resolve(&self, _: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        Some(match self.current.read() {
            Ok(c) => c.clone(),
            Err(p) => p.into_inner().clone(),
        })
    }
}

/// What a certificate file says about its leaf, for the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeafInfo {
    pub serial: String,
    pub not_after: String,
    pub valid_now: bool,
}

fn leaf_info(der: &[u8]) -> Option<LeafInfo> {
    let (_, cert) = x509_parser::parse_x509_certificate(der).ok()?;
    Some(LeafInfo {
        serial: cert.raw_serial_as_string(),
        not_after: cert.validity().not_after.to_string(),
        valid_now: cert.validity().is_valid(),
    })
}

/// Parses a certificate chain and its private key (PEM) into what rustls serves (English errors).
fn certified_key(
    cert_pem: &[u8],
    key_pem: &[u8],
    provider: &CryptoProvider,
) -> Result<(CertifiedKey, Option<LeafInfo>), String> {
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(cert_pem)
        .collect::<Result<_, _>>()
        .map_err(|e| format!("certificate file: {e}"))?;
    let Some(leaf) = chain.first() else {
        return Err("certificate file: no CERTIFICATE in the PEM file".into());
    };
    let info = leaf_info(leaf);
    let key = PrivateKeyDer::from_pem_slice(key_pem).map_err(|e| format!("key file: {e}"))?;
    let key = CertifiedKey::from_der(chain, key, provider)
        .map_err(|e| format!("certificate and key: {e}"))?;
    Ok((key, info))
}

impl CertStore {
    /// Loads the files (Japanese error naming the file and the English reason).
    pub fn load(files: &TlsFiles) -> anyhow::Result<Arc<CertStore>> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let read = |p: &Path| {
            std::fs::read(p).map_err(|e| {
                anyhow::anyhow!(
                    "TLS の証明書・秘密鍵のファイル {} を読めません: {e}",
                    p.display()
                )
            })
        };
        let (cert, key) = (read(&files.cert)?, read(&files.key)?);
        let (certified, info) = certified_key(&cert, &key, &provider).map_err(|e| {
            anyhow::anyhow!(
                "TLS の証明書 {} と秘密鍵 {} を使えません: {e}",
                files.cert.display(),
                files.key.display()
            )
        })?;
        log_loaded(&files.cert, info.as_ref(), "tls certificate loaded");
        Ok(Arc::new(CertStore {
            files: files.clone(),
            provider,
            current: RwLock::new(Arc::new(certified)),
            seen: Mutex::new(Seen {
                cert,
                key,
                error: None,
            }),
        }))
    }

    /// The rustls configuration serving the current certificate (HTTP/1.1, TLS 1.2 and 1.3).
    pub fn server_config(self: &Arc<Self>) -> anyhow::Result<Arc<rustls::ServerConfig>> {
        let mut config = rustls::ServerConfig::builder_with_provider(self.provider.clone())
            .with_safe_default_protocol_versions()?
            .with_no_client_auth()
            .with_cert_resolver(self.clone());
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Arc::new(config))
    }

    /// Reads the files again and serves them from now on when they changed and are usable; a broken
    /// or mismatched pair keeps the current certificate and logs an error (once per content). Returns
    /// whether the certificate was replaced.
    pub async fn reload(&self) -> bool {
        let (cert, key) = match (
            tokio::fs::read(&self.files.cert).await,
            tokio::fs::read(&self.files.key).await,
        ) {
            (Ok(c), Ok(k)) => (c, k),
            (Err(e), _) | (_, Err(e)) => {
                self.error(format!("cannot read the certificate or key file: {e}"));
                return false;
            }
        };
        {
            let Ok(seen) = self.seen.lock() else {
                return false;
            };
            if seen.cert == cert && seen.key == key {
                return false;
            }
        }
        let result = certified_key(&cert, &key, &self.provider);
        if let Ok(mut seen) = self.seen.lock() {
            seen.cert = cert;
            seen.key = key;
        }
        match result {
            Ok((certified, info)) => {
                match self.current.write() {
                    Ok(mut c) => *c = Arc::new(certified),
                    Err(p) => *p.into_inner() = Arc::new(certified),
                }
                if let Ok(mut seen) = self.seen.lock() {
                    seen.error = None;
                }
                log_loaded(&self.files.cert, info.as_ref(), "tls certificate reloaded");
                true
            }
            Err(e) => {
                self.error(e);
                false
            }
        }
    }

    fn error(&self, message: String) {
        let Ok(mut seen) = self.seen.lock() else {
            return;
        };
        if seen.error.as_deref() != Some(message.as_str()) {
            tracing::error!(
                cert = %self.files.cert.display(),
                key = %self.files.key.display(),
                error = %message,
                "tls certificate not reloaded: keeping the current one"
            );
            seen.error = Some(message);
        }
    }

    /// Checks the files every [`RELOAD_EVERY`], forever (spawn it).
    pub async fn watch(self: Arc<Self>) {
        let mut tick = tokio::time::interval(RELOAD_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        tick.tick().await;
        loop {
            tick.tick().await;
            self.reload().await;
        }
    }

    /// The serial number (hex) of the certificate served now.
    pub fn current_serial(&self) -> Option<String> {
        let c = match self.current.read() {
            Ok(c) => c.clone(),
            Err(p) => p.into_inner().clone(),
        };
        leaf_info(c.end_entity_cert().ok()?).map(|i| i.serial)
    }
}

fn log_loaded(cert: &Path, info: Option<&LeafInfo>, what: &'static str) {
    match info {
        Some(i) if !i.valid_now => tracing::warn!(
            cert = %cert.display(),
            serial = %i.serial,
            not_after = %i.not_after,
            "{what}, but it is not valid now (expired or not yet valid)"
        ),
        Some(i) => tracing::info!(
            cert = %cert.display(),
            serial = %i.serial,
            not_after = %i.not_after,
            "{what}"
        ),
        None => tracing::info!(cert = %cert.display(), "{what}"),
    }
}

/// Serves `app` over TLS on `listener` until `shutdown` completes, then lets the open connections
/// finish their requests (as `axum::serve` with graceful shutdown does). Each request carries the TCP
/// peer as `ConnectInfo<SocketAddr>`.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    config: Arc<rustls::ServerConfig>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let acceptor = tokio_rustls::TlsAcceptor::from(config);
    let (closing_tx, closing_rx) = tokio::sync::watch::channel(false);
    let mut connections = tokio::task::JoinSet::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (tcp, peer) = tokio::select! {
            () = &mut shutdown => break,
            Some(_) = connections.join_next(), if !connections.is_empty() => continue,
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of file descriptors and the like: wait instead of spinning.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
        };
        connections.spawn(connection(
            acceptor.clone(),
            tcp,
            peer,
            app.clone(),
            closing_rx.clone(),
        ));
    }
    drop(listener);
    let _ = closing_tx.send(true);
    while connections.join_next().await.is_some() {}
    Ok(())
}

async fn connection(
    acceptor: tokio_rustls::TlsAcceptor,
    tcp: tokio::net::TcpStream,
    peer: SocketAddr,
    app: Router,
    mut closing: tokio::sync::watch::Receiver<bool>,
) {
    let _ = tcp.set_nodelay(true);
    let stream = match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(tcp)).await {
        Ok(Ok(s)) => s,
        Ok(Err(e)) => {
            tracing::debug!(error = %e, "tls handshake failed");
            return;
        }
        Err(_) => {
            tracing::debug!("tls handshake timed out");
            return;
        }
    };
    let service =
        hyper::service::service_fn(move |mut req: axum::http::Request<hyper::body::Incoming>| {
            req.extensions_mut().insert(ConnectInfo(peer));
            tower::ServiceExt::oneshot(app.clone(), req)
        });
    let conn = hyper::server::conn::http1::Builder::new()
        .timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT)
        .serve_connection(hyper_util::rt::TokioIo::new(stream), service);
    let mut conn = std::pin::pin!(conn);
    tokio::select! {
        r = conn.as_mut() => {
            if let Err(e) = r {
                tracing::debug!(error = %e, "connection ended with an error");
            }
        }
        () = async {
            let _ = closing.wait_for(|c| *c).await;
        } => {
            conn.as_mut().graceful_shutdown();
            let _ = conn.await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("ip")
    }

    #[test]
    fn point_10_trusted_proxies_parse_and_match() {
        let t = TrustedProxies::parse(" 10.0.0.0/8, 192.0.2.7 ,2001:db8::/32,").expect("parses");
        assert!(t.contains(ip("10.1.2.3")));
        assert!(t.contains(ip("::ffff:10.1.2.3")), "IPv4-mapped");
        assert!(t.contains(ip("192.0.2.7")));
        assert!(!t.contains(ip("192.0.2.8")));
        assert!(t.contains(ip("2001:db8:1::5")));
        assert!(!t.contains(ip("2001:db9::5")));
        assert!(TrustedProxies::parse("").expect("empty").is_empty());
        for bad in ["10.0.0.0/33", "proxy.example", "10.0.0.1/x", "::/129"] {
            let e = TrustedProxies::parse(bad).expect_err(bad);
            assert!(e.contains(bad.trim()), "{e}");
        }
        assert!(
            TrustedProxies::parse("0.0.0.0/0")
                .expect("all")
                .contains(ip("203.0.113.9"))
        );
    }

    #[test]
    fn point_10_forwarded_for_is_believed_only_from_trusted_proxies() {
        let t = TrustedProxies::parse("10.0.0.0/8").expect("parses");
        // An untrusted peer's header is ignored: it could name anyone.
        assert_eq!(
            t.client_addr(ip("203.0.113.5"), ["198.51.100.1"].into_iter()),
            ip("203.0.113.5")
        );
        // The load balancer appends what it saw; what the client wrote on the left is not believed.
        assert_eq!(
            t.client_addr(
                ip("10.0.1.2"),
                ["1.2.3.4, 198.51.100.7", "10.0.3.3"].into_iter()
            ),
            ip("198.51.100.7")
        );
        assert_eq!(
            t.client_addr(ip("10.0.1.2"), ["198.51.100.7:51234"].into_iter()),
            ip("198.51.100.7"),
            "with a port"
        );
        // No header, or only proxies in it: the last proxy is all we know.
        assert_eq!(
            t.client_addr(ip("10.0.1.2"), std::iter::empty()),
            ip("10.0.1.2")
        );
        assert_eq!(
            t.client_addr(ip("10.0.1.2"), ["10.9.9.9"].into_iter()),
            ip("10.9.9.9")
        );
        // Garbage next to the proxies stops the walk at the last trusted hop.
        assert_eq!(
            t.client_addr(ip("10.0.1.2"), ["198.51.100.7, unknown"].into_iter()),
            ip("10.0.1.2")
        );
        // Without trusted proxies nothing is believed.
        assert_eq!(
            TrustedProxies::default().client_addr(ip("127.0.0.1"), ["198.51.100.7"].into_iter()),
            ip("127.0.0.1")
        );
    }

    #[test]
    fn point_10_plain_http_only_on_loopback_unless_behind_a_tls_proxy() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| (*v).to_owned())
            }
        };
        let plain = Transport::from_vars(env(&[])).expect("plain");
        assert!(
            plain
                .check_listen("127.0.0.1:8080".parse().expect("addr"))
                .is_ok()
        );
        assert!(
            plain
                .check_listen("[::1]:8080".parse().expect("addr"))
                .is_ok()
        );
        let e = plain
            .check_listen("0.0.0.0:8080".parse().expect("addr"))
            .expect_err("refused")
            .to_string();
        assert!(
            e.contains("0.0.0.0:8080") && e.contains(TLS_CERT_ENV),
            "{e}"
        );
        let proxied = Transport::from_vars(env(&[
            (BEHIND_TLS_PROXY_ENV, "1"),
            (TRUSTED_PROXIES_ENV, "10.0.0.0/8"),
        ]))
        .expect("proxied");
        assert!(
            proxied
                .check_listen("0.0.0.0:8080".parse().expect("addr"))
                .is_ok()
        );
        assert!(proxied.trusted_proxies.contains(ip("10.2.3.4")));
        let tls = Transport::from_vars(env(&[(TLS_CERT_ENV, "/c.pem"), (TLS_KEY_ENV, "/k.pem")]))
            .expect("tls");
        assert!(
            tls.check_listen("0.0.0.0:8443".parse().expect("addr"))
                .is_ok()
        );
        assert_eq!(tls.scheme(), "https");
        assert!(Transport::from_vars(env(&[(TLS_CERT_ENV, "/c.pem")])).is_err());
        assert!(Transport::from_vars(env(&[(BEHIND_TLS_PROXY_ENV, "maybe")])).is_err());
        assert!(Transport::from_vars(env(&[(TRUSTED_PROXIES_ENV, "lb.example")])).is_err());
    }
}
