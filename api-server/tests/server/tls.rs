//! Security II point 10, transport security, through the real `madoguchi-server` binary: TLS with a test
//! CA, a renewed certificate picked up without a restart (a broken one ignored), plain HTTP refused
//! outside loopback, and `X-Forwarded-For` believed only from trusted proxies.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use madoguchi_server::tls::TrustedProxies;
use madoguchi_testkit::app::TestApp;
use madoguchi_testkit::process::{Killed, free_port};
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair, SerialNumber};
use tokio_rustls::rustls;
use tokio_rustls::rustls::pki_types::ServerName;

/// A CA and what it signs.
struct Ca {
    cert: rcgen::Certificate,
    key: KeyPair,
}

fn ca(name: &str) -> Ca {
    let key = KeyPair::generate().expect("key");
    let mut params = CertificateParams::new(Vec::<String>::new()).expect("params");
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name.push(DnType::CommonName, name);
    let cert = params.self_signed(&key).expect("CA");
    Ca { cert, key }
}

/// A server certificate for `localhost` and 127.0.0.1 with `serial`: (certificate PEM, key PEM).
fn server_cert(ca: &Ca, serial: u64) -> (String, String) {
    let key = KeyPair::generate().expect("key");
    let mut params = CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()])
        .expect("params");
    params
        .distinguished_name
        .push(DnType::CommonName, "madoguchi.test");
    params.serial_number = Some(SerialNumber::from(serial));
    let cert = params
        .signed_by(&key, &ca.cert, &ca.key)
        .expect("server certificate");
    (cert.pem(), key.serialize_pem())
}

fn roots(ca: &Ca) -> rustls::RootCertStore {
    let mut roots = rustls::RootCertStore::empty();
    roots.add(ca.cert.der().clone()).expect("root");
    roots
}

/// Writes a file the way a renewal tool does: a temporary file renamed over the old one.
fn replace(path: &Path, text: &str) {
    let tmp = path.with_extension("new");
    std::fs::write(&tmp, text).expect("write");
    std::fs::rename(&tmp, path).expect("rename");
}

fn server(db: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_madoguchi-server"));
    c.arg("--database")
        .arg(format!("sqlite://{}", db.display()))
        .arg("--tenant")
        .arg("city")
        .env("RUST_LOG", "warn")
        .env_remove("MADOGUCHI_TLS_CERT")
        .env_remove("MADOGUCHI_TLS_KEY")
        .env_remove("MADOGUCHI_BEHIND_TLS_PROXY")
        .env_remove("MADOGUCHI_TRUSTED_PROXIES")
        .env_remove("MADOGUCHI_LISTEN");
    c
}

/// `GET path` over HTTPS to 127.0.0.1:`port` as `localhost`, trusting `roots`: the response and the
/// serial number of the certificate the server presented; `Err` with the reason when the
/// connection or the handshake fails.
fn https_get(
    port: u16,
    roots: &rustls::RootCertStore,
    path: &str,
) -> Result<(String, u64), String> {
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| e.to_string())?
    .with_root_certificates(roots.clone())
    .with_no_client_auth();
    let name = ServerName::try_from("localhost").map_err(|e| e.to_string())?;
    let conn = rustls::ClientConnection::new(Arc::new(config), name).map_err(|e| e.to_string())?;
    let sock = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    sock.set_read_timeout(Some(Duration::from_secs(10)))
        .map_err(|e| e.to_string())?;
    let mut tls = rustls::StreamOwned::new(conn, sock);
    tls.write_all(
        format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").as_bytes(),
    )
    .map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    match tls.read_to_end(&mut out) {
        Ok(_) => {}
        // A peer that closes without close_notify: what arrived is the answer.
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof && !out.is_empty() => {}
        Err(e) => return Err(e.to_string()),
    }
    let serial = tls
        .conn
        .peer_certificates()
        .and_then(|c| c.first())
        .and_then(|c| x509_parser::parse_x509_certificate(c.as_ref()).ok())
        .and_then(|(_, c)| u64::from_str_radix(&c.raw_serial_as_string().replace(':', ""), 16).ok())
        .unwrap_or_default();
    Ok((String::from_utf8_lossy(&out).into_owned(), serial))
}

