//! Security II point 10: the terminal reaches a server whose TLS certificate is signed by the city's own
//! CA only when that CA is configured (`ca_file`); the real server's TLS serving runs in-process.

use std::sync::Arc;

use madoguchi_server::tls::{CertStore, TlsFiles};
use madoguchi_terminal_runtime::client::Client;
use madoguchi_terminal_runtime::config::TerminalConfig;
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};

struct Server {
    port: u16,
    _rt: tokio::runtime::Runtime,
}

/// The server on 127.0.0.1 over TLS with a certificate for 127.0.0.1 signed by a new CA; the CA's PEM.
fn tls_server(dir: &std::path::Path) -> (Server, String) {
    let ca_key = KeyPair::generate().expect("key");
    let mut ca = CertificateParams::new(Vec::<String>::new()).expect("params");
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(DnType::CommonName, "さくら野市 テスト CA");
    let ca = ca.self_signed(&ca_key).expect("CA");
    let key = KeyPair::generate().expect("key");
    let leaf = CertificateParams::new(vec!["127.0.0.1".to_owned()])
        .expect("params")
        .signed_by(&key, &ca, &ca_key)
        .expect("leaf");
    let files = TlsFiles {
        cert: dir.join("server.crt"),
        key: dir.join("server.key"),
    };
    std::fs::write(&files.cert, leaf.pem()).expect("write");
    std::fs::write(&files.key, key.serialize_pem()).expect("write");

    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let certs = CertStore::load(&files).expect("certificate");
    let config = certs.server_config().expect("config");
    let store = Arc::new(madoguchi_store_sqlite::SqliteStore::open_in_memory().expect("store"));
    let app = madoguchi_server::api::router(madoguchi_server::AppState::new(
        store,
        madoguchi_server::config::Settings::default(),
    ));
    rt.spawn(madoguchi_server::tls::serve(
        listener,
        app,
        config,
        std::future::pending(),
    ));
    (Server { port, _rt: rt }, ca.pem())
}

#[test]
fn point_10_the_terminal_trusts_the_configured_city_ca() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (server, ca_pem) = tls_server(dir.path());
    let url = format!("https://127.0.0.1:{}", server.port);
    let ca_file = dir.path().join("city-ca.pem");
    std::fs::write(&ca_file, &ca_pem).expect("write");

    let client = Client::with_ca_file(&url, Some(&ca_file)).expect("client");
    let answer = client
        .request("GET", "/healthz", None, None)
        .expect("the city's CA is trusted");
    assert_eq!(answer.status, 200);

    // Without the city's CA the operating system's store does not know the certificate.
    let e = Client::new(&url)
        .request("GET", "/healthz", None, None)
        .expect_err("untrusted");
    assert!(e.is_network(), "{e:?}");

    // The terminal runtime builds its client from the configuration's ca_file.
    let config = |ca: &std::path::Path| {
        TerminalConfig::parse(&format!(
            "server_url = \"{url}\"\ntenant = \"demo\"\nterminal_id = \"staff-01\"\nrole = \"staff\"\n\
             data_dir = '{}'\nca_file = '{}'\n",
            dir.path().join("data").display(),
            ca.display()
        ))
        .expect("config")
    };
    assert!(madoguchi_terminal_runtime::runtime::Terminal::open(config(&ca_file)).is_ok());
    let missing =
        madoguchi_terminal_runtime::runtime::Terminal::open(config(&dir.path().join("none.pem")));
    assert!(
        missing.is_err_and(|e| e.to_string().contains("ca_file")),
        "a missing CA file stops the terminal with the reason"
    );
}
