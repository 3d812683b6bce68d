//! Security II point 10: the store's connection to PostgreSQL over TLS, against throwaway clusters —
//! one with `ssl=on` and a certificate from a test CA, one without TLS.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

use madoguchi_store_postgres::PostgresStore;
use madoguchi_testkit::throwaway::Cluster;
use rcgen::{BasicConstraints, CertificateParams, IsCa, KeyPair};

fn ca(name: &str) -> (rcgen::Certificate, KeyPair) {
    let key = KeyPair::generate().expect("key");
    let mut params = CertificateParams::new(Vec::<String>::new()).expect("params");
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, name);
    (params.self_signed(&key).expect("CA"), key)
}

/// The uid PostgreSQL runs as under the harness: `postgres` when this process is root, else ours.
fn server_uid(dir: &Path) -> Option<u32> {
    if std::fs::metadata(dir).expect("meta").uid() != 0 {
        return None;
    }
    std::fs::read_to_string("/etc/passwd")
        .expect("passwd")
        .lines()
        .find_map(|l| {
            let f: Vec<&str> = l.split(':').collect();
            (f.len() > 3 && f[0] == "postgres").then(|| f[2].parse().ok())?
        })
}

fn store_error(url: &str) -> String {
    match PostgresStore::open(url) {
        Ok(_) => panic!("connected: {url}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn point_10_postgres_connections_verify_the_servers_certificate() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let (ca_cert, ca_key) = ca("Test City CA");
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, ca_cert.pem()).expect("write");
    let (other_ca, _) = ca("Somebody Else's CA");
    let other_ca_file = dir.path().join("other-ca.pem");
    std::fs::write(&other_ca_file, other_ca.pem()).expect("write");
    // The server's certificate names madoguchi-db.example only, not 127.0.0.1.
    let key = KeyPair::generate().expect("key");
    let cert = CertificateParams::new(vec!["madoguchi-db.example".to_owned()])
        .expect("params")
        .signed_by(&key, &ca_cert, &ca_key)
        .expect("server certificate");
    let (cert_file, key_file) = (dir.path().join("server.crt"), dir.path().join("server.key"));
    std::fs::write(&cert_file, cert.pem()).expect("write");
    std::fs::write(&key_file, key.serialize_pem()).expect("write");
    std::fs::set_permissions(&cert_file, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    std::fs::set_permissions(&key_file, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    if let Some(uid) = server_uid(dir.path()) {
        std::os::unix::fs::chown(&key_file, Some(uid), None).expect("chown");
    }

    let cluster = Cluster::start_with(&[
        ("ssl", "on"),
        ("ssl_cert_file", cert_file.to_str().expect("path")),
        ("ssl_key_file", key_file.to_str().expect("path")),
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    let url = cluster.fresh_database();
    let password = cluster.app_password().to_owned();
    let ca = ca_file.display();

    // verify-full: the chain to the city's CA and the host's name (connecting to 127.0.0.1 by
    // hostaddr, the certificate checked for madoguchi-db.example); opening runs queries.
    let by_name = url.replacen("@127.0.0.1:", "@madoguchi-db.example:", 1);
    PostgresStore::open(&format!(
        "{by_name}?hostaddr=127.0.0.1&sslmode=verify-full&sslrootcert={ca}"
    ))
    .expect("verify-full");
    // The certificate does not name 127.0.0.1: verify-full refuses, verify-ca (chain only) accepts.
    let e = store_error(&format!("{url}?sslmode=verify-full&sslrootcert={ca}"));
    assert!(
        e.contains("sslmode=verify-full") && e.contains("not valid for name"),
        "{e}"
    );
    assert!(!e.contains(&password), "{e}");
    PostgresStore::open(&format!("{url}?sslmode=verify-ca&sslrootcert={ca}")).expect("verify-ca");
    // Another CA's trust is no trust.
    let e = store_error(&format!(
        "{by_name}?hostaddr=127.0.0.1&sslmode=verify-full&sslrootcert={}",
        other_ca_file.display()
    ));
    assert!(e.contains("UnknownIssuer"), "{e}");
    // require: encrypted without checking (libpq's meaning), explicit only.
    PostgresStore::open(&format!("{url}?sslmode=require")).expect("require");
    drop(cluster);

    // A server without TLS: TLS demanded fails clearly instead of falling back to plain text.
    let plain = Cluster::start().unwrap_or_else(|e| panic!("{e}"));
    let url = plain.fresh_database();
    let e = store_error(&format!("{url}?sslmode=verify-full&sslrootcert={ca}"));
    assert!(
        e.contains("does not support TLS") && e.contains("sslmode=disable"),
        "{e}"
    );
    assert!(!e.contains(plain.app_password()), "{e}");
    // On loopback plain text is the default.
    PostgresStore::open(&url).expect("loopback without TLS");
}