#[test]
fn point_10_server_speaks_tls_and_reloads_its_certificate_without_a_restart() {
    let dir = tempfile::tempdir().expect("tempdir");
    let city_ca = ca("Test City CA");
    let other_ca = ca("Somebody Else's CA");
    let cert_file = dir.path().join("server.crt");
    let key_file = dir.path().join("server.key");
    let (cert, key) = server_cert(&city_ca, 1001);
    std::fs::write(&cert_file, cert).expect("write");
    std::fs::write(&key_file, key).expect("write");
    let log = dir.path().join("server.log");
    let port = free_port();
    let child = server(&dir.path().join("m.sqlite3"))
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .env("MADOGUCHI_TLS_CERT", &cert_file)
        .env("MADOGUCHI_TLS_KEY", &key_file)
        .stderr(std::fs::File::create(&log).expect("log"))
        .spawn()
        .expect("serve");
    let mut guard = Killed(child);
    let trusted = roots(&city_ca);

    let deadline = Instant::now() + Duration::from_secs(30);
    let (health, serial) = loop {
        if let Ok(r) = https_get(port, &trusted, "/healthz") {
            break r;
        }
        assert!(
            guard.0.try_wait().expect("try_wait").is_none(),
            "server exited: {}",
            std::fs::read_to_string(&log).unwrap_or_default()
        );
        assert!(Instant::now() < deadline, "server did not come up");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    assert_eq!(serial, 1001);

    // A client that does not trust the city's CA fails the handshake.
    let e = https_get(port, &roots(&other_ca), "/healthz").expect_err("untrusted");
    assert!(
        e.contains("UnknownIssuer") || e.contains("invalid peer certificate"),
        "{e}"
    );
    // Plain HTTP on the TLS port gets no answer.
    let mut plain = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    plain
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let _ = plain.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    let mut answer = Vec::new();
    let _ = plain.read_to_end(&mut answer);
    assert!(!String::from_utf8_lossy(&answer).contains("200 OK"));

    // The certificate is renewed (a new key and serial): served without a restart.
    let (cert, key) = server_cert(&city_ca, 2002);
    replace(&key_file, &key);
    replace(&cert_file, &cert);
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (health, serial) = https_get(port, &trusted, "/healthz").expect("https");
        assert!(health.starts_with("HTTP/1.1 200"), "{health}");
        if serial == 2002 {
            break;
        }
        assert_eq!(serial, 1001);
        assert!(
            Instant::now() < deadline,
            "the renewed certificate was not picked up"
        );
        std::thread::sleep(Duration::from_millis(250));
    }

    // A broken file (half-written, wrong key) keeps the current certificate and is logged.
    replace(&cert_file, "-----BEGIN CERTIFICATE-----\nnot base64\n");
    let (other, _) = server_cert(&city_ca, 3003);
    let deadline = Instant::now() + Duration::from_secs(30);
    while !std::fs::read_to_string(&log)
        .unwrap_or_default()
        .contains("tls certificate not reloaded")
    {
        assert!(Instant::now() < deadline, "the broken file was not logged");
        std::thread::sleep(Duration::from_millis(250));
    }
    replace(&cert_file, &other); // its key is not the key file's
    std::thread::sleep(madoguchi_server::tls::RELOAD_EVERY + Duration::from_secs(1));
    let (health, serial) = https_get(port, &trusted, "/healthz").expect("still served");
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    assert_eq!(serial, 2002, "the last good certificate stays");
    let text = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(
        text.matches("tls certificate not reloaded").count() >= 2,
        "{text}"
    );

    // SIGTERM stops the TLS server cleanly.
    let pid = guard.0.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("kill")
            .success()
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = guard.0.try_wait().expect("try_wait") {
            break status;
        }
        assert!(Instant::now() < deadline, "server did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}");
}

