//! **Test harness**, not for production: moto's S3 server (`moto_server`, from PyPI; `cargo xtask test`
//! installs it into `target/pyenv`) on a free loopback port, started per test and killed when dropped.
//! The tests of the exchange and of the linkage job run against it as a real S3-compatible server.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use madoguchi_objects::ObjectsConfig;

pub struct Moto {
    child: Child,
    pub port: u16,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `MADOGUCHI_MOTO_SERVER`, else `target/pyenv/bin/moto_server` of this workspace.
fn moto_server() -> std::path::PathBuf {
    if let Some(p) = std::env::var_os("MADOGUCHI_MOTO_SERVER") {
        return p.into();
    }
    let venv =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/pyenv/bin/moto_server");
    assert!(
        venv.exists(),
        "moto_server not found: `cargo xtask test` installs it into target/pyenv (or set MADOGUCHI_MOTO_SERVER)"
    );
    venv
}

impl Moto {
    /// Starts the server and waits until it accepts connections (panics after 60 s).
    pub fn start() -> Moto {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let child = Command::new(moto_server())
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start moto_server");
        let moto = Moto { child, port };
        let deadline = Instant::now() + Duration::from_secs(60);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "moto_server did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        moto
    }

    /// A raw HTTP/1.1 request (`head` ends with the blank line); the whole answer.
    pub fn request(&self, head: &str) -> String {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        s.write_all(head.as_bytes()).expect("send");
        let mut answer = String::new();
        let _ = s.read_to_string(&mut answer);
        answer
    }

    /// Creates a bucket; panics unless the server says 200.
    pub fn create_bucket(&self, bucket: &str) {
        let answer = self.request(&format!(
            "PUT /{bucket} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            self.port
        ));
        assert!(
            answer.starts_with("HTTP/1.1 200"),
            "bucket created: {answer}"
        );
    }

    /// The keys of a bucket's listing, as the server answers it (XML).
    pub fn list_bucket(&self, bucket: &str) -> String {
        self.request(&format!(
            "GET /{bucket}?list-type=2 HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
            self.port
        ))
    }

    /// The exchange configuration for `s3://bucket/prefix` on this server (test credentials).
    pub fn config(&self, url: &str) -> ObjectsConfig {
        ObjectsConfig {
            url: url.into(),
            endpoint: Some(format!("http://127.0.0.1:{}", self.port)),
            region: Some("ap-northeast-1".into()),
            access_key_id: Some("testing-key-id".into()),
            secret_access_key: Some("testing-secret".into()),
        }
    }
}