#[test]
fn point_10_plain_http_is_refused_outside_loopback_unless_behind_a_tls_proxy() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("m.sqlite3");
    let port = free_port();
    let out = server(&db)
        .args(["serve", "--listen", &format!("0.0.0.0:{port}")])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("暗号化されていない HTTP") && err.contains("MADOGUCHI_TLS_CERT"),
        "{err}"
    );
    assert!(!db.exists(), "refused before the database is opened");
    // `demo` is refused the same way.
    let out = server(&db)
        .args(["demo", "--listen", &format!("0.0.0.0:{port}")])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    // A certificate without its key is a configuration error.
    let out = server(&db)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .env("MADOGUCHI_TLS_CERT", dir.path().join("server.crt"))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("MADOGUCHI_TLS_KEY"));

    // Behind a TLS-terminating load balancer: plain HTTP on every address.
    let child = server(&db)
        .args(["serve", "--listen", &format!("0.0.0.0:{port}")])
        .env("MADOGUCHI_BEHIND_TLS_PROXY", "1")
        .env("MADOGUCHI_TRUSTED_PROXIES", "10.0.0.0/8")
        .stderr(Stdio::null())
        .spawn()
        .expect("serve");
    let mut guard = Killed(child);
    let deadline = Instant::now() + Duration::from_secs(30);
    let health = loop {
        let answer = TcpStream::connect(("127.0.0.1", port))
            .ok()
            .and_then(|mut s| {
                s.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
                s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .ok()?;
                let mut out = String::new();
                s.read_to_string(&mut out).ok()?;
                Some(out)
            });
        if let Some(a) = answer {
            break a;
        }
        assert!(
            guard.0.try_wait().expect("try_wait").is_none(),
            "server exited"
        );
        assert!(Instant::now() < deadline, "server did not come up");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
}

/// The login limit per client address sees through trusted proxies only: behind the load balancer,
/// clients are told apart by `X-Forwarded-For`; from anyone else the header is ignored.
#[tokio::test]
async fn point_10_forwarded_for_is_believed_only_from_trusted_proxies() {
    use axum::body::Body;

    let app = TestApp::bare()
        .settings(madoguchi_server::config::Settings {
            login_attempts_per_address: 2,
            login_attempts_per_account: 1000,
            trusted_proxies: TrustedProxies::parse("10.0.0.0/8").expect("proxies"),
            ..madoguchi_server::config::Settings::default()
        })
        .build();
    let login = |peer: [u8; 4], forwarded: Option<&str>| {
        let mut req = axum::http::Request::post("/api/v1/auth/login")
            .header("content-type", "application/json")
            .body(Body::from(
                r#"{"tenant":"city","user":"nobody","password":"wrong","counter":"1"}"#,
            ))
            .expect("request");
        if let Some(f) = forwarded {
            req.headers_mut()
                .insert("x-forwarded-for", f.parse().expect("header"));
        }
        req.extensions_mut()
            .insert(axum::extract::ConnectInfo(std::net::SocketAddr::from((
                peer, 40000,
            ))));
        let app = &app;
        async move { app.send(req).await.0.as_u16() }
    };
    // Through the load balancer (10.0.0.5): two clients, each with its own limit.
    for _ in 0..2 {
        assert_eq!(login([10, 0, 0, 5], Some("198.51.100.1")).await, 401);
        assert_eq!(
            login([10, 0, 0, 5], Some("203.0.113.9, 198.51.100.2")).await,
            401
        );
    }
    assert_eq!(
        login([10, 0, 0, 5], Some("198.51.100.1")).await,
        429,
        "the third from one client"
    );
    assert_eq!(
        login([10, 0, 0, 5], Some("198.51.100.3")).await,
        401,
        "another client behind the same proxy"
    );
    // A client spoofing the header to claim a fresh address: 198.51.100.2 is over its limit whatever
    // it writes on the left.
    assert_eq!(
        login([10, 0, 0, 5], Some("192.0.2.77, 198.51.100.2")).await,
        429
    );
    // An untrusted peer's header is ignored: changing it does not escape the limit.
    assert_eq!(login([192, 0, 2, 10], Some("198.51.100.50")).await, 401);
    assert_eq!(login([192, 0, 2, 10], Some("198.51.100.51")).await, 401);
    assert_eq!(login([192, 0, 2, 10], Some("198.51.100.52")).await, 429);
}
